"""write_results on a decorated xlsxwriter workbook: what is kept, what is written."""

from __future__ import annotations

import re
import shutil
import warnings
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from lyue_xl.workbook.package import ColumnUpdate, write_results
from package_books import OWNED, make_generated, make_user_workbook
from package_checks import (
    MAIN,
    chart_refs,
    check_integrity,
    defined_names,
    members,
    owned_parts,
    sheet_parts,
    strip_cells,
    touched_cells,
)

SUPPLIER = [
    ColumnUpdate("供应商", 2, "按时交付率", {3: 0.95, 4: 0.5, 5: None, 6: 1, 7: 0.875}, "0.0%"),
    ColumnUpdate("供应商", 2, "质量合格率", {3: 1.0, 4: 0.9, 5: 0.8, 6: "无数据", 7: 0.7}, "0.0%"),
    ColumnUpdate("供应商", 2, "综合评分", {3: 93.5, 4: 71.25, 5: None, 6: None, 7: 80}, "0.00"),
    ColumnUpdate(
        "供应商", 2, "等级", {3: "A", 4: "C", 5: "未评", 6: '=HYPERLINK("x")', 7: "B", 12: "新行"}
    ),
]
OTHERS = [
    ColumnUpdate("风险机遇", 1, "风险值", {2: 2, 3: 4, 4: 6, 5: 8}, "0"),
    ColumnUpdate("风险机遇", 1, "等级", {2: "低", 3: "低", 4: "中", 5: "高"}),
    ColumnUpdate("履约目标", 1, "实际值", {2: 0.9, 3: 88.0}),
    ColumnUpdate("履约目标", 1, "达成情况", {2: "未达成", 3: "未达成"}),
]
UPDATES = SUPPLIER + OTHERS
SUPPLIER_COLUMNS = {"按时交付率": "H", "等级": "I", "质量合格率": "J", "综合评分": "K"}
EDITED = {
    "[Content_Types].xml",
    "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels",
    "xl/styles.xml",
    "docProps/app.xml",
}


@pytest.fixture
def books(tmp_path: Path) -> tuple[Path, Path, Path]:
    """(user workbook, untouched copy of it, generated engine workbook)."""
    book = make_user_workbook(tmp_path / "台账.xlsx")
    original = tmp_path / "original.xlsx"
    shutil.copyfile(book, original)
    return book, original, make_generated(tmp_path / "generated.xlsx")


def run(book: Path, generated: Path) -> None:
    write_results(book, generated, OWNED, UPDATES)


def test_every_part_the_engine_does_not_own_is_byte_identical(books):
    book, original, generated = books
    run(book, generated)
    before, after = members(original), members(book)
    sheets = sheet_parts(before)
    old_dashboard = owned_parts(before, sheets["指标看板"])
    user_sheets = {sheets[name] for name in ("供应商", "风险机遇", "履约目标")}
    kept = set(before) - old_dashboard - EDITED - user_sheets
    assert {
        "xl/media/image1.png",
        "xl/tables/table1.xml",
        "xl/drawings/vmlDrawing2.vml",
        "xl/comments1.xml",
        "xl/sharedStrings.xml",
        "xl/theme/theme1.xml",
    } <= kept
    changed = [name for name in kept if after.get(name) != before[name]]
    assert changed == []
    assert sheets["数据"] in kept  # the sheet with chart, image, text box, button, table
    check_integrity(book)


def test_user_sheet_keeps_everything_but_the_engine_cells(books):
    book, original, generated = books
    run(book, generated)
    before, after = members(original), members(book)
    for name, updates, columns in (
        ("供应商", SUPPLIER, SUPPLIER_COLUMNS),
        ("风险机遇", OTHERS[:2], {"风险值": "M", "等级": "N"}),
        ("履约目标", OTHERS[2:], {"实际值": "F", "达成情况": "G"}),
    ):
        part = sheet_parts(before)[name]
        touched = touched_cells(updates, columns)
        assert strip_cells(after[part], touched) == strip_cells(before[part], touched), name
    supplier = after[sheet_parts(before)["供应商"]].decode()
    for kept in (
        "<dataValidation ",
        "<conditionalFormatting",
        "<autoFilter",
        "<mergeCell ",
        "<legacyDrawing",
        'state="frozen"',
    ):
        assert kept in supplier
    assert "<f>" not in supplier  # the old 等级/按时交付率 formulas were replaced by values
    assert defined_names(before) <= defined_names(after)


def test_engine_values_read_back(books):
    book, _, generated = books
    run(book, generated)
    rows = CalamineWorkbook.from_path(str(book)).get_sheet_by_name("供应商").to_python()
    assert rows[1][7:11] == ["按时交付率", "等级", "质量合格率", "综合评分"]
    assert rows[2][7:11] == [0.95, "A", 1.0, 93.5]
    assert rows[4][7:11] == ["", "未评", 0.8, ""]
    assert rows[5][7:11] == [1.0, '=HYPERLINK("x")', "无数据", ""]
    assert rows[11][8] == "新行"
    assert rows[0][0] == "供应商名录（用户标题）" and rows[2][:2] == ["G1", "供应商1"]
    risks = CalamineWorkbook.from_path(str(book)).get_sheet_by_name("风险机遇").to_python()
    assert [r[12:14] for r in risks[1:5]] == [[2, "低"], [4, "低"], [6, "中"], [8, "高"]]

    wb = openpyxl.load_workbook(book)
    ws = wb["供应商"]
    assert ws["H3"].number_format == "0.0%" and ws["J7"].number_format == "0.0%"
    assert ws["K3"].number_format == "0.00"
    assert ws["I6"].data_type == "s" and ws["I6"].value == '=HYPERLINK("x")'
    assert ws["I3"].fill.fgColor.rgb == "FFFFFF00"  # the user's yellow fill kept
    assert ws["I3"].border.left.style == "medium"
    assert ws["J2"].font.bold and ws["J2"].fill.fgColor.rgb == "FFC6E0B4"  # header look copied
    assert ws["D3"].number_format == "yyyy-mm-dd"
    assert ws.dimensions == "A1:K12"
    assert ws.data_validations.dataValidation[0].formula1 == '"良好,一般,异常"'


