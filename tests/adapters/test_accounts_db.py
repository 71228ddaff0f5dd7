"""User accounts and the audit trail in a real state.db, from one and from several connections."""

import multiprocessing
import threading
from pathlib import Path

import pytest

from eyepi_gui.adapters.accounts_db import RECENT_MAX, AccountsDB
from eyepi_gui.adapters.db import StateDB
from eyepi_gui.domain.access import Origin, Role
from eyepi_gui.domain.accounts import AuditEntry, UserAccount
from eyepi_gui.errors import Forbidden, InvalidInput, NotFound, StorageError

RACERS = 4


def user(name, role=Role.VIEWER, disabled=False, t=100.0):
    return UserAccount(name, role, f"hash-of-{name}", t, t, disabled)


def entry(at, username="alice", action="login", ok=True):
    return AuditEntry(at, username, "admin", Origin.KIOSK, "", action, "", f"at {at}", ok)


@pytest.fixture
def path(tmp_path):
    return tmp_path / "state.db"


@pytest.fixture
def accounts(path):
    db = StateDB(path)
    yield AccountsDB(db)
    db.close()


@pytest.fixture
def one_admin(accounts):
    accounts.create(user("root", Role.ADMIN))
    accounts.create(user("olga", Role.OPERATOR))
    return accounts


def test_create_get_all_count(accounts):
    assert accounts.count() == 0
    assert accounts.get("alice") is None
    accounts.create(user("zoe", Role.OPERATOR))
    accounts.create(user("alice", Role.ADMIN, t=50.0))
    assert accounts.count() == 2
    assert accounts.get("alice") == user("alice", Role.ADMIN, t=50.0)
    assert [account.username for account in accounts.all()] == ["alice", "zoe"]


def test_duplicate_username_is_refused(accounts):
    accounts.create(user("alice"))
    with pytest.raises(InvalidInput) as caught:
        accounts.create(user("alice", Role.ADMIN))
    assert caught.value.field == "username"
    assert "already exists" in caught.value.reason
    assert accounts.get("alice").role is Role.VIEWER


def test_update_changes_only_given_fields(one_admin):
    changed = one_admin.update("olga", 200.0, role=Role.VIEWER)
    assert changed == UserAccount("olga", Role.VIEWER, "hash-of-olga", 100.0, 200.0)
    assert one_admin.get("olga") == changed
    one_admin.update("olga", 300.0, password_hash="new-hash", disabled=True)
    stored = one_admin.get("olga")
    assert (stored.role, stored.password_hash, stored.disabled) == (
        Role.VIEWER,
        "new-hash",
        True,
    )
    assert stored.changed_at == 300.0
    assert one_admin.update("olga", 400.0, disabled=False).disabled is False


def test_remove(one_admin):
    one_admin.remove("olga")
    assert one_admin.get("olga") is None
    assert one_admin.count() == 1


def test_unknown_user_is_not_found(one_admin):
    with pytest.raises(NotFound):
        one_admin.update("ghost", 200.0, role=Role.ADMIN)
    with pytest.raises(NotFound):
        one_admin.remove("ghost")
    assert one_admin.count() == 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda store: store.remove("root"), "username"),
        (lambda store: store.update("root", 200.0, role=Role.OPERATOR), "role"),
        (lambda store: store.update("root", 200.0, disabled=True), "role"),
        (lambda store: store.update("root", 200.0, role=Role.VIEWER, password_hash="x"), "role"),
    ],
    ids=["remove", "demote", "disable", "demote-and-rehash"],
)
def test_last_enabled_admin_stays_and_nothing_changes(one_admin, change, field):
    before = one_admin.all()
    with pytest.raises(InvalidInput) as caught:
        change(one_admin)
    assert caught.value.field == field
    assert "last admin" in caught.value.reason
    assert one_admin.all() == before


def test_last_admin_may_still_change_password(one_admin):
    assert one_admin.update("root", 200.0, password_hash="new").password_hash == "new"


def test_with_two_admins_one_may_be_demoted_then_not_the_other(one_admin):
    one_admin.update("olga", 150.0, role=Role.ADMIN)
    assert one_admin.update("root", 200.0, role=Role.OPERATOR).role is Role.OPERATOR
    with pytest.raises(InvalidInput):
        one_admin.update("olga", 250.0, role=Role.OPERATOR)
    assert one_admin.get("olga").role is Role.ADMIN


def test_a_disabled_admin_does_not_count(one_admin):
    one_admin.create(user("dora", Role.ADMIN, disabled=True))
    with pytest.raises(InvalidInput):
        one_admin.remove("root")
    one_admin.update("dora", 200.0, disabled=False)
    one_admin.remove("root")
    assert [a.username for a in one_admin.all() if a.role is Role.ADMIN] == ["dora"]


def test_without_any_admin_yet_changes_are_free(accounts):
    accounts.create(user("vera"))
    accounts.update("vera", 200.0, disabled=True)
    accounts.remove("vera")
    assert accounts.count() == 0


def test_only_if_empty_refuses_once_a_user_exists(accounts):
    accounts.create(user("first", Role.ADMIN), only_if_empty=True)
    with pytest.raises(Forbidden):
        accounts.create(user("second", Role.ADMIN), only_if_empty=True)
    assert [account.username for account in accounts.all()] == ["first"]


def _race(target, count=RACERS):
    """Run ``target(i)`` in ``count`` threads released together; returns their outcomes."""
    barrier = threading.Barrier(count)
    outcomes = [None] * count

    def run(i):
        barrier.wait()
        try:
            target(i)
            outcomes[i] = "ok"
        except (Forbidden, InvalidInput) as err:
            outcomes[i] = type(err).__name__

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_first_admin_race_on_one_connection(accounts):
    outcomes = _race(lambda i: accounts.create(user(f"a{i}", Role.ADMIN), only_if_empty=True))
    assert sorted(outcomes) == ["Forbidden"] * (RACERS - 1) + ["ok"]
    assert accounts.count() == 1


