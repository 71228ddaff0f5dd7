"""The raw prefilter never drops a line that matches: any Unicode message, written with or
without ASCII escapes, next to other lines in one block, for substrings with and without case
and for regular expressions searched in the block."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from eyepi_gui.adapters.log_scan import probe_for
from eyepi_gui.domain.log_entries import entry_of_line
from eyepi_gui.domain.log_filter import log_filter

PATTERNS = ["a.b", "[^a]+z", "k", "ss", "\u212a", r"\w\s\w", "é+", "x|y", "(a|b)c"]


def line_of(message: str, ascii_only: bool) -> bytes:
    return json.dumps({"level": "INFO", "msg": message}, ensure_ascii=ascii_only).encode()


@settings(max_examples=500, deadline=None)
@given(
    messages=st.lists(st.text(max_size=12), min_size=1, max_size=5),
    needle=st.one_of(st.text(min_size=1, max_size=3), st.sampled_from(PATTERNS)),
    as_regex=st.booleans(),
    ignore_case=st.booleans(),
    ascii_only=st.booleans(),
)
def test_every_matching_line_is_a_candidate(messages, needle, as_regex, ignore_case, ascii_only):
    if as_regex and needle not in PATTERNS:
        needle = "a.b"
    if "\x00" in needle:
        return
    query = log_filter(text=needle, regex=as_regex, ignore_case=ignore_case)
    probe = probe_for(query)
    lines = [line_of(m, ascii_only) for m in messages]
    block = b"\n".join(lines) + b"\n"
    candidates = {block[s:e] for s, e in probe.candidates(block)} if probe else set(lines)
    for line in lines:
        if query.matches(entry_of_line(line)):
            assert line in candidates, (line, needle)
