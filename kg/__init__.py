"""kg: evidence-backed knowledge graphs of news.

The library is the product; the ``kg`` command is a thin shell over it. The curation
wing reads, checks and builds (:func:`check_project`, :func:`build_project`); the use
wing opens what was built and asks it questions (:func:`read_dataset`, :func:`select`,
:func:`run_named`, :func:`read_stats`).
"""

from kg.build import BuildResult, build_nquads, build_project, write_dataset
from kg.check import check_corpus, check_project
from kg.errors import CurationError, InputError, KGError, Problem
from kg.load import Corpus, CuratedFile, parse_file, read_corpus
from kg.project import Project
from kg.query import NamedQuery, read_queries, run_named, select
from kg.stats import Stats, read_stats
from kg.store import export_dataset, read_dataset, write_export

__all__ = [
    "BuildResult",
    "Corpus",
    "CuratedFile",
    "CurationError",
    "InputError",
    "KGError",
    "NamedQuery",
    "Problem",
    "Project",
    "Stats",
    "build_nquads",
    "build_project",
    "check_corpus",
    "check_project",
    "export_dataset",
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
