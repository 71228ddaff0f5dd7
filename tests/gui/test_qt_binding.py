"""The Qt binding itself: a kiosk runs for weeks, so one leaked reference per call is fatal.

PySide6 6.12.0 releases a reference to None on every call of a method returning void. Under
Python 3.11 (Raspberry Pi OS bookworm) None is not immortal, so after a few thousand calls
(minutes of a ticking clock) the process aborts with "none_dealloc". pyproject.toml keeps
6.12 out; this test fails on any binding version that does it.
"""

import sys

import pytest
from PySide6.QtWidgets import QApplication, QLabel

CALLS = 5000


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12 on")
def test_void_calls_do_not_leak_references_to_none(qapp: QApplication):
    label = QLabel()
    before = sys.getrefcount(None)
    for _ in range(CALLS):
        label.setText("tick")
        label.setEnabled(True)
        qapp.processEvents()
    drift = sys.getrefcount(None) - before
    assert abs(drift) < CALLS // 10, f"None lost {-drift} references in {CALLS} rounds of calls"
