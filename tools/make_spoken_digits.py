"""Generate augviz's bundled spoken-digits set with espeak-ng (offline).

Needs ``pip install espeakng-loader`` (ships libespeak-ng and its voice data; used only
here, not at run time). Writes 16 kHz mono 16-bit WAVs, trimmed of silence, plus
``manifest.json`` to ``augviz/audio/data/spoken_digits/``::

    python tools/make_spoken_digits.py            # refuses to overwrite
    python tools/make_spoken_digits.py --force

10 digits × 12 speakers (voice/variant × rate × pitch) = 120 clips, about 1.6 MB.
The synthesis is deterministic for a given espeak-ng build.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import shutil
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "augviz" / "audio" / "data" / "spoken_digits"
WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
TARGET_SR = 16000

# (voice+variant, rate in words per minute, pitch 0..99, pitch range 0..99)
SPEAKERS = [
    ("en-us+m1", 150, 40, 50),
    ("en-us+m3", 185, 30, 40),
    ("en-us+f2", 160, 65, 60),
    ("en-us+f4", 200, 75, 70),
    ("en+m2", 130, 45, 50),
    ("en+f3", 175, 60, 50),
    ("en-gb-scotland+m4", 160, 35, 55),
    ("en-gb-scotland+f1", 145, 70, 45),
    ("en-029+m7", 170, 50, 60),
    ("en-029+f5", 190, 55, 40),
    ("en-us+klatt2", 140, 50, 50),
    ("en+croak", 165, 25, 30),
]

AUDIO_OUTPUT_SYNCHRONOUS = 2
ESPEAK_RATE, ESPEAK_VOLUME, ESPEAK_PITCH, ESPEAK_RANGE = 1, 2, 3, 4
CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int,
                            ctypes.c_void_p)


class Espeak:
    """A tiny ctypes wrapper: synthesise a word to int16 samples."""

    def __init__(self) -> None:
        import espeakng_loader

        self.lib = ctypes.CDLL(espeakng_loader.get_library_path())
        self.lib.espeak_Initialize.restype = ctypes.c_int
        sr = self.lib.espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0,
                                        espeakng_loader.get_data_path().encode(), 0)
        if sr <= 0:
            raise RuntimeError("espeak_Initialize failed")
        self.sample_rate = sr
        self._chunks: list[np.ndarray] = []

        def on_audio(wav: ctypes.POINTER(ctypes.c_short), n: int, _events: int) -> int:
            if n > 0:
                self._chunks.append(np.ctypeslib.as_array(wav, shape=(n,)).copy())
            return 0

        self._callback = CALLBACK(on_audio)  # keep a reference: ctypes does not
        self.lib.espeak_SetSynthCallback(self._callback)

    def say(self, word: str, voice: str, rate: int, pitch: int, prange: int) -> np.ndarray:
        if self.lib.espeak_SetVoiceByName(voice.encode()) != 0:
            raise RuntimeError(f"espeak-ng has no voice {voice!r}")
        for param, value in ((ESPEAK_RATE, rate), (ESPEAK_PITCH, pitch), (ESPEAK_RANGE, prange),
                             (ESPEAK_VOLUME, 100)):
            self.lib.espeak_SetParameter(param, value, 0)
        self._chunks = []
        text = word.encode() + b"\0"
        self.lib.espeak_Synth(text, len(text), 0, 0, 0, 0, None, None)
        self.lib.espeak_Synchronize()
        return np.concatenate(self._chunks) if self._chunks else np.zeros(0, np.int16)


def trim(x: np.ndarray, sr: int, threshold_db: float = -40.0, margin_s: float = 0.02) -> np.ndarray:
    """Cut leading/trailing frames quieter than ``threshold_db`` below the peak frame."""
    hop = max(1, int(0.01 * sr))
    frames = [x[i:i + hop] for i in range(0, len(x), hop)]
    level = np.array([np.sqrt(np.mean(f.astype(np.float64) ** 2)) for f in frames]) + 1e-12
    loud = np.flatnonzero(20 * np.log10(level / level.max()) > threshold_db)
    if loud.size == 0:
        return x
    m = int(margin_s * sr)
    return x[max(0, loud[0] * hop - m): min(len(x), (loud[-1] + 1) * hop + m)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="replace an existing set")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    if args.out.exists() and any(args.out.iterdir()) and not args.force:
        print(f"{args.out} exists; pass --force to regenerate", file=sys.stderr)
        return 1

    import soundfile as sf
    from scipy.signal import resample_poly

    engine = Espeak()
    tmp = args.out.with_name(args.out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    clips = []
    for digit, word in enumerate(WORDS):
        for k, (voice, rate, pitch, prange) in enumerate(SPEAKERS):
            raw = engine.say(word, voice, rate, pitch, prange).astype(np.float32) / 32768.0
            g = np.gcd(engine.sample_rate, TARGET_SR)
            y = resample_poly(raw, TARGET_SR // g, engine.sample_rate // g).astype(np.float32)
            y = trim(y, TARGET_SR)
            y *= 0.7 / max(1e-6, float(np.abs(y).max()))  # peak-normalise to −3 dBFS
            name = f"{digit}_{k:02d}.wav"
            sf.write(tmp / name, y, TARGET_SR, subtype="PCM_16")
            clips.append({"file": name, "digit": digit, "word": word, "voice": voice,
                          "rate_wpm": rate, "pitch": pitch, "pitch_range": prange,
                          "seconds": round(len(y) / TARGET_SR, 3)})
    manifest = {
        "name": "augviz spoken digits",
        "made_by": "tools/make_spoken_digits.py (espeak-ng via espeakng-loader)",
        "licence": "generated speech; espeak-ng is GPL-3.0, its output audio is not covered",
        "sample_rate": TARGET_SR,
        "clips": clips,
    }
    (tmp / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    shutil.rmtree(args.out, ignore_errors=True)
    tmp.rename(args.out)
    size = sum(f.stat().st_size for f in args.out.iterdir())
    print(f"wrote {len(clips)} clips, {size / 1e6:.2f} MB, to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
