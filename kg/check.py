"""Check a curated corpus and report every problem at once, each at its ``file:line:col``.

Every parsed file is put in its own named graph of an Oxigraph store (the ontology
included); the checks are SPARQL queries over that store, so they stay fast on a
corpus of millions of triples. Only the files with findings are scanned for the
line and column of each finding. What is checked:

1. **syntax** — each file parses as Turtle (reported by :mod:`kg.load`);
2. **terms** — every class and property is declared in the ontology (with did-you-mean);
3. **ids** — every id used (``ent:…``, ``fact:…``, ``ev:…``, ``art:…``) is defined
   somewhere, and each file types the nodes it describes, so that it stands alone;
4. **shacl** — the SHACL shapes of ``ontology.ttl`` (:mod:`kg.shapes`), per file;
5. **conflict** — a fact stated in several files has the same defining properties (its
   label, type, mode...) in all of them; its claim properties (``kg:ClaimProperty``:
   modality, date, participants...) are each article's own and may differ;
6. **article** — each article file describes one article, and its evidence and the
   facts it states cite that article's quotes only (so that every statement in the
   file is the article's claim);
7. **quote** — each article's text, read from the project's sources folder, has the
   SHA-256 digest and length the curated file records, and every evidence quote occurs
   in it verbatim (whitespace runs may differ). Where a text is not there, its quotes go
   unverified: the result lists those articles (:attr:`CheckedCorpus.unverified`) and
   :func:`check_project` warns once;
8. **dates** — nothing ends before it starts, and a fact's date and bounds
   (``kg:earliestDate``, ``kg:latestDate``) leave at least one day it can have happened on.

Examples
--------
>>> from kg.load import parse_text
>>> from kg.build import EXAMPLE
>>> onto = parse_text((EXAMPLE / "../../../ontology.ttl").read_text(), "ontology.ttl")
>>> reg = parse_text(PREFIXES_TINY + 'ent:x a kg:Persn ; rdfs:label "X" .', "data/entities.ttl")
>>> for p in check_corpus(Corpus(onto, reg, []), EXAMPLE):
...     print(p)
data/entities.ttl:4:9: unknown class 'kg:Persn'
    expected: a class declared in ontology.ttl
    hint: did you mean 'kg:Person'?

"""

from __future__ import annotations

import datetime
import difflib
import hashlib
import json
import os
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pyoxigraph as ox
from rdflib import RDF, Literal, URIRef
from rdflib.namespace import OWL, RDFS, SH

from kg.dates import interval, precision_name
from kg.errors import CurationError, Problem, UnverifiedWarning
from kg.files import read_bytes, write_atomic
from kg.load import Corpus, CuratedFile, TermUse, read_corpus
from kg.namespaces import BASE, KG, PREFIXES, SCHEMA, curie
from kg.project import Project
from kg.shapes import Constraint, compile_shapes, run_constraints

__all__ = [
    "CheckedCorpus",
    "Vocabulary",
    "check_corpus",
    "check_project",
    "file_graph",
    "read_vocabulary",
    "unverified_message",
]

ID_SPACE = BASE + "id/"
FILE_GRAPH = "urn:kg:file:"
PREFIXES_TINY = (
    "@prefix kg: <https://w3id.org/newskg/ns#> .\n@prefix ent: <https://w3id.org/newskg/id/> .\n"
    "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
)

#: Hints for a value that does not match its shape's pattern, by property.
_PATTERN_HINTS = {
    str(KG.quote): "shorten the quote to at most 25 words",
    str(KG.sourceSha256): "a digest is 64 lowercase hex digits (sha256sum FILE)",
    str(SCHEMA.url): "write the address as an IRI, <https://…>, with no spaces",
}


def _hint(component: str, path: str) -> str:
    """What to do about a value that breaks a shape's ``component`` on the property ``path``."""
    if component == "Pattern" and path in _PATTERN_HINTS:
        return _PATTERN_HINTS[path]
    return _HINTS.get(component, "see the shape in ontology.ttl")


_HINTS = {
    "MinCount": "add the missing property",
    "MaxCount": "remove the values too many (the message says how many are allowed); if the article itself "
    "gives two, make two facts linked by kg:contradicts",
    "Class": "use an id of the right class, defined in the registry or an article",
    "Datatype": 'write the literal with its datatype, e.g. "2026-02-03"^^xsd:date',
    "Pattern": "write the value in the form the message gives (the shape's sh:pattern in ontology.ttl)",
    "Or": "use an id of one of the allowed classes",
}


@dataclass(frozen=True)
class Vocabulary:
    """What the ontology allows curators to write, and its compiled shapes.

    ``functional`` are the properties a shape allows once per node; ``claims`` the
    claim properties (``kg:ClaimProperty``), whose values are each article's own;
    ``compared`` those of them on which articles are compared (``kg:ComparedProperty``).
    """

    classes: frozenset[str]
    properties: frozenset[str]
    terms: frozenset[str]
    functional: frozenset[str]
    constraints: tuple[Constraint, ...]
    claims: frozenset[str] = frozenset()
    compared: frozenset[str] = frozenset()


