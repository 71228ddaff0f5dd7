"""Logging in: limits before the password check (fake clock), origins kept apart, audit, timing."""

import statistics
import time

import pytest

from eyepi_gui.domain.access import Origin, Role
from eyepi_gui.domain.events import LoginAttempt
from eyepi_gui.errors import LoginFailed, TooManyAttempts
from tests.services.conftest import PASSWORDS


class CountingHasher:
    """Wraps a hasher and counts verify calls (so a test sees whether bcrypt ran)."""

    def __init__(self, inner):
        self.inner, self.verifies = inner, 0

    def hash(self, password, cost):
        return self.inner.hash(password, cost)

    def verify(self, password, hashed):
        self.verifies += 1
        return self.inner.verify(password, hashed)

    def cost_of(self, hashed):
        return self.inner.cost_of(hashed)


@pytest.fixture
def counting(accounts_station):
    gate = accounts_station.services.login
    gate._hasher = hasher = CountingHasher(gate._hasher)
    return hasher


def login(services, name, password, origin=Origin.KIOSK, address=""):
    return services.login.login(origin, name, password, address)


def test_a_correct_password_gives_the_stored_role(accounts_station):
    principal = login(accounts_station.services, "otto", PASSWORDS["otto"])
    assert (principal.username, principal.role, principal.origin) == (
        "otto",
        Role.OPERATOR,
        "kiosk",
    )


@pytest.mark.parametrize(
    ("name", "password"),
    [
        ("otto", "wrong password!"),
        ("nobody", "whatever it is"),
        ("Otto", PASSWORDS["otto"]),
        ("ot\u202eto", PASSWORDS["otto"]),
        ("", ""),
        ("otto", "x" * 200),
    ],
)
def test_wrong_or_malformed_logins_say_only_wrong_username_or_password(
    accounts_station, name, password
):
    with pytest.raises(LoginFailed, match=r"^wrong username or password$"):
        login(accounts_station.services, name, password)


def test_a_disabled_account_cannot_log_in(accounts_station):
    services = accounts_station.services
    admin = login(services, "ada", PASSWORDS["ada"])
    services.users.set_disabled(admin, "otto", True)
    with pytest.raises(LoginFailed, match="disabled"):
        login(services, "otto", PASSWORDS["otto"])


def test_three_failures_a_minute_then_refused_before_bcrypt_with_the_wait(
    accounts_station, clock, counting
):
    services = accounts_station.services
    for _ in range(3):
        with pytest.raises(LoginFailed):
            login(services, "otto", "wrong password!")
        clock.set(clock.now() + 5)
    runs = counting.verifies
    with pytest.raises(TooManyAttempts) as refused:
        login(services, "otto", PASSWORDS["otto"])  # even the right password waits
    assert counting.verifies == runs, "bcrypt ran although the account was limited"
    assert refused.value.retry_after_s == 45  # the first failure leaves the minute in 45 s
    assert "45 seconds" in str(refused.value)
    clock.set(clock.now() + 45)
    assert login(services, "otto", PASSWORDS["otto"]).username == "otto"


def test_ten_failures_an_hour_lock_the_account_for_the_rest_of_the_hour(accounts_station, clock):
    services = accounts_station.services
    start = clock.now()
    for _ in range(10):
        with pytest.raises(LoginFailed):
            login(services, "vera", "wrong password!")
        clock.set(clock.now() + 61)  # never three within a minute
    with pytest.raises(TooManyAttempts) as refused:
        login(services, "vera", PASSWORDS["vera"])
    assert refused.value.retry_after_s == pytest.approx(start + 3600 - clock.now(), abs=1)


def test_remote_failures_never_lock_out_the_touchscreen(accounts_station):
    services = accounts_station.services
    for _ in range(3):
        with pytest.raises(LoginFailed):
            login(services, "ada", "guessing from afar", Origin.REMOTE, "203.0.113.9")
    with pytest.raises(TooManyAttempts):
        login(services, "ada", PASSWORDS["ada"], Origin.REMOTE, "203.0.113.9")
    assert login(services, "ada", PASSWORDS["ada"]).role is Role.ADMIN


