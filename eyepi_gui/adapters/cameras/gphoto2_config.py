"""A gphoto2 camera's config tree as eyepi ``CameraSetting``s, and its identity, generically.

Every camera brings its own widget tree; what it offers (and the choices of each setting)
is read from the widgets, never from lists kept here. Only *which* settings the station shows
is chosen here, by config name. The widgets are python-gphoto2 ``CameraWidget`` objects; this
module needs no import of gphoto2 (the widget type numbers are libgphoto2's stable C enum).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Protocol, TypeGuard

from eyepi_gui.domain.camera import (
    CameraSetting,
    ExposureControls,
    FocusDirection,
    FocusStep,
    FocusSupport,
)
from eyepi_gui.errors import InvalidInput

# libgphoto2's CameraWidgetType
WINDOW, SECTION, TEXT, RANGE, TOGGLE, RADIO, MENU, BUTTON, DATE = range(9)

CURATED: tuple[tuple[str, ...], ...] = (
    ("shutterspeed",),
    ("aperture", "f-number"),
    ("iso",),
    ("imageformat", "imagequality"),
    ("capturetarget",),
    ("manualfocusdrive",),
    ("autofocusdrive",),
    ("batterylevel",),
    ("serialnumber",),
)
"""The settings the station shows, in order; of alternative names the first present wins."""
ALWAYS_READ_ONLY = frozenset({"batterylevel", "serialnumber"})
_SHOWN_CHOICES = 8  # choices named in a refusal message
ID_PREFIX = "gphoto2-"
FALLBACK_RESOLUTION = (6000, 4000)  # px, for a camera that names no image size (24 MP)
_NOT_ID = re.compile(r"[^a-z0-9_-]+")
_SIZE = re.compile(r"(\d{2,5})\s*x\s*(\d{2,5})")
_SUMMARY_SERIAL = re.compile(r"Serial Number:[ \t]*(\S[^\n]*)")
MF_DRIVE, AF_DRIVE = "manualfocusdrive", "autofocusdrive"
ZOOM, ZOOM_POSITION = "eoszoom", "eoszoomposition"
CANON_STEPS = {FocusStep.FINE: 1, FocusStep.MEDIUM: 2, FocusStep.COARSE: 3}  # "Near 1".."Far 3"
NIKON_STEPS = {FocusStep.FINE: 10, FocusStep.MEDIUM: 100, FocusStep.COARSE: 1000}  # motor steps
TEXT_ZOOM_LEVELS = (1, 5, 10)  # what a Canon EOS takes in its text "eoszoom"


class Widget(Protocol):
    """The part of python-gphoto2's ``CameraWidget`` used here."""

    def get_type(self) -> int: ...
    def get_name(self) -> str: ...
    def get_label(self) -> str: ...
    def get_value(self) -> Any: ...
    def set_value(self, value: Any) -> None: ...
    def get_readonly(self) -> int: ...
    def count_choices(self) -> int: ...
    def get_choice(self, index: int) -> str: ...
    def get_range(self) -> tuple[float, float, float]: ...
    def count_children(self) -> int: ...
    def get_child(self, index: int) -> Widget: ...


def walk(root: Widget) -> Iterator[Widget]:
    """Every widget of the tree, depth first."""
    yield root
    for index in range(root.count_children()):
        yield from walk(root.get_child(index))


def curated_widgets(root: Widget) -> list[Widget]:
    """The widgets of ``CURATED`` that this camera has, in ``CURATED`` order."""
    by_name = {widget.get_name(): widget for widget in walk(root)}
    found = (next((by_name[n] for n in names if n in by_name), None) for names in CURATED)
    return [widget for widget in found if widget is not None]


def named(root: Widget, name: str) -> Widget | None:
    """Any widget of the tree called ``name`` (curated or not), or None."""
    return next((widget for widget in walk(root) if widget.get_name() == name), None)


def find(root: Widget, name: str) -> Widget | None:
    """The curated widget called ``name``, or None (other widgets are never exposed)."""
    return next((w for w in curated_widgets(root) if w.get_name() == name), None)


def to_setting(widget: Widget) -> CameraSetting:
    """The widget as a setting: its current value as text and the choices it offers."""
    name, kind = widget.get_name(), widget.get_type()
    choices: tuple[str, ...] = ()
    if kind in (RADIO, MENU):
        choices = tuple(widget.get_choice(i) for i in range(widget.count_choices()))
    elif kind == TOGGLE:
        choices = ("0", "1")
    read_only = bool(widget.get_readonly()) or name in ALWAYS_READ_ONLY or kind == BUTTON
    return CameraSetting(name, widget.get_label() or name, value_text(widget), choices, read_only)


