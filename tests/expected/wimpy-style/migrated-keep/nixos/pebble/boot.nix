{ ... }:
{
  boot.loader.grub = {
    enable = true;
    efiSupport = false;
    # device is set by disko
  };
  boot.initrd.availableKernelModules = [ "ahci" "xhci_pci" "usb_storage" "sd_mod" ];
  boot.kernelModules = [ "kvm-intel" ];
  boot.swraid.enable = true;
}
