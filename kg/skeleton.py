r"""The next article: its text placed, a curated-file skeleton, and the curator's checklist.

:func:`new_article` starts the curation of a new article from its text file:

1. the text is put into the project's sources folder, named ``<id>_<first 16 hex digits of
   its SHA-256>.txt``; the id is the next free three-digit number after the curated files
   unless one is given;
2. ``<articles>/<id>.ttl`` is written: the article node with what :mod:`kg.check` verifies
   (``kg:sourceFile``, ``kg:sourceSha256``, ``kg:sourceLength``) and what the head of the
   text says plainly — the headline (its first line), the date published (only from a line
   such as ``Written on 01/13/2026`` or ``Published 02/04/2026 11:20``, and only when the
   date cannot be read two ways), the byline (``By …``, or a name on the line after the
   date) — each with a comment saying where it came from; then commented guidance and
   examples for the evidence and the facts, in the ontology's terms. It passes
   ``kg check`` as it is;
3. the checklist: the registry's actors, places and posts whose label or aliases occur
   in the text, with the sentences they occur in (:func:`find_mentions`), and the names
   that look like actors but are not in the registry.

Nothing is half-written or overwritten: an existing curated file is refused, and so is
another file under the text's new name (the same text already there is used as it is); if
the skeleton cannot be written after the text was placed, the text is removed again. A text
some curated file already records (the same SHA-256: one article curated twice would count
as two) is named in a warning, in the checklist and at the top of the skeleton.

Names are matched as whole words, accents and typographic quotes folded (``Bogota``
matches ``Bogotá``), case-insensitively except names in capitals (``US`` is not ``us``);
where matches overlap, the longest wins (``Trump administration`` is the United States'
alias, not a mention of Trump). A name that looks like an actor is a run of capitalised
words (``Gulf Clan``, ``Ivan Cepeda``; ``of``/``de`` may join them) or an acronym, once
titles, nationalities, months, days and sentence-initial common words are taken off its
ends, and unless every word of it belongs to a registry name. It is a to-do list for a
person, not named-entity recognition.

Examples
--------
>>> registry = Registry.from_names({"ent:alice-arden": ("Alice Arden", ["Arden"])})
>>> found = find_mentions(registry, "Alice Arden met Ivan Cepeda.\nArden left. Then Ivan Cepeda spoke.")
>>> [(m.label, m.names, m.count, m.lines) for m in found.known]
[('Alice Arden', ('Alice Arden', 'Arden'), 2, (1, 2))]
>>> [(u.name, u.count, u.sentences) for u in found.unknown]
[('Ivan Cepeda', 2, ('Alice Arden met Ivan Cepeda.', 'Then Ivan Cepeda spoke.'))]

"""

from __future__ import annotations

import calendar
import datetime
import hashlib
import json
import os
import re
import textwrap
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from kg.check import collapse_spaces
from kg.coverage import sentences
from kg.errors import CurationError, InputError
from kg.files import ARTICLE_LIMIT, list_files, read_bytes, read_text, write_atomic
from kg.load import parse_file, read_file
from kg.namespaces import KG, PREFIXES, curie
from kg.project import Project

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CHECKLIST_FORMATS",
    "Mention",
    "Mentions",
    "NewArticle",
    "Registry",
    "UnknownName",
    "find_mentions",
    "new_article",
    "read_head",
    "render_checklist",
    "render_skeleton",
]

#: The formats :func:`render_checklist` writes.
CHECKLIST_FORMATS = ("table", "md", "json")

#: The prefixes a curated article file declares, in the seed files' order.
_FILE_PREFIXES = ("kg", "ent", "art", "ev", "fact", "rdfs", "xsd", "prov", "schema")

#: What an article id may be: it names the file (``005.ttl``) and the article (``art:005``).
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")

#: How many non-empty lines at the top of a text are its head (headline, date, byline).
_HEAD_LINES = 6


# ---------------------------------------------------------------- the results


@dataclass(frozen=True)
class Mention:
    """A registry entity named in a text: the names as the text writes them, and where.

    ``sentences`` are the sentences it occurs in (whitespace runs made single spaces) and
    ``lines`` their lines in the text, pairwise; ``count`` is how many times it occurs.
    """

    entity: str
    label: str
    kind: str
    names: tuple[str, ...]
    count: int
    sentences: tuple[str, ...]
    lines: tuple[int, ...]


@dataclass(frozen=True)
class UnknownName:
    """A name that looks like an actor's and is not in the registry: how often, and where."""

    name: str
    count: int
    sentences: tuple[str, ...]
    lines: tuple[int, ...]


@dataclass(frozen=True)
class Mentions:
    """What :func:`find_mentions` found: registry entities named, and names unknown to it."""

    known: list[Mention]
    unknown: list[UnknownName]

    def known_frame(self) -> pd.DataFrame:
        """One row per registry entity and sentence: entity, its label and class, names, count, line, sentence."""
        return _known_frame(self.known)

    def unknown_frame(self) -> pd.DataFrame:
        """One row per unknown name and sentence: name, count, line, sentence."""
        return _unknown_frame(self.unknown)


@dataclass(frozen=True)
class NewArticle:
    """A new article, started: its id, the files written, what its head says, its checklist.

    ``metadata`` holds ``headline``, ``published`` (an ISO date), ``modified`` and
    ``byline``, each None where the text's head does not say it plainly. ``same_text``
    names the curated files (as the project shows them) that already record this text's
    SHA-256, each with its article: the same article curated twice would count as two.
    """

    id: str
    source: Path
    curated: Path
    metadata: dict[str, str | None]
    known: list[Mention] = field(default_factory=list)
    unknown: list[UnknownName] = field(default_factory=list)
    same_text: dict[str, str] = field(default_factory=dict)

    def known_frame(self) -> pd.DataFrame:
        """The registry entities the text names, one row per entity and sentence (see :class:`Mentions`)."""
        return _known_frame(self.known)

    def unknown_frame(self) -> pd.DataFrame:
        """The names not in the registry, one row per name and sentence (see :class:`Mentions`)."""
        return _unknown_frame(self.unknown)


