"""On a 1366×768 screen (a laptop, a projector) the Explorer's grid is on screen next to
its controls (or above them when the space is narrow) after Run All, in JupyterLab with
the file browser open and in Voila, and it does not move when the mode changes.

Screenshots go to ``AUGVIZ_SCREENSHOTS`` (a folder) when set, else to the test's tmp dir.
"""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path
from urllib.parse import urlparse

import pytest
from jupyter_helpers import REPO, run_notebook_in_lab, shutdown_kernels, voila

pytestmark = [pytest.mark.browser, pytest.mark.slow]

VIEWPORT = {"width": 1366, "height": 768}
GRID = ".augviz-explorer .augviz-preview img.widget-image"


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("AUGVIZ_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


_BOXES = """(root) => {
  const ex = document.querySelectorAll('.augviz-explorer')[root];
  const box = (el) => { const r = el.getBoundingClientRect();
                        return {left: r.left, right: r.right, top: r.top, bottom: r.bottom,
                                width: r.width, height: r.height}; };
  const img = ex.querySelector('.augviz-preview img.widget-image');
  return {grid: box(img), controls: box(ex.querySelector('.augviz-controls')),
          natural: img.naturalWidth,
          viewport: {width: window.innerWidth, height: window.innerHeight}};
}"""


def _bring_explorer_up(page, index: int = 0) -> None:
    """Scroll as a reader would: the explorer's top at the top of what scrolls."""
    page.wait_for_function(
        "(i) => { const ex = document.querySelectorAll('.augviz-explorer')[i];"
        " const img = ex && ex.querySelector('.augviz-preview img.widget-image');"
        " return img && img.naturalWidth > 0; }", arg=index)
    page.evaluate("(i) => document.querySelectorAll('.augviz-explorer')[i]"
                  ".scrollIntoView({block: 'start'})", index)
    page.wait_for_timeout(400)


def _assert_on_screen_beside_or_above(b) -> None:
    grid, controls, vp = b["grid"], b["controls"], b["viewport"]
    assert grid["width"] > 150 and grid["height"] > 100, b
    assert grid["left"] >= 0 and grid["right"] <= vp["width"] + 0.5, f"grid off screen sideways: {b}"
    assert grid["top"] >= 0 and grid["bottom"] <= vp["height"] + 0.5, f"grid off screen vertically: {b}"
    beside = grid["left"] >= controls["right"] - 0.5 and grid["top"] < controls["bottom"]
    above = grid["bottom"] <= controls["top"] + 0.5
    assert beside or above, f"the grid is neither beside nor above the controls: {b}"


def _switch_mode_and_check_stable(page, before) -> None:
    explorer = page.locator(".augviz-explorer").first
    old = page.evaluate(f"() => document.querySelector('{GRID}').src")
    explorer.locator("button", has_text="fixed").first.click()
    page.wait_for_function(f"(old) => document.querySelector('{GRID}').src !== old", arg=old)
    page.wait_for_timeout(400)
    after = page.evaluate(_BOXES, 0)
    # the controls do not move and the grid keeps its place and row height
    for key in ("left", "top", "width"):
        assert abs(after["controls"][key] - before["controls"][key]) < 1, (before, after)
    assert abs(after["grid"]["top"] - before["grid"]["top"]) < 1, (before, after)
    assert abs(after["grid"]["left"] - before["grid"]["left"]) < 1, (before, after)
    assert abs(after["grid"]["height"] - before["grid"]["height"]) < 2, (before, after)


def test_explorer_grid_on_screen_in_jupyterlab_with_the_file_browser_open(lab, page, shots):
    url, _root = lab
    page.set_viewport_size(VIEWPORT)
    run_notebook_in_lab(page, url, "02_explorer.ipynb")
    page.evaluate("() => window.jupyterapp.shell.activateById('filebrowser')")
    page.wait_for_selector(".jp-FileBrowser", state="visible")
    _bring_explorer_up(page)
    before = page.evaluate(_BOXES, 0)
    page.screenshot(path=str(shots / "lab-1366-explorer-random.png"))
    _assert_on_screen_beside_or_above(before)
    _switch_mode_and_check_stable(page, before)
    page.screenshot(path=str(shots / "lab-1366-explorer-fixed.png"))
    shutdown_kernels(page)


def test_explorer_grid_on_screen_in_voila(lab, page, shots):
    url, _root = lab
    page.set_viewport_size(VIEWPORT)
    page.goto(f"{url}/voila/render/02_explorer.ipynb")
    _bring_explorer_up(page)
    before = page.evaluate(_BOXES, 0)
    page.screenshot(path=str(shots / "voila-1366-explorer-random.png"))
    _assert_on_screen_beside_or_above(before)
    _switch_mode_and_check_stable(page, before)
    page.screenshot(path=str(shots / "voila-1366-explorer-fixed.png"))


def test_explorer_grid_above_the_controls_when_narrow(lab, page, shots):
    url, _root = lab
    page.set_viewport_size({"width": 640, "height": 900})
    page.goto(f"{url}/voila/render/02_explorer.ipynb")
    _bring_explorer_up(page)
    b = page.evaluate(_BOXES, 0)
    page.screenshot(path=str(shots / "voila-640-explorer.png"))
    assert b["grid"]["bottom"] <= b["controls"]["top"] + 0.5, b
    assert b["grid"]["top"] >= 0 and b["grid"]["bottom"] <= b["viewport"]["height"], b


_CLIPPED = """() => {
  const b = document.querySelector('.augviz-builder');
  const out = [];
  const inside = (el, box, what) => {
    const r = el.getBoundingClientRect(), c = box.getBoundingClientRect();
    if (r.right > c.right + 0.5 || r.left < c.left - 0.5)
      out.push(`${what} ${r.left.toFixed(0)}..${r.right.toFixed(0)}`
               + ` outside ${c.left.toFixed(0)}..${c.right.toFixed(0)}`);
  };
  const col = b.querySelector('.augviz-controls');
  inside(b.querySelector("input[placeholder^='search transforms']"), col, 'search box');
  inside(b.querySelector('.augviz-catalogue select'), col, 'catalogue list');
  for (const card of b.querySelectorAll('.augviz-step'))
    for (const el of card.querySelectorAll('.widget-slider, .widget-dropdown, .widget-readout'))
      inside(el, card, 'step control ' + (el.innerText || el.className).slice(0, 30));
  inside(b.querySelector('.augviz-json textarea'), b.querySelector('.augviz-preview'), 'JSON area');
  for (const r of b.querySelectorAll('.widget-readout'))
    if (r.scrollWidth > r.clientWidth + 1) out.push('readout cut: ' + r.innerText);
  return out;
}"""


def test_builder_beside_its_preview_and_nothing_clipped_in_jupyterlab(lab, page, shots):
    url, _root = lab
    page.set_viewport_size(VIEWPORT)
    run_notebook_in_lab(page, url, "03_recipe_builder.ipynb")
    page.evaluate("() => window.jupyterapp.shell.activateById('filebrowser')")
    page.wait_for_selector(".jp-FileBrowser", state="visible")
    page.wait_for_selector(".augviz-builder .augviz-preview img.widget-image")
    page.evaluate("() => document.querySelector('.augviz-builder').scrollIntoView({block: 'start'})")
    page.wait_for_timeout(400)
    page.screenshot(path=str(shots / "lab-1366-builder.png"))
    page.locator(".augviz-builder .augviz-step").last.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "lab-1366-builder-steps.png"))
    boxes = page.evaluate("""() => {
      const b = document.querySelector('.augviz-builder');
      const r = (s) => b.querySelector(s).getBoundingClientRect();
      return {controls: r('.augviz-controls'), preview: r('.augviz-preview')}; }""")
    assert boxes["preview"]["left"] >= boxes["controls"]["right"] - 0.5, boxes  # beside at 1366 px
    assert page.evaluate(_CLIPPED) == []
    shutdown_kernels(page)


