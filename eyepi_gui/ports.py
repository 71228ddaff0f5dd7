"""Ports: one typing.Protocol per outside dependency. Adapters implement them; fakes too."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Protocol, runtime_checkable

from eyepi_gui.domain.access import Role
from eyepi_gui.domain.accounts import AuditEntry, UserAccount
from eyepi_gui.domain.camera import (
    CameraInfo,
    CameraSetting,
    ExposureControls,
    FocusDirection,
    FocusStep,
    FocusSupport,
    StillImage,
    StillRequest,
)
from eyepi_gui.domain.command_args import UserValue as UserValue
from eyepi_gui.domain.health import RunSpan
from eyepi_gui.domain.network import IPv4Config, NetworkDevice, SavedNetwork, WifiNetwork
from eyepi_gui.domain.network_cameras import StreamTest
from eyepi_gui.domain.reach import InterfaceAddress
from eyepi_gui.domain.records import CaptureQuery, CaptureRecord
from eyepi_gui.domain.tokens import ApiToken

if TYPE_CHECKING:
    from eyepi_gui.domain.export import ExportRecord, ExportSelection
    from eyepi_gui.domain.frame import Frame
    from eyepi_gui.domain.log_entries import LogPage
    from eyepi_gui.domain.log_filter import LogFilter
    from eyepi_gui.domain.retention import DeletedImage, Proof, RetentionRun
    from eyepi_gui.domain.volumes import Volume


class Clock(Protocol):
    """Wall-clock time as epoch seconds, and waiting that a stop request can cut short."""

    def now(self) -> float: ...

    def monotonic(self) -> float:
        """Seconds that only ever go forward (for timeouts a clock jump must not change)."""
        ...

    def wait(self, seconds: float) -> None:
        """Sleep up to ``seconds``; returns early when the clock is woken."""
        ...

    def wake(self) -> None:
        """Cut every current ``wait`` short (a stop or a settings change)."""
        ...


@runtime_checkable
class CameraDevice(Protocol):
    """One opened camera. Only the camera's own worker thread calls these methods."""

    @property
    def info(self) -> CameraInfo: ...

    def capture_still(self, request: StillRequest) -> StillImage:
        """Capture one still. Raises ``CameraFault`` on failure, ``Unavailable`` if unplugged."""
        ...

    def live_frame(self) -> Frame:
        """The current live-view frame (RGB)."""
        ...

    def controls(self) -> ExposureControls: ...

    def set_controls(self, controls: ExposureControls) -> None: ...

    def settings(self) -> Sequence[CameraSetting]:
        """The settings the camera offers now, with their current values and choices."""
        ...

    def set_setting(self, name: str, value: str) -> CameraSetting:
        """Set one setting; returns it as the camera reports it afterwards. Raises
        ``InvalidInput`` (field ``name``) for an unknown, read-only or refused value."""
        ...

    def focus_support(self) -> FocusSupport:
        """What this camera offers for focusing (read once the device is open)."""
        ...

    def drive_focus(self, direction: FocusDirection, step: FocusStep) -> None:
        """Move the lens one step nearer or farther; returns when the move is done.
        Raises ``Unavailable`` when the camera cannot drive its lens."""
        ...

    def autofocus(self) -> None:
        """Run the camera's autofocus once and return when it settled. Raises
        ``Unavailable`` without autofocus, ``CameraFault`` when it failed to lock."""
        ...

    def set_live_zoom(self, level: int, centre: tuple[float, float]) -> None:
        """Magnify the live view ``level`` times around ``centre`` (fractions of the frame);
        level 1 is the whole frame. Raises ``InvalidInput("level")`` for a level not in
        ``focus_support().live_zoom`` and ``Unavailable`` without a live-view zoom."""
        ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class BackendStatus:
    """Whether a backend can be used here, and why not if it cannot. ``applies`` says whether
    the hardware it drives could be attached to this machine: a backend that cannot be used
    is worth a note only where it applies (picamera2's on a Raspberry Pi, not a laptop)."""

    name: str
    available: bool
    reason: str
    applies: bool = True


