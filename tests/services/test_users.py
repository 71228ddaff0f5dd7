"""Managing accounts: the first admin, bad names and passwords, the last admin, own password."""

import pytest

from eyepi_gui.domain.access import Origin, Role
from eyepi_gui.domain.events import UserChanged
from eyepi_gui.errors import Forbidden, InvalidInput, LoginFailed, NotFound
from tests.services.conftest import PASSWORDS

GOOD = "a long enough secret"


@pytest.fixture
def services(accounts_station):
    return accounts_station.services


@pytest.fixture
def admin(services):
    return services.login.login(Origin.KIOSK, "ada", PASSWORDS["ada"])


def names(services, admin):
    return [(u.username, u.role, u.disabled) for u in services.users.users(admin)]


@pytest.mark.parametrize(
    ("username", "says"),
    [
        ("bob\u202e", "U+202E"),  # right-to-left override
        ("b\u200bob", "U+200B"),  # zero-width space
        ("Bob", "uppercase letter 'B'"),
        ("bob smith", "spaces"),
        ("bøb", "'ø'"),
        ("", "enter a username"),
        ("b" * 33, "at most 32"),
        ("...", "letter or a digit"),
        ("bob\n", "U+000A"),
    ],
)
def test_bad_usernames_are_refused_naming_the_problem_and_nothing_is_added(
    services, admin, username, says
):
    before = names(services, admin)
    with pytest.raises(InvalidInput) as refused:
        services.users.add_user(admin, username, GOOD, "viewer")
    assert refused.value.field == "username" and says in refused.value.reason
    assert names(services, admin) == before


@pytest.mark.parametrize(
    ("password", "says"),
    [
        ("nine char", "at least 10 characters (this one has 9)"),
        ("a" * 73, "at most 72 bytes (this one has 73"),
        ("é" * 37, "at most 72 bytes (this one has 74"),
        ("1234567890", "most common passwords"),
        ("Password123", "most common passwords"),
        ("bob-the-builder", "must not contain the username"),
        ("ten chars\x00!", "control characters"),
    ],
)
def test_bad_passwords_are_refused_and_nothing_is_added(services, admin, password, says):
    before = names(services, admin)
    with pytest.raises(InvalidInput) as refused:
        services.users.add_user(admin, "bob", password, "viewer")
    assert refused.value.field == "password" and says in refused.value.reason
    assert names(services, admin) == before


def test_exactly_72_bytes_is_accepted_and_works_for_login(services, admin):
    password = "é" * 36  # 72 bytes in UTF-8, 36 characters
    services.users.add_user(admin, "bob", password, "viewer")
    assert services.login.login(Origin.KIOSK, "bob", password).username == "bob"


def test_the_same_text_in_another_unicode_form_logs_in(services, admin):
    composed, decomposed = "caf\u00e9 au lait!", "cafe\u0301 au lait!"
    services.users.add_user(admin, "bob", composed, "viewer")
    assert services.login.login(Origin.KIOSK, "bob", decomposed).username == "bob"


def test_bad_role_and_duplicate_name_are_refused(services, admin):
    with pytest.raises(InvalidInput) as refused:
        services.users.add_user(admin, "bob", GOOD, "root")
    assert refused.value.field == "role" and "viewer, operator, admin" in refused.value.reason
    with pytest.raises(InvalidInput) as refused:
        services.users.add_user(admin, "otto", GOOD, "viewer")
    assert refused.value.field == "username"


def test_the_last_admin_cannot_be_removed_demoted_or_disabled(services, admin):
    before = names(services, admin)
    for change in (
        lambda: services.users.remove_user(admin, "ada"),
        lambda: services.users.set_role(admin, "ada", "operator"),
        lambda: services.users.set_disabled(admin, "ada", True),
    ):
        with pytest.raises(InvalidInput, match="last admin"):
            change()
    assert names(services, admin) == before


def test_with_a_second_admin_the_first_may_step_down(services, admin):
    services.users.set_role(admin, "otto", "admin")
    services.users.set_role(admin, "ada", "viewer")
    otto = services.login.login(Origin.KIOSK, "otto", PASSWORDS["otto"])
    assert ("ada", Role.VIEWER, False) in names(services, otto)


def test_unknown_users_are_not_found(services, admin):
    with pytest.raises(NotFound):
        services.users.remove_user(admin, "ghost")
    with pytest.raises(NotFound):
        services.users.reset_password(admin, "ghost", GOOD)


def test_first_admin_only_while_no_account_exists(services):
    with pytest.raises(Forbidden):
        services.users.create_first_admin(Origin.KIOSK, "eve", GOOD)
    assert not services.users.needs_first_admin()


def test_changing_your_own_password_needs_the_current_one(services):
    otto = services.login.login(Origin.KIOSK, "otto", PASSWORDS["otto"])
    with pytest.raises(LoginFailed):
        services.users.change_password(otto, "not my password", GOOD)
    services.users.change_password(otto, PASSWORDS["otto"], GOOD)
    with pytest.raises(LoginFailed):
        services.login.login(Origin.KIOSK, "otto", PASSWORDS["otto"])
    assert services.login.login(Origin.KIOSK, "otto", GOOD).username == "otto"


def test_a_bad_new_password_is_refused_before_the_current_one_is_checked(services):
    otto = services.login.login(Origin.KIOSK, "otto", PASSWORDS["otto"])
    with pytest.raises(InvalidInput, match="password"):
        services.users.change_password(otto, "not my password", "short")


def test_an_admin_resets_a_password_and_every_change_is_audited_and_published(services, admin):
    events = []
    services.bus.subscribe(events.append)
    services.users.add_user(admin, "bob", GOOD, "operator")
    services.users.reset_password(admin, "bob", "another long secret")
    services.users.set_role(admin, "bob", "viewer")
    services.users.set_disabled(admin, "bob", True)
    services.users.remove_user(admin, "bob")
    audit = services.audit.recent(admin, 5, username="ada")
    assert [e.action for e in reversed(audit)] == [
        "user_add",
        "password_reset",
        "user_role",
        "user_disable",
        "user_remove",
    ]
    assert all(e.target == "bob" and e.origin == "kiosk" for e in audit)
    changes = [e.change for e in events if isinstance(e, UserChanged)]
    assert changes == [
        "added as operator",
        "password reset",
        "role set to viewer",
        "disabled",
        "removed",
    ]
    assert all(GOOD not in repr(e) for e in events + audit)


def test_users_never_shows_password_hashes(services, admin):
    for info in services.users.users(admin):
        assert not any("hash" in field for field in vars(info))
