"""Composition root: settings -> adapters -> services. The only module that sees everything."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import cast

from eyepi_gui.adapters import logfile
from eyepi_gui.adapters.accounts_db import AccountsDB
from eyepi_gui.adapters.activity_db import ActivityDB
from eyepi_gui.adapters.addresses import LocalAddresses
from eyepi_gui.adapters.cameras.opencv_probe import OpencvStreamProbe
from eyepi_gui.adapters.cameras.probe import network_backends
from eyepi_gui.adapters.capture_tally_db import CaptureTallyDB
from eyepi_gui.adapters.captures_db import CapturesDB
from eyepi_gui.adapters.clock import SystemClock, system_timezone
from eyepi_gui.adapters.common_passwords import load_common_passwords
from eyepi_gui.adapters.db import StateDB
from eyepi_gui.adapters.disk import StatvfsProbe
from eyepi_gui.adapters.image_tree import ImageTree
from eyepi_gui.adapters.images import ImageFolder
from eyepi_gui.adapters.lock import InstanceLock
from eyepi_gui.adapters.network_unavailable import UnavailableNetwork
from eyepi_gui.adapters.passwords import BcryptHasher, measure_cost
from eyepi_gui.adapters.port_probe import SocketPortProbe
from eyepi_gui.adapters.private_file import PrivateTextFile
from eyepi_gui.adapters.station_db import StationDatabase
from eyepi_gui.adapters.store import AtomicTextFile
from eyepi_gui.adapters.tokens_db import TokensDB
from eyepi_gui.domain.camera import CameraInfo
from eyepi_gui.first_use import OnFirstUse, was_built
from eyepi_gui.ports import (
    BackendStatus,
    CameraBackend,
    CameraDevice,
    Clock,
    CommandRunner,
    NetworkBackend,
    PasswordHasher,
    VolumeInventory,
    VolumeProbe,
)
from eyepi_gui.services.access import AccessControl
from eyepi_gui.services.addresses import StationAddresses
from eyepi_gui.services.audit import AuditLog
from eyepi_gui.services.cameras import CameraService
from eyepi_gui.services.capture import CaptureScheduler
from eyepi_gui.services.capture_files import CaptureWriter
from eyepi_gui.services.capture_health import CaptureHealth
from eyepi_gui.services.captures import CaptureLibrary
from eyepi_gui.services.config import SettingsService
from eyepi_gui.services.deferred_writes import DeferredWrites
from eyepi_gui.services.endpoint import RemoteEndpoint
from eyepi_gui.services.events import EventBus
from eyepi_gui.services.focus import FocusService
from eyepi_gui.services.index_repair import IndexRepair
from eyepi_gui.services.inventory import CameraInventory
from eyepi_gui.services.listen_check import ListenCheck
from eyepi_gui.services.login import LoginGate
from eyepi_gui.services.network import NetworkService
from eyepi_gui.services.network_cameras import NetworkCameras
from eyepi_gui.services.overview import StationOverview
from eyepi_gui.services.space import FreeSpace
from eyepi_gui.services.station_activity import StationActivity
from eyepi_gui.services.station_info import StationInfo
from eyepi_gui.services.station_services import StationServices
from eyepi_gui.services.streams import LiveStreams
from eyepi_gui.services.tokens import ApiTokens
from eyepi_gui.services.users import UserService
from eyepi_gui.services.web_sessions import WebSessions
from eyepi_gui.settings import StationSettings
from eyepi_gui.station_logs import log_services
from eyepi_gui.station_storage import StorageParts, storage_services

_log = logging.getLogger("eyepi.station")
SIM_CAMERAS = 2
HardwareProbe = Callable[[Callable[[], StationSettings]], Sequence[CameraBackend]]
"""Builds the real-camera backends, given the settings in force (read again at each scan)."""
NO_USERS_YET = (
    "no user accounts yet: create the admin on the kiosk's first-run screen, "
    "or run `eyepi user add --admin NAME`"
)
NETWORK_CHANGE_FILE = "network-change.json"
"""The network change waiting for confirmation (services.network_changes), in the home."""
HOTSPOT_SECRET_FILE = "hotspot-passphrase"  # noqa: S105 - a file name
"""The hotspot's passphrase, made once (services.hotspot_fallback), in the home."""


