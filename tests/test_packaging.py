"""The installed package carries every data file the code reads (an editable install hides a gap)."""
from __future__ import annotations

import tomllib

from tests.conftest import ROOT


def test_every_data_file_is_in_the_package_data():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    for package in config["packages"]:
        folder = ROOT / package
        packaged = {p for pattern in config["package-data"].get(package, []) for p in folder.glob(pattern)}
        data = {p for p in folder.rglob("*") if p.is_file() and p.suffix not in (".py", ".pyc")
                and "__pycache__" not in p.parts}
        assert data <= packaged, f"{package}: not packaged: {sorted(str(p.relative_to(ROOT)) for p in data - packaged)}"