class MachineHardware(Protocol):
    """What kind of machine this is and what is plugged in, read from the OS now."""

    def raspberry_pi(self) -> bool:
        """This is a Raspberry Pi (its device-tree model says so)."""
        ...

    def still_camera_on_usb(self) -> bool:
        """A USB still-image device (class 06: PTP cameras, as DSLRs are) is attached."""
        ...


class CameraBackend(Protocol):
    """A kind of camera (sim, gphoto2, opencv, picamera2)."""

    name: str

    def status(self) -> BackendStatus: ...

    def discover(self) -> Sequence[CameraInfo]:
        """Cameras present now. Never raises for a missing library: returns []."""
        ...

    def open(self, camera_id: str) -> CameraDevice:
        """Open a discovered camera. Raises ``NotFound`` or ``Unavailable``."""
        ...


class CaptureIndex(Protocol):
    """The SQLite index of every image the station kept. Every call raises
    ``Unavailable`` while another process holds the database, ``StorageError`` on a failure."""

    def add(self, record: CaptureRecord) -> int:
        """Index a complete file (a kept row per path at most); returns the row's id."""
        ...

    def count_between(self, camera_id: str, start: float, stop: float) -> int: ...

    def latest(self, camera_id: str) -> CaptureRecord | None: ...

    def kept(self, camera_id: str) -> list[CaptureRecord]: ...

    def mark_removed(self, record_ids: Iterable[int]) -> None: ...

    def by_id(self, record_id: int) -> CaptureRecord | None:
        """A kept image's record, or None (unknown, or removed by ``keep = "latest"``)."""
        ...

    def query(self, query: CaptureQuery) -> list[CaptureRecord]:
        """Kept images matching ``query``, newest first."""
        ...


class CaptureDays(Protocol):
    """The capture index read by day for the browser (same errors as ``CaptureIndex``)."""

    def hour_counts(self, camera_id: str) -> list[tuple[int, int]]:
        """(epoch hour, kept images taken in it) of the camera, any order."""
        ...

    def on_day(self, camera_id: str, start: float, stop: float, limit: int) -> list[CaptureRecord]:
        """Kept images of the camera taken in [start, stop), oldest first, at most ``limit``."""
        ...


class Thumbnails(Protocol):
    """Small JPEGs of kept images, made once and kept in a cache (the adapter holds the
    image maths and the files). Raises ``StorageError`` when the cache cannot be written and
    ``Unavailable`` when an image cannot be decoded."""

    def cached(self, key: str) -> bytes | None:
        """The thumbnail stored under ``key`` (a safe file name), or None."""
        ...

    def make(self, key: str, image: bytes, longest_px: int) -> bytes:
        """Scale ``image`` down to ``longest_px`` on its longer side, store it under ``key``
        (atomically) and return it."""
        ...

    def prune(self, record_ids: set[int]) -> int:
        """Delete every thumbnail of the captures ``record_ids``; returns how many."""
        ...


RunBeat = tuple[str, float, float]
"""(subject, started_at, seen_at): the run of ``subject`` that started at ``started_at``
(epoch s) was seen running at ``seen_at``."""


class ActivityLog(Protocol):
    """When the station and each camera ran (in state.db): one span per run, extended by
    heartbeats; after a crash a span ends at its last heartbeat. Every call raises
    ``Unavailable`` while another process holds the database, ``StorageError`` on a failure."""

    def record(self, beats: Sequence[RunBeat]) -> None:
        """Start or extend each beat's span to its ``seen_at`` (never shortening it), in one
        transaction. Waits only briefly: callers queue it (``services.deferred_writes``)."""
        ...

    def spans(self, since: float, until: float) -> dict[str, list[RunSpan]]:
        """Every subject's spans that overlap [since, until), in order of start."""
        ...


class CaptureTally(Protocol):
    """Counts from the capture index for the health chart, each in ONE query per camera.
    Raises ``Unavailable`` while another process holds the database."""

    def per_hour(self, camera_id: str, start: float, hours: int) -> tuple[list[int], float | None]:
        """Scheduled captures per hour of the ``hours`` hours from ``start`` (by the slot
        they were for), and when the camera's latest capture was taken, test shots too
        (None: never)."""
        ...


