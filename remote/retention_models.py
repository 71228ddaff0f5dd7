"""The API's models of retention (``/api/v1/storage/retention``): its settings and last run,
a change to them, the dry run, and the images it deleted."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, Field, create_model
from pydantic.fields import FieldInfo

from eyepi_gui.domain.retention import Candidate, DeletedImage, RetentionPlan, RetentionRun
from eyepi_gui.domain.sizes import MIB
from eyepi_gui.services.retention import DELETED_MAX, RetentionStatus
from eyepi_gui.settings.retention import RetentionSettings
from eyepi_gui.settings.values import Number
from remote.models import STRICT

PREVIEW_MAX = 200
"""The most images a dry run lists (its counts and bytes cover all of them)."""


class RetentionSettingsOut(BaseModel):
    """``[retention]``: on or off, MiB kept free on the data disk, days an image is kept at
    least."""

    enabled: bool
    keep_free_mib: int
    min_age_days: int

    @classmethod
    def of(cls, settings: RetentionSettings) -> RetentionSettingsOut:
        return cls(**settings.model_dump())


class RetentionRunOut(BaseModel):
    """One run: ``by`` who started it ("station": the automatic check), times epoch s, free
    space before and after (bytes), images and bytes deleted, how it ended ("done",
    "nothing to do", "not enough: ...", "failed: ...", "cancelled: ...")."""

    by: str
    started_at: float
    ended_at: float
    free_before: int
    free_after: int
    deleted: int
    bytes: int
    outcome: str

    @classmethod
    def of(cls, run: RetentionRun) -> RetentionRunOut:
        return cls(**run.__dict__)


class RetentionOut(BaseModel):
    """Retention's settings, the data disk now (bytes: free, the floor capture pauses at,
    what retention keeps free) and its last run (null: never ran)."""

    settings: RetentionSettingsOut
    free_bytes: int
    floor_bytes: int
    keep_free_bytes: int
    last_run: RetentionRunOut | None

    @classmethod
    def of(cls, status: RetentionStatus) -> RetentionOut:
        last = status.last_run
        return cls(
            settings=RetentionSettingsOut.of(status.settings),
            free_bytes=status.free_bytes,
            floor_bytes=status.floor_bytes,
            keep_free_bytes=status.settings.keep_free_mib * MIB,
            last_run=None if last is None else RetentionRunOut.of(last),
        )


class _Changes(BaseModel):
    model_config = STRICT
    errors_under: ClassVar[str] = "retention"

    def changes(self) -> dict[str, Any]:
        return self.model_dump(exclude_unset=True)


_CHANGE_FIELDS: dict[str, Any] = {
    key: (info.annotation, FieldInfo.merge_field_infos(info, default=None))
    for key, info in RetentionSettings.model_fields.items()
}
RetentionChange: type[_Changes] = create_model(
    "RetentionChange",
    __base__=_Changes,
    __doc__="""Some of ``[retention]``, each checked by the rules of station.toml (errors name
    ``retention.<key>``); ``keep_free_mib`` must be above the free-space floor while on.""",
    **_CHANGE_FIELDS,
)


class RetentionProofOut(BaseModel):
    """A verified copy that let an image go: ``kind`` ("export"), ``ref`` (the export's
    id), when (epoch s) and where (the stick's label or device)."""

    kind: str
    ref: int
    at: float
    where: str


class RetentionImageOut(BaseModel):
    """An image retention would delete or deleted: capture id, camera, path relative to the
    station's home, bytes, time taken (epoch s), its proofs."""

    capture_id: int
    camera_id: str
    path: str
    bytes: int
    captured_at: float
    proofs: list[RetentionProofOut]


def _proofs(candidate_proofs: Any) -> list[RetentionProofOut]:
    return [
        RetentionProofOut(kind=p.kind, ref=p.ref, at=p.at, where=p.where) for p in candidate_proofs
    ]


class RetentionPreviewOut(BaseModel):
    """The dry run: bytes free now, kept free by retention and needed to get there; what
    would go (the first ``PREVIEW_MAX``; ``count`` and ``bytes`` cover all), free space
    after, and ``shortfall``: why it would not be enough (null when it would)."""

    free_now: int
    keep_free: int
    need: int
    count: int
    bytes: int
    free_after: int
    shortfall: str | None
    images: list[RetentionImageOut]

    @classmethod
    def of(cls, plan: RetentionPlan) -> RetentionPreviewOut:
        return cls(
            free_now=plan.free_now,
            keep_free=plan.keep_free,
            need=plan.need,
            count=len(plan.chosen),
            bytes=plan.freed,
            free_after=plan.free_after,
            shortfall=plan.shortfall(),
            images=[_candidate(c) for c in plan.chosen[:PREVIEW_MAX]],
        )


def _candidate(candidate: Candidate) -> RetentionImageOut:
    record = candidate.record
    return RetentionImageOut(
        capture_id=record.record_id or 0,
        camera_id=record.camera_id,
        path=record.path,
        bytes=record.size,
        captured_at=record.taken_at,
        proofs=_proofs(candidate.proofs),
    )


class DeletedImageOut(RetentionImageOut):
    """A deleted image, with when it was deleted (epoch s) and its log entry's id (give it
    as ``before`` for the next page)."""

    deleted_at: float
    entry_id: int

    @classmethod
    def of(cls, image: DeletedImage) -> DeletedImageOut:
        return cls(
            capture_id=image.capture_id,
            camera_id=image.camera_id,
            path=image.path,
            bytes=image.bytes,
            captured_at=image.captured_at,
            proofs=_proofs(image.proofs),
            deleted_at=image.deleted_at,
            entry_id=image.entry_id,
        )


class DeletedPage(BaseModel):
    """A page of the deletion log, newest first: ``limit`` entries older than entry
    ``before`` (none: the newest)."""

    model_config = STRICT
    limit: Annotated[int, Number(1, DELETED_MAX, whole=True)] = 50
    before: Annotated[int, Number(1, 2**63 - 1, whole=True), Field()] | None = None
