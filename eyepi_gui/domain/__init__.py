"""Pure data and rules of the station: no I/O, no clock reads, no threads."""
