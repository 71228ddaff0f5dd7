"""Widgets shared by the kiosk panels and the main window."""
