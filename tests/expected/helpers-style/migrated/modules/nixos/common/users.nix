{
  users.users.lena = {
    isNormalUser = true;
    extraGroups = [ "wheel" "networkmanager" ];
  };
}