class LogSource(Protocol):
    """A log read newest first: the station's JSON-lines files (``adapters.log_files``), or
    those merged by time with the journal (``services.log_merge``, the station's). Cursors
    are opaque texts the source gave. Raises ``InvalidInput("cursor")`` for a
    cursor it never gave or whose place the log moved past (rotated away),
    ``InvalidInput("text")`` when a regular expression runs past its time limit, and
    ``Unavailable`` when the log cannot be read."""

    def page(self, query: LogFilter) -> LogPage:
        """Up to ``query.limit`` matching entries older than ``query.cursor`` (the newest
        when None), newest first. Answers within a bounded time: a page cut short by it
        carries an ``older_cursor`` to go on from."""
        ...

    def follow(self, query: LogFilter) -> LogPage:
        """Matching entries written after ``query.cursor`` (a page's ``newer_cursor``), at
        most ``query.limit`` of the oldest of them, newest first, with the cursor after them."""
        ...

    def jump(self, at: float) -> str:
        """A cursor at the first entry written at or after ``at`` (epoch s); ``NotFound``
        when the log holds nothing yet."""
        ...


class ImageStore(Protocol):
    """Writes captured images under ``images/`` and ``latest/``, never half-written."""

    def write(self, relative: str, data: bytes) -> Path:
        """Write ``data`` to ``images/<relative>`` via a temp name and rename; returns the path."""
        ...

    def exists(self, relative: str) -> bool: ...

    def write_latest(self, camera_id: str, jpeg: bytes) -> Path: ...

    def latest_path(self, camera_id: str) -> Path | None:
        """``latest/<camera>.jpg`` when it is a regular file, else None."""
        ...

    def open_latest(self, camera_id: str) -> BinaryIO:
        """The latest image opened for reading, without blocking; NotFound when there is
        none, Unavailable when its name holds no readable regular file."""
        ...

    def open_kept(self, path: str) -> BinaryIO:
        """The kept image at ``path`` opened for reading, without blocking: NotFound when it
        is gone or lies outside ``images/``, Unavailable when it is no readable file."""
        ...

    def remove(self, path: Path) -> None: ...

    def sweep_partial(self) -> int:
        """Delete temp files left by an interrupted write; returns how many."""
        ...


class IndexedFolders(Protocol):
    """The capture index seen folder by folder, for reconciling it with the files on disk.
    Folders are ``images/<camera>/<date>`` as absolute path text without a trailing slash."""

    def in_folder(self, folder: str) -> dict[str, tuple[int, bool]]:
        """Kept rows of files directly in ``folder`` (paths from ``folder + "/"`` up to,
        not including, ``folder + "0"``): name -> (row id, marked missing)."""
        ...

    def between(
        self, low: str, high: str | None, after: tuple[str, int] | None, limit: int
    ) -> list[tuple[int, str]]:
        """Kept rows not marked missing with ``low <= path < high`` (``high`` None: no bound),
        after ``after`` (path, id) when given, by path, at most ``limit``: (row id, path)."""
        ...

    def add_found(self, records: Iterable[CaptureRecord]) -> int:
        """Index files found on disk (skipping any indexed meanwhile); returns how many."""
        ...

    def set_missing(self, record_ids: Iterable[int], missing: bool) -> None: ...


class ImageListing(Protocol):
    """The kept image files as they are on disk now (paths as absolute text)."""

    def folders(self) -> list[str]:
        """Every ``images/<camera>/<date>`` folder."""
        ...

    def files(self, folder: str) -> list[str]:
        """Names of the image files in ``folder``: no sidecars, no hidden or temp files."""
        ...

    def size_of(self, path: str) -> int | None:
        """Bytes of the file at ``path`` inside images/, or None when there is none."""
        ...

    def sidecar(self, image: str) -> bytes | None:
        """The JSON sidecar of the image file at ``image``, or None when it cannot be read."""
        ...


