"""Start Debian's headless Chromium under ChromeDriver, as the tests and the benchmark need it."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,900",
)


def find_browser() -> tuple[str, str] | None:
    """The paths of chromium and chromedriver, or None when either is missing."""
    chrome, driver = shutil.which("chromium"), shutil.which("chromedriver")
    return (chrome, driver) if chrome and driver else None


def start_chromium(profile: Path, *, offline: bool = True, local: bool = False, logs: bool = False) -> Any:
    """A WebDriver on a fresh ``profile``; ``offline`` makes every host name fail to resolve.

    ``local`` leaves 127.0.0.1 reachable (a server the test started), and nothing else.
    """
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    found = find_browser()
    if found is None:
        raise RuntimeError("chromium and chromedriver are not installed")
    options = webdriver.ChromeOptions()
    options.binary_location = found[0]
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    if offline:  # nothing can leave the machine
        options.add_argument("--host-resolver-rules=MAP * ~NOTFOUND" + (", EXCLUDE 127.0.0.1" if local else ""))
    if logs:
        options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    return webdriver.Chrome(service=Service(found[1]), options=options)


@contextmanager
def headless(*, local: bool = False, logs: bool = True) -> Iterator[Any]:
    """An offline headless Chromium on a fresh profile (``driver.kg_profile``), quit and removed after.

    ``local``: pages on 127.0.0.1 (a server the test started) load; no other host resolves.

    Without chromium and chromedriver the test is skipped (failed under CI, which installs them).
    """
    from tests.conftest import missing

    if find_browser() is None:
        missing("no headless Chromium: install Debian's chromium and chromium-driver (make test does, as root)")
    profile = Path(tempfile.mkdtemp(prefix="kg-chromium-"))
    driver = start_chromium(profile, local=local, logs=logs)
    driver.kg_profile = profile
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def outgoing_requests(driver: Any) -> list[str]:
    """The addresses the page asked for, other than its own file and data (performance log)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            url = message["params"]["request"]["url"]
            if not url.startswith(("file:", "data:", "chrome:", "about:", "blob:")):
                urls.append(url)
    return urls


def console_errors(driver: Any) -> list[str]:
    """The errors the page logged to its console."""
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
