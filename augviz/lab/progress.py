"""Progress of a lab run outside the widgets: a ``tqdm.auto`` bar when tqdm is installed
(a notebook bar in Jupyter, a text bar in a shell), else one plain line rewritten in
place. :func:`~augviz.lab.compare` uses it through ``progress=``.

Example
-------
>>> bar = ProgressLine(total=3, file=None)
>>> for _ in range(3):
...     bar({"done": 1, "total": 3, "arm": "none", "epoch": 1, "val_acc": 0.5})
>>> bar.close()
"""

from __future__ import annotations

import sys
import time
from typing import Any

__all__ = ["ProgressLine", "in_notebook", "make_progress"]


def in_notebook() -> bool:
    """Whether the code runs in a Jupyter kernel."""
    shell = sys.modules.get("IPython")
    ip = shell.get_ipython() if shell is not None and hasattr(shell, "get_ipython") else None
    return ip is not None and type(ip).__name__ == "ZMQInteractiveShell"


class ProgressLine:
    """A plain progress line (``done/total``, the arm, epoch and validation accuracy)
    rewritten in place on ``file`` (stderr by default; ``None`` writes nothing)."""

    def __init__(self, total: int, file: Any = sys.stderr) -> None:
        self.total, self.file, self.t0 = int(total), file, time.perf_counter()
        self.done = 0

    def __call__(self, ev: dict[str, Any]) -> None:
        self.done += 1
        if self.file is None:
            return
        el = time.perf_counter() - self.t0
        self.file.write(f"\rlab {self.done}/{self.total} arm-epochs  {ev.get('arm')} epoch "
                        f"{ev.get('epoch')}  val {ev.get('val_acc', float('nan')):.3f}  {el:.0f} s")
        self.file.flush()

    def close(self) -> None:
        if self.file is not None:
            self.file.write("\n")
            self.file.flush()


class _Tqdm:
    def __init__(self, total: int) -> None:
        from tqdm.auto import tqdm

        self.bar = tqdm(total=int(total), desc="lab", unit="arm-epoch", leave=True)

    def __call__(self, ev: dict[str, Any]) -> None:
        self.bar.set_postfix_str(f"{ev.get('arm')} ep {ev.get('epoch')} val {ev.get('val_acc', 0):.3f}",
                                 refresh=False)
        self.bar.update(1)

    def close(self) -> None:
        self.bar.close()


def make_progress(total: int) -> Any:
    """A progress callback ``cb(event)`` with ``cb.close()``: tqdm.auto if installed, else
    :class:`ProgressLine` on stderr."""
    try:
        return _Tqdm(total)
    except ImportError:
        return ProgressLine(total)
