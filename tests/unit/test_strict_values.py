"""Numbers and switches are strict in every settings section and every API input model:
true/false is no number, 1/0 is no switch, "300" is no number, NaN and infinity are none.
The models are found by walking the modules, so a new field is checked without a new test."""

import math
import types
import typing

import pytest
from pydantic import BaseModel, Field, ValidationError

import remote.models
from eyepi_gui import settings as cfg
from eyepi_gui.errors import InvalidInput
from eyepi_gui.settings import camera, security, station
from eyepi_gui.settings import remote as remote_section
from eyepi_gui.settings.values import from_text, invalid_from
from remote import station_models

REQUIRED = {
    "CameraSettings": {"name": "x"},
    "FocusLock": {"reference": 1.0, "roi": (0.25, 0.25, 0.5, 0.5)},
    "NetworkCameraSettings": {"url": "rtsp://192.0.2.5/live"},
    "DeviceSettingChange": {"value": "100"},
    "UserCreate": {"username": "bob", "password": "a long enough secret"},
    "TokenCreate": {"name": "script"},
    "PasswordConfirm": {"password": "a long enough secret"},
    "PasswordChange": {"current": "a long enough secret", "new": "another long secret"},
    "RoiIn": {"left": 0.25, "top": 0.25, "width": 0.5, "height": 0.5},
    "FocusDriveIn": {"direction": "far", "step": "fine"},
    "NetworkCameraIn": {"camera_id": "gate", "url": "rtsp://192.0.2.5/live"},
    "StreamTestIn": {"url": "rtsp://192.0.2.5/live"},
}
"""The least valid input of each model with required fields."""


def input_models():
    """Every model that parses outside input: settings sections and the API's bodies and
    queries (``extra="forbid"``)."""
    found = {}
    for module in (camera, remote_section, security, station, remote.models, station_models):
        for value in vars(module).values():
            is_model = isinstance(value, type) and issubclass(value, BaseModel)
            if is_model and value.model_config.get("extra") == "forbid":
                found[value.__name__] = value
    found["CameraSettingsChange"] = remote.models.CameraSettingsChange
    return found


def kinds(annotation):
    """The plain types an annotation allows (Optional and Annotated unwrapped)."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return {kind for arg in typing.get_args(annotation) for kind in kinds(arg)}
    if typing.get_origin(annotation) is typing.Annotated:
        return kinds(typing.get_args(annotation)[0])
    return {annotation}


def fields_of(*wanted):
    return [
        pytest.param(model, name, id=f"{model.__name__}.{name}")
        for model in input_models().values()
        for name, info in model.model_fields.items()
        if kinds(info.annotation) & set(wanted)
    ]


def refusal(model, name, value):
    data = {**REQUIRED.get(model.__name__, {}), name: value}
    with pytest.raises(ValidationError) as refused:
        model.model_validate(data)
    return invalid_from(refused.value).problems[name]


def test_every_input_model_is_walked():
    models = input_models()
    assert {"CameraSettings", "RemoteSettings", "SecuritySettings", "CaptureFilter"} <= set(models)
    for name, model in models.items():
        required = [key for key, info in model.model_fields.items() if info.is_required()]
        assert set(required) <= set(REQUIRED.get(name, {})), f"give {name}'s required fields"
        model.model_validate(REQUIRED.get(name, {}))


@pytest.mark.parametrize(("model", "name"), fields_of(int, float))
def test_numbers_refuse_switches_text_and_non_numbers(model, name):
    for value in (True, False):
        assert refusal(model, name, value).endswith("not true or false")
    assert refusal(model, name, "5").endswith("written without quotes")
    for value in (math.nan, math.inf, -math.inf, 10**400, -(10**400)):
        assert refusal(model, name, value).startswith("must be a")


@pytest.mark.parametrize(("model", "name"), fields_of(bool))
def test_switches_refuse_numbers_and_text(model, name):
    for value in (1, 0, "true", "yes"):
        assert refusal(model, name, value) == "must be true or false"


@pytest.mark.parametrize(
    ("toml", "field"),
    [
        ("capture_timeout_s = true", "capture_timeout_s"),
        ("free_space_floor_mib = false", "free_space_floor_mib"),
        ("[cameras.cam]\nname = 'x'\ninterval_s = true", "cameras.cam.interval_s"),
        ("[cameras.cam]\nname = 'x'\njpeg_quality = true", "cameras.cam.jpeg_quality"),
        ("[cameras.cam]\nname = 'x'\nenabled = 1", "cameras.cam.enabled"),
        ("[cameras.cam.focus_lock]\nreference = 1.0\nroi = [true, 0, 1, 1]", "cameras.cam"),
        ("[preview]\nmax_fps = true", "preview.max_fps"),
        ("[security]\nauto_lock_s = false", "security.auto_lock_s"),
        ("[security]\nbcrypt_cost = '12'", "security.bcrypt_cost"),
        ("[remote]\nport = true", "remote.port"),
        ("[remote]\nenabled = 0", "remote.enabled"),
        ("[remote]\nstream_fps = nan", "remote.stream_fps"),
    ],
)
def test_station_toml_refuses_them_naming_the_field(toml, field):
    with pytest.raises(InvalidInput) as refused:
        cfg.loads(toml)
    assert refused.value.field.startswith(field)


@pytest.mark.parametrize(
    ("typed", "number"),
    [(" 300 ", 300.0), ("2.5", 2.5), ("1e3", 1000.0), ("soon", "soon"), ("true", "true")],
)
def test_forms_and_query_strings_turn_number_text_into_numbers(typed, number):
    converted = from_text(cfg.CameraSettings, {"interval_s": typed, "name": "300"})
    assert converted == {"interval_s": number, "name": "300"}
    assert from_text(cfg.CameraSettings, {"jpeg_quality": "90"}) == {"jpeg_quality": 90}


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"interval_s": math.nan}, "must be a number from 0.5 to 86400 (seconds)"),
        ({"interval_s": 0.1}, "must be a number from 0.5 to 86400 (seconds)"),
        ({"jpeg_quality": 90.5}, "must be a whole number from 1 to 100"),
        ({"resolution": "0x0"}, "0x0 is not allowed: use WIDTHxHEIGHT in pixels, each side 16"),
        ({"window": "05:00-24:00"}, '"05:00-00:00" ends at midnight'),
        ({"formats": []}, 'list one or more of "jpg", "png"'),
        ({"formats": ["gif"]}, "must be 'jpg' or 'png'"),
    ],
)
def test_reasons_say_what_is_allowed(changes, reason):
    with pytest.raises(InvalidInput) as refused:
        cfg.with_camera(cfg.StationSettings(), "cam", changes)
    assert reason in refused.value.reason


def test_whole_numbers_written_with_a_point_are_taken():
    assert (
        cfg.with_camera(cfg.StationSettings(), "cam", {"jpeg_quality": 90.0})
        .cameras["cam"]
        .jpeg_quality
        == 90
    )


LOOSE_NUMBER_TEXT = [
    "1_0",  # Python's digit grouping
    "1__0",
    "\uff13\uff10\uff10",  # fullwidth 300
    "\u0663\u0660\u0660",  # Arabic-Indic 300
    "\u0968\u0966",  # Devanagari 20
    "\u00b2",  # superscript two
    "3 00",
    "3\u00a000",
    "\u00a0300",
    "300\n",
    "\t300",
    "+300",
    "+",
    "-",
    "--1",
    "0x10",
    "0b1",
    "0o7",
    "inf",
    "-inf",
    "Infinity",
    "nan",
    "NaN",
    "1e",
    "e3",
    ".",
    "1,5",
    "",
    " ",
]
"""Text Python's int() or float() would take, or nearly, that is no number on a form."""


