"""Project-wide test set-up.

- Qt never needs a display: ``QT_QPA_PLATFORM=offscreen`` unless the caller chose a platform.
  Tests that want a real X server take ``xvfb_display`` and hand its DISPLAY (with
  ``QT_QPA_PLATFORM=xcb``) to the process they start.
- Tests under ``tests/gui/`` get the ``gui`` marker automatically.
- ``eyepi_home``: a fresh, empty station home directory per test.
- ``network_manager``: a real NetworkManager in its own network namespace (tests/nm_netns.py;
  root only, skips otherwise), fresh per test.
- ``journald``: a real systemd-journald in its own mount namespace (tests/journald_ns.py;
  root only, skips otherwise), fresh per test.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

# At import time, before pytest-qt or any test module can load Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# A developer's own station home must never be touched by a test run.
os.environ.pop("EYEPI_HOME", None)
# libgphoto2's virtual camera exists only if VCAMERADIR is set before gphoto2 is first imported:
# set it here, whatever order the tests run in. Stations under test only see it when given
# the real hardware probe; `eyepi` subprocesses of the system tests are started without it.
import tests.gphoto2_virtual  # noqa: F401
from tests.fake_udisks2 import fake_udisks  # noqa: F401  (fixtures, likewise)
from tests.journald_ns import journald  # noqa: F401  (fixtures, likewise)
from tests.nm_netns import network_manager  # noqa: F401  (a fixture for every test folder)
from tests.private_bus import private_bus  # noqa: F401  (fixtures, likewise)
from tests.usb_stick import make_usb_stick, usb_stick  # noqa: F401  (fixtures, likewise)

TESTS_DIR = Path(__file__).resolve().parent
GUI_DIR = TESTS_DIR / "gui"
X11_SOCKET_DIR = Path("/tmp/.X11-unix")
XVFB_START_TIMEOUT_S = 5.0


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.resolve().is_relative_to(GUI_DIR):
            item.add_marker(pytest.mark.gui)


def _display_candidates() -> Iterator[int]:
    """Display numbers not visibly in use, starting at a per-process offset so that test
    sessions running side by side rarely try the same one (or from EYEPI_TEST_XVFB_DISPLAY,
    for a session given its own numbers)."""
    first = os.environ.get("EYEPI_TEST_XVFB_DISPLAY")  # a number set aside for this session
    start = int(first) if first else 100 + os.getpid() % 400
    for offset in range(200):
        number = start + offset
        if Path(f"/tmp/.X{number}-lock").exists():
            continue
        if (X11_SOCKET_DIR / f"X{number}").exists():
            continue
        yield number


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()  # SIGTERM to this PID only
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


@contextmanager
def running_xvfb(log_dir: Path, width: int = 1920, height: int = 1080) -> Iterator[str]:
    """Start a real X server (Xvfb, WIDTHxHEIGHTx24, no TCP, no window manager), yield its
    DISPLAY (":N") and stop it by its PID. Skips when Xvfb is not installed."""
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        pytest.skip("Xvfb is not installed (apt-get install xvfb; .ci/bootstrap does it as root)")
    failures: list[str] = []
    for number in _display_candidates():
        log_path = log_dir / f"xvfb-{number}.log"
        with log_path.open("wb") as log:
            proc = subprocess.Popen(
                [
                    xvfb,
                    f":{number}",
                    "-screen",
                    "0",
                    f"{width}x{height}x24",
                    "-nolisten",
                    "tcp",
                    "-noreset",
                ],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        socket = X11_SOCKET_DIR / f"X{number}"
        deadline = time.monotonic() + XVFB_START_TIMEOUT_S
        while time.monotonic() < deadline and proc.poll() is None and not socket.exists():
            time.sleep(0.05)
        if proc.poll() is None and socket.exists():
            try:
                yield f":{number}"
            finally:
                _stop(proc)
            return
        _stop(proc)
        # Lost a race for this number (another server took it) or did not start: try the next.
        failures.append(f":{number}: {log_path.read_text(errors='replace').strip()[-500:]}")
        if len(failures) >= 3:
            break
    pytest.fail("Xvfb did not start within 5 s:\n" + "\n".join(failures))


@pytest.fixture(scope="session")
def xvfb_display(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real X server (Xvfb, 1920x1080x24, no TCP) for this session; yields ":N"."""
    with running_xvfb(tmp_path_factory.mktemp("xvfb")) as display:
        yield display


@pytest.fixture
def eyepi_home(tmp_path: Path) -> Path:
    """A fresh, empty station home (``--home`` / ``EYEPI_HOME``) for one test."""
    home = tmp_path / "home"
    home.mkdir()
    return home
