"""size_text: the unit that fits, never "0 MiB" for a few small files."""

import pytest

from eyepi_gui.domain.sizes import GIB, KIB, MIB, size_text


@pytest.mark.parametrize(
    ("size", "up", "text"),
    [
        (0, False, "0 bytes"),
        (1023, False, "1,023 bytes"),
        (KIB, False, "1 KiB"),
        (96 * KIB + 1, False, "96 KiB"),
        (96 * KIB + 1, True, "97 KiB"),
        (MIB - 1, False, "1,023 KiB"),
        (MIB, False, "1 MiB"),
        (MIB + MIB // 2, False, "1.5 MiB"),
        (GIB - 1, False, "1,023.9 MiB"),
        (75 * GIB + GIB // 4, False, "75.2 GiB"),
    ],
)
def test_size_text_picks_the_unit_that_fits(size: int, up: bool, text: str) -> None:
    assert size_text(size, up=up) == text
