"""The 目录 of the Word documents: entries with page numbers from LibreOffice's layout, and no
"update fields?" prompt in Word (documents/toc.py)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from doc_helpers import pdf_text, small_firm, soffice, to_pdf
from lyue_xl.documents import write_document
from lyue_xl.documents.toc import Heading, _pdf_string, match_pages
from lyue_xl.engine import analyse

TOC_LINE = re.compile(r"^\s*(\S.*?\S)\s*\.{4,}\s*(\d+)\s*$")


def _xml(path: Path, part: str) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(part).decode("utf-8")


def test_pages_are_matched_in_document_order() -> None:
    heads = [
        Heading(1, "1 范围", "_Toc1"),
        Heading(2, "1.1 概述", "_Toc2"),
        Heading(1, "附录", "_Toc3"),
    ]
    outline = [("1 范围", 3), ("1.1 概述", 3), ("1.2 其他", 4), ("附录", 7), ("附录", 9)]
    assert match_pages(heads, outline) == [3, 3, 7]
    # a repeated title takes the next occurrence, not the first one again
    twice = [Heading(1, "附录", "_Toc1"), Heading(1, "附录", "_Toc2")]
    assert match_pages(twice, outline) == [7, 9]
    # a heading the PDF does not have: no numbers at all rather than wrong ones
    assert match_pages([*heads, Heading(1, "2 术语", "_Toc4")], outline) is None


def test_pdf_strings_hex_and_literal() -> None:
    assert _pdf_string(b"<FEFF0031002089C165B9>") == "1 见方"
    assert _pdf_string(rb"(5 \(a\) b)") == "5 (a) b"


SPLIT = re.compile(
    r"(?:^|[^0-9A-Za-z-])(?:[A-Z]{1,6}(?:-[0-9]{1,4})*-|[0-9]{4}-(?:[0-9]{2}-)?)(?=\s{2,}|\s*$)",
    re.M,
)  # an id or date cut after a hyphen: at a line's end or before the next column (-layout)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The small firm's report and review input, rendered with LibreOffice page numbers, and
    their PDFs (one more LibreOffice run)."""
    if soffice() is None:
        pytest.skip("LibreOffice 未安装")
    folder = tmp_path_factory.mktemp("toc")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LYUE_XL_TOC_PAGES", "1")
        analysis = analyse(small_firm(folder))
        docs = {
            kind: write_document(kind, analysis, folder / f"{kind}.docx")
            for kind in ("report", "review_input")
        }
    pdfs = dict(zip(docs, to_pdf(list(docs.values()), folder / "pdf"), strict=True))
    return {"docs": docs, "texts": {k: pdf_text(p) for k, p in pdfs.items()}}


@pytest.mark.slow
def test_report_toc_has_the_page_numbers_of_its_headings(rendered: dict) -> None:
    report = rendered["docs"]["report"]
    assert "updateFields" not in _xml(report, "word/settings.xml")
    body = _xml(report, "word/document.xml")
    assert "w:dirty" not in body
    anchors = re.findall(r'<w:hyperlink w:anchor="(_Toc\d+)"', body)
    marks = re.findall(r'<w:bookmarkStart w:id="\d+" w:name="(_Toc\d+)"', body)
    assert len(anchors) == 12 and anchors == marks  # 9 chapters and 3 sections, in order
    assert len(re.findall(r"PAGEREF _Toc\d+ \\h", body)) == 12

    pages = rendered["texts"]["report"].split("\f")
    assert "目" in pages[1] and "录" in pages[1]
    entries = [m.groups() for line in pages[1].splitlines() if (m := TOC_LINE.match(line))]
    titles = [t for t, _ in entries]
    assert titles[:3] == ["1 评估期间和范围", "2 履约指标与目标", "2.1 到期未履行合同的原因"]
    assert titles[-1] == "9.2 改进措施" and len(entries) == 12
    numbers = [int(n) for _, n in entries]
    assert numbers == sorted(numbers) and numbers[0] == 3 and numbers[-1] > 3
    for title, number in entries:
        lines = [line.strip() for line in pages[int(number) - 1].splitlines()]
        assert title in lines, (title, number)


@pytest.mark.slow
def test_review_input_toc_numbers_match_too(rendered: dict) -> None:
    pages = rendered["texts"]["review_input"].split("\f")
    entries = [m.groups() for line in pages[1].splitlines() if (m := TOC_LINE.match(line))]
    assert [t for t, _ in entries][:2] == ["1 评审范围", "2 以往措施的落实情况"]
    assert len(entries) == 10
    for title, number in entries:
        assert title in [line.strip() for line in pages[int(number) - 1].splitlines()]


@pytest.mark.slow
def test_no_id_or_date_is_split_across_lines(rendered: dict) -> None:
    for kind, text in rendered["texts"].items():
        assert "HT-2026-012" in text and "2026-06-30" in text  # read back as plain hyphens
        split = [m.group(0).strip() for m in SPLIT.finditer(text)]
        assert split == [], (kind, split)


def test_without_libreoffice_the_entries_have_no_numbers_and_no_prompt(tmp_path: Path) -> None:
    # LYUE_XL_TOC_PAGES=0 (tests/conftest.py) stands for a machine without LibreOffice
    analysis = analyse(small_firm(tmp_path))
    report = write_document("report", analysis, tmp_path / "报告.docx")
    body = _xml(report, "word/document.xml")
    assert "updateFields" not in _xml(report, "word/settings.xml") and "w:dirty" not in body
    assert len(re.findall(r'<w:hyperlink w:anchor="_Toc\d+"', body)) == 12
    assert "PAGEREF" not in body
    assert body.count('TOC \\o "1-3"') == 1
