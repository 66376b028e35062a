"""Tables a person can read: every named question at 100 columns, labels, captions, dates, rows."""

from __future__ import annotations

import io
import re
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from rdflib import RDF, RDFS, Graph

from kg.cli import main
from kg.namespaces import KG
from kg.project import Project
from kg.query import connect, read_queries
from kg.tables import render, shown

#: An identifier as the tables would print it: a prefixed name of the project's namespaces.
IDENTIFIER = re.compile(r"(?<![\w/])(?:ent|fact|art|ev|kg):[\w.-]+")
MISSING = re.compile(r"\b(?:NaN|nan|None|NaT|<NA>)\b")


def kg(built: Path, *args: str, width: int = 100) -> str:
    result = CliRunner(env={"COLUMNS": str(width)}).invoke(main, ["--build-dir", str(built), *args])
    assert result.exit_code == 0, result.output
    return result.output


def widest(text: str) -> int:
    return max(len(line) for line in text.splitlines())


@pytest.fixture(scope="module")
def answers(built: Path) -> dict[str, tuple[pd.DataFrame, dict[str, str]]]:
    """Every named question's answer with its default parameters, as the command shows them."""
    with connect(built) as conn:
        questions = read_queries().items()
        return {name: (conn.run(name), {k: p.default for k, p in q.params.items()}) for name, q in questions}


@pytest.mark.parametrize("name", sorted(read_queries()))
def test_every_named_question_fits_100_columns_with_labels_only(
    answers: dict[str, tuple[pd.DataFrame, dict[str, str]]], name: str
) -> None:
    frame, params = answers[name]
    table = render(frame, width=100, params=params)
    assert widest(table) <= 100, f"{name}: a line of {widest(table)} characters"
    assert not IDENTIFIER.findall(table), f"{name}: identifiers without --ids"
    assert not MISSING.findall(table), f"{name}: a missing value printed as a word"
    # nothing cut: every character of the headers, cells and caption is printed, wrapped or not
    view = shown(frame, params=params)
    expected = Counter("".join([*view.columns, *(c for row in view.rows for c in row), view.caption]))
    printed = Counter(table)
    for ch in " \n─━":
        expected.pop(ch, None)
        printed.pop(ch, None)
    assert printed == expected, f"{name}: characters lost or added: {(expected - printed) or (printed - expected)}"
    if IDENTIFIER.search(render(frame, "csv")):  # the question answers with identifiers: --ids shows them
        with_ids = render(frame, width=100, params=params, ids=True)
        assert IDENTIFIER.search(with_ids), f"{name}: --ids shows no identifier"
        assert widest(with_ids) <= 100


def test_the_command_fits_the_terminal(built: Path) -> None:
    table = kg(built, "query", "actor-dossier")
    assert widest(table) <= 100 and not IDENTIFIER.findall(table)
    assert IDENTIFIER.search(kg(built, "query", "actor-dossier", "--ids"))


def test_the_width_option_and_columns_are_obeyed(built: Path) -> None:
    assert widest(kg(built, "query", "actor-dossier", width=60)) <= 60
    assert widest(kg(built, "query", "actor-dossier", "--width", "72")) <= 72
    assert widest(kg(built, "stats", width=70)) <= 70


def test_who_met_whom_is_one_row_per_meeting_with_its_sides_listed(built: Path) -> None:
    lines = kg(built, "query", "who-met-whom", "-p", "day=2026-02-03", "--format", "md").splitlines()
    assert lines[0] == "| fact | visitors | hosts | places | articles |"
    rows = [line for line in lines[2:] if line.startswith("|")]
    # the trip to Washington and the White House meeting: two facts, two rows
    assert len(rows) == 2
    meeting = next(row for row in rows if "meets Donald Trump" in row)
    # 003: "Participating in the meeting, on the North American side, were Vice President JD
    # Vance, Secretary of State Marco Rubio and Senator Bernie Moreno", with Trump the host (and 002
    # names Trump alone): each name with the articles that give it
    assert "| Bernie Moreno (003), Donald Trump (002, 003), JD Vance (003), Marco Rubio (003) |" in meeting
    # the day is the question's parameter: said once, under the table, not on every row
    assert lines[-1] == "day: 2026-02-03"
    table = kg(built, "query", "who-met-whom", "-p", "day=2026-02-03")
    assert table.count("2026-02-03") == 1 and table.rstrip().endswith("day: 2026-02-03")


def test_a_parameter_column_is_said_once_by_its_label(built: Path) -> None:
    table = kg(built, "query", "sanctions-against", "-p", "target=Petro")
    assert table.count("Gustavo Petro") == 1
    assert table.rstrip().endswith("target: Gustavo Petro")
    assert (
        kg(built, "query", "timeline", "-p", "from=2025-09-01", "-p", "to=2026-01-31")
        .rstrip()
        .endswith("from: 2025-09-01; to: 2026-01-31")
    )


