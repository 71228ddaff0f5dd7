"""Cameras: list, capture settings, the camera's own settings, test shots, latest image
(focusing is in ``remote.api.focus``)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, send_file

from eyepi_gui.settings import CameraSettings
from remote.api.registry import API, PREFIX
from remote.auth import principal, services
from remote.models import (
    CameraOut,
    CameraSettingsChange,
    CaptureOut,
    DeviceSettingChange,
    DeviceSettingOut,
)

blueprint = Blueprint("cameras", __name__, url_prefix=f"{PREFIX}/cameras")


@API.route(blueprint, "", summary="Every camera and its day", response=list[CameraOut])
def list_cameras() -> list[CameraOut]:
    return [CameraOut.of(camera) for camera in services().overview.cameras()]


@API.route(blueprint, "/<camera_id>", summary="One camera and its day", response=CameraOut)
def get_camera(camera_id: str) -> CameraOut:
    return CameraOut.of(services().overview.camera(camera_id))


@API.route(blueprint, "/rescan", "POST", summary="Look for cameras now", response=list[CameraOut])
def rescan() -> list[CameraOut]:
    services().inventory.rescan(principal())
    return list_cameras()


@API.route(blueprint, "/<camera_id>/settings", summary="Capture settings", response=CameraSettings)
def get_settings(camera_id: str) -> CameraSettings:
    services().overview.camera(camera_id)
    return services().config.camera(camera_id)


@API.route(
    blueprint,
    "/<camera_id>/settings",
    "PUT",
    summary="Change capture settings (checked like the kiosk's form)",
    body=CameraSettingsChange,
    response=CameraSettings,
)
def put_settings(camera_id: str, body: Any) -> CameraSettings:
    services().overview.camera(camera_id)
    changes = body.model_dump(exclude_unset=True)
    return services().config.update_camera(principal(), camera_id, changes)


@API.route(
    blueprint,
    "/<camera_id>/device-settings",
    summary="Settings the camera itself offers",
    response=list[DeviceSettingOut],
)
def device_settings(camera_id: str) -> list[DeviceSettingOut]:
    found = services().cameras.device_settings(camera_id)
    return [DeviceSettingOut(**{**s.__dict__, "choices": list(s.choices)}) for s in found]


@API.route(
    blueprint,
    "/<camera_id>/device-settings/<name>",
    "PUT",
    summary="Change one of the camera's own settings",
    body=DeviceSettingChange,
    response=DeviceSettingOut,
)
def put_device_setting(camera_id: str, name: str, body: DeviceSettingChange) -> DeviceSettingOut:
    found = services().cameras.set_device_setting(principal(), camera_id, name, body.value)
    return DeviceSettingOut(**{**found.__dict__, "choices": list(found.choices)})


@API.route(
    blueprint,
    "/<camera_id>/test-shot",
    "POST",
    summary="Capture now and keep the images",
    response=list[CaptureOut],
    status=201,
)
def test_shot(camera_id: str) -> list[CaptureOut]:
    records = services().cameras.test_shot(principal(), camera_id)
    return [CaptureOut.of(record) for record in records]


@API.route(
    blueprint,
    "/<camera_id>/latest.jpg",
    summary="The camera's last image",
    media="image/jpeg",
)
def latest_image(camera_id: str) -> Response:
    image = services().overview.latest_image(camera_id)
    response = send_file(image, mimetype="image/jpeg", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response