class VolumeProbe(Protocol):
    """Free space of the volume holding a path, in bytes. Raises ``StorageError``."""

    def free_bytes(self, path: Path) -> int: ...

    def total_bytes(self, path: Path) -> int: ...

    def volume_of(self, path: Path) -> int:
        """An id of the volume holding ``path``: equal ids mean one volume."""
        ...


class VolumeInventory(Protocol):
    """The machine's block volumes, and mounting the removable ones. A volume is named by
    its ``Volume.device`` as ``volumes`` lists it (never a path a user typed). Every call
    may block (bounded); ``volumes`` raises CommandFailed when lsblk cannot be run."""

    def volumes(self) -> list[Volume]:
        """Every volume now: partitions, and whole disks without partitions (empty card
        readers included, as 0 bytes), with free space where mounted."""
        ...

    def holding(self, path: Path) -> Volume:
        """The filesystem holding ``path`` (the data disk), never removable."""
        ...

    def mount(self, device: str) -> Path:
        """Mount the removable ``device`` (nosuid, nodev, noexec) in a folder of the
        station's own; returns it (the same folder when mounted there already). Raises
        InvalidInput("device") for a device not removable, without medium or filesystem,
        NotFound when not listed, Busy when mounted elsewhere, CommandFailed when mount
        fails."""
        ...

    def unmount(self, device: str) -> None:
        """Flush the device's writes and unmount it (lazily when it was pulled out); nothing
        when not mounted by the station. Raises Busy when a program keeps it open,
        CommandFailed when the writes could not be flushed (pulled before they were)."""
        ...

    def power_off(self, device: str) -> None:
        """Power the unmounted removable drive off. Raises Busy while mounted, Unavailable
        where it cannot (no udisks2): the drive is safe to pull once unmounted anyway."""
        ...


class StickWriter(Protocol):
    """A folder on a mounted stick that whole files are written to (a support bundle)."""

    def write(self, relative: str, chunks: Iterable[bytes], tick: Callable[[int], None]) -> None:
        """Write ``chunks`` as ``relative``: a temporary name, fsync, rename, folder fsync.
        ``tick`` gets each chunk's size. StorageError (StickGone when pulled) on failure."""

    def close(self) -> None: ...


class ExportTarget(Protocol):
    """The export folder on a mounted stick (``adapters.stick_files.StickFolder``). Paths
    are relative to it; nothing on the stick is followed (links, devices). OSError never
    leaves: StorageError (StickGone when the stick stopped answering)."""

    def manifest(self) -> dict[str, str]:
        """The stick's manifest: relative path -> SHA-256 of each verified file."""
        ...

    def copy(self, source: str, relative: str, tick: Callable[[int], None]) -> None:
        """Copy ``source`` to a temporary name for ``relative``; ``settle`` fsyncs it, then
        renames it. ``tick(bytes)`` after each chunk (may raise)."""
        ...

    def verify(self, relative: str, tick: Callable[[int], None]) -> str:
        """SHA-256 of ``relative`` read back from the stick, its cached pages dropped."""
        ...

    def remove(self, relative: str) -> None: ...

    def record(self, sha256: str, relative: str) -> None:
        """Add a verified file to the manifest (durable after ``sync``)."""
        ...

    def settle(self, relatives: Iterable[str]) -> None:
        """Give these copies their names: each fsynced, then renamed (may run on another
        thread than ``copy``, for other files)."""
        ...

    def sync_manifest(self) -> None:
        """Make the manifest's lines durable (fsync)."""
        ...

    def sync(self) -> None:
        """Make the manifest and everything settled durable on the stick."""
        ...

    def forget_cache(self) -> None:
        """Drop the device's cached pages so that the next reads reach the device."""
        ...

    def close(self) -> None: ...


ExportTargets = Callable[[Path, str], ExportTarget]
"""Opens the export folder on the stick mounted at a path, of a device: (mountpoint, device)."""


