"""File names come from a fixed set of placeholders, never from a format string on user text."""

from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eyepi_gui.domain import naming

WHEN = datetime(2025, 6, 1, 5, 4, 3)


def test_default_pattern_matches_the_documented_layout():
    stem = naming.render(
        naming.DEFAULT_PATTERN, name="Left DSLR", camera="sim-1", station="s", when=WHEN
    )
    assert stem == "Left-DSLR_2025_06_01_05_04_03"
    assert (
        naming.image_path("sim-1", WHEN, stem, "jpg")
        == "sim-1/2025-06-01/Left-DSLR_2025_06_01_05_04_03.jpg"
    )


def test_every_placeholder_renders():
    pattern = "{station}-{camera}-{name}-{date}-{time}-{timestamp}"
    out = naming.render(
        naming.check_pattern(pattern), name="n", camera="c", station="Field 3", when=WHEN
    )
    assert out == "Field-3-c-n-2025-06-01-05_04_03-2025_06_01_05_04_03"


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        ("", "1 to"),
        ("x" * 101, "1 to"),
        ("{name}", "timestamp"),
        ("{bogus}_{timestamp}", "unknown placeholder"),
        ("{name.__class__}_{timestamp}", "unknown placeholder"),
        ("{0}_{timestamp}", "unknown placeholder"),
        ("../{timestamp}", "only letters"),
        ("a/b_{timestamp}", "only letters"),
        ("a b_{timestamp}", "only letters"),
        (".{timestamp}", "must not start"),
        ("-{timestamp}", "must not start"),
        ("{timestamp}{", "only letters"),
    ],
)
def test_bad_patterns_are_rejected_with_a_reason(pattern, reason):
    with pytest.raises(ValueError, match=reason):
        naming.check_pattern(pattern)


@given(st.text(max_size=80))
def test_file_safe_never_escapes_the_folder(text):
    safe = naming.file_safe(text)
    assert safe and "/" not in safe and "\x00" not in safe and not safe.startswith((".", "-"))
    assert len(safe) <= 40


@given(st.text(max_size=60), st.text(max_size=60))
def test_rendered_names_are_plain_file_names(name, station):
    stem = naming.render(
        naming.DEFAULT_PATTERN, name=name, camera="sim-1", station=station, when=WHEN
    )
    assert "/" not in stem and stem.endswith("_2025_06_01_05_04_03")
