"""``kg coverage``: the sentences of each article that no curated quote comes from."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kg.cli import main
from kg.coverage import article_coverage, coverage, sentences
from kg.errors import InputError
from kg.project import Project


def run(project: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--project", str(project), *args])


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("One. Two? Three!", ["One.", "Two?", "Three!"]),
        # a closing quote or bracket stays with its sentence
        ("He called it “kidnapping”. Then he left.", ["He called it “kidnapping”.", "Then he left."]),
        ("(It was late.) They met.", ["(It was late.)", "They met."]),
        # abbreviations and initials do not end a sentence
        (
            "The U.S. side and Sen. Moreno came. J. Smith did not.",
            ["The U.S. side and Sen. Moreno came.", "J. Smith did not."],
        ),
        # a lower-case word after a full stop does not start one
        ("Trade fell 3.5 per cent. e.g. coffee.", ["Trade fell 3.5 per cent. e.g. coffee."]),
        # a sentence may start with a digit or an opening quote
        (
            "It ended. 810 were extradited. “We agree,” he said.",
            ["It ended.", "810 were extradited.", "“We agree,” he said."],
        ),
        ("  spaced   out.\tAgain.  ", ["spaced out.", "Again."]),
    ],
)
def test_sentences(paragraph: str, expected: list[str]) -> None:
    assert list(sentences(paragraph)) == expected


def test_a_sentence_is_quoted_when_any_quote_overlaps_it() -> None:
    text = "Headline\n\nAlice met Bob. They talked for hours. Nothing was agreed.\nBob left."
    cov = article_coverage("art:x", "x.txt", text, ["talked for", "agreed.\nBob"])
    assert [(s.line, s.text, s.quoted) for s in cov.sentences] == [
        (1, "Headline", 0),
        (3, "Alice met Bob.", 0),
        (3, "They talked for hours.", len("talked for")),
        (3, "Nothing was agreed.", len("agreed.")),
        (4, "Bob left.", len("Bob")),  # the quote runs on across the line break
    ]
    assert [s.text for s in cov.unquoted] == ["Headline", "Alice met Bob."]
    assert cov.unmatched == []


def test_a_quote_not_in_the_text_is_reported_as_unmatched() -> None:
    cov = article_coverage("art:x", "x.txt", "Alice met Bob.", ["Alice met Carol."])
    assert cov.unmatched == ["Alice met Carol."]
    assert [s.text for s in cov.unquoted] == ["Alice met Bob."]


def test_the_tiny_corpus_is_fully_quoted(tiny: Path) -> None:
    # t1: the headline (recorded as schema:headline) and two sentences, both quoted
    result = run(tiny, "--sources", str(tiny / "sources"), "coverage")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "art:t1 t1.txt: 3 of 3 sentences quoted, 0 unquoted (100% of the text's characters quoted)",
        "art:t2 t2.txt: 3 of 3 sentences quoted, 0 unquoted (88% of the text's characters quoted)",
    ]


def test_an_unread_sentence_is_listed_at_its_line(tiny: Path) -> None:
    # a sentence added to the text, and a quote that no longer matches its sentence
    replace(tiny / "sources" / "t2.txt", "breaking a promise.", "breaking a promise. They did not meet again.")
    replace(
        tiny / "data" / "articles" / "t1.ttl",
        "Arden said the talks were “useful”.",
        "Arden said the talks were useful.",
    )
    result = run(tiny, "--sources", str(tiny / "sources"), "coverage")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "  t1.txt:3: Arden said the talks were “useful”." in lines
    assert "  t2.txt:3: They did not meet again." in lines
    assert lines[0].startswith("art:t1 t1.txt: 2 of 3 sentences quoted, 1 unquoted")
    # one row per sentence in the other formats, with the article and the line
    csv = run(tiny, "--sources", str(tiny / "sources"), "coverage", "t2", "--format", "csv")
    assert csv.output.splitlines() == ["article,file,line,sentence", "art:t2,t2.txt,3,They did not meet again."]


def test_an_unknown_article_or_a_missing_text_is_a_clear_error(tiny: Path) -> None:
    unknown = run(tiny, "--sources", str(tiny / "sources"), "coverage", "t9")
    assert unknown.exit_code == 2
    assert unknown.output.startswith("no curated article t9 in data/articles")
    assert "Traceback" not in unknown.output
    (tiny / "empty").mkdir()
    missing = run(tiny, "--sources", str(tiny / "empty"), "coverage", "art:t1")
    assert missing.exit_code == 2
    assert "the text of art:t1 (t1.txt) is not in empty" in missing.output
    assert "hint: point kg at the texts with --sources" in missing.output


def test_coverage_of_the_five_articles(project: Project, texts: Path) -> None:
    results = {c.article.rsplit("/", 1)[-1]: c for c in coverage(Project.at(project.root, sources=texts))}
    assert sorted(results) == ["000", "001", "002", "003", "004"]
    # every quote of every article is found in its text, and most of each text is quoted
    assert all(not c.unmatched for c in results.values())
    assert all(c.share > 0.85 for c in results.values())
    # what is left in 003 is its dateline and a section heading, which state no fact
    assert [s.text for s in results["003"].unquoted] == [
        "Published 02/04/2026 11:20 | Edited 02/04/2026 11:47",
        "Drug trafficking at the center of the agenda",
    ]
    # only the articles asked for
    assert [c.file for c in coverage(Project.at(project.root, sources=texts), ["art:001"])] == [
        "001_fb9e2e396a99c2c9.txt"
    ]
    with pytest.raises(InputError):
        coverage(Project.at(project.root, sources=texts), ["007"])
