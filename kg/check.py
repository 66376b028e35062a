"""Check a curated corpus and report every problem at once, each at its ``file:line:col``.

What is checked, in order:

1. **syntax** — each file parses as Turtle (reported by :mod:`kg.load`);
2. **terms** — every class and property is declared in the ontology (with did-you-mean);
3. **undefined** — every id used (``ent:…``, ``fact:…``, ``ev:…``, ``art:…``) is defined
   somewhere: actors, places and posts in the registry, facts and evidence in articles;
4. **shacl** — the SHACL shapes of ``ontology.ttl`` (pySHACL), each violation mapped back to
   the line where the offending node is written;
5. **conflict** — a fact stated in several files has the same single-valued properties
   in all of them (SHACL sees one file at a time);
6. **quote** — every evidence quote occurs verbatim in its article's text (whitespace
   runs may differ), read from the project's sources folder;
7. **dates** — nothing ends before it starts.

SHACL is the costly part: its result for a file is cached by the content of that file
and of its context (ontology, registry, the types declared by other files), so
rechecking after one changed article validates only that article.

Examples
--------
>>> from kg.load import parse_text
>>> onto = parse_text(ONTOLOGY_TINY, "ontology.ttl")
>>> vocab = read_vocabulary(onto)
>>> f = parse_text(PREFIXES_TINY + 'ent:x a kg:Persn .', "data/entities.ttl")
>>> print(check_terms(f, vocab)[0])
data/entities.ttl:3:9: unknown class 'kg:Persn'
    expected: a class declared in ontology.ttl
    hint: did you mean 'kg:Person'?

"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pyshacl
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDFS, SH
from rdflib.term import Node

from kg.errors import CurationError, Problem
from kg.load import Corpus, CuratedFile, read_corpus
from kg.namespaces import BASE, KG, curie
from kg.project import Project

__all__ = [
    "Vocabulary",
    "check_conflicts",
    "check_corpus",
    "check_dates",
    "check_project",
    "check_quotes",
    "check_shacl",
    "check_terms",
    "check_undefined",
    "read_vocabulary",
    "undefined_ids",
]

ID_SPACE = BASE + "id/"
#: Bump when the SHACL step changes what it reports, so that cached results are not reused.
_CACHE_VERSION = "2"
PREFIXES_TINY = "@prefix kg: <https://w3id.org/newskg/ns#> .\n@prefix ent: <https://w3id.org/newskg/id/> .\n"
ONTOLOGY_TINY = PREFIXES_TINY + (
    "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
    "kg:Person a owl:Class . kg:alias a owl:DatatypeProperty ."
)

_HINTS = {
    "MinCountConstraintComponent": "add the missing property",
    "MaxCountConstraintComponent": (
        "keep a single value; if sources disagree, make two facts linked by kg:contradicts"
    ),
    "ClassConstraintComponent": "use an id of the right class, defined in the registry or an article",
    "DatatypeConstraintComponent": 'write the literal with its datatype, e.g. "2026-02-03"^^xsd:date',
    "PatternConstraintComponent": "shorten the quote to at most 25 words",
    "OrConstraintComponent": "use an id of one of the allowed classes",
}


@dataclass(frozen=True)
class Vocabulary:
    """What the ontology allows curators to write."""

    classes: frozenset[str]
    properties: frozenset[str]
    terms: frozenset[str]
    functional: frozenset[str]
    graph: Graph


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
        frozenset(classes), frozenset(properties), frozenset(declared), frozenset(functional), g
    )


def _did_you_mean(iri: str, candidates: Iterable[str]) -> str:
    close = difflib.get_close_matches(curie(iri), sorted(curie(c) for c in candidates), n=1, cutoff=0.75)
    return f"did you mean '{close[0]}'?" if close else ""


# ---------------------------------------------------------------- 2. terms


def check_terms(f: CuratedFile, vocab: Vocabulary) -> list[Problem]:
    """Classes, properties and ``kg:`` terms that the ontology does not declare."""
    bad: set[str] = set()
    for _, p, o in f.triples:
        if str(p) not in vocab.properties:
            bad.add(str(p))
        if (p == RDF.type and str(o) not in vocab.classes) or (
            isinstance(o, URIRef) and str(o).startswith(str(KG._NS)) and str(o) not in vocab.terms
        ):
            bad.add(str(o))
    problems = []
    for use in f.index.uses:
        if use.iri not in bad:
            continue
        if use.role == "predicate":
            what, expected, pool = "property", "a property declared in ontology.ttl", vocab.properties
        elif use.role == "class":
            what, expected, pool = "class", "a class declared in ontology.ttl", vocab.classes
        elif use.role == "object":
            what, expected, pool = "term", "a term declared in ontology.ttl", vocab.terms
        else:
            continue
        problems.append(
            Problem(
                f.display,
                use.line,
                use.col,
                f"unknown {what} '{curie(use.iri)}'",
                expected=expected,
                hint=_did_you_mean(use.iri, pool),
                kind="terms",
            )
        )
    return problems


# ---------------------------------------------------------------- 3. undefined ids


def undefined_ids(corpus: Corpus) -> dict[str, set[str]]:
    """Ids in the project's id space that no file defines (gives an ``rdf:type``), by file."""
    defined = {str(s) for f in corpus.files[1:] for s, p, _ in f.triples if p == RDF.type}
    missing: dict[str, set[str]] = {}
    for f in corpus.files[1:]:
        used = {
            str(t)
            for triple in f.triples
            for t in (triple[0], triple[2])
            if isinstance(t, URIRef) and str(t).startswith(ID_SPACE)
        }
        if used - defined:
            missing[f.display] = used - defined
    return missing