def _known_frame(known: Iterable[Mention]) -> pd.DataFrame:
    import pandas as pd

    columns = ["entity", "entity_label", "kind", "names", "count", "line", "sentence"]
    rows = [
        [curie(m.entity), m.label, m.kind, ", ".join(m.names), m.count, line, sentence]
        for m in known
        for line, sentence in zip(m.lines, m.sentences, strict=True)
    ]
    return pd.DataFrame(rows, columns=columns)


def _unknown_frame(unknown: Iterable[UnknownName]) -> pd.DataFrame:
    import pandas as pd

    rows = [
        [u.name, u.count, line, sentence] for u in unknown for line, sentence in zip(u.lines, u.sentences, strict=True)
    ]
    return pd.DataFrame(rows, columns=["name", "count", "line", "sentence"])


# ---------------------------------------------------------------- the registry's names


@dataclass(frozen=True)
class Registry:
    """The names of a registry's entities: ``entities`` maps an IRI to (label, class, aliases)."""

    entities: Mapping[str, tuple[str, str, tuple[str, ...]]]

    @classmethod
    def read(cls, path: Path, display: str | None = None) -> Registry:
        """The labelled entities of the registry file ``path`` (``data/entities.ttl``).

        Raises
        ------
        InputError
            If the file cannot be read.
        CurationError
            If it is not valid Turtle.

        """
        result = _read_store(path, display).query(
            f"""SELECT ?e ?label (SAMPLE(?c) AS ?class) (GROUP_CONCAT(?alias; separator="\\u0000") AS ?aliases)
            WHERE {{ ?e <{RDFS_LABEL}> ?label OPTIONAL {{ ?e a ?c FILTER (STRSTARTS(STR(?c), "{KG._NS}")) }}
                     OPTIONAL {{ ?e <{KG.alias}> ?alias }} }} GROUP BY ?e ?label"""
        )
        assert isinstance(result, ox.QuerySolutions)
        entities: dict[str, tuple[str, str, tuple[str, ...]]] = {}
        for row in result:
            entity, label, kind, aliases = row["e"], row["label"], row["class"], row["aliases"]
            if not isinstance(entity, ox.NamedNode) or not isinstance(label, ox.Literal):
                continue
            names = sorted({a for a in (aliases.value.split("\0") if aliases is not None else []) if a.strip()})
            entities[entity.value] = (label.value, curie(kind.value) if kind is not None else "", tuple(names))
        return cls(entities)

    @classmethod
    def from_names(cls, names: Mapping[str, tuple[str, Iterable[str]]], kind: str = "kg:Actor") -> Registry:
        """A registry from ``{iri or ent:id: (label, aliases)}``, for notebooks and examples."""
        return cls(
            {
                PREFIXES["ent"] + key.removeprefix("ent:"): (label, kind, tuple(aliases))
                for key, (label, aliases) in names.items()
            }
        )


RDFS_LABEL = PREFIXES["rdfs"] + "label"


def _read_store(path: Path, display: str | None = None) -> ox.Store:
    """The triples of the Turtle file ``path`` (a registry, the ontology: no size limit, as kg check reads them).

    Raises
    ------
    InputError
        If the file cannot be read.
    CurationError
        If it is not valid Turtle.

    """
    f = parse_file(path, display, limit=None)
    if f.problems:
        raise CurationError(f.problems)
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in f.triples)
    return store


def _registry_of(source: Registry | Project | Path | str) -> Registry:
    if isinstance(source, Registry):
        return source
    if isinstance(source, Project):
        return Registry.read(source.registry, source.display(source.registry))
    return Registry.read(Path(source))


# ---------------------------------------------------------------- folding and matching


_TYPOGRAPHIC = {"’": "'", "‘": "'", "ʼ": "'", "“": '"', "”": '"', "–": "-", "—": "-", "‐": "-", "‑": "-"}


def _fold(text: str) -> tuple[str, list[int]]:
    """``text`` without accents and typographic quotes or dashes, and each folded character's origin.

    >>> _fold("Bogotá’s")
    ("Bogota's", [0, 1, 2, 3, 4, 5, 6, 7])
    """
    out: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        plain = _TYPOGRAPHIC.get(ch) or "".join(
            c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)
        )
        out.append(plain)
        origin.extend([i] * len(plain))
    return "".join(out), origin


def _capitals(name: str) -> bool:
    """Whether ``name`` is written in capitals (``US``, ``U.S.``, ``ELN``): matched case-sensitively."""
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