@dataclass
class CheckedCorpus:
    """A corpus that checked clean, with the store its files were checked in.

    ``articles`` maps the graph of each article file to the article it describes;
    ``unverified`` names the text files that were not found, whose quotes went unchecked;
    ``triples`` counts the triples of the files. When nothing changed since the last clean
    check, nothing was loaded: the store and the vocabulary are made on first use (a build
    needs them, ``kg check`` does not).
    """

    corpus: Corpus
    articles: dict[str, str]
    unverified: tuple[str, ...] = ()
    triples: int = 0
    loaded: ox.Store | None = None
    read: Vocabulary | None = None
    #: the files in :attr:`loaded` (display names), when a check loaded only some
    part: frozenset[str] | None = None

    @property
    def store(self) -> ox.Store:
        """The store with each file in its own graph (loaded on first use)."""
        return self.store_with(self.corpus.files)

    def store_with(self, files: Iterable[CuratedFile]) -> ox.Store:
        """A store with (at least) ``files``, each in its own graph: what is missing is loaded."""
        if self.loaded is None:
            self.loaded, self.part = ox.Store(), frozenset()
        if self.part is not None:
            missing = [f for f in files if f.display not in self.part]
            load_files(self.loaded, missing)
            self.part = self.part | {f.display for f in missing}
            if len(self.part) == len(self.corpus.files):
                self.part = None
        return self.loaded

    @property
    def vocabulary(self) -> Vocabulary:
        """The terms the ontology declares (read on first use)."""
        if self.read is None:
            self.read = read_vocabulary(self.corpus.ontology)
        return self.read


def load_store(corpus: Corpus) -> ox.Store:
    """A store with each file of ``corpus`` in a named graph of its own, blank nodes skolemised."""
    return load_files(ox.Store(), corpus.files)


def load_files(store: ox.Store, files: Iterable[CuratedFile]) -> ox.Store:
    """Add ``files`` to ``store``, each in a named graph of its own, blank nodes skolemised."""
    by_graph = {file_graph(f).value: f for f in files}
    for f in by_graph.values():
        f.load_into(store, file_graph(f))
    graphs = " ".join(f"<{g}>" for g in sorted(by_graph))
    blank = store.query(
        f"SELECT DISTINCT ?g WHERE {{ VALUES ?g {{ {graphs} }} GRAPH ?g {{ ?s ?p ?o }} "
        "FILTER (isBlank(?s) || isBlank(?o)) }"
    )
    assert isinstance(blank, ox.QuerySolutions)
    for row in blank:
        graph = row["g"]
        assert isinstance(graph, ox.NamedNode)
        by_graph[graph.value].reload_skolemised(store, graph)
    return store


def read_vocabulary(ontology: CuratedFile) -> Vocabulary:
    """The classes, properties and other terms declared by a parsed ontology.

    Allowed properties are those declared in the ``kg:`` namespace plus those the
    SHACL shapes constrain (``rdfs:label``, ``prov:wasDerivedFrom``, ``schema:headline``…),
    ``rdf:type`` and ``rdfs:comment``.
    """
    g = ontology.graph()
    kg_ns = str(KG._NS)
    declared = {str(s) for s in g.subjects() if isinstance(s, URIRef) and str(s).startswith(kg_ns)}
    classes = {str(c) for c in g.subjects(RDF.type, OWL.Class) if str(c).startswith(kg_ns)}
    prop_types = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.SymmetricProperty)
    properties = {str(p) for t in prop_types for p in g.subjects(RDF.type, t)}
    properties |= {str(p) for p in g.objects(None, SH.path) if isinstance(p, URIRef)}
    properties |= {str(RDF.type), str(RDFS.comment)}
    functional = {str(p) for shape in g.subjects(SH.maxCount, Literal(1)) for p in g.objects(shape, SH.path)}
    claim_classes = {KG.ClaimProperty, *g.transitive_subjects(RDFS.subClassOf, KG.ClaimProperty)}
    claims = {str(p) for c in claim_classes for p in g.subjects(RDF.type, c)}
    compared = {str(p) for p in g.subjects(RDF.type, KG.ComparedProperty)}
    return Vocabulary(
        frozenset(classes),
        frozenset(properties),
        frozenset(declared),
        frozenset(functional),
        tuple(compile_shapes(g)),
        frozenset(claims),
        frozenset(compared),
    )


def file_graph(f: CuratedFile) -> ox.NamedNode:
    """The named graph that holds file ``f`` while it is checked."""
    return ox.NamedNode(FILE_GRAPH + quote(f.display))


def check_corpus(corpus: Corpus, sources: Path) -> list[Problem]:
    """Every problem of a parsed corpus, sorted by file, line and column."""
    return _Checker(corpus, sources).run()[0]


def unverified_message(unverified: Iterable[str], articles: int, sources: str) -> str:
    """The one line that says which article texts were missing, so their quotes went unchecked.

    Examples
    --------
    >>> print(unverified_message(["a.txt", "b.txt"], 5, "data/sources"))
    2 of 5 articles unverified: their texts (a.txt, b.txt) are not in data/sources;
    point kg at the texts with --sources, KG_SOURCES or [tool.kg] sources

    """
    names = sorted(unverified)
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    return (
        f"{len(names)} of {articles} articles unverified: their texts ({shown}) are not in {sources}; "
        "point kg at the texts with --sources, KG_SOURCES or [tool.kg] sources"
    )