class ExportRecords(Protocol):
    """Exports in state.db and the capture index's exported flag (``adapters.exports_db``)."""

    def selected(
        self, selection: ExportSelection, since: float | None, until: float | None
    ) -> list[CaptureRecord]:
        """Kept captures of ``selection`` taken in [since, until), oldest first."""
        ...

    def begin(self, record: ExportRecord) -> int:
        """Record an export starting; returns its id."""
        ...

    def verified(self, export_id: int, files: Sequence[tuple[int, str, str, int]]) -> None:
        """(capture id, path on the stick, sha256, bytes) verified there: manifest rows and
        the captures' exported flag, in one transaction."""
        ...

    def finish(self, export_id: int, ended_at: float, outcome: str) -> None: ...

    def history(self, limit: int) -> list[ExportRecord]:
        """The last ``limit`` exports, newest first."""
        ...


class RetentionRecords(Protocol):
    """Retention in state.db (``adapters.retention_db``): candidates oldest first, their
    proofs, the deletion log and the last run. Raises ``Unavailable`` while busy."""

    def oldest(self, after: tuple[float, int] | None, limit: int) -> list[CaptureRecord]:
        """Kept captures, oldest first (time taken, id), after (taken_at, id) ``after``."""
        ...

    def proofs(self, capture_ids: Sequence[int]) -> dict[int, list[Proof]]:
        """The verified copies of each capture (absent: none)."""
        ...

    def record_deletion(self, image: DeletedImage) -> int:
        """Log the deletion and take the capture out of the index, at once; the log id."""
        ...

    def undo_deletion(self, entry_id: int, capture_id: int) -> None: ...

    def deleted(self, limit: int, before_id: int | None) -> list[DeletedImage]:
        """Logged deletions, newest first, older than log entry ``before_id``."""
        ...

    def last_run(self) -> RetentionRun | None: ...

    def set_last_run(self, run: RetentionRun) -> None: ...


class KeptImageFiles(Protocol):
    """Kept image files for retention (``adapters.kept_files``)."""

    def size(self, path: str) -> int | None:
        """Bytes of the regular file at ``path`` under images/, else None."""
        ...

    def delete(self, path: str) -> None:
        """Delete the file; StorageError naming it when it cannot go."""
        ...

    def drop_lone_sidecars(self, paths: Iterable[str]) -> int:
        """Delete the sidecars of deleted images no other file of the capture is left beside."""
        ...


class CaptureSizes(Protocol):
    """Sizes of captured image files from the capture index. Raises ``Unavailable`` while
    another process holds the database."""

    def recent_sizes(self, camera_id: str, limit: int) -> list[tuple[float, int]]:
        """(slot, bytes) of the camera's newest ``limit`` scheduled image files (no test
        shots; files removed since count: their size was real), newest first."""
        ...


class TextStore(Protocol):
    """A text file written atomically with a last-known-good copy (station.toml)."""

    def read(self) -> str | None:
        """The file's text, or None when it does not exist. Raises ``StorageError`` for
        anything but a regular UTF-8 file within the store's size limit, never blocking."""
        ...

    def read_last_good(self) -> str | None:
        """The last-known-good copy's text, read as ``read`` reads."""
        ...

    def write(self, text: str) -> None:
        """Replace the file atomically (temp, fsync, rename, fsync dir) and keep it as good."""
        ...

    def mark_good(self, text: str) -> None:
        """Record ``text`` (the file as read and used whole) as last-known-good."""
        ...

    def quarantine(self) -> Path | None:
        """Move the current (bad) file aside; returns where it went."""
        ...

    def keep_copy(self) -> Path | None:
        """Copy the current file aside (before a save replaces one with problems); returns
        where the copy went, None when there is no file."""
        ...


