"""API tokens: shown once and stored hashed, the user's role of the moment, dead with their
account, revoked by their owner or an admin, last use written at most once a minute."""

import sqlite3

import pytest

from eyepi_gui.domain.access import Origin, Role
from eyepi_gui.domain.tokens import PREFIX
from eyepi_gui.errors import Forbidden, InvalidInput, LoginFailed, NotFound
from tests.services.conftest import PASSWORDS

ADDRESS = "198.51.100.7"


@pytest.fixture
def services(accounts_station):
    return accounts_station.services


def login(services, name):
    return services.login.login(Origin.KIOSK, name, PASSWORDS[name])


@pytest.fixture
def admin(services):
    return login(services, "ada")


def every_value(db_path):
    """Every value of every row of every table, as text."""
    with sqlite3.connect(db_path) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return [str(v) for t in tables for row in conn.execute(f"SELECT * FROM {t}") for v in row]


def test_the_token_is_returned_once_and_only_its_digest_is_stored(services, accounts_station):
    info, secret = services.tokens.create(login(services, "vera"), "backup script")
    assert secret.startswith(f"{PREFIX}{info.token_id}_") and len(secret) > 40
    assert (info.username, info.name, info.last_used_at) == ("vera", "backup script", None)
    assert not hasattr(info, "digest")
    home = accounts_station.home
    values = every_value(home / "state.db")
    assert info.token_id in values, "the token row should be in the file"
    random_part = secret.removeprefix(f"{PREFIX}{info.token_id}_")
    assert not any(random_part in value for value in values)
    raw = b"".join(p.read_bytes() for p in home.glob("state.db*"))
    assert random_part.encode() not in raw and info.token_id.encode() in raw


def test_a_token_stands_for_its_user_with_the_current_role(services, admin):
    _, secret = services.tokens.create(login(services, "otto"), "focus script")
    assert services.tokens.authenticate(secret, ADDRESS).role is Role.OPERATOR
    services.users.set_role(admin, "otto", "viewer")
    principal = services.tokens.authenticate(secret, ADDRESS)
    assert (principal.username, principal.role, principal.origin, principal.address) == (
        "otto",
        Role.VIEWER,
        Origin.REMOTE,
        ADDRESS,
    )


@pytest.mark.parametrize(
    "garbage",
    ["", "garbage", "Bearer x", PREFIX + "0" * 12 + "_" + "A" * 43, PREFIX + "é" * 40],
)
def test_garbage_is_refused(services, garbage):
    services.tokens.create(login(services, "vera"), "real one")
    with pytest.raises(LoginFailed):
        services.tokens.authenticate(garbage, ADDRESS)


def test_a_changed_character_or_a_revoked_token_is_refused(services):
    vera = login(services, "vera")
    info, secret = services.tokens.create(vera, "script")
    flipped = secret[:-1] + ("A" if secret[-1] != "A" else "B")
    with pytest.raises(LoginFailed):
        services.tokens.authenticate(flipped, ADDRESS)
    services.tokens.revoke(vera, info.token_id)
    with pytest.raises(LoginFailed):
        services.tokens.authenticate(secret, ADDRESS)


def test_a_disabled_users_token_is_forbidden_until_enabled(services, admin):
    _, secret = services.tokens.create(login(services, "vera"), "script")
    services.users.set_disabled(admin, "vera", True)
    with pytest.raises(Forbidden, match="disabled"):
        services.tokens.authenticate(secret, ADDRESS)
    services.users.set_disabled(admin, "vera", False)
    assert services.tokens.authenticate(secret, ADDRESS).username == "vera"


def test_a_removed_users_token_fails_even_after_the_name_is_made_again(services, admin, clock):
    _, secret = services.tokens.create(login(services, "spare"), "script")
    services.users.remove_user(admin, "spare")
    with pytest.raises(LoginFailed):
        services.tokens.authenticate(secret, ADDRESS)
    clock.set(clock.now() + 1)
    services.users.add_user(admin, "spare", PASSWORDS["spare"], "admin")
    with pytest.raises(LoginFailed):
        services.tokens.authenticate(secret, ADDRESS)
    _, fresh = services.tokens.create(login(services, "spare"), "new script")
    assert services.tokens.authenticate(fresh, ADDRESS).role is Role.ADMIN


