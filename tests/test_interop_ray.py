"""Ray Data and ``augviz apply --engine ray`` on a Ray started here (127.0.0.1, 2 CPUs):
the same bytes as the local engine and as the seed contract."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from augviz import InputError, Recipe
from augviz.cli import main
from augviz.core.files import is_temporary
from augviz.core.rng import item_rng
from augviz.image import Brightness, HorizontalFlip, Rotate
from augviz.interop import InteropError
from augviz.interop.ray import RecipeBatchMapper, map_recipe

ROOT = Path(__file__).resolve().parents[1]


def recipe() -> Recipe:
    return Recipe([Rotate(angle=(-30, 30)), HorizontalFlip(p=0.5), Brightness()], seed=5)


def make_tree(root: Path, n: int = 6) -> Path:
    rng = np.random.default_rng(2)
    for i in range(n):
        folder = root / ("x" if i % 2 else "y/z")
        folder.mkdir(parents=True, exist_ok=True)
        Image.fromarray(rng.integers(0, 256, (12, 15, 3), dtype=np.uint8)).save(folder / f"{i}.png")
    return root


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != "augviz-run.json"}


def test_the_mapper_follows_the_contract_for_text_and_audio_without_a_cluster():
    from augviz.audio import Audio, Gain
    from augviz.text import RandomSwap

    rt = Recipe([RandomSwap(alpha=0.5)], seed=1)
    texts = np.array(["one two three four five", "six seven eight nine ten"], dtype=object)
    out = RecipeBatchMapper(rt.to_dict(), "text", "id", copies=2)({"text": texts, "id": np.array([3, 4])})
    assert list(out["id"]) == [3, 3, 4, 4] and list(out["augviz_copy"]) == [0, 1, 0, 1]
    assert out["text"][3] == rt(texts[1], rng=item_rng(1, 4, copy=1))

    ra = Recipe([Gain(gain_db=(-6, 6))], seed=2)
    waves = np.stack([np.sin(np.arange(3000, dtype=np.float32) / k) * 0.1 for k in (3, 7)])
    out = RecipeBatchMapper(ra, "audio", "key", sample_rate="sr")(
        {"audio": waves, "key": np.array(["a.wav", "b.wav"]), "sr": np.array([16000, 16000])})
    want = ra(Audio(waves[1], 16000), rng=item_rng(2, "b.wav")).samples
    np.testing.assert_array_equal(out["audio"][1], want)
    assert list(out["sr"]) == [16000, 16000]
    with pytest.raises(InputError, match="needs sample_rate="):
        RecipeBatchMapper(ra, "audio", "key")
    with pytest.raises(InputError, match="no column 'image'"):
        RecipeBatchMapper(recipe(), "image", "key")({"pixels": waves, "key": np.array(["a", "b"])})


def test_without_ray_the_messages_say_how_to_install_it(tmp_path, monkeypatch, capsys):
    src = make_tree(tmp_path / "in", n=1)
    path = recipe().save(tmp_path / "r.json")
    monkeypatch.setitem(sys.modules, "ray", None)
    assert main(["apply", str(path), str(src), str(tmp_path / "out"), "--engine", "ray", "--quiet"]) == 2
    assert "pip install 'augviz[ray]'" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
    with pytest.raises(InteropError, match=r"augviz\[ray\]"):
        map_recipe(object(), recipe(), column="image", key_column="key")


def test_a_ray_start_that_times_out_is_a_clear_error_with_a_way_out(tmp_path, monkeypatch, capsys):
    import types

    asked = {}

    def init(**kwargs):  # what Ray raises when its raylet does not register in time
        asked.update(kwargs)
        raise Exception("The current node timed out during startup.")

    fake = types.SimpleNamespace(is_initialized=lambda: False, init=init)
    monkeypatch.setitem(sys.modules, "ray", fake)
    monkeypatch.delenv("RAY_ADDRESS", raising=False)
    src = make_tree(tmp_path / "in", n=1)
    path = recipe().save(tmp_path / "r.json")
    assert main(["apply", str(path), str(src), str(tmp_path / "out"), "--engine", "ray", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "cannot start or join Ray at this machine: The current node timed out during startup." in err
    assert "start Ray once with `ray start --head` and add --address auto" in err
    assert not (tmp_path / "out").exists()
    # a new Ray of its own on 127.0.0.1, never one that `ray start` left running here
    assert asked["address"] == "local" and asked["_node_ip_address"] == "127.0.0.1"


def test_address_needs_the_ray_engine(tmp_path, capsys):
    src = make_tree(tmp_path / "in", n=1)
    path = recipe().save(tmp_path / "r.json")
    assert main(["apply", str(path), str(src), str(tmp_path / "out"), "--address", "auto"]) == 2
    assert "--address is for --engine ray" in capsys.readouterr().err


def test_an_address_where_no_cluster_answers_is_a_clear_error_at_once(tmp_path, capsys):
    pytest.importorskip("ray", reason="the ray extra is not installed")
    import socket

    with socket.socket() as s:  # a port on this machine that nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    src = make_tree(tmp_path / "in", n=1)
    path = recipe().save(tmp_path / "r.json")
    args = ["apply", str(path), str(src), str(tmp_path / "out"), "--engine", "ray", "--address",
            f"127.0.0.1:{port}"]
    assert main(args) == 2
    assert f"--address 127.0.0.1:{port}: no Ray cluster answers there" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


ray = pytest.importorskip("ray", reason="the ray extra is not installed")


@pytest.fixture(scope="module")
def cluster():
    """A Ray of 2 CPUs on 127.0.0.1 whose workers import this checkout's augviz."""
    old = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), old) if p)
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    try:
        ray.init(address="local", num_cpus=2, include_dashboard=False, _node_ip_address="127.0.0.1",
                 log_to_driver=False)
        yield ray
    finally:
        ray.shutdown()
        if old is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = old


