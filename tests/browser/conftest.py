"""Real-browser fixtures: Debian's Chromium via Playwright, JupyterLab / Voila on
127.0.0.1 with private dirs. Without /usr/bin/chromium the tests skip, unless
AUGVIZ_REQUIRE_BROWSER=1 (CI), where a missing browser is a failure."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from jupyter_helpers import CHROMIUM, chromium, copy_notebooks, jupyterlab

REQUIRED = os.environ.get("AUGVIZ_REQUIRE_BROWSER") == "1"


def _missing() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (apt-get install -y chromium)"
    if importlib.util.find_spec("playwright") is None:
        return "Python playwright is not installed (pip install playwright)"
    return None


@pytest.fixture(scope="module")
def browser_ready() -> None:
    why = _missing()
    if why:
        if REQUIRED:
            pytest.fail(f"AUGVIZ_REQUIRE_BROWSER=1 but {why}")
        pytest.skip(f"real-browser test skipped: {why}")


@pytest.fixture(scope="module")
def lab(browser_ready, tmp_path_factory):
    """(base URL, root dir) of a JupyterLab serving copies of the widget notebooks."""
    base = tmp_path_factory.mktemp("lab")
    root = base / "root"
    copy_notebooks(root, ["02_explorer.ipynb", "03_recipe_builder.ipynb"])
    with jupyterlab(root, base) as url:
        yield url, root


@pytest.fixture(scope="module")
def page(browser_ready):
    with chromium() as p:
        yield p