def value_text(widget: Widget) -> str:
    """The widget's value as the station shows it ("1"/"0" for a toggle)."""
    value, kind = widget.get_value(), widget.get_type()
    if kind == TOGGLE:
        return "1" if value == 1 else "0"
    if kind == RANGE:
        return _number_text(float(value))
    return "" if value is None else str(value)


def set_from_text(widget: Widget, value: str) -> None:
    """Put ``value`` into the widget after checking it against what the widget accepts.
    Raises ``InvalidInput`` (field: the config name) for read-only widgets and bad values."""
    setting = to_setting(widget)
    if setting.read_only:
        raise InvalidInput(setting.name, "this setting is read-only on this camera")
    kind = widget.get_type()
    if setting.choices and value not in setting.choices:
        shown = ", ".join(setting.choices[:_SHOWN_CHOICES])
        more = ", ..." if len(setting.choices) > _SHOWN_CHOICES else ""
        raise InvalidInput(setting.name, f"choose one of the camera's values: {shown}{more}")
    if kind == TOGGLE:
        widget.set_value(int(value))
    elif kind == RANGE:
        widget.set_value(_in_range(setting.name, value, widget.get_range()))
    elif kind in (TEXT, RADIO, MENU):
        widget.set_value(value)
    else:
        raise InvalidInput(setting.name, "the station cannot set this kind of setting")


def shutter_seconds(text: str) -> float | None:
    """Exposure time in seconds from a camera's text: "1/125", "0.0100s", "30", "2.5s".
    None for anything else ("Bulb", "Time")."""
    clean = text.strip().lower().removesuffix("s").strip()
    top, _, bottom = clean.partition("/")
    try:
        seconds = float(top) / float(bottom) if bottom else float(top)
    except (ValueError, ZeroDivisionError):
        return None
    return seconds if math.isfinite(seconds) and seconds > 0 else None


def iso_number(text: str) -> float | None:
    """The ISO of a choice ("400", "ISO 400"); None for "Auto" and the like."""
    try:
        value = float(text.strip().upper().removeprefix("ISO").strip())
    except ValueError:
        return None
    return value if math.isfinite(value) and value > 0 else None


def exposure(settings: Sequence[CameraSetting], focus: float) -> ExposureControls:
    """Shutter (s) and ISO from the camera's settings (defaults where it has none)."""
    values = {setting.name: setting.value for setting in settings}
    default = ExposureControls()
    shutter = shutter_seconds(values.get("shutterspeed", ""))
    iso = iso_number(values.get("iso", ""))
    return ExposureControls(focus, shutter or default.shutter_s, round(iso) if iso else default.iso)


def nearest_choice(
    choices: Sequence[str], target: float, measure: Callable[[str], float | None]
) -> str | None:
    """The choice whose measured value is nearest ``target`` on a log scale (stops)."""
    measured = [(value, choice) for choice in choices if (value := measure(choice)) is not None]
    if not measured or target <= 0:
        return None
    return min(measured, key=lambda pair: abs(math.log(pair[0] / target)))[1]


def _in_range(name: str, text: str, limits: tuple[float, float, float]) -> float:
    low, high, _step = limits
    try:
        value = float(text)
    except ValueError:
        raise InvalidInput(name, "must be a number") from None
    if not low <= value <= high:
        raise InvalidInput(name, f"must be between {_number_text(low)} and {_number_text(high)}")
    return value


def _number_text(value: float) -> str:
    return str(int(value)) if value.is_integer() else f"{value:g}"


def serial_number(root: Widget, summary: Callable[[], str]) -> str | None:
    """The serial number from the config tree ("serialnumber") or else the camera's summary
    text; None when it reports none (or only zeros, which tell no two cameras apart)."""
    widget = named(root, "serialnumber")
    serial = str(widget.get_value() or "").strip() if widget is not None else ""
    if not serial:
        match = _SUMMARY_SERIAL.search(summary())
        serial = match.group(1).strip() if match else ""
    return serial if serial.strip("0 ") else None


