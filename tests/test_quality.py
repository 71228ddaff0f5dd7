"""Lint, format, type and import-contract checks, run as part of the test suite.

Each tool runs from the repository root with this interpreter's environment (the project venv),
using its configuration in pyproject.toml.
"""

from __future__ import annotations

import graphlib
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

pytestmark = pytest.mark.slow


def _run(argv: list[str], timeout: float = 600) -> None:
    proc = subprocess.run(
        argv,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "NO_COLOR": "1"},
    )
    output = (proc.stdout + proc.stderr).strip()
    assert proc.returncode == 0, (
        f"`{' '.join(argv[1:] if argv[0] == sys.executable else argv)}` exited "
        f"{proc.returncode}:\n{output}"
    )


def test_ruff_check() -> None:
    _run([sys.executable, "-m", "ruff", "check", "--no-fix", "."])


def test_ruff_format() -> None:
    _run([sys.executable, "-m", "ruff", "format", "--check", "--diff", "."])


@pytest.mark.timeout(900)
def test_mypy() -> None:
    _run([sys.executable, "-m", "mypy"], timeout=840)


def test_import_contracts() -> None:
    lint_imports = BIN / "lint-imports"
    assert lint_imports.exists(), f"import-linter is not installed next to {sys.executable}"
    _run([str(lint_imports), "--no-logo"])


def test_no_import_cycle() -> None:
    """No module of eyepi_gui or remote reaches itself through its imports. The acyclic_siblings
    contract checks siblings only; this also catches a package whose ``__init__`` imports modules
    that import the package back."""
    graph = grimp.build_graph("eyepi_gui", "remote", cache_dir=None)
    imports = {module: graph.find_modules_directly_imported_by(module) for module in graph.modules}
    try:
        graphlib.TopologicalSorter(imports).prepare()
    except graphlib.CycleError as err:
        pytest.fail(f"import cycle: {' -> '.join(err.args[1])}")


def test_layers_contract_names_every_top_level_module() -> None:
    """A new top-level module gets its place in the layers, so no code escapes the layering."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    layers = next(c for c in config["contracts"] if c["type"] == "layers")["layers"]
    named = {name.strip() for layer in layers for name in re.split(r"[|:]", layer)}
    package = ROOT / "eyepi_gui"
    top_level = {
        f"eyepi_gui.{path.stem}"
        for path in package.iterdir()
        if path.name != "__init__.py" and (path.suffix == ".py" or (path / "__init__.py").exists())
    }
    assert top_level | {"remote"} <= named, f"not in any layer: {sorted(top_level - named)}"
