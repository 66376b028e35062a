"""Update a built dataset for a few changed articles, to the bytes a full build gives.

A full build (:mod:`kg.build`) re-reads every article and re-derives everything. When
only some articles changed (edited, added or removed) and nothing else did (the
ontology, the registry, the rules, this version of kg), :func:`update` works from the
previous build instead:

1. the changed articles' graphs, old and new, name what can change (see
   :func:`kg.derive.affected`): the facts they speak of and the pairs of actors their
   facts link;
2. the articles that speak of those facts or link those pairs are found in the previous
   build's store; with the changed articles they are all a derivation about those keys
   reads, so :func:`kg.derive.derive` runs on them alone, before and after the change;
3. the default graph loses the statements that nothing states any more (no article, not
   the ontology or the registry, not the new derivation) and gains the new ones; the
   other articles' graphs are copied as bytes from the previous ``dataset.nq``.

The result is the same canonical N-Quads a full build writes (the tests compare them
after each kind of change), and the list of quads to take out of and put into the
on-disk store, so that it too is updated rather than reloaded.

Examples
--------
>>> import shutil, tempfile, pathlib
>>> from kg.build import EXAMPLE, build_project
>>> from kg.project import Project
>>> from kg.build import build_nquads
>>> from kg.check import check_project
>>> root = pathlib.Path(tempfile.mkdtemp()) / "tiny"
>>> _ = shutil.copytree(EXAMPLE, root)
>>> settings = root / "pyproject.toml"
>>> ontology = str(EXAMPLE.parent.parent.parent / "ontology.ttl")
>>> _ = settings.write_text(settings.read_text().replace("../../../ontology.ttl", ontology))
>>> project = Project.at(root, sources=root / "sources")
>>> first = build_project(project)
>>> article = root / "data" / "articles" / "t1.ttl"
>>> _ = article.write_text(article.read_text().replace("kg:Actual", "kg:Planned"))
>>> again = build_project(project)
>>> again.incremental, (root / "build" / "dataset.nq").read_bytes() == build_nquads(check_project(project))[0]
(True, True)

"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from kg.derive import Key, affected, derive, derived_about, term_text
from kg.formats import sorted_lines
from kg.namespaces import KG

__all__ = ["Previous", "Update", "update"]


@dataclass(frozen=True)
class Previous:
    """The previous build: its N-Quads, where each article's graph lies in them, its store.

    ``ranges`` maps each article to the (start, end) byte offsets of its graph's lines in
    ``nquads``; the default graph's lines come first and end at ``default_end``.
    ``derived`` is the number of derived statements it counted.
    """

    nquads: bytes
    ranges: dict[str, tuple[int, int]]
    default_end: int
    derived: int
    store: ox.Store


@dataclass(frozen=True)
class Update:
    """A new dataset made from a previous one (see :func:`update`).

    ``nquads``, ``ranges`` and ``default_end`` describe it as :class:`Previous` does;
    ``counts`` are the build's counts; the store is brought up to date by removing
    ``removed`` and ``graphs`` (the graphs of changed and removed articles) and adding
    ``added`` (default graph) and the new graphs in ``nquads``.
    """

    nquads: bytes
    ranges: dict[str, tuple[int, int]]
    default_end: int
    counts: dict[str, int]
    removed: list[ox.Quad]
    added: list[ox.Quad]
    graphs: tuple[str, ...]

    @property
    def loaded(self) -> bytes:
        """The new graphs of the changed articles, as N-Quads (to load into the store)."""
        return b"".join(self.nquads[slice(*self.ranges[a])] for a in self.graphs if a in self.ranges)


def update(
    previous: Previous,
    vocabulary: bytes,
    changed: dict[str, bytes],
    removed: Iterable[str],
    compared: Iterable[str],
    functional: Iterable[str],
) -> Update:
    """The dataset after the articles in ``changed`` got new statements and ``removed`` went.

    ``vocabulary`` is the ontology and the registry as N-Triples (unchanged since the
    previous build); ``changed`` maps an article to its new statements as N-Triples
    (:func:`kg.derive.article_statements`), a new article included.
    """
    removed = set(removed)
    touched = set(changed) | removed
    old_graphs = {a: previous.nquads[slice(*previous.ranges[a])] for a in touched if a in previous.ranges}
    vocab = ox.Store()
    vocab.bulk_load(input=vocabulary, format=ox.RdfFormat.N_TRIPLES)
    keys = _keys(vocab, old_graphs, changed)
    others = _statements_read(previous.store, keys, touched)
    compared, functional = list(compared), list(functional)
    edges = _edges(vocab)
    before = _derived(vocabulary, [others, *old_graphs.values()], {}, keys, edges, compared, functional)
    after = _derived(vocabulary, [others], changed, keys, edges, compared, functional)

    old_lines = {t for data in old_graphs.values() for t in _triples(data, ox.RdfFormat.N_QUADS)}
    new_lines = {t for data in changed.values() for t in _triples(data, ox.RdfFormat.N_TRIPLES)}
    vocab_lines = {q.triple for q in vocab}
    store, default = previous.store, ox.DefaultGraph()

    def stated_elsewhere(t: ox.Triple) -> bool:
        return any(
            q.graph_name != default and q.graph_name.value not in touched  # type: ignore[union-attr]
            for q in store.quads_for_pattern(t.subject, t.predicate, t.object, None)
        )

    gone = [t for t in (old_lines | before) - new_lines - after if t not in vocab_lines and not stated_elsewhere(t)]
    new = [t for t in new_lines | after if not any(True for _ in store.quads_for_pattern(*_spo(t), default))]

    gone_lines = set(_lines(gone))
    default_lines = [line + b"\n" for line in previous.nquads[: previous.default_end].split(b"\n") if line]
    default_lines = [line for line in default_lines if line not in gone_lines]
    default_lines += _lines(new)
    default_lines.sort()
    head = b"".join(default_lines)

    articles = sorted((set(previous.ranges) - removed) | set(changed))
    parts, ranges, at = [head], {}, len(head)
    for article in articles:
        if article in changed:
            data = b"".join(sorted_lines(changed[article], article))
        else:
            data = previous.nquads[slice(*previous.ranges[article])]
        parts.append(data)
        ranges[article] = (at, at + len(data))
        at += len(data)
    nquads = b"".join(parts)
    counts = {
        "default graph": len(default_lines),
        "derived": previous.derived - len(before) + len(after),
        "article graphs": nquads.count(b"\n", len(head)),
    }
    return Update(
        nquads,
        ranges,
        len(head),
        counts,
        [ox.Quad(*_spo(t)) for t in gone],
        [ox.Quad(*_spo(t)) for t in new],
        tuple(sorted(touched)),
    )


def _keys(vocab: ox.Store, old_graphs: dict[str, bytes], changed: dict[str, bytes]) -> set[Key]:
    """What the changed articles' graphs, before and after, take part in (see :func:`kg.derive.affected`)."""
    graphs = ox.Store()
    for data in old_graphs.values():
        graphs.bulk_load(input=data, format=ox.RdfFormat.N_QUADS)
    for article, data in changed.items():
        graphs.bulk_load(input=data, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(article + "#new"))
    return affected(graphs, _edges(vocab))


