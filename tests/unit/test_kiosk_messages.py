"""messages.sentence: the one place a service error becomes what the tech reads."""

from __future__ import annotations

import logging

import pytest

from eyepi_gui.errors import CameraFault, InvalidInput, TooManyAttempts
from eyepi_gui.kiosk.messages import UNEXPECTED, log_unexpected, sentence


@pytest.mark.parametrize(
    ("error", "text"),
    [
        (CameraFault("sim-1 timed out"), "Sim-1 timed out."),
        (InvalidInput("interval_s", "must be at least 1 s"), "Must be at least 1 s (interval_s)."),
        (TooManyAttempts(3), "Too many failed logins; try again in 3 seconds."),
    ],
)
def test_the_stations_own_errors_read_as_their_message(error, text):
    assert sentence(error) == text


@pytest.mark.parametrize(
    "error", [KeyError("sim-9"), ValueError("bad"), OSError(5, "EIO"), CameraFault("")]
)
def test_anything_else_is_one_plain_sentence(error):
    assert sentence(error) == UNEXPECTED


def test_only_errors_outside_the_tree_are_logged_with_a_traceback(caplog):
    try:
        raise KeyError("sim-9")
    except KeyError as err:
        bug = err
    with caplog.at_level(logging.DEBUG, logger="eyepi.kiosk"):
        log_unexpected("shot", CameraFault("jammed"))
        log_unexpected("shot", bug)
    [record] = caplog.records
    assert record.levelno == logging.ERROR and record.exc_info[1] is bug
