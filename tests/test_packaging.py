"""The installed package carries every data file the code reads (an editable install hides a gap)."""
from __future__ import annotations

import tomllib
from importlib.machinery import EXTENSION_SUFFIXES

from tests.conftest import ROOT


def _setuptools_config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def test_every_data_file_is_in_the_package_data():
    config = _setuptools_config()
    packaged = set()
    for package, patterns in config["package-data"].items():
        folder = ROOT / package.replace(".", "/")
        packaged |= {p for pattern in patterns for p in folder.glob(pattern)}
    for module in config.get("ext-modules", []):  # its sources built into the wheel
        packaged |= {ROOT / source for source in module["sources"]}
        built = ROOT / module["name"].replace(".", "/")
        packaged |= {built.with_name(built.name + suffix) for suffix in EXTENSION_SUFFIXES}
    for package in config["packages"]:
        folder = ROOT / package.replace(".", "/")
        data = {p for p in folder.glob("*") if p.is_file() and p.suffix not in (".py", ".pyc")}
        assert data <= packaged, f"{package}: not packaged: {sorted(str(p.relative_to(ROOT)) for p in data - packaged)}"


def test_every_folder_of_code_or_data_is_a_listed_package():
    """setuptools warns ("Package would be ignored") about a data folder not listed in `packages`."""
    config = _setuptools_config()
    listed = {ROOT / p.replace(".", "/") for p in config["packages"]}
    for top in {p.split(".")[0] for p in config["packages"]}:
        for folder in [ROOT / top, *(ROOT / top).rglob("*")]:
            if folder.is_dir() and "__pycache__" not in folder.parts and any(
                    f.is_file() and f.suffix != ".pyc" for f in folder.iterdir()):
                assert folder in listed, f"{folder.relative_to(ROOT)} is not in [tool.setuptools] packages"
