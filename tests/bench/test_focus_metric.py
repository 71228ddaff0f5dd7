"""Focus metric cost per frame, and the whole per-frame preview processing, against plain OpenCV.

1. ``focus.focus_score`` at 1080p (1920x1080) and 12 MP (4056x3040) RGB on the simulated plant
   scene with sensor noise: the whole frame (``Roi(0, 0, 1, 1)``, the fair comparison) and the
   default centre region (``Roi()``, what the live view scores), against the plain reference
   ``cv2.Laplacian(cv2.cvtColor(frame, RGB2GRAY), CV_64F).var()`` on the same frames,
   interleaved, medians. Goal: whole frame at most 1.2x the reference.
2. ``FrameHub.publish`` at 1080p with a peaking viewer (score, histogram and peaking mask: all
   the camera worker does per live frame), as a fraction of the frame interval at 30 and 15 fps.
   Goal: the median within one frame interval at 30 fps, so the hub keeps up with a live source
   at its rate (the performance plan's "preview renders at the source rate, at most 30 fps").
Full mode (EYEPI_BENCH=full): 60 (1080p) / 20 (12 MP) repetitions, 60 publishes, asserts the
goals. Quick mode (CI, the default): 12 / 4 repetitions, 10 publishes; prints, never fails on a
timing. Run with ``-s`` to see the figures.
"""

from __future__ import annotations

import statistics
import time

import cv2
import numpy as np
import pytest

from eyepi_gui.adapters.cameras import scene
from eyepi_gui.adapters.cameras.sim import _demo_scene
from eyepi_gui.domain import focus
from eyepi_gui.domain.roi import Roi
from eyepi_gui.services.frame_hub import FrameHub

GOAL = 1.2
SOURCE_FPS = 30
WHOLE = Roi(0.0, 0.0, 1.0, 1.0)
SIZES = {"1080p": (1920, 1080), "12MP": (4056, 3040)}
FRAMES = 3  # different frames per size, cycled
NOISE_SIGMA = 4.0  # levels of Gaussian sensor noise added to the rendered scene


def noisy_frames(width: int, height: int, count: int = FRAMES) -> list[np.ndarray]:
    """``count`` different RGB frames of the plant scene (shifted a little, fresh noise)."""
    picture = scene.render_scene(_demo_scene(), width, height)
    noise = np.empty(picture.shape, np.int16)
    frames = []
    for n in range(count):
        cv2.randn(noise, 0.0, NOISE_SIGMA)
        shifted = np.roll(picture, 5 * n, axis=1).astype(np.int16)
        frames.append(np.clip(shifted + noise, 0, 255).astype(np.uint8))
    return frames


def reference_score(frame: np.ndarray) -> float:
    return float(cv2.Laplacian(cv2.cvtColor(frame, cv2.COLOR_RGB2GRAY), cv2.CV_64F).var())


def timed(call, *args) -> float:
    start = time.perf_counter()
    call(*args)
    return time.perf_counter() - start


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.2f}"


@pytest.mark.parametrize("size", list(SIZES))
def test_focus_score_against_the_plain_laplacian_variance(size, quick):
    width, height = SIZES[size]
    frames = noisy_frames(width, height)
    calls = {
        "reference": reference_score,
        "whole": lambda frame: focus.focus_score(frame, WHOLE),
        "centre": lambda frame: focus.focus_score(frame, Roi()),
    }
    for call in calls.values():  # warm up (OpenCV's thread pool, first-touch of the pages)
        assert call(frames[0]) > 0
    reps = (12 if size == "1080p" else 4) if quick else (60 if size == "1080p" else 20)
    times: dict[str, list[float]] = {name: [] for name in calls}
    order = list(calls)
    for rep in range(reps):
        frame = frames[rep % len(frames)]
        for name in order[rep % 3 :] + order[: rep % 3]:  # rotate who goes first
            times[name].append(timed(calls[name], frame))
    med = {name: statistics.median(values) for name, values in times.items()}
    whole, centre = med["whole"] / med["reference"], med["centre"] / med["reference"]
    print(f"\nfocus metric at {size} ({width}x{height} RGB), {reps} interleaved reps (ms):")
    print(f"  plain Laplacian var (reference) median {ms(med['reference'])}")
    print(f"  eyepi focus_score, whole frame  median {ms(med['whole'])}  ratio {whole:.2f}")
    print(f"  eyepi focus_score, centre Roi() median {ms(med['centre'])}  ratio {centre:.2f}")
    print(f"  goal: whole-frame ratio at most {GOAL}")
    assert whole > 0 and centre > 0
    if not quick:
        assert whole <= GOAL, f"focus_score costs {whole:.2f}x the plain Laplacian variance"


def test_frame_hub_publish_cost_per_live_frame(quick):
    width, height = SIZES["1080p"]
    frames = noisy_frames(width, height)
    hub = FrameHub("bench", time.time, lambda: None)
    watch = hub.watch(peaking=True)
    parts = {
        "peaking_mask": focus.peaking_mask,
        "focus_score": lambda frame: focus.focus_score(frame, hub.roi),
        "histogram": focus.histogram,
    }
    hub.publish(frames[0].copy())  # warm up
    reps = 10 if quick else 60
    publish: list[float] = []
    part_times: dict[str, list[float]] = {name: [] for name in parts}
    for rep in range(reps):
        frame = frames[rep % len(frames)]
        fresh = frame.copy()  # publish makes its frame read-only; the copy is not timed
        publish.append(timed(hub.publish, fresh))
        for name, call in parts.items():
            part_times[name].append(timed(call, frame))
    watch.close()
    latest = hub.latest
    assert latest is not None and latest.peaking is not None and latest.seq == reps + 1
    med = statistics.median(publish)
    p90 = sorted(publish)[min(reps - 1, round(0.9 * (reps - 1)))]
    print(f"\nFrameHub.publish at 1080p with peaking, {reps} frames (ms):")
    print(f"  publish median {ms(med)}  p90 {ms(p90)}")
    for name, values in part_times.items():
        print(f"    of which {name:<13} median {ms(statistics.median(values))}")
    for fps in (SOURCE_FPS, 15):
        interval = 1 / fps
        print(
            f"  at {fps} fps: {med / interval:6.1%} of the {interval * 1000:.1f} ms frame interval"
        )
    assert med > 0
    if not quick:
        assert med <= 1 / SOURCE_FPS, (
            f"publish takes {med * 1000:.1f} ms, over a {SOURCE_FPS} fps frame"
        )
