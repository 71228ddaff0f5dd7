"""TaskRunner: work runs off the GUI thread, outcomes come back on it, stale ones are dropped."""

from __future__ import annotations

import logging
import threading

import pytest
from PySide6.QtCore import QObject

from eyepi_gui.errors import CameraFault
from eyepi_gui.kiosk.messages import UNEXPECTED, sentence
from eyepi_gui.kiosk.tasks import TaskRunner


@pytest.fixture
def runner(qapp):
    runner = TaskRunner()
    yield runner
    runner.close()


def test_result_arrives_on_the_gui_thread(qtbot, runner):
    seen = {}

    def work():
        seen["work"] = threading.current_thread()
        return 42

    def done(result):
        seen["result"], seen["done"] = result, threading.current_thread()

    with qtbot.waitSignal(runner.finished) as finished:
        runner.run("answer", work, done)
    assert finished.args == ["answer", 42]
    assert seen["result"] == 42
    assert seen["done"] is threading.main_thread()
    assert seen["work"] is not threading.main_thread()


def test_a_newer_task_with_the_same_key_makes_the_older_result_stale(qtbot, runner):
    release = threading.Event()
    results = []

    def slow():
        release.wait(10)
        return "old"

    runner.run("cameras", slow, results.append)
    runner.run("cameras", lambda: "new", results.append)
    qtbot.waitUntil(lambda: results == ["new"])
    release.set()
    qtbot.waitUntil(lambda: runner.pending_count() == 0)
    assert results == ["new"]


def test_tasks_with_other_keys_are_not_stale(qtbot, runner):
    results = []
    runner.run("a", lambda: 1, results.append)
    runner.run("b", lambda: 2, results.append)
    qtbot.waitUntil(lambda: sorted(results) == [1, 2])


def test_errors_reach_the_error_callback_only(qtbot, runner):
    done, errors = [], []

    def broken():
        raise CameraFault("lens cap on")

    with qtbot.waitSignal(runner.failed) as failed:
        runner.run("shot", broken, done.append, errors.append)
    assert done == []
    assert [str(e) for e in errors] == ["lens cap on"]
    assert isinstance(failed.args[1], CameraFault)


def test_a_stale_error_is_dropped(qtbot, runner):
    release = threading.Event()
    errors, results = [], []

    def fails_late():
        release.wait(10)
        raise CameraFault("too late")

    runner.run("shot", fails_late, results.append, errors.append)
    runner.run("shot", lambda: "ok", results.append, errors.append)
    qtbot.waitUntil(lambda: results == ["ok"])
    release.set()
    qtbot.waitUntil(lambda: runner.pending_count() == 0)
    assert errors == []


def test_callbacks_of_deleted_widgets_are_skipped(qtbot, runner):
    class Receiver(QObject):
        def __init__(self):
            super().__init__()
            self.got = []

        def take(self, result):
            self.got.append(result)

    receiver = Receiver()
    release = threading.Event()
    runner.run("x", lambda: release.wait(10), receiver.take)
    receiver.deleteLater()
    qtbot.waitUntil(lambda: not _valid(receiver))
    with qtbot.waitSignal(runner.finished):
        release.set()
    assert receiver.got == []


def test_cancel_drops_the_running_task(qtbot, runner):
    release = threading.Event()
    results = []
    runner.run("k", lambda: release.wait(10), results.append)
    assert runner.is_running("k")
    runner.cancel("k")
    assert not runner.is_running("k")
    release.set()
    qtbot.waitUntil(lambda: runner.pending_count() == 0)
    assert results == []


def test_nothing_is_delivered_after_close(qtbot, qapp):
    runner = TaskRunner()
    results = []
    runner.run("k", lambda: 1, results.append)
    assert runner.close()
    qapp.processEvents()
    assert results == []
    with pytest.raises(RuntimeError):
        runner.run("k", lambda: 2)


def _valid(obj):
    import shiboken6

    return shiboken6.isValid(obj)


def test_refresh_waits_for_the_running_task_instead_of_superseding_it(qtbot, runner):
    release = threading.Event()
    results = []

    def slow():
        release.wait(10)
        return "first"

    runner.refresh("cameras", slow, results.append)
    runner.refresh("cameras", lambda: "second", results.append)
    runner.refresh("cameras", lambda: "third", results.append)  # replaces "second"
    assert runner.pending_count() == 1  # one running, one waiting (not started)
    release.set()
    qtbot.waitUntil(lambda: results == ["first", "third"])
    qtbot.waitUntil(lambda: runner.pending_count() == 0)
    assert results == ["first", "third"]


def test_an_unexpected_error_is_logged_with_its_traceback_even_when_handled(qtbot, runner, caplog):
    """Acceptance (issue 12): the log has the traceback, the tech sees one plain sentence."""
    shown = []

    def buggy():
        return {}["sim-9"]

    with caplog.at_level(logging.ERROR, logger="eyepi.kiosk"):
        runner.run("shot", buggy, None, lambda error: shown.append(sentence(error)))
        qtbot.waitUntil(lambda: shown != [])
    assert shown == [UNEXPECTED]
    [record] = [r for r in caplog.records if r.exc_info]
    assert record.exc_info[0] is KeyError
    assert "shot" in record.getMessage()
    assert "buggy" in caplog.text and "Traceback" in caplog.text  # the frame that raised


def test_an_expected_error_shows_its_own_sentence_and_logs_no_traceback(qtbot, runner, caplog):
    shown = []

    def jammed():
        raise CameraFault("shutter jammed")

    with caplog.at_level(logging.DEBUG, logger="eyepi.kiosk"):
        runner.run("shot", jammed, None, lambda error: shown.append(sentence(error)))
        qtbot.waitUntil(lambda: shown != [])
    assert shown == ["Shutter jammed."]
    assert not any(r.exc_info for r in caplog.records)


def test_results_keep_their_type(qtbot, runner):
    """``run`` is generic: the callback gets what the work returned (mypy checks the types)."""
    lengths: list[int] = []

    def count(words: list[str]) -> None:
        lengths.append(len(words))

    runner.run("words", lambda: ["near", "far"], count)
    qtbot.waitUntil(lambda: lengths == [2])