@dataclass(frozen=True)
class _Matcher:
    """One pattern for every name of a registry, and the entities each folded name stands for."""

    pattern: re.Pattern[str]
    exact: dict[str, set[str]]  # names in capitals, as folded
    loose: dict[str, set[str]]  # other names, folded and casefolded
    words: frozenset[str]  # every word of every name, folded and casefolded
    countries: frozenset[str]  # the names of countries, folded and casefolded

    @classmethod
    def of(cls, registry: Registry) -> _Matcher:
        exact: dict[str, set[str]] = defaultdict(set)
        loose: dict[str, set[str]] = defaultdict(set)
        countries: set[str] = set()
        for iri, (label, kind, aliases) in registry.entities.items():
            for name in {label, *aliases}:
                folded = collapse_spaces(_fold(name)[0])
                if not folded:
                    continue
                if _capitals(folded):
                    exact[folded].add(iri)
                else:
                    loose[folded.casefold()].add(iri)
                if kind == "kg:Country":
                    countries.add(folded.casefold())
        alternatives = [(name, True) for name in exact] + [(name, False) for name in loose]
        alternatives.sort(key=lambda a: (-len(a[0]), a[0]))  # the longest name first: it wins where several start
        body = "|".join(re.escape(name) if not case else f"(?-i:{re.escape(name)})" for name, case in alternatives)
        pattern = re.compile(rf"(?<!\w)(?:{body or '(?!)'})(?!\w)", re.IGNORECASE)
        words = {w.strip(".,'").casefold() for name in [*exact, *loose] for w in name.split()}
        return cls(pattern, dict(exact), dict(loose), frozenset(words), frozenset(countries))

    def entities(self, folded: str) -> set[str]:
        """The entities the matched (folded) name stands for."""
        return self.exact.get(folded, set()) | self.loose.get(folded.casefold(), set())

    def find(self, sentence: str) -> list[tuple[int, int, str, set[str]]]:
        """Each match in ``sentence``: start, end (in the sentence), the name as written, its entities.

        A match inside a longer one (of another name) is dropped: the longest wins.
        """
        folded, origin = _fold(sentence)
        spans = []
        for start in range(len(folded)):  # every start, so that overlapping names are all seen
            if start and (folded[start - 1].isalnum() or folded[start - 1] == "_"):
                continue
            m = self.pattern.match(folded, start)
            if m is not None:
                spans.append((m.start(), m.end()))
        kept = [s for s in spans if not any(o != s and o[0] <= s[0] and s[1] <= o[1] for o in spans)]
        found = []
        for start, end in kept:
            first, last = origin[start], origin[end - 1] + 1
            found.append((first, last, sentence[first:last], self.entities(folded[start:end])))
        return found


# ---------------------------------------------------------------- names that look like actors


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_MONTHS = frozenset(m.casefold() for m in [*calendar.month_name[1:], *calendar.month_abbr[1:], "Sept"])
_DAYS = frozenset(d.casefold() for d in [*calendar.day_name, *calendar.day_abbr])
#: Words that may join the capitalised words of one name (``Tren de Aragua``, ``Department of Defense``).
_JOINERS = frozenset(["de", "del", "la", "las", "los", "da", "do", "dos", "das", "di", "du", "of", "the", "van", "von"])
#: Capitalised words that begin a sentence or a phrase without naming anyone.
_COMMON = _set(
    """a an the this that these those his her its their our my your we they he she it i
    in on at for from with to by as of and or but if when while after before during since
    until upon under over about according amid among between both each every all some many
    most several other another such no not yet so also however meanwhile then there here
    what who which where why how new last next first second third former latest
    today yesterday tomorrow tonight
    mr mrs ms dr prof
    credit credits image imagen photo foto caption"""
)
#: Titles and offices: taken off the ends of a name (``Senator Ivan Cepeda`` is ``Ivan Cepeda``).
_TITLES = _set(
    """president vice minister ministry secretary senator sen representative rep congressman
    congresswoman governor gov mayor general gen colonel col admiral commander chief director
    ambassador chancellor deputy foreign defense defence interior state prime former acting
    judge attorney officer spokesman spokeswoman spokesperson leader king queen pope
    sr jr lt sgt captain capt"""
)
#: Nationalities and regions: taken off the ends of a name (``Colombian President``).
_DEMONYMS = _set(
    """american colombian venezuelan cuban mexican brazilian ecuadorian peruvian panamanian
    chilean argentine argentinian bolivian spanish british european chinese russian iranian
    latin north south central western eastern northern southern"""
)
#: Capitals that are not names.
_NOT_ACRONYMS = frozenset(
    ["TV", "CEO", "GDP", "AM", "PM", "OK", "ID", "USD", "EST", "EDT", "UTC", "GMT", "PDF", "A", "I"]
)

_TOKEN = re.compile(r"[^\W\d_][\w'’.-]*")


@dataclass
class _Word:
    text: str
    start: int
    end: int
    closes: bool  # a possessive ('s) or a final full stop: the name ends here


def _words(sentence: str) -> Iterator[list[_Word]]:
    """Runs of capitalised words and acronyms of ``sentence``, joined by single spaces and joiners."""
    run: list[_Word] = []
    last_end = -1
    for m in _TOKEN.finditer(sentence):
        raw = m.group(0)
        closes = False
        token = raw
        for possessive in ("’s", "'s", "’", "'"):
            if token.endswith(possessive) and len(token) > len(possessive):
                token, closes = token[: -len(possessive)], True
                break
        if token.endswith(".") and not re.fullmatch(r"(?:[A-Z]\.){2,}", token):
            token, closes = token.rstrip("."), True
        token = token.strip("-'’")
        joined = last_end >= 0 and sentence[last_end : m.start()] == " "
        if run and not joined:
            yield run
            run = []
        word = _Word(token, m.start(), m.start() + len(token), closes)
        joiner = token in _JOINERS and (
            token != "the" or (run and run[-1].text == "of")
        )  # "of the", not "Yesterday the"
        if token and (token[0].isupper() or (run and joiner)):
            run.append(word)
        elif run:
            yield run
            run = []
        last_end = m.end()
        if closes and run:
            yield run
            run = []
    if run:
        yield run


def _is_acronym(word: str) -> bool:
    letters = word.replace(".", "")
    return 2 <= len(letters) <= 6 and letters.isalpha() and letters.isupper() and word not in _NOT_ACRONYMS


