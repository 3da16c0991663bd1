"""Locks, read-only files, failures half way and bounded backups (DESIGN §6)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from lyue_xl.errors import LyueError
from lyue_xl.workbook import zipcopy
from lyue_xl.workbook.package import ColumnUpdate, write_results
from lyue_xl.workbook.safe_write import BACKUP_DIR, atomic_write, list_backups
from package_books import OWNED, make_generated, make_user_workbook

UPDATES = [ColumnUpdate("供应商", 2, "等级", {3: "A"})]


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return make_user_workbook(tmp_path / "台账.xlsx", extras=False)


@pytest.fixture
def generated(tmp_path: Path) -> Path:
    return make_generated(tmp_path / "engine" / "generated.xlsx")


@pytest.fixture(autouse=True)
def engine_folder(tmp_path: Path) -> None:
    (tmp_path / "engine").mkdir()


def folder_listing(book: Path) -> list[str]:
    return sorted(p.name for p in book.parent.iterdir())


@pytest.mark.parametrize("lock_name", ["~$台账.xlsx", ".~lock.台账.xlsx#"])
def test_locked_workbook_is_refused_and_unchanged(book, generated, lock_name):
    (book.parent / lock_name).write_text("owner")
    before = book.read_bytes()
    listing = folder_listing(book)
    with pytest.raises(LyueError) as error:
        write_results(book, generated, OWNED, UPDATES)
    message = str(error.value)
    assert str(book) in message and lock_name in message
    assert "请先在 Excel/WPS 中关闭该工作簿" in message and "删除" in message
    assert book.read_bytes() == before
    assert folder_listing(book) == listing


def test_read_only_workbook_is_refused(book, generated):
    before = book.read_bytes()
    os.chmod(book, stat.S_IRUSR | stat.S_IRGRP)
    try:
        with pytest.raises(LyueError, match="只读"):
            write_results(book, generated, OWNED, UPDATES)
    finally:
        os.chmod(book, 0o644)
    assert book.read_bytes() == before


def test_unwritable_folder_is_refused(book, generated, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError("denied")

    monkeypatch.setattr("tempfile.mkstemp", refuse)
    before = book.read_bytes()
    with pytest.raises(LyueError, match="不可写"):
        write_results(book, generated, OWNED, UPDATES)
    assert book.read_bytes() == before


def test_generated_file_that_is_not_a_zip_leaves_everything_unchanged(book, tmp_path):
    bad = tmp_path / "engine" / "generated.xlsx"
    bad.write_bytes(b"not a zip at all")
    before = book.read_bytes()
    listing = folder_listing(book)
    with pytest.raises(Exception):  # noqa: B017 - any failure must leave the file alone
        write_results(book, bad, OWNED, UPDATES)
    assert book.read_bytes() == before
    assert folder_listing(book) == listing


def test_failure_after_half_the_file_is_written(book, generated, monkeypatch):
    def broken_close(self):
        raise OSError("disk full")

    monkeypatch.setattr(zipcopy.RawZipWriter, "close", broken_close)
    before = book.read_bytes()
    listing = folder_listing(book)
    with pytest.raises(LyueError, match="disk full.*未被修改"):
        write_results(book, generated, OWNED, UPDATES)
    assert book.read_bytes() == before
    assert folder_listing(book) == listing


def test_user_file_that_is_not_an_xlsx(tmp_path, generated):
    fake = tmp_path / "台账.xlsx"
    fake.write_text("编号,名称\n1,甲\n", encoding="utf-8")
    with pytest.raises(LyueError, match="不是有效的 Excel 工作簿"):
        write_results(fake, generated, OWNED, UPDATES)
    assert fake.read_text(encoding="utf-8") == "编号,名称\n1,甲\n"
    assert folder_listing(fake) == ["engine", "台账.xlsx"]


def test_missing_user_sheet_names_the_sheet(book, generated):
    with pytest.raises(LyueError, match="找不到工作表「款项」"):
        write_results(book, generated, OWNED, [ColumnUpdate("款项", 1, "x", {2: 1})])


def test_backups_are_bounded_and_hold_previous_versions(book, generated):
    versions = []
    for grade in "ABCDEF":
        versions.append(book.read_bytes())
        write_results(
            book, generated, OWNED, [ColumnUpdate("供应商", 2, "等级", {3: grade})], backups=3
        )
    kept = list_backups(book)
    assert len(kept) == 3
    assert [p.read_bytes() for p in kept] == versions[-3:]
    assert all(p.parent.name == BACKUP_DIR and p.name.startswith("台账-") for p in kept)


def test_backups_zero_keeps_none(book, generated):
    write_results(book, generated, OWNED, UPDATES, backups=0)
    assert list_backups(book) == []


def test_atomic_write_keeps_mode_and_creates_new_files(tmp_path):
    target = tmp_path / "new.xlsx"
    atomic_write(target, lambda out: out.write_bytes(b"one"))
    assert target.read_bytes() == b"one" and list_backups(target) == []
    os.chmod(target, 0o640)
    atomic_write(target, lambda out: out.write_bytes(b"two"))
    assert target.read_bytes() == b"two"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.read_bytes() for p in list_backups(target)] == [b"one"]
