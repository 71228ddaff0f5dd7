"""Log engine on a big log (issue 15, performance.md B8): a generated station log across
eyepi.jsonl and its ten rotated files, read through ``adapters.log_files.LogFiles``.

- open at the tail: the first page of 50, newest first (goal < 100 ms);
- a text filter over every line (pages of 500 until the oldest line), against ``grep -c``
  on the same files in the same run (goal: at most 3x; the ratio is printed, and the counts
  must agree);
- memory: peak RSS while filtering above the RSS before it (goal < 64 MiB);
- follow: 1,000 lines appended to the live file, read by follow from the cursor taken
  before (goal < 50 ms).

Full mode (EYEPI_BENCH=full): 1,000,000 lines, asserts every goal. Quick mode (the default):
50,000 lines, prints the figures, never fails on a timing. Run with ``-s``:

    EYEPI_BENCH=full .venv/bin/python -m pytest -q -s tests/bench/test_log_engine.py
"""

from __future__ import annotations

import resource
import shutil
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psutil

from eyepi_gui.adapters.log_files import LogFiles
from eyepi_gui.domain.log_filter import log_filter

NAME = "eyepi.jsonl"
FILES = 11
TAIL_GOAL_MS, RATIO_GOAL, MEMORY_GOAL_MIB, FOLLOW_GOAL_MS = 100.0, 3.0, 64.0, 50.0
NEEDLE = "timeout"
MESSAGES = [
    (
        '"INFO", "logger": "eyepi.capture", "event": "capture_done"',
        "{cam}: captured IMG_{n:07d}.jpg in 1.{n3:03d} s",
    ),
    (
        '"INFO", "logger": "eyepi.focus", "event": "focus_score"',
        "{cam}: focus score {n3}.5 at step {n}",
    ),
    (
        '"WARNING", "logger": "eyepi.capture", "event": "gap"',
        "{cam}: no capture for 93 s, slot {n} missed",
    ),
    (
        '"ERROR", "logger": "eyepi.camera", "event": "camera_command_failed"',
        "{cam}: gphoto2 I/O error on capture {n}",
    ),
]


def write_log(folder, count: int) -> None:
    """``count`` lines, one every 0.1 s, oldest in eyepi.jsonl.10; one line in 1,000 says
    the needle (in its message only)."""
    folder = Path(folder)
    folder.mkdir(parents=True)
    start, per_file = datetime(2026, 5, 1, tzinfo=UTC), -(-count // FILES)
    for age in range(FILES - 1, -1, -1):
        first = (FILES - 1 - age) * per_file
        lines = []
        for n in range(first, min(count, first + per_file)):
            ts = (start + timedelta(milliseconds=100 * n)).isoformat(timespec="milliseconds")
            head, cam, text = MESSAGES[n % 4][0], f"sim-{n % 3 + 1}", message_of(n)
            fields = f'"fields": {{"camera": "{cam}"}}'
            lines.append(f'{{"ts": "{ts}", "level": {head}, "msg": "{text}", {fields}}}\n')
        path = folder / (NAME if age == 0 else f"{NAME}.{age}")
        path.write_text("".join(lines))


def message_of(n: int) -> str:
    cam = f"sim-{n % 3 + 1}"
    if n % 1000 == 7:
        return f"{cam}: {NEEDLE} waiting for the camera after 30 s"
    return MESSAGES[n % 4][1].format(cam=cam, n=n, n3=n % 1000)


def write_log_apart(folder, count: int) -> None:
    """``write_log`` in a child process, so that its memory is not counted as the engine's."""
    code = f"from tests.bench.test_log_engine import write_log; write_log({str(folder)!r}, {count})"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[2])


def ms_since(began: float) -> float:
    return (time.perf_counter() - began) * 1000


def grep_count(folder, *args: str) -> tuple[int, float]:
    grep = shutil.which("grep")
    files = [str(p) for p in sorted(folder.iterdir())]
    began = time.perf_counter()
    done = subprocess.run([grep, "-c", *args, *files], capture_output=True, text=True)
    took = ms_since(began)
    return sum(int(line.rsplit(":", 1)[1]) for line in done.stdout.splitlines()), took


