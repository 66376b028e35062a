"""Canonical serialisation of a dataset: the same content always gives the same bytes.

Both wings use it: :mod:`kg.build` writes the dataset with it, :mod:`kg.store`
exports it. The canonical form is N-Quads with the default graph first, then each
named graph by name and, within a graph, its N-Triples lines sorted and unique. Oxigraph writes the lines; Python only
sorts bytes, so this stays fast for millions of triples. Other formats are written
from the canonical N-Quads in the same order.

Examples
--------
>>> import pyoxigraph as ox
>>> store = ox.Store()
>>> store.add(ox.Quad(ox.NamedNode("http://x/s"), ox.NamedNode("http://x/p"), ox.Literal("o"),
...                   ox.NamedNode("https://w3id.org/newskg/id/article/a1")))
>>> store.add(ox.Quad(ox.NamedNode("http://x/s"), ox.NamedNode("http://x/p"), ox.Literal("o")))
>>> print(to_bytes(store, "nquads").decode(), end="")
<http://x/s> <http://x/p> "o" .
<http://x/s> <http://x/p> "o" <https://w3id.org/newskg/id/article/a1> .
>>> to_bytes(store, "turtle").decode().splitlines()[:2]
['@prefix art: <https://w3id.org/newskg/id/article/> .', '@prefix dct: <http://purl.org/dc/terms/> .']
>>> to_bytes(store, "turtle").decode().count('"o"')
1
>>> to_bytes(store, "turtle").decode().splitlines()[-1]
'<http://x/s> <http://x/p> "o" .'

"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from kg.errors import InputError
from kg.files import stage, write_atomic
from kg.jsonld import to_jsonld
from kg.namespaces import PREFIXES

__all__ = [
    "FORMATS",
    "STORE_DIR",
    "canonical_nquads",
    "from_nquads",
    "open_store",
    "sorted_lines",
    "stage",
    "store_is_current",
    "to_bytes",
    "update_store",
    "write_atomic",
    "write_store",
]

#: The folder of a build that holds the dataset as an on-disk Oxigraph store, which opens
#: in milliseconds where loading the N-Quads takes seconds per million triples.
STORE_DIR = "store"
_STAMP = "dataset.stamp"

#: Export formats: name -> Oxigraph format.
FORMATS: dict[str, ox.RdfFormat] = {
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "turtle": ox.RdfFormat.TURTLE,
    "jsonld": ox.RdfFormat.JSON_LD,
}


def sorted_lines(ntriples: bytes, graph: str | None = None) -> list[bytes]:
    """The lines of N-Triples ``ntriples``, unique and sorted; with ``graph``, as N-Quads."""
    lines = sorted({line for line in ntriples.split(b"\n") if line})
    if graph is None:
        return [line + b"\n" for line in lines]
    suffix = f" <{graph}> .\n".encode()
    return [line.removesuffix(b" .") + suffix for line in lines]


def canonical_nquads(store: ox.Store) -> bytes:
    """The whole dataset of ``store`` as canonical N-Quads (see the module's docstring)."""
    default = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    out = sorted_lines(default or b"")
    for name in sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)):
        data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(name))
        out += sorted_lines(data or b"", name)
    return b"".join(out)


def from_nquads(nquads: bytes, fmt: str) -> bytes:
    """Canonical N-Quads rewritten in format ``fmt``, in the same order.

    ``turtle`` has no named graphs: it writes the union of the graphs, each triple once.
    ``jsonld`` is compacted with the project's context inlined, each article's graph a
    named graph (see :mod:`kg.jsonld`).

    Raises
    ------
    InputError
        For an unknown format name.

    """
    if fmt not in FORMATS:
        raise InputError(f"unknown format '{fmt}'", expected=f"one of {', '.join(sorted(FORMATS))}")
    if fmt == "nquads":
        return nquads
    quads = ox.parse(nquads, format=ox.RdfFormat.N_QUADS)
    if fmt == "turtle":
        every = ox.serialize((q.triple for q in quads), format=ox.RdfFormat.N_TRIPLES) or b""
        triples = ox.parse(b"".join(sorted_lines(every)), format=ox.RdfFormat.N_TRIPLES)
        return _sorted_header(_serialize((q.triple for q in triples), ox.RdfFormat.TURTLE))
    if fmt == "jsonld":
        return to_jsonld(quads)
    return _sorted_header(_serialize(quads, FORMATS[fmt]))


def to_bytes(store: ox.Store, fmt: str) -> bytes:
    """The whole dataset of ``store`` in format ``fmt`` (see :data:`FORMATS`)."""
    return from_nquads(canonical_nquads(store), fmt)


