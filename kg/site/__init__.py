"""A static site of a built dataset, for publishing: ``kg publish DIR``.

:func:`publish` writes a folder of pages that open from the file system (``file://``)
with no server and no network: every address is relative, every script and style is a
file of the site, and no page asks for anything outside it::

    index.html              what the graph holds, the articles, the headline questions
    articles/ID.html        an article: its text with every curated quote marked (or its quotes)
    actors/SLUG.html        an actor's dossier: every fact it takes part in, and its ego view
    facts/SLUG.html         a fact as each article tells it, with the quotes that say so
    questions/NAME.html     a named question: parameters, SPARQL, its answer with the defaults
    views/network.html      the network, the timeline and each actor's ego view (kg.views)
    charts/balance.html     cooperation and conflict by month; charts/activity.html
    notebooks/NAME.html     the project's notebooks, run and rendered
    search.html             search actors, facts and quotes (the index is in the page)
    assets/                 the stylesheet, the search script, one vis-network, one plotly.js

The modules: :mod:`~kg.site.read` reads the dataset, :mod:`~kg.site.text` marks the
quotes in a text, :mod:`~kg.site.markup` and :mod:`~kg.site.pages` write the pages,
:mod:`~kg.site.notebooks` runs and renders the notebooks, :mod:`~kg.site.render` makes
every file and :mod:`~kg.site.publish` writes them, atomically.
"""

from kg.site.publish import SITE_MARK, SiteReport, check_destination, publish

__all__ = ["SITE_MARK", "SiteReport", "check_destination", "publish"]
