"""kg: evidence-backed knowledge graphs of news.

The library is the product; the ``kg`` command is a thin shell over it. The curation
wing reads, checks and builds (:func:`check_project`, :func:`build_project`); the use
wing opens what was built and asks it questions (:func:`read_dataset`, :func:`select`,
:func:`run_named`, :func:`read_stats`). :func:`coverage` shows a curator which sentences
of each article no quote was taken from; :func:`edtf` and :func:`interval` read dates
as the articles give them (a day, a month, a year or only bounds).
"""

from kg.build import BuildResult, build_nquads, build_project, write_dataset
from kg.check import check_corpus, check_project
from kg.coverage import ArticleCoverage, coverage
from kg.dates import edtf, interval
from kg.errors import CurationError, InputError, KGError, Problem, UnverifiedWarning
from kg.load import Corpus, CuratedFile, parse_file, read_corpus
from kg.project import Project
from kg.query import Connection, NamedQuery, connect, read_queries, run_named, select
from kg.stats import Stats, read_stats
from kg.store import export_dataset, read_dataset, write_export


def load_ipython_extension(ipython: object) -> None:
    """``%load_ext kg``: register the ``%sparql`` and ``%%sparql`` magics."""
    from kg.magic import load_ipython_extension as register

    register(ipython)


__all__ = [
    "ArticleCoverage",
    "BuildResult",
    "Connection",
    "Corpus",
    "CuratedFile",
    "CurationError",
    "InputError",
    "KGError",
    "NamedQuery",
    "Problem",
    "Project",
    "Stats",
    "UnverifiedWarning",
    "build_nquads",
    "build_project",
    "check_corpus",
    "check_project",
    "connect",
    "coverage",
    "edtf",
    "export_dataset",
    "interval",
    "load_ipython_extension",
    "parse_file",
    "read_corpus",
    "read_dataset",
    "read_queries",
    "read_stats",
    "run_named",
    "select",
    "write_dataset",
    "write_export",
]
