"""Every finding of ``kg check`` whole (file, line, column, message, expected, hint, kind), and what it records.

Each case breaks one thing in a copy of the tiny example project (tests/fixtures/tiny)
and compares the complete list of problems with what the fixture says: lines and
columns counted by hand in the fixture files, digests computed from the bytes written.
Further tests cover the check's manifest (read back), its warning for missing texts,
its incremental runs, and :func:`kg.check.read_vocabulary` on a hand-written ontology.
Everything runs in-process (mutation testing imports the package in this process).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import warnings
from pathlib import Path

import pytest
from rdflib import Graph

from kg.check import check_project, file_graph, read_source, read_vocabulary, unverified_message
from kg.errors import CurationError, InputError, Problem, UnverifiedWarning
from kg.load import parse_text
from kg.project import Project

T1 = "data/articles/t1.ttl"
T2 = "data/articles/t2.ttl"
T3 = "data/articles/t3.ttl"
ID = "https://w3id.org/newskg/id/"
KG = "https://w3id.org/newskg/ns#"

CONFLICT_HINT = (
    "use the same value as the other file; if the articles report different things, "
    "give them two facts (linked by kg:contradicts if they cannot both hold)"
)
CONFLICT_EXPECTED = "the same defining value in every file that states this shared fact"
QUOTE_EXPECTED = "a span copied exactly from the article text (runs of whitespace may differ)"
RETYPE_HINT = "copy the span from the article's text file rather than retyping it"
FOREIGN_EXPECTED = "evidence of the article this file describes: what a file states is that article's claim"
FOREIGN_HINT = "state the fact in the other article's file too, citing the quote there"
DATES_EXPECTED = "kg:earliestDate on or before kg:latestDate, and both around kg:date at its precision"
DATES_HINT = "bounds are inclusive ('before 13 January' is kg:latestDate 2026-01-12); is one reversed?"
T1_QUOTE = '"Alice Arden met Bob Brook in Capital City on 3 March 2026."'
T2_QUOTE2 = 'kg:quote "Brook accused Arden of breaking a promise." ;\n    kg:inArticle art:t2 .'


def edit(project: Path, name: str, old: str, new: str) -> None:
    """Replace the first ``old`` of the file ``name`` by ``new`` (``old`` must be there)."""
    path = project / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text not found in {name}: {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems_of(project: Path) -> list[Problem]:
    """The problems ``check_project`` raises for ``project`` (the test fails if it is clean)."""
    with pytest.raises(CurationError) as caught:
        check_project(Project.at(project))
    return caught.value.problems


# (id, edits [(file, old, new)], the problems expected, all of them)
CASES = [
    (
        "unknown-term",
        [(T1, "    kg:mode kg:meeting ;", "    kg:mode kg:meetng ;")],
        [
            Problem(
                T1,
                28,
                5,
                "fact:arden-brook-meeting: kg:mode is one kg:Mode (value: kg:meetng)",
                expected="Class constraint on kg:mode (ontology.ttl shapes)",
                hint="use an id of the right class, defined in the registry or an article",
                kind="shacl",
            ),
            Problem(
                T1,
                28,
                13,
                "unknown term 'kg:meetng'",
                expected="a term declared in ontology.ttl",
                hint="did you mean 'kg:meeting'?",
                kind="terms",
            ),
            # t1.ttl sorts first: its (misspelt) value is the one the other file is compared with
            Problem(
                T2,
                28,
                5,
                "fact:arden-brook-meeting kg:mode is kg:meeting here but kg:meetng in data/articles/t1.ttl",
                expected=CONFLICT_EXPECTED,
                hint=CONFLICT_HINT,
                kind="conflict",
            ),
        ],
    ),
    (
        "unknown-property",
        [(T1, "    kg:actor ent:alice-arden ;", "    kg:actr ent:alice-arden ;")],
        [
            Problem(
                T1,
                25,
                1,
                "fact:arden-brook-meeting: an event needs at least one kg:actor from the registry",
                expected="MinCount constraint on kg:actor (ontology.ttl shapes)",
                hint="add the missing property",
                kind="shacl",
            ),
            Problem(
                T1,
                29,
                5,
                "unknown property 'kg:actr'",
                expected="a property declared in ontology.ttl",
                hint="did you mean 'kg:actor'?",
                kind="terms",
            ),
        ],
    ),
    (
        "unknown-fact-not-an-entity",  # the nearest id is ent:alice-arden, but a fact is looked for among facts
        [
            (
                T2,
                "    prov:wasDerivedFrom ev:t2-02 .",
                "    kg:contradicts fact:alice-arden ;\n    prov:wasDerivedFrom ev:t2-02 .",
            )
        ],
        [
            Problem(
                T2,
                46,
                20,
                "unknown id 'fact:alice-arden'",
                expected="a fact, evidence or article defined in one of the article files",
                hint="define it with its rdf:type",
                kind="undefined",
            )
        ],
    ),
    (
        "misspelt-fact",
        [
            (
                T2,
                "    prov:wasDerivedFrom ev:t2-02 .",
                "    kg:contradicts fact:t1-arden-talks-usefull ;\n    prov:wasDerivedFrom ev:t2-02 .",
            )
        ],
        [
            Problem(
                T2,
                46,
                20,
                "unknown id 'fact:t1-arden-talks-usefull'",
                expected="a fact, evidence or article defined in one of the article files",
                hint="did you mean 'fact:t1-arden-talks-useful'?",
                kind="undefined",
            )
        ],
    ),
    (
        "unknown-entity-without-a-near-one",
        [(T1, "    kg:target ent:bob-brook ;", "    kg:target ent:zed ;")],
        [
            Problem(
                T1,
                30,
                15,
                "unknown id 'ent:zed'",
                expected="an actor, place or post defined in data/entities.ttl",
                hint="add it to data/entities.ttl",
                kind="undefined",
            )
        ],
    ),
    (
        "untyped",
        [(T2, "fact:arden-brook-meeting a kg:Event ;", "fact:arden-brook-meeting")],
        [
            Problem(
                T2,
                25,
                1,
                "fact:arden-brook-meeting is described here without its class",
                expected="every file types the nodes it describes, so that it can be checked alone",
                hint="repeat the node's rdf:type (and the core of a shared fact) from the file that defines it",
                kind="undefined",
            )
        ],
    ),
    (
        "wrong-datatype",
        [(T1, 'kg:date "2026-03-03"^^xsd:date ;', 'kg:date "3 March 2026" ;')],
        [
            Problem(
                T1,
                32,
                5,
                "fact:arden-brook-meeting: kg:date is one xsd:date (value: '3 March 2026')",
                expected="Datatype constraint on kg:date (ontology.ttl shapes)",
                hint='write the literal with its datatype, e.g. "2026-02-03"^^xsd:date',
                kind="shacl",
            )
        ],
    ),
    (
        "evidence-of-another-article",
        [(T2, "    prov:wasDerivedFrom ev:t2-02 .", "    prov:wasDerivedFrom ev:t2-02 , ev:t1-01 .")],
        [
            Problem(
                T2,
                46,
                5,
                "fact:t2-brook-accuses-arden cites ev:t1-01, a quote of art:t1, another article",
                expected=FOREIGN_EXPECTED,
                hint=FOREIGN_HINT,
                kind="article",
            )
        ],
    ),
    (
        "quote-longest-part-of-12",  # 'in Capital C' is 12 characters: long enough to be shown
        [(T1, T1_QUOTE, '"in Capital Cove"')],
        [
            Problem(
                T1,
                18,
                5,
                "ev:t1-01: quote not found verbatim in its article",
                expected=QUOTE_EXPECTED,
                hint="the longest part found is 'in Capital C'; check the words around it against the article",
                kind="quote",
            )
        ],
    ),
    (
        "quote-longest-part-of-11",  # 'n Capital C' is 11 characters: too short to be a clue
        [(T1, T1_QUOTE, '"n Capital Cove"')],
        [Problem(T1, 18, 5, "ev:t1-01: quote not found verbatim in its article", QUOTE_EXPECTED, RETYPE_HINT, "quote")],
    ),
    (
        "quote-straight-quotes",
        [
            (
                T1,
                'kg:quote "Arden said the talks were “useful”." ;',
                'kg:quote "Arden said the talks were \\"useful\\"." ;',
            )
        ],
        [
            Problem(
                T1,
                22,
                5,
                "ev:t1-02: quote not found verbatim in its article",
                expected=QUOTE_EXPECTED,
                hint="the quote differs only in typographic quotes or dashes: copy them as the article has them",
                kind="quote",
            )
        ],
    ),
    (
        "end-before-start",
        [
            (
                T1,
                '    kg:date "2026-03-03"^^xsd:date ;',
                '    kg:date "2026-03-03"^^xsd:date ;\n    kg:endDate "2026-03-01"^^xsd:date ;',
            )
        ],
        [
            Problem(
                T1,
                33,
                5,
                "fact:arden-brook-meeting ends on 2026-03-01 before it starts on 2026-03-03",
                expected="kg:endDate on or after kg:date",
                hint="check both dates against the article; swap them if they are reversed",
                kind="dates",
            )
        ],
    ),
    (
        "bound-before-the-date",
        [
            (
                T2,
                '    kg:dateText "A week later" ;',
                '    kg:latestDate "2026-03-09"^^xsd:date ;\n    kg:dateText "A week later" ;',
            )
        ],
        [
            Problem(
                T2,
                44,
                5,
                "fact:t2-brook-accuses-arden has no day it can have happened on (date 2026-03-10, latest 2026-03-09)",
                expected=DATES_EXPECTED,
                hint=DATES_HINT,
                kind="dates",
            )
        ],
    ),
    (
        "bounds-reversed",
        [
            (
                T2,
                '    kg:date "2026-03-10"^^xsd:date ;\n    kg:datePrecision kg:Day ;',
                '    kg:earliestDate "2026-03-10"^^xsd:date ;\n    kg:latestDate "2026-03-04"^^xsd:date ;',
            )
        ],
        [
            Problem(
                T2,
                43,
                5,
                "fact:t2-brook-accuses-arden has no day it can have happened on "
                "(earliest 2026-03-10, latest 2026-03-04)",
                expected=DATES_EXPECTED,
                hint=DATES_HINT,
                kind="dates",
            )
        ],
    ),
]


# one article per article file: these also cause other findings (ids, citations), checked elsewhere
ARTICLE_CASES = [
    (
        "no-article",
        [(T2, 'art:t2 a kg:Article ;\n    schema:headline "A promise broken?" ;', "art:t2")],
        [
            Problem(
                T2,
                1,
                1,
                "this article file describes no kg:Article",
                expected="one article node (art:ID a kg:Article) with its source file, digest and length",
                hint="every statement in the file is attributed to that article: add it first",
                kind="article",
            )
        ],
    ),
    (
        "two-articles",
        [
            (
                T2,
                "art:t2 a kg:Article ;",
                'art:t0 a kg:Article ; kg:sourceFile "t1.txt" ; kg:sourceLength 127 ;\n'
                '    kg:sourceSha256 "fef11edf5c2f0a3900c329a073903149af46b4fb6319ffa43bbbfa6cfb9ce5db" .\n'
                "art:t2 a kg:Article ;",
            )
        ],
        [
            Problem(
                T2,
                11,
                1,
                "this article file describes 2 articles",
                expected="one article per file: its statements are that article's claims",
                hint="move each other article, with its evidence and facts, into a file of its own",
                kind="article",
            )
        ],
    ),
]


@pytest.mark.parametrize(("case", "edits", "expected"), CASES, ids=[c[0] for c in CASES])
def test_each_finding_is_reported_whole(
    tiny: Path, case: str, edits: list[tuple[str, str, str]], expected: list[Problem]
) -> None:
    for name, old, new in edits:
        edit(tiny, name, old, new)
    assert problems_of(tiny) == expected


@pytest.mark.parametrize(("case", "edits", "expected"), ARTICLE_CASES, ids=[c[0] for c in ARTICLE_CASES])
def test_an_article_file_describes_one_article(
    tiny: Path, case: str, edits: list[tuple[str, str, str]], expected: list[Problem]
) -> None:
    for name, old, new in edits:
        edit(tiny, name, old, new)
    found = problems_of(tiny)
    assert [p for p in found if p.message.startswith("this article file describes")] == expected


def test_a_file_that_does_not_parse_is_reported_once(tiny: Path) -> None:
    # without its triples the file has no article either: that is not a second problem
    edit(tiny, T1, "kg:sourceLength 127 .", "kg:sourceLength 127")
    [problem] = problems_of(tiny)
    assert (problem.file, problem.line, problem.col, problem.kind) == (T1, 17, 1, "syntax")
    assert problem.message.startswith("Turtle syntax error: ")
    assert problem.expected == "valid Turtle 1.1 (RDF 1.1, no RDF-star)"
    assert "each statement ends with '.'" in problem.hint


def test_a_changed_or_undecodable_text_is_reported_with_its_digest(tiny: Path) -> None:
    text = (tiny / "sources" / "t1.txt").read_bytes()
    changed = text.replace(b"useful", b"\xff")  # one word swapped for a byte that is not UTF-8
    (tiny / "sources" / "t1.txt").write_bytes(changed)
    digest = hashlib.sha256(changed).hexdigest()
    assert problems_of(tiny) == [
        Problem(
            T1,
            13,
            5,
            "article text t1.txt is not valid UTF-8",
            expected="the article's text, encoded as UTF-8",
            hint="re-save the text file as UTF-8",
            kind="quote",
        ),
        Problem(
            T1,
            14,
            5,
            f"art:t1: its text t1.txt is not the text it was curated from (SHA-256 {digest[:12]}…, "
            f"{len(text) - 5} bytes; the file records fef11edf5c2f…, 127 bytes)",
            expected="the article text whose SHA-256 and length the curated file records",
            hint="restore the original text; if the article itself was revised, check every quote against "
            "the new text and record its kg:sourceSha256 and kg:sourceLength (sha256sum FILE; wc -c < FILE)",
            kind="quote",
        ),
    ]


@pytest.mark.parametrize(
    ("length", "shown"),
    [
        (58, "'" + "x" * 58 + "'"),  # 60 characters with its quotes: shown whole
        (59, "'" + "x" * 56 + "..."),  # 61: cut to 57 and an ellipsis
    ],
)
def test_a_long_value_is_cut_in_a_conflict(tiny: Path, length: int, shown: str) -> None:
    edit(tiny, T2, 'rdfs:label "Alice Arden meets Bob Brook" ;', f'rdfs:label "{"x" * length}" ;')
    assert problems_of(tiny) == [
        Problem(
            T2,
            26,
            5,
            f"fact:arden-brook-meeting rdfs:label is {shown} here but 'Alice Arden meets Bob Brook' in {T1}",
            expected=CONFLICT_EXPECTED,
            hint=CONFLICT_HINT,
            kind="conflict",
        )
    ]


def test_after_a_clean_check_a_quote_of_another_files_article_is_still_checked(tiny: Path) -> None:
    check_project(Project.at(tiny))
    # t2 alone changes: its second quote now claims to come from t1's article, whose text lacks it
    edit(tiny, T2, T2_QUOTE2, T2_QUOTE2.replace("art:t2", "art:t1"))
    assert problems_of(tiny) == [
        Problem(T2, 22, 5, "ev:t2-02: quote not found verbatim in its article", QUOTE_EXPECTED, RETYPE_HINT, "quote"),
        Problem(
            T2,
            23,
            5,
            "ev:t2-02 cites ev:t2-02, a quote of art:t1, another article",
            FOREIGN_EXPECTED,
            FOREIGN_HINT,
            "article",
        ),
        Problem(
            T2,
            46,
            5,
            "fact:t2-brook-accuses-arden cites ev:t2-02, a quote of art:t1, another article",
            FOREIGN_EXPECTED,
            FOREIGN_HINT,
            "article",
        ),
    ]


@pytest.mark.stack
def test_the_missing_texts_warning_names_them_and_points_at_the_caller(tiny: Path) -> None:
    shutil.rmtree(tiny / "sources")
    expected = (
        "2 of 2 articles unverified: their texts (t1.txt, t2.txt) are not in sources; "
        "point kg at the texts with --sources, KG_SOURCES or [tool.kg] sources"
    )
    for _ in ("fresh", "unchanged since"):
        with pytest.warns(UnverifiedWarning) as record:
            checked = check_project(Project.at(tiny))
        assert [str(w.message) for w in record] == [expected]
        assert record[0].filename == __file__  # the line that called check_project, not kg's own
        assert checked.unverified == ("t1.txt", "t2.txt")


@pytest.mark.parametrize(
    ("names", "shown"),
    [
        (["c.txt", "a.txt", "b.txt"], "a.txt, b.txt, c.txt"),
        (["d.txt", "c.txt", "a.txt", "b.txt"], "a.txt, b.txt, c.txt and 1 more"),
        (["e.txt", "d.txt", "c.txt", "a.txt", "b.txt"], "a.txt, b.txt, c.txt and 2 more"),
    ],
)
def test_the_unverified_message_names_three_texts_and_counts_the_rest(names: list[str], shown: str) -> None:
    assert unverified_message(names, 7, "data/sources") == (
        f"{len(names)} of 7 articles unverified: their texts ({shown}) are not in data/sources; "
        "point kg at the texts with --sources, KG_SOURCES or [tool.kg] sources"
    )


def test_a_text_that_is_a_folder_is_an_error_not_a_missing_text(tmp_path: Path) -> None:
    assert read_source(tmp_path, "gone.txt") is None
    (tmp_path / "here.txt").write_bytes(b"A text.\n")
    assert read_source(tmp_path, "here.txt") == b"A text.\n"
    (tmp_path / "folder.txt").mkdir()
    with pytest.raises(InputError) as caught:
        read_source(tmp_path, "folder.txt")
    assert caught.value.expected == "an article text (from --sources, KG_SOURCES or [tool.kg] sources)"
    assert str(tmp_path / "folder.txt") in caught.value.message


SMALL_ONTOLOGY = """\
@prefix kg:     <https://w3id.org/newskg/ns#> .
@prefix owl:    <http://www.w3.org/2002/07/owl#> .
@prefix rdfs:   <http://www.w3.org/2000/01/rdf-schema#> .
@prefix sh:     <http://www.w3.org/ns/shacl#> .
@prefix xsd:    <http://www.w3.org/2001/XMLSchema#> .
@prefix schema: <https://schema.org/> .