def identity(serial: str | None, model: str, port: str, attached: int) -> tuple[str, str] | None:
    """(camera id, identity in words) of a camera, or None when it cannot be told apart:
    no serial number and not the only camera (``attached``) on this station."""
    safe = _id_safe(serial or "")
    if safe:
        return f"{ID_PREFIX}{safe}", f"serial {serial}"
    if attached == 1:
        return (
            f"{ID_PREFIX}{_id_safe(f'{model}-{port}')}",
            f"model {model} on {port} (no serial number)",
        )
    return None


def largest_image_size(root: Widget) -> tuple[int, int]:
    """The largest (width, height) px among the "imagesize" choices and value, if any."""
    sizes = [
        (int(match.group(1)), int(match.group(2)))
        for widget in walk(root)
        if widget.get_name() == "imagesize"
        for text in (str(widget.get_value()), *to_setting(widget).choices)
        if (match := _SIZE.fullmatch(text.strip()))
    ]
    return max(sizes, key=lambda size: size[0] * size[1], default=FALLBACK_RESOLUTION)


def _id_safe(text: str) -> str:
    """Lower-case a-z, 0-9, '_' and '-' only, at most what fits a camera id after the prefix."""
    return _NOT_ID.sub("-", text.lower()).strip("-_")[: 64 - len(ID_PREFIX)].strip("-_")


def focus_support(root: Widget) -> FocusSupport:
    """What the tree offers for focusing: a lens drive (``MF_DRIVE``: Canon's Near/Far choices
    or Nikon's signed step range), an autofocus toggle (``AF_DRIVE``) and Canon's live-view
    zoom (``ZOOM`` with ``ZOOM_POSITION``)."""
    drive = named(root, MF_DRIVE)
    return FocusSupport(
        drive=_settable(drive, (RANGE, RADIO, MENU)) and _drives_both_ways(drive),
        autofocus=_settable(named(root, AF_DRIVE), (TOGGLE,)),
        live_zoom=_zoom_levels(root),
    )


def drive_value(widget: Widget, direction: FocusDirection, step: FocusStep) -> str:
    """The ``MF_DRIVE`` value for one step: "Near 2" (Canon) or a signed number of motor
    steps within the widget's range, negative towards near (Nikon)."""
    if widget.get_type() != RANGE:
        return f"{'Near' if direction is FocusDirection.NEAR else 'Far'} {CANON_STEPS[step]}"
    low, high, _step = widget.get_range()
    return _number_text(min(max(float(direction * NIKON_STEPS[step]), low), high))


def zoom_position(level: int, centre: tuple[float, float], size: tuple[int, int]) -> str:
    """The ``ZOOM_POSITION`` "x,y" for magnifying ``level`` times around ``centre`` (fractions):
    the top-left corner, in sensor px of a ``size`` frame, of the magnified area (as Canon's SDK
    places it), moved inside the frame. ``InvalidInput("centre")`` outside 0..1."""
    if not all(0.0 <= fraction <= 1.0 for fraction in centre):
        raise InvalidInput("centre", "give the centre as fractions of the frame, from 0 to 1")
    x, y = (
        round(min(max(fraction * px - px / level / 2, 0.0), px - px / level))
        for fraction, px in zip(centre, size, strict=True)
    )
    return f"{x},{y}"


def _settable(widget: Widget | None, kinds: tuple[int, ...]) -> TypeGuard[Widget]:
    """True for a widget of one of ``kinds`` that is not read-only."""
    return widget is not None and widget.get_type() in kinds and not to_setting(widget).read_only


def _drives_both_ways(widget: Widget) -> bool:
    """A range spanning near (< 0) and far (> 0), or choices with every Near/Far step."""
    if widget.get_type() == RANGE:
        low, high, _step = widget.get_range()
        return low < 0 < high
    wanted = {f"{way} {n}" for way in ("Near", "Far") for n in CANON_STEPS.values()}
    return wanted <= set(to_setting(widget).choices)


def _zoom_levels(root: Widget) -> tuple[int, ...]:
    """Magnifications ``ZOOM`` offers with a ``ZOOM_POSITION`` to place them: its numeric
    choices, or ``TEXT_ZOOM_LEVELS`` for a text widget; () without both or without level 1."""
    zoom = named(root, ZOOM)
    if not (
        _settable(zoom, (TEXT, RADIO, MENU)) and _settable(named(root, ZOOM_POSITION), (TEXT,))
    ):
        return ()
    choices = to_setting(zoom).choices
    numbers = {int(choice) for choice in choices if choice.isdigit() and int(choice) >= 1}
    levels = tuple(sorted(numbers)) if choices else TEXT_ZOOM_LEVELS
    return levels if 1 in levels and len(levels) > 1 else ()
