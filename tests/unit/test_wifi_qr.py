"""The Wi-Fi QR payload (domain.qr.wifi_qr_text): the ZXing ``WIFI:`` format, with every
character that format reserves escaped, so a phone joins the network it names."""

from __future__ import annotations

import re

import pytest

from eyepi_gui.domain.qr import qr_matrix, wifi_escape, wifi_qr_text


def test_a_plain_network():
    assert wifi_qr_text("eyepi-north", "s3cret-pass") == "WIFI:T:WPA;S:eyepi-north;P:s3cret-pass;;"


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("a;b", r"a\;b"),
        ("a,b", r"a\,b"),
        ("a:b", r"a\:b"),
        ('a"b', r"a\"b"),
        ("a\\b", r"a\\b"),
        ('\\;,:"', r"\\\;\,\:\""),
        ("plain ünïcode 📷", "plain ünïcode 📷"),
    ],
)
def test_reserved_characters_are_escaped(text, escaped):
    assert wifi_escape(text) == escaped


def test_escaping_in_both_fields():
    payload = wifi_qr_text('my;net:"x"', "pa\\ss,word")
    assert payload == r"WIFI:T:WPA;S:my\;net\:\"x\";P:pa\\ss\,word;;"


def test_an_unescaped_separator_never_ends_a_field_early():
    payload = wifi_qr_text("a;P:evil", "real-password")
    fields = re.split(r"(?<!\\);", payload.removeprefix("WIFI:"))
    assert fields[:3] == [r"T:WPA", r"S:a\;P\:evil", "P:real-password"]


def test_an_open_network_has_no_password_field():
    assert wifi_qr_text("Cafe", "") == "WIFI:T:nopass;S:Cafe;;"


def test_a_hidden_network_says_so():
    assert wifi_qr_text("Shed", "shed-password", hidden=True).endswith(";H:true;;")


def test_the_payload_makes_a_code():
    assert qr_matrix(wifi_qr_text("eyepi-north", "s3cret-pass")).size > 21
