"""Export selection, plan and pre-flight (pure): every class of bad input names its field;
the pre-flight refuses by rule per filesystem before anything is written."""

from datetime import UTC, date, datetime

import pytest

from eyepi_gui.domain.export import (
    FAT_FILE_MAX,
    MAX_DAYS,
    SPARE_BYTES,
    ExportItem,
    ExportSelection,
    manifest_line,
    name_problem,
    parse_manifest,
    plan,
    preflight,
    selection,
)
from eyepi_gui.errors import InvalidInput, StorageError

KNOWN = ["sim-1", "sim-2"]
SHA = "a" * 64
OTHER = "b" * 64


def item(relative="sim-1/2025-06-01/a.jpg", size=1000, sha=SHA, rid=1):
    return ExportItem(rid, f"/home/images/{relative}", relative, size, sha)


def test_a_date_range_and_cameras_make_a_selection():
    chosen = selection(["sim-2"], "2025-06-01", "2025-06-03", False, KNOWN)
    assert chosen == ExportSelection(("sim-2",), date(2025, 6, 1), date(2025, 6, 3))
    since, until = chosen.span(UTC)
    assert since == datetime(2025, 6, 1, tzinfo=UTC).timestamp()
    assert until == datetime(2025, 6, 4, tzinfo=UTC).timestamp()  # the last day included


def test_everything_not_exported_needs_no_days():
    assert selection([], None, "", True, KNOWN) == ExportSelection((), not_exported=True)
    assert ExportSelection(not_exported=True).span(UTC) == (None, None)


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ((["sim-9"], "2025-06-01", "2025-06-01", False), "cameras"),
        ((["sim-1", "sim-1"], "2025-06-01", "2025-06-01", False), "cameras"),
        (([""], None, None, True), "cameras"),
        (([], "01/06/2025", "2025-06-01", False), "first_day"),
        (([], "2025-06-01", "2025-13-01", False), "last_day"),
        (([], "2025-06-01", " 2025-06-02", False), "last_day"),
        (([], "2025-06-02", "2025-06-01", False), "last_day"),
        (([], "2000-01-01", "2025-06-01", False), "last_day"),
        (([], None, "2025-06-01", False), "first_day"),
        (([], "2025-06-01", None, False), "last_day"),
        (([], None, None, False), "first_day"),
        (([], "2025-06-01", None, True), "not_exported"),
    ],
    ids=[
        "unknown camera",
        "camera twice",
        "empty camera id",
        "day not ISO",
        "month 13",
        "space in day",
        "last before first",
        "range too long",
        "no first day",
        "no last day",
        "nothing chosen",
        "days with not_exported",
    ],
)
def test_bad_selections_name_their_field(args, field):
    with pytest.raises(InvalidInput) as refused:
        selection(*args, KNOWN)
    assert refused.value.field == field


def test_the_longest_range_is_taken():
    first = date(2020, 1, 1)
    last = date.fromordinal(first.toordinal() + MAX_DAYS - 1)
    assert selection([], first, last, False, KNOWN).last_day == last


def test_a_plan_skips_what_the_manifest_holds_with_the_same_checksum():
    a, b, c = item("x/a.jpg", rid=1), item("x/b.jpg", rid=2), item("x/c.jpg", rid=3, sha=OTHER)
    made = plan([a, b, c], {"x/a.jpg": SHA, "x/c.jpg": SHA})
    assert made.done == (a,) and made.items == (b, c)
    assert made.bytes_to_copy == 2000


def test_preflight_refuses_a_file_over_fat32s_limit_only_on_fat():
    huge = plan([item(size=FAT_FILE_MAX + 1)], {})
    with pytest.raises(StorageError, match="FAT32"):
        preflight(huge, "vfat", 2**40)
    preflight(huge, "exfat", 2**40)
    preflight(huge, "ext4", 2**40)


@pytest.mark.parametrize(
    ("name", "fstype"),
    [
        ("a:b.jpg", "vfat"),
        ("a?.jpg", "exfat"),
        ("tab\there.jpg", "exfat"),
        ("ends.", "vfat"),
        ("ends ", "exfat"),
        ("é" * 256, "exfat"),
        ("é" * 128, "ext4"),
        ("..", "ext4"),
    ],
)
def test_names_the_filesystem_cannot_hold_are_refused(name, fstype):
    assert name_problem(name, fstype)
    with pytest.raises(StorageError, match="sim-1/"):
        preflight(plan([item(f"sim-1/{name}")], {}), fstype, 2**40)


@pytest.mark.parametrize("name", ["a:b.jpg", "ends.", "é" * 127])
def test_ext4_holds_what_fat_cannot(name):
    assert name_problem(name, "ext4") is None


def test_preflight_wants_room_for_the_files_and_a_spare_mebibyte():
    todo = plan([item(size=10 * 2**20)], {})
    preflight(todo, "exfat", 10 * 2**20 + SPARE_BYTES)
    said = r"the stick has 10\.9 MiB free, the export needs 11 MiB"
    with pytest.raises(StorageError, match=said):
        preflight(todo, "exfat", 10 * 2**20 + SPARE_BYTES - 1)


def test_what_is_done_needs_no_room():
    preflight(plan([item(size=2**30)], {"sim-1/2025-06-01/a.jpg": SHA}), "exfat", SPARE_BYTES)


def test_the_manifest_reads_back_what_was_written_and_ignores_a_cut_line():
    text = manifest_line(SHA, "sim-1/a.jpg") + manifest_line(OTHER, "sim-1/b.jpg")
    assert parse_manifest(text) == {"sim-1/a.jpg": SHA, "sim-1/b.jpg": OTHER}
    assert parse_manifest(text + manifest_line(SHA, "sim-1/c.jpg")[:-3]) == parse_manifest(text)
    assert parse_manifest("not a line\n" + SHA + "  /etc/passwd\n") == {}
    with pytest.raises(ValueError):
        manifest_line(SHA, "a\nb")
