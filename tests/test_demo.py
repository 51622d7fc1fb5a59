from __future__ import annotations

from pathlib import Path

from geo.demo import generate
from tests.conftest import DEMO


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.suffix not in (".gpkg", ".xlsx")  # these carry timestamps
    }


def test_bundled_demo_is_what_the_generator_writes(tmp_path: Path):
    generate(tmp_path / "demo")
    assert _files(tmp_path / "demo") == _files(DEMO)


def test_demo_is_small():
    total = sum(p.stat().st_size for p in DEMO.rglob("*") if p.is_file())
    assert total < 2 * 1024 * 1024
