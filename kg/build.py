"""Assemble a checked corpus into one dataset of named graphs and write it canonically.

The layers, each a named graph (see :data:`kg.namespaces.GRAPHS`):

``ontology``  the vocabulary and shapes         ``registry``  actors, places, posts
``curated``   the facts the articles report     ``evidence``  quotes and article metadata
``derived``   actor-actor edges and counts written by the rules in ``kg/rules/*.rq``

The rules are SPARQL CONSTRUCT queries run by Oxigraph over the union of the other
layers, in file-name order. Blank nodes (the ontology's SHACL shapes use them) were
skolemised by :mod:`kg.load` into IRIs derived from their file's content, so that the
dataset reloads and re-exports to the same bytes.
The output is N-Quads with its lines sorted, and TriG
written from the same sorted quads: the same corpus always gives the same bytes.
Both files are written aside and then renamed, so a failed build leaves the previous
output untouched.

Examples
--------
>>> import shutil, tempfile, pathlib
>>> project = Project.at(EXAMPLE).with_build(pathlib.Path(tempfile.mkdtemp()) / "build")
>>> result = build_project(project)
>>> sorted(p.name for p in result.outputs)
['dataset.nq', 'dataset.trig']
>>> result.counts["derived"] > 0
True

"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pyoxigraph as ox

from kg.check import CheckedCorpus, check_project, file_graph
from kg.formats import canonical_order, stage, to_bytes
from kg.load import CuratedFile
from kg.namespaces import GRAPHS, PREFIXES
from kg.project import Project

__all__ = ["EXAMPLE", "BuildResult", "build_dataset", "build_project", "read_rules", "write_dataset"]

#: A small complete example project shipped with the tests (used by doctests).
EXAMPLE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "tiny"


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote: the files and the number of triples in each layer."""

    outputs: tuple[Path, ...]
    counts: dict[str, int]


def read_rules() -> list[tuple[str, str]]:
    """The derivation rules shipped in ``kg/rules``, as (name, SPARQL) in name order."""
    folder = resources.files("kg") / "rules"
    return sorted(
        (entry.name, entry.read_text(encoding="utf-8")) for entry in folder.iterdir() if entry.name.endswith(".rq")
    )


def build_dataset(checked: CheckedCorpus) -> ox.Store:
    """Assemble a checked corpus into a new Oxigraph store, layer by layer, and derive.

    Evidence and article nodes go to the evidence graph, every other triple of an
    article file to the curated graph.
    """
    corpus, source = checked.corpus, checked.store
    graph = {name: ox.NamedNode(str(iri)) for name, iri in GRAPHS.items()}
    evidence_nodes = {
        row["s"]
        for row in source.query(  # type: ignore[union-attr]
            "SELECT DISTINCT ?s WHERE { GRAPH ?g { ?s a ?c } VALUES ?c { kg:Evidence kg:Article } }",
            prefixes=PREFIXES,
        )
    }
    store = ox.Store()

    def layer_of(f: CuratedFile, quad: ox.Quad) -> ox.NamedNode:
        if f is corpus.ontology:
            return graph["ontology"]
        if f is corpus.registry:
            return graph["registry"]
        return graph["evidence"] if quad.subject in evidence_nodes else graph["curated"]

    for f in corpus.files:
        store.bulk_extend(
            ox.Quad(q.subject, q.predicate, q.object, layer_of(f, q))
            for q in source.quads_for_pattern(None, None, None, file_graph(f))
        )
    for _name, rule in read_rules():
        derived = store.query(rule, use_default_graph_as_union=True)
        store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, graph["derived"]) for t in derived)  # type: ignore[union-attr]
    return store


def write_dataset(store: ox.Store, folder: Path) -> tuple[Path, ...]:
    """Write ``dataset.nq`` and ``dataset.trig`` canonically and atomically into ``folder``."""
    quads = canonical_order(store)
    nquads, trig = to_bytes(quads, "nquads"), to_bytes(quads, "trig")
    folder.mkdir(parents=True, exist_ok=True)
    targets = (folder / "dataset.nq", folder / "dataset.trig")
    staged = [stage(target, data) for target, data in zip(targets, (nquads, trig), strict=True)]
    for tmp, target in zip(staged, targets, strict=True):
        os.replace(tmp, target)
    return targets


def build_project(project: Project) -> BuildResult:
    """Check ``project``, build its dataset and write it into ``project.build``.

    Raises
    ------
    CurationError
        If the check finds problems; nothing is written then.

    """
    store = build_dataset(check_project(project))
    outputs = write_dataset(store, project.build)
    counts = {
        name: sum(1 for _ in store.quads_for_pattern(None, None, None, ox.NamedNode(str(iri))))
        for name, iri in GRAPHS.items()
    }
    return BuildResult(outputs, counts)
