"""The audit pack's evidence workbook (03-证据记录摘录.xlsx): streamed, and printable — A4
landscape, one page wide, the header row on every page, long text wrapped.

The demo firm's extract printed 86 pages before (columns split over several pages); it prints
33 now (LibreOffice to PDF, measured 2026-12-03). The issue's target of 20 pages is not met:
its 22 sheets (17 record sheets and 5 of results) each start a page of their own."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from doc_helpers import pdf_pages, soffice, to_pdf
from lyue_xl import schema
from lyue_xl.demo import write_demo_workbook
from lyue_xl.documents.audit_pack import WRAP_WIDTH, write_evidence_workbook
from lyue_xl.engine import analyse_records
from lyue_xl.workbook.reader import read_records


@pytest.fixture(scope="module")
def evidence(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    folder = tmp_path_factory.mktemp("evidence")
    analysis = analyse_records(read_records(write_demo_workbook(folder / "演示.xlsx")))
    path = folder / "证据记录摘录.xlsx"
    write_evidence_workbook(analysis, path)
    return path, analysis


def test_every_sheet_has_its_print_setup_and_all_records(evidence: tuple) -> None:
    path, analysis = evidence
    wb = openpyxl.load_workbook(path)
    contracts = wb[schema.CONTRACTS.name]
    # every record, with its ledger row, in the order of the ledger
    assert contracts.max_row - 1 == len(analysis.records["contracts"])
    assert [c.value for c in contracts[2]][-1] == int(analysis.records["contracts"]["row"].iloc[0])
    for ws in wb.worksheets:
        setup = ws.page_setup
        assert setup.orientation == "landscape" and setup.paperSize == 9, ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        # fitToWidth absent means 1 (the SpreadsheetML default; xlsxwriter omits it)
        assert setup.fitToWidth in (None, 1) and setup.fitToHeight == 0, ws.title
        assert ws.print_title_rows == "$1:$1", ws.title
        assert ws.freeze_panes == "B2", ws.title  # header row and id column stay in view
    messages = wb["预警清单"]
    assert messages.column_dimensions["F"].width >= WRAP_WIDTH
    assert messages["F2"].alignment.wrap_text and not messages["A2"].alignment.wrap_text


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_demo_evidence_extract_prints_one_page_wide(evidence: tuple, tmp_path: Path) -> None:
    path, _ = evidence
    (pdf,) = to_pdf([path], tmp_path / "pdf")
    pages = pdf_pages(pdf)
    sheets = len(openpyxl.load_workbook(path, read_only=True).sheetnames)
    assert sheets == 24  # the record sheets (资源核查 and 管理评审 included) and the results
    # every sheet starts a page; the long ones (节点 196 rows, 款项 155) add a few each
    assert sheets < pages <= sheets + 12, pages
