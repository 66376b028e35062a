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
import re
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from kg.errors import InputError
from kg.files import list_files, read_text

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
        """The curated article files (``*.ttl``), sorted by name.

        An empty articles folder is an error, not an empty corpus: a build from it would
        replace a good build with an empty one (an unmounted or emptied folder).

        Raises
        ------
        InputError
            If the articles folder does not exist, cannot be listed or holds no
            ``*.ttl`` file, or a ``*.ttl`` entry is not a regular file (a folder, a FIFO,
            a dangling link or a link loop).

        """
        shown = self.display(self.articles)
        if not os.path.lexists(self.articles):
            raise InputError(
                f"no articles folder: {shown}",
                expected="a folder of curated Turtle files, one per article",
                hint="run kg from the project root, or pass --project",
            )
        files = list_files(
            self.articles, "*.ttl", what="a folder of curated Turtle files, one per article", display=shown
        )
        if not files:
            raise InputError(
                f"no curated article in {shown}: the folder holds no *.ttl file",
                expected="a folder of curated Turtle files, one per article",
                hint="is the folder mounted and readable? (a build never replaces a good build with an empty one)",
            )
        return files

    def display(self, path: Path) -> str:
        """``path`` relative to the project root when inside it, for messages.

        Links are not followed (``build/dataset.nq`` stays itself, not the generation
        it links to), unless only the followed path is inside the project.
        """
        for candidate in (Path(os.path.abspath(path)), path.resolve()):
            try:
                return str(candidate.relative_to(self.root))
            except ValueError:
                continue
        return str(path)


def _settings(pyproject: Path) -> dict[str, str]:
    """The ``[tool.kg]`` table of ``pyproject``; {} when there is no such file.

    Raises
    ------
    InputError
        If the file cannot be read (a folder, unreadable, not UTF-8) or is not valid TOML
        (with its line and column), or ``tool.kg`` is not a table.

    """
    if not os.path.lexists(pyproject):
        return {}
    what = "the project's settings: a TOML file with a [tool.kg] table"
    text = read_text(pyproject, what=what)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"^(.*) \(at line (\d+), column (\d+)\)$", str(exc))
        where, message = (f"{pyproject}:{found[2]}:{found[3]}", found[1]) if found else (str(pyproject), str(exc))
        raise InputError(
            f"{where}: TOML syntax error: {message}",
            expected=what,
            hint="fix the syntax at this point (https://toml.io), or remove the file",
        ) from exc
    tool = data.get("tool", {})
    table = tool.get("kg", {}) if isinstance(tool, dict) else None
    if not isinstance(table, dict):
        raise InputError(f"{pyproject}: tool.kg is not a table", expected=what, hint="write the settings as [tool.kg]")
    return {str(k): str(v) for k, v in table.items()}
