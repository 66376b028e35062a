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
5. **conflict** — a fact stated in several files has the same single-valued properties
   in all of them (per-file SHACL cannot see that);
6. **quote** — every evidence quote occurs verbatim in its article's text (whitespace
   runs may differ), read from the project's sources folder;
7. **dates** — nothing ends before it starts.

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

import difflib
import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
from rdflib import RDF, Literal, URIRef
from rdflib.namespace import OWL, RDFS, SH

from kg.errors import CurationError, Problem
from kg.formats import write_atomic
from kg.load import Corpus, CuratedFile, TermUse, read_corpus
from kg.namespaces import BASE, KG, PREFIXES, curie
from kg.project import Project
from kg.shapes import Constraint, compile_shapes, run_constraints

__all__ = ["CheckedCorpus", "Vocabulary", "check_corpus", "check_project", "file_graph", "read_vocabulary"]

ID_SPACE = BASE + "id/"
FILE_GRAPH = "urn:kg:file:"
PREFIXES_TINY = (
    "@prefix kg: <https://w3id.org/newskg/ns#> .\n@prefix ent: <https://w3id.org/newskg/id/> .\n"
    "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
)

_HINTS = {
    "MinCount": "add the missing property",
    "MaxCount": "keep a single value; if sources disagree, make two facts linked by kg:contradicts",
    "Class": "use an id of the right class, defined in the registry or an article",
    "Datatype": 'write the literal with its datatype, e.g. "2026-02-03"^^xsd:date',
    "Pattern": "shorten the quote to at most 25 words",
    "Or": "use an id of one of the allowed classes",
}


@dataclass(frozen=True)
class Vocabulary:
    """What the ontology allows curators to write, and its compiled shapes."""

    classes: frozenset[str]
    properties: frozenset[str]
    terms: frozenset[str]
    functional: frozenset[str]
    constraints: tuple[Constraint, ...]


@dataclass
class CheckedCorpus:
    """A corpus that checked clean, with the store its files were checked in."""

    corpus: Corpus
    store: ox.Store


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
    return Vocabulary(
        frozenset(classes),
        frozenset(properties),
        frozenset(declared),
        frozenset(functional),
        tuple(compile_shapes(g)),
    )


def file_graph(f: CuratedFile) -> ox.NamedNode:
    """The named graph that holds file ``f`` while it is checked."""
    return ox.NamedNode(FILE_GRAPH + quote(f.display))


def check_corpus(corpus: Corpus, sources: Path) -> list[Problem]:
    """Every problem of a parsed corpus, sorted by file, line and column."""
    return _Checker(corpus, sources).run()[0]


def check_project(project: Project, *, incremental: bool = True) -> CheckedCorpus:
    """Read and check a project; return the corpus and its store when it is clean.

    When the previous check of the same project was clean (its manifest is in
    ``build/.cache/check.json``), only the files that changed since are checked, as long
    as the ontology and the registry are unchanged, no file was removed and no changed
    file changed which nodes it types (the only way a file affects the checks of others).
    ``incremental=False`` checks everything.

    Raises
    ------
    CurationError
        With every problem found.
    InputError
        If the project's files cannot be found.

    """
    corpus = read_corpus(project)
    checker = _Checker(corpus, project.sources)
    manifest = project.build / ".cache" / "check.json"
    signatures = checker.type_signatures()
    if incremental:
        checker.scope = _changed_scope(corpus, signatures, manifest)
    problems, store = checker.run()
    if problems:
        raise CurationError(problems)
    _write_manifest(manifest, corpus, signatures)
    return CheckedCorpus(corpus, store)


_MANIFEST_VERSION = 1


def _changed_scope(corpus: Corpus, signatures: dict[str, str], manifest: Path) -> set[str] | None:
    try:
        before = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if before.get("version") != _MANIFEST_VERSION:
        return None
    if (before.get("ontology"), before.get("registry")) != (corpus.ontology.digest, corpus.registry.digest):
        return None
    old: dict[str, list[str]] = before.get("files", {})
    if set(old) - {f.display for f in corpus.articles}:
        return None  # a file was removed
    changed = set()
    for f in corpus.articles:
        if f.display in old and old[f.display][0] == f.digest:
            continue
        if f.display in old and old[f.display][1] != signatures.get(f.display, ""):
            return None  # the nodes this file types changed: others may depend on them
        changed.add(file_graph(f).value)
    return changed


def _write_manifest(manifest: Path, corpus: Corpus, signatures: dict[str, str]) -> None:
    data = {
        "version": _MANIFEST_VERSION,
        "ontology": corpus.ontology.digest,
        "registry": corpus.registry.digest,
        "files": {f.display: [f.digest, signatures.get(f.display, "")] for f in corpus.articles},
    }
    write_atomic(manifest, json.dumps(data, indent=0, sort_keys=True).encode("utf-8"))


