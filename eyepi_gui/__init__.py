"""eyepi: the on-device console of a field time-lapse camera station."""

__version__ = "0.1.0"
