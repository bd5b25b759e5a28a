{ ... }:
{
  # The Goodix reader on the T14 works with the stock driver.
  services.fprintd.enable = true;
  # ...but not for sudo, the reader is on the wrong side when docked
  security.pam.services.sudo.fprintAuth = false;
}
