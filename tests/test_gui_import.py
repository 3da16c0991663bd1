"""The window: the skipped-cells notice with its 查看校验结果 button, import and fix-types."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from helpers import make_book, put_rows
from lyue_xl.gui import ACTIONS, Controller, skipped_notice
from lyue_xl.workbook.reader import read_records
from test_gui import book_with_mistakes, wait_until_done, window  # noqa: F401 (fixture)
from test_import import gbk_csv

pytest_plugins = ["xdisplay"]


def test_refresh_and_documents_say_how_many_cells_were_read_as_empty(tmp_path: Path) -> None:
    book = book_with_mistakes(tmp_path)  # two cells the reader cannot take
    outcome = Controller().run("refresh", book)
    assert outcome.ok and outcome.skipped == 2
    assert outcome.message.endswith(
        "注意：有 2 个单元格无法识别，已按空白处理；请点“查看校验结果”并改正。"
    )
    clean = make_book(tmp_path / "clean") if (tmp_path / "clean").mkdir() is None else None
    assert clean is not None
    assert Controller().run("refresh", clean).skipped == 0
    assert skipped_notice(0) == ""


def test_controller_imports_a_foreign_ledger_and_fixes_types(tmp_path: Path) -> None:
    source = gbk_csv(tmp_path / "导出.csv")
    out = tmp_path / "新台账.xlsx"
    outcome = Controller().import_ledger(source, output=out)
    assert outcome.ok and outcome.workbook == out, outcome.message
    assert outcome.message == f"已导入 4 行到“{out}”。请运行 check 核对。"
    assert ("  A “合同号” → 合同编号",) in outcome.rows
    assert read_records(out)["contracts"]["contract_no"].tolist() == [
        "C-01",
        "C-02",
        "C-03",
        "C-04",
    ]
    refused = Controller().import_ledger(tmp_path / "无.xlsx", output=tmp_path / "x.xlsx")
    assert not refused.ok and refused.message.startswith("错误：找不到要导入的文件")

    book = make_book(tmp_path / "b") if (tmp_path / "b").mkdir() is None else None
    assert book is not None
    put_rows(
        book,
        "合同台账",
        [
            {
                "合同编号": "H",
                "合同名称": "x",
                "合同性质": "收入性",
                "签订日期": "2025/1/2",
                "计划交付日期": date(2025, 3, 1),
            }
        ],
    )
    fixed = Controller().run("fix_types", book)
    assert fixed.ok and fixed.rows == [
        ("「合同台账」第3行「签订日期(F)」：“2025/1/2” → 2025-01-02",)
    ]


def test_window_shows_the_check_result_button_only_after_skipped_cells(window, tmp_path):  # noqa: F811
    assert (
        ACTIONS["import"] == "导入自有台账"
        and window.buttons["import"].cget("text") == "导入自有台账"
    )
    book = book_with_mistakes(tmp_path)
    window.open_workbook(book)
    window.start("refresh", book)
    outcome = wait_until_done(window)
    assert outcome.skipped == 2
    window.root.update()
    assert window.check_result_button.winfo_manager() == "pack"
    assert window.check_result_button.winfo_ismapped()
    window.check_result_button.invoke()
    outcome = wait_until_done(window)
    assert outcome.action == "check" and len(window.table_rows()) == 2
    assert window.check_result_button.winfo_manager() == ""
