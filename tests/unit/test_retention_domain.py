"""The retention rule: oldest first, only images proven by a verified copy of the same bytes,
old enough, whose file has the size recorded; it stops once enough is freed and says why
when the proven images cannot reach the target."""

from eyepi_gui.domain.records import CaptureRecord
from eyepi_gui.domain.retention import (
    DAY_S,
    Candidate,
    Kept,
    Proof,
    kept_because,
    outcome,
    plan,
    proven,
)
from eyepi_gui.domain.sizes import MIB

NOW = 1_750_000_000.0


def image(n, age_days=30, size=MIB, sha="a" * 64):
    record = CaptureRecord(
        "sim-1", f"/h/images/sim-1/x{n}.jpg", None, NOW - age_days * DAY_S - n, size, sha, None, n
    )
    return record


def exported(sha="a" * 64, kind="export"):
    return (Proof(kind, 7, sha, NOW - DAY_S, "FIELD-7"),)


def candidate(n, proofs=None, size_now=None, **kwargs):
    record = image(n, **kwargs)
    return Candidate(
        record,
        exported() if proofs is None else proofs,
        record.size if size_now is None else size_now,
    )


def test_only_a_proof_of_the_same_bytes_and_a_proving_kind_counts():
    record = image(1)
    assert proven(record, exported())
    assert not proven(record, ())
    assert not proven(record, exported(sha="b" * 64)), "the stick holds other bytes"
    assert not proven(record, exported(kind="note")), "only kinds that prove count"


def test_why_an_image_stays():
    cutoff = NOW - 7 * DAY_S
    assert kept_because(candidate(1), cutoff) is None
    assert kept_because(candidate(1, age_days=2), cutoff) is Kept.YOUNG
    assert kept_because(candidate(1, proofs=()), cutoff) is Kept.UNPROVEN
    assert kept_because(candidate(1, size_now=5), cutoff) is Kept.CHANGED
    gone = Candidate(image(1), exported(), None)
    assert kept_because(gone, cutoff) is Kept.CHANGED


def test_oldest_first_and_no_more_than_needed():
    # candidates come oldest first; 2.5 MiB needed: three images of 1 MiB go
    found = [candidate(n, age_days=30 - n) for n in range(6)]
    chosen = plan(iter(found), free_now=MIB // 2, keep_free=3 * MIB, min_age_days=7, now=NOW)
    assert [c.record.record_id for c in chosen.chosen] == [0, 1, 2]
    assert chosen.need == 2 * MIB + MIB // 2 and chosen.freed == 3 * MIB
    assert chosen.enough and chosen.shortfall() is None
    assert chosen.free_after == MIB // 2 + 3 * MIB
    assert outcome(chosen) == "done"


def test_unproven_young_and_changed_images_are_passed_over():
    found = [
        candidate(0, proofs=()),
        candidate(1, size_now=12),
        candidate(2),
        candidate(3, age_days=1),
    ]
    chosen = plan(found, free_now=0, keep_free=10 * MIB, min_age_days=7, now=NOW)
    assert [c.record.record_id for c in chosen.chosen] == [2]
    assert chosen.kept == {
        Kept.UNPROVEN: (1, MIB),
        Kept.CHANGED: (1, MIB),
        Kept.YOUNG: (1, MIB),
    }
    said = chosen.shortfall()
    assert said.startswith("9 MiB more would have to go to keep 10 MiB free")
    assert "1 image (1 MiB) not exported and verified" in said
    assert "1 image (1 MiB) younger than 7 days" in said
    assert "export images to a USB stick" in said
    assert outcome(chosen).startswith("not enough: 9 MiB more")


def test_nothing_is_read_when_there_is_room():
    def endless():
        raise AssertionError("no candidate is needed")
        yield

    chosen = plan(endless(), free_now=5 * MIB, keep_free=4 * MIB, min_age_days=7, now=NOW)
    assert chosen.chosen == () and chosen.need == 0 and outcome(chosen) == "nothing to do"


def test_no_images_at_all_says_so():
    chosen = plan([], free_now=0, keep_free=MIB, min_age_days=7, now=NOW)
    assert chosen.shortfall() == (
        "1 MiB more would have to go to keep 1 MiB free, but no other image may: "
        "the station keeps no images"
    )