def _candidates(sentence: str, lowercase: set[str], matcher: _Matcher) -> Iterator[str]:
    """The names in ``sentence`` that look like actors and are not the registry's."""
    for run in _words(sentence):
        for part in _split(run, lambda w: w.text.casefold() in _MONTHS or w.text.casefold() in _DAYS):
            words = [w.text for w in part]
            at_start = part[0].start == 0 or not sentence[: part[0].start].strip("\"“‘'( ")

            def strip(word: str, first: bool, at_start: bool = at_start) -> bool:
                key = _fold(word)[0].casefold()
                return (
                    key in _JOINERS
                    or key in _COMMON
                    or key in _TITLES
                    or key in _DEMONYMS
                    or key in matcher.countries
                    or (first and at_start and key in lowercase)
                )

            first = True
            while words and strip(words[0], first):
                words.pop(0)
                first = False
            while words and strip(words[-1], False):
                words.pop()
            if not words:
                continue
            if len(words) == 1 and not _is_acronym(words[0]):
                continue  # one capitalised word: too often not a name
            name = " ".join(words)
            folded = _fold(name)[0]
            if matcher.entities(folded) or all(
                w.strip(".").casefold() in matcher.words for w in folded.split() if w.casefold() not in _JOINERS
            ):
                continue  # the registry's, or made of its names' words ("Juan Manuel")
            yield name


def _split(run: list[_Word], breaks: Callable[[_Word], bool]) -> Iterator[list[_Word]]:
    part: list[_Word] = []
    for word in run:
        if breaks(word):
            if part:
                yield part
            part = []
        else:
            part.append(word)
    if part:
        yield part


def _title_case(line: str) -> bool:
    """A headline written in title case: its capitalised words say nothing of names."""
    long = [w for w in _TOKEN.findall(line) if len(w.strip(".’'")) >= 4]
    return len(long) >= 4 and all(w[0].isupper() for w in long) and not line.rstrip().endswith(".")


# ---------------------------------------------------------------- find_mentions


def find_mentions(registry_or_project: Registry | Project | Path | str, text: str) -> Mentions:
    """The registry entities ``text`` names, and the names in it that look like actors but are not the registry's.

    Each line of ``text`` is a paragraph, split into sentences by :func:`kg.coverage.sentences`.

    Parameters
    ----------
    registry_or_project
        A :class:`Registry`, a :class:`~kg.project.Project` (its registry is read) or the
        path of a registry file.
    text
        Any text.

    Returns
    -------
    Mentions
        ``known``: one :class:`Mention` per entity named, most often named first;
        ``unknown``: one :class:`UnknownName` per name, most frequent first.

    Raises
    ------
    InputError
        If the registry file cannot be read.
    CurationError
        If it is not valid Turtle.

    Examples
    --------
    >>> reg = Registry.from_names({"colombia": ("Colombia", ["Bogotá"]), "united-states": ("United States", ["US"])})
    >>> found = find_mentions(reg, "Bogota and the US talk. Thus us. Bogotá's Gulf Clan and the DEA in February.")
    >>> [(m.label, m.names, m.count) for m in found.known]
    [('Colombia', ('Bogota', 'Bogotá'), 2), ('United States', ('US',), 1)]
    >>> [(u.name, u.count) for u in found.unknown]
    [('DEA', 1), ('Gulf Clan', 1)]

    """
    registry = _registry_of(registry_or_project)
    matcher = _Matcher.of(registry)
    text = text.removeprefix("\ufeff")
    lowercase = {_fold(w)[0].casefold() for w in _TOKEN.findall(text) if w.islower()}
    known: dict[str, dict[str, Any]] = defaultdict(lambda: {"names": set(), "count": 0, "at": {}})
    unknown: dict[str, dict[str, Any]] = {}
    for number, paragraph in enumerate(text.splitlines(), start=1):
        headline = _title_case(paragraph)
        for sentence in sentences(paragraph):
            for _start, _end, written, entities in matcher.find(sentence):
                for entity in entities:
                    entry = known[entity]
                    entry["names"].add(written)
                    entry["count"] += 1
                    entry["at"].setdefault((number, sentence), None)
            if headline:
                continue
            for name in _candidates(sentence, lowercase, matcher):
                key = _fold(name)[0].casefold()
                entry = unknown.setdefault(key, {"name": name, "count": 0, "at": {}})
                entry["count"] += 1
                entry["at"].setdefault((number, sentence), None)
    mentions = [
        Mention(
            iri,
            registry.entities[iri][0],
            registry.entities[iri][1],
            tuple(sorted(entry["names"])),
            entry["count"],
            tuple(s for _, s in entry["at"]),
            tuple(n for n, _ in entry["at"]),
        )
        for iri, entry in known.items()
    ]
    mentions.sort(key=lambda m: (-m.count, m.label, m.entity))
    names = [
        UnknownName(e["name"], e["count"], tuple(s for _, s in e["at"]), tuple(n for n, _ in e["at"]))
        for e in unknown.values()
    ]
    names.sort(key=lambda u: (-u.count, u.name))
    return Mentions(mentions, names)


# ---------------------------------------------------------------- the head of a text

_MONTH_NUMBER = (
    {m.casefold(): i for i, m in enumerate(calendar.month_name) if m}
    | {m.casefold(): i for i, m in enumerate(calendar.month_abbr) if m}
    | {"sept": 9}
)
_DATE = (
    r"(?P<date>\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2}|[A-Za-z]{3,9}\.? \d{1,2},? \d{4}|\d{1,2} [A-Za-z]{3,9}\.? \d{4})"
    r"(?:,? (?:at )?\d{1,2}:\d{2}(?: ?[AaPp]\.?[Mm]\.?)?(?: [A-Z]{2,4})?)?"
)
_PUBLISHED = re.compile(
    rf"(?:^|\|\s*)(?P<cue>Written on|Published(?: on)?|Posted(?: on)?|Dated?):?\s+{_DATE}\s*(?:\||$)"
)
_MODIFIED = re.compile(
    rf"(?:^|\|\s*)(?P<cue>Edited(?: on)?|Updated(?: on)?|Modified(?: on)?|Last updated(?: on)?):?\s+{_DATE}\s*(?:\||$)"
)
_BARE_DATE = re.compile(rf"{_DATE}")
_NAME_WORD = r"[^\W\d_][^\W\d_'’.-]*(?:['’-][^\W\d_]+)*\.?"
_NAME = rf"{_NAME_WORD}(?: (?:{_NAME_WORD}|de|da|del|van|von|dos|la))*"
_BY = re.compile(rf"^By:? (?P<name>{_NAME}(?:(?:, | and ){_NAME})*)(?: \|.*)?$")
_BYLINE = re.compile(rf"^(?P<name>{_NAME})$")


