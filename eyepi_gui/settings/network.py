"""The ``[network]`` section: the hotspot fallback and how long a remote change waits for
its confirmation.

A small stand-in with the names the network spec gives; the full section (with its tests)
comes from the runner/rules branch, which replaces this file at merge.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict

from eyepi_gui.domain.network_rules import check_ssid
from eyepi_gui.settings.values import Flag, Number


def _ssid(text: str | None) -> str | None:
    if text is not None:
        check_ssid(text)
    return text


class NetworkSettings(BaseModel):
    """Hotspot fallback after ``hotspot_after_s`` without a network (seconds); a remote
    change rolls back unless confirmed within ``confirm_timeout_s``; ``hotspot_ssid`` None:
    "eyepi-" and the station's name."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    hotspot_fallback: Flag = True
    hotspot_after_s: Annotated[int, Number(60, 3600, "seconds", whole=True)] = 300
    confirm_timeout_s: Annotated[int, Number(15, 600, "seconds", whole=True)] = 60
    hotspot_ssid: Annotated[str | None, AfterValidator(_ssid)] = None
