{ ... }:
{
  boot.loader.systemd-boot.enable = true;
  boot.loader.efi.canTouchEfiVariables = true;
  boot.initrd.availableKernelModules = [ "nvme" "xhci_pci" "thunderbolt" "usb_storage" "sd_mod" ];
  boot.initrd.luks.devices."cryptroot".device = "/dev/disk/by-uuid/7c1e6a52-3f0b-4d8e-9a1c-2b5d4e6f7a80";
  boot.kernelModules = [ "kvm-amd" ];
  boot.resumeDevice = "/dev/mapper/cryptroot";
}
