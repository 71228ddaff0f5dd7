"""The gphoto2 adapter's focusing on fake config trees shaped like libgphoto2's (ptp2
config.c): Canon's "manualfocusdrive" radio (Near/Far 1..3), Nikon's signed step range,
"autofocusdrive" toggles, and Canon's text "eoszoom" with "eoszoomposition"."""

import pytest

from eyepi_gui.adapters.cameras import gphoto2_config as cfg
from eyepi_gui.adapters.cameras.gphoto2_camera import Gphoto2Camera
from eyepi_gui.domain.camera import NO_FOCUS, CameraInfo, FocusDirection, FocusStep, FocusSupport
from eyepi_gui.errors import CameraFault, InvalidInput, Unavailable
from tests.adapters.test_gphoto2_config import FakeDSLR, FakeWidget, tree

gp = pytest.importorskip("gphoto2")

CANON, NIKON = "Canon EOS 90D", "Nikon DSC D850"
SENSOR = (6000, 4000)  # px
CANON_STEPS = ("Near 1", "Near 2", "Near 3", "None", "Far 1", "Far 2", "Far 3")


def canon_drive(choices=CANON_STEPS):
    return FakeWidget("manualfocusdrive", cfg.RADIO, "None", choices)


def nikon_drive(limits=(-32767.0, 32767.0, 1.0)):
    return FakeWidget("manualfocusdrive", cfg.RANGE, 0.0, limits=limits)


def af_drive(read_only=False):
    return FakeWidget("autofocusdrive", cfg.TOGGLE, 0, read_only=read_only)


def eos_zoom(kind=cfg.TEXT, choices=()):
    return [
        FakeWidget("eoszoom", kind, "0", choices),
        FakeWidget("eoszoomposition", cfg.TEXT, "0,0"),
    ]


class FocusDSLR(FakeDSLR):
    """A fake body with the given config widgets. ``written`` lists every (name, value) the
    adapter sent; a write of a name in ``fail`` raises that libgphoto2 error code."""

    def __init__(self, *widgets, fail=None):
        super().__init__("IMG_0001.JPG")
        self.config = tree(*widgets)
        self.fail = fail or {}
        self.written = []

    def set_single_config(self, name, widget):
        if name in self.fail:
            raise gp.GPhoto2Error(self.fail[name])
        self.written.append((name, widget.get_value()))


def open_body(camera, model):
    info = CameraInfo("gphoto2-1", "gphoto2", model, SENSOR, "serial 1", "usb:001,002")
    return Gphoto2Camera(camera, info, [].append)


def test_support_is_read_from_the_tree():
    canon = open_body(FocusDSLR(canon_drive(), af_drive(), *eos_zoom()), CANON)
    assert canon.focus_support() == FocusSupport(drive=True, autofocus=True, live_zoom=(1, 5, 10))
    nikon = open_body(FocusDSLR(nikon_drive(), af_drive()), NIKON)
    assert nikon.focus_support() == FocusSupport(drive=True, autofocus=True, live_zoom=())


@pytest.mark.parametrize(
    "widgets",
    [
        [canon_drive(CANON_STEPS[1:])],  # no "Near 1"
        [nikon_drive((0.0, 32767.0, 1.0))],  # cannot drive towards near
        [af_drive(read_only=True)],
        [FakeWidget("autofocusdrive", cfg.TEXT, "0")],
        eos_zoom()[:1],  # a zoom without a position to place it
        eos_zoom(cfg.RADIO, ("1",)),  # only the whole frame
        [FakeWidget("autofocus", cfg.RADIO, "On", ("On", "Off"))],  # the virtual camera's
    ],
)
def test_widgets_the_station_cannot_use_give_no_support(widgets):
    assert open_body(FocusDSLR(*widgets), NIKON).focus_support() == NO_FOCUS


def test_without_support_every_focus_command_is_unavailable_naming_the_model():
    camera = FocusDSLR(FakeWidget("autofocus", cfg.RADIO, "On", ("On", "Off")))
    device = open_body(camera, NIKON)
    commands = [
        lambda: device.drive_focus(FocusDirection.FAR, FocusStep.FINE),
        device.autofocus,
        lambda: device.set_live_zoom(5, (0.5, 0.5)),
    ]
    for command in commands:
        with pytest.raises(Unavailable, match=NIKON) as refused:
            command()
        assert not isinstance(refused.value, CameraFault)
    assert camera.written == []


