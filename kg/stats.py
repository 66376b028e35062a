"""Counts that describe a built dataset: by class, by event type, by article, corroboration.

A fact is *reported* by every article whose graph states it (``kg:articleCount``) and
*corroborated* when two or more of them report it as actual (``kg:actualCount``, both
derived by ``kg/rules/fact-support.rq``): an article that anticipates a meeting does
not corroborate that it took place.

Examples
--------
>>> import tempfile, pathlib
>>> from kg.build import EXAMPLE, build_project
>>> from kg.project import Project
>>> from kg.store import read_dataset
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> _ = build_project(Project.at(EXAMPLE, sources=EXAMPLE / "sources").with_build(out))
>>> s = read_stats(read_dataset(out))
>>> s.facts, s.several, s.corroborated
(3, 1, 1)

"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pyoxigraph as ox

from kg.query import Connection, read_queries, run_named, select

__all__ = ["Stats", "read_stats"]


@dataclass(frozen=True)
class Stats:
    """The tables of ``kg stats`` and the headline numbers.

    ``facts`` counts every fact; ``several`` those two or more articles report (in any
    modality); ``corroborated`` those two or more articles report as actual.
    """

    by_class: pd.DataFrame
    by_event_type: pd.DataFrame
    by_article: pd.DataFrame
    facts: int
    several: int
    corroborated: int

    def tables(self) -> dict[str, pd.DataFrame]:
        """The three tables, by title."""
        return {
            "Nodes by class": self.by_class,
            "Events by PLOVER type": self.by_event_type,
            "Facts and quotes by article": self.by_article,
        }


def read_stats(store: ox.Store | Connection) -> Stats:
    """Compute the statistics of a built dataset."""
    queries = read_queries()
    support = select(
        store,
        """SELECT (COUNT(?fact) AS ?facts) (SUM(IF(?n >= 2, 1, 0)) AS ?several)
                  (SUM(IF(COALESCE(?actual, 0) >= 2, 1, 0)) AS ?corroborated) WHERE {
             ?fact a/rdfs:subClassOf kg:Fact ; kg:articleCount ?n .
             OPTIONAL { ?fact kg:actualCount ?actual }
           }""",
    )
    return Stats(
        by_class=run_named(store, queries["count-by-class"]),
        by_event_type=run_named(store, queries["count-by-event-type"]),
        by_article=run_named(store, queries["count-by-article"]),
        facts=int(support["facts"][0]),
        several=int(support["several"][0] or 0),
        corroborated=int(support["corroborated"][0] or 0),
    )
