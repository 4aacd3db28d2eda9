from __future__ import annotations

import json
import subprocess
import sys

HEAVY = [
    "matplotlib",
    "ipywidgets",
    "librosa",
    "numba",
    "cv2",
    "PIL",
    "sklearn",
    "skimage",
    "scipy",
    "IPython",
]


def _run(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout


def test_import_augviz_is_light_and_side_effect_free():
    code = (
        "import json, sys, numpy as np\n"
        "state = np.random.get_state()[1].tolist()\n"
        "import socket\n"
        "def no_net(*a, **k): raise RuntimeError('network used at import')\n"
        "socket.socket.connect = no_net\n"
        "import augviz\n"
        f"heavy = [m for m in {HEAVY!r} if m in sys.modules]\n"
        "print(json.dumps({'heavy': heavy, 'rng_same': state == np.random.get_state()[1].tolist()}))"
    )
    result = json.loads(_run(code))
    assert result == {"heavy": [], "rng_same": True}


def test_catalogue_does_not_import_ui_or_audio_stacks():
    code = (
        "import sys, json, augviz\n"
        "augviz.catalogue()\n"
        "print(json.dumps([m for m in ['matplotlib', 'ipywidgets', 'librosa', 'numba'] "
        "if m in sys.modules]))"
    )
    assert json.loads(_run(code)) == []
