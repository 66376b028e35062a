"""I/O errors are messages with exit code 2: never a traceback, a hang or lost data.

Each case runs the real command (``kg`` in a subprocess, as a user would) on a copy of
the tiny project, and checks the exit code, the message (the path and what is wrong),
that no traceback was printed and that the previous build is byte for byte what it was.
The cases about permissions run the command as ``nobody`` (``setpriv``): the tests run as
root, whom no permission stops.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.build import build_project
from kg.cli import main
from kg.errors import InputError
from kg.files import list_files, read_bytes, write_atomic
from kg.project import Project
from tests.conftest import ROOT, missing

KG = str(Path(sys.executable).parent / "kg")


def run_kg(project: Path, *args: str, user: bool = False, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    """Run ``kg --project PROJECT ARGS`` (as ``nobody`` with ``user``); it must end within ``timeout`` s."""
    command = [KG, "--project", str(project), *args]
    if user:
        command = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", *command]
    env = {k: v for k, v in os.environ.items() if k != "KG_SOURCES"}
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env, check=False)


def assert_refused(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    """Exit code 2, every fragment in the message, no traceback."""
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    assert "Error" not in result.stderr.replace("InputError", ""), result.stderr  # no exception's name
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


def snapshot(folder: Path) -> dict[str, tuple[str, bytes | str, int]]:
    """Every entry under ``folder`` (links not followed): its kind, its bytes or target, its inode."""
    found: dict[str, tuple[str, bytes | str, int]] = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(root) / name
            info = path.lstat()
            if path.is_symlink():
                found[str(path.relative_to(folder))] = ("link", os.readlink(path), info.st_ino)
            elif path.is_dir():
                found[str(path.relative_to(folder))] = ("dir", "", info.st_ino)
            else:
                found[str(path.relative_to(folder))] = ("file", path.read_bytes(), info.st_ino)
    return found


@pytest.fixture
def built(tiny: Path) -> Path:
    """The tiny project, built once."""
    build_project(Project.at(tiny))
    return tiny


@pytest.fixture
def shared(tmp_path: Path) -> Iterator[Path]:
    """A built copy of the tiny project that ``nobody`` owns and can reach (not under pytest's 0700 tmp)."""
    if shutil.which("setpriv") is None:
        missing("setpriv (util-linux) is not installed: the permission cases cannot run as another user")
    reach = subprocess.run(
        ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", KG, "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    if reach.returncode != 0:  # a clone in a private folder (mktemp -d is 0700): nobody cannot run kg
        missing(f"user nobody cannot run {KG} (is the clone in a private folder?): {reach.stderr.strip()[-200:]}")
    base = Path(tempfile.mkdtemp(prefix="kg-io-", dir="/tmp"))
    try:
        base.chmod(0o755)
        root = base / "tiny"
        shutil.copytree(ROOT / "tests" / "fixtures" / "tiny", root)
        shutil.copy(ROOT / "ontology.ttl", root / "ontology.ttl")
        settings = root / "pyproject.toml"
        settings.write_text(settings.read_text().replace("../../../ontology.ttl", "ontology.ttl"), encoding="utf-8")
        for path in [root, *root.rglob("*")]:
            os.chown(path, 65534, 65534, follow_symlinks=False)
        result = run_kg(root, "build", user=True)
        assert result.returncode == 0, result.stderr
        yield root
    finally:
        shutil.rmtree(base, ignore_errors=True)


# ---------------------------------------------------------------- inputs


def test_an_unreadable_articles_folder_keeps_the_previous_build(shared: Path) -> None:
    articles = shared / "data" / "articles"
    before = snapshot(shared / "build")
    os.chown(articles, 0, 0)
    articles.chmod(0o700)
    result = run_kg(shared, "build", "--force", user=True)
    assert_refused(result, "data/articles: cannot read: permission denied", "hint: give this user permission")
    assert snapshot(shared / "build") == before


def test_an_unreadable_article_file_keeps_the_previous_build(shared: Path) -> None:
    article = shared / "data" / "articles" / "t2.ttl"
    before = snapshot(shared / "build")
    os.chown(article, 0, 0)
    article.chmod(0o600)
    result = run_kg(shared, "build", "--force", user=True)
    assert_refused(result, "data/articles/t2.ttl: cannot read: permission denied")
    assert snapshot(shared / "build") == before


def test_an_empty_articles_folder_keeps_the_previous_build(built: Path, tmp_path: Path) -> None:
    before = snapshot(built / "build")
    for article in (built / "data" / "articles").iterdir():
        article.rename(tmp_path / article.name)
    result = run_kg(built, "build", "--force")
    assert_refused(result, "no curated article in data/articles: the folder holds no *.ttl file")
    assert snapshot(built / "build") == before


def _folder(path: Path) -> None:
    path.mkdir()


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _loop(path: Path) -> None:
    path.symlink_to(path.name)


def _dangling(path: Path) -> None:
    path.symlink_to("nowhere.ttl")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_folder, "data/articles/x.ttl: is a directory, not a regular file"),
        (_fifo, "data/articles/x.ttl: is a named pipe (FIFO), not a regular file"),
        (_loop, "data/articles/x.ttl: a symbolic link loop"),
        (_dangling, "data/articles/x.ttl: no such file (or a link to nothing)"),
    ],
    ids=["a folder named x.ttl", "a FIFO", "a symlink loop", "a dangling symlink"],
)
def test_an_article_that_is_not_a_regular_file_is_refused(built: Path, make: object, message: str) -> None:
    before = snapshot(built / "build")
    make(built / "data" / "articles" / "x.ttl")  # type: ignore[operator]
    started = time.monotonic()
    result = run_kg(built, "build", "--force", timeout=30)  # a FIFO opened for reading would wait forever
    assert time.monotonic() - started < 15
    assert_refused(result, message, "hint: remove it, or rename it so that it does not match *.ttl")
    assert snapshot(built / "build") == before


