"""bcrypt specifics (the contract tests cover the rest), and the bundled common-password list."""

import bcrypt
import pytest

from eyepi_gui.adapters.common_passwords import load_common_passwords
from eyepi_gui.adapters.passwords import BcryptHasher, measure_cost
from eyepi_gui.domain.accounts import PASSWORD_MIN_CHARS, password_problem
from eyepi_gui.errors import InvalidInput


def test_hash_is_a_standard_bcrypt_hash():
    hashed = BcryptHasher().hash("correct horse battery", 4)
    assert hashed.startswith("$2b$04$")
    assert len(hashed) == 60
    assert bcrypt.checkpw(b"correct horse battery", hashed.encode())


def test_verifies_hashes_made_elsewhere_and_reads_their_cost():
    made_elsewhere = bcrypt.hashpw("pässwörd-10".encode(), bcrypt.gensalt(5, prefix=b"2a"))
    hasher = BcryptHasher()
    assert hasher.verify("pässwörd-10", made_elsewhere.decode())
    assert hasher.cost_of(made_elsewhere.decode()) == 5


@pytest.mark.parametrize("cost", [3, 32])
def test_cost_out_of_range_is_invalid_input(cost):
    with pytest.raises(InvalidInput) as caught:
        BcryptHasher().hash("correct horse battery", cost)
    assert caught.value.field == "cost"


def test_measure_cost_stops_after_the_first_cost_over_target():
    timings = measure_cost(target_s=0.0, costs=range(4, 8))
    assert [cost for cost, _ in timings] == [4]
    assert timings[0][1] > 0


def test_measure_cost_times_every_cost_under_target():
    timings = measure_cost(target_s=60.0, costs=[4, 5, 6])
    assert [cost for cost, _ in timings] == [4, 5, 6]
    assert all(seconds > 0 for _, seconds in timings)


def test_common_password_list_loads():
    common = load_common_passwords()
    assert len(common) > 100
    assert all(len(word) >= PASSWORD_MIN_CHARS for word in common)
    assert all(word == word.lower() and word == word.strip() for word in common)
    assert not any(word.startswith("#") for word in common)
    assert {"1234567890", "qwertyuiop", "password123", "iloveyou12"} <= common


def test_common_password_is_refused_in_any_case():
    common = load_common_passwords()
    assert password_problem("QwertyUiop", "alice", common) is not None
    assert password_problem("kettle-Tundra-42", "alice", common) is None