def check_project(project: Project, *, incremental: bool = True) -> CheckedCorpus:
    """Read and check a project; return the corpus and its store when it is clean.

    When the previous check of the same project was clean (its manifest is in
    ``build/.cache/check.json``), only the files that changed since are checked, as long
    as the ontology and the registry are unchanged, no file was removed and no changed
    file changed which nodes it types (the only way a file affects the checks of others).
    Then only the changed files and the files that state something about the nodes they
    name are loaded (the manifest lists the nodes each file describes); a check that
    finds problems is redone on every file, so that its hints draw on the whole corpus.
    ``incremental=False`` checks everything.

    Raises
    ------
    CurationError
        With every problem found.
    InputError
        If the project's files cannot be found.

    """
    corpus = read_corpus(project)
    manifest = project.build / ".cache" / "check.json"
    before = _previous(corpus, manifest) if incremental else None
    if before is not None:
        unchanged = _unchanged(corpus, before, project)
        if unchanged is not None:
            return unchanged
    checker = _Checker(corpus, project.sources, before)
    problems, store = checker.run()
    if problems and checker.part is not None:  # again on every file, for hints from the whole corpus
        checker = _Checker(corpus, project.sources, before, related=False)
        problems, store = checker.run()
    if problems:
        raise CurationError(problems)
    checker.write_manifest(manifest)
    unverified = tuple(sorted(checker.unverified))
    if unverified:
        message = unverified_message(unverified, len(corpus.articles), project.display(project.sources))
        warnings.warn(message, UnverifiedWarning, stacklevel=2)
    assert checker.vocabulary is not None  # a clean check has read the ontology
    return CheckedCorpus(
        corpus,
        checker.article_of(),
        unverified,
        sum(checker.triple_counts().values()),
        store,
        checker.vocabulary,
        None if checker.part is None else frozenset(checker.part),
    )


_MANIFEST_VERSION = 4


def read_source(sources: Path, name: str) -> bytes | None:
    """The bytes of the article text ``name`` in the folder ``sources``; None if it is not there.

    A text that is there but cannot be read (unreadable, a folder, a FIFO, a link loop…)
    is an error, not a missing text: its quotes must not go unverified unnoticed.

    Raises
    ------
    InputError
        If the text exists but cannot be read as a regular file.

    """
    path = sources / name
    try:
        os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        if not os.path.islink(path):  # a dangling link is reported by read_bytes
            return None
    except OSError:
        pass  # reported by read_bytes, with the path
    return read_bytes(path, what="an article text (from --sources, KG_SOURCES or [tool.kg] sources)")


def _previous(corpus: Corpus, manifest: Path) -> dict[str, Any] | None:
    """The manifest of the last clean check, if it speaks of this corpus; else None.

    It speaks of it when its version, the ontology and the registry are the same.
    """
    try:
        before: dict[str, Any] = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if before.get("version") != _MANIFEST_VERSION:
        return None
    if (before.get("ontology"), before.get("registry")) != (corpus.ontology.digest, corpus.registry.digest):
        return None
    return before


def _unchanged(corpus: Corpus, before: dict[str, Any], project: Project) -> CheckedCorpus | None:
    """The result of the last clean check, if not one file nor text changed since; else None.

    Only the digests are compared (of every curated file, and of the texts the manifest
    names): nothing is parsed or loaded.
    """
    files: dict[str, list[Any]] = before.get("files", {})
    if set(files) != {f.display for f in corpus.articles}:
        return None
    missing: set[str] = set()
    for f in corpus.articles:
        digest, _signature, text_state, names, _article, _triples = files[f.display]
        if digest != f.digest:
            return None
        states = []
        for name in names:
            text = read_source(project.sources, name)
            states.append(hashlib.sha256(text).hexdigest() if text is not None else "-")
            if text is None:
                missing.add(name)
        if " ".join(sorted(states)) != text_state:
            return None
    articles = {file_graph(f).value: files[f.display][4] for f in corpus.articles}
    triples = before.get("triples", 0) + sum(entry[5] for entry in files.values())
    unverified = tuple(sorted(missing))
    if unverified:
        message = unverified_message(unverified, len(corpus.articles), project.display(project.sources))
        warnings.warn(message, UnverifiedWarning, stacklevel=3)
    return CheckedCorpus(corpus, articles, unverified, triples)


