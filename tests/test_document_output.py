"""Where documents are written and what they may replace (DESIGN §5 -o, §6 nothing lost)."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest

from helpers import make_book, run_cli, set_items, sha256

STAMP = "20250630"


@pytest.fixture()
def book(tmp_path: Path) -> Path:
    path = make_book(tmp_path, org="豫东精工")
    set_items(path, "设置", {"基准日期": date(2025, 6, 30)})
    return path


def refused(*args: object) -> str:
    code, _, err = run_cli(*args)
    assert code == 2, err
    assert "Traceback" not in err and "内部错误" not in err
    return err


def test_the_workbook_itself_is_never_an_output(book: Path) -> None:
    before = sha256(book)
    for command in ("manual", "report", "review-input", "audit-pack"):
        assert "台账本身" in refused(command, book, "-o", book)
    assert sha256(book) == before


def test_a_file_that_is_not_an_earlier_document_is_not_replaced(book: Path) -> None:
    other = book.parent / "报告.docx"
    other.write_bytes(b"not a Word file, someone else's")
    assert "已存在" in refused("manual", book, "-o", other)
    assert other.read_bytes() == b"not a Word file, someone else's"
    workbook_named_zip = book.parent / "资料.zip"
    workbook_named_zip.write_bytes(book.read_bytes())  # a workbook renamed: an OOXML package
    assert "已存在" in refused("audit-pack", book, "-o", workbook_named_zip)
    assert workbook_named_zip.read_bytes() == book.read_bytes()


def test_an_earlier_document_is_kept_as_a_backup_and_replaced(book: Path) -> None:
    code, out, err = run_cli("manual", book)
    assert code == 0, err
    manual = book.parent / f"豫东精工-履约管理手册-{STAMP}.docx"
    assert manual.is_file() and str(manual) in out
    edited = manual.read_bytes()
    code, _, err = run_cli("manual", book)
    assert code == 0, err
    backups = sorted((book.parent / ".lyue-backup").glob(f"豫东精工-履约管理手册-{STAMP}-*.docx"))
    assert [b.read_bytes() for b in backups] == [edited]
    with zipfile.ZipFile(manual) as archive:
        assert "word/document.xml" in archive.namelist()


@pytest.mark.parametrize(
    "lock", ["~$豫东精工-履约管理手册-20250630.docx", "~$精工-履约管理手册-20250630.docx"]
)
def test_a_document_open_in_word_is_refused(book: Path, lock: str) -> None:
    assert run_cli("manual", book)[0] == 0
    manual = book.parent / f"豫东精工-履约管理手册-{STAMP}.docx"
    before = sha256(manual)
    (book.parent / lock).write_bytes(b"owner")
    assert "锁定文件" in refused("manual", book)
    assert sha256(manual) == before


def test_output_extension_must_match_the_document(book: Path) -> None:
    assert ".docx" in refused("report", book, "-o", book.parent / "报告.pdf")
    assert ".zip" in refused("audit-pack", book, "-o", book.parent / "资料包.docx")
    assert not list(book.parent.glob("报告*")) and not list(book.parent.glob("资料包*"))


def test_output_may_be_a_folder(book: Path) -> None:
    existing = book.parent / "已有文件夹"
    existing.mkdir()
    code, _, err = run_cli("manual", book, "-o", existing)
    assert code == 0, err
    assert (existing / f"豫东精工-履约管理手册-{STAMP}.docx").is_file()
    code, _, err = run_cli("review-input", book, "-o", f"{book.parent / '新文件夹'}/")
    assert code == 0, err
    assert (book.parent / "新文件夹" / f"豫东精工-管理评审输入报告-{STAMP}.docx").is_file()


def test_a_folder_that_cannot_be_made_is_a_clear_refusal(book: Path) -> None:
    blocker = book.parent / "是个文件"
    blocker.write_text("x")
    err = refused("manual", book, "-o", blocker / "子目录" / "手册.docx")
    assert "无法在文件夹" in err


def test_a_long_organisation_name_keeps_each_document_apart(tmp_path: Path) -> None:
    org = "河南省郑州市某某重型机械装备制造与工程技术服务有限责任公司" * 4
    book = make_book(tmp_path, org=org)
    set_items(book, "设置", {"基准日期": date(2025, 6, 30)})
    for command in ("manual", "report", "review-input", "audit-pack"):
        code, _, err = run_cli(command, book)
        assert code == 0, err
    names = sorted(p.name for p in tmp_path.iterdir() if p.suffix in (".docx", ".zip"))
    assert len(names) == 4
    for label in ("履约管理手册", "履约评估报告", "管理评审输入报告", "审核资料包"):
        (name,) = [n for n in names if f"-{label}-{STAMP}." in n]
        assert name.startswith("河南省郑州市") and len(name.encode("utf-8")) <= 160


def test_a_name_with_nothing_usable_falls_back_to_the_workbook(tmp_path: Path) -> None:
    book = make_book(tmp_path, name="我的台账.xlsx", org="..")
    set_items(book, "设置", {"基准日期": date(2025, 6, 30)})
    code, _, err = run_cli("manual", book)
    assert code == 0, err
    assert (tmp_path / f"我的台账-履约管理手册-{STAMP}.docx").is_file()


def test_a_backup_made_on_the_documents_own_date_does_not_repeat_it(tmp_path: Path) -> None:
    import re

    from lyue_xl.documents import write_document
    from lyue_xl.engine import analyse

    today = date.today()
    path = make_book(tmp_path, org="豫东精工")
    set_items(path, "设置", {"基准日期": today})
    analysis = analyse(path)
    first = write_document("report", analysis)
    stamp = today.strftime("%Y%m%d")
    assert first.name == f"豫东精工-履约评估报告-{stamp}.docx"
    write_document("report", analysis)
    write_document("report", analysis)
    names = sorted(p.name for p in (tmp_path / ".lyue-backup").glob("豫东精工-履约评估报告-*.docx"))
    assert len(names) == 2
    for name in names:
        assert name.count(stamp) == 1, name
        assert re.fullmatch(rf"豫东精工-履约评估报告-{stamp}-\d{{6}}(-\d+)?\.docx", name), name
