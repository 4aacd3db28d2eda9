"""The draw plan: what one call of a transform draws, compiled once per instance.

A transform's values come from its specs (``spec.sample``/``spec.draw`` in ``PARAMS``
order, the seed, the SPLIT extras, the positions). Asking the specs costs a few method
calls per value, which is most of a call for kernels that take microseconds. The plan
works the draws out once, when the transform is made: the range arithmetic is done, the
fixed values are filled in, and the draws are written out as one small function with no
loop and no dispatch, which a call then runs. For numpy's usual bit generators a uniform
draw is read straight from ``random_raw`` (the same number as ``Generator.random()``, a
third of the cost); any other bit generator takes ``Generator.random()``.

The function gives exactly what the specs give — the same values, in the same order, with
the stream left in the same place — which ``tests/core/test_draw_plan.py`` checks for every
registered transform against five bit generators.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from .params import Param, Range
from .rng import RAW64

__all__ = ["LEAVE_OUT", "Roll", "compile_plan"]

#: ``roll(gen, coin)``: the values of one call, or ``None`` when the coin (drawn first,
#: with ``coin``) says skip
Roll = Callable[[np.random.Generator, bool], "dict[str, Any] | None"]

# bit generators whose ``Generator.random()`` is ``(next 64-bit word >> 11) * 2**-53``
_RAW_DOUBLE = RAW64
_TWO_M53 = 1.0 / 9007199254740992.0
SEED_HIGH = 2**31 - 1
#: in ``compile_plan(fixed=...)``: leave this value out
LEAVE_OUT = object()


def compile_plan(
    specs: Sequence[Param],
    params: Mapping[str, Any],
    p: float,
    *,
    compact: bool,
    uses_seed: bool,
    split: Mapping[str, Sequence[str]],
    positions: Sequence[str],
    fixed: Mapping[str, Any] | None = None,
    kernel: Callable[..., Any] | None = None,
    extra: Sequence[str] = (),
) -> Callable[..., Any]:
    """Compile the draws of one call of a transform with these specs and values.

    ``compact`` picks the draw layout (see ``Transform.compact_draws``): without it every
    range takes one draw even when fixed and the seed is ``integers(0, 2**31 - 1)``; with
    it a fixed range takes no draw and the seed is 31 bits of one raw word. ``fixed``
    hands back other values in place of values that draw nothing (a modality's kernel
    form of them; a name mapped to :data:`LEAVE_OUT` is left out): the draws stay the same.

    Without ``kernel`` the function is ``roll(gen, coin=True)``: the values (a dict), or
    ``None`` when the coin says skip. With ``kernel`` it is ``run(data, gen, *extra)``: it
    draws the coin and the values and returns ``kernel(data, <extra>=..., <values>)``,
    called by keyword with no dict in between, or ``None`` when the coin says skip — a
    modality's call for transforms that are one kernel call.
    """
    consts: dict[str, Any] = {"_M": _TWO_M53, "_RAW": _RAW_DOUBLE, "_p": p, "_exp": math.exp,
                              "_floor": math.floor, "_SEED_HIGH": SEED_HIGH}

    def const(value: Any) -> str:
        name = f"_c{len(consts)}"
        consts[name] = value
        return name

    # the draw statements, written with <U> for "one uniform double from the stream"
    body: list[str] = []
    out: dict[str, str] = {}  # value name -> expression, in the order ``sample`` returns them
    for spec in specs:
        name, value = spec.name, params[spec.name]
        var = f"v{len(body)}"
        if type(spec) is Range:
            lo, hi = value
            if lo == hi:
                if not compact:
                    body.append("<DRAW>")  # the draw a fixed range takes, value unused
                out[name] = const(lo)
                continue
            if spec.integer:
                count = const(hi - lo + 1)
                body.append(f"{var} = int(min({const(hi)}, {const(lo)} + _floor(<U> * {count})))")
            elif spec.log and lo > 0:
                start, width = const(math.log(lo)), const(math.log(hi) - math.log(lo))
                body.append(f"{var} = _exp({start} + <U> * {width})")
            else:
                body.append(f"{var} = {const(lo)} + <U> * {const(hi - lo)}")
            out[name] = var
        elif getattr(type(spec), method := "draw" if compact else "sample") is getattr(Param, method):
            out[name] = const(value)  # a spec that draws nothing: its value, fixed
        else:
            body.append(f"{var} = {const(getattr(spec, method))}({const(value)}, gen)")
            out[name] = var
    if uses_seed:
        var = f"v{len(body)}"
        body.append(f"{var} = int(gen.bit_generator.random_raw()) >> 33" if compact
                    else f"{var} = int(gen.integers(0, _SEED_HIGH))")
        out["seed"] = var
    by_name = {s.name: s for s in specs}
    for name, names in split.items():
        out[names[0]] = out.pop(name)  # the spec's own draw is the first split value
        for more in names[1:]:
            var = f"v{len(body)}"
            body.append(f"{var} = {const(by_name[name].sample)}({const(params[name])}, gen)")
            out[more] = var
    for name in positions:
        var = f"v{len(body)}"
        body.append(f"{var} = <U>")
        out[name] = var
    for name, value in (fixed or {}).items():
        if out.get(name, "").startswith("v"):
            raise ValueError(f"{name!r} is drawn; only values that draw nothing can be replaced")
        if value is LEAVE_OUT:
            out.pop(name, None)
        else:
            out[name] = const(value)
    if kernel is None:
        head, skip = "def roll(gen, coin=True):", "coin and "
        result = "{" + ", ".join(f"{name!r}: {expr}" for name, expr in out.items()) + "}"
    else:
        head, skip = f"def run(data, gen{''.join(', ' + name for name in extra)}):", ""
        args = ["data", *(f"{name}={name}" for name in extra), *(f"{n}={e}" for n, e in out.items())]
        result = f"{const(kernel)}({', '.join(args)})"

    def branch(draw: str) -> list[str]:
        u = f"(({draw} >> 11) * _M)" if draw == "raw()" else draw
        lines = [f"if {skip}{u} >= _p:", "    return None"]
        lines += [line.replace("<U>", u).replace("<DRAW>", draw) for line in body]
        return [*lines, f"return {result}"]

    source = "\n".join([
        head,
        "    bg = gen.bit_generator",
        "    if type(bg) in _RAW:",
        "        raw = bg.random_raw",
        *("        " + line for line in branch("raw()")),
        *("    " + line for line in branch("gen.random()")),
    ])
    namespace = dict(consts)
    exec(_compiled(source), namespace)  # the source holds names and placeholders only
    return namespace["roll" if kernel is None else "run"]


@lru_cache(maxsize=1024)
def _compiled(source: str) -> Any:
    # the source names its constants, never holds them: transforms of one class and shape
    # share it, and making a transform (a slider tick) does not compile
    return compile(source, "<draw plan>", "exec")
