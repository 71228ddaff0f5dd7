"""The gphoto2 adapter's generic parts without a camera: config widgets as settings, identity,
and what a capture keeps when a camera saves RAW + JPEG (a small fake of a libgphoto2 camera)."""

from types import SimpleNamespace

import pytest

from eyepi_gui.adapters.cameras import gphoto2_config as cfg
from eyepi_gui.adapters.cameras.gphoto2_camera import Gphoto2Camera, translate
from eyepi_gui.domain.camera import CameraInfo, StillRequest
from eyepi_gui.errors import CameraFault, InvalidInput, Unavailable
from eyepi_gui.settings import CAMERA_ID
from tests import gphoto2_virtual as virtual

gp = pytest.importorskip("gphoto2")


class FakeWidget:
    """A libgphoto2 config widget: name, type, value, choices or (min, max, step), children."""

    def __init__(self, name, kind, value=None, choices=(), children=(), read_only=False, limits=()):
        self.name, self.kind, self.value, self.choices = name, kind, value, choices
        self.children, self.read_only, self.limits = children, read_only, limits

    def get_type(self):
        return self.kind

    def get_name(self):
        return self.name

    def get_label(self):
        return self.name.title()

    def get_value(self):
        return self.value

    def set_value(self, value):
        self.value = value

    def get_readonly(self):
        return int(self.read_only)

    def count_choices(self):
        return len(self.choices)

    def get_choice(self, index):
        return self.choices[index]

    def get_range(self):
        return self.limits

    def count_children(self):
        return len(self.children)

    def get_child(self, index):
        return self.children[index]


def tree(*widgets):
    return FakeWidget(
        "main", cfg.WINDOW, children=[FakeWidget("settings", cfg.SECTION, children=widgets)]
    )


def test_widget_types_are_libgphoto2s():
    names = ("WINDOW", "SECTION", "TEXT", "RANGE", "TOGGLE", "RADIO", "MENU", "BUTTON", "DATE")
    assert [getattr(cfg, n) for n in names] == [getattr(gp, f"GP_WIDGET_{n}") for n in names]


def test_only_curated_settings_are_shown_in_order_with_the_first_alternative():
    root = tree(
        FakeWidget("iso", cfg.RADIO, "100", ("Auto", "100", "200")),
        FakeWidget("f-number", cfg.RADIO, "f/4", ("f/4", "f/8")),
        FakeWidget("aperture", cfg.RADIO, "4", ("4", "8")),
        FakeWidget("imagequality", cfg.RADIO, "JPEG Fine", ("JPEG Fine", "NEF+Fine")),
        FakeWidget("manualfocusdrive", cfg.RANGE, 0.0, limits=(-32767.0, 32767.0, 1.0)),
        FakeWidget("autofocusdrive", cfg.TOGGLE, 0),
        FakeWidget("batterylevel", cfg.TEXT, "80%"),
        FakeWidget("whitebalance", cfg.RADIO, "Auto", ("Auto", "Daylight")),
    )
    settings = [cfg.to_setting(w) for w in cfg.curated_widgets(root)]
    assert [s.name for s in settings] == [
        "aperture",
        "iso",
        "imagequality",
        "manualfocusdrive",
        "autofocusdrive",
        "batterylevel",
    ]
    by_name = {s.name: s for s in settings}
    assert by_name["iso"].choices == ("Auto", "100", "200")
    assert by_name["manualfocusdrive"].value == "0" and by_name["manualfocusdrive"].choices == ()
    assert by_name["autofocusdrive"].choices == ("0", "1")
    assert by_name["batterylevel"].read_only  # read-only even where a camera says otherwise


def test_values_are_checked_against_what_the_widget_accepts():
    drive = FakeWidget("manualfocusdrive", cfg.RANGE, 0.0, limits=(-100.0, 100.0, 1.0))
    cfg.set_from_text(drive, "-40")
    assert drive.value == -40.0
    toggle = FakeWidget("autofocusdrive", cfg.TOGGLE, 0)
    cfg.set_from_text(toggle, "1")
    assert toggle.value == 1
    refused = [
        (drive, "500"),
        (drive, "near"),
        (toggle, "yes"),
        (FakeWidget("iso", cfg.RADIO, "100", ("100", "200")), "300"),
        (FakeWidget("serialnumber", cfg.TEXT, "42"), "43"),
        (FakeWidget("model", cfg.TEXT, "X", read_only=True), "Y"),
    ]
    for widget, value in refused:
        with pytest.raises(InvalidInput) as error:
            cfg.set_from_text(widget, value)
        assert error.value.field == widget.name


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("1/125", 0.008),
        ("0.0100s", 0.01),
        ("30", 30.0),
        ("2.5s", 2.5),
        ("Bulb", None),
        ("1/0", None),
    ],
)
def test_shutter_texts_of_different_cameras(text, seconds):
    expected = None if seconds is None else pytest.approx(seconds)
    assert cfg.shutter_seconds(text) == expected


def test_nearest_choice_is_measured_in_stops():
    choices = ("Auto", "100", "200", "400", "800")
    assert cfg.nearest_choice(choices, 300, cfg.iso_number) == "400"
    assert cfg.nearest_choice(choices, 120, cfg.iso_number) == "100"
    assert cfg.nearest_choice(("Bulb",), 1, cfg.shutter_seconds) is None


