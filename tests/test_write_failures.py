"""A write that fails (full disk, quota, read-only medium, denied, name too long) is one Chinese
line and exit 2; the workbook is unchanged, no partial backup and no temporary file is left
(issue 18). Failures are injected at the OS boundary (the standard library's calls), and a real
small filesystem (tmpfs) is filled up.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
from collections import namedtuple
from datetime import date
from pathlib import Path

import pytest

from helpers import make_book, put_rows, set_items, sha256
from lyue_xl.cli import main
from lyue_xl.workbook.safe_write import list_backups

Usage = namedtuple("Usage", "total used free")


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = make_book(tmp_path_factory.mktemp("source"))
    set_items(path, "设置", {"基准日期": date(2025, 6, 30)})
    put_rows(path, "供应商", [{"供应商编号": f"S{i}", "供应商名称": f"供{i}"} for i in range(3)])
    return path


def refreshed_once(source: Path, folder: Path) -> Path:
    """A copy of ``source`` refreshed once, so that the next refresh makes a backup."""
    folder.mkdir(parents=True, exist_ok=True)
    book = Path(shutil.copyfile(source, folder / "台账.xlsx"))
    assert main(["refresh", str(book)]) == 0
    return book


def listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def refuse(err: str) -> str:
    assert err.endswith("\n") and err.count("\n") == 1 and "Traceback" not in err, err
    assert "程序内部错误" not in err and "未被修改" in err, err
    return err


def fail_with(code: int):
    def fail(*_args, **_kwargs):
        raise OSError(code, os.strerror(code))

    return fail


STEPS = {
    # the temporary file beside the workbook cannot be created
    "temp-create": ("tempfile.mkstemp", None),
    # writing the new package: flushing it to disk fails
    "temp-write": ("os.fsync", None),
    # the backup copy fails half way
    "backup": ("shutil.copyfileobj", None),
    # the final rename fails
    "replace": ("os.replace", None),
}
MESSAGES = {
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "磁盘配额",
    errno.EROFS: "只读",
    errno.EACCES: "不可写",
    errno.ENAMETOOLONG: "路径",
}


@pytest.mark.parametrize("code", sorted(MESSAGES))
@pytest.mark.parametrize("step", sorted(STEPS))
def test_injected_write_failure(source, tmp_path, capsys, monkeypatch, step, code):
    book = refreshed_once(source, tmp_path / "wb")
    backups = list_backups(book)
    before, files = sha256(book), listing(book.parent)
    name = STEPS[step][0]
    module, function = name.rsplit(".", 1)
    real = getattr(__import__(module), function)
    calls = {"n": 0}

    def injected(*args, **kwargs):
        if step == "backup":
            src, dst = args[:2]
            if not str(getattr(dst, "name", "")).endswith(".lyue-tmp"):
                return real(*args, **kwargs)  # not the backup (xlsxwriter copies too)
            dst.write(src.read(1000))  # a partial backup is on its way when the disk fills
            raise OSError(code, os.strerror(code))
        if step == "replace" and not str(args[1]).endswith("台账.xlsx"):
            return real(*args, **kwargs)  # the backup's own rename goes through
        if step == "temp-create" and Path(kwargs.get("dir") or ".") != book.parent:
            return real(*args, **kwargs)  # the system temp folder is tested elsewhere
        if step == "temp-write":
            calls["n"] += 1
            if calls["n"] > 1:
                return real(*args, **kwargs)
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(name, injected)
    code_, err = main(["refresh", str(book)]), capsys.readouterr().err
    assert code_ == 2, err
    assert MESSAGES[code] in refuse(err), err
    assert sha256(book) == before
    assert listing(book.parent) == files  # no temporary file, no partial backup
    assert list_backups(book) == backups


def test_disk_full_message_says_how_much_is_needed(source, tmp_path, capsys, monkeypatch):
    book = refreshed_once(source, tmp_path / "wb")
    monkeypatch.setattr("shutil.disk_usage", lambda _p: Usage(10**9, 10**9 - 5000, 5000))
    before = sha256(book)
    assert main(["refresh", str(book)]) == 2
    err = refuse(capsys.readouterr().err)
    need = -(-(2 * book.stat().st_size + 2**20) // 2**20)
    assert f"磁盘空间不足：需要约 {need} MB 可用空间" in err and "只剩约 1 MB" in err
    assert sha256(book) == before


@pytest.fixture
def small_disk(tmp_path: Path):
    """A 4 MB tmpfs mounted for the test (unmounted afterwards)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=True)


def fill(disk: Path, leave: int) -> None:
    free = shutil.disk_usage(disk).free
    with open(disk / "filler.bin", "wb") as handle:
        handle.write(b"\0" * max(0, free - leave))
    assert shutil.disk_usage(disk).free <= leave + 8192


@pytest.mark.parametrize("share", [0.0, 0.5, 1.3, "bypass-0.5", "bypass-1.3"])
def test_real_full_filesystem(source, tmp_path, small_disk, capsys, monkeypatch, share):
    book = refreshed_once(source, small_disk / "wb")
    size = book.stat().st_size
    before, backups = sha256(book), list_backups(book)
    bypass = isinstance(share, str)
    fill(small_disk, int(size * float(str(share).removeprefix("bypass-"))))
    if bypass:  # skip the cheap check: the writes themselves hit the full disk
        monkeypatch.setattr("shutil.disk_usage", lambda _p: Usage(10**12, 0, 10**12))
    files = listing(book.parent)
    code = main(["refresh", str(book)])
    err = refuse(capsys.readouterr().err)
    assert code == 2 and "磁盘空间不足" in err
    assert sha256(book) == before
    assert listing(book.parent) == files
    assert list_backups(book) == backups
    monkeypatch.undo()
    (small_disk / "filler.bin").unlink()
    assert main(["refresh", str(book)]) == 0  # with room again it works
    assert len(list_backups(book)) == len(backups) + 1
