"""The raw-bytes prefilter: which lines of a block could match a filter, found with searches
over the whole block (bytes.find, one regular-expression search per hit) before any line is
parsed as JSON. It may let through lines that do not match (the filter decides on the parsed
entry), never drop one that does:

- a line without a backslash holds every text value of its JSON object verbatim (JSON writes
  escapes with a backslash); lines with one are always let through;
- a search without case compares the block lowered (ASCII only): a line with any byte
  outside ASCII is let through too, since Unicode case folding can turn such text into ASCII
  ("K" KELVIN SIGN folds to "k");
- a regular expression is searched in the block only when nothing in it looks outside the
  matched text (no anchors, no lookaround), so a match in a message is also a match at the
  same place in its line; the search restarts at the next line after each hit, so a match
  spanning lines hides none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from eyepi_gui.adapters.log_blocks import line_spans
from eyepi_gui.domain.log_filter import LogFilter, search

_SPECIAL = re.compile(rb"[\\\x80-\xff]")
_BACKSLASH = re.compile(rb"\\")
_LOOKS_AROUND = re.compile(r"\^|\$|\\[AZzGK]|\(\?<?[=!]|\(\?<|\(\?[a-zA-Z]*\)")
_LOOKS_AROUND_SAFE = re.compile(r"\[\^")
Span = tuple[int, int]


@dataclass(frozen=True)
class RawProbe:
    """What a candidate line holds: one of ``needles`` (lowered when ``fold``), or a match of
    ``pattern`` in its text."""

    needles: tuple[bytes, ...] = ()
    fold: bool = False
    pattern: Any = None

    def candidates(self, block: bytes) -> list[Span]:
        """(start, end) of the lines of ``block`` that may match, first to last."""
        if self.pattern is not None:
            if not block.isascii():
                return self._each_line(block)
            starts = self._pattern_hits(block)
        else:
            starts = self._needle_hits(block.lower() if self.fold else block)
        special = _SPECIAL if self.fold else _BACKSLASH
        if not (self.fold and not block.isascii()) and b"\\" not in block:
            return _lines_at(block, starts)
        return _lines_at(block, starts + _line_hits(special, block))

    def _needle_hits(self, haystack: bytes) -> list[int]:
        hits = []
        for needle in self.needles:
            at = haystack.find(needle)
            while at >= 0:
                hits.append(at)
                at = haystack.find(needle, haystack.find(b"\n", at) + 1 or len(haystack))
        return hits

    def _pattern_hits(self, block: bytes) -> list[int]:
        text, hits, at = block.decode("ascii"), [], 0
        while at <= len(text):
            found = search(self.pattern, text, at)
            if found is None:
                break
            hits.append(found.start())
            at = text.find("\n", found.start()) + 1 or len(text) + 1
        return hits

    def _each_line(self, block: bytes) -> list[Span]:
        return [
            (start, end)
            for start, end in line_spans(block)
            if b"\\" in block[start:end]
            or search(self.pattern, block[start:end].decode("utf-8", "replace"))
        ]


def probe_for(query: LogFilter) -> RawProbe | None:
    """The cheapest sound prefilter for ``query``, None when every line must be parsed."""
    if query.text and query.pattern is not None and looks_only_at_match(query.text):
        return RawProbe(pattern=query.pattern)
    if query.text and query.pattern is None and "\ufffd" not in query.text:
        if query.ignore_case:
            return RawProbe((query.text.casefold().encode(),), fold=True)
        return RawProbe((query.text.encode(),))
    for names, fold in ((query.cameras, False), (query.events, False), (query.levels, True)):
        if names:
            return RawProbe(tuple(_needle(name, fold) for name in sorted(names)), fold=fold)
    return None


def looks_only_at_match(pattern: str) -> bool:
    """True when ``pattern`` has no anchor, lookaround or inline flag group (a negated set
    ``[^`` is fine): whether it matches depends only on the text it matches."""
    return not _LOOKS_AROUND.search(_LOOKS_AROUND_SAFE.sub("[", pattern))


def _line_hits(special: re.Pattern[bytes], block: bytes) -> list[int]:
    """An offset in each line of ``block`` that holds a byte ``special`` matches."""
    hits, at = [], 0
    while (found := special.search(block, at)) is not None:
        hits.append(found.start())
        at = block.find(b"\n", found.start()) + 1 or len(block)
    return hits


def _needle(name: str, fold: bool) -> bytes:
    return name.lower().encode() if fold else name.encode()


def _lines_at(block: bytes, starts: list[int]) -> list[Span]:
    """The lines holding the offsets ``starts``, once each, in order."""
    spans, last_end = [], -1
    for at in sorted(starts):
        if at < last_end:
            continue
        start = block.rfind(b"\n", 0, at) + 1
        end = block.find(b"\n", at)
        end = len(block) if end < 0 else end
        if end > start:
            spans.append((start, end))
        last_end = end + 1
    return spans