def test_a_fifo_as_an_article_text_is_not_opened(built: Path) -> None:
    text = built / "sources" / "t1.txt"
    text.unlink()
    os.mkfifo(text)
    result = run_kg(built, "build", "--force", timeout=30)
    assert_refused(result, "sources/t1.txt: is a named pipe (FIFO), not a regular file")


def test_a_50_mb_literal_is_refused_before_it_is_read(built: Path) -> None:
    before = snapshot(built / "build")
    article = built / "data" / "articles" / "t3.ttl"
    with article.open("w", encoding="utf-8") as out:
        out.write('@prefix kg: <https://w3id.org/newskg/ns#> .\n<https://w3id.org/newskg/id/x> kg:alias "')
        out.write("a" * 50_000_000)
        out.write('" .\n')
    result = run_kg(built, "build", "--force")
    assert_refused(result, "data/articles/t3.ttl: 50,000,", "larger than the 16,777,216 bytes kg reads")
    assert "MemoryError" not in result.stderr
    assert snapshot(built / "build") == before


def test_a_broken_pyproject_is_located(tiny: Path) -> None:
    settings = tiny / "pyproject.toml"
    settings.write_text(settings.read_text(encoding="utf-8") + "build = \n", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        Project.at(tiny)
    lines = len(settings.read_text(encoding="utf-8").splitlines())
    assert str(raised.value).splitlines() == [
        f"{settings}:{lines}:9: TOML syntax error: Invalid value",
        "    expected: the project's settings: a TOML file with a [tool.kg] table",
        "    hint: fix the syntax at this point (https://toml.io), or remove the file",
    ]
    settings.unlink()
    settings.mkdir()
    with pytest.raises(InputError, match=r"pyproject.toml: is a directory, not a regular file"):
        Project.at(tiny)


@pytest.mark.parametrize("kind", ["syntax", "directory"])
def test_a_broken_pyproject_is_a_message_from_the_command(tiny: Path, kind: str) -> None:
    settings = tiny / "pyproject.toml"
    if kind == "syntax":
        settings.write_text(settings.read_text(encoding="utf-8") + "build = \n", encoding="utf-8")
    else:
        settings.unlink()
        settings.mkdir()
    result = run_kg(tiny, "build")
    assert_refused(result, "pyproject.toml:")


# ---------------------------------------------------------------- outputs


def test_view_never_replaces_dev_full(built: Path) -> None:
    device = Path("/dev/full")
    if not device.exists() or not stat.S_ISCHR(device.stat().st_mode):
        pytest.skip("no /dev/full here")
    before = device.stat()
    result = run_kg(built, "view", "network", "-o", str(device))
    assert_refused(result, "/dev/full: is a character device, not a regular file; -o must name a file")
    after = device.stat()
    assert stat.S_ISCHR(after.st_mode) and (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)


def test_export_never_replaces_a_device_or_a_fifo(built: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.html"
    os.mkfifo(fifo)
    result = run_kg(built, "export", "-o", str(fifo), timeout=30)
    assert_refused(result, f"{fifo}: is a named pipe (FIFO), not a regular file; -o must name a file")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    device = tmp_path / "null"
    try:
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a private /dev/null
    except OSError:
        return  # not allowed to make devices here: /dev/full above covers them
    result = run_kg(built, "export", "-o", str(device))
    assert_refused(result, f"{device}: is a character device, not a regular file; -o must name a file")
    assert stat.S_ISCHR(device.lstat().st_mode)


def test_output_into_a_directory_is_refused(built: Path, tmp_path: Path) -> None:
    folder = tmp_path / "views"
    folder.mkdir()
    (folder / "keep.html").write_text("mine", encoding="utf-8")
    result = run_kg(built, "view", "network", "-o", str(folder))
    assert result.returncode == 2 and "is a directory" in result.stderr and "Traceback" not in result.stderr
    with pytest.raises(InputError, match="views: is a directory, not a regular file; -o must name a file"):
        write_atomic(folder, b"page")  # the library refuses too, whoever calls it
    assert folder.is_dir() and [p.name for p in folder.iterdir()] == ["keep.html"]


@pytest.mark.parametrize("target", ["/proc/self/foo", "/proc/version", "/sys/kernel/kg-test"])
def test_output_into_proc_or_sys_is_refused(built: Path, target: str) -> None:
    before = Path("/proc/version").read_bytes()
    result = run_kg(built, "export", "-o", target)
    under = target.split("/")[1]
    assert_refused(result, f"{target}: is a file of the kernel (under /{under}), not a regular file")
    assert Path("/proc/version").read_bytes() == before
    assert not Path("/sys/kernel/kg-test").exists()


def _enospc(*args: object, **kwargs: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def _erofs(*args: object, **kwargs: object) -> None:
    raise OSError(errno.EROFS, "Read-only file system")


def _eacces(*args: object, **kwargs: object) -> None:
    raise OSError(errno.EACCES, "Permission denied")


@pytest.mark.parametrize(
    ("where", "fail", "hint"),
    [
        ("os.fsync", _enospc, "free some disk space"),
        ("os.replace", _erofs, "the file system is read-only"),
        ("tempfile.mkstemp", _eacces, "give this user permission"),
        ("os.fchmod", _enospc, "free some disk space"),
    ],
    ids=["full disk on sync", "read-only on rename", "no permission to create", "full disk on chmod"],
)
def test_a_failed_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str, fail: object, hint: str
) -> None:
    target = tmp_path / "page.html"
    target.write_bytes(b"old page")
    inode = target.stat().st_ino
    module, name = where.split(".")
    monkeypatch.setattr(sys.modules[module], name, fail)
    with pytest.raises(InputError) as raised:
        write_atomic(target, b"new page" * 1000)
    monkeypatch.undo()
    message = str(raised.value)
    assert message.startswith(f"{target}: cannot write: ") and f"hint: {hint}" in message
    assert target.read_bytes() == b"old page" and target.stat().st_ino == inode
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A mount point for a tmpfs the test sizes; unmounted afterwards (skips where mounting is refused)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    yield mount
    subprocess.run(["umount", str(mount)], capture_output=True, check=False)


def _mount(mount: Path, size: int) -> None:
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)], capture_output=True, check=False
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")