def check_undefined(corpus: Corpus) -> list[Problem]:
    """A problem for each place an undefined id is written, with did-you-mean."""
    defined = {str(s) for f in corpus.files[1:] for s, p, _ in f.triples if p == RDF.type}
    missing = undefined_ids(corpus)
    problems = []
    for f in corpus.files[1:]:
        for use in f.index.uses if f.display in missing else []:
            if use.iri not in missing[f.display] or use.role not in ("subject", "object"):
                continue
            in_registry = not use.iri.startswith(
                tuple(ID_SPACE + k for k in ("fact/", "evidence/", "article/"))
            )
            expected = (
                f"an actor, place or post defined in {corpus.registry.display}"
                if in_registry
                else "a fact, evidence or article defined in one of the article files"
            )
            pool = defined if in_registry else {d for d in defined if d.startswith(use.iri.rsplit("/", 1)[0])}
            hint = _did_you_mean(use.iri, pool) or (
                f"add it to {corpus.registry.display}" if in_registry else "define it with its rdf:type"
            )
            problems.append(
                Problem(
                    f.display,
                    use.line,
                    use.col,
                    f"unknown id '{curie(use.iri)}'",
                    expected=expected,
                    hint=hint,
                    kind="undefined",
                )
            )
    return problems


# ---------------------------------------------------------------- 4. SHACL


def check_shacl(
    f: CuratedFile,
    vocab: Vocabulary,
    context: Graph,
    cache: Path | None = None,
    context_key: str = "",
    ignore_values: frozenset[str] = frozenset(),
) -> list[Problem]:
    """Validate one file against the ontology's shapes, with ``context`` for the ids it cites.

    Only violations whose focus node is a subject of ``f`` are reported (the others
    belong to the file that writes that node). Violations about a value in
    ``ignore_values`` are left out: those ids are already reported as unknown.
    """
    key = hashlib.sha256(f"{_CACHE_VERSION}|{f.digest}|{context_key}".encode()).hexdigest()
    cached = cache / f"{key}.json" if cache else None
    if cached and cached.is_file():
        results = json.loads(cached.read_text(encoding="utf-8"))
    else:
        results = _shacl_results(f, vocab, context)
        if cached:
            cached.parent.mkdir(parents=True, exist_ok=True)
            cached.write_text(json.dumps(results), encoding="utf-8")
    return [Problem(**r["problem"]) for r in results if r["value"] not in ignore_values]


