"""Who changes the network in the network service tests (accounts of ``accounts_station``),
and the static address they set."""

from eyepi_gui.domain.access import Origin, Principal, Role

ADA_REMOTE = Principal("ada", Role.ADMIN, Origin.REMOTE, "192.0.2.7")
ADA_KIOSK = Principal("ada", Role.ADMIN, Origin.KIOSK)
OTTO_REMOTE = Principal("otto", Role.OPERATOR, Origin.REMOTE, "192.0.2.8")
OTTO_KIOSK = Principal("otto", Role.OPERATOR, Origin.KIOSK)
VERA = Principal("vera", Role.VIEWER, Origin.KIOSK)
WRITES = {
    "join_wifi",
    "forget",
    "set_priority",
    "set_ipv4",
    "activate",
    "set_hostname",
    "start_hotspot",
    "stop_hotspot",
    "checkpoint",
    "confirm",
    "rollback",
}
"""The backend calls that change something."""


def writes(fake, since=0):
    """The changing calls ``fake`` got from call number ``since`` on."""
    return [call for call in fake.calls[since:] if call in WRITES]


STATIC = ("manual", "192.0.2.20", 24, "192.0.2.1")
"""A static address for the wired profile, as ``set_addressing`` takes it."""


def static_remotely(services, network):
    """ada sets ``STATIC`` from the remote endpoint: the change waits for confirmation."""
    return services.network.set_addressing(ADA_REMOTE, network.wired_uuid(), *STATIC)


def method(network):
    """The wired profile's addressing method now."""
    return network.profile(network.wired_uuid()).ipv4.method
