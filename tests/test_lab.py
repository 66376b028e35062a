"""``make lab`` starts JupyterLab on the notebooks, with a kernel that imports this project's kg."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
VENV_PYTHON = Path(sys.executable)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _get(url: str, token: str, data: bytes | None = None) -> object:
    request = urllib.request.Request(url, data=data, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def _descendants(pid: int) -> set[int]:
    """The processes below ``pid`` (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


@pytest.fixture
def lab(tmp_path: Path) -> Iterator[tuple[str, str, subprocess.Popen[bytes]]]:
    """``make lab`` on a free port, in a process group stopped after the test whatever happens."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    port, token = _free_port(), secrets.token_hex(16)
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"), "JUPYTER_CONFIG_DIR": str(tmp_path / "cfg")}
    args = (
        f"--no-browser --ServerApp.ip=127.0.0.1 --ServerApp.port={port} --ServerApp.port_retries=0"
        f" --IdentityProvider.token={token}"
    )
    process = subprocess.Popen(
        ["make", "--no-print-directory", "lab", f"LAB_ARGS={args}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "lab.log").open("wb"),
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                _get(f"{url}/api/status", token)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log = (tmp_path / "lab.log").read_text(errors="replace")
                    pytest.fail("make lab did not start:\n" + log[-2000:])
                time.sleep(0.3)
        yield url, token, process
    finally:
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(process.pid, sig)
                process.wait(timeout=20)
                break
            except ProcessLookupError:
                break
            except subprocess.TimeoutExpired:
                continue
        process.wait()


def test_make_lab_serves_the_notebooks_with_a_kernel_that_imports_this_kg(
    lab: tuple[str, str, subprocess.Popen[bytes]],
) -> None:
    from jupyter_client import BlockingKernelClient

    url, token, process = lab
    contents = _get(f"{url}/api/contents/", token)
    assert isinstance(contents, dict)
    listed = {item["name"] for item in contents["content"]}
    stored = {p.name for p in (ROOT / "notebooks").glob("*.ipynb")}
    assert stored and listed >= stored, "the lab opens on notebooks/"

    kernel = _get(f"{url}/api/kernels", token, data=b'{"name": "python3"}')
    assert isinstance(kernel, dict)
    # the kernel the lab started: find its process and its connection file, and ask it which kg it imports
    deadline = time.monotonic() + 30
    launched: list[list[str]] = []
    while not launched and time.monotonic() < deadline:
        for pid in _descendants(process.pid):
            try:
                argv = (Path("/proc") / str(pid) / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"ipykernel_launcher" in argv:
                launched.append([a.decode() for a in argv if a])
        time.sleep(0.2)
    assert launched, "the lab started no kernel"
    argv = launched[0]
    assert Path(argv[0]).resolve() == VENV_PYTHON.resolve(), "the kernel runs the environment kg is installed in"
    client = BlockingKernelClient(connection_file=argv[argv.index("-f") + 1])
    client.load_connection_file()
    client.start_channels()
    printed: list[str] = []

    def keep(message: dict[str, Any]) -> None:
        if message["msg_type"] == "stream":
            printed.append(message["content"]["text"])

    try:
        client.wait_for_ready(timeout=60)
        code = "import kg, pathlib; print(pathlib.Path(kg.__file__).resolve().parent)"
        answer = client.execute_interactive(code, timeout=60, output_hook=keep)
    finally:
        client.stop_channels()
    assert answer["content"]["status"] == "ok"
    assert "".join(printed).strip() == str(ROOT / "kg"), "the kernel imports this project's kg"
