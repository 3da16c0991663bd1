"""write_results on files LibreOffice wrote (committed fixtures); LibreOffice reads ours."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from lyue_xl.workbook.package import ColumnUpdate, write_results
from package_books import OWNED, make_generated, make_user_workbook
from package_checks import check_integrity, members, owned_parts, sheet_parts

FIXTURES = Path(__file__).parent / "fixtures"
EDITED = {
    "[Content_Types].xml",
    "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels",
    "xl/styles.xml",
    "docProps/app.xml",
}
PIVOT_UPDATES = [
    ColumnUpdate("供应商", 2, "按时交付率", {3: 0.5, 4: 0.25, 5: "无数据", 6: 1}, "0.0%"),
    ColumnUpdate("供应商", 2, "等级", {3: "A", 4: "B", 5: "未评", 6: "A"}),
    ColumnUpdate("风险机遇", 1, "风险值", {r: 99 for r in range(2, 8)}),
]


def check_kept(original: Path, result: Path, user_sheets: list[str]) -> dict[str, bytes]:
    before, after = members(original), members(result)
    sheets = sheet_parts(before)
    owned = set().union(*(owned_parts(before, sheets[n]) for n in OWNED if n in sheets))
    edited = EDITED | {sheets[name] for name in user_sheets}
    kept = set(before) - owned - edited
    assert [name for name in kept if after.get(name) != before[name]] == []
    check_integrity(result)
    return after


def test_libreoffice_saved_workbook(tmp_path):
    book = tmp_path / "lo.xlsx"
    shutil.copyfile(FIXTURES / "lo_saved.xlsx", book)
    generated = make_generated(tmp_path / "generated.xlsx")
    updates = [
        ColumnUpdate("供应商", 2, "综合评分", {3: 88.5, 4: None}, "0.00"),
        ColumnUpdate("供应商", 2, "等级", {3: "A", 4: "未评"}),
    ]
    write_results(book, generated, OWNED, updates)
    after = check_kept(FIXTURES / "lo_saved.xlsx", book, ["供应商"])
    assert "xl/ctrlProps/ctrlProps3.xml" in after and "xl/media/image1.png" in after
    rows = CalamineWorkbook.from_path(str(book)).get_sheet_by_name("供应商").to_python()
    assert rows[1][8:10] == ["等级", "综合评分"]
    assert rows[2][8:10] == ["A", 88.5] and rows[3][8:10] == ["未评", ""]
    ws = openpyxl.load_workbook(book)["供应商"]
    assert ws["J3"].number_format == "0.00"
    assert ws["I3"].fill.fgColor.rgb == "FFFFFF00"


def test_pivot_table_workbook(tmp_path):
    book = tmp_path / "pivot.xlsx"
    shutil.copyfile(FIXTURES / "lo_pivot.xlsx", book)
    generated = make_generated(tmp_path / "generated.xlsx")
    write_results(book, generated, OWNED, PIVOT_UPDATES)
    after = check_kept(FIXTURES / "lo_pivot.xlsx", book, ["供应商", "风险机遇"])
    for part in (
        "xl/pivotTables/pivotTable1.xml",
        "xl/pivotCache/pivotCacheDefinition1.xml",
        "xl/pivotCache/pivotCacheRecords1.xml",
    ):
        assert after[part] == members(FIXTURES / "lo_pivot.xlsx")[part]
    assert "<pivotCaches>" in after["xl/workbook.xml"].decode()
    wb = openpyxl.load_workbook(book)
    assert len(wb["销售"]._pivots) == 1
    assert wb["供应商"]["D3"].number_format == "0.0%"
    assert [wb["风险机遇"].cell(r, 5).value for r in range(2, 8)] == [99] * 6
    sales = CalamineWorkbook.from_path(str(book)).get_sheet_by_name("销售").to_python()
    assert sales[1][:3] == ["华东", "甲", 100.0]
    first = book.read_bytes()
    write_results(book, generated, OWNED, PIVOT_UPDATES)
    assert book.read_bytes() == first


@pytest.mark.slow
def test_libreoffice_opens_and_converts_the_result(tmp_path):
    book = make_user_workbook(tmp_path / "台账.xlsx")
    generated = make_generated(tmp_path / "generated.xlsx")
    from test_package import UPDATES

    write_results(book, generated, OWNED, UPDATES)
    out = tmp_path / "out"
    profile = f"-env:UserInstallation=file://{tmp_path}/profile"
    csv_filter = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"
    for target in ("pdf", csv_filter):
        done = subprocess.run(
            [
                "soffice",
                "--headless",
                profile,
                "--convert-to",
                target,
                "--outdir",
                str(out),
                str(book),
            ],
            capture_output=True,
            text=True,
            timeout=240,
        )
        assert done.returncode == 0, done.stderr
    assert (out / "台账.pdf").stat().st_size > 1000
    supplier = (out / "台账-供应商.csv").read_text(encoding="utf-8").splitlines()
    assert supplier[2].split(",")[7:11] == ["95.0%", "A", "100.0%", "93.50"]
    alerts = (out / "台账-预警清单.csv").read_text(encoding="utf-8")
    assert '"=HYPERLINK(""x"")"' in alerts
    dashboard = (out / "台账-指标看板.csv").read_text(encoding="utf-8").splitlines()
    assert dashboard[4].startswith("1月,90.0%,85.00")
