"""The pure rules behind "This station": URL hosts, durations and the QR code of a URL."""

import re

import cv2
import numpy as np
import pytest

from eyepi_gui.domain.qr import QUIET_MODULES, qr_matrix, qr_svg
from eyepi_gui.domain.reach import InterfaceAddress, browser_urls, duration_text, reachable

URLS = [
    "http://192.168.1.20:8080",
    "https://10.0.0.7:8443",
    "https://[2001:db8:1234:5678:9abc:def0:1234:5678]:65535",
]


def decode(rows, module_px=8):
    """What OpenCV's QR detector reads from a module grid drawn black on white."""
    grid = np.array(rows, dtype=bool)
    image = np.where(grid, 0, 255).astype(np.uint8)
    image = np.kron(image, np.ones((module_px, module_px), dtype=np.uint8))
    text, points, _ = cv2.QRCodeDetector().detectAndDecode(image)
    assert points is not None, "no QR code found"
    return text


@pytest.mark.parametrize("url", URLS)
def test_the_matrix_decodes_to_the_url(url):
    matrix = qr_matrix(url)
    assert decode(matrix.rows) == url
    assert matrix.size == len(matrix.rows[0])


def test_the_matrix_has_its_quiet_zone():
    rows = qr_matrix(URLS[0]).rows
    edge = [*rows[:QUIET_MODULES], *rows[-QUIET_MODULES:]]
    assert not any(any(row) for row in edge)
    assert not any(any(row[:QUIET_MODULES]) or any(row[-QUIET_MODULES:]) for row in rows)


def test_the_svg_is_geometry_only():
    svg = qr_svg(URLS[0])
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "192.168" not in svg
    text = re.sub(r'"[-0-9a-zA-Z .#()]*"', '""', svg)  # attribute values: numbers, colours
    assert re.fullmatch(r'(</?[a-z]+( [a-z]+="")*/?>)+', text), text


def test_duration_text():
    assert [duration_text(s) for s in (0, 42, 60, 3599, 3600 + 5 * 60, 2 * 86400 + 4 * 3600)] == [
        "0 s",
        "42 s",
        "1 min",
        "59 min",
        "1 h 05 min",
        "2 d 4 h",
    ]


def test_zone_ids_never_reach_a_url():
    """fe80:: addresses need "%eth0", which browsers refuse: they are listed, never linked."""
    found = [
        InterfaceAddress("eth0", "fe80::1", "IPv6"),
        InterfaceAddress("eth0", "fd00::2", "IPv6"),
    ]
    assert browser_urls("http://[::]:80", found) == ("http://[fd00::2]:80",)
    assert [a.address for a in reachable(found)] == ["fd00::2", "fe80::1"]
