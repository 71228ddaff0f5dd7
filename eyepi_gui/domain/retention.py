"""Which images retention may delete, and in what order (pure: the service measures, lists
and deletes).

The rule: oldest first (by the time taken), and only an image whose copy elsewhere was
checked (``proven``: an export verified on a stick with the index's checksum; uploads will
count too once they are verified the same way), that is at least ``min_age_days`` old, and
whose file still has the size the index recorded (a file that changed is not the one that
was proven). Retention stops as soon as the freed bytes reach what it needs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from eyepi_gui.domain.access import Permission
from eyepi_gui.domain.jobs import JobKind
from eyepi_gui.domain.records import CaptureRecord
from eyepi_gui.domain.sizes import size_text

RETENTION_JOB = JobKind("retention", Permission.STATION_SETTINGS, exclusive=True)
"""Admins run retention on demand; one run at a time."""
PROVING_KINDS = frozenset({"export"})
"""Kinds of proof that let an image go ("upload" joins once uploads are verified)."""
DAY_S = 86400


@dataclass(frozen=True)
class Proof:
    """A copy of a capture kept elsewhere and checked there: ``kind`` ("export"), ``ref``
    (the export's id), ``sha256`` as verified there, ``at`` when (epoch s), ``where`` (the
    stick's label or device)."""

    kind: str
    ref: int
    sha256: str
    at: float
    where: str

    def text(self) -> str:
        return f"{self.kind} {self.ref} ({self.where})"


def proven(record: CaptureRecord, proofs: Iterable[Proof]) -> bool:
    """True when a proof of a proving kind holds the very bytes the index recorded."""
    return any(p.kind in PROVING_KINDS and p.sha256 == record.sha256 for p in proofs)


@dataclass(frozen=True)
class Candidate:
    """A kept image as retention sees it: its index row, its proofs, and the size of its
    file as found now (None: gone, or not a regular file)."""

    record: CaptureRecord
    proofs: tuple[Proof, ...]
    size_now: int | None


class Kept(StrEnum):
    """Why an image stays."""

    YOUNG = "younger than min_age_days"
    UNPROVEN = "not exported and verified"
    CHANGED = "file gone or changed since it was indexed"


def kept_because(candidate: Candidate, cutoff: float) -> Kept | None:
    """Why ``candidate`` must stay (None: it may go); ``cutoff`` is the newest time taken
    (epoch s) an image may have to go: now less ``min_age_days``."""
    if candidate.record.taken_at > cutoff:
        return Kept.YOUNG
    if not proven(candidate.record, candidate.proofs):
        return Kept.UNPROVEN
    if candidate.size_now != candidate.record.size:
        return Kept.CHANGED
    return None


def cutoff_for(now: float, min_age_days: int) -> float:
    return now - min_age_days * DAY_S


@dataclass(frozen=True)
class RetentionPlan:
    """What one run would delete: ``chosen`` (oldest first) to bring ``free_now`` up to
    ``keep_free`` (bytes), and the images met on the way that stay, by why: (count, bytes)."""

    free_now: int
    keep_free: int
    min_age_days: int
    chosen: tuple[Candidate, ...] = ()
    kept: Mapping[Kept, tuple[int, int]] = field(default_factory=dict)

    @property
    def need(self) -> int:
        return max(0, self.keep_free - self.free_now)

    @property
    def freed(self) -> int:
        return sum(c.record.size for c in self.chosen)

    @property
    def free_after(self) -> int:
        return self.free_now + self.freed

    @property
    def enough(self) -> bool:
        return self.freed >= self.need

    def shortfall(self) -> str | None:
        """Why the plan cannot reach ``keep_free`` (None when it can), in plain words."""
        if self.enough:
            return None
        missing = size_text(self.need - self.freed, up=True)
        said = (
            f"{missing} more would have to go to keep {size_text(self.keep_free)} free, but "
            f"no other image may: {self._kept_text()}"
        )
        if Kept.UNPROVEN in self.kept:
            said += "; export images to a USB stick (verified) so that retention may free them"
        return said

    def _kept_text(self) -> str:
        if not self.kept:
            return "the station keeps no images"
        parts = []
        for why in Kept:
            if why in self.kept:
                count, size = self.kept[why]
                what = why.value.replace("min_age_days", f"{self.min_age_days} days")
                parts.append(f"{count} image{'s' * (count != 1)} ({size_text(size)}) {what}")
        return ", ".join(parts)


def plan(
    candidates: Iterable[Candidate], free_now: int, keep_free: int, min_age_days: int, now: float
) -> RetentionPlan:
    """Choose from ``candidates`` (oldest first; consumed only as far as needed) what to
    delete to bring ``free_now`` up to ``keep_free`` bytes, images taken in the last
    ``min_age_days`` days before ``now`` never."""
    cutoff, need = cutoff_for(now, min_age_days), max(0, keep_free - free_now)
    chosen: list[Candidate] = []
    kept: dict[Kept, tuple[int, int]] = {}
    freed = 0
    if need:
        for candidate in candidates:
            why = kept_because(candidate, cutoff)
            if why is None:
                chosen.append(candidate)
                freed += candidate.record.size
                if freed >= need:
                    break
            else:
                count, size = kept.get(why, (0, 0))
                kept[why] = (count + 1, size + candidate.record.size)
    return RetentionPlan(free_now, keep_free, min_age_days, tuple(chosen), kept)


@dataclass(frozen=True)
class DeletedImage:
    """One image retention deleted: its index row, camera, path (relative to the home as
    logged), bytes, when it was taken and deleted (epoch s), the proofs that let it go, and
    its log entry's id (0 until logged; pages of the list continue from it)."""

    capture_id: int
    camera_id: str
    path: str
    bytes: int
    captured_at: float
    deleted_at: float
    proofs: tuple[Proof, ...]
    entry_id: int = 0


@dataclass(frozen=True)
class RetentionRun:
    """One run of retention: who or what started it ("station" for the automatic check),
    when (epoch s), free space before and after (bytes), what it deleted, and ``outcome``:
    "done", "nothing to do", "not enough: <why>", "failed: <why>" or "cancelled: <why>"."""

    by: str
    started_at: float
    ended_at: float
    free_before: int
    free_after: int
    deleted: int
    bytes: int
    outcome: str


def outcome(chosen: RetentionPlan) -> str:
    """How a run that deleted all of its plan ended."""
    if not chosen.need:
        return "nothing to do"
    shortfall = chosen.shortfall()
    return f"not enough: {shortfall}" if shortfall else "done"