def test_first_admin_race_across_connections(path):
    stores = [AccountsDB(StateDB(path)) for _ in range(RACERS)]
    outcomes = _race(lambda i: stores[i].create(user(f"a{i}", Role.ADMIN), only_if_empty=True))
    assert sorted(outcomes) == ["Forbidden"] * (RACERS - 1) + ["ok"]
    assert stores[0].count() == 1


def test_demoting_two_admins_at_once_leaves_one(path):
    AccountsDB(StateDB(path)).create(user("a0", Role.ADMIN))
    AccountsDB(StateDB(path)).create(user("a1", Role.ADMIN))
    stores = [AccountsDB(StateDB(path)) for _ in range(2)]
    outcomes = _race(lambda i: stores[i].update(f"a{i}", 200.0, role=Role.VIEWER), count=2)
    assert sorted(outcomes) == ["InvalidInput", "ok"]
    assert [a.role for a in stores[0].all()].count(Role.ADMIN) == 1


def _create_first_admin(path, name, barrier, results):
    accounts = AccountsDB(StateDB(Path(path)))
    barrier.wait()
    try:
        accounts.create(user(name, Role.ADMIN), only_if_empty=True)
        results.put("ok")
    except Forbidden:
        results.put("Forbidden")


def test_first_admin_race_across_processes(path):
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(RACERS)
    results = context.Queue()
    processes = [
        context.Process(target=_create_first_admin, args=(str(path), f"p{i}", barrier, results))
        for i in range(RACERS)
    ]
    for process in processes:
        process.start()
    outcomes = sorted(results.get(timeout=60) for _ in processes)
    for process in processes:
        process.join(timeout=30)
    assert outcomes == ["Forbidden"] * (RACERS - 1) + ["ok"]
    assert AccountsDB(StateDB(path)).count() == 1


def test_a_second_connection_sees_the_changes(path, one_admin):
    other = AccountsDB(StateDB(path))
    assert [a.username for a in other.all()] == ["olga", "root"]
    other.update("olga", 200.0, role=Role.ADMIN)
    other.record(entry(1.0))
    assert one_admin.get("olga").role is Role.ADMIN
    assert one_admin.recent() == [entry(1.0)]


def test_audit_recent_is_newest_first(accounts):
    for at in (3.0, 1.0, 2.0):
        accounts.record(entry(at))
    accounts.record(entry(2.0, action="logout"))  # same time: the later record first
    assert [(e.at, e.action) for e in accounts.recent()] == [
        (3.0, "login"),
        (2.0, "logout"),
        (2.0, "login"),
        (1.0, "login"),
    ]


def test_audit_round_trips_every_field(accounts):
    failed = AuditEntry(5.0, "", "", Origin.REMOTE, "10.0.0.9", "login", "bob", "bad", ok=False)
    accounts.record(failed)
    assert accounts.recent() == [failed]


def test_audit_filters_by_user_and_action(accounts):
    accounts.record(entry(1.0, "alice", "login"))
    accounts.record(entry(2.0, "bob", "login"))
    accounts.record(entry(3.0, "alice", "user_add"))
    assert [e.at for e in accounts.recent(username="alice")] == [3.0, 1.0]
    assert [e.at for e in accounts.recent(action="login")] == [2.0, 1.0]
    assert [e.at for e in accounts.recent(username="alice", action="login")] == [1.0]
    assert accounts.recent(username="nobody") == []


def test_audit_limit_is_clamped(accounts):
    for at in range(RECENT_MAX + 5):
        accounts.record(entry(float(at)))
    assert [e.at for e in accounts.recent(2)] == [RECENT_MAX + 4.0, RECENT_MAX + 3.0]
    assert len(accounts.recent(0)) == 1
    assert len(accounts.recent(-5)) == 1
    assert len(accounts.recent(10**9)) == RECENT_MAX


def test_sql_text_in_values_is_data(accounts):
    sneaky = "x'; DROP TABLE users; --"
    accounts.create(user(sneaky))
    accounts.record(entry(1.0, username=sneaky))
    assert accounts.get(sneaky).username == sneaky
    assert accounts.recent(username=sneaky)[0].username == sneaky


def test_sqlite_errors_become_storage_errors(path):
    db = StateDB(path)
    accounts = AccountsDB(db)
    db.close()
    with pytest.raises(StorageError):
        accounts.count()
    with pytest.raises(StorageError):
        accounts.create(user("alice"))


def test_tables_survive_reopening(path, one_admin):
    one_admin.record(entry(1.0))
    reopened = AccountsDB(StateDB(path))
    assert reopened.count() == 2
    assert reopened.recent() == [entry(1.0)]


def _open_at_once(path, barrier, results):
    barrier.wait()
    try:
        AccountsDB(StateDB(Path(path))).count()
        results.put("ok")
    except Exception as err:  # the parent names what went wrong
        results.put(f"{type(err).__name__}: {err}")


def test_processes_opening_one_new_file_at_the_same_moment_all_open(path):
    """Each switches the new file to WAL and applies the migrations at once: none is told
    "locked" (SQLite's deadlock answer on the WAL switch is waited out)."""
    context = multiprocessing.get_context("spawn")
    count = 6
    barrier = context.Barrier(count)
    results = context.Queue()
    processes = [
        context.Process(target=_open_at_once, args=(str(path), barrier, results))
        for _ in range(count)
    ]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=60) for _ in processes]
    for process in processes:
        process.join(timeout=30)
    assert outcomes == ["ok"] * count
