"""Views: self-contained, offline HTML pages of the graph, and the same pages inline in notebooks.

- :mod:`kg.views.network`: the actor network, an actor's neighbourhood and the timeline of
  events (pyvis and vis-network).

Every page carries its data as escaped JSON and builds what it shows from text nodes: data
never becomes markup.
"""

from kg.views.network import (
    FACTS_PER_TIE,
    KIND_STYLE,
    TOP_ACTORS,
    TOP_TIES,
    View,
    ego_view,
    network_view,
    timeline_view,
    top_actors,
)

__all__ = [
    "FACTS_PER_TIE",
    "KIND_STYLE",
    "TOP_ACTORS",
    "TOP_TIES",
    "View",
    "ego_view",
    "network_view",
    "timeline_view",
    "top_actors",
]
