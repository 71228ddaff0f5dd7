"""The Station tab: station-wide settings, the remote endpoint and network cameras (admins).
Its private widgets live beside the panel in this package."""
