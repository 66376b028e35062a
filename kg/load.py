"""Read curated Turtle files: their triples, and where each term is written.

Parsing is done by Oxigraph (compiled, about ten times faster than rdflib's parser),
and the triples stay Oxigraph terms. A file that fails to parse yields a
:class:`~kg.errors.Problem` with its line and column and no triples at all, never half
of them. Blank nodes are skolemised with labels derived from the file's content, so the
same bytes always give the same triples.

Where each term is written (:func:`scan_turtle`) is only computed for files that
have problems: it maps findings of later checks back to ``file:line:col``.

Examples
--------
>>> src = '''@prefix kg: <https://w3id.org/newskg/ns#> .
... @prefix ent: <https://w3id.org/newskg/id/> .
... ent:x a kg:Person ;
...     kg:alias "X" .
... '''
>>> f = parse_text(src, "x.ttl")
>>> len(f.triples), f.problems
(2, [])
>>> for u in scan_turtle(src).uses:
...     print(u.text, u.role, u.line, u.col)
ent:x subject 3 1
a predicate 3 7
kg:Person class 3 9
kg:alias predicate 4 5
>>> parse_text('ent:x a kg:Person .', "bad.ttl").problems[0].message
'Turtle syntax error: The prefix ent: has not been declared'

"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph

from kg.errors import InputError, Problem
from kg.files import ARTICLE_LIMIT, read_bytes
from kg.namespaces import BASE
from kg.project import Project
from kg.terms import to_rdflib

__all__ = [
    "Corpus",
    "CuratedFile",
    "TermUse",
    "TurtleIndex",
    "parse_file",
    "parse_text",
    "read_corpus",
    "read_file",
    "scan_turtle",
]

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
#: Where skolemised blank nodes live.
GENID = BASE + ".well-known/genid/"


@dataclass(frozen=True)
class TermUse:
    """One IRI as written in a file: its role, the subject it belongs to, its place."""

    iri: str
    text: str
    role: str  # "subject", "predicate", "class" (object of 'a') or "object"
    subject: str | None
    predicate: str | None
    line: int
    col: int


@dataclass
class TurtleIndex:
    """Where terms are written in one Turtle text."""

    prefixes: dict[str, str] = field(default_factory=dict)
    uses: list[TermUse] = field(default_factory=list)

    def subject_position(self, iri: str) -> tuple[int, int] | None:
        """Line and column where ``iri`` first starts a statement as subject."""
        for use in self.uses:
            if use.role == "subject" and use.iri == iri:
                return use.line, use.col
        return None

    def predicate_position(self, subject: str, predicate: str) -> tuple[int, int] | None:
        """Line and column of ``predicate`` written for ``subject``."""
        for use in self.uses:
            if use.role == "predicate" and use.subject == subject and use.iri == predicate:
                return use.line, use.col
        return None

    def position(self, subject: str, predicate: str | None = None) -> tuple[int, int]:
        """Best place to report a finding about ``subject`` (and ``predicate``): else 1:1."""
        if predicate is not None:
            found = self.predicate_position(subject, predicate)
            if found:
                return found
        return self.subject_position(subject) or (1, 1)


@dataclass
class CuratedFile:
    """One curated file: its text and digest, its triples (parsed on first use), its problems.

    ``problems`` holds what was found while reading: an encoding error at once, a syntax
    error once the file has been parsed (by :attr:`triples` or :meth:`load_into`).
    """

    path: Path
    display: str
    text: str
    digest: str
    problems: list[Problem] = field(default_factory=list)

    @cached_property
    def triples(self) -> list[ox.Triple]:
        """The file's triples as Oxigraph terms, blank nodes skolemised; [] if it does not parse."""
        if self.problems:
            return []
        try:
            triples = [q.triple for q in ox.parse(self.text.encode("utf-8"), format=ox.RdfFormat.TURTLE)]
        except SyntaxError as exc:
            self.problems.append(_syntax_problem(exc, self.display, self.text))
            return []
        if any(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in triples):
            triples = _skolemise(triples, self.digest)
        return triples

    @cached_property
    def index(self) -> TurtleIndex:
        """Where each term is written (computed on first use)."""
        return scan_turtle(self.text)

    def graph(self) -> Graph:
        """The triples as a fresh rdflib graph."""
        g = Graph()
        for t in self.triples:
            g.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
        return g

    def load_into(self, store: ox.Store, graph: ox.NamedNode) -> bool:
        """Load the file into ``graph`` of ``store`` with Oxigraph's own parser (no Python objects).

        The load is one transaction (measured faster than the bulk loader for many small
        files): a file that fails to parse adds nothing.

        Returns whether it loaded; a syntax error is recorded in :attr:`problems` and leaves
        the graph empty. Blank nodes keep Oxigraph's labels here: call :meth:`reload_skolemised`
        for a file that has some.
        """
        if self.problems:
            return False
        try:
            store.load(input=self.text.encode("utf-8"), format=ox.RdfFormat.TURTLE, to_graph=graph)
        except SyntaxError as exc:
            self.problems.append(_syntax_problem(exc, self.display, self.text))
            return False
        return True

    def reload_skolemised(self, store: ox.Store, graph: ox.NamedNode) -> None:
        """Replace ``graph`` with the file's triples, blank nodes skolemised deterministically."""
        store.remove_graph(graph)
        store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in self.triples)


