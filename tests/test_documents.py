"""Documents without LibreOffice: the templates' Word structure, the variable pre-check,
XML-unsafe characters, file names, charts' fonts."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from helpers import make_book
from lyue_xl.documents import charts, write_document
from lyue_xl.documents.output import safe_filename
from lyue_xl.documents.render import clean, clean_text, render
from lyue_xl.engine import analyse
from lyue_xl.errors import LyueError
from lyue_xl.resources import data_dir, repo_root

TEMPLATES = (
    "manual.docx",
    "report.docx",
    "review_input.docx",
    "audit_index.docx",
    "audit_checklist.docx",
    "audit_records.docx",
)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _xml(path: Path, part: str) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(part).decode("utf-8")


@pytest.mark.parametrize("name", TEMPLATES)
def test_template_is_a4_with_chinese_fonts_toc_page_numbers_and_header_rows(name: str) -> None:
    path = data_dir("docx_templates") / name
    doc = Document(str(path))
    section = doc.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    styles = _xml(path, "word/styles.xml")
    assert (
        "asciiTheme" not in styles and "eastAsiaTheme" not in styles and "hAnsiTheme" not in styles
    )
    fonts = {
        s.name: s.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))
        for s in doc.styles
        if s.type == 1
        and s.element.rPr is not None
        and s.element.rPr.find(qn("w:rFonts")) is not None
    }
    assert fonts["Normal"] == "宋体"
    assert fonts["Heading 1"] == fonts["Heading 2"] == "黑体"
    assert "updateFields" not in _xml(path, "word/settings.xml")  # no prompt in Word
    body = _xml(path, "word/document.xml")
    assert "w:dirty" not in body
    assert 'TOC \\o "1-3" \\h \\z \\u' in body
    # the TOC result is pre-filled with the headings (LibreOffice shows it as it is)
    toc_entries = re.findall(r'<w:pStyle w:val="TOC1"/>', body)
    assert len(toc_entries) >= 3
    footers = "".join(
        _xml(path, n) for n in zipfile.ZipFile(path).namelist() if n.startswith("word/footer")
    )
    assert " PAGE " in footers and " NUMPAGES " in footers
    assert "{{ org_name }}" in "".join(
        _xml(path, n) for n in zipfile.ZipFile(path).namelist() if n.startswith("word/header")
    )
    tables = doc.tables
    assert tables and all(t._tbl.tblPr.find(qn("w:tblLayout")) is not None for t in tables)
    loops = [t for t in tables if "{%tr for" in t._tbl.xml]
    assert loops, "row-loop tables"
    for t in loops:
        assert t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
        widths = [int(g.get(qn("w:w"))) for g in t._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert 3 * 567 <= sum(widths) <= 16 * 567 + len(widths) * 2, (
            name,
            widths,
        )  # fits A4 text width
        assert t.rows[2].cells[0].paragraphs[0].style.name == "表格文字"


def test_committed_templates_are_what_the_script_builds(tmp_path: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "make_docx_templates", repo_root() / "build" / "make_docx_templates.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    built = module.build(tmp_path)
    for path in built:
        committed = data_dir("docx_templates") / path.name
        with zipfile.ZipFile(path) as a, zipfile.ZipFile(committed) as b:
            assert a.namelist() == b.namelist()
            for part in a.namelist():
                assert a.read(part) == b.read(part), (
                    f"{path.name}:{part} — rerun build/make_docx_templates.py"
                )


def _tiny_template(folder: Path, text: str) -> Path:
    doc = Document()
    doc.add_paragraph(text)
    path = folder / "tiny.docx"
    doc.save(str(path))
    return path


def test_missing_variables_are_named_before_rendering(tmp_path: Path) -> None:
    template = _tiny_template(
        tmp_path, "{{ org_name }} 的方针：{{ policy }}，负责人 {{ manager_name }}"
    )
    out = tmp_path / "out.docx"
    with pytest.raises(LyueError) as caught:
        render(str(template), {"org_name": "甲公司"}, out)
    message = str(caught.value)
    assert "tiny.docx" in message and "manager_name" in message and "policy" in message
    assert "org_name" not in message
    assert not out.exists()


def test_missing_attribute_is_an_error_not_a_blank(tmp_path: Path) -> None:
    template = _tiny_template(tmp_path, "{{ r.no }} / {{ r.missing_field }}")
    with pytest.raises(LyueError, match="missing_field"):
        render(str(template), {"r": {"no": "HT-1"}}, tmp_path / "out.docx")


def test_user_text_is_escaped_and_cleaned(tmp_path: Path) -> None:
    template = _tiny_template(tmp_path, "{{ text }}")
    out = render(str(template), {"text": "A\x00B\x07C\x1b<D>&E\ud800F\r\nG"}, tmp_path / "out.docx")
    shown = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert shown == "ABC<D>&EF\nG"


def test_clean_walks_nested_values() -> None:
    assert clean({"a": ["x\x01y", ("z\x0b",)], "b": 3}) == {"a": ["xy", ["z"]], "b": 3}
    assert clean_text("制度\x0c名称\t保留") == "制度名称\t保留"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("郑州启明/机电:公司*?-手册-20260630", "郑州启明_机电_公司_-手册-20260630"),
        ('a<b>c|d"e', "a_b_c_d_e"),
        ("  ..隐藏. ", "隐藏"),
        ("CON", "_CON"),
        ("\x00\x01", "文档"),
        ("..\\..\\etc", "etc"),
    ],
)
def test_safe_filename(text: str, expected: str) -> None:
    assert safe_filename(text) == expected


def test_safe_filename_is_bounded() -> None:
    name = safe_filename("很长的组织名称" * 40)
    assert len(name.encode("utf-8")) <= 150 and name.startswith("很长的组织名称")


def test_charts_use_a_cjk_font_and_write_png(tmp_path: Path) -> None:
    from matplotlib import font_manager

    family = charts.cjk_font()
    assert family != "DejaVu Sans"
    path = font_manager.findfont(
        font_manager.FontProperties(family=family), fallback_to_default=False
    )
    assert (
        "CJK" in path
        or "YaHei" in path.lower()
        or "msyh" in path.lower()
        or "simhei" in path.lower()
    )
    trend = charts.trend_chart(
        ["2026-01", "2026-02"], [("合同履约率", [0.9, None])], tmp_path / "t.png"
    )
    grades = charts.grade_chart({"A": 2, "D": 1}, tmp_path / "g.png")
    matrix = charts.risk_matrix({(4, 4): 2}, tmp_path / "r.png")
    for png in (trend, grades, matrix):
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    import matplotlib

    assert matplotlib.rcParams["axes.unicode_minus"] is False


def test_importing_documents_does_not_import_matplotlib() -> None:
    import subprocess
    import sys

    code = "import sys, lyue_xl.documents, lyue_xl.documents.report; print('matplotlib' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(repo_root() / "src")},
    )
    assert out.stdout.strip() == "False"


def test_audit_pack_index_names_every_clause_that_needs_work(tmp_path: Path) -> None:
    """A firm just starting has most clauses open: the index lists them all, with the count."""
    analysis = analyse(make_book(tmp_path))
    gaps = [r.number for r in analysis.assessment.results if r.status in ("不符合", "部分符合")]
    assert len(gaps) > 15
    pack = write_document("audit_pack", analysis)
    with zipfile.ZipFile(pack) as archive:
        index = Document(io.BytesIO(archive.read("00-审核资料包目录.docx")))
    text = "\n".join(p.text for p in index.paragraphs)
    assert f"自评为不符合或部分符合的条款（{len(gaps)} 条）：{'、'.join(gaps)}。" in text
