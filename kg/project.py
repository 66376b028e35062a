"""Where a project's files are: ontology, registry, articles, article texts and build output.

A project is a folder holding ``ontology.ttl`` and ``data/``. Settings come from the
``[tool.kg]`` table of its ``pyproject.toml``; the environment variable ``KG_SOURCES`` and
the command line's ``--sources`` override the folder of article texts, which is
``data/sources`` by default. The texts are not the project's to redistribute: that
folder is left out of version control, and a project without it still checks and
builds (its quotes then go unverified).

Examples
--------
>>> import tempfile, pathlib
>>> root = pathlib.Path(tempfile.mkdtemp())
>>> _ = (root / "pyproject.toml").write_text(chr(10).join(['[tool.kg]', 'articles = "curated"']))
>>> p = Project.at(root, sources="texts")
>>> p.sources == root / "texts", p.articles == root / "curated", p.registry == root / "data" / "entities.ttl"
(True, True, True)

"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from kg.errors import InputError

__all__ = ["DEFAULT_SOURCES", "Project"]

#: Where the article texts are looked for when nothing else is said (relative to the project).
DEFAULT_SOURCES = "data/sources"


#: How long a question may run (seconds), how many rows a table shows, and how far the
#: address space of the process that runs a question may grow past what opening the
#: dataset took (megabytes), unless told otherwise (``--timeout``, ``--max-rows``,
#: ``--memory``, :func:`kg.connect`).
DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_ROWS = 10_000
DEFAULT_MEMORY_MB = 4096


@dataclass(frozen=True)
class Project:
    """The paths of one project; build one with :meth:`Project.at`."""

    root: Path
    ontology: Path
    registry: Path
    articles: Path
    sources: Path
    build: Path

    @classmethod
    def at(cls, root: Path | str = ".", *, sources: Path | str | None = None) -> Project:
        """Read the project at ``root``; ``sources`` overrides the setting and ``KG_SOURCES``."""
        root = Path(root).resolve()
        settings = _settings(root / "pyproject.toml")
        chosen = sources or os.environ.get("KG_SOURCES") or settings.get("sources", DEFAULT_SOURCES)
        return cls(
            root=root,
            ontology=root / settings.get("ontology", "ontology.ttl"),
            registry=root / settings.get("registry", "data/entities.ttl"),
            articles=root / settings.get("articles", "data/articles"),
            sources=(root / str(chosen)).resolve(),
            build=root / settings.get("build", "build"),
        )

    def with_build(self, build: Path | str) -> Project:
        """The same project writing its output to another folder."""
        return replace(self, build=Path(build).resolve())

    def article_files(self) -> list[Path]:
        """The curated article files, sorted by name.

        Raises
        ------
        InputError
            If the articles folder does not exist.

        """
        if not self.articles.is_dir():
            raise InputError(
                f"no articles folder: {self.display(self.articles)}",
                expected="a folder of curated Turtle files, one per article",
                hint="run kg from the project root, or pass --project",
            )
        return sorted(self.articles.glob("*.ttl"))

    def display(self, path: Path) -> str:
        """``path`` relative to the project root when inside it, for messages."""
        try:
            return str(path.resolve().relative_to(self.root))
        except ValueError:
            return str(path)


def _settings(pyproject: Path) -> dict[str, str]:
    if not pyproject.is_file():
        return {}
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{pyproject}: cannot read settings: {exc}") from exc
    table = data.get("tool", {}).get("kg", {})
    return {str(k): str(v) for k, v in table.items()}
