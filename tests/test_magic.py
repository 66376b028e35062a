"""The notebook magics, run in a real Jupyter kernel."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbclient import NotebookClient


def run_notebook(cells: list[str], cwd: Path) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}).execute()
    return nb


def text_of(cell: nbformat.NotebookNode) -> str:
    parts = []
    for out in cell.outputs:
        if out.output_type == "stream":
            parts.append(out.text)
        elif "data" in out:
            parts.append(out.data.get("text/plain", ""))
    return "".join(parts)


def test_magics_return_dataframes_in_a_real_kernel(built: Path) -> None:
    nb = run_notebook(
        [
            "%load_ext kg",
            f"%%sparql -o sanctions --build {built}\n"
            "SELECT ?who WHERE { ?f kg:eventType kg:SANCTION ; kg:target ?who ; kg:modality kg:Actual }",
            "print(type(sanctions).__name__, 'ent:gustavo-petro' in set(sanctions['who']), list(sanctions.columns))",
            f"%sparql who-met-whom -p day=2026-02-03 -o met --build {built}",
            "print(sorted(set(met['host'])))",
            f"%sparql --build {built} ASK {{ ent:pedro-sanchez a kg:Person }}",
            f"%sparql --build {built} SELECT * WHERE {{ SERVICE <http://127.0.0.1:9/> {{ ?s ?p ?o }} }}",
        ],
        built.parent,
    )
    assert "<table" in nb.cells[1].outputs[0].data["text/html"]  # the DataFrame is shown
    assert text_of(nb.cells[2]).strip() == "DataFrame True ['who', 'who_label']"
    # 003: on the US side were Trump, Vance, Rubio and Senator Moreno
    hosts = text_of(nb.cells[4])
    assert all(h in hosts for h in ("ent:donald-trump", "ent:jd-vance", "ent:marco-rubio", "ent:bernie-moreno"))
    assert text_of(nb.cells[5]).strip() == "True"
    assert text_of(nb.cells[6]).startswith("query: SERVICE is refused")
    assert not any(out.output_type == "error" for cell in nb.cells for out in cell.outputs)


def test_magic_finds_the_build_from_the_working_directory(built: Path, tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "notebooks").mkdir(parents=True)
    (project / "build").symlink_to(built, target_is_directory=True)
    nb = run_notebook(
        ["%load_ext kg", "%sparql -o n SELECT (COUNT(*) AS ?n) WHERE { ?e a kg:Evidence }", "print(n['n'][0] > 150)"],
        project / "notebooks",
    )
    assert text_of(nb.cells[2]).strip() == "True"
