"""The project's notebooks as HTML: run in a temporary copy of the project, rendered without a CDN.

nbconvert's ``lab`` and ``classic`` templates load require.js and MathJax from a CDN
(measured: ``cdnjs.cloudflare.com``); the ``basic`` template writes the cells alone, and
the site wraps them in its own page. Each notebook runs top to bottom (nbclient, a
``python3`` kernel) in a copy of the project made in a temporary folder, from the copy's
``notebooks`` folder, as ``tests/test_notebooks.py`` runs them: what a notebook builds
or writes goes to the copy. The kernel is given the project's texts folder
(``KG_SOURCES``). A notebook that fails is rendered as far as it ran, with its error,
and said in a warning.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from kg.files import list_files, read_text
from kg.project import Project

__all__ = ["notebook_files", "render_notebooks"]

#: What the temporary copy of the project leaves out.
_LEFT_OUT = (".venv", ".git", "build", "*.egg-info", "__pycache__", ".*.tmp")


def notebook_files(project: Project) -> list[Path]:
    """The project's ``notebooks/*.ipynb``, sorted by name (none when there is no such folder)."""
    folder = project.root / "notebooks"
    if not folder.is_dir():
        return []
    return list_files(folder, "*.ipynb", what="a folder of notebooks")


def render_notebooks(
    project: Project, *, execute: bool = True, leave_out: Iterable[Path] = (), timeout: int = 600
) -> tuple[dict[str, str], list[str]]:
    """Each notebook's cells as HTML (nbconvert's ``basic`` template), by file name, and warnings.

    ``execute`` runs them first, in a temporary copy of the project without
    ``leave_out`` (the site being written, when it is inside the project) nor the
    folders in :data:`_LEFT_OUT`; ``timeout`` is per cell, in seconds.
    """
    import nbformat
    from nbconvert import HTMLExporter

    files = notebook_files(project)
    if not files:
        return {}, []
    exporter = HTMLExporter(template_name="basic")  # type: ignore[no-untyped-call]
    rendered: dict[str, str] = {}
    warnings: list[str] = []
    skipped = {Path(p).resolve() for p in leave_out} | {project.build.resolve()}
    with tempfile.TemporaryDirectory(prefix="kg-notebooks-") as scratch:
        copy = Path(scratch) / "project"
        if execute:
            _copy_project(project.root, copy, skipped)
        for path in files:
            nb = nbformat.reads(read_text(path, what="a notebook"), as_version=4)  # type: ignore[no-untyped-call]
            if execute:
                problem = _run(nb, copy / "notebooks", project.sources, timeout)
                if problem:
                    warnings.append(f"notebook {path.name} failed: {problem} (rendered as far as it ran)")
            body, _resources = exporter.from_notebook_node(nb)
            rendered[path.name] = body
    return rendered, warnings


def _copy_project(root: Path, copy: Path, skipped: set[Path]) -> None:
    def ignore(folder: str, names: list[str]) -> set[str]:
        left = set(shutil.ignore_patterns(*_LEFT_OUT)(folder, names))
        return left | {n for n in names if (Path(folder) / n).resolve() in skipped}

    shutil.copytree(root, copy, ignore=ignore, symlinks=True)


#: A terminal's colour escape (ESC [ … m), as IPython writes them into a traceback.
_COLOUR = re.compile(r"\x1b\[[0-9;]*m")


def _run(nb: Any, cwd: Path, sources: Path, timeout: int) -> str | None:
    """Run ``nb`` in a kernel started in ``cwd``; the error's last line if a cell failed.

    The kernel colours its traceback with terminal escapes; the line is given without them.
    """
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    cwd.mkdir(parents=True, exist_ok=True)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(cwd)}})
    try:
        client.execute(env={**os.environ, "KG_SOURCES": str(sources)})
    except CellExecutionError as exc:
        text = _COLOUR.sub("", str(exc)).strip()
        return text.splitlines()[-1] if text else type(exc).__name__
    return None
