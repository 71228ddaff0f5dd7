"""Every public service method is marked; every guarded one refuses exactly the roles the
permission table says, for viewer, operator, admin and anonymous principals."""

import contextlib
import dataclasses
import inspect

import pytest

from eyepi_gui.domain.access import PERMISSIONS, Origin, Permission, Principal, Role, allowed
from eyepi_gui.domain.camera import FocusDirection, FocusStep
from eyepi_gui.domain.roi import Roi
from eyepi_gui.errors import Forbidden, LoginFailed, NotFound
from eyepi_gui.services.access import CHECKS_ITSELF, INTERNAL, READS, UNAUTHENTICATED, mark_of
from eyepi_gui.services.audit import TYPED_NAME_HIDDEN
from eyepi_gui.services.station_services import StationServices, service_types
from eyepi_gui.settings import NetworkCameraSettings
from tests.job_work import COUNT, until_cancelled
from tests.principals import ADMIN as CLI_ADMIN
from tests.services.conftest import PASSWORDS

SERVICE_CLASSES = sorted(
    {hint for hint in service_types().values() if inspect.isclass(hint)},
    key=lambda cls: cls.__name__,
)
NEW_PASSWORD = "a fresh long secret"
REFUSED_STREAM = "http://127.0.0.1:9/stream.mjpg"
"""A stream URL nothing answers on (the discard port): opening it fails at once."""

# One valid call per guarded method: (service field, method) -> call(services, principal).
CALLS = {
    ("config", "update_camera"): lambda s, p: s.config.update_camera(
        p, "sim-1", {"interval_s": 60}
    ),
    ("config", "update_station"): lambda s, p: s.config.update_station(p, {"station_name": "x"}),
    ("cameras", "test_shot"): lambda s, p: s.cameras.test_shot(p, "sim-1"),
    ("inventory", "rescan"): lambda s, p: s.inventory.rescan(p),
    ("cameras", "set_device_setting"): lambda s, p: s.cameras.set_device_setting(
        p, "sim-1", "iso", "400"
    ),
    ("audit", "recent"): lambda s, p: s.audit.recent(p),
    ("focus", "set_roi"): lambda s, p: s.focus.set_roi(p, "sim-1", Roi(0.1, 0.1, 0.2, 0.2)),
    ("focus", "drive"): lambda s, p: s.focus.drive(
        p, "sim-1", FocusDirection.FAR, FocusStep.COARSE
    ),
    ("focus", "autofocus"): lambda s, p: s.focus.autofocus(p, "sim-1"),
    ("focus", "set_live_zoom"): lambda s, p: s.focus.set_live_zoom(p, "sim-1", 1, (0.5, 0.5)),
    ("focus", "lock"): lambda s, p: s.focus.lock(p, "sim-1"),
    ("focus", "unlock"): lambda s, p: s.focus.unlock(p, "sim-1"),
    ("users", "users"): lambda s, p: s.users.users(p),
    ("users", "add_user"): lambda s, p: s.users.add_user(p, "newcomer", NEW_PASSWORD, "viewer"),
    ("users", "remove_user"): lambda s, p: s.users.remove_user(p, "spare"),
    ("users", "set_role"): lambda s, p: s.users.set_role(p, "spare", "operator"),
    ("users", "set_disabled"): lambda s, p: s.users.set_disabled(p, "spare", True),
    ("users", "reset_password"): lambda s, p: s.users.reset_password(p, "spare", NEW_PASSWORD),
    ("users", "change_password"): lambda s, p: s.users.change_password(
        p, PASSWORDS.get(p.username or "", "unknown password"), NEW_PASSWORD
    ),
    ("tokens", "create"): lambda s, p: s.tokens.create(p, "backup script"),
    ("tokens", "visible"): lambda s, p: s.tokens.visible(p),
    ("tokens", "revoke"): lambda s, p: s.tokens.revoke(p, s.tokens.create(p, "x")[0].token_id),
    ("config", "set_network_camera"): lambda s, p: s.config.set_network_camera(
        p, "gate", NetworkCameraSettings(url=REFUSED_STREAM)
    ),
    ("network_cameras", "test"): lambda s, p: s.network_cameras.test(p, REFUSED_STREAM),
    ("network_cameras", "add"): lambda s, p: s.network_cameras.add(p, "gate", REFUSED_STREAM),
    ("network_cameras", "remove"): lambda s, p: (
        s.config.set_network_camera(CLI_ADMIN, "gate", NetworkCameraSettings(url=REFUSED_STREAM)),
        s.network_cameras.remove(p, "gate"),
    ),
}
REMOTE_ADA = Principal("ada", Role.ADMIN, Origin.REMOTE, "192.0.2.7")