def test_one_source_trying_many_accounts_is_limited_too(accounts_station):
    services = accounts_station.services
    names = [f"user{i}" for i in range(10)]
    for name in names:
        with pytest.raises(LoginFailed):
            login(services, name, "guessing from afar", Origin.REMOTE, "203.0.113.9")
    with pytest.raises(TooManyAttempts):
        login(services, "otto", PASSWORDS["otto"], Origin.REMOTE, "203.0.113.9")
    assert login(services, "otto", PASSWORDS["otto"], Origin.REMOTE, "198.51.100.4")


def test_a_success_clears_the_accounts_failures(accounts_station):
    services = accounts_station.services
    for _ in range(2):
        with pytest.raises(LoginFailed):
            login(services, "otto", "wrong password!")
    login(services, "otto", PASSWORDS["otto"])
    for _ in range(2):
        with pytest.raises(LoginFailed):
            login(services, "otto", "wrong password!")
    assert login(services, "otto", PASSWORDS["otto"])


def test_logins_and_failures_are_audited_and_logged_without_the_password(accounts_station):
    services = accounts_station.services
    events = []
    services.bus.subscribe(events.append)
    login(services, "otto", PASSWORDS["otto"])
    with pytest.raises(LoginFailed):
        login(services, "ot\u202eto", "hunter2 hunter2", Origin.REMOTE, "203.0.113.9")
    admin = login(services, "ada", PASSWORDS["ada"])
    entries = services.audit.recent(admin, 3)
    assert [(e.action, e.ok) for e in entries] == [
        ("login", True),
        ("login_failed", False),
        ("login", True),
    ]
    failed = entries[1]
    assert failed.origin == "remote" and failed.address == "203.0.113.9"
    assert "\u202e" not in failed.target and "\\u202e" in failed.target
    attempts = [e for e in events if isinstance(e, LoginAttempt)]
    assert [e.ok for e in attempts] == [True, False, True]
    assert all("hunter2" not in repr(e) for e in attempts + entries)


def test_a_hash_of_an_old_cost_is_upgraded_at_login(accounts_station):
    from tests.principals import ADMIN

    services = accounts_station.services
    gate = services.login
    before = gate._users.get("otto").password_hash
    services.config.update_station(ADMIN, {"security": {"bcrypt_cost": 13}})
    login(services, "otto", PASSWORDS["otto"])
    after = gate._users.get("otto").password_hash
    assert gate._hasher.cost_of(before) == 12 and gate._hasher.cost_of(after) == 13
    assert login(services, "otto", PASSWORDS["otto"]).username == "otto"


@pytest.mark.slow
def test_unknown_users_cost_the_same_time_as_wrong_passwords(tmp_path, clock, sim):
    """Real bcrypt at cost 10: an unknown name must not answer measurably faster."""
    from eyepi_gui.station import Station
    from tests.principals import ADMIN

    station = Station(tmp_path / "h", clock=clock, fallback=sim, log_to_console=False)
    services = station.open()
    try:
        services.config.update_station(ADMIN, {"security": {"bcrypt_cost": 10}})
        services.users.create_first_admin(Origin.KIOSK, "ada", PASSWORDS["ada"])
        timings = {"unknown": [], "wrong": []}
        for i in range(8):
            for kind, name in (("unknown", f"ghost{i}"), ("wrong", "ada")):
                clock.set(clock.now() + 3600)  # keep clear of the limits
                start = time.perf_counter()
                with pytest.raises(LoginFailed):
                    login(services, name, "not the password")
                timings[kind].append(time.perf_counter() - start)
        unknown, wrong = (statistics.median(timings[k]) for k in ("unknown", "wrong"))
        assert 0.7 < unknown / wrong < 1.4, timings
    finally:
        station.stop()
