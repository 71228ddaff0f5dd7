"""Another process holding state.db, as the ``eyepi user`` CLI or a ``sqlite3`` shell might.

Run as ``python -m tests.db_holder PATH MODE MAX_S``: takes the database's lock (MODE
``immediate``: ``BEGIN IMMEDIATE``; ``exclusive``: ``BEGIN EXCLUSIVE``; ``locking_mode``:
``PRAGMA locking_mode=EXCLUSIVE`` then ``BEGIN EXCLUSIVE`` and a write, which in WAL mode keeps
readers out too), prints ``held`` (or ``refused: <error>`` when it cannot get it within 0.5 s),
then holds it until a line arrives on stdin or MAX_S pass. Tests use ``held(path, mode)``.
"""

from __future__ import annotations

import select
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BEGIN = {
    "immediate": ["BEGIN IMMEDIATE"],
    "exclusive": ["BEGIN EXCLUSIVE"],
    "locking_mode": [
        "PRAGMA locking_mode=EXCLUSIVE",
        "BEGIN EXCLUSIVE",
        "CREATE TABLE IF NOT EXISTS holder (x)",
    ],
}


def main(path: str, mode: str, max_s: float) -> None:
    conn = sqlite3.connect(path, timeout=0.5, isolation_level=None)
    try:
        for statement in BEGIN[mode]:
            conn.execute(statement)
    except sqlite3.Error as err:
        print(f"refused: {err}", flush=True)
        return
    print("held", flush=True)
    select.select([sys.stdin], [], [], max_s)
    conn.execute("ROLLBACK")
    conn.close()


class Holder:
    def __init__(self, proc: subprocess.Popen[str], answer: str) -> None:
        self.proc, self.answer = proc, answer
        self._released = threading.Event()

    @property
    def holds(self) -> bool:
        return self.answer == "held"

    def release(self) -> None:
        """End the hold (once; later calls only wait for the process)."""
        if not self._released.is_set() and self.proc.poll() is None:
            self._released.set()
            assert self.proc.stdin is not None
            self.proc.stdin.write("release\n")
            self.proc.stdin.flush()
        self.proc.wait(timeout=10)


@contextmanager
def held(path: Path, mode: str = "immediate", max_s: float = 30.0) -> Iterator[Holder]:
    """A second process holding ``path`` in ``mode`` until the block ends (or ``release``)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.db_holder", str(path), mode, str(max_s)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    holder = Holder(proc, proc.stdout.readline().strip())
    try:
        yield holder
    finally:
        holder.release()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], float(sys.argv[3]))
