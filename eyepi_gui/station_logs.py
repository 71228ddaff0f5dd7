"""The station's log service, built when first used (``first_use.OnFirstUse``): the Logs tab
and ``/api/v1/logs`` need it, the kiosk's first paint does not, so its modules and the
regular-expression engine stay out of start-up. It reads the station's log files merged by
time with the journal of the station's unit and NetworkManager's (``services.log_merge``)."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eyepi_gui.first_use import OnFirstUse

if TYPE_CHECKING:
    from eyepi_gui.ports import CommandRunner
    from eyepi_gui.services.access import AccessControl
    from eyepi_gui.services.config import SettingsService
    from eyepi_gui.services.logs import LogService

LOG_FOLDER = "logs"
"""Where the station writes its log (``adapters.logfile.configure``), in the home."""


def log_services(
    home: Path,
    access: AccessControl,
    config: SettingsService,
    journal: CommandRunner | None = None,
) -> dict[str, Any]:
    """StationServices' log fields, each a stand-in built at its first use. ``journal`` runs
    journalctl (the station's runner when None)."""
    return {"logs": OnFirstUse(partial(_logs, home, access, config, journal))}


def _logs(
    home: Path, access: AccessControl, config: SettingsService, runner: CommandRunner | None
) -> LogService:
    from eyepi_gui.adapters.journal import Journal
    from eyepi_gui.adapters.log_files import LogFiles
    from eyepi_gui.adapters.runner import station_runner
    from eyepi_gui.services.log_merge import MergedLog
    from eyepi_gui.services.logs import LogService

    journal = Journal(runner or station_runner())
    return LogService(MergedLog(LogFiles(home / LOG_FOLDER), journal), access, config)