def test_a_viewer_revokes_only_own_tokens(services):
    vera, spare = login(services, "vera"), login(services, "spare")
    mine, _ = services.tokens.create(vera, "mine")
    _, theirs_secret = services.tokens.create(spare, "theirs")
    theirs = services.tokens.visible(spare)[0]
    with pytest.raises(NotFound):
        services.tokens.revoke(vera, theirs.token_id)
    assert services.tokens.authenticate(theirs_secret, ADDRESS).username == "spare"
    with pytest.raises(NotFound):
        services.tokens.revoke(vera, "no-such-id")
    services.tokens.revoke(vera, mine.token_id)
    assert services.tokens.visible(vera) == []


def test_an_admin_sees_and_revokes_everyones_tokens(services, admin):
    vera, otto = login(services, "vera"), login(services, "otto")
    services.tokens.create(vera, "vera's")
    otto_token, otto_secret = services.tokens.create(otto, "otto's")
    services.tokens.create(admin, "ada's")
    assert {t.username for t in services.tokens.visible(admin)} == {"vera", "otto", "ada"}
    assert [t.name for t in services.tokens.visible(vera)] == ["vera's"]
    assert [t.name for t in services.tokens.visible(otto)] == ["otto's"]
    services.tokens.revoke(admin, otto_token.token_id)
    assert services.tokens.visible(otto) == []
    with pytest.raises(LoginFailed):
        services.tokens.authenticate(otto_secret, ADDRESS)


@pytest.mark.parametrize("name", ["", "   ", "x" * 41, "two\nlines", " leading", "tab\there"])
def test_bad_names_are_refused_naming_the_field_and_nothing_is_made(services, name):
    vera = login(services, "vera")
    with pytest.raises(InvalidInput) as refused:
        services.tokens.create(vera, name)
    assert refused.value.field == "name"
    assert services.tokens.visible(vera) == []


def test_forty_characters_is_a_good_name(services):
    info, _ = services.tokens.create(login(services, "vera"), "x" * 40)
    assert info.name == "x" * 40


def test_last_use_is_written_at_most_once_a_minute(services, clock):
    vera = login(services, "vera")
    _, secret = services.tokens.create(vera, "poller")
    start = clock.now()

    def used_at(after_s):
        clock.set(start + after_s)
        services.tokens.authenticate(secret, ADDRESS)
        return services.tokens.visible(vera)[0].last_used_at

    assert used_at(0) == start
    assert used_at(30) == start
    assert used_at(59.9) == start
    assert used_at(60) == start + 60
    assert used_at(100) == start + 60
    assert used_at(125) == start + 125


def test_making_and_revoking_are_audited(services, admin):
    info, _ = services.tokens.create(login(services, "vera"), "audited script")
    services.tokens.revoke(admin, info.token_id)
    made = services.audit.recent(admin, 5, action="token_create")
    revoked = services.audit.recent(admin, 5, action="token_revoke")
    assert [(e.username, e.target) for e in made] == [("vera", "vera")]
    assert info.token_id in made[0].detail and "audited script" in made[0].detail
    assert [(e.username, e.target, e.detail) for e in revoked] == [("ada", "vera", info.token_id)]


def test_a_remade_account_does_not_inherit_tokens_even_if_the_clock_stepped_back(
    services, admin, clock
):
    _, secret = services.tokens.create(login(services, "spare"), "script")
    services.users.remove_user(admin, "spare")
    clock.set(clock.now() - 3600)  # a Pi without a clock, before its time sync
    services.users.add_user(admin, "spare", PASSWORDS["spare"], "viewer")
    with pytest.raises(LoginFailed):
        services.tokens.authenticate(secret, ADDRESS)
