"""The latest view (latest/<camera>.jpg) is a convenience: a failure to update it never
costs the capture, it is reported once (camera detail and log), and every reader of it
answers plainly, without blocking, when its name holds something other than an image file
(a directory, a FIFO, a symbolic link, an unreadable file) (issue 11)."""

import contextlib
import logging
import os
import threading
from pathlib import Path

import pytest

from eyepi_gui.adapters.images import ImageFolder
from eyepi_gui.domain.access import Origin
from eyepi_gui.domain.records import CaptureQuery
from eyepi_gui.errors import NotFound, Unavailable
from remote.app import create_app
from tests.principals import ADMIN

NOBODY = 65534

JPEG = b"\xff\xd8 not really a jpeg \xff\xd9"


@pytest.fixture
def services(station):
    station.services.inventory.start()
    return station.services


@pytest.fixture
def home(station):
    return station.home


@pytest.fixture
def api(services):
    ada = services.users.create_first_admin(Origin.KIOSK, "ada", "admin long secret")
    client = create_app(services, services.config.current().remote, testing=True).test_client()
    token = services.tokens.create(ada, "latest view test")[1]
    return lambda path: client.get(path, headers={"Authorization": f"Bearer {token}"})


def kept(home, camera_id):
    return sorted(p.name for p in (home / "images" / camera_id).rglob("*.*"))


def block_latest(home, camera_id="sim-1"):
    """What the tester did: latest/<camera>.jpg is a directory holding something."""
    path = home / "latest" / f"{camera_id}.jpg"
    path.unlink(missing_ok=True)
    (path / "x").mkdir(parents=True)
    return path


def latest_warnings(caplog):
    return [r for r in caplog.records if getattr(r, "event", "") == "latest_view_failed"]


def test_a_latest_view_that_cannot_be_written_costs_no_capture_and_is_reported_once(
    services, home, clock, caplog
):
    services.cameras.test_shot(ADMIN, "sim-1")
    blocked = block_latest(home)
    with caplog.at_level(logging.INFO, logger="eyepi"):
        for _ in range(3):
            clock.set(clock.now() + 1)
            records = services.cameras.test_shot(ADMIN, "sim-1")
            assert Path(records[0].path).exists() and records[0].record_id is not None
        future = services.cameras.capture("sim-1", clock.now())  # a scheduled one too
        assert future.result(10)
    assert len([n for n in kept(home, "sim-1") if n.endswith(".jpg")]) == 5
    assert len(services.captures.find(CaptureQuery(camera_id="sim-1"))) == 5, "all indexed"
    camera = services.overview.camera("sim-1")
    assert camera.state.value == "idle"
    assert camera.latest_problem == (
        "the latest view is not updated (could not write latest/sim-1.jpg: Is a directory); "
        "captures are kept in images/"
    )
    assert camera.latest_image is None, "a directory is not offered as the latest image"
    warned = latest_warnings(caplog)
    assert len(warned) == 1, "reported once, not at every capture"
    assert str(home) not in warned[0].getMessage()

    os.rmdir(blocked / "x")
    os.rmdir(blocked)
    with caplog.at_level(logging.INFO, logger="eyepi"):
        services.cameras.test_shot(ADMIN, "sim-1")
    assert services.overview.camera("sim-1").latest_problem is None
    assert any(getattr(r, "event", "") == "latest_view_restored" for r in caplog.records)
    assert services.overview.camera("sim-1").latest_image == blocked


@pytest.mark.parametrize(
    ("make", "status", "said"),
    [
        (lambda path: None, 404, "camera sim-1 has no image yet"),
        (lambda path: (path / "x").mkdir(parents=True), 503, "it is a directory"),
        (lambda path: os.mkfifo(path), 503, "it is a FIFO"),
        (lambda path: path.symlink_to(path.parent / "gone.jpg"), 503, "it is a symbolic link"),
        (lambda path: path.symlink_to("/etc/hostname"), 503, "it is a symbolic link"),
    ],
    ids=["missing", "directory", "fifo", "dangling-symlink", "symlink-out"],
)
def test_the_api_answers_a_latest_view_that_is_no_image_plainly(
    services, home, api, make, status, said
):
    path = home / "latest" / "sim-1.jpg"
    path.parent.mkdir(exist_ok=True)
    make(path)
    answered = []

    def get():
        answered.append(api("/api/v1/cameras/sim-1/latest.jpg"))

    reader = threading.Thread(target=get, daemon=True)
    reader.start()
    reader.join(5)
    assert answered, "the request blocked (a FIFO must never be read)"
    answer = answered[0]
    assert answer.status_code == status
    body = answer.get_json()
    assert said in body["message"] and str(home) not in answer.get_data(as_text=True)
    assert "Traceback" not in answer.get_data(as_text=True)


def test_the_api_serves_the_latest_image_after_a_capture(services, home, api):
    records = services.cameras.test_shot(ADMIN, "sim-1")
    with api("/api/v1/cameras/sim-1/latest.jpg") as answer:  # closing it closes the file
        assert answer.status_code == 200 and answer.mimetype == "image/jpeg"
        assert answer.data == Path(records[0].path).read_bytes()
        assert answer.headers["Cache-Control"] == "no-cache"
    assert api("/api/v1/cameras/nope/latest.jpg").status_code == 404


@contextlib.contextmanager
def unprivileged():
    """Root reads any file: as root, look as user nobody for the length of the block (the
    saved user id brings root back)."""
    if os.geteuid() != 0:
        yield
        return
    os.seteuid(NOBODY)
    try:
        yield
    finally:
        os.seteuid(0)


def test_an_unreadable_latest_file_is_unavailable_not_a_crash(tmp_path):
    folder = ImageFolder(tmp_path)
    path = folder.write_latest("sim-1", JPEG)
    path.chmod(0)
    with unprivileged(), pytest.raises(Unavailable) as refused:
        folder.open_latest("sim-1")
    assert str(refused.value) == "cannot read latest/sim-1.jpg: Permission denied"


def test_the_folder_offers_only_regular_files_as_the_latest_image(tmp_path):
    folder = ImageFolder(tmp_path)
    with pytest.raises(NotFound):
        folder.open_latest("sim-1")
    path = folder.write_latest("sim-1", JPEG)
    assert folder.latest_path("sim-1") == path
    with folder.open_latest("sim-1") as image:
        assert image.read() == JPEG
    path.unlink()
    os.mkfifo(path)
    assert folder.latest_path("sim-1") is None
    with pytest.raises(Unavailable, match=r"^cannot read latest/sim-1\.jpg: it is a FIFO"):
        folder.open_latest("sim-1")  # returns at once: opened without blocking, then refused
