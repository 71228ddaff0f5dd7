"""The Logs tab's list model: chunks added at both ends, never more than HELD_MAX entries
held (whole chunks dropped from the far end), and the cursors to read on from stay those
of the chunks next to what is held."""

from __future__ import annotations

from datetime import UTC

from eyepi_gui.domain.log_entries import LogEntry
from eyepi_gui.kiosk.panels.logs import model as model_module
from eyepi_gui.kiosk.panels.logs.model import LogListModel
from eyepi_gui.kiosk.panels.logs.reading import Chunk
from eyepi_gui.kiosk.panels.logs.rows import row_text


def entries(first: int, count: int) -> list[LogEntry]:
    """Entries numbered first+count-1 down to first (newest first)."""
    return [
        LogEntry(float(n), "INFO", "t", "probe", None, f"line {n}")
        for n in range(first + count - 1, first - 1, -1)
    ]


def chunk(first: int, count: int) -> Chunk:
    return Chunk(entries(first, count), f"above {first + count - 1}", f"below {first}")


def test_older_chunks_past_the_limit_drop_the_newest_chunks(qapp, monkeypatch):
    monkeypatch.setattr(model_module, "HELD_MAX", 250)
    model = LogListModel()
    model.reset(chunk(900, 100), UTC)
    assert model.add_older(chunk(800, 100)) == 0
    assert model.add_older(chunk(700, 100)) == 100  # 300 > 250: the newest chunk goes
    assert model.rowCount() == 200 and not model.live
    assert model.entries[0].message == "line 899" and model.entries[-1].message == "line 700"
    assert (model.newer_cursor, model.older_cursor) == ("above 899", "below 700")


def test_newer_chunks_past_the_limit_drop_the_oldest_chunks(qapp, monkeypatch):
    monkeypatch.setattr(model_module, "HELD_MAX", 250)
    model = LogListModel()
    model.reset(chunk(100, 100), UTC)
    model.add_newer(chunk(200, 100))
    model.add_newer(chunk(300, 100))
    assert model.rowCount() == 200 and model.live
    assert model.entries[0].message == "line 399" and model.entries[-1].message == "line 200"
    assert (model.newer_cursor, model.older_cursor) == ("above 399", "below 200")


def test_an_empty_chunk_moves_only_the_cursor(qapp):
    model = LogListModel()
    model.reset(chunk(100, 10), UTC)
    model.add_older(Chunk([], "below 100", "further down"))
    model.add_newer(Chunk([], "much later", "above 109"))
    assert model.rowCount() == 10
    assert (model.newer_cursor, model.older_cursor) == ("much later", "further down")


def test_fetch_more_asks_once_until_answered_and_never_past_the_oldest(qapp, qtbot):
    model = LogListModel()
    model.reset(chunk(100, 10), UTC)
    with qtbot.waitSignal(model.more_wanted):
        model.fetchMore(model.index(-1))
    assert not model.canFetchMore(model.index(-1)), "one request at a time"
    model.fetching = False
    model.add_older(Chunk(entries(90, 10), "below 100", None))
    assert not model.canFetchMore(model.index(-1)), "the oldest line was read"


def test_a_row_is_plain_text_on_one_line():
    entry = LogEntry(0.0, "ERROR", "t", "capture_failed", "sim-1", "<b>no</b>\nsecond")
    assert row_text(entry, UTC) == "01 Jan 00:00:00  Error  sim-1  <b>no</b> ⏎ second"
