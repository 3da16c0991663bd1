"""Backups, leftovers and kill -9 (issue 15): a killed refresh leaves the workbook old or new
and readable, every backup readable, and nothing the next run does not clean up; rotation never
removes the last readable backup.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import pytest

from helpers import SRC, make_book, sha256
from lyue_xl.cli import main
from lyue_xl.workbook.safe_write import BACKUP_DIR, list_backups, prune_backups, readable

BENCH = Path(__file__).resolve().parents[1] / "bench"


def dead_pid() -> int:
    """A process id that no process has: a child that has exited and been reaped."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_rotation_never_removes_the_last_readable_backup(tmp_path):
    book = make_book(tmp_path)
    folder = tmp_path / BACKUP_DIR
    folder.mkdir()
    good = folder / "台账-20250101-000000.xlsx"
    shutil.copyfile(book, good)
    broken = []
    for i in range(1, 6):
        path = folder / f"台账-20250101-00000{i}.xlsx"
        path.write_bytes(book.read_bytes()[: 3000 * i])  # truncated by a killed copy
        broken.append(path)
    prune_backups(book, 5)
    assert list_backups(book) == [good, *broken]  # the readable one stays
    newest = folder / "台账-20250102-000000.xlsx"
    shutil.copyfile(book, newest)
    prune_backups(book, 5)
    assert list_backups(book) == [*broken[1:], newest]  # a readable one is kept: old one goes
    assert readable(newest) and not any(readable(p) for p in broken)


def test_a_later_run_removes_what_killed_runs_left(tmp_path, capsys):
    book = make_book(tmp_path)
    gone = dead_pid()
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        leftovers = [
            tmp_path / f".台账.lyue{gone}-k3j2x9.lyue-tmp",
            tmp_path / BACKUP_DIR / f".台账.lyue{gone}-backup.lyue-tmp",
            tmp_path / ".台账.q8w7e6r5.lyue-tmp",  # an older version's name: goes by age
        ]
        kept = [
            tmp_path / f".台账.lyue{live.pid}-a1b2c3.lyue-tmp",  # a live run is writing it
            tmp_path / ".台账.z1x2c3v4.lyue-tmp",  # recent, owner unknown
            tmp_path / f".其他.lyue{gone}-k3j2x9.lyue-tmp",  # another workbook's
        ]
        (tmp_path / BACKUP_DIR).mkdir()
        for path in leftovers + kept:
            path.write_bytes(b"PK partial")
        two_hours_ago = time.time() - 7200
        os.utime(leftovers[2], (two_hours_ago, two_hours_ago))
        system = Path(tempfile.gettempdir())
        stale_dir = system / f"lyue-{gone}-ab12cd34"
        live_dir = system / f"lyue-{live.pid}-ef56gh78"
        for folder in (stale_dir, live_dir):
            folder.mkdir()
            (folder / "results.xlsx").write_bytes(b"PK partial")
        try:
            assert main(["refresh", str(book)]) == 0
            assert [p for p in leftovers if p.exists()] == []
            assert [p for p in kept if not p.exists()] == []
            assert not stale_dir.exists() and live_dir.exists()
        finally:
            shutil.rmtree(stale_dir, ignore_errors=True)
            shutil.rmtree(live_dir, ignore_errors=True)
    finally:
        live.kill()
        live.wait()


def mid_size(path: Path) -> Path:
    sys.path.insert(0, str(BENCH))
    try:
        from bench_refresh import build
    finally:
        sys.path.remove(str(BENCH))
    build(path, 800)
    return path


def start_refresh(book: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ, PYTHONPATH=str(SRC), PYTHONIOENCODING="utf-8")
    return subprocess.Popen(
        [sys.executable, "-m", "lyue_xl", "refresh", str(book), "--as-of", "2026-06-30"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def is_workbook(path: Path) -> bool:
    if not readable(path):
        return False
    with zipfile.ZipFile(path) as archive:
        return "xl/workbook.xml" in archive.namelist()


@pytest.mark.slow
def test_kill_during_refresh_leaves_old_or_new(tmp_path):
    book = mid_size(tmp_path / "台账.xlsx")
    started = time.monotonic()
    first = start_refresh(book)
    assert first.wait(timeout=300) == 0, first.stderr.read() if first.stderr else ""
    duration = time.monotonic() - started
    refreshed = sha256(book)
    rng = random.Random(15)
    killed = []
    for _ in range(20):
        before = sha256(book)
        run = start_refresh(book)
        time.sleep(rng.uniform(0.2, duration * 1.1))
        run.send_signal(signal.SIGKILL)
        run.wait()
        killed.append(run.pid)
        assert is_workbook(book)
        # old or new: a refresh with the same base date writes the same bytes again
        assert sha256(book) == before == refreshed
        for backup in list_backups(book):
            assert readable(backup), backup.name
    final = start_refresh(book)
    assert final.wait(timeout=300) == 0
    assert is_workbook(book)
    assert all(readable(p) for p in list_backups(book))
    assert len(list_backups(book)) <= 5
    left = [p.name for p in [*tmp_path.iterdir(), *(tmp_path / BACKUP_DIR).iterdir()]]
    assert [name for name in left if name.endswith(".lyue-tmp")] == []
    system = Path(tempfile.gettempdir())
    assert [p for pid in killed for p in system.glob(f"lyue-{pid}-*")] == []