@dataclass(frozen=True)
class Head:
    """What the head of a text says: each value with a note of where it came from.

    ``notes`` maps ``headline``, ``published``, ``modified`` and ``byline`` to a short
    sentence for a Turtle comment, also for a value not found (why it was left out).
    """

    headline: str | None = None
    published: str | None = None
    modified: str | None = None
    byline: str | None = None
    notes: dict[str, str] = field(default_factory=dict)

    def metadata(self) -> dict[str, str | None]:
        """The values found, by name."""
        return {
            "headline": self.headline,
            "published": self.published,
            "modified": self.modified,
            "byline": self.byline,
        }


def _read_date(text: str) -> tuple[datetime.date | None, str]:
    """The day ``text`` names, or None, and how it was read (or why it was not)."""
    numeric = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    try:
        if numeric:
            a, b, year = (int(x) for x in numeric.groups())
            if a > 12 >= b:
                return datetime.date(year, b, a), "read as day/month/year (the first number is above 12)"
            if b > 12 >= a or a == b:
                return datetime.date(year, a, b), "read as month/day/year" + (
                    " (the second number is above 12)" if a != b else ""
                )
            return None, (
                f"it can be read two ways: {datetime.date(year, a, b):%d %B %Y} (month/day) "
                f"or {datetime.date(year, b, a):%d %B %Y} (day/month)"
            )
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return datetime.date.fromisoformat(text), "an ISO date"
        words = re.fullmatch(r"([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})", text) or re.fullmatch(
            r"(\d{1,2}) ([A-Za-z]{3,9})\.? (\d{4})", text
        )
        if words:
            month_word, day = (words[1], words[2]) if words[1].isalpha() else (words[2], words[1])
            month = _MONTH_NUMBER.get(month_word.casefold())
            if month is None:
                return None, f"{month_word!r} is not a month"
            return datetime.date(int(words[3]), month, int(day)), "the month written in words"
    except ValueError:
        return None, "it is not a day of the calendar"
    return None, "not a date kg reads"


def read_head(text: str) -> Head:
    r"""The headline, dates and byline the first lines of an article's text give plainly.

    The headline is the first non-empty line, unless it is a date line or reads like a
    paragraph (longer than 30 words, or ending with a full stop), or a byline. A date is read
    only from a line that says what it is (``Written on``, ``Published:``, ``Posted``,
    ``Edited``, ``Updated``…) and only when it cannot be read two ways (``02/04/2026`` is
    4 February or 2 April: left out, the note says so); a line holding only a date, which
    does not say what it is, is left out too, and the note points at it. The byline is a
    ``By …`` line (up to a ``|``) or a line holding only a name next to the publication
    date's line.

    Examples
    --------
    >>> head = read_head("Talks in Capital City\n\nWritten on 03/13/2026\nAnn Lee\n\nArden met Brook.")
    >>> head.headline, head.published, head.byline
    ('Talks in Capital City', '2026-03-13', 'Ann Lee')
    >>> head.notes["published"]
    "line 3, 'Written on 03/13/2026': read as month/day/year (the second number is above 12)"
    >>> read_head("Published 02/04/2026 11:20\nPetro met Trump.").published is None
    True

    """
    lines = [(n, collapse_spaces(line)) for n, line in enumerate(text.removeprefix("\ufeff").splitlines(), start=1)]
    head = [(n, line) for n, line in lines if line][:_HEAD_LINES]
    values: dict[str, str | None] = {"headline": None, "published": None, "modified": None, "byline": None}
    notes: dict[str, str] = {}
    date_line = None
    for n, line in head:
        for key, pattern in (("published", _PUBLISHED), ("modified", _MODIFIED)):
            m = pattern.search(line)
            if m is None or key in notes:
                continue
            day, how = _read_date(m["date"])
            values[key] = day.isoformat() if day else None
            notes[key] = f"{_where(n, line)}: {how}"
            if key == "published":
                date_line = n
    if head:
        n, first = head[0]
        if _PUBLISHED.search(first) or _MODIFIED.search(first):
            notes["headline"] = f"none: the first line (line {n}) is a date line"
        elif _BY.match(first):
            notes["headline"] = f"none: the first line (line {n}) is a byline"
        elif len(first.split()) > 30 or first.endswith("."):
            notes["headline"] = f"none: the first line (line {n}) reads like a paragraph, not a headline"
        else:
            values["headline"] = first
            notes["headline"] = f"line {n}, the text's first line"
    for i, (n, line) in enumerate(head):
        by = _BY.match(line)
        beside = date_line is not None and abs(n - date_line) == 1 and i > 0 and len(line) <= 60
        plain = _BYLINE.match(line) if beside else None
        if by:
            values["byline"], notes["byline"] = by["name"], f"line {n}, the 'By …' line"
            break
        if plain and len(line.split()) >= 2 and not _PUBLISHED.search(line):
            values["byline"], notes["byline"] = plain["name"], f"line {n}, the name beside the date line"
            break
    bare = next(((n, line) for n, line in head if "published" not in notes and _BARE_DATE.fullmatch(line)), None)
    if bare is not None:
        notes["published"] = (
            f"none: {_where(*bare)}, is a date, but does not say it is the date published: if it is, write it here"
        )
    notes.setdefault("published", "none: no line of the head says when the article was published")
    notes.setdefault("byline", "none: no 'By …' line, nor a name beside the date line")
    return Head(values["headline"], values["published"], values["modified"], values["byline"], notes)


def _where(number: int, line: str) -> str:
    """A line of the text as a note names it: its number, and its text (up to 60 characters)."""
    return f"line {number}, {line if len(line) <= 60 else line[:57] + '...'!r}"


