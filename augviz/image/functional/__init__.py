"""Pure image kernels on numpy arrays (HW, HW1 or HWC, uint8 or float32 in [0, 1]).

Each kernel returns a new array of the input's dtype and (unless it changes size) shape.
Split by family; everything is re-exported here, so ``augviz.image.functional.rotate``
works. OpenCV where it is the faster kernel (imported on first use), numpy elsewhere.
"""

from __future__ import annotations

from ._common import BORDERS, INTERPOLATIONS
from .blur_noise import *  # noqa: F403
from .blur_noise import __all__ as _blur_noise
from .color import *  # noqa: F403
from .color import __all__ as _color
from .compression import *  # noqa: F403
from .compression import __all__ as _compression
from .geometric import *  # noqa: F403
from .geometric import __all__ as _geometric
from .lens import *  # noqa: F403
from .lens import __all__ as _lens
from .occlusion import *  # noqa: F403
from .occlusion import __all__ as _occlusion

__all__ = ["BORDERS", "INTERPOLATIONS", *_blur_noise, *_color, *_compression, *_geometric,
           *_lens, *_occlusion]
