"""The raw prefilter never drops a line that matches: any Unicode message, level or camera,
each line written with or without ASCII escapes, next to other lines in one block, for
substrings with and without case, regular expressions searched in the block, and names."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eyepi_gui.adapters.log_scan import probe_for
from eyepi_gui.domain.log_entries import entry_of_line
from eyepi_gui.domain.log_filter import log_filter

WORDS = ["ss", "kelvin", "οδοσ", "STRASSE"]
PATTERNS = [
    "abc+d",
    "^the",
    "ab?cde",
    "[]x]yzw",
    "(ab)?cde$",
    "STR.SSE",
    "a{1,2}bcd",
    "a.b",
    "[^a]+z",
    "k",
    "ss",
    "\u212a",
    r"\w\s\w",
    "é+",
    "x|y",
    "(a|b)c",
    "\ufffd",
]
LEVELS = ["INFO", "info", "\u0131nfo", "Warning", "ERROR", "erro\u0280"]
CAMERAS = ["sim-1", "Gewächshaus", "cam\\1", 'a"b']

lines = st.builds(
    lambda message, level, camera, ascii_only: json.dumps(
        {"level": level, "msg": message, "fields": {"camera": camera}}, ensure_ascii=ascii_only
    ).encode(),
    st.one_of(
        st.text(max_size=12),
        st.sampled_from(
            ["die straße", "\u212aelvin", "ΟΔΟΣ é", "the abccd", "xcde", "]yzw", "abce"]
        ),
    ),
    st.sampled_from(LEVELS),
    st.sampled_from(CAMERAS),
    st.booleans(),
)
junk = st.sampled_from([b"plain STRASSE", b"\xff\xfe x k", b"{bad", b""])


@settings(max_examples=600, deadline=None)
@given(
    block_lines=st.lists(st.one_of(lines, junk), min_size=1, max_size=6),
    needle=st.one_of(st.text(min_size=1, max_size=3), st.sampled_from(PATTERNS + WORDS)),
    as_regex=st.booleans(),
    ignore_case=st.booleans(),
    names=st.sampled_from(
        [{}, {"levels": ["INFO"]}, {"levels": ["ERROR", "WARNING"]}, {"cameras": CAMERAS[1:]}]
    ),
)
def test_every_matching_line_is_a_candidate(block_lines, needle, as_regex, ignore_case, names):
    if as_regex and needle not in PATTERNS:
        needle = "a.b"
    if "\x00" in needle:
        return
    query = log_filter(text=needle, regex=as_regex, ignore_case=ignore_case, **names)
    block = b"\n".join(block_lines) + b"\n"
    for query in (query, log_filter(**names)):
        probe = probe_for(query)
        candidates = {block[s:e] for s, e in probe.candidates(block)} if probe else None
        for line in block_lines:
            if line and query.matches(entry_of_line(line)):
                assert candidates is None or line in candidates, (line, query)


@pytest.mark.parametrize(
    ("message", "needle"),
    [("die straße", "SS"), ("\u212aelvin", "kelvin"), ("ΟΔΟΣ", "οδοσ"), ("ﬁle", "FI")],
)
def test_unicode_case_folding_that_changes_length_or_script_is_found(message, needle):
    line = json.dumps({"msg": message}, ensure_ascii=False).encode()
    block = b'{"msg": "other"}\n' + line + b"\n"
    query = log_filter(text=needle)
    assert query.matches(entry_of_line(line))
    assert [block[s:e] for s, e in probe_for(query).candidates(block)] == [line]
