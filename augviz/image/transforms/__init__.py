"""Registered image transforms: thin classes over the kernels in ``functional``, one
module per family (geometric, color, blur_noise, occlusion, compression; lens holds the
lens distortion of the geometric family)."""

from __future__ import annotations

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

__all__ = [*_geometric, *_lens, *_color, *_blur_noise, *_occlusion, *_compression]
