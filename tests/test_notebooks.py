"""The five notebooks run top to bottom in a real kernel, and are stored without outputs.

Each notebook tells part of the story the graph holds and asserts, in its own cells, what
it shows (the expected values come from the articles): a notebook that runs without an
error output has therefore also checked its story against the graph it was run on.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

from kg.project import Project

FOLDER = Path(__file__).resolve().parent.parent / "notebooks"
NAMES = ["01-tour", "02-sources", "03-network", "04-time", "05-adding-an-article"]
OPENING = 'import kg\n\nproject = kg.Project.at("..")'
IFRAME = '<iframe sandbox="allow-scripts"'
ASSERT = re.compile(r"^assert\b", re.MULTILINE)


def test_the_five_notebooks_are_there() -> None:
    assert sorted(p.stem for p in FOLDER.glob("*.ipynb")) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_notebook_is_stored_stripped_and_checks_itself(name: str) -> None:
    nb = nbformat.read(FOLDER / f"{name}.ipynb", as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == "python3", "the kernel every machine has"
    assert [cell.id for cell in nb.cells] == [f"nb{name[:2]}-{i:02d}" for i in range(len(nb.cells))], "stable cell ids"
    assert all(not cell.metadata for cell in nb.cells), "no editor state in the cells"
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert all(not cell.outputs and cell.execution_count is None for cell in code), "strip the outputs"
    assert nb.cells[0].cell_type == "markdown", "the story comes first"
    assert code[0].source.startswith(OPENING), "each notebook opens the project above it"
    asserting = [cell for cell in code if ASSERT.search(cell.source)]
    assert len(asserting) >= 3, f"{name}: only {len(asserting)} code cells assert what they show"


@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs(name: str, project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    nb = nbformat.read(FOLDER / f"{name}.ipynb", as_version=4)
    # a copy of the project, so that the notebook's build goes to a temporary place (the
    # kernel inherits KG_SOURCES, if set: without the texts the build warns and goes on),
    # and a temporary folder of its own for what the notebook makes there (05 copies the
    # project once more)
    copy = tmp_path / "project"
    ignore = shutil.ignore_patterns(".venv", "build", ".git", "*.egg-info", ".ipynb_checkpoints")
    shutil.copytree(project.root, copy, ignore=ignore)
    (tmp_path / "tmp").mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    client = NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(copy / "notebooks")}}
    )
    client.execute()
    outputs: list[dict[str, Any]] = [o for cell in nb.cells for o in cell.get("outputs", [])]
    errors = [o for o in outputs if o["output_type"] == "error"]
    assert errors == []
    streams = "".join(o["text"] for o in outputs if o["output_type"] == "stream")
    assert "Traceback" not in streams
    frames = [o for o in outputs if o["output_type"] == "execute_result" and IFRAME in o["data"].get("text/html", "")]
    assert frames, "the notebook shows at least one view, in a sandboxed frame"
    assert all(o["data"]["text/html"].startswith(IFRAME) for o in frames)
    assert list((tmp_path / "tmp").glob("*/pyproject.toml")) == [], "no copy of a project is left behind"