def test_a_full_disk_is_a_message_and_leaves_the_old_file(tiny_disk: Path) -> None:
    _mount(tiny_disk, 64 * 1024)
    target = tiny_disk / "graph.nq"
    write_atomic(target, b"old\n")
    with pytest.raises(InputError, match=r"cannot write: No space left on device") as raised:
        write_atomic(target, b"x" * 200_000)
    assert "hint: free some disk space" in str(raised.value)
    assert target.read_bytes() == b"old\n"
    assert [p.name for p in tiny_disk.iterdir()] == ["graph.nq"]


def test_a_build_on_a_full_disk_keeps_the_previous_build(built: Path, tiny_disk: Path) -> None:
    generation = (built / "build" / "current").resolve()
    size = sum(p.lstat().st_blocks * 512 for p in generation.rglob("*")) + 64 * 1024
    _mount(tiny_disk, size * 3 // 2)  # room for one build, not for two
    shutil.rmtree(built / "build")
    (built / "build").symlink_to(tiny_disk)
    assert run_kg(built, "build").returncode == 0
    before = snapshot(tiny_disk)
    article = built / "data" / "articles" / "t1.ttl"
    article.write_text(article.read_text(encoding="utf-8").replace("kg:Actual", "kg:Planned"), encoding="utf-8")
    result = run_kg(built, "build", "--force")
    assert_refused(result, "build: cannot write", "free some disk space")
    after = snapshot(tiny_disk)
    assert {k: v for k, v in after.items() if not k.startswith(".cache")} == {
        k: v for k, v in before.items() if not k.startswith(".cache")
    }  # the check's own record may have been rewritten: it is not part of the build


# ---------------------------------------------------------------- the library and the backstop


def test_readers_refuse_without_opening(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.ttl")
    with pytest.raises(InputError, match=r"pipe\.ttl: is a named pipe"):
        read_bytes(tmp_path / "pipe.ttl")  # would hang if it opened the FIFO
    (tmp_path / "big.ttl").write_bytes(b"x" * 101)
    with pytest.raises(InputError, match=r"big\.ttl: 101 bytes, larger than the 100 bytes kg reads"):
        read_bytes(tmp_path / "big.ttl", limit=100)
    link = tmp_path / "link.ttl"
    link.symlink_to(tmp_path / "big.ttl")
    assert read_bytes(link) == b"x" * 101  # a link to a regular file is followed
    with pytest.raises(InputError, match="missing: cannot read: no such file"):
        list_files(tmp_path / "missing", "*.ttl")
    with pytest.raises(InputError, match=r"big\.ttl: is not a folder"):
        list_files(tmp_path / "big.ttl", "*.ttl")


@pytest.mark.parametrize(
    ("error", "line"),
    [
        (OSError(errno.EIO, "Input/output error", "/data/x.ttl"), "kg build: Input/output error: /data/x.ttl\n"),
        (MemoryError(), "out of memory: kg build needed more memory than it could get\n"),
    ],
    ids=["OSError", "MemoryError"],
)
def test_the_command_line_backstop(
    tiny: Path, monkeypatch: pytest.MonkeyPatch, error: BaseException, line: str
) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr("kg.build.build_project", fail)
    result = CliRunner().invoke(main, ["--project", str(tiny), "build"])
    assert result.exit_code == 2
    assert result.output == line
    assert result.exception is None or isinstance(result.exception, SystemExit)
