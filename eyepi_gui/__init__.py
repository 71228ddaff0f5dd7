"""eyepi: the on-device console of a field time-lapse camera station."""

import os

__version__ = "0.1.0"

# eyepi uses no pydantic plugins. Looking for them reads the metadata of every installed
# package when the first model is built (about 15 ms of the kiosk's start-up on a Pi-class
# machine); pydantic's documented switch skips that. setdefault: a user's own choice stands.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
