"""The Dask executor (``--executor dask``, checker/executors/dask.py) on a local cluster: the same output as
one process, outcomes in order with a bounded number of chunks in flight, a worker killed mid-run loses no
file, and what cannot run (no extra, no scheduler) is one line with exit 2."""

from __future__ import annotations

import functools
import gc
import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from bench.gen_sheets import document
from checker.cli import app

pytest.importorskip("distributed")  # the test extra installs it; CI runs every test here

runner = CliRunner()


def _sheets(folder: Path, n: int) -> list[str]:
    folder.mkdir(exist_ok=True)
    paths = []
    for i in range(n):
        path = folder / f"{i:04d}.txt"
        path.write_text(document(1, seed=i), encoding="utf-8")
        paths.append(str(path))
    return paths


def test_a_local_cluster_writes_the_same_json_as_one_process(tmp_path: Path) -> None:
    _sheets(tmp_path / "in", 200)
    (tmp_path / "in" / "empty.txt").write_text("", encoding="utf-8")  # a rejected file: its line is the same too
    one = runner.invoke(app, ["check", str(tmp_path / "in"), "-f", "json", "-j", "1"])
    cluster = runner.invoke(app, ["check", str(tmp_path / "in"), "-f", "json", "-j", "2", "--executor", "dask"])
    assert one.exit_code == cluster.exit_code == 2, (one.output, cluster.output)
    assert len(json.loads(one.stdout)["files"]) == 201
    assert cluster.stdout == one.stdout
    # Nothing of Dask's own on stderr: only the rejected file's line.
    assert cluster.stderr == one.stderr
    assert gc.get_freeze_count() == 0  # the heap frozen for the run (executors.dask._frozen) is thawed after it


def test_the_run_heap_is_frozen_while_the_cluster_works_and_thawed_after() -> None:
    from checker.executors.dask import _frozen

    with _frozen():
        assert gc.get_freeze_count() > 1000
    assert gc.get_freeze_count() == 0


def test_outcomes_come_in_order_with_few_chunks_in_flight(tmp_path: Path) -> None:
    from distributed import Client, LocalCluster

    from checker.batch import WorkItem, guided_chunks
    from checker.executors.dask import ordered
    from tests.dask_tasks import slow_echo

    items = [WorkItem(str(tmp_path / f"{i:04d}.txt")) for i in range(120)]
    chunks = guided_chunks(items, 2)
    live = []
    # Threads, not processes: this test is about the order and the window, not about the parser.
    out = []
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster,
        Client(cluster, set_as_default=False) as client,
    ):
        for outcome in ordered(client, chunks, slow_echo, window=3, send_bytes=False):
            out.append(outcome.error)
            live.append(len(client.futures))
    assert out == [f"{i:04d}" for i in range(120)]
    assert max(live) <= 3 and len(chunks) > 3 * 3


@pytest.mark.slow
def test_a_worker_killed_mid_run_loses_no_file(tmp_path: Path) -> None:
    from checker import batch
    from checker.config import Config
    from checker.executors.dask import DaskExecutor
    from checker.rules.engine import Engine
    from tests.dask_tasks import killing

    paths = _sheets(tmp_path / "in", 24)
    task = functools.partial(killing, once="0007.txt", always="0013.txt", marker=str(tmp_path / "killed"))
    engine = Engine(Config())
    batch.set_engine(engine)
    items = [batch.WorkItem(p) for p in paths]
    outcomes = list(DaskExecutor().outcomes(items, engine, task, 2))
    assert [o.path for o in outcomes] == paths
    assert (tmp_path / "killed").exists()  # the once-file did kill a worker
    expected = [batch.work_one(item, keep_sheets=False, encode=None) for item in items]
    for got, want in zip(outcomes, expected, strict=True):
        if got.path.endswith("0013.txt"):
            assert got.report is None and "internal error" in (got.error or "")
        else:
            assert got.error is None and got.report is not None and want.report is not None
            assert [f.fingerprint for f in got.report.findings] == [f.fingerprint for f in want.report.findings]


def test_without_the_extra_one_line_and_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.txt").write_text(document(1), encoding="utf-8")
    monkeypatch.setitem(sys.modules, "distributed", None)  # `import distributed` now fails as if not installed
    result = runner.invoke(app, ["check", str(tmp_path / "a.txt"), "--executor", "dask"])
    assert result.exit_code == 2, result.output
    said = result.stderr.strip()
    assert "\n" not in said and "pip install 'jixiao[dask]'" in said and "Traceback" not in result.output
    assert result.stdout == ""


@pytest.mark.parametrize("address", ["tcp://127.0.0.1:9", "zz-nonsense"])
def test_an_unreachable_scheduler_is_one_line_and_exit_2(tmp_path: Path, address: str) -> None:
    import dask

    (tmp_path / "a.txt").write_text(document(1), encoding="utf-8")
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        result = runner.invoke(app, ["review", str(tmp_path / "a.txt"), "-o", str(tmp_path / "r.xlsx"),
                                     "--executor", "dask", "--scheduler", address])  # fmt: skip
    said = result.stderr.strip()
    assert result.exit_code == 2, result.output
    assert "\n" not in said and address in said and "scheduler" in said, said
    assert not (tmp_path / "r.xlsx").exists()


