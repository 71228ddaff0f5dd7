"""The raw-bytes prefilter: which lines of a block could match a filter, found with searches
over the whole block (bytes.find, one regular-expression search per hit) before any line is
parsed as JSON. It may let through lines that do not match (the filter decides on the parsed
entry), never drop one that does:

- a line without a backslash holds every text value of its JSON object verbatim (JSON writes
  escapes with a backslash); lines with one are always let through;
- a block of ASCII bytes is searched as it is (lowered, without case); a block with other
  bytes is decoded as the entries are (bad bytes as U+FFFD) and, without case, case-folded
  as the filter folds a message ("K" KELVIN SIGN folds to "k"), hits mapped back to lines by
  counting newlines;
- a regular expression is searched in the block only when nothing in it looks outside the
  matched text (no anchors, no lookaround), so a match in a message is also a match at the
  same place in its line; the search restarts at the next line after each hit, so a match
  spanning lines hides none;
- a regular expression whose every match holds a plain run of text (``required_literal``)
  is first narrowed to the lines holding that run, found like a substring.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any

from eyepi_gui.domain.log_filter import LogFilter, search
from eyepi_gui.errors import InvalidInput

FOLDS_INTO_ASCII = (
    "\u00df\u0130\u0131\u0149\u017f\u01f0\u1e96\u1e97\u1e98\u1e99\u1e9a\u1e9e\u212a"
    "\ufb00\ufb01\ufb02\ufb03\ufb04\ufb05\ufb06"
)
"""Every character outside ASCII whose case folding, upper or lower case holds an ASCII
character, or that a regular expression without case takes for an ASCII letter (sharp s, the
long s, KELVIN SIGN, dotted and dotless i, the fi and ff ligatures, ...): tests/unit checks
the list against the Unicode tables of the running Python."""
_FOLD_BYTES = tuple(char.encode() for char in FOLDS_INTO_ASCII)
_FOLDS = re.compile(b"|".join(re.escape(encoded) for encoded in _FOLD_BYTES))
_ASCII = bytes(range(0x80))
_BACKSLASH = re.compile(rb"\\")
_LOOKS_AROUND = re.compile(r"\^|\$|\\[AZzGK]|\(\?<?[=!]|\(\?<|\(\?[a-zA-Z]*\)")
_LOOKS_AROUND_SAFE = re.compile(r"\[\^")
Span = tuple[int, int]
BLOCK_SEARCH_S = 1.0
"""The longest the searches of one block may take together: each stays under the filter's
REGEX_TIMEOUT_S, but a pattern slow on every line would, over the thousands of lines of a
block, hold a worker for minutes."""
TOO_SLOW = (
    f"the regular expression takes too long on this log (over {BLOCK_SEARCH_S} s on one "
    "block of lines); make it simpler"
)


@dataclass(frozen=True)
class RawProbe:
    """What a candidate line holds: one of ``needles``, or a match of ``pattern`` in its
    text. ``fold`` says how case is ignored: "casefold" (a text filter: the block's text
    case-folded, as the filter folds a message) or "ascii" (level names: the block lowered,
    lines with bytes outside ASCII let through, since ``str.upper`` turns some into ASCII)."""

    needles: tuple[bytes, ...] = ()
    fold: str = ""
    pattern: Any = None

    def candidates(self, block: bytes) -> list[Span]:
        """(start, end) of the lines of ``block`` that may match, first to last."""
        if block.isascii():
            starts = self._ascii_hits(block)
        elif self.pattern is not None or not self._ascii_needles():
            starts = self._text_hits(block)
        else:
            starts = _needle_hits(block.lower() if self.fold else block, self.needles)
            if self.fold:  # lines where case folding could make ASCII out of other text
                starts += _fold_hits(block)
        if b"\\" in block:
            starts += _line_hits(_BACKSLASH, block)
        return _lines_at(block, starts)

    def _ascii_needles(self) -> bool:
        """Whether the needles can be searched as bytes in a block with other bytes: always
        with case, and without case when they are all ASCII."""
        return self.fold != "casefold" or all(needle.isascii() for needle in self.needles)

    def _ascii_hits(self, block: bytes) -> list[int]:
        """Hits in a block of ASCII bytes, where a character is a byte."""
        if self.pattern is not None and not self.needles:
            return _pattern_hits(self.pattern, block.decode("ascii"))
        return _needle_hits(block.lower() if self.fold else block, self.needles)

    def _text_hits(self, block: bytes) -> list[int]:
        """Hits in the block's text (decoded as the entries are), as byte offsets of lines."""
        text = block.decode("utf-8", "replace")
        if self.pattern is not None:
            return _line_starts(block, text, _pattern_hits(self.pattern, text))
        folded = text.casefold()  # folds character by character: newlines stay where they were
        words = [needle.decode() for needle in self.needles]
        return _line_starts(block, folded, _needle_hits(folded, words))