def read_file(path: Path, display: str | None = None, *, limit: int | None = ARTICLE_LIMIT) -> CuratedFile:
    """Read one Turtle file without parsing it; an encoding problem is recorded, not raised.

    Only a regular file of at most ``limit`` bytes is read (:func:`kg.files.read_bytes`).

    Raises
    ------
    InputError
        If the file cannot be read: missing, unreadable, a folder, a FIFO, a device, a
        symbolic link loop, or larger than ``limit``.

    """
    name = display or str(path)
    data = read_bytes(path, limit=limit, what="a curated Turtle file", display=name)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        problem = Problem(
            name,
            line,
            col,
            "file is not valid UTF-8",
            expected="Turtle text encoded as UTF-8",
            hint="re-save the file as UTF-8",
            kind="syntax",
        )
        return CuratedFile(path, name, "", _digest(data), [problem])
    return CuratedFile(path, name, text, _digest(data))


def parse_file(path: Path, display: str | None = None, *, limit: int | None = ARTICLE_LIMIT) -> CuratedFile:
    """Read and parse one Turtle file; problems (encoding, syntax) are recorded, not raised.

    Raises
    ------
    InputError
        If the file cannot be read (see :func:`read_file`).

    """
    f = read_file(path, display, limit=limit)
    _ = f.triples
    return f


def parse_text(text: str, display: str, *, path: Path | None = None) -> CuratedFile:
    """Parse Turtle ``text``; ``display`` names it in problems.

    Blank nodes are skolemised into IRIs under ``/.well-known/genid/`` numbered in order of
    appearance and salted with the file's digest: the same bytes give the same triples.
    """
    f = CuratedFile(path or Path(display), display, text, _digest(text.encode("utf-8")))
    _ = f.triples
    return f


def _syntax_problem(exc: SyntaxError, display: str, text: str) -> Problem:
    line, col = _within(text, *_error_position(exc))
    message = re.sub(r"^Parser error (at|between) [^:]*: ", "", str(exc))
    message = re.sub(r" \(line \d+\)$", "", message)
    return Problem(
        display,
        line,
        col,
        f"Turtle syntax error: {message}",
        expected="valid Turtle 1.1 (RDF 1.1, no RDF-star)",
        hint="check the punctuation just before this point: each statement ends with '.', "
        "properties are separated by ';', objects by ','",
        kind="syntax",
    )


def _skolemise(triples: list[ox.Triple], digest: str) -> list[ox.Triple]:
    labels: dict[str, ox.NamedNode] = {}

    def iri(term: Any) -> Any:
        if not isinstance(term, ox.BlankNode):
            return term
        if term.value not in labels:
            labels[term.value] = ox.NamedNode(f"{GENID}{digest[:12]}n{len(labels)}")
        return labels[term.value]

    return [ox.Triple(iri(t.subject), t.predicate, iri(t.object)) for t in triples]


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _within(text: str, line: int, col: int) -> tuple[int, int]:
    r"""``line`` and ``col`` moved inside ``text``: a parser may point past a line's end (one past is kept).

    >>> _within("<\n\\a", 1, 3)
    (1, 2)
    """
    lines = text.split("\n")
    line = min(max(line, 1), len(lines))
    return line, min(max(col, 1), len(lines[line - 1]) + 1)


def _error_position(exc: SyntaxError) -> tuple[int, int]:
    if exc.lineno is not None:
        return exc.lineno, max(exc.offset or 1, 1)
    found = re.search(r"line (\d+)(?:.*?column (\d+))?", str(exc))
    if found:
        return int(found.group(1)), int(found.group(2) or 1)
    return 1, 1


