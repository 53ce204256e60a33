"""Issue 18, point 5: a writer that finds the warehouse held waits a bounded time, naming the holder
(its PID, and its command when hubmine recorded it), then fails clearly. Real processes throughout:
a holder process with a DuckDB connection, and `hubmine load` as another process."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from processes import env

from warehouse.db import WarehouseError, connect_reader, connect_writer, lock_wait
from warehouse.holders import holders_dir

HOLDER = """
import sys
from pathlib import Path
import duckdb
from warehouse.db import connect_reader
path = Path(sys.argv[1])
con = duckdb.connect(str(path), read_only=True) if sys.argv[2] == "plain" else connect_reader(path)
print("holding", flush=True)
sys.stdin.read()  # until the test closes our stdin
con.close()
"""


@pytest.fixture
def home(tmp_path) -> Path:
    home = tmp_path / "home"
    (home / "landing").mkdir(parents=True)
    connect_writer(home / "warehouse.duckdb").close()
    return home


def hold(tmp_path: Path, home: Path, kind: str = "hubmine") -> subprocess.Popen:
    script = tmp_path / "holder.py"
    script.write_text(HOLDER)
    proc = subprocess.Popen([sys.executable, str(script), str(home / "warehouse.duckdb"), kind],
                            env=env(tmp_path), stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline() == "holding\n"
    return proc


def hubmine(tmp_path: Path, *args: str, **environ: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "hubmine.cli", *args], env=env(tmp_path) | environ,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_writer_waits_for_a_reader_then_fails_naming_it(tmp_path, home):
    holder = hold(tmp_path, home)
    try:
        started = time.monotonic()
        load = hubmine(tmp_path, "load", "--home", str(home), "--lock-wait", "2")
        out, err = load.communicate(timeout=120)
        waited = time.monotonic() - started
    finally:
        holder.communicate("", timeout=60)
    assert load.returncode == 1, (out, err)
    waiting, failed = err.splitlines()
    who = f"PID {holder.pid} (holder.py {home / 'warehouse.duckdb'} hubmine, reading since "
    assert waiting.startswith(f"waiting up to 2 s for {home / 'warehouse.duckdb'}: held by {who}"), waiting
    assert failed.startswith(f"Error: cannot write {home / 'warehouse.duckdb'}: still held after 2 s by {who}"), failed
    assert "--lock-wait" in failed and "HUBMINE_LOCK_WAIT" in failed
    assert waited >= 2
    assert not holders_dir(home / "warehouse.duckdb").exists()  # the holder's record left with it


def test_a_writer_gets_the_file_once_the_reader_is_done(tmp_path, home):
    holder = hold(tmp_path, home)
    load = hubmine(tmp_path, "load", "--home", str(home), HUBMINE_LOCK_WAIT="60")
    try:
        waiting = load.stderr.readline()  # the writer reached the lock and waits
        time.sleep(0.5)
        assert load.poll() is None
    finally:
        holder.communicate("", timeout=60)
    out, err = load.communicate(timeout=120)
    assert waiting.startswith(f"waiting up to 60 s for {home / 'warehouse.duckdb'}: held by PID {holder.pid}")
    assert load.returncode == 0 and err == "", err
    assert out == f"nothing to load\nwarehouse: {home / 'warehouse.duckdb'}\n"


def test_a_holder_that_is_not_hubmine_is_named_by_its_pid_and_program(tmp_path, home):
    holder = hold(tmp_path, home, "plain")
    try:
        load = hubmine(tmp_path, "analyze", "--home", str(home), "--lock-wait", "0")
        out, err = load.communicate(timeout=120)
    finally:
        holder.communicate("", timeout=60)
    assert load.returncode == 1
    (line,) = err.splitlines()  # no wait, so no waiting line
    assert line.startswith(f"Error: cannot write {home / 'warehouse.duckdb'}: held by PID {holder.pid} ("), line
    assert "not a hubmine command" in line


def test_a_connection_records_its_holder_while_it_lives_and_sweeps_records_of_dead_processes(tmp_path, home):
    import gc
    import json
    import os

    folder = holders_dir(home / "warehouse.duckdb")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{dead.stdout.strip()}-0000.json").write_text("{}")  # left by a process killed meanwhile
    con = connect_reader(home / "warehouse.duckdb")
    [record] = folder.glob("*.json")
    entry = json.loads(record.read_text())
    assert record.name.startswith(f"{os.getpid()}-") and entry["pid"] == os.getpid() and entry["writing"] is False
    con.close()
    del con
    gc.collect()
    assert not folder.exists()
    assert sorted(home.iterdir()) == [home / "landing", home / "warehouse.duckdb"]  # nothing beside the warehouse


def test_lock_wait_comes_from_the_environment_and_a_bad_value_is_refused(monkeypatch):
    monkeypatch.delenv("HUBMINE_LOCK_WAIT", raising=False)
    assert lock_wait() == 60.0 and lock_wait(5) == 5
    monkeypatch.setenv("HUBMINE_LOCK_WAIT", "2.5")
    assert lock_wait() == 2.5
    for bad in ("soon", "-1", "nan"):
        monkeypatch.setenv("HUBMINE_LOCK_WAIT", bad)
        with pytest.raises(WarehouseError, match="HUBMINE_LOCK_WAIT"):
            lock_wait()
