{ ... }:
{
  programs.git = {
    enable = true;
    userName = "Ines Varga";
    userEmail = "ines@varga.hu";
  };
}
