"""augviz audio recipe → audiomentations (0.43) Python source.

audiomentations can write a pipeline out (``to_dict``) but not read one back, so the
bridge is code: paste it into a training script. Steps without a faithful equivalent are
refused (or, with ``skip_unmapped=True``, left out with a comment naming them).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from augviz.core import OneOf, Recipe, Transform

from ._source import compose_source, export_lines
from .albumentations import InteropError

__all__ = ["to_audiomentations_source"]

_DECAY = {"white": 0.0, "pink": -3.01, "brown": -6.02, "blue": 3.01, "violet": 6.02}


def _rng(lo_name: str, hi_name: str, value: tuple[Any, Any]) -> str:
    return f"{lo_name}={value[0]!r}, {hi_name}={value[1]!r}"


def _engine(v: dict[str, Any]) -> str:
    return {"librosa": "'librosa_phase_vocoder'"}.get(v.get("engine", ""), "'signalsmith_stretch'")


def _filter(kind: str) -> Callable[[dict[str, Any]], str]:
    def build(v: dict[str, Any]) -> str:
        return (
            f"{kind}({_rng('min_cutoff_freq', 'max_cutoff_freq', v['cutoff'])}, "
            f"min_rolloff={v['rolloff']}, max_rolloff={v['rolloff']}, zero_phase={v['zero_phase']}"
        )

    return build


_BUILDERS: dict[str, Callable[[dict[str, Any]], str]] = {
    "audio.gain": lambda v: f"Gain({_rng('min_gain_db', 'max_gain_db', v['gain_db'])}",
    "audio.gaussian_noise": lambda v: f"AddGaussianNoise({_rng('min_amplitude', 'max_amplitude', v['std'])}",
    "audio.gaussian_snr": lambda v: f"AddGaussianSNR({_rng('min_snr_db', 'max_snr_db', v['snr_db'])}",
    "audio.colored_noise": lambda v: (
        f"AddColorNoise({_rng('min_snr_db', 'max_snr_db', v['snr_db'])}, "
        f"min_f_decay={_DECAY[v['color']]}, max_f_decay={_DECAY[v['color']]}"
    ),
    "audio.shift": lambda v: (
        f"Shift({_rng('min_shift', 'max_shift', v['fraction'])}, "
        f"shift_unit='fraction', rollover={v['rollover']}"
    ),
    "audio.time_stretch": lambda v: (
        f"TimeStretch({_rng('min_rate', 'max_rate', v['rate'])}, "
        f"leave_length_unchanged={v['keep_length']}, method={_engine(v)}"
    ),
    "audio.pitch_shift": lambda v: (
        f"PitchShift({_rng('min_semitones', 'max_semitones', v['semitones'])}, method={_engine(v)}"
    ),
    "audio.polarity_inversion": lambda v: "PolarityInversion(",
    "audio.reverse": lambda v: "Reverse(",
    "audio.clipping_distortion": lambda v: (
        f"ClippingDistortion(min_percentile_threshold={round(v['percentile'][0])}, "
        f"max_percentile_threshold={round(v['percentile'][1])}"
    ),
    "audio.lowpass": _filter("LowPassFilter"),
    "audio.highpass": _filter("HighPassFilter"),
    "audio.bandpass": lambda v: (
        f"BandPassFilter({_rng('min_center_freq', 'max_center_freq', v['center'])}, "
        f"{_rng('min_bandwidth_fraction', 'max_bandwidth_fraction', v['bandwidth'])}, "
        f"min_rolloff={v['rolloff']}, max_rolloff={v['rolloff']}, zero_phase={v['zero_phase']}"
    ),
}


def _one(t: Transform, path: str, names: set[str], p: float | None = None) -> str:
    if t.id not in _BUILDERS:
        raise InteropError(f"{path}: {t.id} has no audiomentations equivalent")
    head = _BUILDERS[t.id](dict(t.params))
    names.add(head.split("(", 1)[0])
    sep = "" if head.endswith("(") else ", "
    return f"{head}{sep}p={t.p if p is None else p})"


def to_audiomentations_source(recipe: Recipe, *, skip_unmapped: bool = False) -> str:
    """Python source building an ``audiomentations.Compose`` like the recipe.

    Example
    -------
    >>> from augviz.audio import Gain
    >>> print(to_audiomentations_source(Recipe([Gain(gain_db=(-6, 6), p=0.5)])).splitlines()[-2])
        Gain(min_gain_db=-6.0, max_gain_db=6.0, p=0.5),
    """
    if recipe.modality != "audio":
        raise InteropError(f"audiomentations export takes audio recipes; this one is {recipe.modality}")
    names: set[str] = set()

    def step_code(step: Any, i: int) -> str:
        if isinstance(step, Transform):
            return _one(step, f"steps[{i}]", names)
        kids = ", ".join(
            _one(c, f"steps[{i}].{step.kind}[{j}]", names, p=1.0) for j, c in enumerate(step.steps)
        )
        names.add(type(step).__name__)
        if isinstance(step, OneOf):
            weights = [round(float(w), 6) for w in step.weights()]
            return f"OneOf([{kids}], weights={weights}, p={step.p})"
        return f"SomeOf({step.n}, [{kids}], p={step.p})"

    lines = export_lines(recipe, "audiomentations", step_code, skip_unmapped=skip_unmapped)
    imports = f"from audiomentations import {', '.join(['Compose', *sorted(names)])}"
    return compose_source(recipe, "audiomentations 0.43", imports, "augment = Compose", lines)
