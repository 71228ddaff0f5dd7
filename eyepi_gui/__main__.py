"""``python -m eyepi_gui`` runs the ``eyepi`` command."""

import sys

from eyepi_gui.cli import main

sys.exit(main())
