"""Principals for tests that are not about access control: a CLI admin may do everything."""

from eyepi_gui.domain.access import Origin, Principal, Role

ADMIN = Principal("tester", Role.ADMIN, Origin.CLI)