# ---------------------------------------------------------------- the skeleton


def _literal(value: str) -> str:
    """A Turtle string literal (N-Triples escaping, which Turtle reads)."""
    return str(ox.Literal(value))


def _comment(text: str, width: int = 100, indent: str = "") -> list[str]:
    wrapped = textwrap.wrap(
        collapse_spaces(text), width - len(indent) - 2, break_on_hyphens=False, break_long_words=False
    )
    return [f"{indent}# {line}" for line in wrapped] or [f"{indent}#"]


def _vocabulary(ontology: Path, display: str) -> dict[str, list[str]]:
    """The controlled terms of the ontology a curator writes, by class (event types, modes...)."""
    classes = ("EventType", "Mode", "Modality", "Precision", "Qualifier", "RelationType", "Topic")
    values = " ".join(f"<{KG._NS}{c}>" for c in classes)
    result = _read_store(ontology, display).query(
        f"SELECT ?class ?term WHERE {{ VALUES ?class {{ {values} }} ?term a ?class }}"
    )
    assert isinstance(result, ox.QuerySolutions)
    terms: dict[str, list[str]] = defaultdict(list)
    for row in result:
        terms[curie(row["class"].value)].append(curie(row["term"].value))
    return {k: sorted(v) for k, v in sorted(terms.items())}


def render_skeleton(
    article_id: str,
    source_name: str,
    data: bytes,
    head: Head,
    mentions: Mentions,
    vocabulary: Mapping[str, list[str]] | None = None,
    *,
    same_text: Mapping[str, str] | None = None,
) -> str:
    r"""The curated-file skeleton of a new article: its node, then commented guidance.

    ``data`` is the text's bytes (for its digest and length); ``vocabulary`` the
    ontology's controlled terms by class, listed in the guidance when given; ``same_text``
    the curated files that already record the text, with their articles (a warning).

    Examples
    --------
    >>> text = "Talks\nArden met Brook."
    >>> skeleton = render_skeleton("t3", "t3_x.txt", text.encode(), read_head(text), Mentions([], []))
    >>> print(chr(10).join(skeleton.splitlines()[13:19]))
    art:t3 a kg:Article ;
        # schema:headline: line 1, the text's first line
        schema:headline "Talks" ;
        kg:sourceFile "t3_x.txt" ;
        kg:sourceSha256 "02bb8edc713757477a2825e46fdc1dbe7f3aa8fae0d61ad346f674d17e8693bd" ;
        kg:sourceLength 22 .

    """
    digest = hashlib.sha256(data).hexdigest()
    title = head.headline or "(no headline in the text)"
    lines = [f"# Article {article_id}: {collapse_spaces(title)} — curated facts."]
    lines += _comment(
        f"A skeleton written by kg new from the text {source_name}: the article node is filled in from the "
        "text's head; add the evidence and the facts below, then run kg check and kg coverage."
    )
    for file, article in (same_text or {}).items():
        lines += _comment(f"Warning: {_already(file, article)}.")
    width = max(len(p) for p in _FILE_PREFIXES) + 1
    lines += [f"@prefix {(p + ':').ljust(width)} <{PREFIXES[p]}> ." for p in _FILE_PREFIXES]
    lines.append("")
    values = head.metadata()

    def said(key: str, prop: str, term: Callable[[str], str]) -> list[str]:
        """The note on where the value of ``key`` came from (or why there is none), then its triple."""
        if key not in head.notes:
            return []
        note = f"# {prop}: {head.notes[key]}"
        value = values[key]
        return [note] if value is None else [note, f"{prop} {term(value)}"]

    def day(value: str) -> str:
        return f'"{value}"^^xsd:date'

    body = [
        *said("headline", "schema:headline", _literal),
        f"kg:sourceFile {_literal(source_name)}",
        f'kg:sourceSha256 "{digest}"',
        f"kg:sourceLength {len(data)}",
        *said("published", "schema:datePublished", day),
        *said("modified", "schema:dateModified", day),
        *said("byline", "kg:byline", _literal),
    ]
    last = max(i for i, part in enumerate(body) if not part.startswith("#"))
    lines.append(f"art:{article_id} a kg:Article ;")
    lines += [
        f"    {part}" if part.startswith("#") else f"    {part} {'.' if i == last else ';'}"
        for i, part in enumerate(body)
    ]
    lines += _guidance(article_id, mentions, vocabulary or {})
    return "\n".join(lines) + "\n"


