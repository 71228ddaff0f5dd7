"""Storage (``/api/v1/storage``): the volumes, how long the data disk lasts, and USB export.

Everyone logged in reads; exporting and ejecting need the export permission (operators and
admins). A drive is named in a path by its kernel name (``sdb1`` for ``/dev/sdb1``). An
export goes on as a job: the answer is 202 with the job to watch (``/api/v1/jobs/<id>``);
the job's result ends with "safe to remove" once the stick is unmounted.
"""

from __future__ import annotations

from flask import Blueprint, Response

from remote.accepted import job_accepted
from remote.api.registry import API, PREFIX
from remote.auth import principal, services
from remote.job_models import JobRefOut
from remote.storage_models import (
    ExportIn,
    ExportOut,
    ForecastOut,
    HistoryFilter,
    VolumeOut,
    VolumesOut,
)

blueprint = Blueprint("storage", __name__, url_prefix=f"{PREFIX}/storage")


@API.route(
    blueprint,
    "/volumes",
    summary="The data disk and the removable drives plugged in",
    response=VolumesOut,
)
def volumes() -> VolumesOut:
    found = services().volumes.volumes()
    return VolumesOut(
        data_disk=VolumeOut.of(found.data_disk),
        removable=[VolumeOut.of(v) for v in found.removable],
        problem=found.problem,
    )


@API.route(
    blueprint,
    "/forecast",
    summary="Days until the data disk reaches its free-space floor at the current schedules",
    response=ForecastOut,
)
def forecast() -> ForecastOut:
    return ForecastOut.of(services().volumes.forecast())


@API.route(
    blueprint,
    "/volumes/<device>/eject",
    "POST",
    summary="Make a removable drive safe to pull (operator): flush, unmount, power off where "
    "possible, as a short job (202) whose result says 'safe to remove'; 409 while an export "
    "to it goes on",
    response=JobRefOut,
)
def eject(device: str) -> Response:
    return job_accepted(services().export.eject(principal(), f"/dev/{device}"))


@API.route(
    blueprint,
    "/exports",
    "POST",
    summary="Export captures to a USB stick (operator): copy, verify from the device, "
    "manifest, eject; answers 202 with the job to watch",
    body=ExportIn,
    response=JobRefOut,
    status=202,
)
def export(body: ExportIn) -> Response:
    view = services().export.export(
        principal(),
        body.device,
        body.cameras,
        body.first_day,
        body.last_day,
        body.not_exported,
    )
    return job_accepted(view)


@API.route(
    blueprint,
    "/exports",
    summary="The exports made, newest first: where, when, by whom, how each ended",
    query=HistoryFilter,
    response=list[ExportOut],
)
def exports(query: HistoryFilter) -> list[ExportOut]:
    return [ExportOut.of(record) for record in services().export.history(query.limit)]
