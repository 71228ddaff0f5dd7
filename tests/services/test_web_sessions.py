"""Browser sessions: fresh random ids, login limits, idle and age expiry, ended by account
changes (also from the CLI in another process), re-authentication window, renew, bounded."""

import pytest

from eyepi_gui.domain.access import Origin, Role
from eyepi_gui.errors import LoginFailed, TooManyAttempts
from eyepi_gui.services import web_sessions
from eyepi_gui.station import open_accounts
from tests.fakes import FakeHasher
from tests.principals import ADMIN
from tests.services.conftest import PASSWORDS

ADDRESS = "203.0.113.5"
NEW_PASSWORD = "a brand new long secret"


@pytest.fixture
def services(accounts_station):
    return accounts_station.services


@pytest.fixture
def sessions(services):
    return services.web_sessions


@pytest.fixture
def admin(services):
    return services.login.login(Origin.KIOSK, "ada", PASSWORDS["ada"])


def log_in(sessions, name="vera"):
    return sessions.log_in(name, PASSWORDS[name], ADDRESS)


def set_remote(services, **remote):
    services.config.update_station(ADMIN, {"remote": remote})


def test_every_login_gets_a_fresh_random_id_and_csrf_token(sessions):
    (first, one), (second, two) = log_in(sessions), log_in(sessions)
    assert first != second and one.csrf != two.csrf
    assert len(first) >= 40 and len(one.csrf) >= 40
    principal, _ = sessions.resume(first, ADDRESS)
    assert (principal.username, principal.role, principal.origin, principal.address) == (
        "vera",
        Role.VIEWER,
        Origin.REMOTE,
        ADDRESS,
    )
    assert sessions.resume(second, ADDRESS) is not None
    assert sessions.resume("made-up-id", ADDRESS) is None


def test_wrong_passwords_are_limited_remotely_without_locking_the_kiosk(services, sessions):
    for _ in range(3):
        with pytest.raises(LoginFailed):
            sessions.log_in("otto", "not the password", ADDRESS)
    with pytest.raises(TooManyAttempts):
        sessions.log_in("otto", PASSWORDS["otto"], ADDRESS)
    assert services.login.login(Origin.KIOSK, "otto", PASSWORDS["otto"]).username == "otto"


def test_resume_restarts_the_idle_time_and_an_idle_session_ends(services, sessions, clock):
    set_remote(services, session_idle_s=60)
    session_id, _ = log_in(sessions)
    start = clock.now()
    for later in (50, 100, 150):  # each resume within 60 s of the one before
        clock.set(start + later)
        _, session = sessions.resume(session_id, ADDRESS)
        assert session.seen == start + later
    clock.set(start + 150 + 60)
    assert sessions.resume(session_id, ADDRESS) is None
    clock.set(start + 150)  # gone for good, not merely out of time
    assert sessions.resume(session_id, ADDRESS) is None


def test_a_session_ends_at_its_maximum_age_however_active(services, sessions, clock):
    set_remote(services, session_idle_s=86400)
    session_id, _ = log_in(sessions)
    start = clock.now()
    clock.set(start + web_sessions.MAX_AGE_S - 1)
    assert sessions.resume(session_id, ADDRESS) is not None
    clock.set(start + web_sessions.MAX_AGE_S)
    assert sessions.resume(session_id, ADDRESS) is None


def from_the_cli(accounts_station, change):
    tools = open_accounts(accounts_station.home, hasher=FakeHasher())
    try:
        change(tools.users)
    finally:
        tools.close()


ENDINGS = {
    "own password change": lambda st, admin, vera: st.services.users.change_password(
        vera, PASSWORDS["vera"], NEW_PASSWORD
    ),
    "admin reset": lambda st, admin, vera: st.services.users.reset_password(
        admin, "vera", NEW_PASSWORD
    ),
    "disabled": lambda st, admin, vera: st.services.users.set_disabled(admin, "vera", True),
    "removed": lambda st, admin, vera: st.services.users.remove_user(admin, "vera"),
    "cli reset": lambda st, admin, vera: from_the_cli(
        st, lambda users: users.reset_password(ADMIN, "vera", NEW_PASSWORD)
    ),
    "cli removed": lambda st, admin, vera: from_the_cli(
        st, lambda users: users.remove_user(ADMIN, "vera")
    ),
}


