"""Lint, format, type and import-contract checks, run as part of the test suite.

Each tool runs from the repository root with this interpreter's environment (the project venv),
using its configuration in pyproject.toml.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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