def _serialize(items: Iterable[ox.Quad] | Iterable[ox.Triple], fmt: ox.RdfFormat) -> bytes:
    data = ox.serialize(items, format=fmt, prefixes=PREFIXES)
    assert data is not None
    return data


def _sorted_header(data: bytes) -> bytes:
    # Oxigraph writes the prefixes in an order of its own: write them sorted instead.
    body = [line for line in data.split(b"\n") if not line.startswith(b"@prefix ")]
    header = [f"@prefix {k}: <{v}> .".encode() for k, v in sorted(PREFIXES.items())]
    return b"\n".join([*header, *body])


def write_store(dataset: Path, folder: Path) -> Path:
    """Load the N-Quads file ``dataset`` into the on-disk store ``folder/store``, atomically.

    The store is written aside, stamped with the size and modification time of the file it
    was loaded from, then renamed into place; what a killed build left aside is removed
    first. Readers (:func:`open_store`) use it only while the stamp still matches.
    """
    for leftover in folder.glob(".store-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    target = folder / STORE_DIR
    staged = Path(tempfile.mkdtemp(prefix=".store-new-", dir=folder))
    try:
        store = ox.Store(str(staged / "db"))
        store.bulk_load(path=str(dataset), format=ox.RdfFormat.N_QUADS)
        store.flush()
        del store
        (staged / _STAMP).write_text(_stamp_of(dataset), encoding="utf-8")
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=".store-old-", dir=folder))
            os.replace(target, old / STORE_DIR)
        os.replace(staged, target)
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    for leftover in folder.glob(".store-old-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    return target


def update_store(
    dataset: Path,
    folder: Path,
    removed: Iterable[ox.Quad],
    added: Iterable[ox.Quad],
    graphs: Iterable[str],
    loaded: bytes,
    *,
    source: Path | None = None,
) -> Path:
    """Write the on-disk store of ``folder`` for the new ``dataset`` from the previous one, atomically.

    The store of ``source`` (default: ``folder``; a build passes the previous generation)
    is copied aside (a checkpoint: its immutable files are hard-linked, not copied), the
    copy loses ``removed`` and the named ``graphs`` and gains ``added`` and the N-Quads
    ``loaded``, is stamped for ``dataset`` and renamed into place, as :func:`write_store`
    does. The store of ``source`` must match the previous dataset; it is left as it was
    when ``source`` is another folder.
    """
    for leftover in folder.glob(".store-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    target = folder / STORE_DIR
    origin = (source if source is not None else folder) / STORE_DIR
    staged = Path(tempfile.mkdtemp(prefix=".store-new-", dir=folder))
    store = None
    try:
        ox.Store.read_only(str(origin / "db")).backup(str(staged / "db"))
        store = ox.Store(str(staged / "db"))
        for graph in graphs:
            store.remove_graph(ox.NamedNode(graph))
        for quad in removed:
            store.remove(quad)
        store.extend(added)
        store.load(input=loaded, format=ox.RdfFormat.N_QUADS)
        store.flush()
        store = None  # closed
        (staged / _STAMP).write_text(_stamp_of(dataset), encoding="utf-8")
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=".store-old-", dir=folder))
            os.replace(target, old / STORE_DIR)
        os.replace(staged, target)
    except BaseException:
        store = None  # closed before its files go
        shutil.rmtree(staged, ignore_errors=True)
        raise
    for leftover in folder.glob(".store-old-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    return target


def store_is_current(dataset: Path) -> bool:
    """Whether the on-disk store beside ``dataset`` was loaded from it as it is now.

    A link ``dataset`` (``build/dataset.nq`` links into the current generation of the
    build, see :mod:`kg.generations`) is resolved first: the store looked at is the one
    beside the file it names, of the same generation.
    """
    real = Path(os.path.realpath(dataset))
    try:
        return (real.parent / STORE_DIR / _STAMP).read_text(encoding="utf-8") == _stamp_of(real)
    except OSError:
        return False


def open_store(dataset: Path) -> ox.Store | None:
    """The on-disk store built beside ``dataset``, opened read-only; None if absent or stale.

    As :func:`store_is_current`, beside the file a link ``dataset`` names.
    """
    real = Path(os.path.realpath(dataset))
    if not store_is_current(real):
        return None
    try:
        return ox.Store.read_only(str(real.parent / STORE_DIR / "db"))
    except OSError:
        return None


def _stamp_of(dataset: Path) -> str:
    stat = dataset.stat()
    return f"{stat.st_size} {stat.st_mtime_ns}\n"