def _shacl_results(f: CuratedFile, vocab: Vocabulary, context: Graph) -> list[dict[str, Any]]:
    data = f.graph()
    data += context
    data += vocab.graph  # class hierarchy and the ontology's own individuals (kg:Actual…)
    _, report, _ = pyshacl.validate(data, shacl_graph=vocab.graph, inference="none", allow_warnings=True)
    own = f.subjects()
    results = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        if focus not in own:
            continue
        path = report.value(result, SH.resultPath)
        message = str(report.value(result, SH.resultMessage) or "violates a shape")
        component = str(report.value(result, SH.sourceConstraintComponent) or "").rsplit("#", 1)[-1]
        value = report.value(result, SH.value)
        line, col = f.index.position(str(focus), str(path) if path else None)
        detail = f" (value: {_short(value)})" if value is not None else ""
        problem = Problem(
            f.display,
            line,
            col,
            f"{curie(focus)}: {message}{detail}",
            expected=f"{component.removesuffix('ConstraintComponent')} constraint on "
            f"{curie(path) if path else 'the node'} (ontology.ttl shapes)",
            hint=_HINTS.get(component, "see the shape in ontology.ttl"),
            kind="shacl",
        )
        results.append({"problem": asdict(problem), "value": str(value) if value is not None else None})
    return results


def _short(value: Node) -> str:
    text = curie(value) if isinstance(value, URIRef) else repr(str(value))
    return text if len(text) <= 60 else text[:57] + "..."


# ---------------------------------------------------------------- 5. conflicts between files


def check_conflicts(corpus: Corpus, vocab: Vocabulary) -> list[Problem]:
    """Single-valued properties of one node that two article files state differently."""
    values: dict[tuple[Node, str], dict[Node, list[CuratedFile]]] = defaultdict(lambda: defaultdict(list))
    for f in corpus.articles:
        for s, p, o in f.triples:
            if str(p) in vocab.functional:
                values[(s, str(p))][o].append(f)
    problems = []
    for (node, prop), by_value in sorted(values.items(), key=lambda kv: (str(kv[0][0]), kv[0][1])):
        files = {f.display for fs in by_value.values() for f in fs}
        if len(by_value) < 2 or len(files) < 2:
            continue  # one file stating two values is SHACL's finding
        ordered = sorted(by_value.items(), key=lambda kv: min(f.display for f in kv[1]))
        first_value, first_files = ordered[0]
        for value, fs in ordered[1:]:
            for f in fs:
                line, col = f.index.position(str(node), prop)
                problems.append(
                    Problem(
                        f.display,
                        line,
                        col,
                        f"{curie(node)} {curie(prop)} is {_short(value)} here but {_short(first_value)} "
                        f"in {first_files[0].display}",
                        expected="the same value in every file that states this shared fact",
                        hint="if the articles disagree, make two facts linked by kg:contradicts",
                        kind="conflict",
                    )
                )
    return problems


# ---------------------------------------------------------------- 6. quotes


