# hm-migrate as a Python application, built from pyproject.toml.
{
  lib,
  python3Packages,
  git,
}:

let
  project = (lib.importTOML ../pyproject.toml).project;
  pynix-parser = python3Packages.callPackage ./pynix-parser.nix { };
in
python3Packages.buildPythonApplication {
  pname = project.name;
  inherit (project) version;
  pyproject = true;

  # Only what the build reads: a change to the tests or the samples rebuilds nothing.
  src = lib.fileset.toSource {
    root = ../.;
    fileset = lib.fileset.unions [
      ../pyproject.toml
      ../README.md
      ../migrate
    ];
  };

  build-system = [ python3Packages.setuptools ];

  # pyproject.toml's dependencies (tests/test_flake_package.py checks that they match).
  dependencies = [
    pynix-parser
    python3Packages.rich
    python3Packages.click
    python3Packages.gitpython
  ];

  # migrate commits with git; a NixOS user's PATH need not have it.
  makeWrapperArgs = [
    "--prefix"
    "PATH"
    ":"
    (lib.makeBinPath [ git ])
  ];

  pythonImportsCheck = [ "migrate.cli" ];

  meta = {
    inherit (project) description;
    license = lib.licenses.mit;
    mainProgram = "migrate";
    platforms = pynix-parser.meta.platforms;
  };
}