def _wired(services):
    return next(p.uuid for p in services.network.saved() if p.kind == "ethernet")


def _waiting_change(services):
    """A Wi-Fi change from the remote endpoint, waiting for confirmation."""
    return services.network.set_priority(REMOTE_ADA, _wired(services), 5).change_id


CALLS |= {
    ("network", "wifi_networks"): lambda s, p: s.network.wifi_networks(p),
    ("network", "join_wifi"): lambda s, p: s.network.join_wifi(p, "field-lab", "lab passphrase 1"),
    ("network", "forget"): lambda s, p: s.network.forget(p, _wired(s)),
    ("network", "set_priority"): lambda s, p: s.network.set_priority(p, _wired(s), 10),
    ("network", "set_addressing"): lambda s, p: s.network.set_addressing(
        p, _wired(s), "manual", "192.0.2.20", 24, "192.0.2.1"
    ),
    ("network", "set_hostname"): lambda s, p: s.network.set_hostname(p, "eyepi-7"),
    ("network", "set_hotspot"): lambda s, p: s.network.set_hotspot(p, False, 600),
    ("network", "hotspot_info"): lambda s, p: s.network.hotspot_info(p),
    ("network", "confirm"): lambda s, p: s.network.confirm(p, _waiting_change(s)),
    ("network", "revert"): lambda s, p: s.network.revert(p, _waiting_change(s)),
}
CALLS |= {
    ("jobs", "start"): lambda s, p: s.jobs.start(p, COUNT, "count", until_cancelled()),
    ("jobs", "cancel"): lambda s, p: s.jobs.cancel(
        p, s.jobs.start(CLI_ADMIN, COUNT, "count", until_cancelled()).job_id
    ),
}


def _export(services, principal):
    """An export to a drive that is not plugged in: who may export gets NotFound (the
    permission was granted first), who may not gets Forbidden."""
    with contextlib.suppress(NotFound):
        services.export.export(principal, "/dev/sdz9", not_exported=True)


def _eject(services, principal):
    """Ejecting a drive that is not plugged in: NotFound once the permission was granted."""
    with contextlib.suppress(NotFound):
        services.export.eject(principal, "/dev/sdz9")


CALLS |= {("export", "export"): _export, ("export", "eject"): _eject}
RETENTION_ON = {"enabled": True, "keep_free_mib": 600}
CALLS |= {
    ("retention", "update"): lambda s, p: s.retention.update(p, {"min_age_days": 10}),
    ("retention", "run_now"): lambda s, p: (
        s.retention.update(CLI_ADMIN, RETENTION_ON),
        s.retention.run_now(p),
    ),
}
CALLS |= {
    ("logs", "page"): lambda s, p: s.logs.page(p, s.logs.query({"limit": 5})),
    ("logs", "follow"): lambda s, p: s.logs.follow(
        p, s.logs.query({"cursor": s.logs.page(CLI_ADMIN, s.logs.query({})).newer_cursor})
    ),
    ("logs", "jump"): lambda s, p: s.logs.jump(p, 0.0),
}


def _bundle_to_stick(services, principal):
    """A bundle to a drive that is not plugged in: NotFound once the permission was granted."""
    with contextlib.suppress(NotFound):
        services.support.to_stick(principal, "/dev/sdz9")


CALLS |= {
    ("support", "download"): lambda s, p: s.support.download(p),
    ("support", "to_stick"): _bundle_to_stick,
}
CHECKED_INSIDE = {("jobs", "start"): Permission.EXPORT, ("jobs", "cancel"): Permission.EXPORT}
"""Methods marked @checks_itself, and the permission their call in CALLS needs (the job
kind's: ``tests.job_work.COUNT``)."""
UNAUTHENTICATED_METHODS = {
    ("LoginGate", "login"),
    ("UserService", "create_first_admin"),
    ("ApiTokens", "authenticate"),
    ("WebSessions", "log_in"),
    ("WebSessions", "resume"),
    ("WebSessions", "confirm"),
    ("WebSessions", "renew"),
    ("WebSessions", "log_out"),
    # the key a waiting network change's maker got is the authority (services.network_changes)
    ("NetworkService", "confirm_with_key"),
    ("NetworkService", "revert_with_key"),
}


def public_methods(cls):
    for name, member in inspect.getmembers(cls):
        if name.startswith("_") or isinstance(inspect.getattr_static(cls, name), property):
            continue
        if callable(member):
            yield name, member


def method_of(field, name):
    return getattr(service_types()[field], name)


