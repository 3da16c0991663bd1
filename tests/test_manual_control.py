"""履约管理手册 as a controlled document (issue #10): the cover and page headers come from the
现行 手册 row (else 「草稿，未受控」 on every page), no live figures or product name in it, a
firm-owned template is used, and a manual edited in Word is never replaced without --force.

Workbooks are made with the product's ``new_workbook`` and filled by header label; the manuals are
written through the CLI and read back with python-docx, and the page headers via LibreOffice's PDF.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import docx
import pytest
from tests.doc_helpers import pdf_pages, pdf_text, soffice, to_pdf
from tests.helpers import make_book, put_rows, run_cli, set_items, sha256

from lyue_xl.resources import data_dir

AS_OF = date(2025, 6, 30)
STAMP = "20250630"
MANUAL_ROW = {
    "文件编号": "SC-01",
    "文件名称": "履约管理手册",
    "文件类别": "手册",
    "版本": "B/1",
    "发布日期": date(2025, 3, 1),
    "批准人": "王建国",
    "状态": "现行",
}


def book_in(folder: Path, manual: dict[str, object] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    book = make_book(folder)
    set_items(book, "设置", {"基准日期": AS_OF})
    set_items(book, "基本信息", {"最高管理者": "王建国", "履约能力方针": "赚钱"})
    contract = {
        "合同编号": "HT-1",
        "合同名称": "设备供货",
        "合同性质": "收入性",
        "签订日期": date(2025, 3, 1),
        "计划交付日期": date(2025, 5, 1),
    }
    put_rows(book, "合同台账", [contract])
    if manual is not None:
        put_rows(book, "成文信息", [manual])
    return book


def manual_of(book: Path) -> Path:
    return book.parent / f"测试公司-履约管理手册-{STAMP}.docx"


def text_of(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def generate(book: Path, *extra: object) -> tuple[int, str, str]:
    return run_cli("manual", book, *extra)


def test_cover_and_control_come_from_the_manual_row(tmp_path: Path) -> None:
    book = book_in(tmp_path, MANUAL_ROW)
    code, _, err = generate(book)
    assert code == 0, err
    path = manual_of(book)
    text = text_of(path)
    for shown in ("SC-01", "B/1", "2025-03-01", "王建国"):
        assert shown in text
    assert "受控状态：\n受控" in text or "受控状态：受控" in text.replace("\n", "")
    assert "草稿，未受控" not in text
    header = docx.Document(str(path)).sections[0].header.paragraphs[0].text
    assert header == "测试公司　履约管理手册"


def test_a_bare_or_missing_manual_row_is_a_draft(tmp_path: Path) -> None:
    bare = {"文件编号": "SC-01", "文件名称": "履约管理手册", "文件类别": "手册", "状态": "现行"}
    for name, row in (("none", None), ("bare", bare), ("later", {**MANUAL_ROW, "发布日期": date(2025, 7, 1)})):  # fmt: skip
        book = book_in(tmp_path / name, row)
        code, _, err = generate(book)
        assert code == 0, err
        document = docx.Document(str(manual_of(book)))
        section = document.sections[0]
        assert section.header.paragraphs[0].text == "测试公司　履约管理手册　草稿，未受控", name
        assert section.first_page_header.paragraphs[0].text == "　草稿，未受控", name
        assert "受控状态：草稿，未受控" in text_of(manual_of(book)).replace("\n", ""), name
    text = text_of(manual_of(tmp_path / "none" / "台账.xlsx"))
    assert "（未在成文信息中登记）" in text
    assert "王建国" not in text.split("手册发布令")[0]  # no approver made up from 最高管理者


@pytest.mark.skipif(soffice() is None, reason="LibreOffice 未安装")
def test_the_draft_mark_is_on_every_page_of_the_pdf(tmp_path: Path) -> None:
    draft = book_in(tmp_path / "draft")
    controlled = book_in(tmp_path / "controlled", MANUAL_ROW)
    for book in (draft, controlled):
        assert generate(book)[0] == 0
    copies = []
    for name, book in (("draft", draft), ("controlled", controlled)):
        copy = tmp_path / f"{name}.docx"
        shutil.copy(manual_of(book), copy)
        copies.append(copy)
    draft_pdf, controlled_pdf = to_pdf(copies, tmp_path / "pdf")
    pages = pdf_text(draft_pdf).split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) == pdf_pages(draft_pdf) > 10
    for number, page in enumerate(pages, 1):
        assert "草稿，未受控" in page, number
    assert "草稿，未受控" not in pdf_text(controlled_pdf)


def test_no_live_figures_and_no_product_name(tmp_path: Path) -> None:
    book = book_in(tmp_path, MANUAL_ROW)
    assert generate(book)[0] == 0
    path = manual_of(book)
    text = text_of(path)
    for live in (
        "本期台账共有合同",
        "当前登记风险",
        "当前共登记承诺",
        "本期已开展培训",
        "生成于",
        "lyue",
    ):
        assert live not in text, live
    props = docx.Document(str(path)).core_properties
    assert (props.author, props.last_modified_by) == ("测试公司", "测试公司")
    # the policy is quoted, never vouched for
    assert "体现了本公司满足合同要求" not in text and "公司网站" not in text


def test_an_edited_manual_survives_regeneration(tmp_path: Path) -> None:
    book = book_in(tmp_path, MANUAL_ROW)
    assert generate(book)[0] == 0
    path = manual_of(book)
    assert generate(book)[0] == 0  # unchanged since written: replaced (with a backup)
    document = docx.Document(str(path))
    document.add_paragraph("本公司补充规定：重大合同由总经理亲自评审。")
    document.save(str(path))
    edited = path.read_bytes()
    code, out, err = generate(book)
    assert code == 2
    assert out == ""
    assert err.startswith(f"错误：“{path}”在上次生成后已被修改（例如在 Word 中编辑过）")
    assert "--force" in err and err.count("\n") == 1
    assert path.read_bytes() == edited
    code, _, err = generate(book, "--force")
    assert code == 0, err
    backups = sorted((tmp_path / ".lyue-backup").glob(f"测试公司-履约管理手册-{STAMP}-*.docx"))
    assert edited in [b.read_bytes() for b in backups]
    assert "本公司补充规定" not in text_of(path)
    assert generate(book)[0] == 0  # what was just written may be regenerated again


def test_a_manual_the_product_has_no_record_of_is_not_overwritten(tmp_path: Path) -> None:
    book = book_in(tmp_path, MANUAL_ROW)
    foreign = manual_of(book)
    shutil.copy(data_dir("docx_templates") / "manual.docx", foreign)
    before = sha256(foreign)
    code, _, err = generate(book)
    assert code == 2 and "不是本程序上次生成的版本" in err
    assert sha256(foreign) == before


def test_a_firm_owned_template_is_used(tmp_path: Path) -> None:
    book = book_in(tmp_path, MANUAL_ROW)
    template = docx.Document(str(data_dir("docx_templates") / "manual.docx"))
    template.add_paragraph("本公司自定条款：{{ org_name }} 的合同一律双人评审。")
    template.save(str(tmp_path / "履约管理手册模板.docx"))
    assert generate(book)[0] == 0
    assert "本公司自定条款：测试公司 的合同一律双人评审。" in text_of(manual_of(book))
    # a template registered in 设置 wins; a missing one is a clear refusal
    (tmp_path / "模板").mkdir()
    other = docx.Document(str(data_dir("docx_templates") / "manual.docx"))
    other.add_paragraph("另一份模板")
    other.save(str(tmp_path / "模板" / "我的手册.docx"))
    set_items(book, "设置", {"手册模板": "模板/我的手册.docx"})
    assert generate(book, "--force")[0] == 0
    assert "另一份模板" in text_of(manual_of(book))
    set_items(book, "设置", {"手册模板": "模板/没有.docx"})
    code, _, err = generate(book, "--force")
    assert code == 2 and "「设置」中的手册模板“模板/没有.docx”找不到" in err
