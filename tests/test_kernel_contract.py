"""One way to write a transform: a kernel called by keyword with the spec names.

For every registered transform whose ``_apply`` is the modality base's, ``kernel`` is
declared, receives the data as its only positional argument and every drawn value by
keyword, and names its parameters after the values ``sample`` draws — so two swapped
arguments cannot pass unnoticed. Transforms with their own ``_apply`` are listed with
the reason the work is more than one kernel call.
"""

from __future__ import annotations

import inspect

import pytest
from helpers import contract_inputs

import augviz
from augviz.core.transform import Transform

TRANSFORMS = augviz.catalogue()
#: modality bases whose ``_apply`` calls ``kernel`` (they may adapt the data or values)
_KERNEL_BASES = {"Transform", "AudioTransform", "SpectrogramTransform", "ImageTransform", "TextTransform"}
#: the data arguments a base passes besides the drawn values
_CONTEXT = {"audio": {"sample_rate"}}
#: values a base turns into one kernel argument before the call
_FOLDED = {"text": ({"keep_negations", "keep_numbers", "protect"}, "protect")}


def _owner(cls: type[Transform]) -> type:
    return next(k for k in cls.__mro__ if "_apply" in k.__dict__)


def _uses_kernel(cls: type[Transform]) -> bool:
    return _owner(cls).__name__ in _KERNEL_BASES


def _expected(cls: type[Transform]) -> set[str]:
    names = set(cls.value_names()) | _CONTEXT.get(cls.modality, set())
    if cls.modality in _FOLDED:
        folded, into = _FOLDED[cls.modality]
        if names & folded:
            names = (names - folded) | {into}
    return names


KERNEL = [pytest.param(c, id=c.id) for c in TRANSFORMS if _uses_kernel(c)]
OWN = [pytest.param(c, id=c.id) for c in TRANSFORMS if not _uses_kernel(c)]


@pytest.mark.parametrize("cls", KERNEL)
def test_kernel_names_its_parameters_after_the_values(cls):
    assert cls.kernel is not None, f"{cls.id} declares neither kernel nor _apply"
    params = list(inspect.signature(cls.kernel).parameters.values())
    data, rest = params[0], params[1:]
    assert data.kind in (data.POSITIONAL_ONLY, data.POSITIONAL_OR_KEYWORD)
    required = {p.name for p in rest if p.default is p.empty and p.kind is not p.VAR_KEYWORD}
    accepted = {p.name for p in rest}
    expected = _expected(cls)
    assert required <= expected, f"{cls.id}: kernel requires {required - expected}, which sample never draws"
    assert expected <= accepted, f"{cls.id}: kernel does not take {expected - accepted}"


@pytest.mark.parametrize("cls", KERNEL)
def test_kernel_is_called_by_keyword(cls, monkeypatch):
    calls = []
    original = cls.kernel

    def spy(*args, **kwargs):
        calls.append((len(args), set(kwargs)))
        return original(*args, **kwargs)

    monkeypatch.setattr(cls, "kernel", staticmethod(spy))
    _, factory = contract_inputs(cls.modality)[0]
    cls(p=1.0)(factory(), rng=0)
    assert calls, f"{cls.id}: the kernel was not called"
    n_positional, keywords = calls[0]
    assert n_positional == 1, f"{cls.id}: {n_positional} positional arguments; only the data may be"
    assert keywords == _expected(cls)


def test_few_transforms_need_their_own_apply():
    """An own ``_apply`` is for real work (several kernels, conversions); a forwarder
    that only passes arguments on is a kernel declaration instead."""
    own = sorted(c.id for c in TRANSFORMS if not _uses_kernel(c))
    assert len(own) <= len(TRANSFORMS) // 4, own
