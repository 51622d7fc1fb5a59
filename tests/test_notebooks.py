"""The notebooks run from top to bottom without an error, on the real Utrecht data and the demo.

The jupytext percent-format ``.py`` files in ``notebooks/`` are the source of truth (diffable,
no outputs in git). Each is converted in memory and executed by a real Jupyter kernel
(nbclient, ipykernel's ``python3`` kernel: the Python running the tests, so the venv's).
Any exception in any cell fails the test. Exports go to a temporary folder, never into the
repository or the data folder.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import DEMO, REPO, UTRECHT

jupytext = pytest.importorskip("jupytext")
nbclient = pytest.importorskip("nbclient")
nbformat = pytest.importorskip("nbformat")

NOTEBOOKS = REPO / "notebooks"
SOURCES = (
    "01_eenzaamheid_utrecht.py",
    "02_hiaten_ouderen.py",
    "03_wijkpropositie_zuilen.py",
)
TIMEOUT_S = 300


def run_notebook(path: Path, data: Path, output: Path, monkeypatch: pytest.MonkeyPatch) -> object:
    """Execute a percent-format notebook in a fresh kernel; return the executed notebook."""
    monkeypatch.setenv("WIJKKOMPAS_DATA", str(data))
    monkeypatch.setenv("WIJKKOMPAS_UITVOER", str(output))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    notebook = jupytext.read(path)
    client = nbclient.NotebookClient(
        notebook,
        timeout=TIMEOUT_S,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    client.execute()
    return notebook


def _text_outputs(notebook: object) -> str:
    parts = []
    for cell in notebook.cells:  # type: ignore[attr-defined]
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                parts.append(output.get("text", ""))
    return "".join(parts)


@pytest.mark.shared
@pytest.mark.slow
@pytest.mark.parametrize("name", SOURCES)
def test_notebook_runs_on_utrecht(name, tmp_path, monkeypatch):
    notebook = run_notebook(NOTEBOOKS / name, UTRECHT, tmp_path, monkeypatch)
    printed = _text_outputs(notebook)
    assert "DEMO" not in printed.split("\n", 3)[0]
    if name.startswith("01"):
        assert "Overvecht 2020: 58,2 % eenzaam" in printed
        assert "48,9 % eenzaam tegen 47,0 % landelijk" in printed
    if name.startswith("03"):
        assert sorted(p.suffix for p in tmp_path.iterdir()) == [".gpkg", ".html", ".pdf"]
        assert "Zuilen" in printed


@pytest.mark.slow
@pytest.mark.parametrize("name", SOURCES)
def test_notebook_runs_on_demo(name, tmp_path, monkeypatch):
    notebook = run_notebook(NOTEBOOKS / name, DEMO, tmp_path, monkeypatch)
    assert "DEMO" in _text_outputs(notebook)
    if name.startswith("03"):
        assert sorted(p.suffix for p in tmp_path.iterdir()) == [".gpkg", ".html", ".pdf"]


def test_every_notebook_is_tested_and_paired_sources_have_no_outputs():
    sources = {p.name for p in NOTEBOOKS.glob("*.py")}
    assert sources == set(SOURCES), "a notebook in notebooks/ that the tests do not run"
    for name in SOURCES:
        text = (NOTEBOOKS / name).read_text(encoding="utf-8")
        assert text.startswith("# ---\n# jupyter:") and "format_name: percent" in text
    # generated .ipynb files are ignored by git; none with outputs may be committed
    tracked = subprocess.run(
        ["git", "ls-files", "notebooks"], cwd=REPO, capture_output=True, text=True, check=False
    ).stdout.split()
    for name in (n for n in tracked if n.endswith(".ipynb")):
        notebook = nbformat.read(REPO / name, as_version=4)
        assert all(not cell.get("outputs") for cell in notebook.cells), name