def test_identity_by_serial_number_made_id_safe():
    assert cfg.identity("AB 12/34", "Nikon D850", "usb:001,004", 2) == (
        "gphoto2-ab-12-34",
        "serial AB 12/34",
    )
    long_id, _ = cfg.identity("9" * 100, "Canon EOS R5", "usb:002,003", 1)
    assert CAMERA_ID.fullmatch(long_id) and len(long_id) == 64


def test_without_a_serial_number_only_a_single_camera_is_identified():
    single = cfg.identity(None, "Nikon DSC D750", "usb:001,001", 1)
    assert single == (
        "gphoto2-nikon-dsc-d750-usb-001-001",
        "model Nikon DSC D750 on usb:001,001 (no serial number)",
    )
    assert cfg.identity(None, "Nikon DSC D750", "usb:001,001", 2) is None


def test_serial_number_from_the_tree_the_summary_or_none():
    assert cfg.serial_number(tree(FakeWidget("serialnumber", cfg.TEXT, " 3012 ")), str) == "3012"
    summary = "Model: X\n  Serial Number: 77AB\nVersion: 1"
    assert cfg.serial_number(tree(), lambda: summary) == "77AB"
    assert cfg.serial_number(tree(FakeWidget("serialnumber", cfg.TEXT, "0000")), str) is None


def test_largest_image_size_or_a_fallback():
    sizes = FakeWidget("imagesize", cfg.RADIO, "640x480", ("6048x4024", "3024x2012"))
    assert cfg.largest_image_size(tree(sizes)) == (6048, 4024)
    assert cfg.largest_image_size(tree()) == cfg.FALLBACK_RESOLUTION


class FakeDSLR:
    """A libgphoto2 camera that saves ``names`` per capture, the first as the capture's own
    file and the rest as FILE_ADDED events; ``fail`` makes the capture raise that error code."""

    def __init__(self, *names, fail=None):
        self.names, self.fail, self.deleted, self.exits, self._events = names, fail, [], 0, []
        target = FakeWidget("capturetarget", cfg.RADIO, "Memory card", ("Internal RAM", "Card"))
        self.config = tree(target)

    def get_config(self):
        return self.config

    def set_single_config(self, name, widget):
        pass

    def capture(self, kind):
        if self.fail is not None:
            raise gp.GPhoto2Error(self.fail)
        first, *more = (SimpleNamespace(folder="/store/DCIM", name=n) for n in self.names)
        self._events = [(gp.GP_EVENT_UNKNOWN, "PTP Property changed")]
        self._events += [(gp.GP_EVENT_FILE_ADDED, path) for path in more]
        return first

    def wait_for_event(self, timeout_ms):
        return self._events.pop(0) if self._events else (gp.GP_EVENT_TIMEOUT, None)

    def file_get(self, folder, name, kind):
        data = virtual.synthetic_jpeg(64, 48) if name.endswith(".JPG") else b"RAW " + name.encode()
        return SimpleNamespace(get_data_and_size=lambda: data)

    def file_delete(self, folder, name):
        self.deleted.append(name)

    def exit(self):
        self.exits += 1


def open_fake(camera, released=None):
    info = CameraInfo("gphoto2-1", "gphoto2", "D850", (8256, 5504), "serial 1", "usb:001,002")
    return Gphoto2Camera(camera, info, (released if released is not None else []).append)


def test_raw_and_jpeg_are_both_kept_and_deleted_from_the_camera():
    camera = FakeDSLR("DSC_0001.NEF", "DSC_0001.JPG")
    device = open_fake(camera)
    assert camera.config.children[0].children[0].value == "Internal RAM"  # set on open
    still = device.capture_still(StillRequest(1, 1, ("jpg",)))
    assert set(still.files) == {"nef", "jpg"} and still.files["nef"] == b"RAW DSC_0001.NEF"
    assert (still.width, still.height) == (64, 48)
    assert camera.deleted == ["DSC_0001.NEF", "DSC_0001.JPG"]


def test_raw_only_is_a_fault_that_says_to_save_a_jpeg():
    with pytest.raises(CameraFault, match="JPEG"):
        open_fake(FakeDSLR("DSC_0002.NEF")).capture_still(StillRequest(1, 1, ("jpg",)))


def test_usb_errors_mean_unavailable_other_errors_a_fault():
    with pytest.raises(Unavailable) as gone:
        open_fake(FakeDSLR(fail=-52)).capture_still(StillRequest(1, 1, ("jpg",)))
    assert not isinstance(gone.value, CameraFault)
    with pytest.raises(CameraFault):
        open_fake(FakeDSLR(fail=-1)).capture_still(StillRequest(1, 1, ("jpg",)))
    held = translate(gp.GPhoto2Error(-53), "usb:001,002", "opening D850")
    assert not isinstance(held, CameraFault) and "gvfs-gphoto2-volume-monitor" in str(held)
    assert not isinstance(translate(gp.GPhoto2Error(-105), "usb:001,002", "opening"), CameraFault)


def test_close_is_idempotent_and_frees_the_port_once():
    camera, released = FakeDSLR("A.JPG"), []
    device = open_fake(camera, released)
    device.close()
    device.close()
    assert camera.exits == 1 and released == ["usb:001,002"]
    with pytest.raises(Unavailable, match="closed"):
        device.settings()
