"""Adapters: the only code that touches hardware, the OS, subprocess, bcrypt and SQLite."""
