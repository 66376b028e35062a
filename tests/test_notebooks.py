"""The notebooks run top to bottom in a real kernel, and are stored without outputs."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from kg.project import Project

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs(path: Path, project: Project, tmp_path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    assert all(not cell.get("outputs") for cell in nb.cells if cell.cell_type == "code"), "strip the outputs"
    # a copy of the project, so that the notebook's build goes to a temporary place (the
    # kernel inherits KG_SOURCES, if set: without the texts the build warns and goes on)
    copy = tmp_path / "project"
    shutil.copytree(project.root, copy, ignore=shutil.ignore_patterns(".venv", "build", ".git", "*.egg-info"))
    NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(copy / "notebooks")}}
    ).execute()
    errors = [o for cell in nb.cells for o in cell.get("outputs", []) if o.output_type == "error"]
    assert errors == []
    last = nb.cells[-1].outputs[0]["data"]["text/html"]
    assert last.startswith('<iframe sandbox="allow-scripts"')
