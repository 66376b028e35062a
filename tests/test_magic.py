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
            "print(list(met['hosts']))",
            f"%sparql --build {built} ASK {{ ent:pedro-sanchez a kg:Person }}",
            f"%sparql --build {built} SELECT * WHERE {{ SERVICE <http://127.0.0.1:9/> {{ ?s ?p ?o }} }}",
        ],
        built.parent,
    )
    assert "<table" in nb.cells[1].outputs[0].data["text/html"]  # the DataFrame is shown
    assert text_of(nb.cells[2]).strip() == "DataFrame True ['who', 'who_label']"
    # 003: on the US side were Trump, Vance, Rubio and Senator Moreno
    hosts = text_of(nb.cells[4])
    assert all(h in hosts for h in ("Donald Trump", "JD Vance", "Marco Rubio", "Bernie Moreno"))
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


def test_magic_parameters_are_forgiving_and_documented_in_a_real_kernel(built: Path) -> None:
    nb = run_notebook(
        [
            "%load_ext kg",
            # %sparql? pages its help; a pager hook of the test's own prints it into the cell instead
            "from IPython.core import page\n"
            "show = page.as_hook(lambda data, *a, **k: print(data['text/plain'] if isinstance(data, dict) else data))\n"
            "get_ipython().set_hook('show_in_pager', show, 0)",
            "%sparql?",
            # the same question three ways: NAME="a value", -p NAME=VALUE, options first
            f'%sparql actor-dossier actor="Bernie Moreno" --build {built} -o quoted',
            f"%sparql actor-dossier -p actor=ent:bernie-moreno --build {built} -o dashed",
            f"%sparql --build {built} -o bare actor-dossier actor=Moreno",
            f"%sparql actor-dossier --build {built} -o default",  # its default actor: Petro
            "print(len(quoted) > 0, quoted.equals(dashed), quoted.equals(bare), quoted.equals(default))",
            "print(sorted(set(quoted['actor'])), sorted(set(default['actor'])))",
            f"%sparql who-met --build {built}",
            f"%sparql --build {built} -p day=2026-02-03 SELECT * WHERE {{ ?s ?p ?day }}",
            f"%sparql who-met-whom day=2026-02-03 extra --build {built}",
        ],
        built.parent,
    )
    shown = text_of(nb.cells[2])
    for form in ("who-met-whom day=2026-02-03", 'actor="Gustavo Petro"', "-p NAME=VALUE", "-o NAME", "--build DIR"):
        assert form in shown, form
    assert text_of(nb.cells[7]).split() == ["True", "True", "True", "False"]
    assert text_of(nb.cells[8]).strip() == "['ent:bernie-moreno'] ['ent:gustavo-petro']"
    mistyped = text_of(nb.cells[9])
    assert "no such question 'who-met'" in mistyped and "did you mean 'who-met-whom'?" in mistyped
    assert "parameters (-p day=2026-02-03) are for named questions" in text_of(nb.cells[10])
    assert "'extra': neither an option nor a parameter NAME=VALUE" in text_of(nb.cells[11])
    assert not any(out.output_type == "error" for cell in nb.cells for out in cell.outputs)