def filter_all(source, **fields) -> tuple[int, float, int]:
    """Matches over the whole log by pages of 500; (count, ms, bytes scanned)."""
    began, count, scanned, cursor = time.perf_counter(), 0, 0, None
    while True:
        page = source.page(log_filter(**fields, limit=500, cursor=cursor))
        count, scanned = count + len(page.entries), scanned + page.scanned
        if page.older_cursor is None:
            return count, ms_since(began), scanned
        cursor = page.older_cursor


def test_a_big_log_opens_at_its_tail_filters_near_grep_speed_and_follows(tmp_path, quick):
    count = 50_000 if quick else 1_000_000
    folder = tmp_path / "logs"
    write_log_apart(folder, count)
    size_mib = sum(p.stat().st_size for p in folder.iterdir()) / 2**20
    source = LogFiles(folder)

    tails = []
    for _ in range(7):
        began = time.perf_counter()
        page = source.page(log_filter(limit=50))
        tails.append(ms_since(began))
    assert [e.message for e in page.entries] == [
        message_of(n) for n in range(count - 1, count - 51, -1)
    ]

    rss_before = psutil.Process().memory_info().rss
    ours, greps, found = [], [], None
    for _ in range(3):  # interleaved, so both see the same page cache
        hits, took, scanned = filter_all(source, text=NEEDLE, ignore_case=False)
        expected, grep_ms = grep_count(folder, "-F", NEEDLE)
        assert hits == expected == count // 1000 + (count % 1000 > 7), (hits, expected)
        ours.append(took)
        greps.append(grep_ms)
        found = scanned
    folded, folded_ms, _ = filter_all(source, text="TIMEOUT")
    grep_ci, grep_ci_ms = grep_count(folder, "-i", "-F", "TIMEOUT")
    regex_hits, regex_ms, _ = filter_all(source, text=r"time.ut waiting", regex=True)
    grep_re, grep_re_ms = grep_count(folder, "-E", r"time.ut waiting")
    assert folded == grep_ci and regex_hits == grep_re
    peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, rss_before)
    peak_mib = (peak - rss_before) / 2**20

    newer = source.page(log_filter(limit=1)).newer_cursor
    with open(folder / NAME, "a") as live:
        for n in range(1000):
            live.write(f'{{"ts": "2026-06-01T00:00:00", "level": "INFO", "msg": "appended {n}"}}\n')
    began, followed = time.perf_counter(), []
    while True:
        step = source.follow(log_filter(limit=500, cursor=newer))
        if not step.entries:
            break
        followed = step.entries + followed
        newer = step.newer_cursor
    follow_ms = ms_since(began)
    assert [e.message for e in followed] == [f"appended {n}" for n in range(999, -1, -1)]

    tail_ms = statistics.median(tails)
    ratio = statistics.median(ours) / statistics.median(greps)
    print(f"\nlog engine, {count:,} lines in {FILES} files ({size_mib:.0f} MiB):")
    print(
        f"  tail page of 50: median {tail_ms:.2f} ms, first {tails[0]:.2f} ms "
        f"(goal < {TAIL_GOAL_MS:.0f})"
    )
    print(
        f"  filter {NEEDLE!r} over all ({found / 2**20:.0f} MiB scanned, {hits} hits): "
        f"median {statistics.median(ours):.0f} ms vs grep -c {statistics.median(greps):.0f} ms, "
        f"ratio {ratio:.2f} (goal <= {RATIO_GOAL})"
    )
    print(
        f"  without case: {folded_ms:.0f} ms vs grep -ci {grep_ci_ms:.0f} ms "
        f"({folded_ms / grep_ci_ms:.2f}x)"
    )
    print(
        f"  regex: {regex_ms:.0f} ms vs grep -cE {grep_re_ms:.0f} ms ({regex_ms / grep_re_ms:.2f}x)"
    )
    print(
        f"  peak RSS above the start of filtering: {peak_mib:.1f} MiB "
        f"(goal < {MEMORY_GOAL_MIB:.0f})"
    )
    print(f"  follow 1,000 appended lines: {follow_ms:.1f} ms (goal < {FOLLOW_GOAL_MS:.0f})")
    if not quick:
        assert tail_ms < TAIL_GOAL_MS
        assert ratio <= RATIO_GOAL, f"the filter costs {ratio:.2f}x grep -c"
        assert peak_mib < MEMORY_GOAL_MIB
        assert follow_ms < FOLLOW_GOAL_MS
