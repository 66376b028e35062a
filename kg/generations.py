"""A build folder as generations: every build is written whole, then switched to in one rename.

A build writes a complete new *generation* — ``build/.generations/<id>/`` holding
``dataset.nq``, the on-disk store ``store/`` and the build's own record ``build.json``
— syncs it to the disk, then switches **one** symbolic link, ``build/current``, to it
with :func:`os.replace` (atomic on POSIX). The public paths are stable relative links
into the current generation, made once::

    build/current     -> .generations/20260301T101502-3f2a1c9e
    build/dataset.nq  -> current/dataset.nq
    build/store       -> current/store

so every reader (:func:`kg.store.read_dataset`, notebooks, ``make demo``) keeps using
``build/dataset.nq`` and ``build/store``, and sees either the whole old build or the
whole new one: a build killed at any instruction leaves the old one current, and a
half-written generation that the next build removes. After a switch, older generations
and the temporary files of killed builds (``.*.tmp*``) are removed; a reader that had
opened the old generation keeps its open files (Linux frees them on close).

Builds take a lock (``build/.lock``, released by the system when a build dies), so that
one build never removes a generation another is writing.

Examples
--------
>>> import tempfile, pathlib
>>> build = pathlib.Path(tempfile.mkdtemp()) / "build"
>>> with locked(build):
...     first = new_generation(build)
...     _ = (first / "dataset.nq").write_text("old")
...     publish(build, first, ["dataset.nq"])
...     second = new_generation(build)
...     _ = (second / "dataset.nq").write_text("new")
...     publish(build, second, ["dataset.nq"])
>>> (build / "dataset.nq").read_text(), current_generation(build) == second, first.exists()
('new', True, False)
>>> sorted(p.name for p in build.iterdir())
['.generations', '.lock', 'current', 'dataset.nq']

"""

from __future__ import annotations

import contextlib
import fcntl
import os
import secrets
import shutil
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from kg.files import sync_dir, sync_tree

__all__ = [
    "CURRENT",
    "GENERATIONS",
    "clean",
    "current_generation",
    "link_public",
    "locked",
    "new_generation",
    "publish",
]

#: The folder of a build holding its generations, and the link naming the current one.
GENERATIONS, CURRENT = ".generations", "current"

#: What older builds left that a build now removes: the TriG file of builds before 0.10
#: (now an export) and the record of builds before generations (now in each generation).
_LEGACY = ("dataset.trig", ".cache/build.json")


def current_generation(build: Path) -> Path | None:
    """The folder of the current generation of ``build``; None before the first build."""
    try:
        target = os.readlink(build / CURRENT)
    except OSError:
        return None
    generation = build / target
    return generation if generation.is_dir() else None


def new_generation(build: Path) -> Path:
    """A new, empty generation folder in ``build`` (not current until :func:`publish`)."""
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    generation = build / GENERATIONS / f"{stamp}-{secrets.token_hex(4)}"
    generation.mkdir(parents=True)
    return generation


def publish(build: Path, generation: Path, names: Iterable[str]) -> None:
    """Make ``generation`` the current one, in one rename, then remove what is stale.

    Every file of ``generation`` is synced first; the public ``names`` (``dataset.nq``,
    ``store``) become links into ``current`` where they are not yet (:func:`link_public`);
    older generations and temporary files go (:func:`clean`).
    """
    sync_tree(generation)
    _symlink(os.path.relpath(generation, build), build / CURRENT)
    sync_dir(build)
    link_public(build, names)
    clean(build)


def link_public(build: Path, names: Iterable[str]) -> None:
    """Make each of ``names`` in ``build`` a link to the same name in the current generation.

    A link that is already right is left as it is; a file or a folder that a build before
    generations wrote there is replaced (a file by one rename; a folder is moved aside,
    the link put in its place, then the folder removed).
    """
    for name in names:
        path, want = build / name, f"{CURRENT}/{name}"
        if os.path.islink(path) and os.readlink(path) == want:
            continue
        if path.is_dir() and not path.is_symlink():
            aside = build / f".{name}.old.tmp-{secrets.token_hex(4)}"
            os.replace(path, aside)
            _symlink(want, path)
            shutil.rmtree(aside, ignore_errors=True)
        else:
            _symlink(want, path)
    sync_dir(build)


def clean(build: Path) -> None:
    """Remove every generation but the current one, and the temporary files of killed builds.

    Temporary files are hidden names holding ``.tmp`` (:func:`kg.files.stage`, the
    links being switched) and the ``.store-*`` folders of builds before generations, in
    ``build`` and ``build/.cache``.
    """
    current = current_generation(build)
    for folder in (build / GENERATIONS,):
        for entry in _entries(folder):
            if current is None or entry.name != current.name:
                _remove(entry)
    for folder in (build, build / ".cache"):
        for entry in _entries(folder):
            name = entry.name
            if name.startswith(".") and (".tmp" in name or name.startswith((".store-", ".dataset.nq."))):
                _remove(entry)
    for name in _LEGACY:
        with contextlib.suppress(OSError):
            (build / name).unlink()


@contextlib.contextmanager
def locked(build: Path) -> Iterator[None]:
    """Hold the build lock of ``build`` (waiting for another build to finish)."""
    build.mkdir(parents=True, exist_ok=True)
    fd = os.open(build / ".lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def _entries(folder: Path) -> list[Path]:
    try:
        with os.scandir(folder) as entries:
            return [Path(e.path) for e in entries]
    except OSError:
        return []


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            path.unlink()


def _symlink(target: str, path: Path) -> None:
    """Make ``path`` a link to ``target`` in one rename: it never is missing on the way."""
    staged = path.parent / f".{path.name}.tmp-{secrets.token_hex(4)}"
    os.symlink(target, staged)
    try:
        os.replace(staged, path)
    except BaseException:
        with contextlib.suppress(OSError):
            staged.unlink()
        raise
