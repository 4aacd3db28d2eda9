"""Where librosa's numba kernels are cached: a warm cache is reused, whoever warmed it,
and a second fresh process loads what the first compiled (numba's own hit/miss counters,
no timing)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from augviz.audio import _backend as B

ROOT = Path(__file__).resolve().parents[2]
TAG = f"py{sys.version_info[0]}{sys.version_info[1]}"


@pytest.fixture
def fake_librosa(tmp_path, monkeypatch):
    """A librosa package folder with the kernels' source folders, and empty cache homes."""
    lib = tmp_path / "site" / "librosa"
    for folder, _ in B._KERNELS:
        (lib / folder).mkdir(parents=True, exist_ok=True)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))
    return lib


def _warm(base: Path | None, lib: Path, tag: str = TAG) -> None:
    for d, kernel in B._kernel_dirs(base, lib):
        d.mkdir(parents=True, exist_ok=True)
        (d / f"{kernel}-10.{tag}.nbi").write_bytes(b"index")


def test_a_warm_librosa_cache_is_used_as_numba_leaves_it(fake_librosa):
    _warm(B._augviz_dir(), fake_librosa)  # even with augviz's own folder warm too
    _warm(None, fake_librosa)
    assert B._choose_cache(fake_librosa) is None  # numba's default: librosa's __pycache__


def test_numbas_user_wide_cache_when_warm_and_librosas_is_cold(fake_librosa):
    _warm(B._numba_user_dir(), fake_librosa)
    assert B._choose_cache(fake_librosa) == B._numba_user_dir()


def test_augvizs_own_folder_when_it_alone_is_warm(fake_librosa):
    _warm(B._augviz_dir(), fake_librosa)
    assert B._choose_cache(fake_librosa) == B._augviz_dir()


def test_all_cold_keeps_numbas_default(fake_librosa):
    assert B._choose_cache(fake_librosa) is None


def test_another_pythons_index_is_not_warm(fake_librosa):
    _warm(B._augviz_dir(), fake_librosa, tag="py27")
    assert not B._is_warm(B._augviz_dir(), fake_librosa)
    assert B._choose_cache(fake_librosa) is None


def test_half_a_cache_is_not_warm(fake_librosa):
    _warm(B._augviz_dir(), fake_librosa)
    first, kernel = B._kernel_dirs(B._augviz_dir(), fake_librosa)[0]
    for f in first.glob(f"{kernel}-*"):
        f.unlink()
    assert not B._is_warm(B._augviz_dir(), fake_librosa)


def test_augvizs_folder_when_numbas_defaults_are_not_writable(fake_librosa, monkeypatch):
    ours = B._augviz_dir()
    real = B._writable
    monkeypatch.setattr(B, "_writable", lambda path, create=True: ours in (path, *path.parents)
                        and real(path, create))
    assert B._choose_cache(fake_librosa) == ours


def test_the_user_setting_is_honoured_and_nothing_is_set_twice(fake_librosa, monkeypatch, tmp_path):
    monkeypatch.setattr(B, "_librosa_dir", lambda: fake_librosa)
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path / "mine"))
    monkeypatch.setitem(sys.modules, "numba", None)  # as if numba were not imported yet
    B._set_numba_cache()
    assert os.environ["NUMBA_CACHE_DIR"] == str(tmp_path / "mine")
    assert B.numba_cache_dir() == B._kernel_dirs(tmp_path / "mine", fake_librosa)[0][0]


CHILD = r"""
import json, sys, warnings
warnings.simplefilter("ignore")
import numpy as np
if sys.argv[1] == "librosa":
    import librosa  # noqa: F401  (numba set up before augviz is seen)
from augviz.audio import Audio, TimeStretch, numba_cache_dir
where = str(numba_cache_dir())
sr = 16000
x = (0.1 * np.sin(2 * np.pi * 440 * np.arange(sr) / sr)).astype(np.float32)
TimeStretch(rate=1.25, engine="librosa")(Audio(x, sr), rng=0)
from librosa.core import spectrum
stats = vars(spectrum)["__overlap_add"].stats
print(json.dumps({"where": where, "cache": stats.cache_path,
                  "hits": sum(stats.cache_hits.values()), "misses": sum(stats.cache_misses.values())}))
"""


def _fresh_process(first: str, env: dict[str, str]) -> dict:
    proc = subprocess.run([sys.executable, "-c", CHILD, first], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=1800, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_a_second_fresh_process_loads_the_kernels_instead_of_compiling(tmp_path):
    pytest.importorskip("librosa")
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")  # augviz's own folder starts empty
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [env.get("PYTHONPATH")])])
    lib = B._librosa_dir()
    default_warm = lib is not None and B._is_warm(None, lib)  # librosa's own cache, as librosa left it
    first = _fresh_process("augviz", env)
    assert first["hits"] + first["misses"] >= 1  # compiled or loaded, once
    if default_warm:
        assert first["misses"] == 0, first  # a warm librosa cache is not compiled again
    assert Path(first["cache"]) == Path(first["where"])  # numba_cache_dir says where it went
    for order in ("augviz", "librosa"):
        again = _fresh_process(order, env)
        assert again["misses"] == 0, again  # loaded, not compiled
        assert again["hits"] >= 1, again
        assert Path(again["cache"]) == Path(again["where"]) == Path(first["cache"])