class _LazySimBackend:
    """The simulated backend, imported on first use so numpy and cv2 stay out of start-up."""

    name = "sim"

    def __init__(self, count: int) -> None:
        self._count = count
        self._backend: CameraBackend | None = None

    def _real(self) -> CameraBackend:
        if self._backend is None:
            from eyepi_gui.adapters.cameras.sim import SimBackend

            self._backend = SimBackend(count=self._count)
        return self._backend

    def status(self) -> BackendStatus:
        return BackendStatus(
            "sim", True, f"simulated cameras ({self._count}) when no hardware is found"
        )

    def discover(self) -> Sequence[CameraInfo]:
        return self._real().discover()

    def open(self, camera_id: str) -> CameraDevice:
        return self._real().open(camera_id)


class Station:
    """One station on one home directory. ``open`` is quick and touches no camera library;
    ``start`` discovers cameras and starts capturing; ``stop`` ends cleanly. ``hardware``
    builds the real-camera backends from the settings (the CLI passes the real probe; without
    it only the ``fallback`` cameras exist, as tests want). ``volume`` measures free space
    (statvfs unless a test gives its own); ``network`` is NetworkManager (the real one,
    ``network_backend()``, unless a test gives a fake); ``drives`` lists and mounts block
    volumes (lsblk and mount through the station's runner unless a test gives its own);
    ``doctor`` makes the ``eyepi doctor`` report a support bundle holds (the CLI's);
    ``journal`` runs the journalctl that reads the journal (the station's runner unless a test
    gives one)."""

    def __init__(
        self,
        home: Path,
        *,
        clock: Clock | None = None,
        fallback: CameraBackend | None = None,
        log_to_console: bool = True,
        hasher: PasswordHasher | None = None,
        hardware: HardwareProbe | None = None,
        volume: VolumeProbe | None = None,
        network: NetworkBackend | None = None,
        drives: VolumeInventory | None = None,
        doctor: Callable[[], str] | None = None,
        journal: CommandRunner | None = None,
    ) -> None:
        self.home = home
        self._journal = journal
        self._doctor = doctor
        self._network = network
        self._drives = drives
        self._volume = volume or StatvfsProbe()
        self._hardware = hardware
        self.clock = clock or SystemClock()
        self._fallback = fallback or _LazySimBackend(SIM_CAMERAS)
        self._lock = InstanceLock(home)
        self._log_to_console = log_to_console
        self._hasher = hasher or BcryptHasher()
        self._database = StationDatabase(home, self.clock)
        self._images = ImageFolder(home)
        self._writes = DeferredWrites()
        self.index_repair: IndexRepair | None = None
        """Reconciles the capture index with the image files after ``start``."""
        self.services: StationServices | None = None

    def open(self) -> StationServices:
        """Take the home (raises AlreadyRunning), set up logging, settings and the database."""
        self._lock.acquire()
        logfile.configure(
            self.home, console_level=logging.INFO if self._log_to_console else logging.CRITICAL
        )
        bus = EventBus()
        db = self._database.open()  # a bad or busy state.db never stops capture
        captures = CapturesDB(db)
        self.index_repair = IndexRepair(captures, ImageTree(self._images.images))
        accounts = AccountsDB(db)
        access = AccessControl(accounts)
        audit = AuditLog(accounts, self.clock, access, self._writes)
        store = AtomicTextFile(self.home / "station.toml")
        endpoint, addresses = RemoteEndpoint(), LocalAddresses()
        listen_check = ListenCheck(SocketPortProbe(), addresses, endpoint)
        config = SettingsService(
            store, bus, system_timezone(), access, audit, listen_check=listen_check
        )
        config.load()
        gate = LoginGate(accounts, self._hasher, config, self.clock, audit, bus, access)
        users = UserService(
            accounts,
            self._hasher,
            gate,
            config,
            self.clock,
            audit,
            bus,
            load_common_passwords(),
            access,
        )
        space = FreeSpace(config, self._volume, self._images.images, self._images.latest)
        cameras, scheduler, overview = self._capture_services(
            db, captures, config, bus, access, audit, space
        )
        inventory = CameraInventory(
            partial(self._backends, config), self._fallback, cameras, bus, access
        )
        focus = FocusService(cameras, config, access, audit, self.clock)
        library = CaptureLibrary(captures, self._images)

        def camera_ids() -> list[str]:
            return [info.camera_id for info in cameras.cameras()]

        self.services = StationServices(
            config,
            cameras,
            scheduler,
            overview,
            bus,
            access,
            audit,
            gate,
            users,
            inventory,
            focus,
            captures=library,
            tokens=ApiTokens(TokensDB(db), accounts, self.clock, audit, access),
            web_sessions=WebSessions(gate, accounts, config, self.clock, access),
            streams=LiveStreams(cameras, config),
            addresses=StationAddresses(addresses, config),
            network_cameras=NetworkCameras(
                config, inventory, cameras, OpencvStreamProbe(), access, audit
            ),
            station_info=StationInfo(addresses, endpoint, config, self.clock),
            network=self._network_service(config, access, audit, bus),
            **storage_services(
                StorageParts(
                    self.home,
                    self._images.images,
                    db,
                    captures,
                    library,
                    config,
                    space,
                    bus,
                    access,
                    self.clock,
                    camera_ids,
                    self._drives,
                    overview,
                    self._doctor,
                )
            ),
            **log_services(self.home, access, config, self._journal),
            endpoint=endpoint,
        )
        _log.info("station opened on %s", self.home, extra={"event": "station_opened"})
        self._database.when_open(partial(_say_if_no_users, users))
        return self.services

    def _network_service(
        self, config: SettingsService, access: AccessControl, audit: AuditLog, bus: EventBus
    ) -> NetworkService:
        return NetworkService(
            self._network or cast(NetworkBackend, OnFirstUse(network_backend)),
            config,
            access,
            audit,
            bus,
            self.clock,
            PrivateTextFile(self.home / NETWORK_CHANGE_FILE),
            PrivateTextFile(self.home / HOTSPOT_SECRET_FILE),
        )

    def _capture_services(
        self,
        db: StateDB,
        index: CapturesDB,
        config: SettingsService,
        bus: EventBus,
        access: AccessControl,
        audit: AuditLog,
        space: FreeSpace,
    ) -> tuple[CameraService, CaptureScheduler, StationOverview]:
        images = self._images
        images.sweep_partial()
        writer = CaptureWriter(images, index, space, self._writes)
        cameras = CameraService(config, writer, bus, self.clock, access, audit, space)
        activity_log = ActivityDB(db)
        activity = StationActivity(activity_log, self._writes)
        scheduler = CaptureScheduler(cameras, config, index, self.clock, bus, space, activity)
        health = CaptureHealth(config, CaptureTallyDB(db), activity_log, activity, self.clock)
        overview = StationOverview(
            cameras,
            scheduler,
            config,
            index,
            images,
            space,
            self.clock,
            health,
            self._database_problem,
        )
        return cameras, scheduler, overview

    def _backends(self, config: SettingsService) -> list[CameraBackend]:
        """The real-camera backends; without a hardware probe (tests that pass their own
        simulated fallback), the network cameras of station.toml alone."""
        probe = self._hardware or network_backends
        return list(probe(config.current))

    def _database_problem(self) -> str | None:
        problems = [p for p in (self._database.problem(), self._writes.problem()) if p]
        return " ".join(problems) or None

    def start(self) -> None:
        """Start reconciling the capture index (in the background, once state.db is open),
        discover cameras, start the scheduler and retention's periodic check."""
        assert self.services is not None, "open() first"
        assert self.index_repair is not None, "open() first"
        self._database.when_open(self.index_repair.start)
        self.services.network.start()
        found = self.services.inventory.start()
        _log.info(
            "%d camera(s): %s",
            len(found),
            ", ".join(c.camera_id for c in found),
            extra={"event": "cameras_found", "fields": {"cameras": [c.camera_id for c in found]}},
        )
        self.services.scheduler.start()
        self.services.retention.start()  # after the kiosk's first paint: start runs then

    def stop(self) -> None:
        """Cancel jobs (waiting a few seconds for their work), stop scheduling, let in-flight
        captures finish (up to the capture timeout), give queued database writes a few
        seconds, close."""
        if self.services is not None:
            if was_built(self.services.retention):
                self.services.retention.stop()
            if was_built(self.services.jobs):
                self.services.jobs.stop()
            self.services.network.stop()
            self.services.scheduler.stop()
            timeout = self.services.config.current().capture_timeout_s
            self.services.inventory.stop()
            if not self.services.cameras.stop(timeout):
                _log.warning(
                    "a camera did not finish in %.0f s; its capture is discarded",
                    timeout,
                    extra={"event": "camera_stop_timeout"},
                )
        if self.index_repair is not None:
            self.index_repair.stop()
        self._writes.close()
        self._database.close()
        self._lock.release()
        _log.info("station stopped", extra={"event": "station_stopped"})


