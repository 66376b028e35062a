r"""What a curator has not read yet: the sentences of each article that no quote comes from.

Curation is done quote by quote, so a sentence from which no evidence quote was taken is
a sentence whose facts, if it has any, are not in the graph. :func:`coverage` splits each
article's text (from the project's sources folder) into paragraphs, one per line, and
paragraphs into sentences, and matches every evidence quote of the article's curated
file against them (runs of whitespace may differ, as in :mod:`kg.check`). A sentence is
*quoted* when a quote overlaps it, *unquoted* otherwise; the article's headline, byline
and outlet, which the curated file records as metadata rather than quotes, count as
quoted. ``kg coverage`` prints the unquoted sentences at ``file:line``.

Sentences end at ``.``, ``?``, ``!`` or ``…`` (with any closing quote or bracket) before
a space and a capital, a digit or an opening quote, except after a known abbreviation
(``Mr.``, ``U.S.``...) or an initial. That is what news prose needs; it is not a
linguistic sentence splitter.

Examples
--------
>>> [s for s in sentences("Petro met Trump. The U.S. side was there. “Yes,” he said.")]
['Petro met Trump.', 'The U.S. side was there.', '“Yes,” he said.']
>>> text = "Petro met Trump on Tuesday. Thousands gathered.\nA third sentence.\nA fourth."
>>> cov = article_coverage("art:x", "x.txt", text, ["met Trump on Tuesday", "sentence. A"])
>>> [(s.line, s.text) for s in cov.unquoted]
[(1, 'Thousands gathered.')]
>>> cov.quoted_sentences, len(cov.sentences)
(3, 4)

"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import pandas as pd
import pyoxigraph as ox

from kg.errors import CurationError, InputError
from kg.files import read_bytes
from kg.load import parse_file
from kg.namespaces import KG, SCHEMA, curie
from kg.project import Project

__all__ = ["ArticleCoverage", "Sentence", "article_coverage", "coverage", "sentences", "unquoted_frame"]

#: Words that end with a full stop without ending a sentence.
ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "jr",
        "sr",
        "prof",
        "gen",
        "col",
        "lt",
        "sen",
        "rep",
        "gov",
        "pres",
        "u.s",
        "u.k",
        "u.n",
        "e.g",
        "i.e",
        "etc",
        "vs",
        "no",
        "approx",
        "dept",
    ]
)

_BOUNDARY = re.compile(r"(?<=[.?!…])[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9ÁÉÍÓÚÑ¿¡])")


@dataclass(frozen=True)
class Sentence:
    """One sentence of an article: its line in the text file, its text, how much is quoted."""

    line: int
    text: str
    quoted: int  # characters of the sentence inside some quote

    @property
    def share(self) -> float:
        """The share of the sentence's characters inside some quote (0 to 1)."""
        return self.quoted / len(self.text) if self.text else 1.0


@dataclass(frozen=True)
class ArticleCoverage:
    """The sentences of one article and which of them its quotes come from."""

    article: str
    file: str
    sentences: list[Sentence] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)  # quotes not found in the text

    @property
    def unquoted(self) -> list[Sentence]:
        """The sentences no quote overlaps, in reading order."""
        return [s for s in self.sentences if s.quoted == 0]

    @property
    def quoted_sentences(self) -> int:
        """How many sentences a quote overlaps."""
        return sum(1 for s in self.sentences if s.quoted)

    @property
    def share(self) -> float:
        """The share of the text's characters (in sentences) inside some quote."""
        total = sum(len(s.text) for s in self.sentences)
        return sum(s.quoted for s in self.sentences) / total if total else 1.0

    def summary(self) -> str:
        """One line: the article, its text, sentences quoted, share of characters."""
        n = len(self.sentences)
        return (
            f"{curie(self.article)} {self.file}: {self.quoted_sentences} of {n} sentences quoted, "
            f"{len(self.unquoted)} unquoted ({self.share:.0%} of the text's characters quoted)"
        )


def sentences(paragraph: str) -> Iterator[str]:
    """The sentences of one paragraph (whitespace runs made single spaces).

    >>> list(sentences("He said “no.” Then left. Sen. Moreno stayed!"))
    ['He said “no.”', 'Then left.', 'Sen. Moreno stayed!']
    """
    text = " ".join(paragraph.split())
    start = 0
    for match in _BOUNDARY.finditer(text):
        before = text[start : match.start()].rstrip('"”’)]')
        word = before.rsplit(" ", 1)[-1].rstrip(".").lower()
        if word in ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
            continue  # "U.S. side", "Sen. Moreno", "J. Smith": not an end
        yield text[start : match.start()] + match.group(0).rstrip()
        start = match.end()
    if text[start:].strip():
        yield text[start:]