@pytest.mark.parametrize("change", ENDINGS.values(), ids=ENDINGS.keys())
def test_account_changes_end_the_session_on_its_next_resume(
    accounts_station, sessions, admin, change
):
    session_id, _ = log_in(sessions)
    other_id, _ = log_in(sessions, "spare")
    vera, _ = sessions.resume(session_id, ADDRESS)
    change(accounts_station, admin, vera)
    assert sessions.resume(session_id, ADDRESS) is None
    assert sessions.resume(other_id, ADDRESS) is not None, "another user's session ended"


def test_a_removed_and_remade_account_does_not_inherit_the_session(services, sessions, admin):
    session_id, _ = log_in(sessions, "spare")
    services.users.remove_user(admin, "spare")
    services.users.add_user(admin, "spare", PASSWORDS["spare"], "viewer")
    assert sessions.resume(session_id, ADDRESS) is None


def test_a_role_change_keeps_the_session_and_resume_tells_the_new_role(
    accounts_station, sessions, admin
):
    session_id, _ = log_in(sessions, "otto")
    accounts_station.services.users.set_role(admin, "otto", "viewer")
    principal, _ = sessions.resume(session_id, ADDRESS)
    assert principal.role is Role.VIEWER
    from_the_cli(accounts_station, lambda users: users.set_role(ADMIN, "otto", "admin"))
    principal, _ = sessions.resume(session_id, ADDRESS)
    assert principal.role is Role.ADMIN


def test_confirming_the_password_opens_the_reauth_window_again(services, sessions, clock):
    set_remote(services, reauth_s=30)
    session_id, session = log_in(sessions)
    start = clock.now()
    assert session.confirmed == start and sessions.recently_confirmed(session)
    clock.set(start + 29)
    assert sessions.recently_confirmed(session)
    clock.set(start + 30)
    assert not sessions.recently_confirmed(session)
    principal, _ = sessions.resume(session_id, ADDRESS)
    with pytest.raises(LoginFailed):
        sessions.confirm(session_id, principal, "not the password")
    _, unchanged = sessions.resume(session_id, ADDRESS)
    assert unchanged.confirmed == start
    confirmed = sessions.confirm(session_id, principal, PASSWORDS["vera"])
    assert confirmed.confirmed == start + 30 and sessions.recently_confirmed(confirmed)
    _, resumed = sessions.resume(session_id, ADDRESS)
    assert resumed.confirmed == start + 30


def test_renew_ends_the_users_other_sessions_and_gives_a_new_id(sessions):
    this_id, this = log_in(sessions)
    other_id, _ = log_in(sessions)
    spare_id, _ = log_in(sessions, "spare")
    new_id, new = sessions.renew(this_id)
    assert new_id not in (this_id, other_id) and new.csrf != this.csrf
    assert sessions.resume(this_id, ADDRESS) is None
    assert sessions.resume(other_id, ADDRESS) is None
    assert sessions.resume(new_id, ADDRESS)[0].username == "vera"
    assert sessions.resume(spare_id, ADDRESS) is not None
    assert sessions.renew(this_id) is None


def test_renew_after_changing_your_password_keeps_you_logged_in(services, sessions):
    session_id, _ = log_in(sessions)
    vera, _ = sessions.resume(session_id, ADDRESS)
    services.users.change_password(vera, PASSWORDS["vera"], NEW_PASSWORD)
    new_id, _ = sessions.renew(session_id)
    assert sessions.resume(new_id, ADDRESS) is not None


def test_log_out_ends_only_that_session(sessions):
    session_id, _ = log_in(sessions)
    other_id, _ = log_in(sessions)
    sessions.log_out(session_id)
    sessions.log_out(session_id)  # twice is harmless
    assert sessions.resume(session_id, ADDRESS) is None
    assert sessions.resume(other_id, ADDRESS) is not None


def test_the_store_is_bounded_and_the_least_recently_used_end_first(sessions, monkeypatch):
    monkeypatch.setattr(web_sessions, "MAX_SESSIONS", 3)
    oldest, _ = log_in(sessions)
    second, _ = log_in(sessions, "spare")
    third, _ = log_in(sessions, "otto")
    assert sessions.resume(oldest, ADDRESS) is not None  # now the most recently used
    newest, _ = log_in(sessions)
    assert sessions.resume(second, ADDRESS) is None
    for kept in (oldest, third, newest):
        assert sessions.resume(kept, ADDRESS) is not None
    later = [log_in(sessions)[0] for _ in range(10)]
    alive = [i for i in (oldest, third, newest, *later) if sessions.resume(i, ADDRESS)]
    assert alive == later[-3:]
