"""The PySide6 touchscreen kiosk: the only Qt code of the station."""
