"""The ribbon's 导入自有台账 and 转换文本格式: preview, confirmation, then the backed-up write of
the ledger's file (FileBook on real files; the Excel side's save–close–reopen with a stand-in)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from helpers import make_book, put_rows, sha256
from lyue_xl.errors import LyueError
from lyue_xl.excel.actions import run_action
from lyue_xl.excel.book import FileBook
from lyue_xl.excel.xlbook import ExcelBook
from lyue_xl.workbook.reader import read_records
from lyue_xl.workbook.safe_write import list_backups


class Answers:
    """The user's answers to the button's questions, and what the button asked."""

    def __init__(self, file: Path | None, confirm: bool = True, choose: bool | None = True):
        self.file, self.yes, self.choice = file, confirm, choose
        self.asked: list[str] = []

    def pick_file(self, title: str) -> Path | None:
        self.asked.append(f"pick:{title}")
        return self.file

    def confirm(self, text: str, title: str) -> bool:
        self.asked.append(text)
        return self.yes

    def choose(self, text: str, title: str) -> bool | None:
        self.asked.append(f"choose:{text}")
        return self.choice


def ledger(tmp_path: Path) -> Path:
    path = make_book(tmp_path)
    put_rows(
        path,
        "合同台账",
        [
            {
                "合同编号": "P-1",
                "合同名称": "采购",
                "合同性质": "支出性",
                "签订日期": date(2025, 1, 2),
            }
        ],
    )
    return path


def source(tmp_path: Path, with_nature: bool = True) -> Path:
    path = tmp_path / "自有台账.xlsx"
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "合同"
    ws.append(
        ["合同号", "项目名称", "签约日期", "金额（万元）"] + (["合同类型"] if with_nature else [])
    )
    ws.append(["S-1", "销售一", "2025/2/1", 1.5] + (["销售"] if with_nature else []))
    ws.append(["P-1", "已在台账中", "2025/2/2", 2] + (["采购"] if with_nature else []))
    ws.append(["S-2", "销售二", date(2025, 3, 1), "0.5"] + (["销售"] if with_nature else []))
    pay = book.create_sheet("回款")
    pay.append(["合同编号", "应收日期", "应收金额"])
    pay.append(["S-1", date(2025, 4, 1), 15000])
    pay.append(["P-1", date(2025, 4, 2), 20000])
    book.save(path)
    return path


def test_import_button_previews_then_appends_to_the_ledger(tmp_path: Path) -> None:
    path = ledger(tmp_path)
    answers = Answers(source(tmp_path))
    result = run_action("import", FileBook(path), prompts=answers)
    preview = answers.asked[1]
    assert "“金额（万元）” → 合同金额（元）（×10000）" in preview
    assert "“P-1”在「合同台账」中已有，未重复写入" in preview
    assert "确定把这 4 行追加到“台账.xlsx”吗？" in preview  # S-1, S-2 and two 回款 rows
    assert "已导入 4 行" in result.summary
    records = read_records(path)
    assert records["contracts"]["contract_no"].tolist() == ["P-1", "S-1", "S-2"]
    assert records["contracts"]["amount"].tolist()[1:] == [15_000.0, 5_000.0]
    # 款项 without 收付类型: from the contract's 合同性质, here and in the ledger
    assert records["payments"]["kind"].tolist() == ["收款", "付款"]
    assert len(list_backups(path)) == 1


@pytest.mark.parametrize("cancel_at", ["file", "confirm", "nature"])
def test_import_button_cancelled_changes_nothing(tmp_path: Path, cancel_at: str) -> None:
    path = ledger(tmp_path)
    before = sha256(path)
    answers = Answers(
        None if cancel_at == "file" else source(tmp_path, with_nature=cancel_at != "nature"),
        confirm=cancel_at != "confirm",
        choose=None,
    )
    result = run_action("import", FileBook(path), prompts=answers)
    assert result.summary == "已取消，台账没有改动。"
    assert sha256(path) == before and list_backups(path) == []


def test_import_button_asks_the_nature_when_the_source_has_none(tmp_path: Path) -> None:
    path = ledger(tmp_path)
    answers = Answers(source(tmp_path, with_nature=False), choose=False)
    run_action("import", FileBook(path), prompts=answers)
    assert answers.asked[1].startswith("choose:源台账没有“合同性质”列")
    frame = read_records(path)["contracts"]
    assert frame["nature"].tolist() == ["支出性", "支出性", "支出性"]


def test_import_and_fix_types_need_someone_to_answer(tmp_path: Path) -> None:
    with pytest.raises(LyueError, match="需要在 Excel 中选择文件并确认"):
        run_action("import", FileBook(ledger(tmp_path)))


def texty_ledger(tmp_path: Path) -> Path:
    path = make_book(tmp_path)
    put_rows(
        path,
        "合同台账",
        [
            {
                "合同编号": "A",
                "合同名称": "甲",
                "合同性质": "收入性",
                "签订日期": "2025/1/2",
                "合同金额（元）": "3万",
                "履行状态": "已完成",
            }
        ],
    )
    return path


def test_fix_types_button_previews_then_converts(tmp_path: Path) -> None:
    path = texty_ledger(tmp_path)
    answers = Answers(None)
    result = run_action("fix_types", FileBook(path), prompts=answers)
    (preview,) = answers.asked
    assert "「合同台账」第3行「履行状态(M)」：“已完成” → 已履行" in preview
    assert "确定转换这 3 个单元格吗？" in preview
    assert "已转换 3 个单元格" in result.summary
    frame = read_records(path)["contracts"]
    assert frame["state"].tolist() == ["已履行"] and frame["amount"].tolist() == [30_000.0]
    ws = openpyxl.load_workbook(path)["合同台账"]
    assert [ws["F3"].value, ws["I3"].value, ws["M3"].value] == [
        datetime(2025, 1, 2),
        30000,
        "已履行",
    ]
    assert len(list_backups(path)) == 1


def test_fix_types_button_cancelled_or_with_nothing_to_do(tmp_path: Path) -> None:
    path = texty_ledger(tmp_path)
    before = sha256(path)
    result = run_action("fix_types", FileBook(path), prompts=Answers(None, confirm=False))
    assert result.summary == "已取消，台账没有改动。" and sha256(path) == before
    run_action("fix_types", FileBook(path), prompts=Answers(None))
    again = Answers(None)
    result = run_action("fix_types", FileBook(path), prompts=again)
    assert again.asked == [] and "没有需要转换的单元格" in result.summary


class StandInBook:
    """What ExcelBook.edit_file uses of an xlwings Book and its App, recording the calls."""

    def __init__(self, path: Path, calls: list[str]) -> None:
        self.fullname, self.name, self.calls = str(path), path.name, calls
        self.app = self

    @property
    def books(self) -> StandInBook:
        return self

    def save(self) -> None:
        self.calls.append("save")

    def close(self) -> None:
        self.calls.append("close")

    def open(self, fullname: str) -> StandInBook:
        self.calls.append(f"open:{Path(fullname).name}")
        return StandInBook(Path(fullname), self.calls)


def test_excel_book_saves_closes_edits_and_reopens_even_on_failure(tmp_path: Path) -> None:
    path = make_book(tmp_path)
    calls: list[str] = []
    book = ExcelBook(StandInBook(path, calls))
    assert book.edit_file(lambda p: calls.append(f"edit:{p.name}") or 7) == 7
    assert calls == ["save", "close", "edit:台账.xlsx", "open:台账.xlsx"]
    calls.clear()

    def fail(_path: Path) -> None:
        raise LyueError("台账正在被打开")

    with pytest.raises(LyueError):
        book.edit_file(fail)
    assert calls == ["save", "close", "open:台账.xlsx"]
