"""The example notebook's code cells run against the demo data (executed as plain Python)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.conftest import REPO


def test_notebook_code_cells_run(monkeypatch):
    notebook = json.loads((REPO / "notebooks" / "wijkkompas_demo.ipynb").read_text())
    code = ["".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "code"]
    monkeypatch.chdir(REPO / "notebooks")
    namespace: dict[str, object] = {}
    for source in code:
        exec(compile(source, "notebook", "exec"), namespace)  # noqa: S102
    assert namespace["dataset"].gemeente_code == "GM9999"  # type: ignore[attr-defined]
    assert len(namespace["buurten"]) == 30  # type: ignore[arg-type]
    assert Path(os.getcwd()).name == "notebooks"
