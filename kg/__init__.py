"""kg: evidence-backed knowledge graphs of news.

The library is the product; the ``kg`` command is a thin shell over it. The curation
wing reads, checks and builds (:func:`check_project`, :func:`build_project`); the use
wing opens what was built and asks it questions (:func:`read_dataset`, :func:`select`,
:func:`run_named`, :func:`read_stats`). :func:`new_article` starts the curation of the
next article (its text placed, a skeleton written, the actors its text names listed);
:func:`coverage` shows a curator which sentences of each article no quote was taken
from; :func:`publish` writes the whole graph as a static site that opens offline;
:func:`edtf` and :func:`interval` read dates as the articles give them (a day, a month,
a year or only bounds).
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # for type checkers; at run time each name is imported on first use
    from kg.build import BuildResult, build_nquads, build_project, write_dataset
    from kg.check import check_corpus, check_project
    from kg.coverage import ArticleCoverage, coverage
    from kg.dates import edtf, interval
    from kg.errors import CurationError, InputError, KGError, Problem, UnverifiedWarning
    from kg.load import Corpus, CuratedFile, parse_file, read_corpus
    from kg.project import Project
    from kg.query import Connection, NamedQuery, connect, read_queries, run_named, select
    from kg.site import SiteReport, publish
    from kg.skeleton import NewArticle, find_mentions, new_article
    from kg.stats import Stats, read_stats
    from kg.store import export_dataset, read_dataset, write_export

#: Where each public name lives: importing ``kg`` stays cheap (the command starts fast).
_WHERE = {
    "ArticleCoverage": "kg.coverage",
    "BuildResult": "kg.build",
    "Connection": "kg.query",
    "Corpus": "kg.load",
    "CuratedFile": "kg.load",
    "CurationError": "kg.errors",
    "InputError": "kg.errors",
    "KGError": "kg.errors",
    "NamedQuery": "kg.query",
    "NewArticle": "kg.skeleton",
    "Problem": "kg.errors",
    "Project": "kg.project",
    "SiteReport": "kg.site",
    "Stats": "kg.stats",
    "UnverifiedWarning": "kg.errors",
    "build_nquads": "kg.build",
    "build_project": "kg.build",
    "check_corpus": "kg.check",
    "check_project": "kg.check",
    "connect": "kg.query",
    "coverage": "kg.coverage",
    "edtf": "kg.dates",
    "export_dataset": "kg.store",
    "find_mentions": "kg.skeleton",
    "interval": "kg.dates",
    "new_article": "kg.skeleton",
    "parse_file": "kg.load",
    "publish": "kg.site",
    "read_corpus": "kg.load",
    "read_dataset": "kg.store",
    "read_queries": "kg.query",
    "read_stats": "kg.stats",
    "run_named": "kg.query",
    "select": "kg.query",
    "write_dataset": "kg.build",
    "write_export": "kg.store",
}


def __getattr__(name: str) -> object:
    if name in _WHERE:
        import importlib

        value = getattr(importlib.import_module(_WHERE[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'kg' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)


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
    "NewArticle",
    "Problem",
    "Project",
    "SiteReport",
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
    "find_mentions",
    "interval",
    "load_ipython_extension",
    "new_article",
    "parse_file",
    "publish",
    "read_corpus",
    "read_dataset",
    "read_queries",
    "read_stats",
    "run_named",
    "select",
    "write_dataset",
    "write_export",
]