def field_of(cls):
    hints = service_types()
    return next(f.name for f in dataclasses.fields(StationServices) if hints[f.name] is cls)


def test_every_public_service_method_has_an_access_mark():
    unmarked = [
        f"{cls.__name__}.{name}"
        for cls in SERVICE_CLASSES
        for name, method in public_methods(cls)
        if mark_of(method) is None
    ]
    assert unmarked == [], "mark these with @requires, @reads, @internal or @unauthenticated"


def test_every_guarded_method_is_in_the_role_matrix_and_only_login_paths_are_open():
    guarded, open_paths = set(), set()
    for cls in SERVICE_CLASSES:
        for name, method in public_methods(cls):
            mark = mark_of(method)
            if isinstance(mark, Permission) or mark == CHECKS_ITSELF:
                guarded.add((field_of(cls), name))
            elif mark == UNAUTHENTICATED:
                open_paths.add((cls.__name__, name))
            else:
                assert mark in (READS, INTERNAL)
    assert guarded == set(CALLS)
    assert open_paths == UNAUTHENTICATED_METHODS
    checked_inside = {call for call in CALLS if mark_of(method_of(*call)) == CHECKS_ITSELF}
    assert checked_inside == set(CHECKED_INSIDE)


def test_guarded_methods_take_the_principal_first():
    for field, name in CALLS:
        cls = service_types()[field]
        parameters = list(inspect.signature(getattr(cls, name)).parameters)
        assert parameters[:2] == ["self", "principal"], f"{cls.__name__}.{name}"


PRINCIPALS = {
    "anonymous": Principal.anonymous(Origin.KIOSK),
    "viewer": Principal("vera", Role.VIEWER, Origin.KIOSK),
    "operator": Principal("otto", Role.OPERATOR, Origin.KIOSK),
    "admin": Principal("ada", Role.ADMIN, Origin.REMOTE, "192.0.2.7"),
}


@pytest.mark.parametrize("who", list(PRINCIPALS))
@pytest.mark.parametrize("call", list(CALLS), ids=lambda c: ".".join(c))
def test_role_matrix(accounts_station, who, call):
    services = accounts_station.services
    principal = PRINCIPALS[who]
    permission = CHECKED_INSIDE.get(call) or mark_of(method_of(*call))
    if allowed(principal.role, permission):
        CALLS[call](services, principal)
    else:
        with pytest.raises(Forbidden) as raised:
            CALLS[call](services, principal)
        assert "log in as" in str(raised.value).lower()


def test_a_role_claimed_by_the_frontend_is_not_trusted(accounts_station):
    services = accounts_station.services
    forged = Principal("vera", Role.ADMIN, Origin.KIOSK)  # vera is a viewer in state.db
    with pytest.raises(Forbidden):
        services.users.add_user(forged, "mallory", NEW_PASSWORD, "admin")
    assert "mallory" not in [u.username for u in services.users.users(forged)]


def test_a_demotion_or_a_disabled_account_applies_at_once(accounts_station):
    services = accounts_station.services
    admin, otto = PRINCIPALS["admin"], PRINCIPALS["operator"]
    services.cameras.test_shot(otto, "sim-1")
    services.users.set_role(admin, "otto", "viewer")
    with pytest.raises(Forbidden):
        services.cameras.test_shot(otto, "sim-1")
    services.users.set_role(admin, "otto", "operator")
    services.users.set_disabled(admin, "otto", True)
    with pytest.raises(Forbidden):
        services.config.update_camera(otto, "sim-1", {"interval_s": 60})


def test_the_table_grows_with_the_role():
    assert PERMISSIONS[Role.VIEWER] < PERMISSIONS[Role.OPERATOR] < PERMISSIONS[Role.ADMIN]
    assert set(PERMISSIONS[Role.ADMIN]) == set(Permission)


@pytest.mark.parametrize("who", ["viewer", "operator", "admin"])
def test_only_admins_see_what_was_typed_as_the_username_of_a_failed_login(accounts_station, who):
    services = accounts_station.services
    with pytest.raises(LoginFailed):
        services.login.login(Origin.REMOTE, "correct-horse-battery", "x" * 12, "192.0.2.9")
    services.login.login(Origin.KIOSK, "otto", PASSWORDS["otto"])
    failed = services.audit.recent(PRINCIPALS[who], 10, action="login_failed")
    ok = services.audit.recent(PRINCIPALS[who], 1, action="login")[0]
    shown = "correct-horse-battery" if who == "admin" else TYPED_NAME_HIDDEN
    assert [(e.target, e.address, e.ok) for e in failed] == [(shown, "192.0.2.9", False)]
    assert ok.target == "otto"