@pytest.mark.slow
def test_engine_ray_writes_the_local_engines_tree_and_record(cluster, tmp_path):
    src = make_tree(tmp_path / "in")
    path = recipe().save(tmp_path / "r.json")
    runs = {}
    for name, extra in (("one", []), ("two", ["--workers", "2"]), ("ray", ["--engine", "ray"])):
        out = tmp_path / name
        assert main(["apply", str(path), str(src), str(out), "--copies", "2", "--quiet", *extra]) == 0
        runs[name] = (tree_bytes(out), json.loads((out / "augviz-run.json").read_text()))
    assert runs["one"][0] == runs["two"][0] == runs["ray"][0] and len(runs["ray"][0]) == 12
    record, local = runs["ray"][1], runs["one"][1]
    assert record["engine"] == "ray" and record["workers"] == 2 and local["engine"] == "local"
    same = ("status", "complete", "recipe", "seed", "copies", "files", "outputs", "present", "done",
            "skipped", "written")
    assert {k: record[k] for k in same} == {k: local[k] for k in same}
    assert not [p for p in (tmp_path / "ray").rglob("*") if is_temporary(p)]


@pytest.mark.slow
# Ray Data warns about its own default settings
@pytest.mark.filterwarnings("ignore::DeprecationWarning:ray.data.context")
def test_map_batches_gives_the_bytes_of_apply_for_any_batch_size(cluster, tmp_path):
    src = make_tree(tmp_path / "in", n=4)
    out = tmp_path / "out"
    assert main(["apply", str(recipe().save(tmp_path / "r.json")), str(src), str(out), "--copies", "2",
                 "--quiet"]) == 0
    rows = [{"image": np.asarray(Image.open(p)), "key": p.relative_to(src).as_posix()}
            for p in sorted(src.rglob("*.png"))]
    got = map_recipe(ray.data.from_items(rows), recipe(), column="image", key_column="key", copies=2,
                     batch_size=3).take_all()
    assert len(got) == 8
    for row in got:
        stem = row["key"][:-4]
        want = np.asarray(Image.open(out / f"{stem}__aug{row['augviz_copy']}.png"))
        np.testing.assert_array_equal(row["image"], want)


def _descends_from_us(pid: int) -> bool:
    """Whether ``pid`` was started (through the Ray this test started) by this process: the
    machine may run other Rays whose workers are not ours to kill."""
    for _ in range(5):
        stat = Path(f"/proc/{pid}/stat").read_text()
        pid = int(stat[stat.rindex(")") + 2:].split()[1])  # the parent's id
        if pid == os.getpid():
            return True
        if pid <= 1:
            return False
    return False


def _kill_a_busy_worker(stop) -> bool:
    """SIGKILL the first worker of this test's Ray seen running a chunk of ``augviz apply``."""
    import signal
    import time

    while not stop.is_set():
        for proc in Path("/proc").iterdir():
            try:
                if (proc.name.isdigit() and (proc / "cmdline").read_bytes().startswith(b"ray::_RayWorker.run")
                        and _descends_from_us(int(proc.name))):
                    os.kill(int(proc.name), signal.SIGKILL)
                    return True
            except OSError:
                continue
        time.sleep(0.01)
    return False


def _apply_killing_one_worker(args: list[str]) -> tuple[int, bool]:
    import threading

    stop, result = threading.Event(), {}
    killer = threading.Thread(target=lambda: result.update(killed=_kill_a_busy_worker(stop)))
    killer.start()
    try:
        code = main(args)
    finally:
        stop.set()
        killer.join()
    return code, result["killed"]


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="finds Ray workers through /proc")
def test_a_killed_worker_is_retried_or_the_run_fails_cleanly_and_resumes(cluster, tmp_path, monkeypatch,
                                                                         capsys):
    import augviz.cli

    src = make_tree(tmp_path / "in", n=3)
    # one big photo keeps a worker busy for a second or more: it is the one killed
    y, x = np.mgrid[0:2000, 0:2000]
    big = np.stack([(x // 7) % 256, (y // 5) % 256, ((x + y) // 9) % 256], -1).astype(np.uint8)
    Image.fromarray(big).save(src / "big.png")
    path = recipe().save(tmp_path / "r.json")
    local = tmp_path / "local"
    assert main(["apply", str(path), str(src), str(local), "--quiet"]) == 0
    out = tmp_path / "ray"
    args = ["apply", str(path), str(src), str(out), "--engine", "ray", "--quiet"]

    monkeypatch.setattr(augviz.cli._RayEngine, "RETRIES", 0)  # no restarts: the run must fail cleanly
    code, killed = _apply_killing_one_worker(args)
    assert killed and code == 3
    err = capsys.readouterr().err
    assert "the Ray run failed" in err and "--resume" in err and "Traceback" not in err
    record = json.loads((out / "augviz-run.json").read_text())
    assert record["status"] == "failed" and not record["complete"]
    assert "big.png" not in record["done"]
    assert not [p for p in out.rglob("*") if is_temporary(p)]
    for name in record["done"]:  # whatever was recorded is whole
        assert (out / name).read_bytes() == (local / name).read_bytes()

    monkeypatch.setattr(augviz.cli._RayEngine, "RETRIES", 3)  # restarted and run again: completes
    code, killed = _apply_killing_one_worker([*args, "--resume"])
    assert killed and code == 0
    assert tree_bytes(out) == tree_bytes(local)
    assert json.loads((out / "augviz-run.json").read_text())["status"] == "complete"