class _Checker:
    """One run of the checks over one corpus.

    With ``scope`` (graph IRIs), only those files are checked: the caller has made sure
    that the others were clean and cannot be affected (see :func:`check_project`).
    """

    def __init__(self, corpus: Corpus, sources: Path, scope: set[str] | None = None) -> None:
        self.corpus = corpus
        self.sources = sources
        self.scope = scope
        self.by_graph = {file_graph(f).value: f for f in corpus.files}
        self.store = ox.Store()
        for f in corpus.files:
            f.load_into(self.store, file_graph(f))
        with_blank_nodes = self.select(
            "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER (isBlank(?s) || isBlank(?o)) }"
        )
        for row in with_blank_nodes:
            self.by_graph[row["g"].value].reload_skolemised(self.store, row["g"])  # type: ignore[arg-type]
        self.ontology = file_graph(corpus.ontology).value

    def type_signatures(self) -> dict[str, str]:
        """For each file, a digest of the (node, class) pairs it states."""
        pairs: dict[str, list[str]] = defaultdict(list)
        for g, s, c in self.store.query("SELECT ?g ?s ?c WHERE { GRAPH ?g { ?s a ?c } }"):  # type: ignore[union-attr]
            pairs[g.value].append(f"{s} {c}")
        return {
            self.by_graph[g].display: hashlib.sha256("\n".join(sorted(lines)).encode()).hexdigest()
            for g, lines in pairs.items()
        }

    def run(self) -> tuple[list[Problem], ox.Store]:
        problems = list(self.corpus.problems)
        if self.corpus.ontology.problems:
            return sorted(problems), self.store  # nothing else can be checked without the vocabulary
        vocab = read_vocabulary(self.corpus.ontology)
        problems += self.terms(vocab)
        undefined = self.undefined()
        problems += self.problems_at(undefined, self._undefined_problem)
        problems += self.untyped()
        problems += self.shacl(vocab, {iri for _, iri in undefined})
        problems += self.conflicts(vocab)
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
                    hint=_HINTS.get(c.component, "see the shape in ontology.ttl"),
                    kind="shacl",
                )
            )
        return problems

    # -- 5. conflicts between files

    def conflicts(self, vocab: Vocabulary) -> list[Problem]:
        props = " ".join(f"<{p}>" for p in sorted(vocab.functional))
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
                            expected="the same value in every file that states this shared fact",
                            hint="if the articles disagree, make two facts linked by kg:contradicts",
                            kind="conflict",
                        )
                    )
        return problems

    # -- 6. quotes

    def quotes(self) -> list[Problem]:
        problems = []
        texts: dict[str, str | None] = {}
        scoped = self.scope if self.scope is not None else set(self.by_graph) - {self.ontology}
        quoted = self.select(
            f"SELECT ?g ?ev ?q ?a WHERE {{ GRAPH ?g {{ ?ev kg:quote ?q }} {self.curated_graphs()} "
            "OPTIONAL { ?ev kg:inArticle ?a } }"
        )
        cited = {row["a"].value for row in quoted if "a" in row}
        for row in self.select("SELECT ?g ?a ?name WHERE { GRAPH ?g { ?a kg:sourceFile ?name } }"):
            if row["a"].value not in cited and row["g"].value not in scoped:
                continue
            name = row["name"].value
            path = self.sources / name
            texts[row["a"].value] = _normal(path.read_text(encoding="utf-8")) if path.is_file() else None
            if texts[row["a"].value] is None and row["g"].value in scoped:
                problems.append(
                    self.problem_at(
                        row["g"].value,
                        row["a"].value,
                        str(KG.sourceFile),
                        f"article text not found: {name} in {self.sources}",
                        expected="the article's text file in the sources folder",
                        hint="set the sources folder with --sources, KG_SOURCES or [tool.kg] sources",
                        kind="quote",
                    )
                )
        for row in quoted:
            text = texts.get(row["a"].value) if "a" in row else None
            quote_text = _normal(row["q"].value)
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

    # -- 7. dates

    def dates(self) -> list[Problem]:
        # in a scoped run, either the start or the end may come from a checked file
        either = (
            "" if self.scope is None else f"{{ {self.curated_graphs('?g')} }} UNION {{ {self.curated_graphs('?h')} }}"
        )
        rows = self.select(f"""SELECT DISTINCT ?g ?s ?start ?end WHERE {{
            GRAPH ?g {{ ?s kg:endDate ?end }} GRAPH ?h {{ ?s kg:date ?start }} FILTER (?end < ?start)
            {either} }}""")
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
        return problems


def _did_you_mean(iri: str, candidates: Iterable[str]) -> str:
    close = difflib.get_close_matches(curie(iri), sorted(curie(c) for c in candidates), n=1, cutoff=0.75)
    return f"did you mean '{close[0]}'?" if close else ""


def _short(value: ox.NamedNode | ox.Literal | None) -> str:
    text = curie(value.value) if isinstance(value, ox.NamedNode) else repr(value.value if value is not None else "")
    return text if len(text) <= 60 else text[:57] + "..."


def _normal(text: str) -> str:
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