def test_dates_are_shown_at_their_precision(built: Path, project: Project) -> None:
    # from the curated files: the events an article dates to a month and no article narrower
    curated = Graph()
    for path in sorted((project.root / "data" / "articles").glob("*.ttl")):
        curated.parse(path, format="turtle")
    months = {
        (str(label), str(date)[:7])
        for fact, date in curated.subject_objects(KG.date)
        if set(curated.objects(fact, KG.datePrecision)) == {KG.Month}
        and (fact, RDF.type, KG.Event) in curated
        and all(curated.value(fact, p) is None for p in (KG.earliestDate, KG.latestDate, KG.endDate))
        for label in curated.objects(fact, RDFS.label)
    }
    assert len(months) >= 3, "the seed dates some events to a month"
    table = kg(built, "query", "timeline", "--format", "md")
    for label, month in months:
        row = next(line for line in table.splitlines() if line.startswith(f"| {label} |"))
        assert re.search(rf"\| (.* · )?{month}( · .*)? \|", row), (label, month, row)
        assert f"{month}-01" not in row, f"{label}: a month shown as its first day"


def test_stats_name_each_class_once(built: Path) -> None:
    stats = kg(built, "stats")
    assert "kg:Evidence" not in stats
    evidence = next(line for line in stats.splitlines() if line.startswith("evidence"))
    assert evidence.split() == ["evidence", "202"] or evidence.split()[0:1] == ["evidence"]
    assert evidence.split().count("evidence") == 1


def test_a_path_is_one_row_per_tie_with_its_facts_counted(built: Path, project: Project) -> None:
    lines = kg(built, "analyze", "path", "Moreno", "Petro", "--format", "md").splitlines()
    assert lines[0] == "| hop | from | relation | to | facts | articles | when | what |"
    words = relation_labels(project)  # each relation in the ontology's words
    # 003: Moreno, "one of Petro's strongest detractors in the United States", was at the meeting
    assert sorted(lines[2:]) == [
        f"| 1 | Bernie Moreno | {words['opposes']} | Gustavo Petro | 1 | 1 |  | "
        "Bernie Moreno is one of Petro's strongest detractors in the United States |",
        f"| 1 | Gustavo Petro | {words['metWith']} | Bernie Moreno | 1 | 1 | 2026-02-03 | "
        "Gustavo Petro meets Donald Trump at the White House |",
    ]


@pytest.mark.parametrize(
    "args", [("ego", "Petro"), ("path", "Moreno", "Petro"), ("balance",), ("timeline", "Trump", "Petro")]
)
def test_analyses_name_actors_not_identifiers(built: Path, args: tuple[str, ...]) -> None:
    table = kg(built, "analyze", *args)
    assert widest(table) <= 100
    assert not IDENTIFIER.findall(table) and "Gustavo Petro" in table
    if args[0] != "timeline":  # months, no actors: the pair is said under the table
        assert IDENTIFIER.search(kg(built, "analyze", *args, "--ids"))


def relation_labels(project: Project) -> dict[str, str]:
    """The derived relations in words, read from the curated ontology: ``metWith``: ``met with``."""
    ontology = Graph().parse(project.ontology, format="turtle")
    return {
        str(relation).removeprefix(str(KG)): str(label)
        for relation in ontology.subjects(RDF.type, KG.DerivedEdge)
        for label in ontology.objects(relation, RDFS.label)
    }


@pytest.mark.parametrize("args", [("ego", "Petro"), ("path", "Moreno", "Petro")])
def test_analyses_name_relations_in_the_ontologys_words(built: Path, project: Project, args: tuple[str, ...]) -> None:
    words = relation_labels(project)
    assert words["metWith"] == "met with" and words["requested"] == "made a request of"

    def cells(*options: str) -> list[list[str]]:
        lines = kg(built, "analyze", *args, "--format", "md", *options).splitlines()
        return [[c.strip() for c in line.strip("|").split("|")] for line in lines if line.startswith("|")]

    header, _, *body = cells()
    shown = [row[header.index("relation")] for row in body]
    assert shown and set(shown) <= set(words.values()), "a relation not in the ontology's words"
    assert "met with" in shown and "metWith" not in shown
    # with --ids, each relation's name is beside its words; the files keep both
    header, _, *body = cells("--ids")
    assert {(row[header.index("relation")], row[header.index("relation_id")]) for row in body} <= {
        (w, r) for r, w in words.items()
    }
    frame = pd.read_csv(io.StringIO(kg(built, "analyze", *args, "--format", "csv")))
    assert (frame["relation_label"] == frame["relation"].map(words)).all()


# ---------------------------------------------------------------- the renderer itself


def test_markup_and_missing_values_print_as_text() -> None:
    frame = pd.DataFrame({"x": ["[bold]Ann[/bold]", None], "n": [1.5, float("nan")]})
    table = render(frame, width=40)
    assert "[bold]Ann[/bold]" in table
    assert not MISSING.findall(table)
    assert render(frame, "csv").splitlines() == ["x,n", "[bold]Ann[/bold],1.5", ","]


def test_a_narrow_table_keeps_every_column_and_number() -> None:
    frame = pd.DataFrame(
        {"actor": ["Gustavo Petro", "United States"], **{f"measure{i}": [0.123456 * i, 1000.5 + i] for i in range(8)}}
    )
    for width in (100, 80):
        table = render(frame, width=width)
        assert widest(table) <= width
        cells = [line.split() for line in table.splitlines()]
        for i in range(8):  # each number whole on one line, however narrow
            assert any(f"{1000.5 + i:.6g}" in row for row in cells), (width, i)
    quote = "a long quote " * 20
    wrapped = render(pd.DataFrame({"quote": [quote], "n": [1]}), width=30)
    assert widest(wrapped) <= 30 and " ".join(wrapped.split()).count("long quote") == 20
    assert render(pd.DataFrame({"quote": [quote]}), "csv").splitlines()[1] == quote  # csv keeps the full value
