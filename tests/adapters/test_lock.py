"""One station per home."""

import os
import subprocess
import sys

import pytest

from eyepi_gui.adapters.lock import InstanceLock
from eyepi_gui.errors import AlreadyRunning


def test_second_lock_in_another_process_is_refused_with_the_pid(tmp_path):
    lock = InstanceLock(tmp_path)
    lock.acquire()
    code = (
        "import sys; from pathlib import Path; from eyepi_gui.adapters.lock import InstanceLock\n"
        "from eyepi_gui.errors import AlreadyRunning\n"
        "try:\n    InstanceLock(Path(sys.argv[1])).acquire()\n"
        "except AlreadyRunning as e:\n    print(e); sys.exit(3)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True
    )
    assert proc.returncode == 3 and "already running" in proc.stdout
    assert f"pid {os.getpid()}" in proc.stdout
    lock.release()
    proc = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True
    )
    assert proc.returncode == 0


def test_lock_in_the_same_process_is_refused_too(tmp_path):
    first = InstanceLock(tmp_path)
    first.acquire()
    with pytest.raises(AlreadyRunning):
        InstanceLock(tmp_path).acquire()
    first.release()