class _Checker:
    """One run of the checks over one corpus.

    Given the manifest of the previous clean check (``before``), only the files that
    changed are checked (:attr:`scope`, graph IRIs), unless a file was removed or a
    changed file types other nodes than it did (then every file is). With ``related``,
    only those files and the files describing a node they name are loaded (:attr:`part`,
    display names; None when every file is).
    """

    def __init__(
        self, corpus: Corpus, sources: Path, before: dict[str, Any] | None = None, *, related: bool = True
    ) -> None:
        self.corpus = corpus
        self.sources = sources
        self.by_graph = {file_graph(f).value: f for f in corpus.files}
        self.ontology = file_graph(corpus.ontology).value
        self.unverified: set[str] = set()
        self.vocabulary: Vocabulary | None = None
        self._texts: dict[str, bytes | None] = {}
        self.store = ox.Store()
        self.scope: set[str] | None = None
        self.part: set[str] | None = None
        self.before: dict[str, list[Any]] = before.get("files", {}) if before is not None else {}
        self.described: dict[str, list[str]] = before.get("subjects", {}) if before is not None else {}
        changed = self._changed(before)
        if changed is None:
            load_files(self.store, corpus.files)
            return
        if related:
            load_files(self.store, [corpus.ontology, corpus.registry, *changed])
            self.part = {f.display for f in (corpus.ontology, corpus.registry, *changed)}
            named = self._named({file_graph(f).value for f in changed})
            others = [
                f
                for f in corpus.articles
                if f.display not in self.part and named & set(self.described.get(f.display, ()))
            ]
            load_files(self.store, others)
            self.part |= {f.display for f in others}
        else:
            load_files(self.store, corpus.files)
        signatures = self.type_signatures()
        if any(
            f.display in self.before and self.before[f.display][1] != signatures.get(f.display, "") for f in changed
        ):
            # the nodes this file types changed: others may depend on them
            if self.part is not None:
                load_files(self.store, [f for f in corpus.files if f.display not in self.part])
                self.part = None
            return
        self.scope = {file_graph(f).value for f in changed}

    def _changed(self, before: dict[str, Any] | None) -> list[CuratedFile] | None:
        """The article files changed since ``before`` (their text included); None: check every file."""
        if before is None or set(self.before) - {f.display for f in self.corpus.articles}:
            return None  # no previous clean check, or a file was removed
        changed = []
        for f in self.corpus.articles:
            entry = self.before.get(f.display)
            if entry is None or entry[0] != f.digest or entry[2] != self.state_of(entry[3]):
                changed.append(f)
        return changed

    def _named(self, graphs: set[str]) -> set[str]:
        """The IRIs the files of ``graphs`` name, as subject or object."""
        values = " ".join(f"<{g}>" for g in sorted(graphs))
        rows = self.select(
            f"SELECT DISTINCT ?x WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ {{ ?x ?p ?o }} UNION {{ ?s ?p ?x }} }} "
            "FILTER (isIRI(?x)) }"
        )
        return {row["x"].value for row in rows}

    def loaded(self) -> list[CuratedFile]:
        """The article files in the store."""
        return [f for f in self.corpus.articles if self.part is None or f.display in self.part]

    def text(self, name: str) -> bytes | None:
        """The bytes of the article text ``name`` in the sources folder, or None (read once)."""
        if name not in self._texts:
            self._texts[name] = read_source(self.sources, name)
        return self._texts[name]

    def state_of(self, names: Iterable[str]) -> str:
        """The digests of the texts ``names`` ('-' for a missing one), sorted, in one string."""
        texts = [self.text(name) for name in names]
        return " ".join(sorted(hashlib.sha256(t).hexdigest() if t is not None else "-" for t in texts))

    def text_states(self) -> dict[str, str]:
        """For each article file, the digests of the texts it names ('-' for a missing one)."""
        return {display: self.state_of(names) for display, names in self.text_names().items()}

    def text_names(self) -> dict[str, list[str]]:
        """For each article file, the names of the texts it names, sorted."""
        names: dict[str, list[str]] = defaultdict(list)
        for row in self.select("SELECT ?g ?name WHERE { GRAPH ?g { ?a kg:sourceFile ?name } }"):
            names[self.by_graph[row["g"].value].display].append(row["name"].value)
        known = {f.display: list(self.before[f.display][3]) for f in self.unloaded()}
        return known | {display: sorted(found) for display, found in names.items()}

    def unloaded(self) -> list[CuratedFile]:
        """The article files not in the store (unchanged since the previous check)."""
        return [] if self.part is None else [f for f in self.corpus.articles if f.display not in self.part]

    def described_articles(self) -> list[tuple[str, str]]:
        """Every (file graph, article) pair: the articles each file describes."""
        rows = self.select("SELECT ?g ?a WHERE { GRAPH ?g { ?a a kg:Article } }")
        return [(row["g"].value, row["a"].value) for row in rows]

    def article_of(self) -> dict[str, str]:
        """The article each article file describes (one, once the check is clean), by the file's graph."""
        known = {file_graph(f).value: self.before[f.display][4] for f in self.unloaded()}
        return known | dict(self.described_articles())

    def triple_counts(self) -> dict[str, int]:
        """The triples of each file (by display name): counted in the store for the files checked.

        The other files are unchanged since the previous check, whose manifest has their counts.
        """
        known = {f.display: self.before[f.display][5] for f in self.corpus.articles if f.display in self.before}
        checked = self.scope if self.scope is not None else set(self.by_graph)
        wanted = {g for g in self.by_graph if g in checked or self.by_graph[g].display not in known}
        values = " ".join(f"<{g}>" for g in sorted(wanted))
        for row in self.select(
            f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g"
        ):
            known[self.by_graph[row["g"].value].display] = int(row["n"].value)
        return {f.display: known.get(f.display, 0) for f in self.corpus.files}

    def type_signatures(self) -> dict[str, str]:
        """For each file, a digest of the (node, class) pairs it states."""
        pairs: dict[str, list[str]] = defaultdict(list)
        for g, s, c in self.store.query("SELECT ?g ?s ?c WHERE { GRAPH ?g { ?s a ?c } }"):  # type: ignore[union-attr]
            pairs[g.value].append(f"{s} {c}")
        known = {f.display: self.before[f.display][1] for f in self.unloaded()}
        return known | {
            self.by_graph[g].display: hashlib.sha256("\n".join(sorted(lines)).encode()).hexdigest()
            for g, lines in pairs.items()
        }

    def subjects(self) -> dict[str, list[str]]:
        """For each article file, the IRIs it describes (states something about), sorted."""
        found: dict[str, set[str]] = defaultdict(set)
        for row in self.select("SELECT DISTINCT ?g ?s WHERE { GRAPH ?g { ?s ?p ?o } FILTER (isIRI(?s)) }"):
            found[self.by_graph[row["g"].value].display].add(row["s"].value)
        known = {f.display: list(self.described.get(f.display, ())) for f in self.unloaded()}
        return known | {f.display: sorted(found[f.display]) for f in self.loaded()}

    def write_manifest(self, manifest: Path) -> None:
        """Record this clean check, for the next one (see :func:`check_project`)."""
        signatures, texts, names = self.type_signatures(), self.text_states(), self.text_names()
        articles, triples = self.article_of(), self.triple_counts()
        corpus = self.corpus
        data = {
            "version": _MANIFEST_VERSION,
            "ontology": corpus.ontology.digest,
            "registry": corpus.registry.digest,
            "triples": triples[corpus.ontology.display] + triples[corpus.registry.display],
            "files": {
                f.display: [
                    f.digest,
                    signatures.get(f.display, ""),
                    texts.get(f.display, ""),
                    names.get(f.display, []),
                    articles.get(file_graph(f).value, ""),
                    triples[f.display],
                ]
                for f in corpus.articles
            },
            "subjects": self.subjects(),
        }
        write_atomic(manifest, json.dumps(data, indent=0, sort_keys=True).encode("utf-8"))

    def run(self) -> tuple[list[Problem], ox.Store]:
        problems = list(self.corpus.problems)
        if self.corpus.ontology.problems:
            return sorted(problems), self.store  # nothing else can be checked without the vocabulary
        vocab = self.vocabulary = read_vocabulary(self.corpus.ontology)
        problems += self.terms(vocab)
        undefined = self.undefined()
        problems += self.problems_at(undefined, self._undefined_problem)
        problems += self.untyped()
        problems += self.shacl(vocab, {iri for _, iri in undefined})
        problems += self.conflicts(vocab)
        problems += self.articles()
        problems += self.quotes()
        problems += self.dates()
        return sorted(set(problems)), self.store

    # -- helpers

    def select(self, sparql: str) -> list[dict[str, ox.NamedNode | ox.Literal]]:
        result = self.store.query(sparql, prefixes=PREFIXES, use_default_graph_as_union=True)
        assert isinstance(result, ox.QuerySolutions)
        names = [v.value for v in result.variables]
        return [{n: row[n] for n in names if row[n] is not None} for row in result]

    def curated_graphs(self, var: str = "?g") -> str:
        """A clause restricting ``var`` to the file graphs this run checks."""
        if self.scope is not None:
            return f"VALUES {var} {{ {' '.join(f'<{g}>' for g in sorted(self.scope))} }}"
        return f"FILTER ({var} != <{self.ontology}>)"

    def problems_at(
        self, found: Iterable[tuple[str, str]], make: Callable[[CuratedFile, TermUse], Problem | None]
    ) -> list[Problem]:
        """One problem per place where each (graph, iri) of ``found`` is written."""
        wanted: dict[str, set[str]] = defaultdict(set)
        for graph, iri in found:
            wanted[graph].add(iri)
        problems = []
        for graph, iris in wanted.items():
            f = self.by_graph[graph]
            for use in f.index.uses:
                if use.iri in iris:
                    problem = make(f, use)
                    if problem is not None:
                        problems.append(problem)
        return problems

    def problem_at(self, graph: str, node: str, prop: str | None, message: str, **details: str) -> Problem:
        """A problem about ``node`` (and ``prop``) placed where the file of ``graph`` writes it."""
        f = self.by_graph[graph]
        line, col = f.index.position(node, prop)
        return Problem(f.display, line, col, message, **details)

    # -- 2. terms

    def terms(self, vocab: Vocabulary) -> list[Problem]:
        bad = []
        kg = str(KG._NS)
        for row in self.select(f"SELECT DISTINCT ?g ?p WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {self.curated_graphs()} }}"):
            if row["p"].value not in vocab.properties:
                bad.append((row["g"].value, row["p"].value))
        for row in self.select(f"SELECT DISTINCT ?g ?c WHERE {{ GRAPH ?g {{ ?s a ?c }} {self.curated_graphs()} }}"):
            if row["c"].value not in vocab.classes:
                bad.append((row["g"].value, row["c"].value))
        for row in self.select(
            f"SELECT DISTINCT ?g ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {self.curated_graphs()} "
            f'FILTER (isIRI(?o) && STRSTARTS(STR(?o), "{kg}")) }}'
        ):
            if row["o"].value not in vocab.terms:
                bad.append((row["g"].value, row["o"].value))

        def make(f: CuratedFile, use: TermUse) -> Problem | None:
            role = use.role
            if role == "predicate":
                what, expected, pool = "property", "a property declared in ontology.ttl", vocab.properties
            elif role == "class":
                what, expected, pool = "class", "a class declared in ontology.ttl", vocab.classes
            elif role == "object":
                what, expected, pool = "term", "a term declared in ontology.ttl", vocab.terms
            else:
                return None
            iri = use.iri
            return Problem(
                f.display,
                use.line,
                use.col,
                f"unknown {what} '{curie(iri)}'",
                expected=expected,
                hint=_did_you_mean(iri, pool),
                kind="terms",
            )

        return self.problems_at(bad, make)

    # -- 3. ids

    def undefined(self) -> list[tuple[str, str]]:
        rows = self.select(f"""SELECT DISTINCT ?g ?x WHERE {{
            GRAPH ?g {{ {{ ?x ?p ?o }} UNION {{ ?s ?p ?x }} }} {self.curated_graphs()}
            FILTER (isIRI(?x) && STRSTARTS(STR(?x), "{ID_SPACE}"))
            FILTER NOT EXISTS {{ GRAPH ?any {{ ?x a ?type }} }} }}""")
        return [(row["g"].value, row["x"].value) for row in rows]

    def _undefined_problem(self, f: CuratedFile, use: TermUse) -> Problem | None:
        if use.role not in ("subject", "object"):
            return None
        iri = use.iri
        in_registry = not iri.startswith(tuple(ID_SPACE + k for k in ("fact/", "evidence/", "article/")))
        expected = (
            f"an actor, place or post defined in {self.corpus.registry.display}"
            if in_registry
            else "a fact, evidence or article defined in one of the article files"
        )
        family = ID_SPACE if in_registry else iri.rsplit("/", 1)[0] + "/"
        pool = [
            row["x"].value
            for row in self.select(
                f'SELECT DISTINCT ?x WHERE {{ GRAPH ?g {{ ?x a ?t }} FILTER (STRSTARTS(STR(?x), "{family}")) }}'
            )
        ]
        hint = _did_you_mean(iri, pool) or (
            f"add it to {self.corpus.registry.display}" if in_registry else "define it with its rdf:type"
        )
        return Problem(
            f.display,
            use.line,
            use.col,
            f"unknown id '{curie(iri)}'",
            expected=expected,
            hint=hint,
            kind="undefined",
        )

    def untyped(self) -> list[Problem]:
        rows = self.select(f"""SELECT DISTINCT ?g ?s WHERE {{
            GRAPH ?g {{ ?s ?p ?o }} {self.curated_graphs()}
            FILTER NOT EXISTS {{ GRAPH ?g {{ ?s a ?here }} }}
            FILTER EXISTS {{ GRAPH ?other {{ ?s a ?elsewhere }} }} }}""")
        problems = []
        for row in rows:
            problems.append(
                self.problem_at(
                    row["g"].value,
                    row["s"].value,
                    None,
                    f"{curie(row['s'].value)} is described here without its class",
                    expected="every file types the nodes it describes, so that it can be checked alone",
                    hint="repeat the node's rdf:type (and the core of a shared fact) from the file that defines it",
                    kind="undefined",
                )
            )
        return problems

    # -- 4. SHACL

    def shacl(self, vocab: Vocabulary, unknown: set[str]) -> list[Problem]:
        problems = []
        for v in run_constraints(self.store, list(vocab.constraints), self.scope):
            if v.graph == self.ontology or (isinstance(v.value, ox.NamedNode) and v.value.value in unknown):
                continue
            c = v.constraint
            detail = f" (value: {_short(v.value)})" if v.value is not None else ""
            problems.append(
                self.problem_at(
                    v.graph,
                    v.focus,
                    c.path,
                    f"{curie(v.focus)}: {c.message}{detail}",
                    expected=f"{c.component} constraint on {curie(c.path)} (ontology.ttl shapes)",
                    hint=_hint(c.component, c.path),
                    kind="shacl",
                )
            )
        return problems

    # -- 5. conflicts between files

    def conflicts(self, vocab: Vocabulary) -> list[Problem]:
        # claim properties are each article's own: a difference there is data, not a mistake
        props = " ".join(f"<{p}>" for p in sorted(vocab.functional - vocab.claims))
        rows = self.select(f"""SELECT ?s ?p ?o ?g WHERE {{
            {{ SELECT ?s ?p WHERE {{
                 {{ SELECT DISTINCT ?s ?p WHERE {{ GRAPH ?g {{ ?s ?p ?o0 }} VALUES ?p {{ {props} }}
                                                   {self.curated_graphs()} }} }}
                 GRAPH ?g1 {{ ?s ?p ?o1 }} FILTER (?g1 != <{self.ontology}>)
               }} GROUP BY ?s ?p HAVING (COUNT(DISTINCT ?o1) > 1 && COUNT(DISTINCT ?g1) > 1) }}
            GRAPH ?g {{ ?s ?p ?o }} }}""")
        stated: dict[tuple[str, str], dict[str, list[CuratedFile]]] = defaultdict(lambda: defaultdict(list))
        terms: dict[str, ox.NamedNode | ox.Literal] = {}
        for row in rows:
            terms[str(row["o"])] = row["o"]
            stated[(row["s"].value, row["p"].value)][str(row["o"])].append(self.by_graph[row["g"].value])
        problems = []
        for (node, prop), by_value in sorted(stated.items()):
            ordered = sorted(by_value.items(), key=lambda kv: min(f.display for f in kv[1]))
            first_value, first_files = ordered[0]
            first = min(f.display for f in first_files)
            for value, files in ordered[1:]:
                for f in sorted(files, key=lambda f: f.display):
                    problems.append(
                        self.problem_at(
                            file_graph(f).value,
                            node,
                            prop,
                            f"{curie(node)} {curie(prop)} is {_short(terms[value])} here but "
                            f"{_short(terms[first_value])} in {first}",
                            expected="the same defining value in every file that states this shared fact",
                            hint="use the same value as the other file; if the articles report different things, "
                            "give them two facts (linked by kg:contradicts if they cannot both hold)",
                            kind="conflict",
                        )
                    )
        return problems

    # -- 6. articles

    def articles(self) -> list[Problem]:
        """Each article file describes one article; its evidence and facts cite that article only."""
        problems = []
        registry = file_graph(self.corpus.registry).value
        files = f"{self.curated_graphs()} FILTER (?g != <{registry}>)"
        described: dict[str, list[str]] = defaultdict(list)
        for graph, article in self.described_articles():
            described[graph].append(article)
        for f in self.corpus.articles:
            graph = file_graph(f).value
            if f.problems or (self.scope is not None and graph not in self.scope):
                continue  # a file that does not parse has been reported already
            n = len(described[graph])
            if n == 1:
                continue
            if n == 0:
                problems.append(
                    Problem(
                        f.display,
                        1,
                        1,
                        "this article file describes no kg:Article",
                        expected="one article node (art:ID a kg:Article) with its source file, digest and length",
                        hint="every statement in the file is attributed to that article: add it first",
                        kind="article",
                    )
                )
            else:
                problems.append(
                    self.problem_at(
                        graph,
                        min(described[graph]),
                        None,
                        f"this article file describes {n} articles",
                        expected="one article per file: its statements are that article's claims",
                        hint="move each other article, with its evidence and facts, into a file of its own",
                        kind="article",
                    )
                )
        foreign = self.select(f"""SELECT DISTINCT ?g ?s ?p ?ev ?other WHERE {{
            GRAPH ?g {{ ?article a kg:Article }} {files}
            {{ GRAPH ?g {{ ?ev kg:inArticle ?other }} BIND (?ev AS ?s) BIND (kg:inArticle AS ?p) }}
            UNION
            {{ GRAPH ?g {{ ?s prov:wasDerivedFrom ?ev }} GRAPH ?h {{ ?ev kg:inArticle ?other }}
               BIND (prov:wasDerivedFrom AS ?p) }}
            FILTER (?other != ?article) }}""")
        for row in foreign:
            problems.append(
                self.problem_at(
                    row["g"].value,
                    row["s"].value,
                    row["p"].value,
                    f"{curie(row['s'].value)} cites {curie(row['ev'].value)}, a quote of {curie(row['other'].value)}, "
                    "another article",
                    expected="evidence of the article this file describes: what a file states is that article's claim",
                    hint="state the fact in the other article's file too, citing the quote there",
                    kind="article",
                )
            )
        return problems

    # -- 7. quotes

    def quotes(self) -> list[Problem]:
        problems = []
        texts: dict[str, str | None] = {}
        scoped = self.scope if self.scope is not None else set(self.by_graph) - {self.ontology}
        quoted = self.select(
            f"SELECT ?g ?ev ?q ?a WHERE {{ GRAPH ?g {{ ?ev kg:quote ?q }} {self.curated_graphs()} "
            "OPTIONAL { ?ev kg:inArticle ?a } }"
        )
        cited = {row["a"].value for row in quoted if "a" in row}
        described = self.select("""SELECT ?g ?a ?name ?sha ?length WHERE { GRAPH ?g {
            ?a kg:sourceFile ?name OPTIONAL { ?a kg:sourceSha256 ?sha } OPTIONAL { ?a kg:sourceLength ?length } } }""")
        for row in described:
            graph, article, name = row["g"].value, row["a"].value, row["name"].value
            data = self.text(name)
            if data is None:
                self.unverified.add(name)
                continue
            if article not in cited and graph not in scoped:
                continue
            if graph in scoped and "sha" in row and "length" in row:
                problems += self.changed_text(graph, article, name, data, row["sha"].value, row["length"].value)
            try:
                texts[article] = collapse_spaces(data.decode("utf-8"))
            except UnicodeDecodeError:
                texts[article] = None
                if graph in scoped:
                    problems.append(
                        self.problem_at(
                            graph,
                            article,
                            str(KG.sourceFile),
                            f"article text {name} is not valid UTF-8",
                            expected="the article's text, encoded as UTF-8",
                            hint="re-save the text file as UTF-8",
                            kind="quote",
                        )
                    )
        for row in quoted:
            text = texts.get(row["a"].value) if "a" in row else None
            quote_text = collapse_spaces(row["q"].value)
            if text is None or quote_text in text:
                continue
            problems.append(
                self.problem_at(
                    row["g"].value,
                    row["ev"].value,
                    str(KG.quote),
                    f"{curie(row['ev'].value)}: quote not found verbatim in its article",
                    expected="a span copied exactly from the article text (runs of whitespace may differ)",
                    hint=_quote_hint(quote_text, text),
                    kind="quote",
                )
            )
        return problems

    def changed_text(self, graph: str, article: str, name: str, data: bytes, sha: str, length: str) -> list[Problem]:
        """A problem if the text ``data`` is not the one the article's curated file records."""
        digest = hashlib.sha256(data).hexdigest()
        if digest == sha and str(len(data)) == length:
            return []
        return [
            self.problem_at(
                graph,
                article,
                str(KG.sourceSha256),
                f"{curie(article)}: its text {name} is not the text it was curated from "
                f"(SHA-256 {digest[:12]}…, {len(data)} bytes; the file records {sha[:12]}…, {length} bytes)",
                expected="the article text whose SHA-256 and length the curated file records",
                hint="restore the original text; if the article itself was revised, check every quote against "
                "the new text and record its kg:sourceSha256 and kg:sourceLength (sha256sum FILE; wc -c < FILE)",
                kind="quote",
            )
        ]

    # -- 8. dates

    def dates(self) -> list[Problem]:
        # all of a fact's dates are one article's claim: compare them within each file
        rows = self.select(f"""SELECT DISTINCT ?g ?s ?start ?end WHERE {{
            GRAPH ?g {{ ?s kg:endDate ?end ; kg:date ?start }} FILTER (?end < ?start) {self.curated_graphs()} }}""")
        problems = []
        for row in rows:
            problems.append(
                self.problem_at(
                    row["g"].value,
                    row["s"].value,
                    str(KG.endDate),
                    f"{curie(row['s'].value)} ends on {row['end'].value} before it starts on {row['start'].value}",
                    expected="kg:endDate on or after kg:date",
                    hint="check both dates against the article; swap them if they are reversed",
                    kind="dates",
                )
            )
        bounded = self.select(f"""SELECT DISTINCT ?g ?s ?date ?precision ?end ?earliest ?latest WHERE {{
            GRAPH ?g {{ ?s ?bound ?b }} VALUES ?bound {{ kg:earliestDate kg:latestDate }} {self.curated_graphs()}
            OPTIONAL {{ GRAPH ?g {{ ?s kg:date ?date }} }} OPTIONAL {{ GRAPH ?g {{ ?s kg:datePrecision ?precision }} }}
            OPTIONAL {{ GRAPH ?g {{ ?s kg:endDate ?end }} }}
            OPTIONAL {{ GRAPH ?g {{ ?s kg:earliestDate ?earliest }} }}
            OPTIONAL {{ GRAPH ?g {{ ?s kg:latestDate ?latest }} }}
        }}""")
        for row in bounded:
            problems += self._empty_interval(row)
        return problems

    def _empty_interval(self, row: dict[str, ox.NamedNode | ox.Literal]) -> list[Problem]:
        """A problem when a fact's date and bounds in one file leave no day it can have happened on."""
        graph, fact = row["g"].value, row["s"].value
        try:
            day = {
                k: datetime.date.fromisoformat(row[k].value) if k in row else None
                for k in ("date", "end", "earliest", "latest")
            }
        except ValueError:
            return []  # not an xsd:date: SHACL has said so
        first, last = interval(
            day["date"], precision_name(row.get("precision")), day["end"], day["earliest"], day["latest"]
        )
        if first is None or last is None or first <= last:
            return []
        said = ", ".join(f"{k} {v.isoformat()}" for k, v in day.items() if v is not None)
        return [
            self.problem_at(
                graph,
                fact,
                str(KG.latestDate if day["latest"] is not None else KG.earliestDate),
                f"{curie(fact)} has no day it can have happened on ({said})",
                expected="kg:earliestDate on or before kg:latestDate, and both around kg:date at its precision",
                hint="bounds are inclusive ('before 13 January' is kg:latestDate 2026-01-12); is one reversed?",
                kind="dates",
            )
        ]


def _did_you_mean(iri: str, candidates: Iterable[str]) -> str:
    close = difflib.get_close_matches(curie(iri), sorted(curie(c) for c in candidates), n=1, cutoff=0.75)
    return f"did you mean '{close[0]}'?" if close else ""


def _short(value: ox.NamedNode | ox.Literal | None) -> str:
    text = curie(value.value) if isinstance(value, ox.NamedNode) else repr(value.value if value is not None else "")
    return text if len(text) <= 60 else text[:57] + "..."


def collapse_spaces(text: str) -> str:
    """``text`` with every run of whitespace one space, no space at either end: how quotes are compared."""
    return " ".join(text.split())


_STRAIGHT = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def _quote_hint(quote: str, text: str) -> str:
    if quote.translate(_STRAIGHT) in text.translate(_STRAIGHT):
        return "the quote differs only in typographic quotes or dashes: copy them as the article has them"
    match = difflib.SequenceMatcher(None, quote, text, autojunk=False).find_longest_match()
    if match.size >= 12:
        start = match.b
        return (
            f"the longest part found is '{text[start : start + match.size]}'; "
            "check the words around it against the article"
        )
    return "copy the span from the article's text file rather than retyping it"
