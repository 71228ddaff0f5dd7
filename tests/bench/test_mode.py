"""Every benchmark reads its mode through ``tests/bench/mode.py``; a mistyped mode stops the run."""

import re
from pathlib import Path

import pytest

from tests.bench.mode import full_mode

BENCH = Path(__file__).resolve().parent
READS_THE_MODE = re.compile(r"""(environ\.get\(|environ\[|getenv\()\s*["']EYEPI_BENCH["']""")


@pytest.mark.parametrize(("value", "full"), [(None, False), ("quick", False), ("full", True)])
def test_the_mode_comes_from_eyepi_bench(monkeypatch, value, full):
    if value is None:
        monkeypatch.delenv("EYEPI_BENCH", raising=False)
    else:
        monkeypatch.setenv("EYEPI_BENCH", value)
    assert full_mode() is full


def test_a_mistyped_mode_is_refused_with_the_variable_named(monkeypatch):
    monkeypatch.setenv("EYEPI_BENCH", "ful")
    with pytest.raises(ValueError, match="EYEPI_BENCH='ful'"):
        full_mode()


def test_no_benchmark_reads_the_variable_itself():
    readers = [
        path.name
        for path in BENCH.glob("*.py")
        if path.name != "mode.py" and READS_THE_MODE.search(path.read_text())
    ]
    assert readers == []
