"""Live streams: JPEG frames from the frame hub, encoded once per frame for every viewer,
paced per viewer, a capped number of viewers, slow viewers skip ahead."""

import itertools
import threading
import time

import cv2
import numpy as np
import pytest

from eyepi_gui.domain import jpeg
from eyepi_gui.errors import NotFound, Unavailable
from tests.principals import ADMIN

SOI, EOI = b"\xff\xd8", b"\xff\xd9"


@pytest.fixture
def services(station):
    station.services.inventory.start()
    return station.services


def remote(services, preview_fps=15, **settings):
    services.config.update_station(ADMIN, {"preview": {"max_fps": preview_fps}, "remote": settings})


def take(stream, count):
    frames = stream.frames()
    return [next(frames) for _ in range(count)]


@pytest.fixture
def encodes(monkeypatch):
    """Every JPEG encoding of a live frame, in order (the real encoder still runs)."""
    calls = []
    real = jpeg.encode_rgb

    def counting(image, *args, **kwargs):
        calls.append(image.shape)
        return real(image, *args, **kwargs)

    monkeypatch.setattr(jpeg, "encode_rgb", counting)
    return calls


class HeldCamera:
    """Keeps a camera's worker busy with a command, so no live frame is grabbed meanwhile."""

    def __init__(self, services, camera_id):
        self._held, self._release = threading.Event(), threading.Event()
        self._thread = threading.Thread(
            target=services.cameras.run, args=(camera_id, self._hold), daemon=True
        )

    def _hold(self, device):
        self._held.set()
        self._release.wait(10)

    def __enter__(self):
        self._thread.start()
        assert self._held.wait(10), "the camera worker never ran the holding command"
        return self

    def __exit__(self, *exc):
        self._release.set()
        self._thread.join(10)


def test_a_stream_gives_whole_jpegs_of_the_live_frame_with_rising_seq(services):
    with services.streams.open("sim-1") as stream:
        frames = take(stream, 3)
        live = services.cameras.hub("sim-1").latest.image
    for frame in frames:
        assert frame.jpeg.startswith(SOI) and frame.jpeg.endswith(EOI)
        decoded = cv2.imdecode(np.frombuffer(frame.jpeg, np.uint8), cv2.IMREAD_COLOR)
        assert decoded is not None and decoded.shape == live.shape
    seqs = [f.seq for f in frames]
    assert seqs == sorted(set(seqs)) and seqs[0] >= 1


def test_viewers_of_one_frame_share_one_encoding(services, encodes):
    hub = services.cameras.hub("sim-1")
    with services.streams.open("sim-1") as one, services.streams.open("sim-1") as two:
        with hub.watch() as watch:
            assert watch.next(0, 10) is not None, watch.problem
        with HeldCamera(services, "sim-1"), services.streams.open("sim-1") as late:
            before = len(encodes)
            first, second, third = (take(s, 1)[0] for s in (one, two, late))
            assert first.seq == second.seq == third.seq == hub.latest.seq
            assert first.jpeg is second.jpeg is third.jpeg
            assert len(encodes) == before + 1, "the same frame was encoded more than once"


def test_a_stream_never_goes_faster_than_the_stream_cap(services):
    remote(services, preview_fps=30, stream_fps=5)
    with services.streams.open("sim-1") as stream:
        assert stream.interval_s == pytest.approx(0.2)
        arrivals = []
        for _frame in stream.frames():
            arrivals.append(time.monotonic())
            if len(arrivals) == 6:
                break
    gaps = [later - earlier for earlier, later in itertools.pairwise(arrivals)]
    assert min(gaps) >= 0.2 - 0.01, f"frames came {min(gaps):.3f} s apart"


def test_the_camera_rate_caps_the_stream_too(services):
    remote(services, preview_fps=4, stream_fps=20)
    with services.streams.open("sim-1") as stream:
        assert stream.interval_s == pytest.approx(0.25)


def test_one_viewer_too_many_is_refused_until_one_leaves(services):
    remote(services, max_stream_clients=2)
    first, second = services.streams.open("sim-1"), services.streams.open("sim-1")
    try:
        with pytest.raises(Unavailable, match="2 live viewers"):
            services.streams.open("sim-1")
        assert services.streams.viewers == 2
        first.close()
        first.close()  # closing twice frees one slot, not two
        assert services.streams.viewers == 1
        with services.streams.open("sim-1") as third:
            assert take(third, 1)[0].jpeg.startswith(SOI)
            with pytest.raises(Unavailable):
                services.streams.open("sim-1")
    finally:
        second.close()
    assert services.streams.viewers == 0


def test_an_unknown_camera_is_not_found_and_takes_no_slot(services):
    remote(services, max_stream_clients=1)
    with pytest.raises(NotFound):
        services.streams.open("no-such-camera")
    assert services.streams.viewers == 0
    with services.streams.open("sim-1"):
        assert services.streams.viewers == 1


def test_a_viewer_that_pauses_gets_the_latest_frame_not_a_backlog(services):
    remote(services, preview_fps=30, stream_fps=30)
    hub = services.cameras.hub("sim-1")
    with services.streams.open("sim-1") as stream, hub.watch() as watch:
        frames = stream.frames()
        paused_at = next(frames).seq
        later = watch.next(paused_at + 5, 20)  # the camera moves on while the viewer reads nothing
        assert later is not None, watch.problem
        resumed = next(frames)
    assert resumed.seq >= later.seq > paused_at + 5


def test_a_stalled_camera_resends_its_last_frame_and_a_dead_one_ends_the_stream(
    services, monkeypatch
):
    import eyepi_gui.services.streams as streams

    monkeypatch.setattr(streams, "WAIT_S", 0.05)
    remote(services, stream_fps=30, preview_fps=30)
    with services.streams.open("sim-1") as stream:
        (first,) = take(stream, 1)
        with HeldCamera(services, "sim-1"):
            again = take(stream, 2)
    assert again[0].seq == again[1].seq >= first.seq, "the held camera's last frame, again"
    monkeypatch.setattr(streams, "GIVE_UP_S", 0.2)
    with HeldCamera(services, "sim-2"), services.streams.open("sim-2") as silent:
        assert list(silent.frames()) == []
    assert services.streams.viewers == 0
