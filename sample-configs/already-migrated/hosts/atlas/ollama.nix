{
  # local LLMs on the 7800 XT
  services.ollama = {
    enable = true;
    acceleration = "rocm";
    rocmOverrideGfx = "11.0.1";
    models = "/data/ollama";
  };
  services.open-webui = {
    enable = false; # TODO: try again after 25.05 fixes the build
    port = 8080;
  };
}
