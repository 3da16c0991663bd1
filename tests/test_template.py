"""The blank record workbook: what `lyue-xl new` writes, and the committed template."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl

from helpers import run_cli
from lyue_xl import schema
from lyue_xl.resources import data_dir
from lyue_xl.workbook.reader import read_records
from lyue_xl.workbook.template import TEMPLATE_NAME, live_formulas, new_workbook


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_committed_template_equals_what_the_code_generates(tmp_path: Path) -> None:
    fresh = new_workbook(tmp_path / "fresh.xlsx")
    committed = data_dir("workbook_templates") / TEMPLATE_NAME
    assert parts(committed) == parts(fresh), "运行 python build/make_template.py 更新模板"


def test_every_sheet_and_label_of_the_schema(tmp_path: Path) -> None:
    path = new_workbook(tmp_path / "t.xlsx", org="豫中精工")
    book = openpyxl.load_workbook(path)
    for sheet in schema.SHEETS:
        ws = book[sheet.name]
        if sheet.is_keyvalue:
            labels = [ws.cell(r, 1).value for r in range(3, 3 + len(sheet.items))]
            assert labels == [item.label for item in sheet.items]
            continue
        assert [c.value for c in ws[2]][: len(sheet.columns)] == [c.label for c in sheet.columns]
        assert ws.freeze_panes == f"{chr(65 + sheet.freeze_cols)}3"
        assert ws.print_title_rows == "$1:$2"
        assert ws.page_setup.paperSize == 9
        lists = {
            next(iter(dv.sqref.ranges)).min_col: dv.formula1
            for dv in ws.data_validations.dataValidation
            if dv.type == "list"
        }
        for index, col in enumerate(sheet.columns, start=1):
            if col.choices and not col.engine:
                assert lists[index] == '"' + ",".join(col.choices) + '"', col.label
    assert book["基本信息"]["B3"].value == "豫中精工"
    assert book.sheetnames[0] == schema.GUIDE_SHEET
    for name in (schema.LIVE_SHEET, *schema.ENGINE_SHEETS):
        assert name in book.sheetnames
    records = read_records(path)
    assert records.org_name == "豫中精工" and not records.issues


def test_guide_lists_every_field(tmp_path: Path) -> None:
    path = new_workbook(tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(path)[schema.GUIDE_SHEET]
    pairs = {(row[0], row[1]) for row in ws.iter_rows(values_only=True)}
    for sheet in schema.SHEETS:
        for label in [c.label for c in sheet.columns] or [i.label for i in sheet.items]:
            assert (sheet.name, label) in pairs


def test_live_formulas_use_only_excel_2010_functions() -> None:
    newer = re.compile(r"(?<![A-Z])(FILTER|LET|MINIFS|MAXIFS|XLOOKUP|IFS|TEXTJOIN|SWITCH)\(")
    used = set()
    for _name, _unit, *formulas, _definition in live_formulas():
        for formula in formulas:
            assert not newer.search(formula), formula
            used.update(re.findall(r"(?<![A-Z])([A-Z]+)\(", formula))
    assert used <= {
        "COUNTIFS",
        "SUMIFS",
        "SUMPRODUCT",
        "IF",
        "IFERROR",
        "MIN",
        "INT",
        "DATE",
        "YEAR",
    }


def test_new_refuses_an_existing_file_without_force(tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    code, out, err = run_cli("new", str(path), "--org", "甲公司")
    assert code == 0 and path.exists() and "台账" in out
    before = path.read_bytes()
    code, _, err = run_cli("new", str(path))
    assert code == 2 and "--force" in err and "Traceback" not in err
    assert path.read_bytes() == before
    code, _, _ = run_cli("new", str(path), "--force", "--org", "乙公司")
    assert code == 0
    assert read_records(path).org_name == "乙公司"
    assert list((tmp_path / ".lyue-backup").glob("台账-*.xlsx"))


def test_every_yes_no_column_has_its_dropdown(tmp_path: Path) -> None:
    """是否有效 (履约问题, 审核记录) had no 是/否 list; every yesno column has one now."""
    yesno = [(s, c) for s in schema.SHEETS for c in s.columns if c.type == "yesno"]
    assert {(s.name, c.label) for s, c in yesno} >= {
        ("履约问题", "是否有效"),
        ("审核记录", "是否有效"),
    }
    assert all(c.choices == schema.YES_NO for _, c in yesno)
    book = openpyxl.load_workbook(new_workbook(tmp_path / "t.xlsx"))
    for sheet, col in yesno:
        ws = book[sheet.name]
        header = next(
            r for r in ws.iter_rows(min_row=1, max_row=30) if col.label in [c.value for c in r]
        )
        cell = next(c for c in header if c.value == col.label)
        below = f"{cell.column_letter}{cell.row + 1}"
        lists = [
            dv.formula1
            for dv in ws.data_validations.dataValidation
            if dv.type == "list" and below in dv.sqref
        ]
        assert lists == ['"是,否"'], (sheet.name, col.label, lists)
