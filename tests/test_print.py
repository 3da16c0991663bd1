"""How the record sheets print: long text wrapped and rows tall enough for it (LibreOffice does not
grow rows a program wrote)."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from lyue_xl.demo import write_demo_workbook
from lyue_xl.parsing import display_width
from lyue_xl.workbook.template import new_workbook, wrapped_height


def _col_of(ws, label: str) -> int:
    return next(c.column for c in ws[2] if c.value == label)


def test_long_text_columns_wrap_and_short_ones_do_not(tmp_path: Path) -> None:
    ws = openpyxl.load_workbook(new_workbook(tmp_path / "台账.xlsx"))["履约问题"]
    dims = {}
    for dim in ws.column_dimensions.values():
        for c in range(dim.min, dim.max + 1):
            dims[c] = dim
    for label in ("问题描述", "根本原因", "纠正措施", "责任追究", "补偿措施"):
        dim = dims[_col_of(ws, label)]
        assert dim.alignment.wrap_text and dim.width >= 20, label
    assert not dims[_col_of(ws, "问题编号")].alignment.wrap_text


def test_info_rows_for_scope_vision_and_policy_have_room(tmp_path: Path) -> None:
    ws = openpyxl.load_workbook(new_workbook(tmp_path / "台账.xlsx"))["基本信息"]
    heights = {ws.cell(r, 1).value: ws.row_dimensions[r].height for r in range(3, ws.max_row + 1)}
    assert heights["体系范围"] == heights["履约愿景"] == heights["履约能力方针"] == 45
    assert heights["组织名称"] is None  # one line: the default height


def test_wrapped_height_counts_lines_of_the_widest_cell() -> None:
    assert wrapped_height([("短", 20)]) is None
    assert wrapped_height([("字" * 20, 21), ("字" * 5, 30)]) == 14 * 2 + 4  # 40 units in 20
    assert wrapped_height([("第一行\n第二行\n第三行", 30)]) == 14 * 3 + 4


def test_the_demo_sets_the_height_of_its_long_rows(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(write_demo_workbook(tmp_path / "示例.xlsx"))
    info = book["基本信息"]
    scope_row = next(r for r in range(3, 20) if info.cell(r, 1).value == "体系范围")
    scope = str(info.cell(scope_row, 2).value)
    assert display_width(scope) > 4 * 55  # the demo's scope takes five lines at width 56
    assert info.row_dimensions[scope_row].height >= 14 * 5
    issues = book["履约问题"]
    col = _col_of(issues, "问题描述")
    rows = [r for r in range(3, issues.max_row + 1) if issues.cell(r, col).value]
    assert rows
    for r in rows:
        lines = -(-display_width(str(issues.cell(r, col).value)) // 29)
        if lines > 1:
            assert issues.row_dimensions[r].height >= 14 * lines, r