def test_transplanted_sheets(books):
    book, original, generated = books
    run(book, generated)
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == ["供应商", "风险机遇", "履约目标", "数据", *OWNED]
    dash = wb["指标看板"]
    assert "A1:D1" in {str(r) for r in dash.merged_cells.ranges}
    assert dash.freeze_panes == "B5"
    assert dash["A1"].font.bold and dash["A1"].fill.fgColor.rgb == "FFDDEBF7"
    assert dash["B5"].number_format == "0.0%" and dash["C5"].number_format == "0.00"
    assert dash.column_dimensions["A"].width == pytest.approx(12.7109375)
    assert dash.conditional_formatting and dash["A5"].value == "1月"
    alerts = wb["预警清单"]
    assert alerts["D2"].hyperlink.location == "'合同台账'!A12"
    assert alerts["E2"].data_type == "s" and alerts["E2"].value == '=HYPERLINK("x")'
    assert alerts.auto_filter.ref == "A1:E3"
    assert wb["体系自评"]["C3"].value == 4.5

    before, after = members(original), members(book)
    refs = chart_refs(after)
    assert len(refs) == 3  # the user's chart on 数据 and the two new ones; the old pie is gone
    flat = [ref for found in refs.values() for ref in found]
    assert "'指标看板'!$B$5:$B$16" in flat and "'指标看板'!$C$5:$C$16" in flat
    assert not any(ref.startswith("指标看板!$A$2") for ref in flat)
    assert sheet_parts(after)["指标看板"] == sheet_parts(before)["指标看板"]
    ids = re.findall(r'<sheet name="([^"]+)" sheetId="(\d+)"', after["xl/workbook.xml"].decode())
    assert ids[:5] == re.findall(
        r'<sheet name="([^"]+)" sheetId="(\d+)"', before["xl/workbook.xml"].decode()
    )
    inline = after[sheet_parts(after)["预警清单"]].decode()
    assert 't="s"' not in inline and 't="inlineStr"' in inline
    assert after["xl/sharedStrings.xml"] == before["xl/sharedStrings.xml"]
    assert ("_xlnm._FilterDatabase", "5", "预警清单!$A$1:$E$3") in defined_names(after)
    assert inline.count("tabSelected") == 0  # the user's selected tab stays the only one


def test_twice_is_byte_identical_and_styles_do_not_grow(books):
    book, _, generated = books
    run(book, generated)
    first = book.read_bytes()
    run(book, generated)
    assert book.read_bytes() == first
    styles = members(book)["xl/styles.xml"].decode()
    xfs = re.search(r'<cellXfs count="(\d+)"', styles)
    assert xfs is not None and int(xfs.group(1)) < 30


def test_only_one_new_number_format_for_percent(books):
    book, original, generated = books
    run(book, generated)
    formats = re.findall(r'formatCode="([^"]+)"', members(book)["xl/styles.xml"].decode())
    assert formats.count("0.0%") == 1


def test_openpyxl_warns_no_more_than_on_the_original(books):
    book, original, generated = books
    run(book, generated)

    def messages(path: Path) -> set[str]:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            openpyxl.load_workbook(path)
        return {str(w.message) for w in caught}

    assert messages(book) <= messages(original)


def test_formula_replaced_drops_calc_chain(books, tmp_path):
    book, _, generated = books
    add_calc_chain(book)
    run(book, generated)
    files = members(book)
    assert "xl/calcChain.xml" not in files
    assert "calcChain" not in files["[Content_Types].xml"].decode()
    assert "calcChain" not in files["xl/_rels/workbook.xml.rels"].decode()
    check_integrity(book)


def test_new_header_cells_are_not_formulas_and_rows_stay_ordered(books):
    book, _, generated = books
    run(book, generated)
    from lxml import etree

    xml = etree.fromstring(members(book)[sheet_parts(members(book))["供应商"]])
    rows = [int(r.get("r")) for r in xml.iter(MAIN + "row")]
    assert rows == sorted(rows) and 12 in rows
    for row in xml.iter(MAIN + "row"):
        cols = [c.get("r").rstrip("0123456789") for c in row.iter(MAIN + "c")]
        assert cols == sorted(cols, key=lambda c: (len(c), c))


def add_calc_chain(book: Path) -> None:
    """Give ``book`` a calcChain part the way Excel writes one."""
    import zipfile

    files = members(book)
    files["xl/calcChain.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<calcChain xmlns="'
        + MAIN[1:-1].encode()
        + b'"><c r="I3" i="1"/><c r="I4"/></calcChain>'
    )
    files["xl/_rels/workbook.xml.rels"] = files["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships/calcChain" Target="calcChain.xml"/></Relationships>',
    )
    files["[Content_Types].xml"] = files["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/calcChain.xml" ContentType="application/vnd.openxmlformats-'
        b'officedocument.spreadsheetml.calcChain+xml"/></Types>',
    )
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