def test_cluster_options_without_dask_are_refused(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(document(1), encoding="utf-8")
    for extra in (["--scheduler", "tcp://127.0.0.1:8786"], ["--send-bytes"]):
        result = runner.invoke(app, ["check", str(tmp_path / "a.txt"), *extra])
        assert result.exit_code == 2 and "--executor dask" in result.stderr, result.output
    typo = runner.invoke(app, ["check", str(tmp_path / "a.txt"), "--executor", "dusk"])
    assert typo.exit_code == 2 and "did you mean 'dask'" in typo.stderr


def test_relative_paths_and_sent_bytes_give_the_same_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A local cluster's workers share the working directory, so relative paths mean the same there; with
    --send-bytes the files' bytes travel instead, and the output still names the paths as given."""
    _sheets(tmp_path / "in", 3)
    monkeypatch.chdir(tmp_path)
    one = runner.invoke(app, ["check", "in", "-f", "json", "-j", "1"])
    cluster = runner.invoke(app, ["check", "in", "-f", "json", "-j", "1", "--executor", "dask", "--send-bytes"])
    assert cluster.exit_code == one.exit_code and cluster.stdout == one.stdout, cluster.output
    assert os.path.join("in", "0000.txt") in cluster.stdout


def test_a_running_cluster_reads_absolute_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """--scheduler: the workers were started elsewhere (here: before the chdir, so their working directory
    is not the run's); a relative path on the command line still reaches them, and the output names it as
    given."""
    import logging

    import dask
    from distributed import LocalCluster

    from checker.executors import fork_server

    _sheets(tmp_path / "in", 4)
    # Forked from the run's fork server (preloaded with the checker) rather than spawned (importing it all
    # again): a worker takes the working directory this process had when it started, all the same.
    method = "forkserver" if fork_server.start() else "spawn"
    with (
        dask.config.set({"distributed.worker.multiprocessing-method": method}),
        LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                     dashboard_address=None, silence_logs=logging.CRITICAL) as cluster,
    ):  # fmt: skip
        monkeypatch.chdir(tmp_path)
        one = runner.invoke(app, ["check", "in", "-f", "json", "-j", "1"])
        remote = runner.invoke(app, ["check", "in", "-f", "json", "--executor", "dask",
                                     "--scheduler", cluster.scheduler_address])  # fmt: skip
        assert remote.exit_code == one.exit_code and remote.stdout == one.stdout, remote.output
        assert os.path.join("in", "0000.txt") in remote.stdout and str(tmp_path) not in remote.stdout


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("many") / "in"
    _sheets(folder, 600)
    return folder


@pytest.mark.slow
@pytest.mark.parametrize("when", ["starting", "checking"])
def test_an_interrupted_run_ends_quietly(many: Path, when: str) -> None:
    """SIGTERM (as Ctrl-C) while the local cluster starts its workers or while they check: exit 130, and
    nothing on stderr — not the tracebacks of workers torn down while they started. The signal follows
    the run, not the clock: it comes once a worker process exists, or once a worker's task thread has
    spent 0.2 s of CPU on files (of some 2.5 s for its half of the 600)."""
    import signal
    import subprocess
    import time

    import psutil  # installed with distributed

    proc = subprocess.Popen([sys.executable, "-m", "checker", "check", str(many), "--executor", "dask", "-j", "2"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    try:
        run = psutil.Process(proc.pid)
        # Workers are forked by the fork server, so they are not the run's own children as the fork server
        # and multiprocessing's resource tracker are.
        while proc.poll() is None and not any(_busy(p, proc.pid, 0.2 if when == "checking" else None)
                                              for p in run.children(recursive=True)):  # fmt: skip
            time.sleep(0.01)
        assert proc.poll() is None, "the run ended before the signal"
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 130 and err == b"", (proc.returncode, err)


def _busy(process: Any, run: int, task_cpu: float | None) -> bool:
    """Whether ``process`` is a worker (not the run's own child) and, with ``task_cpu``, one whose task
    thread (any but its first) has used that many seconds of CPU."""
    import psutil

    try:
        if process.ppid() == run:
            return False
        return task_cpu is None or any(t.user_time + t.system_time >= task_cpu for t in process.threads()[1:])
    except psutil.Error:  # ended since it was listed
        return False


@pytest.mark.parametrize(
    ("executor", "scheduler", "started"),
    [("dask", None, True), ("Dask", None, True), ("dask", "tcp://127.0.0.1:1", False), ("process", None, False)],
)
def test_a_local_cluster_starts_its_fork_server_before_the_files_are_listed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, executor: str, scheduler: str | None, started: bool
) -> None:
    from checker import api, batch
    from checker.config import Config
    from checker.executors import fork_server

    calls: list[str] = []
    monkeypatch.setattr(fork_server, "start", lambda: calls.append("fork server") or True)
    listing = batch.collect
    monkeypatch.setattr(batch, "collect", lambda paths: calls.append("listing") or listing(paths))
    _sheets(tmp_path / "in", 2)
    api.batch_inputs([str(tmp_path / "in")], Config(executor=executor, scheduler=scheduler))
    assert calls == (["fork server", "listing"] if started else ["listing"])