def _guidance(article_id: str, mentions: Mentions, vocabulary: Mapping[str, list[str]]) -> list[str]:
    """The commented sections of the skeleton: what the text names, evidence, facts, the terms."""
    actors = [m for m in mentions.known if m.kind in ("kg:Person", "kg:Organisation", "kg:Group", "kg:Country")]
    first = curie(actors[0].entity) if actors else "ent:someone"
    second = curie(actors[1].entity) if len(actors) > 1 else "ent:someone-else"
    lines = ["", "# " + "-" * 64 + " what the text names (kg new's checklist)"]
    if mentions.known:
        named = ", ".join(f"{curie(m.entity)} ({m.count})" for m in mentions.known)
        lines += _comment(f"In the registry: {named}.")
    else:
        lines += _comment("No registry entity is named in the text.")
    if mentions.unknown:
        names = ", ".join(f"{u.name} ({u.count})" for u in mentions.unknown)
        lines += _comment(
            f"Not in the registry: {names}. Add the actors among them to data/entities.ttl (a label, the "
            "aliases the text uses) before citing them here."
        )
    lines += ["", "# " + "-" * 64 + " evidence"]
    lines += _comment(
        "One node per quote: a span copied from the text, at most 25 words, never retyped (kg check finds "
        "it verbatim in the text). Number them in reading order."
    )
    lines += [
        "#",
        f"# ev:{article_id}-01 a kg:Evidence ;",
        '#     kg:quote "…a span copied from the text…" ;',
        f"#     kg:inArticle art:{article_id} .",
        "#",
        '# Where the text attributes the words ("according to EFE"), say so:',
        '#     kg:attribution "according to EFE" ; kg:attributedTo ent:efe ;',
        "",
        "# " + "-" * 64 + " facts",
    ]
    lines += _comment(
        "Every fact is a node that cites its evidence (prov:wasDerivedFrom) and has one kg:modality "
        "(kg:Actual, kg:Planned, kg:Hypothetical, kg:Negated). Actors, places and posts are registry ids (ent:…). "
        "A fact another article reports too is one node: reuse its id (kg query facts-in-several-articles) with "
        "the same class, label, type and mode; its date, participants, place and modality are this article's own."
    )
    lines += [
        "#",
        "# An event (a PLOVER type, and a mode where one fits); a date with its precision and its wording:",
        f"# fact:{article_id}-meeting a kg:Event ;",
        '#     rdfs:label "… meets …" ;',
        "#     kg:eventType kg:CONSULT ; kg:mode kg:meeting ;",
        f"#     kg:actor {first} ; kg:target {second} ;",
        '#     kg:date "2026-02-03"^^xsd:date ; kg:datePrecision kg:Day ; kg:dateText "this Tuesday (3)" ;',
        "#     kg:topic kg:diplomacy ; kg:modality kg:Actual ;",
        f"#     prov:wasDerivedFrom ev:{article_id}-01 .",
        "#",
        "# A lasting stance or tie:",
        f"# fact:{article_id}-opposition a kg:Relation ;",
        '#     rdfs:label "… opposes …" ;',
        f"#     kg:relationType kg:opposition ; kg:subject {first} ; kg:object {second} ;",
        f"#     kg:modality kg:Actual ; prov:wasDerivedFrom ev:{article_id}-02 .",
        "#",
        "# Someone holding a post; a figure; a stated position:",
        f'# fact:{article_id}-tenure a kg:Tenure ; rdfs:label "… is …" ; kg:holder ent:… ; kg:post ent:… ;',
        f"#     kg:modality kg:Actual ; prov:wasDerivedFrom ev:{article_id}-03 .",
        f'# fact:{article_id}-figure a kg:Measurement ; rdfs:label "…" ; kg:value 810.0 ; kg:unit "extraditions" ;',
        '#     kg:measures "…" ; kg:valueQualifier kg:Exact ; kg:about ent:… ; kg:modality kg:Actual ;',
        f"#     prov:wasDerivedFrom ev:{article_id}-04 .",
        f'# fact:{article_id}-position a kg:Position ; rdfs:label "…" ; kg:holder {first} ; kg:stance "…" ;',
        f"#     kg:topic kg:drugs ; kg:modality kg:Actual ; prov:wasDerivedFrom ev:{article_id}-05 .",
        "#",
        "# Claims the article attributes rather than makes: kg:claimedBy ent:…;",
        "# a date known only by a bound: kg:earliestDate / kg:latestDate;",
        "# two facts that cannot both hold: kg:contradicts; a reading chosen: kg:note.",
    ]
    if vocabulary:
        lines += ["", "# " + "-" * 64 + " the ontology's terms (ontology.ttl)"]
        for kind, terms in vocabulary.items():
            lines += _comment(f"{kind}: {' '.join(terms)}")
    return lines


# ---------------------------------------------------------------- new_article


def _article_files(project: Project) -> list[Path]:
    """The curated files, none when there is no articles folder yet."""
    if not os.path.isdir(project.articles):
        return []
    return list_files(project.articles, "*.ttl", what="a folder of curated Turtle files, one per article")


def _next_id(project: Project) -> str:
    """The next free three-digit id after the curated files named by number (``000`` if none)."""
    numbers = [int(p.stem) for p in _article_files(project) if p.stem.isdigit()]
    return f"{max(numbers) + 1:03d}" if numbers else "000"


def _curated_with(project: Project, digest: str) -> dict[str, str]:
    """The curated files that record ``digest`` as their text's SHA-256, each with its article (prefixed)."""
    found = {}
    recorded = ox.Literal(digest)
    for path in _article_files(project):
        f = read_file(path, project.display(path))
        if digest not in f.text:  # most files: not parsed at all
            continue
        for t in f.triples:
            if (
                t.predicate.value == str(KG.sourceSha256)
                and t.object == recorded
                and isinstance(t.subject, ox.NamedNode)
            ):
                found[f.display] = curie(t.subject.value)
    return dict(sorted(found.items()))


