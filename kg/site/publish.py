"""``kg publish DIR``: the whole site written beside DIR, then moved into place with renames.

The site is written into a hidden temporary folder beside ``DIR`` (``.DIR.XXXX.tmp``),
synced, and renamed into place: a previous site at ``DIR`` is first renamed aside, then
removed once the new one is in. A failure part-way removes the temporary folder and
leaves the previous site as it was; a failure between the two renames puts it back.
``DIR`` is replaced only when it is a kg site (it holds :data:`SITE_MARK`) or an empty
folder: anything else is refused, never overwritten.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
import time
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from kg.errors import InputError
from kg.files import input_error, sync_dir, sync_tree
from kg.project import Project

__all__ = ["SITE_MARK", "SiteReport", "publish"]

#: The file that marks a folder as a site kg wrote (and may replace).
SITE_MARK = ".kg-site"
_MARK_TEXT = b"A site written by kg publish: kg publish replaces this folder whole.\n"
#: The shared library scripts, by file name under ``assets/``.
LIBRARIES = {"vis-network": "vis-network.min.js", "plotly": "plotly.min.js"}


@dataclass
class SiteReport:
    """What :func:`publish` wrote: where, pages by kind, bytes in all, seconds taken, warnings."""

    where: Path
    pages: dict[str, int] = field(default_factory=dict)
    bytes: int = 0
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)

    @property
    def index(self) -> Path:
        """The home page."""
        return self.where / "index.html"

    def summary(self) -> str:
        """What was written, in a few lines."""
        kinds = ", ".join(f"{n} {kind}" for kind, n in self.pages.items())
        return (
            f"wrote {sum(self.pages.values())} pages ({kinds}), {self.bytes / 1e6:.1f} MB, in {self.seconds:.1f} s\n"
            f"open {self.index.as_uri()}"
        )


def check_destination(dest: Path) -> Path:
    """``dest`` as an absolute path, if a site may be written there; else an :class:`InputError`.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> (folder / "notes.txt").write_text("mine")
    4
    >>> check_destination(folder)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kg.errors.InputError: ...: a folder that is not a site kg wrote (it holds notes.txt)
        expected: a new or empty folder, or a site kg publish wrote (it holds .kg-site)
        hint: name another folder; kg publish replaces a folder whole and never one it did not write
    """
    dest = Path(os.path.abspath(dest))
    try:
        info = os.stat(dest)
    except FileNotFoundError:
        if not dest.parent.is_dir():
            raise InputError(
                f"{dest}: its folder {dest.parent} does not exist",
                expected="a folder to write the site into, in an existing folder",
                hint=f"create it first (mkdir -p {dest.parent})",
            ) from None
        return dest
    except OSError as exc:
        raise input_error(dest, exc, what="a folder to write the site into", writing=True) from exc
    if not stat.S_ISDIR(info.st_mode):
        raise InputError(
            f"{dest}: is a file, not a folder",
            expected="a folder to write the site into (new, empty, or a site kg wrote)",
            hint="name a folder, e.g. site/",
        )
    names = sorted(os.listdir(dest))
    if names and SITE_MARK not in names:
        shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        raise InputError(
            f"{dest}: a folder that is not a site kg wrote (it holds {shown})",
            expected=f"a new or empty folder, or a site kg publish wrote (it holds {SITE_MARK})",
            hint="name another folder; kg publish replaces a folder whole and never one it did not write",
        )
    return dest


def publish(
    project: Project,
    dest: Path | str,
    *,
    notebooks: bool = True,
    texts: bool = True,
    title: str | None = None,
) -> SiteReport:
    """Write the static site of the project's built dataset into ``dest``; see :mod:`kg.site`.

    Parameters
    ----------
    project
        The project; its built dataset (``project.build``) is what the site shows.
    dest
        The folder to write: new, empty, or a site kg wrote (replaced whole).
    notebooks
        Run the project's notebooks and publish them; False leaves them out (the home
        page says so).
    texts
        Publish each article's text with its quotes marked, where the text is in the
        project's sources and is the one it was curated from; False publishes the quotes
        alone (for a site that must not redistribute the texts).
    title
        The site's name (default: "News knowledge graph").

    Returns
    -------
    SiteReport
        Where, pages by kind, bytes, seconds and warnings.

    Raises
    ------
    InputError
        If there is no built dataset (run ``kg build``), or ``dest`` is a file, or a
        folder that is neither empty nor a site kg wrote, or writing fails.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from kg.build import EXAMPLE, build_project
    >>> example = Project.at(EXAMPLE, sources=EXAMPLE / "sources").with_build(tempfile.mkdtemp())
    >>> _ = build_project(example)
    >>> report = publish(example, pathlib.Path(tempfile.mkdtemp()) / "site", notebooks=False)
    >>> report.pages["articles"], report.pages["actors"], (report.where / ".kg-site").is_file()
    (3, 3, True)

    """
    from kg.query import connect
    from kg.store import DATASET_FILE

    started = time.monotonic()
    target = check_destination(Path(dest))
    if not (project.build / DATASET_FILE).is_file():
        raise InputError(
            f"no built dataset in {project.display(project.build)}",
            expected="the dataset kg build writes (build/dataset.nq and its store)",
            hint="run kg build",
        )
    from kg.site.render import render_site

    report = SiteReport(where=target)
    with connect(project.build) as conn:
        staged = _stage(target)
        try:
            render_site(
                project,
                conn,
                lambda path, data, kind: _write(staged, path, data, report, kind),
                report,
                notebooks=notebooks,
                texts=texts,
                title=title or "News knowledge graph",
                leave_out=(target, staged),
            )
            _write(staged, SITE_MARK, _MARK_TEXT, report, None)
            sync_tree(staged)
            _swap(staged, target)
        except BaseException:
            shutil.rmtree(staged, ignore_errors=True)
            raise
    report.seconds = round(time.monotonic() - started, 2)
    return report


def _stage(target: Path) -> Path:
    """A hidden temporary folder beside ``target``, readable as a folder made by ``mkdir`` is."""
    try:
        staged = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    except OSError as exc:
        raise input_error(target.parent, exc, what="a folder to write the site beside", writing=True) from exc
    os.chmod(staged, 0o777 & ~_UMASK)  # mkdtemp makes it private (0700): a site is for reading
    return staged


def _write(root: Path, path: str, data: bytes, report: SiteReport, kind: str | None) -> None:
    """Write ``data`` at ``root/path`` (inside the temporary folder: it is renamed into place whole).

    ``kind`` is the kind of page it is, for the report (None: not a page).
    """
    where = root / path
    try:
        where.parent.mkdir(parents=True, exist_ok=True)
        where.write_bytes(data)
    except OSError as exc:
        raise input_error(where, exc, what="a file of the site", writing=True) from exc
    report.bytes += len(data)
    if kind is not None:
        report.pages[kind] = report.pages.get(kind, 0) + 1


def _swap(staged: Path, target: Path) -> None:
    """Move ``staged`` to ``target``; a site there is renamed aside first, then removed."""
    aside = None
    try:
        if os.path.lexists(target):
            aside = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", suffix=".tmp", dir=target.parent))
            os.rename(target, aside / "site")
        try:
            os.rename(staged, target)
        except BaseException:
            if aside is not None:  # the old site back where it was
                os.rename(aside / "site", target)
                os.rmdir(aside)
            raise
    except OSError as exc:
        raise input_error(target, exc, what="a folder to write the site into", writing=True) from exc
    if aside is not None:
        shutil.rmtree(aside, ignore_errors=True)
    sync_dir(target.parent)


_UMASK = os.umask(0)
os.umask(_UMASK)


def asset(name: str) -> bytes:
    """A file of ``kg/site/assets``."""
    return (resources.files("kg") / "site" / "assets" / name).read_bytes()
