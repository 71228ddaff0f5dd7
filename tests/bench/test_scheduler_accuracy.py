"""Scheduler accuracy: how late each capture starts after its slot, against the OS timer floor.

Goal: sim-1's captures start at most 20 ms late at p99, and never early.
Full mode (EYEPI_BENCH=full): 200 captures at 0.5 s, asserts the goal. Quick mode (CI): 20
captures, prints it.
Camera sim-2 hangs for the whole run: a hung camera must not delay sim-1's captures.
Reference in the same run: a bare loop that only waits for each slot with Event.wait and
records its own lateness (the floor any scheduler on this machine can reach).
"""

import statistics
import threading
import time

from eyepi_gui.adapters.cameras.sim import SimBackend
from eyepi_gui.domain.events import CaptureDone
from eyepi_gui.station import Station
from tests.principals import ADMIN

INTERVAL = 0.5
P99_GOAL_MS = 20.0


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def floor_lateness(count):
    event, late = threading.Event(), []
    slot = (time.time() // INTERVAL + 1) * INTERVAL
    for _ in range(count):
        event.wait(max(0.0, slot - time.time()))
        late.append(time.time() - slot)
        slot += INTERVAL
    return late


def eyepi_lateness(home, count):
    backend = SimBackend(count=2)
    station = Station(home, fallback=backend, log_to_console=False)
    services = station.open()
    for camera_id in ("sim-1", "sim-2"):
        services.config.update_camera(
            ADMIN, camera_id, {"interval_s": INTERVAL, "window": "always", "resolution": "640x480"}
        )
    late, done = [], threading.Event()

    def record(event):
        if isinstance(event, CaptureDone) and event.camera_id == "sim-1" and event.scheduled_at:
            late.append(event.taken_at - event.scheduled_at)
            if len(late) >= count:
                done.set()

    services.bus.subscribe(record)
    backend.faults("sim-2").hang()
    station.start()
    try:
        assert done.wait(count * INTERVAL * 3 + 30), f"only {len(late)} captures"
    finally:
        backend.faults("sim-2").release()
        station.stop()
    return late[:count]


def test_capture_start_lateness(tmp_path, quick):
    count = 20 if quick else 200
    floor = [x * 1000 for x in floor_lateness(count)]
    ours = [x * 1000 for x in eyepi_lateness(tmp_path / "home", count)]
    rows = [("bare Event.wait floor", floor), ("eyepi, sim-1 (sim-2 hung)", ours)]
    print(f"\nscheduler lateness, {count} slots at {INTERVAL} s (ms):")
    for name, values in rows:
        print(
            f"  {name:<34} p50 {statistics.median(values):7.2f}  p99 {percentile(values, 99):7.2f}"
            f"  max {max(values):7.2f}"
        )
    ratio = percentile(ours, 99) / max(percentile(floor, 99), 0.05)
    print(f"  p99 ratio eyepi/floor: {ratio:.1f}  (goal: eyepi p99 < {P99_GOAL_MS:.0f} ms)")
    assert min(ours) >= 0, "a capture started before its slot"
    assert len(ours) == count
    if not quick:
        assert percentile(ours, 99) < P99_GOAL_MS