def _app_command() -> tuple[dict[str, str], list[str]]:
    """The environment and Voila arguments of ``make app`` (read from the Makefile)."""
    recipe = re.search(r"^app:.*\n((?:\t.*\n)+)", (REPO / "Makefile").read_text(), re.M).group(1)
    words = shlex.split(recipe.replace("\\\n", " "))
    env = dict(w.split("=", 1) for w in words if re.match(r"^[A-Z_]+=", w))
    env = {k: str(REPO / v.split("$", 1)[0]) for k, v in env.items()}
    voila_at = next(i for i, w in enumerate(words) if w.endswith("/voila"))
    return env, words[voila_at + 1:]


def test_make_app_serves_the_builder_alone_and_requests_nothing_outside(browser_ready, page, shots,
                                                                      tmp_path):
    env, args = _app_command()
    notebook = REPO / args[0]
    options = tuple(a for a in args[1:] if not a.startswith(("--port", "--no-browser", "--Voila.ip")))
    outside: list[str] = []

    def record(request) -> None:
        if urlparse(request.url).hostname not in (None, "127.0.0.1", "localhost"):
            outside.append(request.url)

    page.on("request", record)
    page.set_viewport_size(VIEWPORT)
    with voila(notebook, tmp_path, args=options, env=env) as url:
        page.goto(url)
        page.wait_for_selector(".augviz-builder .augviz-preview img.widget-image")
        page.wait_for_timeout(500)
        page.screenshot(path=str(shots / "app-1366.png"))
        text = page.locator("#rendered_cells, body").first.inner_text()
        assert page.locator(".augviz-builder").count() == 1
        assert page.locator(".augviz-explorer").count() == 0
        assert "saved" not in text and "True" not in text and '"format"' not in text.split("recipe JSON")[0]
        # the buttons' icons are drawn with the icon font from Voila's own bundle
        family = page.evaluate("""() => getComputedStyle(
            document.querySelector('.augviz-builder button i.fa'), '::before').fontFamily""")
        assert "Font Awesome" in family
        assert page.evaluate("() => document.fonts.check('900 16px \"Font Awesome 5 Free\"')")
    page.remove_listener("request", record)
    assert outside == [], f"the app requested {outside}"


def test_saved_run_notebook_shows_its_previews_without_a_kernel(lab, page, shots, monkeypatch):
    """A teacher runs a notebook, saves it and hands it out: opened without running,
    every preview is still there (the static copy), the live widget being gone."""
    import nbformat
    from nbclient import NotebookClient

    url, root = lab
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    nb = nbformat.read(root / "02_explorer.ipynb", as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(root)}}).execute()
    nbformat.write(nb, root / "02_run.ipynb")
    page.set_viewport_size(VIEWPORT)
    page.goto(f"{url}/lab/tree/02_run.ipynb?reset")
    page.wait_for_selector(".jp-Notebook .jp-Cell")
    statics = page.locator(".jp-OutputArea-child .jp-RenderedImage img")
    statics.first.wait_for()
    assert statics.count() == 2  # one per explorer
    statics.first.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    page.screenshot(path=str(shots / "lab-1366-run-notebook-no-kernel.png"))
    for i in range(2):
        box = statics.nth(i).bounding_box()
        assert box and box["width"] > 100 and box["height"] > 50
    page.evaluate("() => window.jupyterapp.commands.execute('kernelmenu:shutdown')")
