"""The ``[retention]`` section: whether the station deletes old images itself to keep room on
the data disk, how much room it keeps, and how young an image may never be deleted.

Off by default. ``keep_free_mib`` must be above ``free_space_floor_mib`` while retention is
on (checked across the two by ``floor_problem``): retention makes room before capture
reaches the floor, never after."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict

from eyepi_gui.settings.values import Flag, Number

KEEP_FREE_FIELD = "retention.keep_free_mib"


class RetentionSettings(BaseModel):
    """Retention on (``enabled``): keep ``keep_free_mib`` MiB free on the data disk by
    deleting the oldest images that were exported and verified, never one younger than
    ``min_age_days`` days."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: Flag = False
    keep_free_mib: Annotated[int, Number(1, 10_000_000, "MiB", whole=True)] = 2048
    min_age_days: Annotated[int, Number(0, 3650, "days", whole=True)] = 7


def floor_problem(retention: RetentionSettings, floor_mib: int) -> str | None:
    """Why ``keep_free_mib`` does not go with the free-space floor (None when it does, or
    retention is off): the reason for ``retention.keep_free_mib``."""
    if not retention.enabled or retention.keep_free_mib > floor_mib:
        return None
    return (
        f"must be above free_space_floor_mib ({floor_mib} MiB): retention keeps room before "
        "capture pauses at the floor"
    )
