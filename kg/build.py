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

import hashlib
import json
import os
from dataclasses import dataclass
from importlib import resources
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.check import CheckedCorpus, check_project, file_graph
from kg.formats import from_nquads, sorted_lines, stage, write_atomic
from kg.namespaces import GRAPHS, PREFIXES
from kg.project import Project

__all__ = ["EXAMPLE", "BuildResult", "build_layers", "build_nquads", "build_project", "read_rules", "write_dataset"]

#: A small complete example project shipped with the tests (used by doctests).
EXAMPLE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "tiny"


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote: its files, the triples in each layer, whether it was up to date."""

    outputs: tuple[Path, ...]
    counts: dict[str, int]
    up_to_date: bool = False


def read_rules() -> list[tuple[str, str]]:
    """The derivation rules shipped in ``kg/rules``, as (name, SPARQL) in name order."""
    folder = resources.files("kg") / "rules"
    return sorted(
        (entry.name, entry.read_text(encoding="utf-8")) for entry in folder.iterdir() if entry.name.endswith(".rq")
    )


def build_layers(checked: CheckedCorpus) -> dict[str, bytes]:
    """The N-Triples of each layer, taken from the store the corpus was checked in.

    Evidence and article nodes go to the evidence graph, every other triple of an
    article file to the curated graph; the rules derive the derived graph from the union.
    Oxigraph writes every triple: no Python object per triple is made.
    """
    corpus, store = checked.corpus, checked.store
    ontology, registry = file_graph(corpus.ontology), file_graph(corpus.registry)
    articles = f"GRAPH ?g {{ ?s ?p ?o }} FILTER (?g != {ontology} && ?g != {registry})"
    # every file types the nodes it describes (checked), so a node's class is in its own graph
    evidence = "GRAPH ?g { ?s a ?c } VALUES ?c { kg:Evidence kg:Article }"

    def construct(sparql: str, source: ox.Store = store) -> bytes:
        result = source.query(sparql, prefixes=PREFIXES, use_default_graph_as_union=True)
        assert isinstance(result, ox.QueryTriples)
        return result.serialize(format=ox.RdfFormat.N_TRIPLES) or b""

    layers = {
        "ontology": store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ontology) or b"",
        "registry": store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=registry) or b"",
        "curated": construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {articles} MINUS {{ {evidence} }} }}"),
        "evidence": construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {evidence} GRAPH ?g {{ ?s ?p ?o }} }}"),
    }
    # The rules run on the merged layers: in the union of the file graphs, a fact that
    # several articles state would match once per file, multiplying the joins.
    merged = ox.Store()
    merged.bulk_load(input=b"".join(layers.values()), format=ox.RdfFormat.N_TRIPLES)
    layers["derived"] = b"".join(construct(rule, merged) for _name, rule in read_rules())
    return layers


def build_nquads(checked: CheckedCorpus) -> tuple[bytes, dict[str, int]]:
    """The dataset as canonical N-Quads, and the number of triples in each layer."""
    out: list[bytes] = []
    counts = {}
    for name, data in build_layers(checked).items():
        lines = sorted_lines(data, str(GRAPHS[name]))
        counts[name] = len(lines)
        out += lines
    return b"".join(out), counts


def write_dataset(nquads: bytes, folder: Path) -> tuple[Path, ...]:
    """Write ``dataset.nq`` and ``dataset.trig`` into ``folder``, both or neither.

    Both are written aside first, then renamed over the old ones.
    """
    folder.mkdir(parents=True, exist_ok=True)
    targets = (folder / "dataset.nq", folder / "dataset.trig")
    staged = [stage(targets[0], nquads), stage(targets[1], from_nquads(nquads, "trig"))]
    for tmp, target in zip(staged, targets, strict=True):
        os.replace(tmp, target)
    return targets


def build_project(project: Project, *, force: bool = False) -> BuildResult:
    """Check ``project``, build its dataset and write it into ``project.build``.

    When nothing that goes into the build has changed since the last one (the curated
    files, the article texts, the rules, this version of kg) and its outputs have the size
    and modification time it gave them, they are kept as they are (``up_to_date`` in the
    result); ``force`` rebuilds anyway.

    Raises
    ------
    CurationError
        If the check finds problems; nothing is written then.

    """
    manifest = project.build / ".cache" / "build.json"
    key = _inputs_key(project)
    if not force:
        previous = _read_json(manifest)
        outputs = tuple(project.build / name for name in previous.get("outputs", {}))
        if (
            previous.get("key") == key
            and outputs
            and all(p.is_file() and _stamp(p) == previous["outputs"][p.name] for p in outputs)
        ):
            return BuildResult(outputs, dict(previous["counts"]), up_to_date=True)
    nquads, counts = build_nquads(check_project(project, incremental=not force))
    outputs = write_dataset(nquads, project.build)
    record = {"key": key, "counts": counts, "outputs": {p.name: _stamp(p) for p in outputs}}
    write_atomic(manifest, json.dumps(record, indent=1, sort_keys=True).encode("utf-8"))
    return BuildResult(outputs, counts)


def _inputs_key(project: Project) -> str:
    """A digest of everything a build reads."""
    digest = hashlib.sha256(f"kg {version('kg')}".encode())
    paths = [project.ontology, project.registry, *project.article_files()]
    if project.sources.is_dir():
        paths += sorted(p for p in project.sources.iterdir() if p.is_file())
    for path in paths:
        digest.update(str(path).encode() + b"\0" + (path.read_bytes() if path.is_file() else b"") + b"\0")
    for name, rule in read_rules():
        digest.update(name.encode() + rule.encode())
    return digest.hexdigest()


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _stamp(path: Path) -> list[int]:
    # size and modification time, as make does: a touched or rewritten output is rebuilt
    stat = path.stat()
    return [stat.st_size, stat.st_mtime_ns]