@pytest.mark.parametrize(("model", "name"), fields_of(int, float))
def test_number_text_is_ascii_digits_with_sign_point_and_exponent_only(model, name):
    for text in LOOSE_NUMBER_TEXT:
        assert from_text(model, {name: text}) == {name: text}, repr(text)
        assert refusal(model, name, from_text(model, {name: text})[name]).startswith("must be")
    huge = from_text(model, {name: "1" * 5000})[name]  # digits past any float or int() limit
    assert refusal(model, name, huge).startswith("must be")
    for text, number in [
        ("300", 300),
        (" 300 ", 300),
        ("-2", -2),
        ("2.5", 2.5),
        (".5", 0.5),
        ("5.", 5.0),
        ("1e3", 1000.0),
        ("1E-2", 0.01),
        ("1e+2", 100.0),
    ]:
        assert from_text(model, {name: text})[name] == number, text


def test_a_web_form_number_is_taken_only_as_written():
    for text in ("1_0", "\uff13\uff10\uff10", "\u0663\u0660\u0660"):
        with pytest.raises(InvalidInput) as refused:
            cfg.with_camera(
                cfg.StationSettings(), "cam", from_text(cfg.CameraSettings, {"interval_s": text})
            )
        assert refused.value.field == "cameras.cam.interval_s"
        assert refused.value.reason == "must be a number from 0.5 to 86400 (seconds), not text"


class Sized(BaseModel):
    model_config = {"extra": "forbid"}
    items: typing.Annotated[tuple[int, ...], Field(min_length=2, max_length=3)] = (1, 2)
    one: typing.Annotated[list[int], Field(min_length=1, max_length=1)] = [1]
    table: typing.Annotated[dict[str, int], Field(max_length=1)] = {}
    text: typing.Annotated[str, Field(min_length=1, max_length=4)] = "x"
    code: typing.Annotated[str, Field(min_length=3)] = "abc"


PYDANTIC_WORDING = ("should have", "after validation", "Input should", "String should")


@pytest.mark.parametrize(
    ("values", "reason"),
    [
        ({"items": (1,)}, "must list at least 2 items"),
        ({"items": (1, 2, 3, 4)}, "must list at most 3 items"),
        ({"one": []}, "must list at least 1 item"),
        ({"one": [1, 2]}, "must list at most 1 item"),
        ({"table": {"a": 1, "b": 2}}, "must list at most 1 item"),
        ({"text": ""}, "must not be empty"),
        ({"text": "12345"}, "must be at most 4 characters long"),
        ({"code": "ab"}, "must be at least 3 characters long"),
    ],
)
def test_sizes_are_said_in_the_stations_words(values, reason):
    with pytest.raises(ValidationError) as refused:
        Sized.model_validate(values)
    (field,) = values
    assert invalid_from(refused.value).problems == {field: reason}


def test_no_refused_size_in_any_input_model_uses_pydantics_words():
    said = []
    for model in input_models().values():
        for name, info in model.model_fields.items():
            lengths = {type(m).__name__: m for m in info.metadata}
            if kinds(info.annotation) != {str}:
                continue
            if "MinLen" in lengths and lengths["MinLen"].min_length > 0:
                said.append(refusal(model, name, ""))
            if "MaxLen" in lengths:
                said.append(refusal(model, name, "x" * (lengths["MaxLen"].max_length + 1)))
    formats = refusal(camera.CameraSettings, "formats", [])
    names = refusal(remote_section.RemoteSettings, "names", ["a.example"] * 17)
    assert formats == 'list one or more of "jpg", "png"' and names == "must list at most 16 items"
    assert len(said) > 5
    assert not [
        reason for reason in [*said, formats, names] if any(w in reason for w in PYDANTIC_WORDING)
    ]
