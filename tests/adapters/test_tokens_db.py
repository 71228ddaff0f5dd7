"""API tokens in state.db: add, find by digest, list, remove, touch, the per-user limit."""

import pytest

from eyepi_gui.adapters.db import StateDB
from eyepi_gui.adapters.tokens_db import TokensDB
from eyepi_gui.domain.tokens import ApiToken
from eyepi_gui.errors import InvalidInput, NotFound


def token(token_id, username="vera", created_at=100.0):
    return ApiToken(token_id, username, f"script {token_id}", f"digest-{token_id}", created_at)


@pytest.fixture
def tokens(tmp_path):
    db = StateDB(tmp_path / "state.db")
    yield TokensDB(db)
    db.close()


def test_add_then_find_by_digest_and_unknown_digest_is_none(tokens):
    tokens.add(token("a1"), limit=20)
    assert tokens.by_digest("digest-a1") == token("a1")
    assert tokens.by_digest("digest-zz") is None


def test_of_user_lists_one_user_oldest_first_and_none_lists_everyone(tokens):
    tokens.add(token("b2", created_at=300.0), limit=20)
    tokens.add(token("a1", created_at=200.0), limit=20)
    tokens.add(token("c3", username="otto", created_at=100.0), limit=20)
    assert [t.token_id for t in tokens.of_user("vera")] == ["a1", "b2"]
    assert [t.token_id for t in tokens.of_user("otto")] == ["c3"]
    assert [t.token_id for t in tokens.of_user(None)] == ["c3", "a1", "b2"]
    assert tokens.of_user("nobody") == []


def test_remove_returns_the_token_and_it_is_gone(tokens):
    tokens.add(token("a1"), limit=20)
    tokens.add(token("b2"), limit=20)
    assert tokens.remove("a1") == token("a1")
    assert tokens.by_digest("digest-a1") is None
    assert [t.token_id for t in tokens.of_user(None)] == ["b2"]


def test_removing_an_unknown_token_is_not_found_and_removes_nothing(tokens):
    tokens.add(token("a1"), limit=20)
    with pytest.raises(NotFound, match="zz"):
        tokens.remove("zz")
    assert len(tokens.of_user(None)) == 1


def test_touch_records_last_use(tokens):
    tokens.add(token("a1"), limit=20)
    assert tokens.by_digest("digest-a1").last_used_at is None
    tokens.touch("a1", 150.5)
    assert tokens.by_digest("digest-a1").last_used_at == 150.5


def test_add_stores_no_last_use_even_if_the_token_has_one(tokens):
    used = ApiToken("a1", "vera", "x", "digest-a1", 100.0, last_used_at=99.0)
    tokens.add(used, limit=20)
    assert tokens.by_digest("digest-a1").last_used_at is None


def test_the_per_user_limit_refuses_naming_the_field_and_stores_nothing(tokens):
    for n in range(3):
        tokens.add(token(f"t{n}"), limit=3)
    with pytest.raises(InvalidInput) as refused:
        tokens.add(token("t3"), limit=3)
    assert refused.value.field == "name" and "at most 3" in refused.value.reason
    assert tokens.by_digest("digest-t3") is None
    assert len(tokens.of_user("vera")) == 3
    tokens.add(token("o1", username="otto"), limit=3)  # the limit is per user
    assert len(tokens.of_user("otto")) == 1


def test_a_second_connection_on_the_same_file_sees_every_change(tmp_path, tokens):
    other_db = StateDB(tmp_path / "state.db")
    other = TokensDB(other_db)
    try:
        tokens.add(token("a1"), limit=20)
        assert other.by_digest("digest-a1") == token("a1")
        other.touch("a1", 120.0)
        assert tokens.by_digest("digest-a1").last_used_at == 120.0
        other.remove("a1")
        assert tokens.of_user(None) == []
    finally:
        other_db.close()


def test_the_limit_counts_tokens_added_through_another_connection(tmp_path, tokens):
    other_db = StateDB(tmp_path / "state.db")
    try:
        TokensDB(other_db).add(token("a1"), limit=1)
        with pytest.raises(InvalidInput):
            tokens.add(token("b2"), limit=1)
    finally:
        other_db.close()
