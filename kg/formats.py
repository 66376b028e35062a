"""Canonical serialisation of quads: the same dataset always gives the same bytes.

Both wings use it: :mod:`kg.build` writes the dataset with it, :mod:`kg.store`
exports it. Quads are ordered by layer (ontology, registry, curated, evidence,
derived, then any other graph), then by subject, predicate and object.

Examples
--------
>>> import pyoxigraph as ox
>>> q = ox.Quad(ox.NamedNode("http://x/s"), ox.NamedNode("http://x/p"), ox.Literal("o"),
...             ox.NamedNode("https://w3id.org/newskg/graph/registry"))
>>> print(to_bytes([q], "nquads").decode(), end="")
<http://x/s> <http://x/p> "o" <https://w3id.org/newskg/graph/registry> .
>>> to_bytes([q], "turtle").decode().splitlines()[:2]
['@prefix art: <https://w3id.org/newskg/id/article/> .', '@prefix dct: <http://purl.org/dc/terms/> .']
>>> to_bytes([q], "turtle").decode().splitlines()[-1]
'<http://x/s> <http://x/p> "o" .'

"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from kg.errors import InputError
from kg.namespaces import GRAPHS, PREFIXES

__all__ = ["FORMATS", "canonical_order", "to_bytes", "write_atomic"]

#: Export formats: name -> (Oxigraph format, whether named graphs are kept).
FORMATS: dict[str, tuple[ox.RdfFormat, bool]] = {
    "nquads": (ox.RdfFormat.N_QUADS, True),
    "trig": (ox.RdfFormat.TRIG, True),
    "turtle": (ox.RdfFormat.TURTLE, False),
    "jsonld": (ox.RdfFormat.JSON_LD, True),
}

_LAYER = {str(iri): i for i, iri in enumerate(GRAPHS.values())}


def canonical_order(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """Quads sorted by layer, subject, predicate, object."""
    return sorted(quads, key=_key)


def to_bytes(quads: Iterable[ox.Quad], fmt: str) -> bytes:
    """Serialise ``quads`` canonically in format ``fmt`` (see :data:`FORMATS`).

    ``turtle`` has no named graphs: it writes the union of the layers, each triple once.

    Raises
    ------
    InputError
        For an unknown format name.

    """
    if fmt not in FORMATS:
        raise InputError(f"unknown format '{fmt}'", expected=f"one of {', '.join(sorted(FORMATS))}")
    rdf_format, keeps_graphs = FORMATS[fmt]
    ordered = canonical_order(quads)
    if fmt == "nquads":
        return "".join(f"{q} .\n" for q in ordered).encode("utf-8")
    if not keeps_graphs:
        seen: dict[str, ox.Triple] = {}
        for q in ordered:
            seen.setdefault(str(q.triple), q.triple)
        triples = sorted(seen.values(), key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
        data = ox.serialize(triples, format=rdf_format, prefixes=PREFIXES)
    elif fmt == "jsonld":
        data = ox.serialize(ordered, format=rdf_format)
    else:
        data = ox.serialize(ordered, format=rdf_format, prefixes=PREFIXES)
    assert data is not None
    return data if fmt == "jsonld" else _sorted_header(data)


def _sorted_header(data: bytes) -> bytes:
    # Oxigraph writes the prefixes in an order of its own: write them sorted instead.
    lines = data.split(b"\n")
    body = [line for line in lines if not line.startswith(b"@prefix ")]
    header = [f"@prefix {k}: <{v}> .".encode() for k, v in sorted(PREFIXES.items())]
    return b"\n".join([*header, *body])


def _key(q: ox.Quad) -> tuple[int, str, str, str, str]:
    graph = q.graph_name
    name = "" if isinstance(graph, ox.DefaultGraph) else str(graph.value)
    return (_LAYER.get(name, len(_LAYER)), name, str(q.subject), str(q.predicate), str(q.object))


def write_atomic(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    Readers see the old file or the new one, never a part; if writing fails the old
    file is untouched and the temporary file removed.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    os.replace(stage(path, data), path)
    return path


def stage(path: Path, data: bytes) -> Path:
    """Write ``data`` to a hidden temporary file beside ``path`` and return its name."""
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        os.chmod(name, 0o666 & ~_UMASK)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


_UMASK = os.umask(0)
os.umask(_UMASK)
