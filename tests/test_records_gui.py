"""The window's new document buttons: 生成管理评审输入报告 and 生成内审资料 write beside the
workbook and say where; the ribbon's help lists them."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

from helpers import make_book, put_rows, set_items
from lyue_xl.excel.actions import run_action
from lyue_xl.excel.book import FileBook
from lyue_xl.gui import ACTIONS, Controller


def book(tmp_path: Path) -> Path:
    path = make_book(tmp_path, org="许昌恒远机电有限公司")
    set_items(path, "设置", {"基准日期": date(2026, 6, 30)})
    put_rows(
        path,
        "管理评审",
        [{"事项编号": "PS-1", "评审日期": date(2026, 5, 1), "决定事项": "增配履约管理员"}],
    )
    return path


def test_window_buttons_write_the_documents(tmp_path: Path) -> None:
    assert ACTIONS["review_input"] == "生成管理评审输入报告"
    assert ACTIONS["audit_kit"] == "生成内审资料"
    path = book(tmp_path)
    review = Controller().run("review_input", path)
    kit = Controller().run("audit_kit", path)
    assert review.ok and kit.ok, (review.message, kit.message)
    assert review.output == tmp_path / "许昌恒远机电有限公司-管理评审输入报告-20260630.docx"
    assert kit.output == tmp_path / "许昌恒远机电有限公司-内审资料-20260630.zip"
    assert review.message == f"已生成：{review.output}"
    with zipfile.ZipFile(kit.output) as z:  # type: ignore[arg-type]
        assert len(z.namelist()) == 5
    missing = Controller().run("audit_kit", tmp_path / "没有.xlsx")
    assert not missing.ok and missing.message.startswith("错误：")


def test_ribbon_help_lists_the_new_buttons(tmp_path: Path) -> None:
    summary = run_action("help", FileBook(book(tmp_path))).summary
    assert (
        "· 生成管理评审输入报告：生成管理评审输入报告（Word，含上次管理评审决定事项的落实情况）。"
        in summary
    )
    assert (
        "· 生成内审资料：生成内审资料（zip：年度内审计划、检查表、不符合报告、内审报告、待粘贴的审核记录）。"
        in summary
    )
