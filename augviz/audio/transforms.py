"""Registered waveform transforms: thin classes over the kernels in ``functional``.

Every transform takes and returns :class:`~augviz.audio.Audio` (float32, same sample
rate) and declares its kernel, which the base calls as
``kernel(samples, sample_rate=sr, **values)``. Noise-like transforms draw from
``np.random.default_rng(seed)`` inside the kernel with a ``seed`` that ``sample`` puts in
the values, so a trace replays exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from augviz.core import Bool, Choice, Float, ParamError, Range, Source, register

from . import functional as F
from ._backend import ENGINES
from .base import AudioTransform

__all__ = [
    "BackgroundNoise",
    "BandPass",
    "ClippingDistortion",
    "ColoredNoise",
    "Gain",
    "GainTransition",
    "GaussianNoise",
    "GaussianSNR",
    "HighPass",
    "LowPass",
    "NoiseSource",
    "PadTrim",
    "PitchShift",
    "PolarityInversion",
    "Reverb",
    "Reverse",
    "Shift",
    "Speed",
    "TimeMask",
    "TimeStretch",
]

_ENGINE = Choice(
    "engine", ENGINES, "auto",
    doc="Stretch engine: signalsmith (python-stretch, fast, no compile), librosa (phase "
        "vocoder, numba) or auto (signalsmith when installed).",
)
_ROLLOFF = Choice("rolloff", (6, 12, 18, 24, 36, 48), 12, unit="dB/octave",
                  doc="Filter steepness (6 dB/octave per Butterworth order).")
_ZERO_PHASE = Bool("zero_phase", False,
                   doc="Filter forwards and backwards: no phase shift, twice the cost (the "
                       "low/high-pass halve the order to keep the slope).")
_SNR = Range("snr_db", -20.0, 80.0, (5.0, 40.0), step=0.5, unit="dB",
             doc="Signal-to-noise ratio: signal RMS over noise RMS.")


# -- level ---------------------------------------------------------------------------
@register("audio.gain")
class Gain(AudioTransform):
    """Make the sound louder or quieter by ``gain_db`` decibels.

    Example
    -------
    >>> import numpy as np
    >>> from augviz.audio import Audio
    >>> a = Audio(np.full(100, 0.1, np.float32), 16000)
    >>> round(float(Gain(gain_db=6.0206)(a).samples[0]), 4)
    0.2
    """

    __slots__ = ()
    kernel = F.gain
    family = "level"
    label_risk = "low for words and classes; breaks loudness/distance labels; +dB can clip"
    PARAMS = (Range("gain_db", -40.0, 40.0, (-12.0, 12.0), step=0.5, unit="dB",
                    doc="Gain in decibels (+6 dB doubles the amplitude)."),)


@register("audio.gain_transition")
class GainTransition(AudioTransform):
    """Fade the gain (linearly in dB) from ``start_db`` to ``end_db`` over part of the clip.

    Example
    -------
    >>> import numpy as np
    >>> from augviz.audio import Audio
    >>> a = Audio(np.ones(1000, np.float32), 16000)
    >>> out = GainTransition(start_db=0, end_db=-20, duration=0.5, position=0.0)(a)
    >>> float(out.samples[0]), round(float(out.samples[-1]), 3)
    (1.0, 0.1)
    """

    __slots__ = ()
    kernel = F.gain_transition
    family = "level"
    label_risk = "low; a deep fade can hide a short word or onset"
    PARAMS = (
        Range("start_db", -40.0, 40.0, (-24.0, 6.0), step=0.5, unit="dB",
              doc="Gain before the fade."),
        Range("end_db", -40.0, 40.0, (-24.0, 6.0), step=0.5, unit="dB",
              doc="Gain after the fade."),
        Range("duration", 0.0, 1.0, (0.2, 0.5), step=0.01, unit="× length",
              doc="Length of the fade as a fraction of the clip."),
        Range("position", 0.0, 1.0, (0.0, 1.0), step=0.01,
              doc="Where the fade starts: 0 at the beginning, 1 as late as possible."),
    )


@register("audio.polarity_inversion")
class PolarityInversion(AudioTransform):
    """Flip the sign of the waveform (inaudible on its own; changes phase relations).

    Example
    -------
    >>> import numpy as np
    >>> from augviz.audio import Audio
    >>> PolarityInversion()(Audio(np.array([0.5, -0.25], np.float32), 8000)).samples.tolist()
    [-0.5, 0.25]
    """

    __slots__ = ()
    kernel = F.polarity
    family = "level"
    label_risk = "none for magnitude features; only phase-sensitive labels"


@register("audio.clipping_distortion")
class ClippingDistortion(AudioTransform):
    """Hard-clip the loudest ``percentile`` % of samples, like an overdriven input.

    Example
    -------
    >>> import numpy as np
    >>> from augviz.audio import Audio
    >>> a = Audio(np.linspace(-1, 1, 101, dtype=np.float32), 8000)
    >>> round(float(ClippingDistortion(percentile=20)(a).samples.max()), 2)
    0.8
    """

    __slots__ = ()
    kernel = F.clipping
    family = "distortion"
    label_risk = "low below ~20 %; heavy clipping masks quiet consonants and audio-quality labels"
    PARAMS = (Range("percentile", 0.0, 80.0, (0.0, 40.0), step=1.0, unit="%",
                    doc="Share of samples clipped (half at each extreme)."),)


# -- noise ---------------------------------------------------------------------------
@register("audio.gaussian_noise")
class GaussianNoise(AudioTransform):
    """Add white Gaussian noise of a fixed amplitude ``std`` (full scale = 1).

    Example
    -------
    >>> import numpy as np
    >>> from augviz.audio import Audio
    >>> out = GaussianNoise(std=0.01)(Audio(np.zeros(16000, np.float32), 16000), rng=0)
    >>> round(float(out.samples.std()), 3)
    0.01
    """

    __slots__ = ()
    kernel = F.gaussian_noise
    family = "noise"
    uses_seed = True
    label_risk = ("low at small std; drowns quiet sounds (a fixed level ignores the signal's "
                  "loudness)")
    PARAMS = (Range("std", 0.0001, 1.0, (0.001, 0.015), log=True, unit="× full scale",
                    doc="Noise standard deviation."),)


@register("audio.gaussian_snr")
class GaussianSNR(AudioTransform):
    """Add white Gaussian noise at a signal-to-noise ratio ``snr_db`` (relative to the signal).

    The noise is scaled so the achieved SNR is exact. Silent input is returned unchanged.

    Example
    -------
    >>> import numpy as np
    >>> from augviz.audio import Audio, functional as F
    >>> x = np.sin(np.arange(16000, dtype=np.float32) / 5)
    >>> out = GaussianSNR(snr_db=10)(Audio(x, 16000), rng=0).samples
    >>> float(round(20 * np.log10(F.rms(x) / F.rms(out - x)), 2))
    10.0
    """

    __slots__ = ()
    kernel = F.snr_noise
    family = "noise"
    uses_seed = True
    label_risk = "low above ~10 dB; below 0 dB speech and quiet events become unrecognisable"
    PARAMS = (_SNR,)


@register("audio.colored_noise")
class ColoredNoise(AudioTransform):
    """Add coloured noise (pink 1/f, brown 1/f², blue, violet, white) at ``snr_db``.

    Example
    -------
    >>> import numpy as np
    >>> from augviz.audio import Audio
    >>> a = Audio(np.sin(np.arange(8000, dtype=np.float32) / 3), 8000)
    >>> ColoredNoise(color="brown", snr_db=20)(a, rng=1).num_samples
    8000
    """

    __slots__ = ()
    kernel = F.colored_snr_noise
    family = "noise"
    uses_seed = True
    label_risk = "low above ~10 dB; brown noise masks low voices, blue masks fricatives (s/f)"
    PARAMS = (
        _SNR,
        Choice("color", tuple(F.NOISE_COLORS), "pink",
               doc="Noise colour: power ∝ 1/f^β (white 0, pink 1, brown 2, blue −1, violet −2)."),
    )


@dataclass(frozen=True)
class NoiseSource(Source):
    """A bundled background name, or ``"folder:<path>"`` for a folder of the user's WAVs.

    A folder value is checked when the transform is made (it must exist and hold audio
    files); a recipe that names a folder only runs where that folder exists.
    """

    def check_folder(self, path: str, where: str | None) -> None:
        from .io import EXTENSIONS

        super().check_folder(path, where)
        if not _folder_files(str(Path(path).expanduser())):
            raise ParamError(f"{self._name_part(where)}{self.PREFIX}{path!r}: folder holds no audio "
                             f"files ({', '.join(EXTENSIONS)})")


def _folder_files(path: str) -> tuple[str, ...]:
    from .io import AUDIO_SUFFIXES

    return tuple(sorted(str(f) for f in Path(path).rglob("*")
                        if f.is_file() and f.suffix.lower() in AUDIO_SUFFIXES))


@lru_cache(maxsize=8)
def _folder_noises(path: str, sample_rate: int) -> tuple[np.ndarray, ...]:
    from .io import load_wav

    # 100 files at most keeps the memory bounded for big noise libraries
    return tuple(load_wav(f, sample_rate=sample_rate, mono=True).samples
                 for f in _folder_files(path)[:100])


_NOISE_SOURCE = NoiseSource("source", F.BACKGROUNDS, "babble",
                            doc="Which background: a bundled synthetic noise or 'folder:<path>'.")


@register("audio.background_noise")
class BackgroundNoise(AudioTransform):
    """Mix in a background sound at ``snr_db``: a bundled synthetic one or your own folder.

    Bundled (numpy-synthesised, nothing downloaded): pink, brown, hum (50/60 Hz mains),
    babble (several synthetic voices), wind, rain. ``source="folder:/path/to/noises"``
    picks a file (looped or cut, random offset) from a folder of WAVs.

    Example
    -------
    >>> import numpy as np
    >>> from augviz.audio import Audio
    >>> a = Audio(np.sin(np.arange(16000, dtype=np.float32) / 4), 16000)
    >>> BackgroundNoise(source="babble", snr_db=10)(a, rng=0).num_samples
    16000
    """

    __slots__ = ()
    family = "noise"
    uses_seed = True
    slow = True
    label_risk = "babble can add words that are not the label; low SNR hides the foreground"
    PARAMS = (
        _NOISE_SOURCE,
        Range("snr_db", -10.0, 60.0, (3.0, 30.0), step=0.5, unit="dB",
              doc="Foreground RMS over background RMS."),
    )

    def _apply(self, samples: np.ndarray, sample_rate: int, *, source: str, snr_db: float,
               seed: int) -> np.ndarray:
        # real work: the noise comes from a synthesiser or from the files of a folder
        n = samples.shape[-1]
        folder = _NOISE_SOURCE.folder(source)
        if folder is None:
            noise = F.background(source, n=n, sample_rate=sample_rate, seed=seed)
        else:
            noises = _folder_noises(str(Path(folder).expanduser()), sample_rate)
            rng = np.random.default_rng(seed)
            noise = noises[int(rng.integers(len(noises)))]
            noise = F.tile_to(noise, n=n, offset=int(rng.integers(noise.shape[-1])))
        return F.background_mix(samples, noise=noise, snr_db=snr_db)


# -- time ----------------------------------------------------------------------------
@register("audio.shift")
class Shift(AudioTransform):
    """Move the sound in time by ``fraction`` × its length (with or without roll-over).

    Example
    -------
    >>> import numpy as np
    >>> from augviz.audio import Audio
    >>> a = Audio(np.arange(4, dtype=np.float32), 8000)
    >>> Shift(fraction=0.25, rollover=True)(a).samples.tolist()
    [3.0, 0.0, 1.0, 2.0]
    """

    __slots__ = ()
    kernel = F.shift
    family = "time"
    label_risk = "low; without roll-over a large shift can push the event out of the clip"
    PARAMS = (
        Range("fraction", -1.0, 1.0, (-0.5, 0.5), step=0.01, unit="× length",
              doc="Shift; positive moves the sound later."),
        Bool("rollover", True, doc="Wrap what falls off one end to the other (else silence)."),
    )


@register("audio.reverse")
class Reverse(AudioTransform):
    """Play the clip backwards.

    Example
    -------
    >>> import numpy as np
    >>> from augviz.audio import Audio
    >>> Reverse()(Audio(np.array([1, 2, 3], np.float32), 8000)).samples.tolist()
    [3.0, 2.0, 1.0]
    """

    __slots__ = ()
    kernel = F.reverse
    family = "time"
    label_risk = "high for speech and music: words become non-words, onsets become swells"


@register("audio.time_mask")
class TimeMask(AudioTransform):
    """Silence a stretch of ``fraction`` × the clip's length (a dropout).

    Example
    -------
    >>> import numpy as np
    >>> from augviz.audio import Audio
    >>> out = TimeMask(fraction=0.5, position=0.0)(Audio(np.ones(8, np.float32), 8000))
    >>> out.samples.tolist()
    [0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0]
    """

    __slots__ = ()
    kernel = F.time_mask
    family = "time"
    label_risk = "a wide mask can remove the whole word or event (short clips!)"
    PARAMS = (
        Range("fraction", 0.0, 0.5, (0.0, 0.15), step=0.01, unit="× length",
              doc="Width of the silenced band."),
        Range("position", 0.0, 1.0, (0.0, 1.0), step=0.01,
              doc="Where the band sits: 0 at the start, 1 at the end."),
        Bool("fade", False, doc="Ramp in and out of the silence (no clicks)."),
    )


@register("audio.pad_trim")
class PadTrim(AudioTransform):
    """Pad with silence or cut to exactly ``duration`` seconds.

    Example
    -------
    >>> import numpy as np
    >>> from augviz.audio import Audio
    >>> PadTrim(duration=0.5)(Audio(np.ones(16000, np.float32), 16000)).num_samples
    8000
    """

    __slots__ = ()
    kernel = F.pad_trim
    family = "time"
    keeps_shape = False
    label_risk = "cutting can remove the event when it is not centred; padding is harmless"
    PARAMS = (
        Float("duration", 0.001, 600.0, 1.0, step=0.01, unit="s", doc="Output length."),
        Range("position", 0.0, 1.0, (0.5, 0.5), step=0.01,
              doc="0 keeps the start (pads/cuts at the end), 1 keeps the end, 0.5 centres."),
    )


@register("audio.time_stretch")
class TimeStretch(AudioTransform):
    """Change the tempo without changing the pitch (``rate`` 2 = twice as fast, half as long).

    Example
    -------
    >>> import numpy as np
    >>> from augviz.audio import Audio
    >>> a = Audio(np.sin(np.arange(16000, dtype=np.float32) / 4), 16000)
    >>> TimeStretch(rate=2.0)(a).num_samples
    8000
    """

    __slots__ = ()
    kernel = F.time_stretch
    family = "time"
    keeps_shape = False
    slow = True
    label_risk = "speaking-rate, tempo (BPM) and duration labels; > ±25 % sounds unnatural"
    PARAMS = (
        Range("rate", 0.5, 2.0, (0.8, 1.25), step=0.01, log=True, unit="×",
              doc="Tempo factor: > 1 faster and shorter, < 1 slower and longer."),
        Bool("keep_length", False, doc="Pad or cut the result back to the input length."),
        _ENGINE,
    )


@register("audio.pitch_shift")
class PitchShift(AudioTransform):
    """Raise or lower the pitch by ``semitones`` keeping the length (+12 = one octave).

    Example
    -------
    >>> import numpy as np
    >>> from augviz.audio import Audio
    >>> a = Audio(np.sin(np.arange(16000, dtype=np.float32) / 4), 16000)
    >>> PitchShift(semitones=3)(a).num_samples
    16000
    """

    __slots__ = ()
    kernel = F.pitch_shift
    family = "pitch"
    slow = True
    label_risk = ("speaker gender/age and identity, musical key/note labels; ±4 semitones is "
                  "mild for words")
    PARAMS = (
        Range("semitones", -12.0, 12.0, (-4.0, 4.0), step=0.1, unit="semitones",
              doc="Pitch change; 12 semitones = one octave."),
        _ENGINE,
    )


@register("audio.speed")
class Speed(AudioTransform):
    """Play faster or slower like a tape: tempo and pitch change together (resampling).

    Example
    -------
    >>> import numpy as np
    >>> from augviz.audio import Audio
    >>> Speed(factor=2.0)(Audio(np.zeros(16000, np.float32), 16000)).num_samples
    8000
    """

    __slots__ = ()
    kernel = F.speed
    family = "pitch"
    keeps_shape = False
    label_risk = "pitch and tempo at once: speaker gender/identity, key, tempo labels"
    PARAMS = (Range("factor", 0.5, 2.0, (0.9, 1.1), step=0.01, log=True, unit="×",
                    doc="Speed factor: 1.1 is 10 % faster and higher."),)


# -- filters -------------------------------------------------------------------------
@register("audio.lowpass")
class LowPass(AudioTransform):
    """Butterworth low-pass: keep what is below ``cutoff`` Hz (muffled, telephone-like).

    Example
    -------
    >>> import numpy as np
    >>> from augviz.audio import Audio
    >>> LowPass(cutoff=1000)(Audio(np.zeros(800, np.float32), 8000)).num_samples
    800
    """

    __slots__ = ()
    kernel = F.lowpass
    family = "filter"
    label_risk = "low cut-offs remove fricatives (s/f/th) and bright instruments"
    PARAMS = (
        Range("cutoff", 20.0, 20000.0, (150.0, 7500.0), log=True, unit="Hz",
              doc="Cut-off frequency (clamped below Nyquist)."),
        _ROLLOFF,
        _ZERO_PHASE,
    )


@register("audio.highpass")
class HighPass(AudioTransform):
    """Butterworth high-pass: keep what is above ``cutoff`` Hz (thin, tinny).

    Example
    -------
    >>> import numpy as np
    >>> from augviz.audio import Audio
    >>> HighPass(cutoff=300)(Audio(np.zeros(800, np.float32), 8000)).num_samples
    800
    """

    __slots__ = ()
    kernel = F.highpass
    family = "filter"
    label_risk = "high cut-offs remove the voice's fundamental and bass: gender/pitch labels"
    PARAMS = (
        Range("cutoff", 20.0, 20000.0, (20.0, 2400.0), log=True, unit="Hz",
              doc="Cut-off frequency (clamped below Nyquist)."),
        _ROLLOFF,
        _ZERO_PHASE,
    )


@register("audio.bandpass")
class BandPass(AudioTransform):
    """Butterworth band-pass around ``center`` Hz, ``bandwidth`` × centre wide.

    Example
    -------
    >>> import numpy as np
    >>> from augviz.audio import Audio
    >>> BandPass(center=1000, bandwidth=1.0)(Audio(np.zeros(800, np.float32), 8000)).num_samples
    800
    """

    __slots__ = ()
    kernel = F.bandpass
    family = "filter"
    label_risk = "narrow bands remove formants: vowels and speaker cues blur"
    PARAMS = (
        Range("center", 20.0, 20000.0, (200.0, 4000.0), log=True, unit="Hz",
              doc="Centre frequency (clamped below Nyquist)."),
        Range("bandwidth", 0.1, 1.99, (0.5, 1.99), step=0.01, unit="× centre",
              doc="Pass-band width relative to the centre."),
        Choice("rolloff", (12, 24, 36, 48), 12, unit="dB/octave",
               doc="Steepness of each skirt (12 dB/octave per order)."),
        _ZERO_PHASE,
    )


@register("audio.reverb")
class Reverb(AudioTransform):
    """Add room reverberation: convolve with a synthetic impulse response (RT60 seconds).

    Example
    -------
    >>> import numpy as np
    >>> from augviz.audio import Audio
    >>> Reverb(rt60=0.5, wet=0.3)(Audio(np.ones(8000, np.float32), 8000), rng=0).num_samples
    8000
    """

    __slots__ = ()
    kernel = F.reverb
    family = "room"
    uses_seed = True
    label_risk = "long tails smear short words and onsets; room/distance labels change"
    PARAMS = (
        Range("rt60", 0.05, 3.0, (0.2, 0.8), step=0.05, unit="s",
              doc="Reverberation time: seconds for the tail to fall by 60 dB."),
        Range("wet", 0.0, 1.0, (0.1, 0.5), step=0.05, doc="Share of reverberant sound in the mix."),
    )