kg:Event a owl:Class .
kg:Mode a owl:Class .
kg:ClaimProperty a owl:Class .
kg:ComparedProperty a owl:Class ; rdfs:subClassOf kg:ClaimProperty .
schema:Thing a owl:Class .
kg:meeting a kg:Mode .
kg:classOf a owl:ObjectProperty ; rdfs:range owl:Class .
kg:actor a owl:ObjectProperty .
kg:contradicts a owl:SymmetricProperty , kg:ClaimProperty .
kg:note a owl:DatatypeProperty , kg:ClaimProperty .
kg:date a owl:DatatypeProperty , kg:ComparedProperty .

kg:EventShape a sh:NodeShape ;
    sh:targetClass kg:Event ;
    sh:property [ sh:path rdfs:label ; sh:minCount 1 ; sh:maxCount 1 ] ;
    sh:property [ sh:path kg:date ; sh:maxCount 1 ; sh:datatype xsd:date ] ;
    sh:property [ sh:path kg:actor ; sh:minCount 1 ] ;
    sh:property [ sh:path kg:note ; sh:maxCount 3 ] .
"""


def test_read_vocabulary_of_a_small_ontology() -> None:
    vocab = read_vocabulary(parse_text(SMALL_ONTOLOGY, "ontology.ttl"))

    def kg(*names: str) -> frozenset[str]:
        return frozenset(KG + n for n in names)

    rdfs = "http://www.w3.org/2000/01/rdf-schema#"
    # classes: what is typed owl:Class in kg: (not schema:Thing, not a property whose range is classes)
    assert vocab.classes == kg("Event", "Mode", "ClaimProperty", "ComparedProperty")
    # properties: the declared ones, those the shapes constrain, rdf:type and rdfs:comment
    assert vocab.properties == kg("classOf", "actor", "contradicts", "note", "date") | {
        rdfs + "label",
        rdfs + "comment",
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
    }
    assert vocab.terms == kg(
        "Event", "Mode", "ClaimProperty", "ComparedProperty", "meeting", "classOf", "actor", "contradicts", "note"
    ) | kg("date", "EventShape")
    assert vocab.functional == frozenset({rdfs + "label", KG + "date"})  # not kg:note, allowed thrice
    assert vocab.claims == kg("contradicts", "note", "date")  # kg:ComparedProperty is a kind of claim
    assert vocab.compared == kg("date")
    assert {(c.component, c.path) for c in vocab.constraints} >= {
        ("MinCount", rdfs + "label"),
        ("MaxCount", KG + "date"),
        ("MinCount", KG + "actor"),
    }


T3_TEXT = "Brook backs the plan\n\nBob Brook said he backs the plan for the region.\n"


def t3_turtle(text: bytes) -> str:
    """A third article, about the registry's Bob Brook only: it shares no node with t1 or t2."""
    return f"""\
@prefix kg:     <https://w3id.org/newskg/ns#> .
@prefix ent:    <https://w3id.org/newskg/id/> .
@prefix art:    <https://w3id.org/newskg/id/article/> .
@prefix ev:     <https://w3id.org/newskg/id/evidence/> .
@prefix fact:   <https://w3id.org/newskg/id/fact/> .
@prefix rdfs:   <http://www.w3.org/2000/01/rdf-schema#> .
@prefix prov:   <http://www.w3.org/ns/prov#> .
@prefix schema: <https://schema.org/> .

art:t3 a kg:Article ;
    schema:headline "Brook backs the plan" ;
    kg:sourceFile "t3.txt" ;
    kg:sourceSha256 "{hashlib.sha256(text).hexdigest()}" ;
    kg:sourceLength {len(text)} .

ev:t3-01 a kg:Evidence ;
    kg:quote "Bob Brook said he backs the plan" ;
    kg:inArticle art:t3 .

fact:t3-brook-backs-plan a kg:Position ;
    rdfs:label "Brook backs the plan" ;
    kg:holder ent:bob-brook ;
    kg:stance "Brook backs the plan for the region." ;
    kg:topic kg:diplomacy ;
    kg:modality kg:Actual ;
    prov:wasDerivedFrom ev:t3-01 .
"""


