{
  writeShellApplication,
  wakeonlan,
  iputils,
}:
writeShellApplication {
  name = "wake-nimbus";
  runtimeInputs = [wakeonlan iputils];
  text = builtins.readFile ./wake-nimbus.sh;
}