def check_quotes(corpus: Corpus, sources: Path) -> list[Problem]:
    """Evidence quotes that do not occur verbatim in their article's text."""
    union: dict[tuple[Node, Node], Node] = {}
    where: dict[Node, CuratedFile] = {}
    for f in corpus.articles:
        for s, p, o in f.triples:
            union.setdefault((s, p), o)
            if p == RDF.type and o == KG.Article:
                where.setdefault(s, f)
    texts: dict[Node, str | None] = {}
    problems = []
    for article, f in sorted(where.items()):
        name = union.get((article, KG.sourceFile))
        path = sources / str(name) if name else None
        if path is not None and path.is_file():
            texts[article] = _normal(path.read_text(encoding="utf-8"))
            continue
        texts[article] = None
        if name is not None:
            line, col = f.index.position(str(article), str(KG.sourceFile))
            problems.append(
                Problem(
                    f.display,
                    line,
                    col,
                    f"article text not found: {path}",
                    expected="the article's text file in the sources folder",
                    hint="set the sources folder with --sources, KG_SOURCES or [tool.kg] sources",
                    kind="quote",
                )
            )
    for f in corpus.articles:
        for ev, quote in ((s, o) for s, p, o in f.triples if p == KG.quote):
            text = texts.get(union.get((ev, KG.inArticle)))  # type: ignore[arg-type]
            if text is None or _normal(str(quote)) in text:
                continue
            line, col = f.index.position(str(ev), str(KG.quote))
            problems.append(
                Problem(
                    f.display,
                    line,
                    col,
                    f"{curie(ev)}: quote not found verbatim in its article",
                    expected="a span copied exactly from the article text (runs of whitespace may differ)",
                    hint=_quote_hint(_normal(str(quote)), text),
                    kind="quote",
                )
            )
    return problems


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


# ---------------------------------------------------------------- 7. dates


def check_dates(corpus: Corpus) -> list[Problem]:
    """Facts whose ``kg:endDate`` precedes their ``kg:date``."""
    starts: dict[Node, list[Literal]] = defaultdict(list)
    for f in corpus.articles:
        for s, p, o in f.triples:
            if p == KG.date and isinstance(o, Literal):
                starts[s].append(o)
    problems = []
    for f in corpus.articles:
        for s, p, end in f.triples:
            if p != KG.endDate or not isinstance(end, Literal):
                continue
            for start in starts.get(s, []):
                if _comparable(start, end) and str(end) < str(start):
                    line, col = f.index.position(str(s), str(KG.endDate))
                    problems.append(
                        Problem(
                            f.display,
                            line,
                            col,
                            f"{curie(s)} ends on {end} before it starts on {start}",
                            expected="kg:endDate on or after kg:date",
                            hint="check both dates against the article; swap them if they are reversed",
                            kind="dates",
                        )
                    )
    return problems


def _comparable(a: Literal, b: Literal) -> bool:
    return all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(x)) for x in (a, b))


# ---------------------------------------------------------------- all together


def check_corpus(corpus: Corpus, sources: Path, cache: Path | None = None) -> list[Problem]:
    """Every problem of a parsed corpus, sorted by file, line and column."""
    problems = list(corpus.problems)
    if corpus.ontology.problems:
        return sorted(problems)  # nothing else can be checked without the vocabulary
    vocab = read_vocabulary(corpus.ontology)
    readable = [f for f in corpus.files[1:] if not f.problems]
    for f in readable:
        problems += check_terms(f, vocab)
    problems += check_undefined(corpus)
    unknown = frozenset(iri for ids in undefined_ids(corpus).values() for iri in ids)
    registry = corpus.registry.graph()
    types = Graph()
    for f in corpus.articles:
        for s, p, o in f.triples:
            if p == RDF.type:
                types.add((s, p, o))
    registry_key = hashlib.sha256((corpus.ontology.digest + corpus.registry.digest).encode()).hexdigest()
    types_key = hashlib.sha256("\n".join(sorted(f"{s} {o}" for s, _, o in types)).encode()).hexdigest()
    for f in readable:
        if f is corpus.registry:
            problems += check_shacl(f, vocab, Graph(), cache, registry_key, unknown)
        else:
            problems += check_shacl(f, vocab, registry + types, cache, registry_key + types_key, unknown)
    problems += check_conflicts(corpus, vocab)
    problems += check_quotes(corpus, sources)
    problems += check_dates(corpus)
    return sorted(set(problems))


def check_project(project: Project) -> Corpus:
    """Read and check a project; return the corpus when it is clean.

    Raises
    ------
    CurationError
        With every problem found.
    InputError
        If the project's files cannot be found.

    """
    corpus = read_corpus(project)
    problems = check_corpus(corpus, project.sources, project.build / ".cache" / "check")
    if problems:
        raise CurationError(problems)
    return corpus
