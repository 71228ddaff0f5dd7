"""MJPEG live stream (B1-B3 of the benchmark plan): server CPU with many viewers, a slow and a
stalled viewer, and the delivered frame rate and frame age.

The server is a child process (``stream_server_child.py``): a station whose camera moves a
1280x720 picture at 10 fps (``preview.max_fps`` = ``remote.stream_fps`` = 10) behind the remote
endpoint on waitress. The viewers are threads of this process on raw sockets, so their CPU is
not the server's. Server CPU is utime + stime of the child (``/proc/<pid>/stat``) over a window
after a warm-up; its memory is VmRSS (``/proc/<pid>/status``), sampled every 0.25 s.

1. Fan-out: server CPU with 16 viewers against 1 (goal: ratio at most 2, i.e. an extra viewer
   costs at most 1/15 of the first), and against the reference in the same run: the same
   station served by a naive WSGI app on the same server settings in which every viewer
   encodes its own JPEG of every new frame (spc-eyepi's per-client ``gen(camera)``, the
   pattern mjpg-streamer's encode-once fan-out avoids). Goal: eyepi at least 4x cheaper at 16.
2. Slow viewers: N normal viewers alone, then the same N beside one viewer reading at
   1 Mbit/s and one that connects and stops reading. Goals: the normal viewers keep at least
   95 % of their frame rate (slowest with the slow pair against the mean without), and the
   server's RSS does not grow while the stall lasts: window end and max at most 4 MiB above
   the window's start (a queue for the stalled viewer would pass that in 3 s).
3. Frame rate and age with 1 and 16 viewers (4 as well in full mode): every viewer within 5 %
   of the 10 fps cap, and the age of a frame when its last byte is read (viewer ``time.time()``
   minus ``X-Frame-Taken``; same machine, same clock) at p99 at most 2 frame intervals.
Full mode (EYEPI_BENCH=full): 10 s windows (15 s for 3), fan-out interleaved over 3 rounds
(A B A B), 8 normal viewers and 15 s for the stall to settle in 2; asserts the goals. Quick
mode (CI, the default): 3 s windows, one round, 4 normal viewers; prints every figure and
ratio, never fails on a timing. Run with ``-s`` to see the figures.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import select
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.bench.stream_clients import StreamClient, hub_fps, percentile

ROOT = Path(__file__).resolve().parents[2]
CHILD = "tests.bench.stream_server_child"
FPS = 10.0
FRAME_S = 1 / FPS
FAN_OUT = 16
SLOW_BPS = 1_000_000
FAN_OUT_RATIO_GOAL = 2.0
NAIVE_RATIO_GOAL = 4.0
KEEP_FPS_GOAL = 0.95
FPS_TOLERANCE = 0.05
AGE_P99_GOAL_S = 2 * FRAME_S
# A queue of this 720p stream (~140 KB a frame at 10 fps) for one stalled viewer passes this in
# 3 s; the allocator's steps (a new arena, a raised mmap threshold) stay below it.
RSS_GROWTH_GOAL_KIB = 4 * 1024
CLK_TCK = os.sysconf("SC_CLK_TCK")


@dataclass
class Server:
    mode: str
    url: str
    token: str
    pid: int
    proc: subprocess.Popen


def start_server(mode: str, log: Path) -> Server:
    with log.open("w") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", CHILD, mode], cwd=ROOT, stdout=subprocess.PIPE, stderr=err
        )
    ready, _, _ = select.select([proc.stdout], [], [], 60)
    line = proc.stdout.readline() if ready else b""
    if not line.startswith(b"{"):
        stop_server(proc)
        pytest.fail(f"the {mode} server did not start: {line!r}\n{log.read_text()[-3000:]}")
    info = json.loads(line)
    return Server(mode, info["url"], info["token"], info["pid"], proc)


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)
    if proc.stdout is not None:
        proc.stdout.close()


@contextlib.contextmanager
def served(mode: str, tmp: Path) -> Iterator[Server]:
    server = start_server(mode, tmp / f"{mode}-server.log")
    try:
        yield server
    finally:
        stop_server(server.proc)


@pytest.fixture(scope="module")
def eyepi(tmp_path_factory) -> Iterator[Server]:
    with served("eyepi", tmp_path_factory.mktemp("stream")) as server:
        yield server


@pytest.fixture(scope="module")
def naive(tmp_path_factory) -> Iterator[Server]:
    with served("naive", tmp_path_factory.mktemp("stream")) as server:
        yield server


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime, stime (fields 14, 15)


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


@dataclass
class Window:
    """One measurement: ``normal`` viewers' figures over [start, end], the server's CPU
    seconds in it, RSS samples (time, KiB) from before the viewers connected to the end."""

    start: float
    end: float
    cpu_s: float
    normal: list[StreamClient]
    others: list[StreamClient]
    rss: list[tuple[float, int]] = field(default_factory=list)

    @property
    def cpu_share(self) -> float:
        return self.cpu_s / (self.end - self.start)

    def fps(self) -> list[float]:
        return [c.stats(self.start, self.end).fps for c in self.normal]

    def ages(self) -> list[float]:
        return [a for c in self.normal for a in c.stats(self.start, self.end).ages]

    def rss_in_window(self) -> list[int]:
        return [kib for t, kib in self.rss if self.start <= t <= self.end]


def sample_until(server: Server, until: float, rss: list[tuple[float, int]]) -> None:
    while (now := time.time()) < until:
        rss.append((now, rss_kib(server.pid)))
        time.sleep(min(0.25, max(0.0, until - now)))


def wait_first_parts(clients: list[StreamClient], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while any(not c.parts and c.error is None for c in clients):
        assert time.monotonic() < deadline, "a viewer got no frame"
        time.sleep(0.05)
    assert all(c.error is None for c in clients), [c.error for c in clients]


def measure(server: Server, normal: int, warm_s: float, span_s: float, slow=False) -> Window:
    """``normal`` viewers (with ``slow``: plus a 1 Mbit/s one and a stalled one)."""
    rss = [(time.time(), rss_kib(server.pid))]
    clients = [StreamClient(server.url, server.token) for _ in range(normal)]
    others = []
    if slow:
        others = [
            StreamClient(server.url, server.token, rate_bps=SLOW_BPS),
            StreamClient(server.url, server.token, stall=True),
        ]
    try:
        for client in clients + others:
            client.start()
        wait_first_parts(clients)
        sample_until(server, time.time() + warm_s, rss)
        start, cpu = time.time(), cpu_seconds(server.pid)
        sample_until(server, start + span_s, rss)
        end, cpu = time.time(), cpu_seconds(server.pid) - cpu
        assert all(c.error is None for c in clients), [c.error for c in clients]
    finally:
        for client in clients + others:
            client.stop()
        time.sleep(0.5)  # the server notices the viewers left and frees their streams
    return Window(start, end, cpu, clients, others, rss)


def windows(quick: bool) -> tuple[float, float]:
    return (1.0, 3.0) if quick else (2.0, 10.0)


def machine() -> str:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.machine(),
    )
    return f"{model}, {os.cpu_count()} CPUs, Python {platform.python_version()}"


def test_fan_out_cpu_against_one_viewer_and_a_per_client_encoder(eyepi, naive, quick):
    warm_s, span_s = windows(quick)
    runs: dict[tuple[str, int], list[Window]] = {}
    plan = ((eyepi, 1), (eyepi, FAN_OUT), (naive, FAN_OUT), (naive, 1))
    for _ in range(1 if quick else 3):
        for server, count in plan:
            runs.setdefault((server.mode, count), []).append(measure(server, count, warm_s, span_s))
    share = {key: statistics.median(w.cpu_share for w in ws) for key, ws in runs.items()}
    fan_out = share["eyepi", FAN_OUT] / share["eyepi", 1]
    naive_ratio = share["naive", FAN_OUT] / share["eyepi", FAN_OUT]
    print(f"\nMJPEG fan-out, 1280x720 at {FPS:.0f} fps, {span_s:.0f} s windows; {machine()}")
    print(f"  {'server':<7}{'viewers':>8}{'CPU % of a core':>17}{'fps min':>9}{'mean':>7}")
    for (mode, count), ws in runs.items():
        fps = [f for w in ws for f in w.fps()]
        print(
            f"  {mode:<7}{count:>8}{share[mode, count] * 100:>17.1f}"
            f"{min(fps):>9.2f}{statistics.mean(fps):>7.2f}   ({len(ws)} runs)"
        )
    extra = (fan_out - 1) / (FAN_OUT - 1)
    print(f"  eyepi {FAN_OUT} / 1 viewer:  {fan_out:.2f} (goal at most {FAN_OUT_RATIO_GOAL})")
    print(f"    an extra viewer costs {extra * 100:.1f} % of the first (goal at most 6.7 %)")
    print(f"  naive / eyepi at {FAN_OUT}: {naive_ratio:.2f} (goal at least {NAIVE_RATIO_GOAL})")
    naive_fan_out = share["naive", FAN_OUT] / share["naive", 1]
    print(f"  naive {FAN_OUT} / 1 viewer:  {naive_fan_out:.2f} (information)")
    assert fan_out > 0 and naive_ratio > 0
    if not quick:
        assert fan_out <= FAN_OUT_RATIO_GOAL
        assert naive_ratio >= NAIVE_RATIO_GOAL


def rss_line(w: Window) -> str:
    inside = [kib / 1024 for kib in w.rss_in_window()]
    return (
        f"before the viewers {w.rss[0][1] / 1024:6.1f}, window start {inside[0]:6.1f}, "
        f"end {inside[-1]:6.1f}, max {max(inside):6.1f} ({len(inside)} samples)"
    )


def rss_growth(w: Window) -> tuple[int, int]:
    """KiB: window end minus window start, and max minus start."""
    inside = w.rss_in_window()
    return inside[-1] - inside[0], max(inside) - inside[0]


def print_slow(alone: list[Window], beside: list[Window]) -> None:
    for name, ws in (("alone", alone), ("beside slow+stalled", beside)):
        fps, ages = [f for w in ws for f in w.fps()], [a for w in ws for a in w.ages()]
        p50, p99 = percentile(ages, 50) * 1000, percentile(ages, 99) * 1000
        print(
            f"  normal viewers {name:<20} fps min {min(fps):5.2f} mean {statistics.mean(fps):5.2f}"
            f"  age p50 {p50:6.1f} p99 {p99:6.1f} ms"
        )
    for w in beside:
        slow, stalled = w.others
        stats = slow.stats(w.start, w.end)
        ages = f"{percentile(stats.ages, 50):.1f} / {max(stats.ages):.1f} s" if stats.ages else "-"
        print(
            f"  1 Mbit/s viewer: {stats.parts} frames in the window ({stats.fps:.2f} fps), "
            f"age p50 / max {ages}; stalled viewer: {len(stalled.parts)} frames in all"
        )
    for name, ws in (("alone", alone), ("beside", beside)):
        for w in ws:
            print(f"  server RSS MiB, {name:<6}: {rss_line(w)}")


def test_slow_and_stalled_viewers_do_not_hold_up_the_others(eyepi, quick):
    warm_s, span_s = windows(quick)
    settle_s = 3.0 if quick else 15.0  # the stalled viewer's socket and output buffer fill up
    normal = 4 if quick else 8
    alone, beside = [], []
    for _ in range(1 if quick else 2):
        alone.append(measure(eyepi, normal, warm_s, span_s))
        beside.append(measure(eyepi, normal, settle_s, span_s, slow=True))
    mean_alone = statistics.mean(f for w in alone for f in w.fps())
    kept = min(f for w in beside for f in w.fps()) / mean_alone
    ages = {
        name: percentile([a for w in ws for a in w.ages()], 99)
        for name, ws in (("alone", alone), ("beside", beside))
    }
    growth, spike = (max(values) for values in zip(*map(rss_growth, beside), strict=True))
    print(f"\nslow viewers: {normal} normal viewers, then beside a 1 Mbit/s and a stalled one")
    print_slow(alone, beside)
    print(
        f"  slowest normal viewer beside / mean alone: {kept:.3f} (goal at least {KEEP_FPS_GOAL})"
    )
    print(f"  age p99 beside / alone: {ages['beside'] / ages['alone']:.2f} (information)")
    print(
        f"  RSS with the stall: end - start {growth} KiB, max - start {spike} KiB "
        f"(goal at most {RSS_GROWTH_GOAL_KIB} KiB both)"
    )
    if not quick:
        assert kept >= KEEP_FPS_GOAL
        assert growth <= RSS_GROWTH_GOAL_KIB and spike <= RSS_GROWTH_GOAL_KIB


def test_stream_fps_holds_the_cap_and_frames_are_fresh(eyepi, quick):
    warm_s, span_s = (1.0, 3.0) if quick else (2.0, 15.0)
    counts = (1, FAN_OUT) if quick else (1, 4, FAN_OUT)
    print(f"\nstream rate and frame age at a {FPS:.0f} fps cap, {span_s:.0f} s windows:")
    failures = []
    for count in counts:
        w = measure(eyepi, count, warm_s, span_s)
        fps, ages = w.fps(), w.ages()
        skipped = sum(c.stats(w.start, w.end).skipped for c in w.normal)
        p99 = percentile(ages, 99)
        print(
            f"  {count:>2} viewers: fps min {min(fps):5.2f} mean {statistics.mean(fps):5.2f} max "
            f"{max(fps):5.2f} (camera {hub_fps(w.normal, w.start, w.end):5.2f}); age p50 "
            f"{percentile(ages, 50) * 1000:5.1f} p99 {p99 * 1000:5.1f} max {max(ages) * 1000:5.1f}"
            f" ms; {skipped} frames skipped in {len(ages)}"
        )
        worst = max(abs(f - FPS) / FPS for f in fps)
        if worst > FPS_TOLERANCE or p99 > AGE_P99_GOAL_S:
            failures.append((count, round(worst, 3), round(p99, 3)))
    print(
        f"  goals: every viewer within {FPS_TOLERANCE:.0%} of {FPS:.0f} fps, age p99 at most "
        f"{AGE_P99_GOAL_S * 1000:.0f} ms; missed (viewers, worst fps deviation, p99 s): "
        f"{failures or 'none'}"
    )
    if not quick:
        assert not failures