class UserStore(Protocol):
    """User accounts (in state.db). Every call is one transaction. Once an admin exists, a
    change that would leave no enabled admin is refused (``InvalidInput``) and undone."""

    def create(self, account: UserAccount, *, only_if_empty: bool = False) -> None:
        """Add ``account``. Raises ``InvalidInput("username")`` when the name is taken, and
        ``Forbidden`` with ``only_if_empty`` when any user exists already."""
        ...

    def get(self, username: str) -> UserAccount | None: ...

    def all(self) -> list[UserAccount]:
        """Every account, by username."""
        ...

    def count(self) -> int: ...

    def update(
        self,
        username: str,
        changed_at: float,
        *,
        role: Role | None = None,
        disabled: bool | None = None,
        password_hash: str | None = None,
    ) -> UserAccount:
        """Change the given fields; returns the account as stored. Raises ``NotFound``, or
        ``InvalidInput("role")`` when no enabled admin would be left."""
        ...

    def remove(self, username: str) -> None:
        """Raises ``NotFound``, or ``InvalidInput("username")`` for the last enabled admin."""
        ...


class AuditTrail(Protocol):
    """The audit trail (in state.db): append-only."""

    def record(self, entry: AuditEntry) -> None:
        """Append; raises ``Unavailable`` while another process holds the database."""
        ...

    def recent(
        self, limit: int = 100, *, username: str | None = None, action: str | None = None
    ) -> list[AuditEntry]:
        """The newest entries first, optionally only one user's or one action's."""
        ...


class TokenStore(Protocol):
    """API tokens (in state.db), found by the digest of the token."""

    def add(self, token: ApiToken, *, limit: int) -> None:
        """Store ``token``; raises ``InvalidInput("name")`` when its user has ``limit``."""
        ...

    def by_digest(self, digest: str) -> ApiToken | None: ...

    def of_user(self, username: str | None) -> list[ApiToken]:
        """One user's tokens (every token when ``username`` is None), oldest first."""
        ...

    def remove(self, token_id: str) -> ApiToken:
        """Delete a token; returns it. Raises ``NotFound``."""
        ...

    def touch(self, token_id: str, at: float) -> None:
        """Record when the token was last used (epoch s)."""
        ...


class PasswordHasher(Protocol):
    """bcrypt. Passwords arrive already checked (at most 72 bytes, no NUL)."""

    def hash(self, password: str, cost: int) -> str: ...

    def verify(self, password: str, hashed: str) -> bool:
        """True when ``password`` matches; False (never an exception) for anything else,
        including a malformed hash or a password bcrypt cannot take."""
        ...

    def cost_of(self, hashed: str) -> int:
        """The work factor a hash was made with (0 when it cannot be read)."""
        ...


class NetworkAddresses(Protocol):
    """What this machine is called, where it can be reached and since when, read from the
    OS now."""

    def hostname(self) -> str:
        """The machine's name as it gives it (``socket.gethostname``)."""
        ...

    def host_names(self) -> tuple[str, ...]:
        """The machine's own names: its hostname and fully qualified name."""
        ...

    def search_domains(self) -> tuple[str, ...]:
        """The DNS search domains the network gave (DHCP): "lan", "fritz.box", ..."""
        ...

    def ip_addresses(self) -> tuple[str, ...]:
        """Every IP address of every interface, loopback included, as text."""
        ...

    def interface_addresses(self) -> tuple[InterfaceAddress, ...]:
        """Every IP address with the interface it is on, loopback included, in no order."""
        ...

    def default_route_address(self) -> str | None:
        """The address this machine sends from on its default route (the one a tech most
        likely shares a network with), or None without a route. Sends nothing."""
        ...

    def booted_at(self) -> float:
        """When the machine started (epoch seconds), for its uptime."""
        ...


class PortProbe(Protocol):
    """Whether this machine can listen on a TCP port now."""

    def why_taken(self, host: str, port: int) -> str | None:
        """Why ``port`` on ``host`` (an IP address) cannot be listened on, or None if it can."""
        ...


class StreamProbe(Protocol):
    """Opens a camera stream once to see whether it delivers frames."""

    def test(self, url: str, timeout_s: float) -> StreamTest:
        """Open ``url`` (credentials included) and read one frame, within ``timeout_s``.
        Never raises for a stream that fails: the result says why. Never logs ``url``
        unredacted."""
        ...


@dataclass(frozen=True)
class CommandResult:
    """What a finished program gave back: its exit code and output (decoded UTF-8 with
    U+FFFD for bad bytes, each at most the runner's output bound)."""

    program: str
    exit_code: int
    stdout: str
    stderr: str


