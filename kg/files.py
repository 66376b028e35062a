"""Safe file primitives: read only regular files, list a folder strictly, write atomically.

Every input kg reads and every output it writes goes through these functions, so that
an I/O problem becomes an :class:`~kg.errors.InputError` naming the path, what was
expected there and what to do — never a traceback, a hang or lost data:

- :func:`read_bytes` / :func:`read_text` look at a path (``stat``) before opening it:
  a directory, a FIFO (opening one for reading waits for a writer: forever), a device,
  a socket, a symlink loop or a file larger than the caller's limit is refused without
  being opened. A symlink to a regular file is followed.
- :func:`list_files` lists a folder with :func:`os.scandir`: an unlistable or missing
  folder is an error, and so is an entry matching the pattern that is not a regular
  file (a folder named ``x.ttl``, a FIFO, a dangling link), instead of being skipped.
- :func:`write_atomic` writes beside the target, syncs and renames; it never replaces
  something that is not a regular file (a device such as ``/dev/full``, a directory, a
  FIFO, anything under ``/proc`` or ``/sys``). A full disk, a read-only file system or
  a missing permission leaves the old file untouched and no temporary file behind.

Temporary files are hidden and end in ``.tmp`` (``.NAME.XXXX.tmp``): what a killed
process left is recognised and removed by the next build.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = write_atomic(folder / "a.ttl", b"<x:s> <x:p> <x:o> .")
>>> read_text(folder / "a.ttl")
'<x:s> <x:p> <x:o> .'
>>> [p.name for p in list_files(folder, "*.ttl")]
['a.ttl']
>>> (folder / "b.ttl").mkdir()
>>> list_files(folder, "*.ttl")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
kg.errors.InputError: .../b.ttl: is a directory, not a regular file
    expected: a regular file
    hint: remove it, or rename it so that it does not match *.ttl
>>> write_atomic(folder / "b.ttl", b"")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
kg.errors.InputError: .../b.ttl: is a directory, not a regular file; -o must name a file
    expected: a regular file to write (it is replaced whole)
    hint: name a file, e.g. .../b.ttl/out.html

"""

from __future__ import annotations

import errno
import fnmatch
import os
import stat
import tempfile
from pathlib import Path

from kg.errors import InputError

__all__ = [
    "ARTICLE_LIMIT",
    "input_error",
    "list_files",
    "read_bytes",
    "read_text",
    "stage",
    "sync_dir",
    "sync_tree",
    "write_atomic",
]

#: The largest curated file kg reads (bytes): an article is a few kilobytes; a file this
#: large is a mistake (a pasted document, a runaway literal), refused before it is read.
ARTICLE_LIMIT = 16 * 1024 * 1024

#: Folders of virtual files (the kernel's): writing there never means writing a file.
_VIRTUAL = ("/proc", "/sys")

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _kind(mode: int) -> str:
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"


def _reason(exc: OSError) -> str:
    """What an OSError means, in a few words."""
    if exc.errno == errno.ELOOP:
        return "a symbolic link loop"
    if exc.errno == errno.ENOENT:
        return "no such file (or a link to nothing)"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.EISDIR:
        return "is a directory"
    if exc.errno == errno.ENOTDIR:
        return "a part of the path is not a folder"
    return exc.strerror or str(exc)


