"""What gets installed: the wheel's contents, and a headless install without PySide6."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.system, pytest.mark.slow]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    """The project's wheel, built from the work tree into a temp dir."""
    outdir = tmp_path_factory.mktemp("wheel")
    argv = [sys.executable, "-m", "build", "--wheel", "--outdir", str(outdir)]
    if importlib.util.find_spec("hatchling") is not None:
        argv.append("--no-isolation")  # the backend is here: no download, much faster
    argv.append(str(ROOT))
    proc = subprocess.run(
        argv, cwd=outdir, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=240
    )
    assert proc.returncode == 0, f"wheel build failed:\n{proc.stdout}\n{proc.stderr}"
    wheels = sorted(outdir.glob("eyepi-*.whl"))
    assert len(wheels) == 1, f"expected one wheel, found {wheels}"
    with zipfile.ZipFile(wheels[0]) as zf:
        zf.testzip()
    return zipfile.ZipFile(wheels[0])


def _names(wheel: zipfile.ZipFile) -> list[str]:
    return wheel.namelist()


def test_wheel_ships_ui_forms_and_theme(wheel: zipfile.ZipFile) -> None:
    ui = [n for n in _names(wheel) if n.startswith("eyepi_gui/ui/")]
    assert ui, "no eyepi_gui/ui/ files in the wheel (top-level ui/ must map into the package)"
    assert any(n.endswith(".ui") for n in ui), f"no Qt Designer form (*.ui) in {ui}"
    assert any(n.endswith(".qss") for n in ui), f"no touch theme (*.qss) in {ui}"


def test_wheel_ships_resources_and_sim_scene(wheel: zipfile.ZipFile) -> None:
    names = _names(wheel)
    assert any(n.startswith("eyepi_gui/resources/") for n in names), "no eyepi_gui/resources/"
    assert "eyepi_gui/resources/sim/scene.json" in names, "simulated camera scene missing"


def test_wheel_has_both_packages(wheel: zipfile.ZipFile) -> None:
    names = _names(wheel)
    assert "eyepi_gui/__init__.py" in names
    assert any(n.startswith("remote/") and n.endswith(".py") for n in names)
    assert not any(n.startswith("tests/") for n in names), "tests must not ship in the wheel"


def test_wheel_declares_eyepi_console_script(wheel: zipfile.ZipFile) -> None:
    entry_points = next(n for n in _names(wheel) if n.endswith(".dist-info/entry_points.txt"))
    text = wheel.read(entry_points).decode()
    lines = [line.replace(" ", "") for line in text.splitlines()]
    assert "[console_scripts]" in lines, text
    assert "eyepi=eyepi_gui.cli:main" in lines, text


def test_wheel_needs_pyside6_only_for_the_kiosk(wheel: zipfile.ZipFile) -> None:
    metadata = next(n for n in _names(wheel) if n.endswith(".dist-info/METADATA"))
    requires = [
        line
        for line in wheel.read(metadata).decode().splitlines()
        if line.startswith("Requires-Dist:")
    ]
    unconditional_qt = [r for r in requires if "pyside6" in r.lower() and "extra ==" not in r]
    assert not unconditional_qt, f"headless installs would pull in Qt: {unconditional_qt}"


def test_headless_imports_never_touch_pyside6(tmp_path: Path) -> None:
    """station and cli import on a machine without PySide6, and do not even try to import it."""
    blocker = tmp_path / "blocked"
    (blocker / "PySide6").mkdir(parents=True)
    attempted = tmp_path / "pyside6-import-attempted"
    (blocker / "PySide6" / "__init__.py").write_text(
        "import pathlib\n"
        f"pathlib.Path({str(attempted)!r}).write_text('imported')\n"
        "raise ImportError('PySide6 blocked for this test')\n"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": f"{blocker}{os.pathsep}{ROOT}",
        "HOME": str(tmp_path),
        "EYEPI_HOME": str(tmp_path / "home"),
    }
    proc = subprocess.run(
        [sys.executable, "-c", "import eyepi_gui.station, eyepi_gui.cli"],
        cwd=tmp_path,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, f"import failed without PySide6:\n{proc.stderr}"
    assert not attempted.exists(), (
        "importing eyepi_gui.station / eyepi_gui.cli tried to import PySide6; "
        "the kiosk must be imported lazily, only when it starts"
    )