class CommandRunner(Protocol):
    """Runs outside programs: the one way eyepi starts a process. Only programs on its
    allowlist (by name, mapped to an absolute path), an argv list, never a shell or sudo,
    a timeout on every call and bounded output."""

    def run(
        self, program: str, args: Sequence[str], *, timeout_s: float | None = None
    ) -> CommandResult:
        """Run allowlisted ``program`` with ``args``; returns whatever its exit code (the
        caller maps a non-zero one). Raises CommandFailed when it is not allowlisted ("not
        allowed") or not installed, cannot start, outlives ``timeout_s`` (the runner's default
        when None; killed with every process it started: "did not answer within N s"), or
        writes more than the bound to stdout or stderr ("too much output").

        Values from users are marked ``UserValue`` (re-exported here from
        ``domain.command_args``) and go after a plain "--" argument, as data: a UserValue
        before the first "--", or a "--" for a program that does not honour it, raises
        ValueError (a programming error). Logs show a UserValue as "<value>"."""
        ...


class NetworkBackend(Protocol):
    """NetworkManager as the station uses it. Every call may block (bounded by a timeout)
    and raises CommandFailed (NM missing, stopped, or refusing) or NotFound (no such
    profile or device). Secrets go in, never out."""

    def hostname(self) -> str: ...

    def devices(self) -> list[NetworkDevice]:
        """Every interface with its state, addresses, gateway, DNS and Wi-Fi signal."""
        ...

    def wifi_networks(self, rescan: bool = False) -> list[WifiNetwork]:
        """Wi-Fi networks in range (one per SSID, strongest first); ``rescan`` asks the
        radio to look again first. Empty when there is no Wi-Fi device."""
        ...

    def saved(self) -> list[SavedNetwork]:
        """Saved Wi-Fi and Ethernet profiles (hotspot included, marked)."""
        ...

    def join_wifi(
        self, ssid_hex: str, password: str | None, *, hidden: bool = False
    ) -> SavedNetwork:
        """Save a profile for the SSID (exact bytes as hex; WPA2/WPA3-personal with
        ``password``, open without) and connect to it."""
        ...

    def forget(self, uuid: str) -> None:
        """Delete a saved profile (it disconnects if active)."""
        ...

    def set_priority(self, uuid: str, priority: int) -> None:
        """Set a profile's autoconnect priority (higher wins)."""
        ...

    def set_ipv4(self, uuid: str, config: IPv4Config) -> None:
        """Save ``config`` in the profile (persistent) and apply it now if it is active."""
        ...

    def activate(self, uuid: str) -> None:
        """Bring a saved profile up."""
        ...

    def set_hostname(self, name: str) -> None:
        """Set the machine's static hostname through NetworkManager."""
        ...

    def start_hotspot(self, ssid: str, passphrase: str) -> SavedNetwork:
        """Create or update the station's access-point profile and bring it up."""
        ...

    def stop_hotspot(self) -> None:
        """Bring the access point down (its profile stays)."""
        ...

    def checkpoint(self, devices: Sequence[str], rollback_s: int) -> str:
        """Snapshot the devices' state in NM; NM itself restores it after ``rollback_s``
        unless confirmed first, also if eyepi dies. Returns the checkpoint's id."""
        ...

    def confirm(self, checkpoint: str) -> None:
        """Keep the changes made since ``checkpoint`` (destroy it without rolling back)."""
        ...

    def rollback(self, checkpoint: str) -> None:
        """Restore the state of ``checkpoint`` now."""
        ...

    def checkpoints(self) -> list[str]:
        """The ids of checkpoints NM holds now."""
        ...


class PrivateFile(Protocol):
    """A small text file in the station's home that only the station's user may read (0600),
    replaced atomically: a network change waiting for confirmation, the hotspot's
    passphrase. Raises StorageError when the disk refuses."""

    def read(self) -> str | None:
        """The file's text, or None when there is none."""
        ...

    def write(self, text: str) -> None: ...

    def remove(self) -> None:
        """Delete the file; nothing happens when there is none."""
        ...
