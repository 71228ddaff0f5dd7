"""The ``eyepi`` command: run the station, or check what this machine offers."""

from __future__ import annotations

import argparse
import importlib.util
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

import platformdirs

from eyepi_gui import __version__, cli_users
from eyepi_gui.errors import AlreadyRunning, EyepiError
from eyepi_gui.start_gc import CollectionHold

_log = logging.getLogger("eyepi.cli")


def default_home() -> Path:
    """``EYEPI_HOME``, else the platform's user data directory for eyepi."""
    env = os.environ.get("EYEPI_HOME")
    return Path(env) if env else Path(platformdirs.user_data_dir("eyepi", appauthor=False))


def display_available() -> str | None:
    """Why the kiosk can be shown here (a display or a Qt platform), or None."""
    for name in ("WAYLAND_DISPLAY", "DISPLAY", "QT_QPA_PLATFORM"):
        if os.environ.get(name):
            return f"{name}={os.environ[name]}"
    return None


def kiosk_unavailable() -> str | None:
    if importlib.util.find_spec("PySide6") is None:
        return "PySide6 is not installed (pip install 'eyepi[kiosk]')"
    if display_available() is None:
        return "no display (DISPLAY / WAYLAND_DISPLAY unset)"
    return None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="eyepi", description="Field time-lapse camera station.")
    parser.add_argument("--version", action="version", version=f"eyepi {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser(
        "run", help="run the station: capture always, the kiosk when a display exists"
    )
    mode = run.add_mutually_exclusive_group()
    mode.add_argument("--kiosk", action="store_true", help="full-screen kiosk (touchscreen)")
    mode.add_argument("--headless", action="store_true", help="never show the kiosk")
    serve = sub.add_parser(
        "serve", help="run the station headless: capture and the remote endpoint, no kiosk"
    )
    doctor = sub.add_parser("doctor", help="print what this machine offers the station")
    cli_users.add_parser(sub)
    for command in (run, serve, doctor):
        command.add_argument(
            "--home", type=Path, default=None, help="station home (env EYEPI_HOME)"
        )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    home: Path = (args.home or default_home()).expanduser().absolute()
    if args.command == "user":
        return cli_users.run(args, home)
    if args.command == "doctor":
        from eyepi_gui.doctor import report

        print(report(home, kiosk_unavailable()))
        return 0
    headless = args.command == "serve" or args.headless
    try:
        return _run(home, kiosk=getattr(args, "kiosk", False), headless=headless)
    except AlreadyRunning as err:
        print(f"eyepi: {err}", file=sys.stderr)
        return 3
    except EyepiError as err:
        print(f"eyepi: {err}", file=sys.stderr)
        return 1


def _run(home: Path, *, kiosk: bool, headless: bool) -> int:
    """Run the station; the collector is held from here until the kiosk's first paint (or
    the headless start), and given back however the run ends."""
    hold = CollectionHold.start()
    try:
        return _run_station(home, kiosk=kiosk, headless=headless, started=hold.end)
    finally:
        hold.end()


def _doctor(home: Path, kiosk_problem: str | None) -> str:
    """The ``eyepi doctor`` report, made in this process (for a support bundle)."""
    from eyepi_gui.doctor import report

    return report(home, kiosk_problem)


def _run_station(home: Path, *, kiosk: bool, headless: bool, started: Callable[[], None]) -> int:
    from eyepi_gui.adapters.cameras.probe import camera_backends
    from eyepi_gui.remote_runner import RemoteRunner
    from eyepi_gui.station import Station

    why_not = None if headless else kiosk_unavailable()
    stopping = _stop_on_signals() if headless or why_not else None
    station = Station(home, hardware=camera_backends, doctor=partial(_doctor, home, why_not))
    services = station.open()
    remote = RemoteRunner(services, home)

    def start() -> None:
        started()
        remote.start()
        station.start()

    def stop() -> None:
        remote.stop()  # no more requests before the services close
        station.stop()

    if stopping is not None:
        if why_not and kiosk:
            _log.warning(
                "kiosk requested but unavailable: %s", why_not, extra={"event": "kiosk_unavailable"}
            )
        return _run_headless(start, stop, stopping)
    from eyepi_gui.kiosk.app import run_kiosk

    try:  # the endpoint and the cameras start after the kiosk's first paint, off its thread
        return run_kiosk(services, on_shown=start, fullscreen=kiosk)
    finally:
        stop()


def _stop_on_signals() -> threading.Event:
    """Set on SIGTERM or SIGINT; installed before anything starts, so an early signal still
    stops the station cleanly."""
    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.set())
    return stopping


def _run_headless(
    start: Callable[[], None], stop: Callable[[], None], stopping: threading.Event
) -> int:
    try:
        start()
        while not stopping.wait(3600):
            pass
    finally:
        stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
