"""Start JupyterLab / Voila on 127.0.0.1 with private dirs and drive them in Debian's
Chromium via Playwright. Shared by tests/browser and benchmarks/widget_latency.py."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO / "notebooks"
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def private_env(base: Path) -> dict[str, str]:
    """Environment with private Jupyter config/runtime/data/settings dirs, the news
    pop-up and update check switched off."""
    env = dict(os.environ)
    dirs = {k: base / k.lower() for k in ("JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR",
                                          "JUPYTER_DATA_DIR", "JUPYTERLAB_SETTINGS_DIR",
                                          "JUPYTERLAB_WORKSPACES_DIR", "IPYTHONDIR")}
    for k, d in dirs.items():
        d.mkdir(parents=True, exist_ok=True)
        env[k] = str(d)
    settings = dirs["JUPYTERLAB_SETTINGS_DIR"] / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True, exist_ok=True)
    (settings / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    # render every cell (no windowing), so widgets below the fold are in the DOM
    nb_settings = dirs["JUPYTERLAB_SETTINGS_DIR"] / "@jupyterlab" / "notebook-extension"
    nb_settings.mkdir(parents=True, exist_ok=True)
    (nb_settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    env.pop("JUPYTER_PREFER_ENV_PATH", None)
    return env


def copy_notebooks(root: Path, names: list[str]) -> None:
    root.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(NOTEBOOKS / name, root / name)


def _wait_http(url: str, proc: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode} before answering {url}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status < 500:
                    return
        except OSError:
            time.sleep(0.15)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


@contextlib.contextmanager
def _server(cmd: list[str], env: dict[str, str], url: str, log: Path, cwd: Path
            ) -> Iterator[str]:
    with log.open("wb") as fh:
        proc = subprocess.Popen(cmd, env=env, stdout=fh, stderr=subprocess.STDOUT,
                                start_new_session=True, cwd=cwd)
        try:
            _wait_http(url, proc, 60)
            yield url
        finally:
            _stop(proc)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop the server and the kernels it started (one process group: ours)."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)  # our own session, started above
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)


@contextlib.contextmanager
def jupyterlab(root: Path, base: Path) -> Iterator[str]:
    """JupyterLab serving ``root``; yields the base URL."""
    port = free_port()
    cmd = [str(BIN / "jupyter-lab"), "--no-browser", "--ip=127.0.0.1", f"--port={port}",
           "--IdentityProvider.token=", "--ServerApp.password=",
           "--ServerApp.disable_check_xsrf=True", "--allow-root",
           "--LabApp.expose_app_in_browser=True",
           "--ServerApp.jpserver_extensions={'jupyter_lsp': False}",
           "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
           "--ServerApp.open_browser=False", f"--ServerApp.root_dir={root}"]
    with _server(cmd, private_env(base), f"http://127.0.0.1:{port}/api/status",
                 base / "lab.log", root):
        yield f"http://127.0.0.1:{port}"


@contextlib.contextmanager
def voila(notebook: Path, base: Path, args: tuple[str, ...] = (),
          env: dict[str, str] | None = None) -> Iterator[str]:
    """Voila serving one notebook (extra command-line ``args`` and ``env``); yields its URL."""
    port = free_port()
    cmd = [str(BIN / "voila"), "--no-browser", "--Voila.ip=127.0.0.1", f"--port={port}",
           "--show_tracebacks=True", *args, str(notebook)]
    with _server(cmd, {**private_env(base), **(env or {})}, f"http://127.0.0.1:{port}/",
                 base / "voila.log", notebook.parent):
        yield f"http://127.0.0.1:{port}/"


@contextlib.contextmanager
def chromium(viewport: tuple[int, int] = (1400, 1000)) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
            page.set_default_timeout(60_000)
            yield page
        finally:
            browser.close()


# -- JupyterLab --------------------------------------------------------------------------
_RUN_ALL = """async () => {
  const app = window.jupyterapp;
  const panel = app.shell.currentWidget;
  await panel.context.ready;
  await panel.sessionContext.ready;
  const kernel = panel.sessionContext.session.kernel;
  await kernel.info;   // the kernel has answered a request: it accepts code now
  window.__augvizRunAt = performance.now();
  await app.commands.execute('notebook:run-all-cells');
}"""


_RUN_STATE = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const counts = [];
  for (const cell of panel.content.model.cells) {
    if (cell.type === 'code') counts.push(cell.executionCount);
  }
  if (counts.every(c => typeof c === 'number' && c > 0)) return 'done';
  const status = panel.sessionContext.session?.kernel?.status;
  // a dropped Run All: the kernel sits idle, some cells never ran
  if (status === 'idle' && performance.now() - window.__augvizRunAt > 4000) return 'dropped';
  return false;
}"""


