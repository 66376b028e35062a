"""``kg publish DIR``: the whole site written beside DIR, then moved into place with renames.

The site is written into a hidden temporary folder beside ``DIR`` (``.DIR.XXXX.tmp``),
synced, and renamed into place: a previous site at ``DIR`` is first renamed aside, then
removed once the new one is in. A failure part-way removes the temporary folder and
leaves the previous site as it was; a failure between the two renames puts it back.
``DIR`` is replaced only when it is an empty folder, or a kg site as kg wrote it: it
holds :data:`SITE_MARK`, which lists every file of the site, and nothing else (a file
added since, such as a ``.git`` folder or a ``CNAME``, would be deleted with it: the
folder is refused, naming it). Anything else is refused, never overwritten. A ``DIR``
that is a symbolic link names the folder it points to: that folder is written, the link
is kept.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import InputError
from kg.files import input_error, read_bytes, sync_dir, sync_tree
from kg.project import Project

__all__ = ["SITE_MARK", "SiteReport", "check_destination", "publish"]

#: The file that marks a folder as a site kg wrote (and may replace); it lists the site's files.
SITE_MARK = ".kg-site"
_MARK_HEAD = "A site written by kg publish: kg publish replaces this folder whole. Its files:\n"
#: What a site written before the mark listed its files held at its top level.
_OLD_MARK = "A site written by kg publish: kg publish replaces this folder whole.\n"
_OLD_NAMES = frozenset(
    {SITE_MARK, "index.html", "search.html", "assets", "articles", "actors", "facts", "questions", "views", "charts"}
    | {"notebooks"}
)
#: The largest mark read (a site of a million files lists some 50 MB).
_MARK_LIMIT = 64 * 2**20


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

    A site may be written into a new folder, an empty one, or a site kg wrote that holds
    nothing kg did not write (see :mod:`kg.site.publish`). A symbolic link is followed:
    the folder it names is returned.

    Examples
    --------
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
    >>> (folder / "notes.txt").unlink()
    >>> check_destination(folder / "site") == folder / "site"
    True

    """
    dest = Path(os.path.abspath(dest))
    if os.path.islink(dest):
        dest = Path(os.path.realpath(dest))
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
    try:
        names = sorted(os.listdir(dest))
    except OSError as exc:
        raise input_error(dest, exc, what="a folder to write the site into", writing=True) from exc
    if names and SITE_MARK not in names:
        raise InputError(
            f"{dest}: a folder that is not a site kg wrote (it holds {_some(names)})",
            expected=f"a new or empty folder, or a site kg publish wrote (it holds {SITE_MARK})",
            hint="name another folder; kg publish replaces a folder whole and never one it did not write",
        )
    if names:
        added = _not_written(dest)
        if added:
            raise InputError(
                f"{dest}: a site kg wrote, holding what kg did not write ({_some(added)})",
                expected="a site as kg publish wrote it: kg publish replaces it whole, and would delete those",
                hint="move them out of the folder first, or name another folder",
            )
    return dest


def _some(names: list[str]) -> str:
    return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def _not_written(site: Path) -> list[str]:
    """What the site folder ``site`` holds that its mark does not list (sorted; folders end with ``/``)."""
    mark = read_bytes(site / SITE_MARK, limit=_MARK_LIMIT, what=f"the mark of a site kg wrote ({SITE_MARK})")
    text = mark.decode("utf-8", errors="replace")
    if text.startswith(_MARK_HEAD):
        files = set(text[len(_MARK_HEAD) :].splitlines())
    elif text == _OLD_MARK:  # written before the mark listed the files: its top level is known
        return sorted(set(os.listdir(site)) - _OLD_NAMES)
    else:
        files = set()
    folders = {str(parent) for name in files for parent in Path(name).parents if str(parent) != "."}
    found = []
    for root, dirs, names in os.walk(site):
        here = Path(root).relative_to(site)
        for name in dirs:
            path = (here / name).as_posix()
            if os.path.islink(os.path.join(root, name)) or path not in folders:
                found.append(path + "/")
        dirs[:] = [d for d in dirs if (here / d).as_posix() + "/" not in found]
        found.extend(p for p in ((here / n).as_posix() for n in names) if p not in files and p != SITE_MARK)
    return sorted(found)


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
    written: list[str] = []

    def write(path: str, data: bytes, kind: str | None) -> None:
        _write(staged, path, data, report, kind)
        written.append(path)

    with connect(project.build) as conn:
        staged = _stage(target)
        try:
            said = render_site(
                project,
                conn,
                write,
                notebooks=notebooks,
                texts=texts,
                title=title or "News knowledge graph",
                leave_out=(target, staged),
            )
            report.warnings.extend(said)
            listed = "".join(f"{name}\n" for name in sorted(written))
            _write(staged, SITE_MARK, (_MARK_HEAD + listed).encode("utf-8"), report, None)
            try:
                sync_tree(staged)
            except OSError as exc:
                raise input_error(staged, exc, what="a folder to write the site into", writing=True) from exc
            check_destination(target)  # again: a file put there while the site was being made is not lost
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
    if Path(path).is_absolute() or ".." in Path(path).parts:
        raise ValueError(f"{path!r}: a file of the site must be named from inside it")
    where = root / path
    if not root.is_dir():  # removed under us (kg build cleans hidden .tmp folders of build/): never half a site
        raise InputError(
            f"{root}: the temporary folder the site was being written into is gone",
            expected="a folder kept until the site is renamed into place",
            hint="was something cleaning that folder (kg build cleans build/)? publish again",
        )
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
