"""The demo firm's documents through the command line (the way users and acceptance tests call
them), converted by LibreOffice: the manual runs to at least 8 pages and carries the firm's facts."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from doc_helpers import pdf_pages, pdf_text, run_cli, soffice, to_pdf
from lyue_xl.demo import ORG_NAME, write_demo_workbook
from lyue_xl.workbook.reader import read_records

pytestmark = pytest.mark.skipif(soffice() is None, reason="LibreOffice 未安装")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    folder = tmp_path_factory.mktemp("demo")
    book = write_demo_workbook(folder / "演示 台账.xlsx")
    out = folder / "out"
    results = {
        "manual": run_cli("manual", book, "-o", out / "手册.docx"),
        "report": run_cli(
            "report",
            book,
            "-o",
            out / "报告.docx",
            "--from",
            "2026-01-01",
            "--to",
            "2026-03-31",
            "--as-of",
            "2026-06-30",
        ),
        "pack": run_cli("audit-pack", book, "--as-of", "2026-06-30"),
    }
    pdfs = to_pdf([out / "手册.docx", out / "报告.docx"], folder / "pdf")
    return {
        "book": book,
        "out": out,
        "results": results,
        "pdfs": pdfs,
        "texts": [pdf_text(p) for p in pdfs],
    }


def test_cli_writes_documents(demo: dict) -> None:
    for code, stdout, stderr in demo["results"].values():
        assert code == 0, stderr
        assert "已生成" in stdout
    pack = demo["book"].parent / f"{ORG_NAME}-审核资料包-20260630.zip"
    assert pack.is_file()
    with zipfile.ZipFile(pack) as z:
        assert len(z.namelist()) == 4


def test_demo_manual_has_eight_pages_and_the_firm(demo: dict) -> None:
    manual, _ = demo["pdfs"]
    text, _ = demo["texts"]
    assert pdf_pages(manual) >= 8
    info = read_records(demo["book"]).info
    flat = "".join(text.split())
    assert ORG_NAME in text
    assert "".join(str(info["policy"]).split())[:30] in flat


def test_report_period_from_flags(demo: dict) -> None:
    _, text = demo["texts"]
    assert "2026-01-01 至 2026-03-31（基准日期 2026-06-30）" in text
    months = [
        line.split()[0]
        for line in text.splitlines()
        if line.strip()[:7] in ("2026-01", "2026-02", "2026-03", "2026-04")
    ]
    assert "2026-04" not in months and {"2026-01", "2026-02", "2026-03"} <= set(months)


def test_output_folder_created_and_existing_file_replaced(demo: dict, tmp_path: Path) -> None:
    target = demo["out"] / "手册.docx"
    before = target.stat().st_mtime_ns
    code, _, stderr = run_cli("manual", demo["book"], "-o", target)
    assert code == 0, stderr
    assert target.stat().st_mtime_ns >= before
    assert not list(target.parent.glob(".~lyue-*"))
