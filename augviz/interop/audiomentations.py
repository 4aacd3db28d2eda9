"""augviz audio recipe → audiomentations (0.43) Python source.

audiomentations can write a pipeline out (``to_dict``) but not read one back, so the
bridge is code: paste it into a training script. Steps without a faithful equivalent are
refused (or, with ``skip_unmapped=True``, left out with a comment naming them).
"""

from __future__ import annotations

from typing import Any

from augviz.core import Recipe, Transform

from ._base import Call, Mapping, Peer, export_steps, no_params, write_source

__all__ = ["MAPPINGS", "PEER", "UNMAPPABLE", "to_audiomentations_source"]

_DECAY = {"white": 0.0, "pink": -3.01, "brown": -6.02, "blue": 3.01, "violet": 6.02}


def _rng(lo_name: str, hi_name: str, value: tuple[Any, Any]) -> dict[str, Any]:
    return {lo_name: value[0], hi_name: value[1]}


def _engine(v: dict[str, Any]) -> str:
    return "librosa_phase_vocoder" if v["engine"] == "librosa" else "signalsmith_stretch"


def _rolloff(v: dict[str, Any]) -> dict[str, Any]:
    return {"min_rolloff": v["rolloff"], "max_rolloff": v["rolloff"], "zero_phase": v["zero_phase"]}


MAPPINGS = (
    Mapping("audio.gain", "Gain", lambda v: _rng("min_gain_db", "max_gain_db", v["gain_db"]),
            example={"gain_db": (-6.0, 3.0)}),
    Mapping(
        "audio.gaussian_noise",
        "AddGaussianNoise",
        lambda v: _rng("min_amplitude", "max_amplitude", v["std"]),
        example={"std": (0.002, 0.02)},
    ),
    Mapping("audio.gaussian_snr", "AddGaussianSNR", lambda v: _rng("min_snr_db", "max_snr_db", v["snr_db"]),
            example={"snr_db": (8.0, 25.0)}),
    Mapping(
        "audio.colored_noise",
        "AddColorNoise",
        lambda v: {
            **_rng("min_snr_db", "max_snr_db", v["snr_db"]),
            "min_f_decay": _DECAY[v["color"]],
            "max_f_decay": _DECAY[v["color"]],
        },
        example={"snr_db": (10.0, 20.0), "color": "brown"},
    ),
    Mapping(
        "audio.shift",
        "Shift",
        lambda v: {**_rng("min_shift", "max_shift", v["fraction"]), "shift_unit": "fraction",
                   "rollover": v["rollover"]},
        example={"fraction": (-0.2, 0.3), "rollover": False},
    ),
    Mapping(
        "audio.time_stretch",
        "TimeStretch",
        lambda v: {**_rng("min_rate", "max_rate", v["rate"]), "leave_length_unchanged": v["keep_length"],
                   "method": _engine(v)},
        example={"rate": (0.9, 1.2), "keep_length": False, "engine": "librosa"},
    ),
    Mapping(
        "audio.pitch_shift",
        "PitchShift",
        lambda v: {**_rng("min_semitones", "max_semitones", v["semitones"]), "method": _engine(v)},
        example={"semitones": (-2.0, 3.0), "engine": "signalsmith"},
    ),
    Mapping("audio.polarity_inversion", "PolarityInversion", no_params, example={}),
    Mapping("audio.reverse", "Reverse", no_params, example={}),
    Mapping(
        "audio.clipping_distortion",
        "ClippingDistortion",
        lambda v: {"min_percentile_threshold": round(v["percentile"][0]),
                   "max_percentile_threshold": round(v["percentile"][1])},
        example={"percentile": (5.0, 30.0)},
    ),
    Mapping(
        "audio.lowpass",
        "LowPassFilter",
        lambda v: {**_rng("min_cutoff_freq", "max_cutoff_freq", v["cutoff"]), **_rolloff(v)},
        example={"cutoff": (300.0, 900.0), "rolloff": 24, "zero_phase": True},
    ),
    Mapping(
        "audio.highpass",
        "HighPassFilter",
        lambda v: {**_rng("min_cutoff_freq", "max_cutoff_freq", v["cutoff"]), **_rolloff(v)},
        example={"cutoff": (200.0, 600.0), "rolloff": 24, "zero_phase": True},
    ),
    Mapping(
        "audio.bandpass",
        "BandPassFilter",
        lambda v: {
            **_rng("min_center_freq", "max_center_freq", v["center"]),
            **_rng("min_bandwidth_fraction", "max_bandwidth_fraction", v["bandwidth"]),
            **_rolloff(v),
        },
        example={"center": (400.0, 1500.0), "bandwidth": (0.5, 1.2), "rolloff": 24, "zero_phase": True},
    ),
)

#: augviz audio transforms without an audiomentations mapping, and why
UNMAPPABLE = {
    "audio.background_noise": "AddBackgroundNoise reads a folder of sound files; augviz's bundled noises are "
    "synthesised, and a 'folder:' source was not checked against its loudness handling",
    "audio.gain_transition": "GainTransition draws start and end gains from one range; augviz draws each "
    "from its own range and places the fade at a drawn position",
    "audio.pad_trim": "AdjustDuration pads or trims at the start or the end only; augviz places the clip at "
    "a drawn position",
    "audio.reverb": "RoomSimulator models a shoebox room and ApplyImpulseResponse needs impulse-response "
    "files; augviz synthesises the response from an RT60",
    "audio.speed": "Resample draws a target rate in Hz (tied to the clip's rate); augviz draws a speed "
    "factor",
    "audio.time_mask": "TimeMask puts the mask at the start, the end or anywhere, with a fade in seconds; "
    "augviz draws its position from a range and fades by a flag",
}


def _leaf(m: Mapping, t: Transform, kwargs: dict[str, Any], grouped: bool) -> Call:
    # inside a group the group holds the probability: children are written with p=1
    return Call(m.name, kwargs={**kwargs, "p": 1.0 if grouped else t.p})


def _group(step: Any, items: list[Call]) -> Call:
    if step.kind == "one_of":
        weights = [round(float(w), 6) for w in step.weights()]
        return Call("OneOf", (items,), {"weights": weights, "p": step.p})
    return Call("SomeOf", (step.n, items), {"p": step.p})


PEER = Peer("audiomentations", "audio", MAPPINGS, UNMAPPABLE, leaf=_leaf, group=_group)


def _names(items: list[Any]) -> set[str]:
    """The audiomentations classes the calls use (groups included)."""
    names: set[str] = set()
    for item in items:
        if isinstance(item, Call):
            names.add(item.name)
            for arg in item.args:
                names |= _names(arg) if isinstance(arg, list) else set()
    return names


def to_audiomentations_source(recipe: Recipe, *, skip_unmapped: bool = False) -> str:
    """Python source building an ``audiomentations.Compose`` like the recipe.

    Example
    -------
    >>> from augviz.audio import Gain
    >>> print(to_audiomentations_source(Recipe([Gain(gain_db=(-6, 6), p=0.5)])).splitlines()[-2])
        Gain(min_gain_db=-6.0, max_gain_db=6.0, p=0.5),
    """
    items = export_steps(recipe, PEER, skip_unmapped=skip_unmapped)
    return write_source(
        recipe,
        items,
        library="audiomentations 0.43",
        imports=f"from audiomentations import {', '.join(['Compose', *sorted(_names(items))])}",
        assign="augment = Compose",
    )