def run_notebook_in_lab(page: Any, base_url: str, name: str, attempts: int = 3) -> None:
    """Open ``name`` in JupyterLab and run all cells until every prompt shows ``[n]:``.

    Guards against the premature-"idle" drop of Run All (seen here): await the session's
    kernel, run, then check the prompts and retry.
    """
    page.goto(f"{base_url}/lab/tree/{name}?reset")
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
                           " && window.jupyterapp.shell.currentWidget.sessionContext")
    page.wait_for_selector(".jp-Notebook .jp-Cell")
    for attempt in range(attempts):
        page.evaluate(_RUN_ALL)
        state = page.wait_for_function(_RUN_STATE, timeout=120_000, polling=250).json_value()
        if state == "done":
            break
        _raise_cell_errors(page)  # a failing cell also stops Run All: say which
        if attempt == attempts - 1:
            raise AssertionError(f"Run All was dropped {attempts} times")
    _raise_cell_errors(page)


def _raise_cell_errors(page: Any) -> None:
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr'],"
                          " .jp-RenderedText[data-mime-type='application/vnd.jupyter.error']")
    if errors.count():
        raise AssertionError("a cell failed: " + errors.first.inner_text()[:2000])


def shutdown_kernels(page: Any) -> None:
    page.evaluate("""async () => {
      const app = window.jupyterapp;
      if (app) { await app.serviceManager.sessions.refreshRunning();
                 await app.commands.execute('kernelmenu:shutdown-all').catch(() => {}); }
    }""")


# -- sliders and pixels ------------------------------------------------------------------
def slider(scope: Any, label: str) -> Any:
    """The ``.widget-slider`` labelled exactly ``label`` (first match in ``scope``)."""
    page = getattr(scope, "page", scope)
    exact = page.locator(".widget-label", has_text=re.compile(f"^{re.escape(label)}$"))
    return scope.locator(".widget-slider").filter(has=exact).first


_ARM = """(sel) => {
  const img = document.querySelector(sel);
  const old = img.src;
  window.__augvizT0 = null;
  document.addEventListener('keydown', () => { window.__augvizT0 = performance.now(); },
                            {capture: true, once: true});
  window.__augvizPixels = new Promise((resolve) => {
    const check = () => {
      const now = document.querySelector(sel);
      if (now.src !== old) {
        now.decode().catch(() => {}).then(() => requestAnimationFrame(() =>
          resolve({t1: performance.now(), src: now.src})));
      } else { requestAnimationFrame(check); }
    };
    requestAnimationFrame(check);
  });
}"""


def press_and_time(page: Any, handle: Any, key: str, img_selector: str) -> tuple[float, str]:
    """Press ``key`` on a focused slider handle; return (ms from keydown to the new
    image decoded and a frame painted, new src)."""
    handle.focus()
    page.evaluate(_ARM, img_selector)
    page.keyboard.press(key)
    res = page.evaluate("async () => { const r = await window.__augvizPixels;"
                        " return {ms: r.t1 - window.__augvizT0, src: r.src}; }")
    return float(res["ms"]), str(res["src"])
