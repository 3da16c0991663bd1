"""The audit pack's evidence workbook (03-证据记录摘录.xlsx): streamed, and printable.

One sheet per record family, each table a titled block (「合同台账（60 条）」, header row,
records with the id first); a block going on over a page starts the next page with
「……（续）」 and its header again. The demo firm's extract printed 86 pages at first, then 33
(every one of 24 sheets starting a page); it prints 20 now (LibreOffice to PDF, measured
2026-12-03), with row heights that show all the text of a wrapped cell in Excel too."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import openpyxl
import pytest

from doc_helpers import pdf_pages, small_firm, soffice, to_pdf
from lyue_xl import schema
from lyue_xl.alerts import TITLES
from lyue_xl.demo import write_demo_workbook
from lyue_xl.documents.audit_pack import (
    FAMILIES,
    NO_RECORDS,
    empty_record_tables,
    index_context,
    write_evidence_workbook,
)
from lyue_xl.engine import analyse_records
from lyue_xl.workbook.reader import read_records

TITLE = re.compile(r"^(.+)（(\d+) 条）$")


@pytest.fixture(scope="module")
def evidence(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    folder = tmp_path_factory.mktemp("evidence")
    analysis = analyse_records(read_records(write_demo_workbook(folder / "演示.xlsx")))
    path = folder / "证据记录摘录.xlsx"
    write_evidence_workbook(analysis, path)
    return path, analysis


def blocks(ws: object) -> dict[str, tuple[int, list[object]]]:
    """{block title: (row of its header, header labels)} of one sheet, read back."""
    found = {}
    rows = list(ws.iter_rows(values_only=True))  # type: ignore[attr-defined]
    for r, row in enumerate(rows, start=1):
        m = TITLE.match(str(row[0] or ""))
        if m:
            found[m.group(1)] = (r + 1, [v for v in rows[r] if v is not None])
    return found


def test_one_sheet_per_family_with_every_record_and_its_print_setup(evidence: tuple) -> None:
    path, analysis = evidence
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [name for name, _ in FAMILIES]
    contracts = blocks(wb[schema.CONTRACTS.name])
    header_row, header = contracts[schema.CONTRACTS.name]
    assert header[:3] == ["合同编号", "合同名称", "合同性质"] and header[-1] == "台账行号"
    frame = analysis.records["contracts"]
    ws = wb[schema.CONTRACTS.name]
    assert ws.cell(1, 1).value == f"合同台账（{len(frame)} 条）" == "合同台账（60 条）"
    # every record, id first, its ledger row last, in the order of the ledger
    ids = [ws.cell(header_row + 1 + i, 1).value for i in range(len(frame))]
    assert ids == frame["contract_no"].tolist()
    assert ws.cell(header_row + 1, len(header)).value == int(frame["row"].iloc[0])
    for sheet in wb.worksheets:
        setup = sheet.page_setup
        assert setup.paperSize == 9 and 10 <= int(setup.scale) <= 100, sheet.title
        assert not sheet.sheet_properties.pageSetUpPr or not (
            sheet.sheet_properties.pageSetUpPr.fitToPage
        ), sheet.title  # a fixed scale: the planned page breaks hold in Excel and LibreOffice
        assert sheet.freeze_panes == "B1", sheet.title
    assert wb["履约节点"].page_setup.orientation == "portrait"  # narrow: printed upright
    assert wb["合同台账"].page_setup.orientation == "landscape"


def test_warnings_are_named_in_words_and_no_code_is_printed(evidence: tuple) -> None:
    path, analysis = evidence
    ws = openpyxl.load_workbook(path)["自评与预警"]
    header_row, header = blocks(ws)["预警清单"]
    assert header == ["等级", "预警类型", "工作表", "行", "记录", "说明", "条款"]
    first = analysis.alerts[0]
    assert [c.value for c in ws[header_row + 1]][:3] == [
        first.level,
        TITLES[first.code],
        first.sheet,
    ]
    codes = {a.code for a in analysis.alerts}
    assert len(codes) > 10
    texts = {
        str(c.value)
        for sheet in openpyxl.load_workbook(path)
        for row in sheet.iter_rows()
        for c in row
    }
    assert not codes & texts
    assert not [t for t in texts if re.search(r"[A-Z]+_[A-Z_]+", t)]


def test_a_table_without_records_is_one_line_and_named_in_the_index(tmp_path: Path) -> None:
    analysis = analyse_records(read_records(small_firm(tmp_path)))
    assert empty_record_tables(analysis) == ["资源核查", "管理评审"]
    path = tmp_path / "摘录.xlsx"
    write_evidence_workbook(analysis, path)
    ws = openpyxl.load_workbook(path)["审核评审与改进"]
    texts = [c.value for c in ws["A"] if c.value]
    assert f"管理评审：{NO_RECORDS}" in texts and "管理评审：台账中没有记录" in texts
    audits = len(analysis.records[schema.AUDITS.key])
    assert audits and texts[0] == f"审核记录（{audits} 条）"
    (extract,) = [f for f in index_context(analysis)["files"] if f["name"].startswith("03-")]
    assert extract["content"].endswith("；台账中没有记录的表：资源核查、管理评审")


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_demo_extract_prints_at_most_20_pages_each_starting_with_a_title(
    evidence: tuple, tmp_path: Path
) -> None:
    path, analysis = evidence
    (pdf,) = to_pdf([path], tmp_path / "pdf")
    pages = pdf_pages(pdf)
    assert 15 <= pages <= 20, pages
    titles = {b for _, members in FAMILIES for b in members}
    for page in range(1, pages + 1):
        text = subprocess.run(
            ["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
            check=True,
            capture_output=True,
        ).stdout.decode()
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        # lines[0] is the page header (the sheet's name); then a block's title, never a bare row
        m = re.match(r"^(.+)（(\d+ 条|续)）$", lines[1])
        assert m and m.group(1) in titles, (page, lines[:3])
    whole = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True
    ).stdout.decode()
    frame = analysis.records["contracts"]
    for no, signed in zip(frame["contract_no"], frame["signed_on"], strict=True):
        assert re.search(rf"(^|\s){re.escape(no)}\s", whole, re.M), no  # ids whole
        if signed is not None and signed == signed:
            assert f"{signed:%Y-%m-%d}" in whole, (no, signed)  # dates whole


def test_indicators_read_as_percentages_and_proportions_not_ratios(evidence: tuple) -> None:
    path, analysis = evidence
    ws = openpyxl.load_workbook(path)["组织与目标"]
    header_row, header = blocks(ws)["指标"]
    assert header == ["指标", "值", "分子", "分母", "单位", "目标", "达成情况"]
    first = [c.value for c in ws[header_row + 1]][:7]
    rate = analysis.indicators[0]
    assert first[:5] == [rate.name, f"{rate.value:.1%}", rate.numerator, rate.denominator, "比例"]
    texts = [str(c.value) for sheet in openpyxl.load_workbook(path) for r in sheet for c in r]
    assert not [t for t in texts if "比率" in t]
