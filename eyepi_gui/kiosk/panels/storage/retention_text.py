"""What the Storage tab's retention section says: its settings, the last run and the dry
run, in plain words (pure: the section puts them on screen)."""

from __future__ import annotations

from datetime import datetime, tzinfo

from eyepi_gui.domain.retention import Candidate, RetentionPlan, RetentionRun
from eyepi_gui.domain.sizes import MIB, size_text
from eyepi_gui.services.retention import RetentionStatus

PREVIEW_ROWS = 50
"""The most images the dry run lists on screen (its totals cover all)."""


def images(count: int) -> str:
    return f"{count} image{'s' * (count != 1)}"


def settings_text(status: RetentionStatus) -> str:
    """On or off, what it keeps free and how young an image it never deletes."""
    settings = status.settings
    rule = (
        f"keeps {size_text(settings.keep_free_mib * MIB)} free on the data disk by deleting the "
        f"oldest images that were exported and verified, none younger than "
        f"{settings.min_age_days} days"
    )
    free = f"{size_text(status.free_bytes)} free now."
    if settings.enabled:
        return f"On: {rule}. {free}"
    return f"Off: the station deletes no image by itself. When on, it {rule}. {free}"


def when_text(at: float, tz: tzinfo | None) -> str:
    return f"{datetime.fromtimestamp(at, tz):%d %b %Y %H:%M}"


def last_run_text(run: RetentionRun | None, tz: tzinfo | None) -> str:
    """The last run: when, by whom, what it deleted and how it ended."""
    if run is None:
        return "Last run: never."
    said = (
        f"Last run {when_text(run.started_at, tz)} by {run.by}: deleted {images(run.deleted)} "
        f"({size_text(run.bytes)}), {size_text(run.free_after)} free after."
    )
    if run.outcome not in ("done", "nothing to do"):
        said += f" {run.outcome[:1].upper()}{run.outcome[1:]}."
    return said


def preview_text(plan: RetentionPlan) -> str:
    """The dry run's totals, and why it would not be enough."""
    if not plan.need:
        return f"Nothing would go: {size_text(plan.free_now)} free, at least the room kept."
    said = (
        f"Would delete {images(len(plan.chosen))} ({size_text(plan.freed)}): "
        f"{size_text(plan.free_after)} free after."
    )
    shortfall = plan.shortfall()
    return f"{said} Not enough: {shortfall}." if shortfall else said


def preview_row(candidate: Candidate, tz: tzinfo | None) -> str:
    """One image the dry run would delete: camera, time taken, size, path."""
    record = candidate.record
    taken = when_text(record.taken_at, tz)
    return f"{record.camera_id}  {taken}  {size_text(record.size)}  {record.path}"