def probe_for(query: LogFilter) -> RawProbe | None:
    """The cheapest sound prefilter for ``query``, None when every line must be parsed."""
    if query.text and query.pattern is not None:
        literal = required_literal(query.text, query.ignore_case)
        needles, fold = ((literal,), "ascii" if query.ignore_case else "") if literal else ((), "")
        if looks_only_at_match(query.text):
            return RawProbe(needles, fold, query.pattern)
        if literal:
            return RawProbe(needles, fold)
    if query.text and query.pattern is None and "\ufffd" not in query.text:
        if query.ignore_case:
            return RawProbe((query.text.casefold().encode(),), fold="casefold")
        return RawProbe((query.text.encode(),))
    for names, fold in ((query.cameras, ""), (query.events, ""), (query.levels, "ascii")):
        if names:
            return RawProbe(tuple(_needle(name, fold) for name in sorted(names)), fold=fold)
    return None


def required_literal(pattern: str, ignore_case: bool) -> bytes | None:
    """Text that every match of ``pattern`` holds (lowered when ``ignore_case``): its longest
    run of plain characters outside groups, sets and quantified characters, at least 3 long.
    None for a pattern with an alternation, a backslash or a ``(?`` group (not worth reading
    closely), or whose run without case would hold characters outside ASCII."""
    if any(sign in pattern for sign in ("|", "\\", "(?")):
        return None
    runs, run, depth, at = [], "", 0, 0
    while at < len(pattern):
        char = pattern[at]
        if char in "*?{":
            run = run[:-1]  # the character before is optional
        if char == "[":
            at = _set_end(pattern, at)
        elif char == "{":
            at = pattern.find("}", at)
        if at < 0:
            return None
        depth += (char == "(") - (char == ")")
        if char in ".^$*+?{}[]()" or depth:
            runs.append(run)
            run = ""
        else:
            run += char
        at += 1
    longest = max([*runs, run], key=len)
    if len(longest) < 3 or (ignore_case and not longest.isascii()):
        return None
    return (longest.lower() if ignore_case else longest).encode()


def _set_end(pattern: str, start: int) -> int:
    """The index of the ``]`` closing the set opened at ``start`` (-1 when none does)."""
    at = start + 1
    at += pattern.startswith("^", at)
    at += pattern.startswith("]", at)
    return pattern.find("]", at)


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


def _needle_hits(haystack: Any, needles: Any) -> list[int]:
    """An offset of each line of ``haystack`` (bytes or text) holding one of ``needles``."""
    hits, newline = [], "\n" if isinstance(haystack, str) else b"\n"
    for needle in needles:
        at = haystack.find(needle)
        while at >= 0:
            hits.append(at)
            at = haystack.find(needle, haystack.find(newline, at) + 1 or len(haystack))
    return hits


def _pattern_hits(pattern: Any, text: str) -> list[int]:
    """The start of the first match in each line of ``text`` that holds one; after a hit the
    search starts again at the next line, so a match spanning lines hides none.
    ``InvalidInput("text")`` when the searches take over BLOCK_SEARCH_S together."""
    hits, at, began = [], 0, time.monotonic()
    while at <= len(text):
        found = search(pattern, text, at)
        if found is None:
            break
        hits.append(found.start())
        at = text.find("\n", found.start()) + 1 or len(text) + 1
        if time.monotonic() - began > BLOCK_SEARCH_S:
            raise InvalidInput("text", TOO_SLOW)
    return hits


def _line_starts(block: bytes, text: str, offsets: list[int]) -> list[int]:
    """The byte offset in ``block`` of the line holding each character offset of ``text``
    (the block's text, with the same newlines)."""
    starts, char_at, byte_at = [], 0, 0
    for offset in sorted(offsets):
        for _ in range(text.count("\n", char_at, offset)):
            byte_at = block.index(b"\n", byte_at) + 1
        char_at = offset
        starts.append(byte_at)
    return starts


def _fold_hits(block: bytes) -> list[int]:
    """An offset in each line of ``block`` holding a character of FOLDS_INTO_ASCII. Most
    blocks hold none: that is checked on their bytes outside ASCII alone (the bytes of one
    character stay together when the others are taken out), which is quick."""
    rest = block.translate(None, _ASCII)
    if not any(encoded in rest for encoded in _FOLD_BYTES):
        return []
    return _line_hits(_FOLDS, block)


def _needle(name: str, fold: str) -> bytes:
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