@pytest.mark.parametrize(
    ("direction", "step", "value"),
    [
        (FocusDirection.NEAR, FocusStep.FINE, "Near 1"),
        (FocusDirection.NEAR, FocusStep.COARSE, "Near 3"),
        (FocusDirection.FAR, FocusStep.MEDIUM, "Far 2"),
        (FocusDirection.FAR, FocusStep.COARSE, "Far 3"),
    ],
)
def test_canon_drive_uses_its_near_far_choices(direction, step, value):
    camera = FocusDSLR(canon_drive())
    open_body(camera, CANON).drive_focus(direction, step)
    assert camera.written == [("manualfocusdrive", value)]


@pytest.mark.parametrize(
    ("direction", "step", "limits", "value"),
    [
        (FocusDirection.NEAR, FocusStep.FINE, (-32767.0, 32767.0, 1.0), -10.0),
        (FocusDirection.FAR, FocusStep.MEDIUM, (-32767.0, 32767.0, 1.0), 100.0),
        (FocusDirection.FAR, FocusStep.COARSE, (-32767.0, 32767.0, 1.0), 1000.0),
        (FocusDirection.NEAR, FocusStep.COARSE, (-500.0, 500.0, 1.0), -500.0),  # clamped
    ],
)
def test_nikon_drive_is_signed_motor_steps_within_the_range(direction, step, limits, value):
    camera = FocusDSLR(nikon_drive(limits))
    open_body(camera, NIKON).drive_focus(direction, step)
    assert camera.written == [("manualfocusdrive", value)]


def test_a_lens_at_its_end_stays_there_other_drive_errors_are_faults():
    open_body(FocusDSLR(nikon_drive(), fail={"manualfocusdrive": -113}), NIKON).drive_focus(
        FocusDirection.FAR, FocusStep.COARSE
    )
    failing = open_body(FocusDSLR(nikon_drive(), fail={"manualfocusdrive": -1}), NIKON)
    with pytest.raises(CameraFault):
        failing.drive_focus(FocusDirection.FAR, FocusStep.COARSE)


def test_a_refused_drive_is_a_fault_not_a_bad_setting():
    refusing = open_body(FocusDSLR(canon_drive(), fail={"manualfocusdrive": -6}), CANON)
    with pytest.raises(CameraFault, match=f"{CANON} refused driving the lens"):
        refusing.drive_focus(FocusDirection.NEAR, FocusStep.FINE)


def test_a_drive_widget_gone_since_opening_is_unavailable():
    camera = FocusDSLR(canon_drive())
    device = open_body(camera, CANON)
    camera.config = tree()
    with pytest.raises(Unavailable, match="any more"):
        device.drive_focus(FocusDirection.NEAR, FocusStep.FINE)


def test_nikon_autofocus_is_one_write_and_its_failure_a_fault():
    camera = FocusDSLR(af_drive())
    open_body(camera, NIKON).autofocus()
    assert camera.written == [("autofocusdrive", 1)]  # a 0 would start it again
    out_of_focus = open_body(FocusDSLR(af_drive(), fail={"autofocusdrive": -1}), NIKON)
    with pytest.raises(CameraFault):
        out_of_focus.autofocus()


def test_canon_autofocus_is_released_once_it_settled():
    camera = FocusDSLR(af_drive())
    open_body(camera, CANON).autofocus()
    assert camera.written == [("autofocusdrive", 1), ("autofocusdrive", 0)]


def test_live_zoom_sets_the_level_then_the_area_around_the_centre():
    camera = FocusDSLR(*eos_zoom())
    device = open_body(camera, CANON)
    device.set_live_zoom(5, (0.5, 0.5))  # a 1200 x 800 px area around (3000, 2000)
    device.set_live_zoom(10, (0.0, 1.0))  # 600 x 400 px, kept inside the frame
    device.set_live_zoom(1, (0.9, 0.9))  # the whole frame: no area to place
    assert camera.written == [
        ("eoszoom", "5"),
        ("eoszoomposition", "2400,1600"),
        ("eoszoom", "10"),
        ("eoszoomposition", "0,3600"),
        ("eoszoom", "1"),
    ]


def test_zoom_levels_of_a_choice_widget_are_its_numeric_choices():
    camera = FocusDSLR(*eos_zoom(cfg.RADIO, ("0", "1", "5", "x")))
    device = open_body(camera, CANON)
    assert device.focus_support().live_zoom == (1, 5)
    device.set_live_zoom(5, (0.5, 0.5))
    assert camera.written[0] == ("eoszoom", "5")


@pytest.mark.parametrize(
    ("level", "centre", "field"), [(2, (0.5, 0.5), "level"), (5, (1.5, 0.5), "centre")]
)
def test_bad_zoom_requests_are_refused_before_anything_is_written(level, centre, field):
    camera = FocusDSLR(*eos_zoom())
    with pytest.raises(InvalidInput) as refused:
        open_body(camera, CANON).set_live_zoom(level, centre)
    assert refused.value.field == field
    assert camera.written == []
