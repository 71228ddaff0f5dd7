"""Kiosk panels, one per tab; panels never import each other."""
