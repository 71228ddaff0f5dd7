"""Small D-Bus look-ups the NetworkManager fixture uses to know NM is ready (jeepney)."""

from __future__ import annotations

from jeepney import DBusAddress, new_method_call
from jeepney.io.blocking import open_dbus_connection
from jeepney.wrappers import DBusErrorResponse, unwrap_msg

NM = DBusAddress(
    "/org/freedesktop/NetworkManager",
    bus_name="org.freedesktop.NetworkManager",
    interface="org.freedesktop.NetworkManager",
)
PROPERTIES = "org.freedesktop.DBus.Properties"


def nm_ready(bus_address: str, device: str, timeout_s: float = 1.0) -> bool:
    """True once NM is on the bus, has finished starting up and knows ``device``."""
    try:
        with open_dbus_connection(bus=bus_address, auth_timeout=timeout_s) as conn:
            call = new_method_call(
                NM.with_interface(PROPERTIES), "Get", "ss", (NM.interface, "Startup")
            )
            ((_, starting),) = unwrap_msg(conn.send_and_get_reply(call, timeout=timeout_s))
            if starting:
                return False
            call = new_method_call(NM, "GetDeviceByIpIface", "s", (device,))
            unwrap_msg(conn.send_and_get_reply(call, timeout=timeout_s))
            return True
    except (OSError, TimeoutError, DBusErrorResponse):
        return False
