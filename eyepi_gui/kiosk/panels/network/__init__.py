"""The Network tab: the station's addresses, a change waiting for confirmation, devices,
Wi-Fi, saved networks, addressing, hostname and the hotspot. Its private widgets live beside
the panel in this package."""
