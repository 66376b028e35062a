"""The command line: documented commands, formats, and the derived ties of a tiny corpus."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main


def run(project: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--project", str(project), *args])
    return result.exit_code, result.output


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_has_help_with_an_example(command: str) -> None:
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert re.search(r"^\s*Examples?:$", result.output, re.M), f"kg {command} --help shows no example"


def test_export_to_stdout_and_to_a_file(tiny: Path, tmp_path: Path) -> None:
    code, out = run(tiny, "export", "--format", "nquads")
    assert code == 0
    assert out == (tiny / "build" / "dataset.nq").read_text(encoding="utf-8")
    target = tmp_path / "out" / "graph.nq"
    code, _ = run(tiny, "export", "--format", "nquads", "-o", str(target))
    assert code == 0
    assert target.read_text(encoding="utf-8") == out


def test_export_rejects_an_unknown_format(tiny: Path) -> None:
    code, out = run(tiny, "export", "--format", "xml")
    assert code == 2
    assert "Invalid value for '--format'" in out


def test_derived_ties_of_the_tiny_corpus(tiny: Path) -> None:
    # Reasoning by hand from tests/fixtures/tiny: one meeting Arden -> Brook reported by
    # both articles (CONSULT, mode meeting without its own score: 2.5), one accusation
    # Brook -> Arden in t2 (ACCUSE: -2.0) dated 2026-03-10.
    code, out = run(
        tiny,
        "query",
        "--format",
        "csv",
        "-e",
        """
        SELECT ?from ?edge ?to ?facts ?articles ?weight ?first ?last WHERE {
          ?t a kg:Tie ; kg:tieFrom ?from ; kg:tieTo ?to ; kg:tieProperty ?edge ;
             kg:factCount ?facts ; kg:articleCount ?articles ; kg:weight ?weight ;
             kg:firstDate ?first ; kg:lastDate ?last } ORDER BY ?edge""",
    )
    assert code == 0, out
    rows = [{k: v for k, v in row.items() if not k.endswith("_label")} for row in csv.DictReader(io.StringIO(out))]
    assert rows == [
        {
            "from": "ent:bob-brook",
            "edge": "kg:accuses",
            "to": "ent:alice-arden",
            "facts": "1",
            "articles": "1",
            "weight": "-2.0",
            "first": "2026-03-10",
            "last": "2026-03-10",
        },
        {
            "from": "ent:alice-arden",
            "edge": "kg:metWith",
            "to": "ent:bob-brook",
            "facts": "1",
            "articles": "2",
            "weight": "2.5",
            "first": "2026-03-03",
            "last": "2026-03-03",
        },
    ]


def test_direct_edges_are_derived(tiny: Path) -> None:
    code, out = run(
        tiny,
        "query",
        "--format",
        "csv",
        "-e",
        "SELECT ?s ?o WHERE { ?s kg:metWith ?o }",
    )
    assert code == 0
    assert out.splitlines() == ["s,s_label,o,o_label", "ent:alice-arden,Alice Arden,ent:bob-brook,Bob Brook"]


def test_stats_count_corroborated_facts(tiny: Path) -> None:
    code, out = run(tiny, "stats")
    assert code == 0
    # three facts: the meeting (both articles report it as actual), Arden's position (t1), the accusation (t2)
    assert out.splitlines()[-2:] == [
        "facts two or more articles report: 1 of 3",
        "facts two or more articles report as actual (corroborated): 1 of 3",
    ]


def test_stats_do_not_count_an_anticipation_as_corroboration(tiny: Path) -> None:
    article = tiny / "data" / "articles" / "t2.ttl"
    text = article.read_text(encoding="utf-8")
    article.write_text(
        text.replace(
            "kg:modality kg:Actual ;\n    prov:wasDerivedFrom ev:t2-01",
            "kg:modality kg:Planned ;\n    prov:wasDerivedFrom ev:t2-01",
        ),
        encoding="utf-8",
    )
    code, out = run(tiny, "stats")
    assert code == 0
    assert out.splitlines()[-2:] == [
        "facts two or more articles report: 1 of 3",
        "facts two or more articles report as actual (corroborated): 0 of 3",
    ]


def test_named_query_with_a_parameter(tiny: Path) -> None:
    code, out = run(tiny, "query", "who-met-whom", "-p", "day=2026-03-03", "--format", "csv")
    assert code == 0
    rows = out.splitlines()
    assert rows[0] == "fact,fact_label,visitors,hosts,places,articles"
    # both articles report the meeting on 3 March; t1 says where it took place
    meeting = 'fact:arden-brook-meeting,Alice Arden meets Bob Brook,"Alice Arden (t1, t2)","Bob Brook (t1, t2)"'
    assert rows[1:] == [meeting + ",Capital City (t1),2"]
    code, out = run(tiny, "query", "who-met-whom", "-p", "day=2026-03-04", "--format", "csv")
    assert out.splitlines() == ["fact,visitors,hosts,places,articles"]


def test_bad_parameter_is_a_usage_error(tiny: Path) -> None:
    code, out = run(tiny, "query", "who-met-whom", "-p", "day=yesterday")
    assert code == 2
    assert "parameter day: 'yesterday' is not xsd:date" in out
    code, out = run(tiny, "query", "who-met-whom", "-p", "when=2026-03-03")
    assert code == 2
    assert "has no parameter when" in out


def test_queries_lists_the_named_questions(tiny: Path) -> None:
    code, out = run(tiny, "queries")
    assert code == 0
    names = [line.split()[0] for line in out.splitlines()]
    assert {"who-met-whom", "who-sanctioned-whom", "facts-in-several-articles"} <= set(names)


def test_an_unchanged_project_is_up_to_date(tiny: Path) -> None:
    code, out = run(tiny, "build")
    assert code == 0 and out.startswith("wrote build/dataset.nq")
    code, out = run(tiny, "build")
    assert code == 0 and out.startswith("up to date build/dataset.nq")
    # damaged output is noticed and rebuilt
    (tiny / "build" / "dataset.nq").write_text("", encoding="utf-8")
    code, out = run(tiny, "build")
    assert out.startswith("wrote build/dataset.nq")
    assert (tiny / "build" / "dataset.nq").stat().st_size > 0
    # so is a changed article text: it is checked again, and no longer matches its digest
    text = tiny / "sources" / "t1.txt"
    original = text.read_bytes()
    text.write_bytes(original + b"\n")
    code, out = run(tiny, "build")
    assert code == 1 and "art:t1: its text t1.txt is not the text it was curated from" in out
    text.write_bytes(original)
    code, out = run(tiny, "build")
    assert out.startswith("up to date build/dataset.nq")
    code, out = run(tiny, "build", "--force")
    assert out.startswith("wrote build/dataset.nq")
