"""Contract tests every PasswordHasher passes: bcrypt, and the fast fake the service tests use."""

import pytest

from eyepi_gui.adapters.passwords import BcryptHasher
from eyepi_gui.errors import InvalidInput
from tests.fakes import FakeHasher

COST = 10  # realistic for bcrypt, still about 0.1 s a hash

HASHERS = [
    pytest.param(BcryptHasher, id="bcrypt"),
    pytest.param(FakeHasher, id="fake"),
]
MALFORMED = [
    "",
    "not a hash",
    "$2b$10$short",
    "$2b$99$" + "a" * 53,
    "fake$10$salt",
    "$$$",
    "\udc80",
    "ünïcödé$2b$10$" + "é" * 53,
]


@pytest.fixture(params=HASHERS)
def hasher(request):
    return request.param()


@pytest.fixture
def hashed(hasher):
    return hasher.hash("correct horse battery", COST)


def test_round_trip(hasher, hashed):
    assert isinstance(hashed, str)
    assert "correct horse battery" not in hashed
    assert hasher.verify("correct horse battery", hashed)


def test_wrong_password_does_not_verify(hasher, hashed):
    assert not hasher.verify("correct horse batterY", hashed)
    assert not hasher.verify("", hashed)


def test_each_hash_has_its_own_salt(hasher, hashed):
    again = hasher.hash("correct horse battery", COST)
    assert again != hashed
    assert hasher.verify("correct horse battery", again)


@pytest.mark.parametrize("bad", MALFORMED)
def test_malformed_hash_is_false_not_an_error(hasher, bad):
    assert hasher.verify("correct horse battery", bad) is False
    assert hasher.cost_of(bad) == 0


def test_cost_is_read_back(hasher, hashed):
    assert hasher.cost_of(hashed) == COST


def test_73_byte_password_is_false_not_an_error(hasher):
    exact = "é" * 36  # 72 bytes: the most bcrypt takes
    stored = hasher.hash(exact, COST)
    assert hasher.verify(exact, stored)
    assert hasher.verify(exact + "x", stored) is False
    assert hasher.verify("x" * 73, stored) is False


def test_nul_byte_is_false_not_an_error(hasher, hashed):
    assert hasher.verify("correct horse battery\0", hashed) is False
    assert hasher.verify("\0", hashed) is False


def test_lone_surrogate_is_false_not_an_error(hasher, hashed):
    assert hasher.verify("correct horse battery\udc80", hashed) is False


@pytest.mark.parametrize("bad", ["x" * 73, "with\0nul", "\udc80 surrogate"])
def test_unhashable_password_is_invalid_input(hasher, bad):
    with pytest.raises(InvalidInput) as caught:
        hasher.hash(bad, COST)
    assert caught.value.field == "password"
