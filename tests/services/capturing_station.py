"""A station in its own process, to be killed (SIGKILL) in the middle of its work.

``python -m tests.services.capturing_station HOME``: opens a station on HOME with one simulated
camera, prints ``open``, then for each line on stdin takes one capture and prints its file
paths as a JSON list. Never stops by itself: the test kills it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from eyepi_gui.adapters.cameras.sim import SimBackend
from eyepi_gui.station import Station
from tests.principals import ADMIN


def main(home: Path) -> None:
    station = Station(home, fallback=SimBackend(count=1, capture_delay_s=0), log_to_console=False)
    services = station.open()
    services.config.update_camera(
        ADMIN, "sim-1", {"resolution": "64x48", "formats": ["jpg", "png"]}
    )
    services.inventory.start()
    print("open", flush=True)
    for n, _ in enumerate(sys.stdin):
        records = services.cameras.capture("sim-1", 1_748_700_000.0 + 60 * n).result(30)
        print(json.dumps([r.path for r in records]), flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
