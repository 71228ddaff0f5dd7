"""Retention (``/api/v1/storage/retention``): keep room on the data disk by deleting the
oldest images that were exported and verified. Off by default.

Everyone logged in reads the settings, the last run, the dry run and the deletion log;
admins change the settings (a browser with the password typed recently, as for every
station setting) and run it now: a "retention" job, answered 202 with the job to watch.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response

from remote.accepted import job_accepted
from remote.api.registry import API, PREFIX
from remote.auth import needs_password, principal, services
from remote.job_models import JobRefOut
from remote.retention_models import (
    DeletedImageOut,
    DeletedPage,
    RetentionChange,
    RetentionOut,
    RetentionPreviewOut,
    RetentionSettingsOut,
)

blueprint = Blueprint("retention", __name__, url_prefix=f"{PREFIX}/storage/retention")


@API.route(
    blueprint,
    "",
    summary="Retention's settings, the data disk's free space and the last run",
    response=RetentionOut,
)
def status() -> RetentionOut:
    return RetentionOut.of(services().retention.status())


@API.route(
    blueprint,
    "",
    "PUT",
    summary="Change retention's settings (admin; the keys given): on/off, MiB kept free "
    "(above the free-space floor), days an image is kept at least",
    body=RetentionChange,
    response=RetentionSettingsOut,
)
@needs_password
def update(body: Any) -> RetentionSettingsOut:
    return RetentionSettingsOut.of(services().retention.update(principal(), body.changes()))


@API.route(
    blueprint,
    "/preview",
    summary="The dry run: what retention would delete now, the space that frees, and why "
    "it would not be enough",
    response=RetentionPreviewOut,
)
def preview() -> RetentionPreviewOut:
    return RetentionPreviewOut.of(services().retention.preview())


@API.route(
    blueprint,
    "/run",
    "POST",
    summary="Run retention now (admin; retention on): answers 202 with the job to watch",
    response=JobRefOut,
    status=202,
)
def run() -> Response:
    return job_accepted(services().retention.run_now(principal()))


@API.route(
    blueprint,
    "/deleted",
    summary="The images retention deleted, newest first, a page at a time",
    query=DeletedPage,
    response=list[DeletedImageOut],
)
def deleted(query: DeletedPage) -> list[DeletedImageOut]:
    found = services().retention.deleted(query.limit, query.before)
    return [DeletedImageOut.of(image) for image in found]