def article_coverage(article: str, file: str, text: str, quotes: Iterable[str]) -> ArticleCoverage:
    """Which sentences of ``text`` the ``quotes`` come from.

    Each line of ``text`` is a paragraph. Quotes are matched, at every place they occur,
    in the text with its runs of whitespace (line breaks included) made single spaces, as
    :mod:`kg.check` matches them: a quote may run on into the next paragraph.
    """
    wanted = [" ".join(q.split()) for q in quotes]
    paragraphs = [(n, " ".join(p.split())) for n, p in enumerate(text.splitlines(), start=1)]
    paragraphs = [(n, p) for n, p in paragraphs if p]
    flat = " ".join(p for _, p in paragraphs)
    covered = [False] * len(flat)
    found: set[str] = set()
    for quote in wanted:
        at = flat.find(quote) if quote else -1
        while at >= 0:
            found.add(quote)
            covered[at : at + len(quote)] = [True] * len(quote)
            at = flat.find(quote, at + 1)
    result = ArticleCoverage(article, file)
    start = 0
    for number, paragraph in paragraphs:
        offset = 0
        for sentence in sentences(paragraph):
            at = paragraph.index(sentence, offset)
            offset = at + len(sentence)
            span = covered[start + at : start + offset]
            result.sentences.append(Sentence(number, sentence, sum(span)))
        start += len(paragraph) + 1
    result.unmatched.extend(sorted(set(wanted) - found - {""}))
    return result


def coverage(project: Project, articles: Iterable[str] | None = None) -> list[ArticleCoverage]:
    """The coverage of each curated article (or of those named) whose text is in the sources.

    ``articles`` are article ids (``000``, ``art:000``) or curated file names (``000.ttl``).

    Raises
    ------
    CurationError
        If a curated file does not parse.
    InputError
        If an article asked for is not curated, or its text is not in the sources folder.

    """
    chosen = {a.removeprefix("art:").removesuffix(".ttl") for a in articles} if articles else None
    results = []
    seen: set[str] = set()
    for path in project.article_files():
        curated = parse_file(path, project.display(path))
        triples = curated.triples
        if curated.problems:
            raise CurationError(curated.problems)
        store = ox.Store()
        store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
        for row in _articles(store):
            article, name = row["article"].value, row["file"].value
            local = curie(article).removeprefix("art:")
            if chosen is not None and local not in chosen and path.stem not in chosen:
                continue
            seen.update({local, path.stem})
            text_path = project.sources / name
            if not os.path.lexists(text_path):
                raise InputError(
                    f"{project.display(path)}: the text of {curie(article)} ({name}) is not in "
                    f"{project.display(project.sources)}",
                    expected="the article's text in the sources folder",
                    hint="point kg at the texts with --sources, KG_SOURCES or [tool.kg] sources",
                )
            text = read_bytes(text_path, what="the article's text").decode("utf-8", errors="replace")
            quotes = [q.value for q in _values(store, f"?e kg:inArticle <{article}> ; kg:quote ?v")]
            metadata = [m.value for m in _values(store, f"<{article}> {_METADATA} ?v")]
            cov = article_coverage(article, name, text, quotes + metadata)
            results.append(
                ArticleCoverage(article, name, cov.sentences, [q for q in cov.unmatched if q not in metadata])
            )
    missing = sorted((chosen or set()) - seen)
    if missing:
        raise InputError(
            f"no curated article {', '.join(missing)} in {project.display(project.articles)}",
            expected="an article id such as 000 or art:000, or a curated file name",
            hint="kg coverage with no argument lists every article",
        )
    return results


def unquoted_frame(results: Iterable[ArticleCoverage]) -> pd.DataFrame:
    """The unquoted sentences of every article, one row each: article, file, line, sentence.

    >>> cov = article_coverage("https://w3id.org/newskg/id/article/x", "x.txt", "One. Two.", ["One."])
    >>> unquoted_frame([cov])
      article   file  line sentence
    0   art:x  x.txt     1     Two.
    """
    rows = [
        {"article": curie(c.article), "file": c.file, "line": s.line, "sentence": s.text}
        for c in results
        for s in c.unquoted
    ]
    return pd.DataFrame(rows, columns=["article", "file", "line", "sentence"])


_METADATA = f"<{SCHEMA.headline}>|<{KG.byline}>|<{KG.outlet}>|<{KG.reportsFrom}>"


def _articles(store: ox.Store) -> list[dict[str, ox.NamedNode | ox.Literal]]:
    result = store.query(
        f"SELECT ?article ?file WHERE {{ ?article a <{KG.Article}> ; <{KG.sourceFile}> ?file }} ORDER BY ?article"
    )
    assert isinstance(result, ox.QuerySolutions)
    return [{"article": row["article"], "file": row["file"]} for row in result]


def _values(store: ox.Store, pattern: str) -> list[ox.Literal]:
    result = store.query(f"PREFIX kg: <{KG}> SELECT DISTINCT ?v WHERE {{ {pattern} }} ORDER BY ?v")
    assert isinstance(result, ox.QuerySolutions)
    return [row["v"] for row in result if isinstance(row["v"], ox.Literal)]