def _hint(exc: OSError, *, writing: bool) -> str:
    """What to do about an OSError."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "free some disk space (or write elsewhere) and run again; what was there is untouched"
    if exc.errno == errno.EROFS:
        return "the file system is read-only: write elsewhere"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "give this user permission (chmod, chown) or use another path"
    if exc.errno == errno.ELOOP:
        return "point the link at a real file, or remove it"
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return "check the path" if not writing else "check that the folder exists and is a folder"
    return "check the path and the disk"


def input_error(path: Path | str, exc: OSError, *, what: str = "file", writing: bool = False) -> InputError:
    """An :class:`~kg.errors.InputError` for ``exc``, raised reading or writing ``path``."""
    action = "cannot write" if writing else "cannot read"
    return InputError(f"{path}: {action}: {_reason(exc)}", expected=what, hint=_hint(exc, writing=writing))


def read_bytes(
    path: Path | str, *, limit: int | None = None, what: str = "a file", display: str | None = None
) -> bytes:
    """The bytes of the regular file ``path``; anything else is refused without being opened.

    Parameters
    ----------
    path
        The file; a symbolic link to a regular file is followed.
    limit
        The largest size accepted, in bytes (None: no limit).
    what
        What the file should be, for messages ("a curated article file").
    display
        How messages name the file (default: ``path``).

    Returns
    -------
    bytes
        The whole content.

    Raises
    ------
    InputError
        If ``path`` is missing, unreadable, a directory, a FIFO, a device, a socket, a
        symbolic link loop, larger than ``limit``, or too large for memory.

    Examples
    --------
    >>> read_bytes("/dev/null")
    Traceback (most recent call last):
    ...
    kg.errors.InputError: /dev/null: is a character device, not a regular file
        expected: a file
        hint: kg reads regular files only (devices and FIFOs are never opened)

    """
    name = display or str(path)
    try:
        info = os.stat(path)
    except OSError as exc:
        raise input_error(name, exc, what=what) from exc
    _check_regular(name, info, what, limit)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)  # swapped for a FIFO: no wait
    except OSError as exc:
        raise input_error(name, exc, what=what) from exc
    try:
        with os.fdopen(fd, "rb") as f:
            _check_regular(name, os.fstat(f.fileno()), what, limit)  # what was opened, not what was seen
            data = f.read() if limit is None else f.read(limit + 1)
    except OSError as exc:
        raise input_error(name, exc, what=what) from exc
    except MemoryError as exc:
        raise InputError(
            f"{name}: out of memory reading it",
            expected=f"{what} that fits in memory",
            hint="is this really the file meant? split it, or run on a machine with more memory",
        ) from exc
    if limit is not None and len(data) > limit:
        _too_large(name, len(data), what, limit)
    return data


def read_text(path: Path | str, *, limit: int | None = None, what: str = "a file", display: str | None = None) -> str:
    """The text of the regular UTF-8 file ``path`` (see :func:`read_bytes`).

    Raises
    ------
    InputError
        As :func:`read_bytes`, and if the file is not valid UTF-8.

    """
    data = read_bytes(path, limit=limit, what=what, display=display)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(
            f"{display or path}:{line}:{col}: not valid UTF-8",
            expected=f"{what} encoded as UTF-8",
            hint="re-save the file as UTF-8",
        ) from exc


def _check_regular(name: str, info: os.stat_result, what: str, limit: int | None) -> None:
    if not stat.S_ISREG(info.st_mode):
        raise InputError(
            f"{name}: is {_kind(info.st_mode)}, not a regular file",
            expected=what,
            hint="kg reads regular files only (devices and FIFOs are never opened)",
        )
    if limit is not None and info.st_size > limit:
        _too_large(name, info.st_size, what, limit)


def _too_large(name: str, size: int, what: str, limit: int) -> None:
    raise InputError(
        f"{name}: {size:,} bytes, larger than the {limit:,} bytes kg reads",
        expected=f"{what} of at most {limit // (1024 * 1024)} MB",
        hint="is this really the file meant? a curated file holds short quotes, never whole documents",
    )


def list_files(folder: Path, pattern: str, *, what: str = "a folder", display: str | None = None) -> list[Path]:
    """The regular files of ``folder`` whose names match ``pattern``, sorted by name.

    Hidden entries (names starting with ``.``: editors' lock and swap files) are left
    out. Every other entry matching ``pattern`` must be a regular file (or a link to
    one): a folder, a FIFO, a device, a dangling link or a link loop is an error, not
    skipped, so that nothing is silently left out. Nothing is opened but the folder.

    Parameters
    ----------
    folder
        The folder to list.
    pattern
        A shell pattern for the names (``*.ttl``), case-sensitive.
    what
        What the folder should be, for messages.
    display
        How messages name the folder (default: ``folder``).

    Returns
    -------
    list of Path
        The matching files, each ``folder / name``.

    Raises
    ------
    InputError
        If ``folder`` is missing, not a folder, or unlistable, or an entry matching
        ``pattern`` is not a regular file.

    """
    shown = display or str(folder)
    try:
        with os.scandir(folder) as entries:
            names = sorted(e.name for e in entries if fnmatch.fnmatchcase(e.name, pattern) and e.name[0] != ".")
    except NotADirectoryError as exc:
        raise InputError(f"{shown}: is not a folder", expected=what, hint="check the path") from exc
    except OSError as exc:
        raise input_error(shown, exc, what=what) from exc
    found = []
    for name in names:
        path = Path(folder) / name
        hint = f"remove it, or rename it so that it does not match {pattern}"
        try:
            info = os.stat(path)
        except OSError as exc:
            raise InputError(f"{shown}/{name}: {_reason(exc)}", expected="a regular file", hint=hint) from exc
        if not stat.S_ISREG(info.st_mode):
            raise InputError(
                f"{shown}/{name}: is {_kind(info.st_mode)}, not a regular file", expected="a regular file", hint=hint
            )
        found.append(path)
    return found


def write_atomic(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file, a sync and a rename.

    Readers see the old file or the new one, never a part; if writing fails the old
    file is untouched and the temporary file removed. Only a regular file is ever
    replaced: ``path`` naming a directory, a device, a FIFO, a socket or anything under
    ``/proc``, ``/sys`` or ``/dev`` is refused before anything is written.

    Raises
    ------
    InputError
        If ``path`` exists and is not a regular file, or writing fails (full disk,
        read-only file system, no permission…): the message names the path and the cause.

    """
    path = Path(path)
    _check_writable(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise input_error(path.parent, exc, what="a folder to write into", writing=True) from exc
    staged = stage(path, data)
    try:
        os.replace(staged, path)
    except OSError as exc:
        staged.unlink(missing_ok=True)
        raise input_error(path, exc, what="a file to write", writing=True) from exc
    except BaseException:
        staged.unlink(missing_ok=True)
        raise
    sync_dir(path.parent)
    return path


def _check_writable(path: Path) -> None:
    """Refuse to replace what is not a regular file (see :func:`write_atomic`)."""
    real = os.path.realpath(path)
    virtual = [root for root in _VIRTUAL if real == root or real.startswith(root + "/")]
    if virtual:
        raise InputError(
            f"{path}: is a file of the kernel (under {virtual[0]}), not a regular file; -o must name a file",
            expected="a regular file to write (it is replaced whole)",
            hint="name a file in an ordinary folder",
        )
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise input_error(path, exc, what="a file to write", writing=True) from exc
    if not stat.S_ISREG(info.st_mode):
        raise InputError(
            f"{path}: is {_kind(info.st_mode)}, not a regular file; -o must name a file",
            expected="a regular file to write (it is replaced whole)",
            hint=f"name a file, e.g. {path / 'out.html'}" if stat.S_ISDIR(info.st_mode) else "name a regular file",
        )


def stage(path: Path, data: bytes) -> Path:
    """Write ``data`` to a hidden temporary file beside ``path``, synced, and return its name.

    Raises
    ------
    InputError
        If it cannot be written; no temporary file is left then.

    """
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise input_error(path, exc, what="a file to write", writing=True) from exc
    try:
        os.fchmod(fd, 0o666 & ~_UMASK)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
    except OSError as exc:
        Path(name).unlink(missing_ok=True)
        raise input_error(path, exc, what="a file to write", writing=True) from exc
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


def sync_tree(folder: Path) -> None:
    """Flush every file and folder under ``folder`` (itself included) to the disk.

    Raises
    ------
    OSError
        If one cannot be synced (the caller says what was being written).

    """
    for root, _dirs, files in os.walk(folder):
        for name in files:
            path = os.path.join(root, name)
            if os.path.islink(path):
                continue
            fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        sync_dir(Path(root))


def sync_dir(folder: Path) -> None:
    """Flush a folder's entries (a rename into it) to the disk, where the system allows it."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:  # some file systems cannot sync a folder: the rename is still atomic
        pass
    finally:
        os.close(fd)


_UMASK = os.umask(0)
os.umask(_UMASK)
