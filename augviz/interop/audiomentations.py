"""augviz audio recipe ↔ audiomentations (0.43).

Export is Python source (audiomentations can write a pipeline out with ``to_dict`` but
not read one back): paste it into a training script. Steps without a faithful equivalent
are refused (or, with ``skip_unmapped=True``, left out with a comment naming them).
Import (:func:`from_audiomentations`) reads a live ``Compose`` from its attributes, with
the same report as the albumentations import.
"""

from __future__ import annotations

from typing import Any

from augviz.core import AugvizError, OneOf, Recipe, SomeOf, Transform
from augviz.core import get as get_transform

from ._base import Call, ImportResult, InteropError, Mapping, Peer, export_steps, no_params, write_source

__all__ = ["MAPPINGS", "PEER", "UNMAPPABLE", "from_audiomentations", "to_audiomentations_source"]

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


# -- import ----------------------------------------------------------------------------
_ENGINES = {"librosa_phase_vocoder": "librosa", "signalsmith_stretch": "signalsmith"}
_COLOURS = {v: k for k, v in _DECAY.items()}


def _span(a: dict[str, Any], lo: str, hi: str) -> tuple[float, float]:
    return (float(a[lo]), float(a[hi]))


def _engine_in(a: dict[str, Any]) -> str:
    if a.get("method") not in _ENGINES:
        raise InteropError(f"method={a.get('method')!r} (augviz stretches with {', '.join(_ENGINES)})")
    return _ENGINES[a["method"]]


def _rolloff_in(a: dict[str, Any], notes: list[str]) -> dict[str, Any]:
    lo, hi = int(a["min_rolloff"]), int(a["max_rolloff"])
    if lo != hi:
        notes.append(f"audiomentations draws the rolloff in [{lo}, {hi}] dB/octave; augviz uses {hi}")
    return {"rolloff": hi, "zero_phase": bool(a["zero_phase"])}


def _colour_in(a: dict[str, Any], notes: list[str]) -> dict[str, Any]:
    decay = (round(float(a["min_f_decay"]), 2), round(float(a["max_f_decay"]), 2))
    if decay[0] != decay[1] or decay[0] not in _COLOURS:
        raise InteropError(f"f_decay {list(decay)} (augviz has the colours {', '.join(_DECAY)} only)")
    if a.get("p_apply_a_weighting", 0.0):
        raise InteropError("p_apply_a_weighting > 0 (augviz does not A-weight)")
    return {"snr_db": _span(a, "min_snr_db", "max_snr_db"), "color": _COLOURS[decay[0]]}


def _shift_in(a: dict[str, Any], notes: list[str]) -> dict[str, Any]:
    if a.get("shift_unit", "fraction") != "fraction":
        raise InteropError(f"shift_unit={a['shift_unit']!r} (augviz shifts by a fraction of the clip)")
    if a.get("fade") and not a.get("rollover"):
        notes.append(f"audiomentations fades the cut edges over {a.get('fade_duration', 0.005) * 1000:g} ms; "
                     "augviz does not")
    return {"fraction": _span(a, "min_shift", "max_shift"), "rollover": bool(a["rollover"])}


#: class → (augviz id, live attributes → augviz parameters, appending what differs)
_READERS: dict[str, tuple[str, Any]] = {
    "Gain": ("audio.gain", lambda a, n: {"gain_db": _span(a, "min_gain_db", "max_gain_db")}),
    "AddGaussianNoise": ("audio.gaussian_noise",
                         lambda a, n: {"std": _span(a, "min_amplitude", "max_amplitude")}),
    "AddGaussianSNR": ("audio.gaussian_snr", lambda a, n: {"snr_db": _span(a, "min_snr_db", "max_snr_db")}),
    "AddColorNoise": ("audio.colored_noise", _colour_in),
    "Shift": ("audio.shift", _shift_in),
    "TimeStretch": ("audio.time_stretch", lambda a, n: {
        "rate": _span(a, "min_rate", "max_rate"), "keep_length": bool(a["leave_length_unchanged"]),
        "engine": _engine_in(a)}),
    "PitchShift": ("audio.pitch_shift", lambda a, n: {
        "semitones": _span(a, "min_semitones", "max_semitones"), "engine": _engine_in(a)}),
    "PolarityInversion": ("audio.polarity_inversion", lambda a, n: {}),
    "Reverse": ("audio.reverse", lambda a, n: {}),
    "ClippingDistortion": ("audio.clipping_distortion", lambda a, n: {
        "percentile": _span(a, "min_percentile_threshold", "max_percentile_threshold")}),
    "LowPassFilter": ("audio.lowpass", lambda a, n: {
        "cutoff": _span(a, "min_cutoff_freq", "max_cutoff_freq"), **_rolloff_in(a, n)}),
    "HighPassFilter": ("audio.highpass", lambda a, n: {
        "cutoff": _span(a, "min_cutoff_freq", "max_cutoff_freq"), **_rolloff_in(a, n)}),
    "BandPassFilter": ("audio.bandpass", lambda a, n: {
        "center": _span(a, "min_center_freq", "max_center_freq"),
        "bandwidth": _span(a, "min_bandwidth_fraction", "max_bandwidth_fraction"), **_rolloff_in(a, n)}),
}


