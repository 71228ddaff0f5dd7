"""The registry every ``/api/v1`` blueprint declares its operations on, and their URL prefix.

Apart from the package's ``__init__`` so that the blueprints import it without importing the
package, whose ``register`` imports them: no import cycle.
"""

from __future__ import annotations

from remote.openapi import Api

API = Api()
PREFIX = "/api/v1"
