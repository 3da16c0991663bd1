"""Files saved by other programs (issue 19): Strict OOXML, LibreOffice's content types, XLM macro
sheets. Each kind is made here from a product workbook by the transformation that program's
output shows; the written package is checked by independent readers (lxml, openpyxl, LibreOffice).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from lxml import etree

from helpers import make_book, put_rows, run_cli, set_items, sha256
from package_checks import CT, MAIN, RID, check_integrity, members, sheet_parts

FIXTURES = Path(__file__).parent / "fixtures"
STRICT_URIS = [
    (
        b"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
        b"http://purl.oclc.org/ooxml/spreadsheetml/main",
    ),
    (
        b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
        b"http://purl.oclc.org/ooxml/officeDocument/relationships",
    ),
    (
        b"http://schemas.openxmlformats.org/drawingml/2006/main",
        b"http://purl.oclc.org/ooxml/drawingml/main",
    ),
    (
        b"http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing",
        b"http://purl.oclc.org/ooxml/drawingml/spreadsheetDrawing",
    ),
]
MACRO_SHEET = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    b'<xm:macrosheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    b'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
    b'<dimension ref="A1:A2"/><sheetViews><sheetView workbookViewId="0"/></sheetViews>'
    b'<sheetFormatPr defaultRowHeight="15"/><sheetData>'
    b'<row r="1"><c r="A1" t="str"><f>NOW()</f><v>x</v></c></row>'
    b'<row r="2"><c r="A2" t="e"><f>RETURN()</f><v>#N/A</v></c></row>'
    b"</sheetData></xm:macrosheet>"
)
MACRO_REL = "http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet"


def rewrite(path: Path, edit) -> None:
    """Rewrite every member of ``path`` through ``edit(name, data) -> data | None`` (None drops)."""
    with zipfile.ZipFile(path) as archive:
        parts = [(info, archive.read(info)) for info in archive.infolist()]
    extra = edit("", b"") or {}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in parts:
            new = edit(info.filename, data)
            if new is not None:
                archive.writestr(info, new)
        for name, data in extra.items():
            archive.writestr(name, data)


def filled(tmp_path: Path) -> Path:
    """A product workbook with 2 suppliers of 3 rated and one open milestone overdue."""
    book = make_book(tmp_path)
    set_items(book, "设置", {"基准日期": date(2025, 6, 30)})
    put_rows(
        book,
        "供应商",
        [
            {"供应商编号": "S1", "供应商名称": "甲", "信用核查结论": "良好"},
            {"供应商编号": "S2", "供应商名称": "乙", "信用核查结论": "异常"},
            {"供应商编号": "S3", "供应商名称": "丙", "信用核查结论": "一般"},
        ],
    )
    put_rows(
        book,
        "合同台账",
        [
            {
                "合同编号": "K1",
                "合同名称": "甲合同",
                "合同性质": "收入性",
                "签订日期": date(2025, 1, 2),
                "评审日期": date(2025, 1, 1),
                "评审结论": "通过",
                "计划交付日期": date(2025, 3, 1),
                "履行状态": "履行中",
            }
        ],
    )
    put_rows(
        book,
        "履约节点",
        [{"合同编号": "K1", "节点名称": "到货", "计划完成日期": date(2025, 6, 1)}],
    )
    return book


def to_strict(path: Path) -> None:
    def edit(name: str, data: bytes) -> bytes | None:
        if name.endswith((".xml", ".rels")):
            for transitional, strict in STRICT_URIS:
                data = data.replace(transitional, strict)
            if name == "xl/workbook.xml":
                data = data.replace(b"<workbook ", b'<workbook conformance="strict" ', 1)
        return data

    rewrite(path, edit)


def add_macro_sheet(path: Path) -> None:
    def edit(name: str, data: bytes) -> bytes | dict[str, bytes] | None:
        if name == "":
            return {"xl/macrosheets/sheet1.xml": MACRO_SHEET}
        if name == "xl/workbook.xml":
            workbook = etree.fromstring(data)
            sheets = workbook.find(MAIN + "sheets")
            top = max(int(el.get("sheetId")) for el in sheets)
            attributes = {"name": "Macro1", "sheetId": str(top + 1), RID: "rIdXlm1"}
            etree.SubElement(sheets, MAIN + "sheet", attributes)
            return etree.tostring(workbook, xml_declaration=True, encoding="UTF-8")
        if name == "xl/_rels/workbook.xml.rels":
            rel = f'<Relationship Id="rIdXlm1" Type="{MACRO_REL}" Target="macrosheets/sheet1.xml"/>'
            return data.replace(b"</Relationships>", rel.encode() + b"</Relationships>")
        if name == "[Content_Types].xml":
            override = (
                b'<Override PartName="/xl/macrosheets/sheet1.xml" '
                b'ContentType="application/vnd.ms-excel.macrosheet+xml"/>'
            )
            return data.replace(b"</Types>", override + b"</Types>")
        return data

    rewrite(path, edit)  # type: ignore[arg-type]


def drop_rels_default(path: Path) -> None:
    """[Content_Types].xml as older LibreOffice versions write it: an Override for each .rels
    part and no Default for the extension."""

    def edit(name: str, data: bytes) -> bytes | None:
        if name != "[Content_Types].xml":
            return data
        types = etree.fromstring(data)
        for el in list(types):
            if el.tag == CT + "Default" and el.get("Extension") == "rels":
                types.remove(el)
        return etree.tostring(types, xml_declaration=True, encoding="UTF-8")

    rewrite(path, edit)


def soffice_csv(book: Path, folder: Path, sheet: str) -> list[str]:
    """The sheet ``sheet`` of ``book`` as LibreOffice reads it, one CSV line per row."""
    done = subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{folder}/profile",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1",
            "--outdir",
            str(folder / "csv"),
            str(book),
        ],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr
    return (folder / "csv" / f"{book.stem}-{sheet}.csv").read_text(encoding="utf-8").splitlines()


# ---- Strict OOXML ------------------------------------------------------------------------------


def test_strict_workbook_is_read_and_refresh_refused_in_chinese(tmp_path: Path) -> None:
    transitional = filled(tmp_path)
    strict = tmp_path / "严格.xlsx"
    shutil.copyfile(transitional, strict)
    to_strict(strict)
    assert b"purl.oclc.org" in members(strict)["_rels/.rels"]
    for command in ("indicators", "alerts"):
        code, out, err = run_cli(command, strict, "--json")
        assert (code, err) == (0, "")
        _, expected, _ = run_cli(command, transitional, "--json")
        assert json.loads(out) == json.loads(expected)
    alerts = json.loads(run_cli("alerts", strict, "--json")[1])["alerts"]
    assert "MILESTONE_OVERDUE" in {a["code"] for a in alerts}
    before = sha256(strict)
    listing = sorted(p.name for p in tmp_path.iterdir())
    code, out, err = run_cli("refresh", strict)
    assert code == 2
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "Strict Open XML" in err and "另存为" in err and "工作簿未被修改" in err
    assert sha256(strict) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == listing


# ---- LibreOffice without a Default for rels ---------------------------------------------------


def test_parts_added_to_a_libreoffice_file_without_rels_default_are_typed(tmp_path: Path) -> None:
    book = tmp_path / "台账.xlsx"
    shutil.copyfile(FIXTURES / "lo_template.xlsx", book)
    drop_rels_default(book)
    before = members(book)
    assert 'Extension="rels"' not in before["[Content_Types].xml"].decode()
    code, _, err = run_cli("refresh", book)
    assert (code, err) == (0, "")
    after = members(book)
    added = sorted(set(after) - set(before))
    assert any(name.endswith(".rels") for name in added), added  # the dashboard's drawing rels
    check_integrity(book)  # every part of the package has a content type
    wb = openpyxl.load_workbook(book)
    assert wb["预警清单"]["A1"].value is not None
    assert "指标看板" in wb.sheetnames


@pytest.mark.slow
def test_libreoffice_reads_the_refreshed_libreoffice_file(tmp_path: Path) -> None:
    book = tmp_path / "台账.xlsx"
    shutil.copyfile(FIXTURES / "lo_template.xlsx", book)
    drop_rels_default(book)
    put_rows(book, "履约节点", [{"合同编号": "K9", "节点名称": "验收"}])
    code, _, err = run_cli("refresh", book, "--as-of", "2025-06-30")
    assert (code, err) == (0, "")
    check_integrity(book)
    dashboard = soffice_csv(book, tmp_path, "体系自评")
    assert any("10.2" in line for line in dashboard)


# ---- XLM macro sheets -------------------------------------------------------------------------


def test_macro_sheet_is_kept_untouched_and_the_workbook_refreshed(tmp_path: Path) -> None:
    plain = filled(tmp_path)
    book = tmp_path / "宏表.xlsm"
    shutil.copyfile(plain, book)
    add_macro_sheet(book)
    before = members(book)
    for command in ("check", "indicators", "alerts"):
        code, out, err = run_cli(command, book, "--json")
        assert code in (0, 1) and err == "", (command, err)
        assert out == run_cli(command, plain, "--json")[1]
    code, _, err = run_cli("refresh", book)
    assert (code, err) == (0, "")
    after = members(book)
    assert after["xl/macrosheets/sheet1.xml"] == MACRO_SHEET
    assert sheet_parts(after)["Macro1"] == "xl/macrosheets/sheet1.xml"
    assert MACRO_REL in after["xl/_rels/workbook.xml.rels"].decode()
    assert after["xl/worksheets/sheet1.xml"] == before["xl/worksheets/sheet1.xml"]
    check_integrity(book)
    assert run_cli("refresh", plain)[0] == 0
    with_macro, without = openpyxl.load_workbook(book), openpyxl.load_workbook(plain)
    for sheet in ("供应商", "预警清单", "指标看板"):
        assert values(with_macro[sheet]) == values(without[sheet]), sheet
    assert "K1" in str(values(with_macro["预警清单"]))
    if shutil.which("soffice"):
        lines = soffice_csv(book, tmp_path, "预警清单")
        codes = [row[-1] for row in values(without["预警清单"])[3:]]
        assert [line.split(",")[-1] for line in lines[3:]] == codes
        assert "CONTRACT_OVERDUE" in codes


def values(ws) -> list[list[object]]:
    return [[cell.value for cell in row] for row in ws.iter_rows()]
