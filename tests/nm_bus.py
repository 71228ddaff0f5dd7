"""Small D-Bus look-ups the NetworkManager fixture uses to know NM is ready (jeepney)."""

from __future__ import annotations

from jeepney import DBusAddress, new_method_call
from jeepney.io.blocking import open_dbus_connection
from jeepney.wrappers import DBusErrorResponse, unwrap_msg

NM_NAME = "org.freedesktop.NetworkManager"
NM = DBusAddress("/org/freedesktop/NetworkManager", bus_name=NM_NAME, interface=NM_NAME)
PROPERTIES = "org.freedesktop.DBus.Properties"
DEVICE_UNMANAGED = 10


def nm_ready(bus_address: str, device: str, timeout_s: float = 1.0) -> bool:
    """True once NM is on the bus and manages ``device``. NM's own "Startup" flag is not
    waited for: it stays up while a DHCP profile waits for a lease (45 s here, none comes)."""
    try:
        with open_dbus_connection(bus=bus_address, auth_timeout=timeout_s) as conn:
            call = new_method_call(NM, "GetDeviceByIpIface", "s", (device,))
            (path,) = unwrap_msg(conn.send_and_get_reply(call, timeout=timeout_s))
            props = DBusAddress(path, bus_name=NM_NAME, interface=PROPERTIES)
            get = new_method_call(props, "Get", "ss", (f"{NM_NAME}.Device", "State"))
            ((_, state),) = unwrap_msg(conn.send_and_get_reply(get, timeout=timeout_s))
            return state > DEVICE_UNMANAGED
    except (OSError, TimeoutError, DBusErrorResponse):
        return False
