"""Use cases of the station: blocking, thread-safe; no Qt, no Flask."""
