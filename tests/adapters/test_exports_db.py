"""ExportsDB on a real state.db: the selection's captures, exports recorded with their
manifest, the exported flag that "not yet exported" reads, the history newest first."""

from eyepi_gui.adapters.captures_db import CapturesDB
from eyepi_gui.adapters.db import StateDB
from eyepi_gui.adapters.exports_db import ExportsDB
from eyepi_gui.domain.export import ExportRecord, ExportSelection
from eyepi_gui.domain.records import CaptureRecord


def world(tmp_path):
    db = StateDB(tmp_path / "state.db")
    index, exports = CapturesDB(db), ExportsDB(db)
    ids = []
    for n, camera in enumerate(["a", "a", "b", "a"]):
        path = str(tmp_path / "images" / camera / "2025-06-01" / f"{n}.jpg")
        ids.append(index.add(CaptureRecord(camera, path, 100.0 + n, 100.0 + n, 10 + n, "f" * 64)))
    return index, exports, ids


def begin(exports, job_id="j1"):
    return exports.begin(
        ExportRecord(
            0, job_id, 5.0, None, "otto", "/dev/sdb1", "STICK", "exfat", "eyepi", 0, 0, "running"
        )
    )


def test_a_selection_by_camera_and_time_oldest_first_with_absolute_paths(tmp_path):
    _, exports, ids = world(tmp_path)
    found = exports.selected(ExportSelection(("a",)), 100.5, 103.5)
    assert [r.record_id for r in found] == [ids[1], ids[3]]
    assert found[0].path == str(tmp_path / "images/a/2025-06-01/1.jpg")
    assert [r.record_id for r in exports.selected(ExportSelection(), None, None)] == ids


def test_verified_files_are_recorded_flagged_and_left_out_of_not_exported(tmp_path):
    _, exports, ids = world(tmp_path)
    export_id = begin(exports)
    exports.verified(export_id, [(ids[0], "eyepi/a/0.jpg", "f" * 64, 10)])
    exports.verified(export_id, [(ids[2], "eyepi/b/2.jpg", "f" * 64, 12)])
    assert exports.exported(ids) == {ids[0], ids[2]}
    left = exports.selected(ExportSelection(not_exported=True), None, None)
    assert [r.record_id for r in left] == [ids[1], ids[3]]
    assert exports.manifest(export_id) == [
        (ids[0], "eyepi/a/0.jpg", "f" * 64),
        (ids[2], "eyepi/b/2.jpg", "f" * 64),
    ]
    exports.finish(export_id, 9.0, "done")
    (made,) = exports.history(10)
    assert (made.files, made.bytes, made.outcome, made.ended_at) == (2, 22, "done", 9.0)
    assert (made.by, made.device, made.label, made.fstype) == (
        "otto",
        "/dev/sdb1",
        "STICK",
        "exfat",
    )


def test_the_history_is_newest_first_and_limited(tmp_path):
    _, exports, _ = world(tmp_path)
    for n in range(3):
        begin(exports, f"j{n}")
    assert [r.job_id for r in exports.history(2)] == ["j2", "j1"]
    assert exports.history(5)[0].outcome == "running"