# ---------------------------------------------------------------- where terms are written

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<iri><[^>\s]*>)
  | (?P<long>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*''')
  | (?P<string>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<lang>@[A-Za-z][A-Za-z0-9-]*)
  | (?P<dtype>\^\^)
  | (?P<punct>[;,\[\]()])
  | (?P<dot>\.(?=[\s#]|$))
  | (?P<name>[^\s;,()\[\]"'<>\#]+?(?=\.?(?:[\s;,()\[\]"'\#]|$)))
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


def scan_turtle(text: str) -> TurtleIndex:
    """Index where every IRI is written in a Turtle ``text``, with its role.

    A forgiving scanner, not a parser: it is used after parsing to point at lines.
    """
    index = TurtleIndex()
    expect = "subject"
    # one entry per open '[' or '(': (bracket, what to expect after it, enclosing subject)
    stack: list[tuple[str, str, str | None]] = []
    subject: str | None = None
    predicate: str | None = None
    directive: str | None = None
    pending_prefix: str | None = None
    skip_datatype = False
    line, line_start = 1, 0
    for m in _TOKEN.finditer(text):
        kind, value, start = m.lastgroup, m.group(), m.start()
        col, here = start - line_start + 1, line
        if "\n" in value:
            line += value.count("\n")
            line_start = start + value.rfind("\n") + 1
        if kind in ("ws", "comment", "other"):
            continue
        starts_directive = value.lower() in ("@prefix", "@base") or value.upper() in ("PREFIX", "BASE")
        if directive is None and expect == "subject" and not stack and starts_directive:
            directive = value.lower().lstrip("@")
            continue
        if directive is not None:
            if kind == "name" and directive == "prefix" and pending_prefix is None:
                pending_prefix = value.rstrip(":")
            elif kind == "iri":
                if directive == "prefix" and pending_prefix is not None:
                    index.prefixes[pending_prefix] = value[1:-1]
                directive, pending_prefix = None, None
            continue
        if kind in ("lang", "dtype"):
            skip_datatype = kind == "dtype"
            continue
        in_list = bool(stack) and stack[-1][0] == "("
        after_object = "object" if in_list else "after-object"
        if kind == "dot":
            expect, subject, predicate, stack = "subject", None, None, []
        elif kind == "punct":
            if value == ";":
                expect = "predicate"
            elif value == ",":
                expect = "object"
            elif value in "[(":
                after = "predicate" if expect == "subject" else after_object
                stack.append((value, after, subject))
                if value == "[":
                    subject, expect = None, "predicate"
                else:
                    expect = "object"
            elif stack:
                _, expect, subject = stack.pop()
        elif kind in ("string", "long"):
            expect = after_object
        elif skip_datatype:
            skip_datatype = False
        else:
            iri = _expand(value, kind, index.prefixes)
            if expect == "subject":
                subject, expect = iri, "predicate"
                if iri:
                    index.uses.append(TermUse(iri, value, "subject", subject, None, here, col))
            elif expect == "predicate":
                predicate, expect = (RDF_TYPE if value == "a" else iri), "object"
                if predicate:
                    index.uses.append(TermUse(predicate, value, "predicate", subject, None, here, col))
            else:
                if iri:
                    role = "class" if predicate == RDF_TYPE else "object"
                    index.uses.append(TermUse(iri, value, role, subject, predicate, here, col))
                expect = after_object
    return index


def _expand(value: str, kind: str | None, prefixes: dict[str, str]) -> str | None:
    if kind == "iri":
        return value[1:-1]
    if value == "a" or ":" not in value or value.startswith("_:"):
        return None
    prefix, _, local = value.partition(":")
    if prefix not in prefixes:
        return None
    return prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)


@dataclass
class Corpus:
    """Everything a project's curators write: the ontology, the registry and the articles."""

    ontology: CuratedFile
    registry: CuratedFile
    articles: list[CuratedFile]

    @property
    def files(self) -> list[CuratedFile]:
        """The ontology, the registry and every article, in that order."""
        return [self.ontology, self.registry, *self.articles]

    @property
    def problems(self) -> list[Problem]:
        """Problems found while reading (encoding and syntax)."""
        return [p for f in self.files for p in f.problems]


def read_corpus(project: Project) -> Corpus:
    """Read the ontology (parsed), the registry and every article file (parsed when loaded).

    Raises
    ------
    InputError
        If the ontology, the registry or the articles folder is missing.

    """
    for path, what in ((project.ontology, "the ontology"), (project.registry, "the registry")):
        if not os.path.lexists(path):
            raise InputError(
                f"missing {what}: {project.display(path)}",
                expected=f"{what} as a Turtle file",
                hint="run kg from the project root, or pass --project",
            )
    articles = project.article_files()
    return Corpus(
        ontology=parse_file(project.ontology, project.display(project.ontology), limit=None),
        registry=read_file(project.registry, project.display(project.registry), limit=None),
        articles=[read_file(p, project.display(p)) for p in articles],
    )
