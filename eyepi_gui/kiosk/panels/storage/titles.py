"""The Storage tab's section titles."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from eyepi_gui.kiosk.widgets.text import plain_label


def section_title(text: str) -> QLabel:
    """A section's title, flush with the text under it (the theme pads its top, and Qt
    indents a padded label by half an "x" unless told not to)."""
    label = plain_label(text, "sectionTitle", wrap=True)
    label.setIndent(0)
    return label