def _leaf_in(t: Any, path: str, result: Any, p: float | None = None) -> Transform | None:
    name = type(t).__name__
    if name not in _READERS:
        why = UNMAPPABLE_BACK.get(name, "no augviz equivalent is mapped")
        result.dropped.append((path, name, why))
        return None
    tid, read = _READERS[name]
    notes: list[str] = []
    if p is not None and float(t.p) != p:
        notes.append(f"audiomentations applies a chosen step with its own p={float(t.p):g}; augviz applies "
                     "chosen steps always")
    try:
        params = read(vars(t), notes)
        out = get_transform(tid)(p=float(t.p) if p is None else p, **params)
    except AugvizError as exc:
        result.drop_failed(path, name, exc)
        return None
    if notes:
        result.approximate.append((path, name, "; ".join(notes)))
    else:
        result.exact.append((path, name))
    return out


#: audiomentations classes augviz reads no equivalent of, and why (from UNMAPPABLE)
UNMAPPABLE_BACK = {
    "AddBackgroundNoise": UNMAPPABLE["audio.background_noise"],
    "GainTransition": UNMAPPABLE["audio.gain_transition"],
    "AdjustDuration": UNMAPPABLE["audio.pad_trim"],
    "RoomSimulator": UNMAPPABLE["audio.reverb"],
    "ApplyImpulseResponse": UNMAPPABLE["audio.reverb"],
    "Resample": UNMAPPABLE["audio.speed"],
    "TimeMask": UNMAPPABLE["audio.time_mask"],
    "Lambda": "runs code given in Python (augviz never executes code from a pipeline)",
}


def _steps_in(items: Any, path: str, result: Any) -> list[Any]:
    steps: list[Any] = []
    for i, t in enumerate(items):
        where = f"{path}[{i}]"
        name = type(t).__name__
        kids = getattr(t, "transforms", None)
        if name == "Compose" and isinstance(kids, list) and float(t.p) == 1.0 and not t.shuffle:
            steps += _steps_in(kids, f"{where}.transforms", result)
        elif name in ("OneOf", "SomeOf") and isinstance(kids, list):
            read = [_leaf_in(c, f"{where}.transforms[{j}]", result, p=1.0) for j, c in enumerate(kids)]
            children = [c for c in read if c is not None]
            if not children:
                continue
            if name == "OneOf":
                steps.append(OneOf(children, p=float(t.p)))
            else:
                n = t.num_transforms
                if not isinstance(n, int):
                    n = int(n[0])
                    result.approximate.append((where, name, f"num_transforms={t.num_transforms}: augviz "
                                               f"applies exactly {n}"))
                steps.append(SomeOf(children, n=min(n, len(children)), p=float(t.p)))
        else:
            leaf = _leaf_in(t, where, result)
            if leaf is not None:
                steps.append(leaf)
    return steps


def from_audiomentations(pipeline: Any) -> Any:
    """Convert a live audiomentations pipeline (``Compose``, ``OneOf``, ``SomeOf`` or one
    transform) into an augviz audio recipe, with the same report as
    :func:`~augviz.interop.from_albumentations` (exact / approximate / dropped rows).

    Example
    -------
    >>> import audiomentations as AM  # doctest: +SKIP
    >>> from_audiomentations(AM.Compose([AM.Gain(p=0.5)])).recipe  # doctest: +SKIP
    Recipe([Gain(gain_db=(-12.0, 12.0), p=0.5)], modality='audio')
    """

    result = ImportResult(recipe=Recipe([], modality="audio"), source="audiomentations")
    if not type(pipeline).__module__.startswith("audiomentations"):
        raise InteropError(f"expected an audiomentations pipeline; got {type(pipeline).__name__}")
    top = pipeline.transforms if type(pipeline).__name__ == "Compose" else [pipeline]
    if type(pipeline).__name__ == "Compose":
        if float(pipeline.p) != 1.0:
            result.dropped.append(("transforms", "Compose", f"p={pipeline.p:g} on the whole pipeline is not "
                                   "kept (the recipe always runs)"))
        if pipeline.shuffle:
            result.dropped.append(("transforms", "Compose", "shuffle=True is not kept (a recipe runs its "
                                   "steps in order)"))
    result.recipe = Recipe(_steps_in(top, "transforms", result), modality="audio",
                           meta={"imported_from": "audiomentations"})
    return result
