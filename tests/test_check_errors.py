"""One broken fixture per kind of problem: exact place and message, exit code, nothing written.

Each case takes the tiny example project, breaks one thing in one file, and runs
``kg check`` and ``kg build``. Line and column numbers were counted by hand in the
fixture files (tests/fixtures/tiny).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kg.cli import main

T1 = "data/articles/t1.ttl"
T2 = "data/articles/t2.ttl"

# (id, file, text to replace, replacement, the first line of the expected problem, its hint)
CASES = [
    (
        "syntax",
        T1,
        "kg:sourceLength 127 .",
        "kg:sourceLength 127",
        "data/articles/t1.ttl:17:1: Turtle syntax error:",
        "each statement ends with '.'",
    ),
    (
        "unknown-property",
        T1,
        "    kg:actor ent:alice-arden ;",
        "    kg:actr ent:alice-arden ;",
        "data/articles/t1.ttl:29:5: unknown property 'kg:actr'",
        "did you mean 'kg:actor'?",
    ),
    (
        "unknown-class",
        T1,
        "fact:t1-arden-talks-useful a kg:Position ;",
        "fact:t1-arden-talks-useful a kg:Positon ;",
        "data/articles/t1.ttl:37:30: unknown class 'kg:Positon'",
        "did you mean 'kg:Position'?",
    ),
    (
        "undefined-entity",
        T1,
        "    kg:target ent:bob-brook ;",
        "    kg:target ent:bob-brooke ;",
        "data/articles/t1.ttl:30:15: unknown id 'ent:bob-brooke'",
        "did you mean 'ent:bob-brook'?",
    ),
    (
        "shacl-missing-modality",
        T1,
        "    kg:datePrecision kg:Day ;\n    kg:modality kg:Actual ;\n    prov:wasDerivedFrom ev:t1-01 .",
        "    kg:datePrecision kg:Day ;\n    prov:wasDerivedFrom ev:t1-01 .",
        "data/articles/t1.ttl:25:1: fact:arden-brook-meeting: a fact needs exactly one kg:modality",
        "add the missing property",
    ),
    (
        "shacl-two-labels",
        T1,
        'rdfs:label "Alice Arden meets Bob Brook" ;',
        'rdfs:label "Alice Arden meets Bob Brook" , "Arden and Brook meet" ;',
        "data/articles/t1.ttl:26:5: fact:arden-brook-meeting: a fact needs exactly one rdfs:label summarising it",
        "remove the values too many",
    ),
    (
        "untyped-shared-fact",
        T2,
        "fact:arden-brook-meeting a kg:Event ;",
        "fact:arden-brook-meeting",
        "data/articles/t2.ttl:25:1: fact:arden-brook-meeting is described here without its class",
        "repeat the node's rdf:type",
    ),
    (
        "shacl-wrong-datatype",
        T1,
        'kg:date "2026-03-03"^^xsd:date ;\n    kg:datePrecision kg:Day ;\n    kg:modality kg:Actual ;\n'
        "    prov:wasDerivedFrom ev:t1-01 .",
        'kg:date "3 March 2026" ;\n    kg:datePrecision kg:Day ;\n    kg:modality kg:Actual ;\n'
        "    prov:wasDerivedFrom ev:t1-01 .",
        "data/articles/t1.ttl:32:5: fact:arden-brook-meeting: kg:date is one xsd:date (value: '3 March 2026')",
        'write the literal with its datatype, e.g. "2026-02-03"^^xsd:date',
    ),
    (
        "quote-not-verbatim",
        T1,
        'kg:quote "Alice Arden met Bob Brook in Capital City on 3 March 2026." ;',
        'kg:quote "Alice Arden met Bob Brook in the Capital on 3 March 2026." ;',
        "data/articles/t1.ttl:18:5: ev:t1-01: quote not found verbatim in its article",
        "the longest part found is 'Alice Arden met Bob Brook in '",
    ),
    (
        "quote-straight-quotes",
        T1,
        'kg:quote "Arden said the talks were “useful”." ;',
        'kg:quote "Arden said the talks were \\"useful\\"." ;',
        "data/articles/t1.ttl:22:5: ev:t1-02: quote not found verbatim in its article",
        "the quote differs only in typographic quotes or dashes",
    ),
    (
        "quote-too-long",
        T1,
        'kg:quote "Alice Arden met Bob Brook in Capital City on 3 March 2026." ;',
        'kg:quote "' + " ".join(["word"] * 26) + '" ;',
        "data/articles/t1.ttl:18:5: ev:t1-01: evidence needs exactly one kg:quote of 1 to 25 words",
        "shorten the quote to at most 25 words",
    ),
    (
        "text-digest-differs",
        T1,
        'kg:sourceSha256 "fef11edf',
        'kg:sourceSha256 "0ef11edf',
        "data/articles/t1.ttl:14:5: art:t1: its text t1.txt is not the text it was curated from (SHA-256 fef11edf5c2f…",
        "restore the original text",
    ),
    (
        "text-digest-malformed",
        T1,
        'kg:sourceSha256 "fef11edf',
        'kg:sourceSha256 "FEF11EDF',
        "data/articles/t1.ttl:14:5: art:t1: an article needs exactly one kg:sourceSha256",
        "a digest is 64 lowercase hex digits",
    ),
    (
        "address-not-on-the-web",
        T1,
        'kg:sourceFile "t1.txt" ;',
        'schema:url "javascript:alert(1)" ;\n    kg:sourceFile "t1.txt" ;',
        "data/articles/t1.ttl:13:5: art:t1: schema:url is the article's web address (http or https), once",
        "write the address as an IRI, <https://…>, with no spaces",
    ),
    (
        "evidence-of-another-article",
        T2,
        "    prov:wasDerivedFrom ev:t2-02 .",
        "    prov:wasDerivedFrom ev:t2-02 , ev:t1-01 .",
        "data/articles/t2.ttl:46:5: fact:t2-brook-accuses-arden cites ev:t1-01, a quote of art:t1, another article",
        "state the fact in the other article's file too",
    ),
    (
        "two-articles-in-a-file",
        T2,
        "art:t2 a kg:Article ;",
        'art:t0 a kg:Article ; kg:sourceFile "t1.txt" ; kg:sourceLength 127 ;\n'
        '    kg:sourceSha256 "fef11edf5c2f0a3900c329a073903149af46b4fb6319ffa43bbbfa6cfb9ce5db" .\n'
        "art:t2 a kg:Article ;",
        "data/articles/t2.ttl:11:1: this article file describes 2 articles",
        "move each other article",
    ),
    (
        "end-before-start",
        T1,
        '    kg:date "2026-03-03"^^xsd:date ;\n    kg:datePrecision kg:Day ;\n    kg:modality kg:Actual ;',
        '    kg:date "2026-03-03"^^xsd:date ;\n    kg:endDate "2026-03-01"^^xsd:date ;\n'
        "    kg:datePrecision kg:Day ;\n    kg:modality kg:Actual ;",
        "data/articles/t1.ttl:33:5: fact:arden-brook-meeting ends on 2026-03-01 before it starts on 2026-03-03",
        "check both dates against the article",
    ),
    (
        "bounds-leave-no-day",
        T2,
        '    kg:date "2026-03-10"^^xsd:date ;\n    kg:datePrecision kg:Day ;\n    kg:dateText "A week later" ;',
        '    kg:earliestDate "2026-03-10"^^xsd:date ;\n    kg:latestDate "2026-03-04"^^xsd:date ;\n'
        '    kg:dateText "A week later" ;',
        "data/articles/t2.ttl:43:5: fact:t2-brook-accuses-arden has no day it can have happened on "
        "(earliest 2026-03-10, latest 2026-03-04)",
        "bounds are inclusive",
    ),
    (
        "bound-outside-the-date",
        T2,
        '    kg:datePrecision kg:Day ;\n    kg:dateText "A week later" ;',
        '    kg:datePrecision kg:Day ;\n    kg:latestDate "2026-03-09"^^xsd:date ;\n    kg:dateText "A week later" ;',
        "data/articles/t2.ttl:44:5: fact:t2-brook-accuses-arden has no day it can have happened on "
        "(date 2026-03-10, latest 2026-03-09)",
        "is one reversed?",
    ),
    (
        "when-is-derived",
        T2,
        '    kg:dateText "A week later" ;',
        '    kg:dateText "A week later" ;\n    kg:when "2026-03" ;',
        "data/articles/t2.ttl:45:5: fact:t2-brook-accuses-arden: kg:when is written by the build",
        "remove the values too many",
    ),
    (
        "place-within-an-actor",
        "data/entities.ttl",
        '    rdfs:label "Capital City" .',
        '    rdfs:label "Capital City" ;\n    kg:partOf ent:alice-arden .',
        "data/entities.ttl:15:5: ent:capital-city: kg:partOf of a place names the one larger kg:Place",
        "use an id of the right class",
    ),
    (
        "conflict-between-articles",
        T2,
        "    kg:mode kg:meeting ;",
        "    kg:mode kg:visit ;",
        "data/articles/t2.ttl:28:5: fact:arden-brook-meeting kg:mode is kg:visit here "
        "but kg:meeting in data/articles/t1.ttl",
        "use the same value as the other file",
    ),
    (
        "registry-shacl",
        "data/entities.ttl",
        '    rdfs:label "Alice Arden" ;\n',
        "",
        "data/entities.ttl:5:1: ent:alice-arden: needs exactly one rdfs:label (a plain string)",
        "add the missing property",
    ),
]


def run(project: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--project", str(project), *args])


def break_file(project: Path, name: str, old: str, new: str) -> None:
    path = project / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, f"fixture text not found in {name}: {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("after_clean_check", [False, True], ids=["fresh", "incremental"])
@pytest.mark.parametrize(("case", "name", "old", "new", "first_line", "hint"), CASES, ids=[c[0] for c in CASES])
def test_broken_fixture(
    tiny: Path, case: str, name: str, old: str, new: str, first_line: str, hint: str, after_clean_check: bool
) -> None:
    if after_clean_check:  # the previous clean check leaves a manifest: only changed files are rechecked
        assert run(tiny, "check").exit_code == 0
        assert (tiny / "build" / ".cache" / "check.json").is_file()
    break_file(tiny, name, old, new)
    checked = run(tiny, "check")
    assert checked.exit_code == 1, checked.output
    lines = checked.output.splitlines()
    matching = [i for i, line in enumerate(lines) if line.startswith(first_line)]
    assert matching, f"expected a line starting {first_line!r} in:\n{checked.output}"
    block = lines[matching[0] : matching[0] + 3]
    assert any(line.startswith("    expected: ") for line in block)
    assert any(line.startswith("    hint: ") and hint in line for line in block), block
    assert lines[-1].endswith("found")
    assert "Traceback" not in checked.output

    built = run(tiny, "build")
    assert built.exit_code == 1
    assert not (tiny / "build" / "dataset.nq").exists()


def test_a_check_of_one_changed_file_sees_the_files_it_shares_facts_with(tiny: Path) -> None:
    assert run(tiny, "check").exit_code == 0
    # only t2 changes; the conflict is with t1, which tells the same meeting, so t1 is read too
    break_file(tiny, T2, "    kg:mode kg:meeting ;", "    kg:mode kg:visit ;")
    result = run(tiny, "check")
    assert result.exit_code == 1
    assert "t2.ttl:28:5: fact:arden-brook-meeting kg:mode is kg:visit here but kg:meeting in" in result.output


def test_a_registry_change_rechecks_every_file(tiny: Path) -> None:
    assert run(tiny, "check").exit_code == 0
    # t1.ttl is unchanged, but the place it cites leaves the registry
    break_file(tiny, "data/entities.ttl", 'ent:capital-city a kg:Place ;\n    rdfs:label "Capital City" .', "")
    result = run(tiny, "check")
    assert result.exit_code == 1
    assert "data/articles/t1.ttl:31:14: unknown id 'ent:capital-city'" in result.output


def test_an_unchanged_corpus_is_not_rechecked_but_full_still_checks(tiny: Path) -> None:
    assert run(tiny, "check").exit_code == 0
    manifest = tiny / "build" / ".cache" / "check.json"
    before = manifest.read_bytes()
    assert run(tiny, "check").exit_code == 0
    assert run(tiny, "check", "--full").exit_code == 0
    assert manifest.read_bytes() == before


def test_every_problem_is_reported_at_once(tiny: Path) -> None:
    chosen = {"unknown-property", "undefined-entity", "conflict-between-articles"}
    for _, name, old, new, _, _ in (c for c in CASES if c[0] in chosen):
        break_file(tiny, name, old, new)
    result = run(tiny, "check")
    assert result.exit_code == 1
    assert "t1.ttl:29:5: unknown property 'kg:actr'" in result.output
    assert "t1.ttl:30:15: unknown id 'ent:bob-brooke'" in result.output
    assert "t2.ttl:28:5: fact:arden-brook-meeting kg:mode is kg:visit here" in result.output
    # the unknown id is not reported a second time as a SHACL class violation
    assert "names a registry actor (value: ent:bob-brooke)" not in result.output
    # with kg:actor misspelt, the event also lacks an actor: a finding of its own
    assert "t1.ttl:25:1: fact:arden-brook-meeting: an event needs at least one kg:actor" in result.output
    assert result.output.splitlines()[-1] == "4 problems found"


def test_failed_build_leaves_previous_output_untouched(tiny: Path) -> None:
    assert run(tiny, "build").exit_code == 0
    before = {p.name: p.read_bytes() for p in (tiny / "build").glob("dataset.*")}
    assert set(before) == {"dataset.nq"}
    break_file(tiny, T1, "    kg:actor ent:alice-arden ;", "    kg:actr ent:alice-arden ;")
    assert run(tiny, "build").exit_code == 1
    after = {p.name: p.read_bytes() for p in (tiny / "build").glob("dataset.*")}
    assert after == before
    assert not [p for p in (tiny / "build").iterdir() if p.name.startswith(".dataset")]


def test_invalid_utf8_is_located(tiny: Path) -> None:
    path = tiny / T1
    data = path.read_bytes().replace(b"Arden finds", b"Arden \xff finds", 1)
    path.write_bytes(data)
    result = run(tiny, "check")
    assert result.exit_code == 1
    assert "data/articles/t1.ttl:38:23: file is not valid UTF-8" in result.output


@pytest.mark.parametrize(
    ("remove", "message"),
    [
        ("data/articles", "no articles folder: data/articles"),
        ("data/entities.ttl", "missing the registry: data/entities.ttl"),
    ],
)
def test_unusable_input_exits_2(tiny: Path, remove: str, message: str) -> None:
    target = tiny / remove
    shutil.rmtree(target) if target.is_dir() else target.unlink()
    result = run(tiny, "check")
    assert result.exit_code == 2
    assert result.output.splitlines()[0] == message
    assert "Traceback" not in result.output


def test_a_file_that_changes_its_types_rechecks_the_files_that_depend_on_them(tiny: Path) -> None:
    # t2's accusation is said to contradict a position that only t1 defines
    break_file(
        tiny,
        T2,
        "    prov:wasDerivedFrom ev:t2-02 .",
        "    kg:contradicts fact:t1-arden-talks-useful ;\n    prov:wasDerivedFrom ev:t2-02 .",
    )
    assert run(tiny, "check").exit_code == 0
    # t1 renames that position: t2, unchanged, now names an id nobody defines
    path = tiny / T1
    path.write_text(
        path.read_text(encoding="utf-8").replace("fact:t1-arden-talks-useful", "fact:t1-talks-useful"), encoding="utf-8"
    )
    result = run(tiny, "check")
    assert result.exit_code == 1
    assert "data/articles/t2.ttl:46:20: unknown id 'fact:t1-arden-talks-useful'" in result.output


@pytest.mark.parametrize("after_clean_check", [False, True], ids=["fresh", "incremental"])
def test_a_changed_article_text_is_reported_by_its_digest(tiny: Path, after_clean_check: bool) -> None:
    if after_clean_check:  # the curated files are unchanged: the text's digest must still be compared
        assert run(tiny, "check").exit_code == 0
    text = tiny / "sources" / "t1.txt"
    text.write_text(text.read_text(encoding="utf-8").replace("useful", "helpful"), encoding="utf-8")
    result = run(tiny, "check")
    assert result.exit_code == 1
    assert "data/articles/t1.ttl:14:5: art:t1: its text t1.txt is not the text it was curated from" in result.output
    assert "    hint: restore the original text" in result.output
    # and the quote that held the altered word no longer matches
    assert "data/articles/t1.ttl:22:5: ev:t1-02: quote not found verbatim in its article" in result.output
    assert result.output.splitlines()[-1] == "2 problems found"


def test_without_the_texts_check_and_build_succeed_with_one_warning(tiny: Path) -> None:
    shutil.rmtree(tiny / "sources")
    expected = (
        "warning: 2 of 2 articles unverified: their texts (t1.txt, t2.txt) are not in sources; "
        "point kg at the texts with --sources, KG_SOURCES or [tool.kg] sources"
    )
    for command in ("check", "build"):
        result = run(tiny, command)
        assert result.exit_code == 0, result.output
        assert [line for line in result.stderr.splitlines() if line.startswith("warning:")] == [expected]
    assert (tiny / "build" / "dataset.nq").is_file()
    # an unchanged build says it again: the quotes are still unverified
    assert expected in run(tiny, "build").stderr


def test_texts_that_appear_later_are_checked(tiny: Path) -> None:
    shutil.move(tiny / "sources", tiny / "elsewhere")
    assert run(tiny, "check").exit_code == 0
    text = tiny / "elsewhere" / "t2.txt"
    text.write_text(text.read_text(encoding="utf-8").replace("Brook accused", "Brook blamed"), encoding="utf-8")
    shutil.move(tiny / "elsewhere", tiny / "sources")
    result = run(tiny, "check")
    assert result.exit_code == 1
    assert "data/articles/t2.ttl:14:5: art:t2: its text t2.txt is not the text it was curated from" in result.output


def test_an_article_file_without_its_article_is_reported(tiny: Path) -> None:
    # every statement of a file is its article's claim: a file must say which article it is
    break_file(tiny, T2, 'art:t2 a kg:Article ;\n    schema:headline "A promise broken?" ;', "art:t2")
    result = run(tiny, "check")
    assert result.exit_code == 1
    assert "data/articles/t2.ttl:1:1: this article file describes no kg:Article" in result.output
    assert "    hint: every statement in the file is attributed to that article: add it first" in result.output


def test_an_unchanged_corpus_is_checked_from_its_digests_alone(tiny: Path) -> None:
    from kg.check import check_project
    from kg.project import Project

    project = Project.at(tiny)
    first = check_project(project)
    again = check_project(project)
    assert again.loaded is None and again.read is None  # nothing parsed or loaded
    assert (again.triples, again.articles, again.unverified) == (first.triples, first.articles, first.unverified)
    assert again.triples == sum(len(f.triples) for f in first.corpus.files)
    assert len(again.store) == len(first.store)  # loaded when a build asks for it
    # one byte of one text changed: the digests differ, so the files are checked again
    text = tiny / "sources" / "t1.txt"
    text.write_bytes(text.read_bytes().replace(b"useful", b"usefull"))
    assert run(tiny, "check").exit_code == 1
