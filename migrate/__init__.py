"""hm-migrate: standalone Home Manager to Home Manager as a NixOS module."""

__version__ = "0.1.0"
