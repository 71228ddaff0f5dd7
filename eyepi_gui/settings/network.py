"""The ``[network]`` section: the hotspot the station falls back to when no known network
is reachable, and how long a network change waits for its confirmation."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict

from eyepi_gui.domain.network_rules import check_ssid
from eyepi_gui.errors import InvalidInput
from eyepi_gui.settings.values import Flag, Number


def _ssid(text: str | None) -> str | None:
    if text is None:
        return None
    try:
        check_ssid(text)
    except InvalidInput as err:
        raise ValueError(err.reason) from None
    return text


class NetworkSettings(BaseModel):
    """Hotspot fallback: on (``hotspot_fallback``) after ``hotspot_after_s`` seconds without
    a known network, with ``hotspot_ssid`` as its name (None: "eyepi-<station name>"). A
    change that could cut off whoever made it rolls back unless confirmed within
    ``confirm_timeout_s`` seconds."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    hotspot_fallback: Flag = True
    hotspot_after_s: Annotated[int, Number(60, 3600, "seconds", whole=True)] = 300
    confirm_timeout_s: Annotated[int, Number(15, 600, "seconds", whole=True)] = 60
    hotspot_ssid: Annotated[str | None, AfterValidator(_ssid)] = None
