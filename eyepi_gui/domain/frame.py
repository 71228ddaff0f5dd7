"""The live-view frame: what a camera's live view yields and the preview hub shares.

Pure data, so it lives in the domain: ports, adapters, services and domain image maths all name
it without the domain reaching up into ``ports``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:  # numpy stays out of start-up until a camera is opened
    import numpy as np
    import numpy.typing as npt

    Frame: TypeAlias = npt.NDArray[np.uint8]
    """A live-view frame: height x width x 3, uint8, RGB (BGR where a name says so)."""