def _edges(vocab: ox.Store) -> set[str]:
    """The edge properties the ontology declares."""
    return {
        str(q.object.value)
        for q in vocab.quads_for_pattern(None, ox.NamedNode(KG.edgeProperty), None)
        if isinstance(q.object, ox.NamedNode)
    }


def _statements_read(store: ox.Store, keys: set[Key], touched: set[str]) -> bytes:
    """What deriving for ``keys`` reads in the articles of ``store`` not ``touched``, as N-Quads.

    Derivation reads, in each article's graph, only statements about facts (see
    :mod:`kg.derive`): here, about the facts in ``keys`` and about the facts that link a
    pair in ``keys``, from every graph that states them; and the statements that link a
    pair directly.
    """
    facts = {k[1] for k in keys if k[0] == "fact"}
    with_value: dict[tuple[str, str], set[str]] = {}

    def stating(prop: str, value: str) -> set[str]:
        """The facts some graph of ``store`` gives ``value`` for ``prop`` (looked up once)."""
        if (prop, value) not in with_value:
            quads = store.quads_for_pattern(None, ox.NamedNode(prop), ox.NamedNode(value), None)
            with_value[(prop, value)] = {term_text(q.subject) for q in quads}
        return with_value[(prop, value)]

    for key in keys:
        if key[0] == "pair":
            for one, other in ((KG.actor, KG.target), (KG.subject, KG.object)):
                facts |= stating(str(one), key[1]) & stating(str(other), key[2])
    default = ox.DefaultGraph()
    quads = [
        q
        for fact in sorted(facts)
        for q in store.quads_for_pattern(ox.NamedNode(fact), None, None, None)
        if q.graph_name != default and term_text(q.graph_name) not in touched
    ]
    quads += [
        q
        for k in keys
        if k[0] == "pair"
        for q in store.quads_for_pattern(ox.NamedNode(k[1]), None, ox.NamedNode(k[2]), None)
        if q.graph_name != default and term_text(q.graph_name) not in touched
    ]
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""


def _derived(
    vocabulary: bytes,
    graphs: list[bytes],
    changed: dict[str, bytes],
    keys: set[Key],
    edges: set[str],
    compared: list[str],
    functional: list[str],
) -> set[ox.Triple]:
    """What derivation over these articles' graphs makes for ``keys``: exactly what a full build makes."""
    ds = ox.Store()
    ds.bulk_load(input=vocabulary, format=ox.RdfFormat.N_TRIPLES)
    for data in graphs:
        ds.bulk_load(input=data, format=ox.RdfFormat.N_QUADS)
    for article, data in changed.items():
        ds.bulk_load(input=data, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(article))
    derived = ox.Store()
    for data in derive(ds, compared, functional):
        derived.bulk_load(input=data, format=ox.RdfFormat.N_TRIPLES)
    return set(derived_about(derived, keys, edges))


def _spo(t: ox.Triple) -> tuple[ox.NamedNode | ox.BlankNode, ox.NamedNode, ox.NamedNode | ox.BlankNode | ox.Literal]:
    return t.subject, t.predicate, t.object  # type: ignore[return-value]


def _triples(data: bytes, fmt: ox.RdfFormat) -> list[ox.Triple]:
    return [q.triple for q in ox.parse(data, format=fmt)]


def _lines(triples: list[ox.Triple]) -> list[bytes]:
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    return [line + b"\n" for line in data.split(b"\n") if line]
