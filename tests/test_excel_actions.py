"""Every ribbon action end to end through FileBook on real workbooks made by the product."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from excel_books import AS_OF, contract, filled_book, put_rows, sha256
from lyue_xl import schema
from lyue_xl.engine import analyse
from lyue_xl.errors import LyueError
from lyue_xl.excel.actions import ACTIONS, ASKING, SHOWN, ActionResult, run_action
from lyue_xl.excel.book import Book, FileBook
from lyue_xl.excel.ribbon import ACTIONS as RIBBON_ACTIONS
from lyue_xl.results import EngineColumn, ResultSheet
from lyue_xl.workbook.template import new_workbook


def test_action_tags_are_the_ribbon_tags() -> None:
    assert set(ACTIONS) | set(ASKING) == set(RIBBON_ACTIONS)
    assert set(ASKING) == {"import", "fix_types"} and not set(ACTIONS) & set(ASKING)
    assert set(ACTIONS) == {
        "new",
        "check",
        "refresh",
        "manual",
        "audit_pack",
        "report",
        "review_input",
        "audit_kit",
        "help",
    }


def test_unknown_tag_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(LyueError, match="未知的功能“format_c”"):
        run_action("format_c", FileBook(filled_book(tmp_path)))


# --- new ---------------------------------------------------------------------------------------


def test_new_makes_a_dated_ledger_beside_the_workbook_and_never_overwrites(tmp_path: Path) -> None:
    book = FileBook(filled_book(tmp_path))
    first = run_action("new", book, as_of=date(2025, 7, 20))
    second = run_action("new", book, as_of=date(2025, 7, 20))
    assert first.outputs == [tmp_path / "履约管理台账-20250720.xlsx"]
    assert second.outputs == [tmp_path / "履约管理台账-20250720-2.xlsx"]
    assert first.open_workbook == first.outputs[0]
    made = openpyxl.load_workbook(first.outputs[0])
    assert set(s.name for s in schema.SHEETS) <= set(made.sheetnames)
    # the organisation's name is carried over from the calling ledger
    info = made["基本信息"]
    assert "测试科技有限公司" in [c.value for row in info.iter_rows() for c in row]


def test_new_without_a_workbook_goes_to_documents(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "Documents").mkdir()
    monkeypatch.setenv("USERPROFILE", str(tmp_path))
    result = run_action("new", None, as_of=date(2025, 1, 2))
    assert result.outputs == [tmp_path / "Documents" / "履约管理台账-20250102.xlsx"]
    assert result.outputs[0].is_file()


# --- check -------------------------------------------------------------------------------------


def test_check_lists_problems_selects_the_first_and_changes_nothing(tmp_path: Path) -> None:
    path = filled_book(tmp_path)
    put_rows(path, "合同台账", [contract("HT-9", 合同名称=None, 签订日期="2025/13/45")])
    before = sha256(path)
    result = run_action("check", FileBook(path))
    assert sha256(path) == before
    assert not result.ok
    errors = [line for line in result.problems if line.startswith("[错误]")]
    assert any("合同名称" in line and "第7行" in line for line in errors)
    assert any("签订日期" in line and "2025/13/45" in line for line in errors)
    assert result.goto == ("合同台账", "B7")  # the first error's cell: 合同名称 of HT-9
    assert result.problems[: len(errors)] == errors  # errors are listed before warnings
    assert "共 2 个错误" in result.summary


def test_check_of_a_clean_ledger_passes(tmp_path: Path) -> None:
    path = new_workbook(tmp_path / "空.xlsx", "测试公司")
    result = run_action("check", FileBook(path))
    assert result.ok and result.summary == "校验通过，未发现问题。" and result.goto is None


def test_check_with_many_problems_writes_the_full_list_beside_the_workbook(tmp_path: Path) -> None:
    path = filled_book(tmp_path)
    put_rows(path, "合同台账", [contract(f"X-{i}", 合同名称=None) for i in range(SHOWN + 5)])
    result = run_action("check", FileBook(path))
    assert result.outputs == [tmp_path / "台账-校验结果.txt"]
    text = result.outputs[0].read_text(encoding="utf-8-sig")
    assert len(text.splitlines()) >= len(result.problems) > SHOWN
    assert "还有" in result.summary


def test_check_stops_on_a_missing_sheet_with_a_chinese_message(tmp_path: Path) -> None:
    path = tmp_path / "别的.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Sheet1"
    wb.save(path)
    with pytest.raises(LyueError, match="缺少工作表"):
        run_action("refresh", FileBook(path))


# --- refresh -----------------------------------------------------------------------------------


def test_refresh_writes_three_sheets_and_engine_columns(tmp_path: Path) -> None:
    path = filled_book(tmp_path)
    expected = analyse(path, as_of=AS_OF)
    result = run_action("refresh", FileBook(path), as_of=AS_OF)
    assert result.goto == (schema.DASHBOARD_SHEET, "A1")
    assert f"预警 {len(expected.alerts)} 条" in result.summary
    assert len(result.alerts) == len(expected.alerts)

    book = CalamineWorkbook.from_path(str(path))
    assert set(schema.ENGINE_SHEETS) <= set(book.sheet_names)
    alerts = book.get_sheet_by_name(schema.ALERTS_SHEET).to_python()
    codes = {row[8] for row in alerts if len(row) > 8}
    assert {"CONTRACT_OVERDUE", "SUPPLIER_CREDIT_ABNORMAL", "HIGH_RISK_NO_MEASURE"} <= codes
    board = book.get_sheet_by_name(schema.DASHBOARD_SHEET).to_python()
    rate = next(row for row in board if row and row[0] == "合同履约率")
    assert rate[1] == pytest.approx(expected.indicator("fulfillment_rate").value)

    wb = openpyxl.load_workbook(path)
    suppliers = wb["供应商"]
    header = {c.value: c.column for c in suppliers[2] if c.value}
    assert [suppliers.cell(r, header["等级"]).value for r in (3, 4)] == [
        "未评",
        "D",
    ]  # 1 delivery < 3
    assert suppliers.cell(3, header["按时交付率"]).value == 0
    risks = wb["风险机遇"]
    header = {c.value: c.column for c in risks[2] if c.value}
    assert [risks.cell(r, header["风险值"]).value for r in (3, 4)] == [16, 6]
    assert [risks.cell(r, header["等级"]).value for r in (3, 4)] == ["高", "低"]
    # the user's data is still there
    assert wb["合同台账"].cell(6, 4).value == '=HYPERLINK("x")'


def test_refresh_twice_gives_the_same_results(tmp_path: Path) -> None:
    path = filled_book(tmp_path)
    run_action("refresh", FileBook(path), as_of=AS_OF)
    first = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(schema.ALERTS_SHEET).to_python()
    run_action("refresh", FileBook(path), as_of=AS_OF)
    again = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(schema.ALERTS_SHEET).to_python()
    assert first == again


def test_refresh_refuses_a_workbook_open_in_excel(tmp_path: Path) -> None:
    path = filled_book(tmp_path)
    (tmp_path / f"~${path.name}").write_bytes(b"lock")
    before = sha256(path)
    with pytest.raises(LyueError, match="关闭"):
        run_action("refresh", FileBook(path), as_of=AS_OF)
    assert sha256(path) == before


# --- documents ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "tag, suffix",
    [
        ("manual", ".docx"),
        ("report", ".docx"),
        ("audit_pack", ".zip"),
        ("review_input", ".docx"),
        ("audit_kit", ".zip"),
    ],
)
def test_documents_are_written_beside_the_workbook(tmp_path: Path, tag: str, suffix: str) -> None:
    path = filled_book(tmp_path)
    result = run_action(tag, FileBook(path), as_of=AS_OF)
    (out,) = result.outputs
    assert out.parent == tmp_path and out.suffix == suffix and out.is_file()
    assert zipfile.is_zipfile(out)
    assert str(out) in result.summary


class UnsavedBook:
    """A Book never saved (Excel's 工作簿1): grids from a real file, no path."""

    def __init__(self, path: Path) -> None:
        self.file = FileBook(path)

    name = "工作簿1"
    path = None

    def sheet_names(self) -> list[str]:
        return self.file.sheet_names()

    def grid(self, name: str) -> list[list[object]]:
        return self.file.grid(name)

    def write_results(self, sheets: list[ResultSheet], columns: list[EngineColumn]) -> None:
        raise AssertionError("not expected")

    def save_note(self) -> str:
        return ""

    def edit_file(self, edit: object) -> object:
        raise AssertionError("not expected")


@pytest.mark.parametrize("tag", ["manual", "audit_pack", "report", "review_input", "audit_kit"])
def test_documents_of_an_unsaved_workbook_ask_to_save_first(tmp_path: Path, tag: str) -> None:
    book = UnsavedBook(filled_book(tmp_path))
    assert isinstance(book, Book)
    with pytest.raises(LyueError, match="请先保存"):
        run_action(tag, book)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["台账.xlsx"]


# --- help --------------------------------------------------------------------------------------


def test_help_names_every_button_and_shows_the_guide_sheet(tmp_path: Path) -> None:
    result = run_action("help", FileBook(filled_book(tmp_path)))
    assert isinstance(result, ActionResult)
    for label in RIBBON_ACTIONS.values():
        assert label in result.summary
    assert result.goto == (schema.GUIDE_SHEET, "A1")
    assert run_action("help", None).goto is None
