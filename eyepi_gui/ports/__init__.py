"""Ports: one typing.Protocol per outside dependency. Adapters implement them; fakes too.

The ports live in one module per area (cameras, captures, storage, accounts, system); every
name is imported from here.
"""

from eyepi_gui.domain.command_args import UserValue as UserValue
from eyepi_gui.ports.accounts import (
    AuditTrail as AuditTrail,
)
from eyepi_gui.ports.accounts import (
    PasswordHasher as PasswordHasher,
)
from eyepi_gui.ports.accounts import (
    TextStore as TextStore,
)
from eyepi_gui.ports.accounts import (
    TokenStore as TokenStore,
)
from eyepi_gui.ports.accounts import (
    UserStore as UserStore,
)
from eyepi_gui.ports.cameras import (
    BackendStatus as BackendStatus,
)
from eyepi_gui.ports.cameras import (
    CameraBackend as CameraBackend,
)
from eyepi_gui.ports.cameras import (
    CameraDevice as CameraDevice,
)
from eyepi_gui.ports.cameras import (
    Clock as Clock,
)
from eyepi_gui.ports.cameras import (
    MachineHardware as MachineHardware,
)
from eyepi_gui.ports.cameras import (
    StreamProbe as StreamProbe,
)
from eyepi_gui.ports.captures import (
    ActivityLog as ActivityLog,
)
from eyepi_gui.ports.captures import (
    CaptureDays as CaptureDays,
)
from eyepi_gui.ports.captures import (
    CaptureIndex as CaptureIndex,
)
from eyepi_gui.ports.captures import (
    CaptureSizes as CaptureSizes,
)
from eyepi_gui.ports.captures import (
    CaptureTally as CaptureTally,
)
from eyepi_gui.ports.captures import (
    ImageListing as ImageListing,
)
from eyepi_gui.ports.captures import (
    ImageStore as ImageStore,
)
from eyepi_gui.ports.captures import (
    IndexedFolders as IndexedFolders,
)
from eyepi_gui.ports.captures import (
    RunBeat as RunBeat,
)
from eyepi_gui.ports.captures import (
    Thumbnails as Thumbnails,
)
from eyepi_gui.ports.storage import (
    ExportRecords as ExportRecords,
)
from eyepi_gui.ports.storage import (
    ExportTarget as ExportTarget,
)
from eyepi_gui.ports.storage import (
    ExportTargets as ExportTargets,
)
from eyepi_gui.ports.storage import (
    KeptImageFiles as KeptImageFiles,
)
from eyepi_gui.ports.storage import (
    RetentionRecords as RetentionRecords,
)
from eyepi_gui.ports.storage import (
    StickWriter as StickWriter,
)
from eyepi_gui.ports.storage import (
    VolumeInventory as VolumeInventory,
)
from eyepi_gui.ports.storage import (
    VolumeProbe as VolumeProbe,
)
from eyepi_gui.ports.system import (
    CommandResult as CommandResult,
)
from eyepi_gui.ports.system import (
    CommandRunner as CommandRunner,
)
from eyepi_gui.ports.system import (
    LogSource as LogSource,
)
from eyepi_gui.ports.system import (
    NetworkAddresses as NetworkAddresses,
)
from eyepi_gui.ports.system import (
    NetworkBackend as NetworkBackend,
)
from eyepi_gui.ports.system import (
    PortProbe as PortProbe,
)
from eyepi_gui.ports.system import (
    PrivateFile as PrivateFile,
)
