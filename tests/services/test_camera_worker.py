"""The camera worker counts a command done before its caller hears the outcome."""

from __future__ import annotations

import pytest

from eyepi_gui.adapters.cameras.sim import SimBackend
from eyepi_gui.services.camera_worker import CameraWorker


@pytest.fixture
def worker():
    backend = SimBackend(count=1, capture_delay_s=0)
    [info] = backend.discover()
    worker = CameraWorker(info, backend, lambda *_: None)
    worker.start()
    yield worker
    worker.stop(5)


def _busy_when_settled(worker: CameraWorker, fn) -> list[bool]:
    """Whether the worker still said busy at the moment the future settled: a done-callback
    runs inside set_result/set_exception, exactly when a waiting caller wakes up."""
    seen: list[bool] = []
    future = worker.submit(fn)
    future.add_done_callback(lambda _f: seen.append(worker.busy))
    future.exception(10)
    return seen


def test_a_command_is_not_busy_any_more_when_its_result_arrives(worker):
    assert _busy_when_settled(worker, lambda device: device.info.camera_id) == [False]


def test_a_failed_command_is_not_busy_any_more_when_its_error_arrives(worker):
    def fails(_device):
        raise KeyError("a bug")

    assert _busy_when_settled(worker, fails) == [False]