def subjects_of(path: Path) -> list[str]:
    return sorted({str(s) for s in Graph().parse(path, format="turtle").subjects()})


def test_the_manifest_records_each_file_and_a_new_file_is_checked_alone(tiny: Path) -> None:
    project = Project.at(tiny)
    manifest = tiny / "build" / ".cache" / "check.json"
    check_project(project)
    first = json.loads(manifest.read_text(encoding="utf-8"))
    ontology, registry = Path(project.ontology), tiny / "data" / "entities.ttl"
    assert first["version"] == 4
    assert first["ontology"] == hashlib.sha256(ontology.read_bytes()).hexdigest()
    assert first["registry"] == hashlib.sha256(registry.read_bytes()).hexdigest()
    assert first["triples"] == len(Graph().parse(ontology)) + len(Graph().parse(registry))
    assert set(first["files"]) == set(first["subjects"]) == {T1, T2}
    for name, article in ((T1, "t1"), (T2, "t2")):
        digest, signature, text_state, names, described, triples = first["files"][name]
        assert digest == hashlib.sha256((tiny / name).read_bytes()).hexdigest()
        assert len(signature) == 64 and int(signature, 16) >= 0
        assert text_state == hashlib.sha256((tiny / "sources" / f"{article}.txt").read_bytes()).hexdigest()
        assert names == [f"{article}.txt"]
        assert described == f"{ID}article/{article}"
        assert triples == len(Graph().parse(tiny / name))
        assert first["subjects"][name] == subjects_of(tiny / name)
    assert first["files"][T1][1] != first["files"][T2][1]  # they type different nodes

    # a third article, sharing no node with the others: only it is loaded and checked
    (tiny / "sources" / "t3.txt").write_text(T3_TEXT, encoding="utf-8")
    (tiny / T3).write_text(t3_turtle(T3_TEXT.encode("utf-8")), encoding="utf-8")
    checked = check_project(project)
    assert checked.part == frozenset({checked.corpus.ontology.display, "data/entities.ttl", T3})
    assert checked.articles == {
        file_graph(f).value: f"{ID}article/{Path(f.display).stem}" for f in checked.corpus.articles
    }
    assert checked.triples == first["triples"] + sum(len(Graph().parse(tiny / n)) for n in (T1, T2, T3))
    second = json.loads(manifest.read_text(encoding="utf-8"))
    assert {k: second["files"][k] for k in (T1, T2)} == {k: first["files"][k] for k in (T1, T2)}
    assert second["subjects"] == first["subjects"] | {T3: subjects_of(tiny / T3)}
    digest, _, text_state, names, described, triples = second["files"][T3]
    assert (digest, text_state, names, described, triples) == (
        hashlib.sha256((tiny / T3).read_bytes()).hexdigest(),
        hashlib.sha256(T3_TEXT.encode("utf-8")).hexdigest(),
        ["t3.txt"],
        f"{ID}article/t3",
        len(Graph().parse(tiny / T3)),
    )

    # a label changed in t1: the file's digest changes, the nodes it types do not
    edit(tiny, T1, 'rdfs:label "Arden finds the talks useful"', 'rdfs:label "Arden calls the talks useful"')
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # every text is there: no warning
        check_project(project)
    third = json.loads(manifest.read_text(encoding="utf-8"))
    assert third["files"][T1][0] == hashlib.sha256((tiny / T1).read_bytes()).hexdigest() != first["files"][T1][0]
    assert third["files"][T1][1:] == first["files"][T1][1:]
