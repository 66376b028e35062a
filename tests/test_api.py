"""The public surface of the package is exactly what is intended."""

from __future__ import annotations

import kg


def test_public_names() -> None:
    assert kg.__all__ == sorted(kg.__all__)
    assert set(kg.__all__) == {
        # curation wing
        "Project",
        "Corpus",
        "CuratedFile",
        "read_corpus",
        "parse_file",
        "check_corpus",
        "check_project",
        "build_nquads",
        "build_project",
        "write_dataset",
        "BuildResult",
        "coverage",
        "ArticleCoverage",
        # the next article: its text placed, a skeleton, the actors its text names
        "new_article",
        "NewArticle",
        "find_mentions",
        # dates as the articles give them
        "interval",
        "edtf",
        # use wing
        "connect",
        "Connection",
        "read_dataset",
        "export_dataset",
        "write_export",
        "select",
        "run_named",
        "read_queries",
        "NamedQuery",
        "read_stats",
        "load_ipython_extension",
        "Stats",
        # publishing: a static site
        "publish",
        "SiteReport",
        # errors
        "KGError",
        "CurationError",
        "InputError",
        "Problem",
        # warnings: the texts were not there, so quotes went unchecked
        "UnverifiedWarning",
    }
    for name in kg.__all__:
        assert getattr(kg, name).__doc__, f"kg.{name} has no docstring"
