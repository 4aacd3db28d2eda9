"""End to end in a real browser: the Explorer and the Recipe Builder in JupyterLab,
the Explorer notebook in Voila (Debian's Chromium via Playwright)."""

from __future__ import annotations

import re

import pytest
from jupyter_helpers import press_and_time, run_notebook_in_lab, shutdown_kernels, slider

import augviz

pytestmark = [pytest.mark.browser, pytest.mark.slow]

IMG = ".augviz-explorer img.widget-image"


def _ends(readout: str) -> tuple[float, float]:
    nums = re.findall(r"-?\d+(?:\.\d+)?", readout.replace("\u2212", "-"))
    return float(nums[0]), float(nums[-1])


def _move_angle_and_check(page):
    explorer = page.locator(".augviz-explorer").first
    img = explorer.locator("img.widget-image").first
    img.wait_for()
    page.wait_for_function("(s) => { const i = document.querySelector(s);"
                           " return i && i.src && i.naturalWidth > 0; }", arg=IMG)
    angle = slider(explorer, "angle")
    readout = angle.locator(".widget-readout")
    before_src, before_readout = img.get_attribute("src"), readout.inner_text()
    handle = angle.locator(".noUi-handle-upper")
    ms, src = press_and_time(page, handle, "ArrowRight", IMG)
    assert src != before_src, "the grid image did not change after the key press"
    page.wait_for_function("([el, old]) => el.textContent.trim() !== old",
                           arg=[readout.element_handle(), before_readout.strip()])
    after_readout = readout.inner_text()
    # "−45 – 45" → "−45 – 46": the upper end moved by one step (1°)
    assert _ends(after_readout) == (_ends(before_readout)[0], _ends(before_readout)[1] + 1)
    return ms


def test_explorer_in_jupyterlab(lab, page):
    url, _root = lab
    run_notebook_in_lab(page, url, "02_explorer.ipynb")
    ms = _move_angle_and_check(page)
    assert ms < 5000
    # the digits explorer (second) renders too and its mode switched to fixed
    assert page.locator(".augviz-explorer").count() == 2
    shutdown_kernels(page)


def test_recipe_builder_in_jupyterlab(lab, page):
    url, root = lab
    run_notebook_in_lab(page, url, "03_recipe_builder.ipynb")
    builder = page.locator(".augviz-builder").first
    builder.locator("img.widget-image").first.wait_for()
    steps = builder.locator(".augviz-step")
    n = steps.count()
    search = builder.locator("input[placeholder^='search transforms']")
    search.fill("vflip")
    select = builder.locator(".augviz-catalogue select")
    page.wait_for_function("(s) => document.querySelector(s).options.length === 1",
                           arg=".augviz-builder .augviz-catalogue select")
    select.select_option(index=0)
    builder.locator("button", has_text=re.compile(r"^\s*add\s*$")).click()
    page.wait_for_function("([s, n]) => document.querySelectorAll(s).length === n + 1",
                           arg=[".augviz-builder .augviz-step", n])
    assert "image.vflip" in steps.nth(n).inner_text()
    assert "image.vflip" in builder.locator(".augviz-json textarea").input_value()
    name = "from-browser.json"
    path_box = builder.locator(".widget-text", has=page.locator(".widget-label",
                                                                has_text=re.compile("^file$")))
    path_box.locator("input").fill(name)
    path_box.locator("input").press("Enter")
    builder.locator("button", has_text=re.compile(r"^\s*export\s*$")).click()
    builder.locator("a.augviz-download", has_text=name).wait_for()
    saved = root / name
    assert saved.exists()
    recipe = augviz.Recipe.load(saved)
    assert [s.id if s.kind == "transform" else s.kind for s in recipe.steps][-1] == "image.vflip"
    shutdown_kernels(page)


def test_explorer_in_voila(lab, page):
    """The explorer notebook rendered by Voila (its server extension, in the same server)."""
    url, _root = lab
    page.goto(f"{url}/voila/render/02_explorer.ipynb")
    _move_angle_and_check(page)