def new_article(project: Project, text_path: Path | str, *, article_id: str | None = None) -> NewArticle:
    r"""Start the curation of a new article: place its text, write its skeleton, find what it names.

    Parameters
    ----------
    project
        The project: the text goes into ``project.sources``, the skeleton into ``project.articles``.
    text_path
        The article's text, UTF-8, at most :data:`kg.files.ARTICLE_LIMIT` bytes.
    article_id
        The new article's id (``art:ID``, ``ID.ttl``); by default the next free three-digit
        number after the curated files.

    Returns
    -------
    NewArticle
        The id, the two paths written, the metadata read from the text's head, and the
        checklist (:func:`find_mentions`).

    Raises
    ------
    InputError
        If the text is missing, unreadable, not UTF-8, empty or too large; if the id is not
        a valid id; if the curated file already exists, or another text has the text's new
        name (nothing is written then); or if writing fails (then nothing is left behind).
    CurationError
        If the registry or the ontology is not valid Turtle.

    Notes
    -----
    A text already in the sources folder under the name it would be given, with the same
    bytes, is used as it is (and left there whatever happens). A text some curated file
    already records (the same SHA-256) is started all the same, and named in ``same_text``:
    the checklist and the skeleton warn of it, since one article curated twice would count
    as two articles.

    Examples
    --------
    >>> import shutil, tempfile, pathlib
    >>> from kg.build import EXAMPLE
    >>> root = pathlib.Path(tempfile.mkdtemp()) / "tiny"
    >>> _ = shutil.copytree(EXAMPLE, root)
    >>> onto = (EXAMPLE / "../../../ontology.ttl").resolve()
    >>> _ = (root / "pyproject.toml").write_text(f'[tool.kg]\nontology = "{onto}"\nsources = "sources"\n')
    >>> text = root / "draft.txt"
    >>> _ = text.write_text("Brook visits Capital City\n\nBob Brook met the Gulf Clan in Capital City.\n")
    >>> new = new_article(Project.at(root, sources=root / "sources"), text)
    >>> new.id, new.source.name, new.curated.name, new.metadata["headline"]
    ('000', '000_0b418dff7e3f49fd.txt', '000.ttl', 'Brook visits Capital City')

    """
    shown = str(text_path)
    text = read_text(text_path, limit=ARTICLE_LIMIT, what="an article's text (UTF-8)", display=shown)
    if not text.strip():
        raise InputError(
            f"{shown}: the text is empty",
            expected="an article's text: its headline, then its paragraphs",
            hint="is this the file meant? save the article's text into it first",
        )
    data = text.encode("utf-8")
    digest = hashlib.sha256(data).hexdigest()
    chosen = article_id if article_id is not None else _next_id(project)
    if not _ID.fullmatch(chosen):
        raise InputError(
            f"{chosen!r} is not an article id",
            expected="letters, digits, '-' and '_', starting with a letter or digit (005, el-tiempo-01)",
            hint="pass --id with such a name, or leave it out for the next free number",
        )
    curated = project.articles / f"{chosen}.ttl"
    source = project.sources / f"{chosen}_{digest[:16]}.txt"
    if os.path.lexists(curated):
        raise InputError(
            f"{project.display(curated)}: the article's curated file already exists",
            expected="a new article id: kg new never overwrites a curated file or a text",
            hint=f"pass another --id (the next free is {_next_id(project)}), or curate the existing file",
        )
    placed = not os.path.lexists(source)  # the same text already there under its name is used as it is
    if not placed and read_bytes(source, limit=ARTICLE_LIMIT, display=project.display(source)) != data:
        raise InputError(
            f"{project.display(source)}: another text already has the new text's name",
            expected="a new article id: kg new never overwrites a curated file or a text",
            hint="pass another --id, or move that file away if it is no article's text",
        )
    head = read_head(text)
    mentions = find_mentions(project, text)
    same_text = _curated_with(project, digest)
    vocabulary = _vocabulary(project.ontology, project.display(project.ontology))
    skeleton = render_skeleton(chosen, source.name, data, head, mentions, vocabulary, same_text=same_text)
    if placed:
        write_atomic(source, data)
    try:
        write_atomic(curated, skeleton.encode("utf-8"))
    except BaseException:
        if placed:
            source.unlink(missing_ok=True)
        raise
    return NewArticle(chosen, source, curated, head.metadata(), mentions.known, mentions.unknown, same_text)


# ---------------------------------------------------------------- the checklist


def render_checklist(
    new: NewArticle, fmt: str = "table", *, width: int | None = None, display: Callable[[Path], str] = str
) -> str:
    """What ``kg new`` prints: the files written, the head's values, and the checklist.

    ``table`` and ``md`` draw the registry entities and the unknown names as tables
    (:mod:`kg.tables`), an entity's columns said once for its first sentence; ``json`` is
    one object with every value. ``display`` names the paths (relative to the project).

    Raises
    ------
    ValueError
        For a format not in :data:`CHECKLIST_FORMATS`.

    """
    if fmt not in CHECKLIST_FORMATS:
        raise ValueError(f"unknown checklist format {fmt!r}")
    known, unknown = new.known_frame(), new.unknown_frame()
    if fmt == "json":
        document = {
            "id": new.id,
            "source": display(new.source),
            "curated": display(new.curated),
            "metadata": new.metadata,
            "same_text": new.same_text,
            "known": json.loads(known.to_json(orient="records", force_ascii=False)),
            "unknown": json.loads(unknown.to_json(orient="records", force_ascii=False)),
        }
        return json.dumps(document, ensure_ascii=False, indent=1)
    from kg.tables import render

    lines = [f"wrote {display(new.source)}", f"wrote {display(new.curated)}"]
    lines += [
        f"warning: {_already(file, article)}: if it is the same article, curate that file and remove "
        f"{display(new.curated)} and {display(new.source)}"
        for file, article in new.same_text.items()
    ]
    lines += [
        f"{key}: {value if value is not None else '(not in the text’s head)'}" for key, value in new.metadata.items()
    ]
    entities = len(new.known)
    lines += ["", f"registry entities named in the text: {entities}" + (" (cite them by id)" if entities else "")]
    if entities:
        lines.append(render(_grouped(known, ["entity", "entity_label", "kind", "names", "count"]), fmt, width=width))
    names = len(new.unknown)
    lines += [
        "",
        f"names not in the registry: {names}" + (" (add the actors among them to the registry)" if names else ""),
    ]
    if names:
        lines.append(render(_grouped(unknown, ["name", "count"]), fmt, width=width))
    lines += ["", f"next: curate {display(new.curated)}, then kg check and kg coverage {new.id}"]
    return "\n".join(lines)


def _already(file: str, article: str) -> str:
    return f"{file} already records this text ({article})"


def _grouped(frame: pd.DataFrame, said_once: list[str]) -> pd.DataFrame:
    """``frame`` with the columns ``said_once`` emptied where they repeat the row above (one group per entity)."""
    shown = frame.astype(object)
    key = said_once[0]
    repeated = shown[key].eq(shown[key].shift())
    for column in said_once:
        shown.loc[repeated, column] = None
    return shown
