"""Open a built dataset into a store, and export it.

The use wing reads only what :mod:`kg.build` wrote (``build/dataset.nq`` and the on-disk
Oxigraph store beside it, ``build/store``); it never imports the curation wing.

Examples
--------
>>> import tempfile, pathlib
>>> from kg.build import EXAMPLE, build_project
>>> from kg.project import Project
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> _ = build_project(Project.at(EXAMPLE, sources=EXAMPLE / "sources").with_build(out))
>>> store = read_dataset(out)
>>> len(store) > 0
True
>>> export_dataset(store, "nquads") == (out / "dataset.nq").read_bytes()
True

"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kg.errors import InputError
from kg.facts import fact_reports, to_csv
from kg.files import write_atomic
from kg.formats import FORMATS, open_store, to_bytes

__all__ = ["DATASET_FILE", "EXPORT_FORMATS", "dataset_path", "export_dataset", "read_dataset", "write_export"]

#: The file of a build folder that holds the dataset.
DATASET_FILE = "dataset.nq"

#: What :func:`export_dataset` writes: the RDF serialisations, and ``facts-csv``, every fact
#: as each article reports it, one row per fact and article (:mod:`kg.facts`).
EXPORT_FORMATS = (*sorted(FORMATS), "facts-csv")


def dataset_path(build: Path) -> Path:
    """The dataset file of the build folder ``build``.

    Raises
    ------
    InputError
        If there is no built dataset in ``build``.

    """
    path = Path(build) / DATASET_FILE
    if not path.is_file():
        raise InputError(
            f"no built dataset: {path}",
            expected="the output of 'kg build'",
            hint="run 'kg build' (or 'make demo') first",
        )
    return path


def read_dataset(build: Path) -> ox.Store:
    """Open the dataset built into the folder ``build``.

    The build leaves it as an on-disk store (``build/store``) that opens read-only in
    milliseconds; without one that matches ``dataset.nq``, the file is loaded into memory.

    Raises
    ------
    InputError
        If there is no built dataset in ``build``.

    """
    path = dataset_path(build)
    store = open_store(path)
    if store is None:  # no store beside it (an older build, or a copied dataset.nq): load the file
        store = ox.Store()
        store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    return store


def export_dataset(store: ox.Store, fmt: str) -> bytes:
    """The whole dataset in format ``fmt`` (see :data:`EXPORT_FORMATS`), always the same bytes for the same dataset.

    ``turtle`` cannot hold named graphs: it gives the union of the graphs. ``jsonld`` is
    compacted with the project's context inlined (:mod:`kg.jsonld`). ``facts-csv`` is
    not RDF but a table for spreadsheets: one row per fact and article that reports it,
    with its quotes (:func:`kg.facts.fact_reports`).

    Raises
    ------
    InputError
        For an unknown format.

    """
    if fmt == "facts-csv":
        return to_csv(fact_reports(store))
    if fmt not in FORMATS:
        raise InputError(f"unknown format '{fmt}'", expected=f"one of {', '.join(EXPORT_FORMATS)}")
    return to_bytes(store, fmt)


def write_export(store: ox.Store, fmt: str, path: Path) -> Path:
    """Write the whole dataset in format ``fmt`` to ``path``, atomically."""
    return write_atomic(Path(path), export_dataset(store, fmt))
