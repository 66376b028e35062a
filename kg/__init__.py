"""kg: evidence-backed knowledge graphs of news.

The library is the product; the ``kg`` command is a thin shell over it.
"""

from kg.build import BuildResult, build_nquads, build_project, write_dataset
from kg.check import check_corpus, check_project
from kg.errors import CurationError, InputError, KGError, Problem
from kg.load import Corpus, CuratedFile, parse_file, read_corpus
from kg.project import Project

__all__ = [
    "BuildResult",
    "Corpus",
    "CuratedFile",
    "CurationError",
    "InputError",
    "KGError",
    "Problem",
    "Project",
    "build_nquads",
    "build_project",
    "check_corpus",
    "check_project",
    "parse_file",
    "read_corpus",
    "write_dataset",
]
