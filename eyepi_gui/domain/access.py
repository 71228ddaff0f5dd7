"""Who may do what: roles, named permissions, and the one table that joins them.

viewer < operator < admin. A viewer sees everything and changes nothing; an operator runs the
cameras; an admin manages people, the network and the station itself. Anonymous principals
(nobody logged in) may do nothing that needs a permission.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    VIEWER = "viewer"
    OPERATOR = "operator"
    ADMIN = "admin"


class Origin(StrEnum):
    """Where a request comes from. Login limits are kept apart per origin, so attempts from
    the remote endpoint never lock out the touchscreen."""

    KIOSK = "kiosk"
    REMOTE = "remote"
    CLI = "cli"


class Permission(StrEnum):
    VIEW = "view"
    CHANGE_OWN_PASSWORD = "change_own_password"  # noqa: S105 - a permission name
    TEST_SHOT = "test_shot"
    FOCUS = "focus"
    CAMERA_SETTINGS = "camera_settings"
    EXPORT = "export"
    WIFI_JOIN = "wifi_join"
    MANAGE_USERS = "manage_users"
    STATION_SETTINGS = "station_settings"
    NETWORK_SETTINGS = "network_settings"
    HOSTNAME = "hostname"
    SYSTEM_ACTIONS = "system_actions"
    SUPPORT_BUNDLE = "support_bundle"


_VIEWER = frozenset({Permission.VIEW, Permission.CHANGE_OWN_PASSWORD})
_OPERATOR = _VIEWER | {
    Permission.TEST_SHOT,
    Permission.FOCUS,
    Permission.CAMERA_SETTINGS,
    Permission.EXPORT,
    Permission.WIFI_JOIN,
    Permission.SUPPORT_BUNDLE,
}
_ADMIN = _OPERATOR | {
    Permission.MANAGE_USERS,
    Permission.STATION_SETTINGS,
    Permission.NETWORK_SETTINGS,
    Permission.HOSTNAME,
    Permission.SYSTEM_ACTIONS,
}
PERMISSIONS: Mapping[Role, frozenset[Permission]] = {
    Role.VIEWER: _VIEWER,
    Role.OPERATOR: frozenset(_OPERATOR),
    Role.ADMIN: frozenset(_ADMIN),
}
"""The permission table: every role and what it may do."""

ACTIONS: Mapping[Permission, str] = {
    Permission.VIEW: "see the station",
    Permission.CHANGE_OWN_PASSWORD: "change your password",
    Permission.TEST_SHOT: "take test shots",
    Permission.FOCUS: "focus cameras",
    Permission.CAMERA_SETTINGS: "change camera settings",
    Permission.EXPORT: "export images",
    Permission.WIFI_JOIN: "join Wi-Fi networks",
    Permission.MANAGE_USERS: "manage users",
    Permission.STATION_SETTINGS: "change station settings",
    Permission.NETWORK_SETTINGS: "change network settings",
    Permission.HOSTNAME: "change the hostname",
    Permission.SYSTEM_ACTIONS: "restart or shut down the station",
    Permission.SUPPORT_BUNDLE: "make a support bundle",
}
"""What each permission allows, as words for "you may not ..." messages."""

ROLE_ORDER = (Role.VIEWER, Role.OPERATOR, Role.ADMIN)


def allowed(role: Role | None, permission: Permission) -> bool:
    return role is not None and permission in PERMISSIONS[role]


def lowest_role(permission: Permission) -> Role:
    """The least powerful role holding ``permission``."""
    return next(role for role in ROLE_ORDER if permission in PERMISSIONS[role])


def refusal(role: Role | None, permission: Permission) -> str | None:
    """Why ``role`` may not use ``permission`` (a sentence for the user), or None if it may."""
    if allowed(role, permission):
        return None
    needed = lowest_role(permission)
    who = _a(Role.ADMIN) if needed is Role.ADMIN else f"{_a(needed)} or admin"
    if role is None:
        return f"Log in as {who} to {ACTIONS[permission]}."
    return f"{_a(role).capitalize()} may not {ACTIONS[permission]}; log in as {who}."


def _a(role: Role) -> str:
    return f"{'an' if role[0] in 'aeiou' else 'a'} {role}"


@dataclass(frozen=True)
class Principal:
    """Who asks: a user (None when nobody is logged in), their role, and where from.
    ``address`` is the remote client's IP address ("" for the kiosk and the CLI)."""

    username: str | None
    role: Role | None
    origin: Origin
    address: str = ""

    @classmethod
    def anonymous(cls, origin: Origin, address: str = "") -> Principal:
        return cls(None, None, origin, address)

    @property
    def label(self) -> str:
        """For audit entries and logs: "alice (operator, kiosk)"."""
        where = f"{self.origin}{' ' + self.address if self.address else ''}"
        if self.username is None:
            return f"anonymous ({where})"
        return f"{self.username} ({self.role}, {where})"