# The network, drive and stick adapters (jeepney, subprocess) are imported when the station
# opens them, not with this module: the kiosk paints first (tests/bench/test_startup.py).


def network_backend() -> NetworkBackend:
    """NetworkManager as the station reaches it; a backend that says why on every call when
    it cannot (the station runs on without it)."""
    from eyepi_gui.adapters.network_manager import NmcliNetwork
    from eyepi_gui.adapters.nm_dbus import NmDbus
    from eyepi_gui.adapters.runner import find_program, station_runner

    if find_program("nmcli") is None:
        return UnavailableNetwork("NetworkManager is not installed (apt install network-manager)")
    bus = os.environ.get("DBUS_SYSTEM_BUS_ADDRESS")
    runner = station_runner({"DBUS_SYSTEM_BUS_ADDRESS": bus} if bus else None)
    return NmcliNetwork(runner, NmDbus(bus))


def _say_if_no_users(users: UserService) -> None:
    if users.needs_first_admin():
        _log.warning(NO_USERS_YET, extra={"event": "no_users"})


@dataclass(frozen=True)
class AccountTools:
    """User management on a station's home without starting it (the ``eyepi user`` CLI).
    Safe beside a running station: SQLite serialises writers, station.toml is only read."""

    users: UserService
    login: LoginGate
    audit: AuditLog
    close: Callable[[], None]


def open_accounts(
    home: Path, *, hasher: PasswordHasher | None = None, clock: Clock | None = None
) -> AccountTools:
    home.mkdir(parents=True, exist_ok=True)
    clock, hasher = clock or SystemClock(), hasher or BcryptHasher()
    bus, db = EventBus(), StateDB(home / "state.db")
    accounts = AccountsDB(db)
    access = AccessControl(accounts)
    writes = DeferredWrites()
    audit = AuditLog(accounts, clock, access, writes)
    config = SettingsService(
        AtomicTextFile(home / "station.toml"), bus, system_timezone(), access, audit
    )
    config.load(repair=False)
    gate = LoginGate(accounts, hasher, config, clock, audit, bus, access)
    common = load_common_passwords()
    users = UserService(accounts, hasher, gate, config, clock, audit, bus, common, access)
    return AccountTools(users, gate, audit, partial(_close_accounts, writes, db))


def _close_accounts(writes: DeferredWrites, db: StateDB) -> None:
    writes.close()
    db.close()


def bcrypt_costs(target_s: float) -> list[tuple[int, float]]:
    """Seconds one password check takes at each bcrypt cost, up to the first over target."""
    return measure_cost(target_s)
