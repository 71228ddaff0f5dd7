"""One place that turns an error into the sentence the tech sees on the screen.

Errors of the station's own tree (``eyepi_gui.errors``) carry a message written for people:
it is shown as a sentence. Anything else is a bug or a library failure whose text would mean
nothing to a tech (``KeyError: 'sim-1'``): it becomes one plain sentence, and its traceback
goes to the station log (``log_unexpected``; the TaskRunner does it for every task).
"""

from __future__ import annotations

import logging

from eyepi_gui.errors import EyepiError, InvalidInput
from eyepi_gui.kiosk.formatting import as_sentence

_log = logging.getLogger("eyepi.kiosk")

UNEXPECTED = "Something went wrong; the details are in the log."


def sentence(error: BaseException) -> str:
    """What the tech reads about ``error``: the station's own message as a sentence (a
    rejected value names its field), or UNEXPECTED for anything outside the error tree."""
    if isinstance(error, InvalidInput):
        return as_sentence(f"{error.reason} ({error.field})")
    if isinstance(error, EyepiError) and str(error).strip():
        return as_sentence(str(error))
    return UNEXPECTED


def expected(error: BaseException) -> bool:
    """True for errors of the station's tree: their message is enough, no traceback needed."""
    return isinstance(error, EyepiError)


def log_unexpected(what: str, error: BaseException) -> None:
    """Log ``error`` with its traceback when it is outside the error tree (a bug, a library
    failure); errors of the tree are logged by whoever handles them, if at all."""
    if not expected(error):
        _log.error(
            "%s failed unexpectedly", what, exc_info=error, extra={"event": "kiosk_unexpected"}
        )
