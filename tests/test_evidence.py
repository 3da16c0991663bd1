"""证据文件 (issue #10 item 3): `check` names the linked files that are missing, the self-assessment
names the ones that exist, the audit pack attaches them and lists the rest in its index."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from helpers import make_book, put_rows
from lyue_xl import schema
from lyue_xl.documents import write_document
from lyue_xl.documents.audit_pack import evidence_attachments
from lyue_xl.engine import analyse
from lyue_xl.validate import check_file

PDF = b"%PDF-1.4\n% scan of HT-1\n"
PNG = b"\x89PNG\r\n\x1a\n scan of HT-2" + b"x" * 100


def contract(no: str, evidence: str) -> dict[str, object]:
    return {
        "合同编号": no,
        "合同名称": f"{no} 设备采购",
        "合同性质": "收入性",
        "签订日期": date(2025, 3, 1),
        "评审日期": date(2025, 2, 20),
        "评审结论": "通过",
        "计划交付日期": date(2025, 9, 30),
        "证据文件": evidence,
    }


@pytest.fixture()
def linked(tmp_path: Path) -> tuple[Path, list[int], Path]:
    """Three contracts link a local file each, two of which exist (one relative to the workbook,
    one an absolute file:// URL elsewhere); a fourth links a web page, which is never checked."""
    (tmp_path / "账").mkdir()
    book = make_book(tmp_path / "账")
    (book.parent / "证据").mkdir()
    (book.parent / "证据" / "合同HT-1.pdf").write_bytes(PDF)
    outside = tmp_path / "外部扫描" / "scan.png"
    outside.parent.mkdir()
    outside.write_bytes(PNG)
    rows = put_rows(
        book,
        "合同台账",
        [
            contract("HT-1", "证据/合同HT-1.pdf"),
            contract("HT-2", outside.as_uri()),
            contract("HT-3", "证据/缺失的验收单.pdf"),
            contract("HT-4", "https://example.com/HT-4.pdf"),
        ],
    )
    return book, rows, outside


def evidence_letter() -> str:
    index = schema.CONTRACTS.columns.index(schema.CONTRACTS.column("evidence_file"))
    return openpyxl.utils.get_column_letter(index + 1)


def test_evidence_column_is_declared_once_on_every_record_sheet_before_engine_columns() -> None:
    for sheet in schema.SHEETS:
        labels = [c.label for c in sheet.columns]
        if sheet.is_keyvalue:
            assert "证据文件" not in labels
            continue
        assert labels.count("证据文件") == 1, sheet.name
        at = labels.index("证据文件")
        # nothing of the user's comes after it, except what was already after the engine columns
        assert all(c.engine for c in sheet.columns[at + 1 :]) or sheet.key == "suppliers"
    assert schema.RISKS.columns[-3].label == "证据文件"  # before 风险值, 等级
    assert schema.OBJECTIVES.columns[-3].label == "证据文件"  # before 实际值, 达成情况


def test_check_names_only_the_missing_linked_file(linked: tuple[Path, list[int], Path]) -> None:
    book, rows, _ = linked
    report = check_file(book)
    missing = [p for p in report.problems if p.code == "evidence-missing"]
    assert [(p.level, p.sheet, p.row, p.column, p.value) for p in missing] == [
        ("警告", "合同台账", rows[2], f"证据文件({evidence_letter()})", "证据/缺失的验收单.pdf")
    ]
    message = missing[0].message
    assert f"第{rows[2]}行" in message
    assert str(book.parent / "证据" / "缺失的验收单.pdf") in message
    assert "请把扫描件或 PDF 放到该位置" in message
    assert report.ok  # a warning, not an error


def test_old_workbook_without_the_column_is_not_warned_about(tmp_path: Path) -> None:
    book = make_book(tmp_path)
    wb = openpyxl.load_workbook(book)
    removed = 0
    for sheet in schema.SHEETS:
        if sheet.is_keyvalue or sheet.name not in wb.sheetnames:
            continue
        ws = wb[sheet.name]
        for row in range(1, 6):
            cells = [c.value for c in ws[row]]
            if "证据文件" in cells:
                ws.delete_cols(cells.index("证据文件") + 1)
                removed += 1
                break
    wb.save(book)
    assert removed == sum(1 for s in schema.SHEETS if not s.is_keyvalue)
    report = check_file(book)
    assert [p for p in report.problems if "证据文件" in p.column + p.message] == []
    (tmp_path / "新").mkdir()
    assert report.problems == check_file(make_book(tmp_path / "新")).problems


def test_self_assessment_names_the_existing_files(linked: tuple[Path, list[int], Path]) -> None:
    book, _, _ = linked
    put_rows(
        book,
        "成文信息",
        [
            {
                "文件编号": "WJ-01",
                "文件名称": "履约管理手册",
                "文件类别": "手册",
                "版本": "A/0",
                "状态": "现行",
                "证据文件": "证据/合同HT-1.pdf",
            },
            {
                "文件编号": "WJ-02",
                "文件名称": "合同管理制度",
                "文件类别": "制度",
                "状态": "现行",
                "证据文件": "证据/没有这份.pdf",
            },
        ],
    )
    results = {r.number: r for r in analyse(book, as_of=date(2025, 6, 30)).assessment.results}
    assert results["9.2"].evidence.endswith("；附证据文件 2 份（合同台账 HT-1、HT-2）")
    # a registered document with its scan is named, and still only 需人工确认
    assert results["4.1"].status == "需人工确认"
    assert "其中 1 份附证据文件（如 WJ-01）" in results["4.1"].evidence
    assert "附证据文件" not in results["7.4"].evidence  # 变更记录 links nothing


def pack_index_rows(pack: Path) -> list[list[str]]:
    with zipfile.ZipFile(pack) as archive:
        index = Document(io.BytesIO(archive.read("00-审核资料包目录.docx")))
    return [[c.text for c in row.cells] for t in index.tables for row in t.rows]


def test_audit_pack_attaches_the_found_files_and_lists_the_missing_one(
    linked: tuple[Path, list[int], Path],
) -> None:
    book, _, outside = linked
    pack = write_document("audit_pack", analyse(book, as_of=date(2025, 6, 30)))
    with zipfile.ZipFile(pack) as archive:
        attached = {n: archive.read(n) for n in archive.namelist() if n.startswith("证据附件/")}
    assert attached == {
        "证据附件/合同台账-HT-1-合同HT-1.pdf": PDF,
        "证据附件/合同台账-HT-2-scan.png": PNG,
    }
    rows = [r[1:] for r in pack_index_rows(pack) if "的证据文件" in "".join(r)]
    assert rows == [
        [
            "证据附件/合同台账-HT-1-合同HT-1.pdf",
            "「合同台账」HT-1 的证据文件（原路径：证据/合同HT-1.pdf）",
        ],
        [
            "证据附件/合同台账-HT-2-scan.png",
            f"「合同台账」HT-2 的证据文件（原路径：{outside.as_uri()}）",
        ],
        ["未找到", "「合同台账」HT-3 的证据文件（原路径：证据/缺失的验收单.pdf）"],
    ]


def test_attachments_same_names_are_numbered_and_the_size_limit_skips(tmp_path: Path) -> None:
    book = make_book(tmp_path)
    for folder, data in (("甲", b"a" * 10), ("乙", b"b" * 20), ("丙", b"c" * 30)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "验收单.pdf").write_bytes(data)
    put_rows(
        book,
        "合同台账",
        [contract("HT-1", "甲/验收单.pdf；乙/验收单.pdf；丙/验收单.pdf；甲/验收单.pdf")],
    )
    analysis = analyse(book, as_of=date(2025, 6, 30))
    got = [(a.text, a.name, a.source is not None) for a in evidence_attachments(analysis, limit=35)]
    assert got == [
        ("甲/验收单.pdf", "证据附件/合同台账-HT-1-验收单.pdf", True),
        ("乙/验收单.pdf", "证据附件/合同台账-HT-1-验收单-2.pdf", True),
        ("丙/验收单.pdf", "未附：超出附件总量上限（35 字节），请另行提供", False),
        ("甲/验收单.pdf", "证据附件/合同台账-HT-1-验收单.pdf", False),  # the same file once
    ]


def test_an_excel_hyperlink_is_followed_not_its_display_text(
    linked: tuple[Path, list[int], Path],
) -> None:
    """插入 → 链接 shows 「验收单扫描件」 and stores the path: the path is what is checked."""
    book, rows, _ = linked
    wb = openpyxl.load_workbook(book)
    ws = wb["合同台账"]
    cell = ws[f"{evidence_letter()}{rows[2]}"]  # HT-3, whose typed path is missing
    cell.value = "验收单扫描件"
    cell.hyperlink = "证据/合同HT-1.pdf"
    other = ws[f"{evidence_letter()}{rows[0]}"]  # HT-1 now links a missing file
    other.value = "合同扫描件"
    other.hyperlink = "证据/%E6%B2%A1%E6%9C%89.pdf"  # Excel stores targets percent-encoded
    wb.save(book)
    missing = [p for p in check_file(book).problems if p.code == "evidence-missing"]
    assert [(p.row, p.value) for p in missing] == [(rows[0], "证据/没有.pdf")]


def test_a_linked_scan_is_a_commitments_proof_when_it_exists(tmp_path: Path) -> None:
    book = make_book(tmp_path)
    (tmp_path / "兑现").mkdir()
    for no in ("CN-1", "CN-2"):
        (tmp_path / "兑现" / f"{no}.pdf").write_bytes(PDF)
    put_rows(
        book,
        "承诺",
        [
            {
                "承诺编号": no,
                "承诺类型": "规定性",
                "承诺内容": "按时交付",
                "兑现期限": "长期",
                "兑现状态": "已兑现",
                "证据文件": f"兑现/{no}.pdf",
            }
            for no in ("CN-1", "CN-2", "CN-3")
        ],
    )
    results = {r.number: r for r in analyse(book, as_of=date(2025, 6, 30)).assessment.results}
    r = results["7.2.1"]
    assert r.status == "部分符合"
    assert r.gap == "1 项标为已兑现但没有兑现证据（如 CN-3）"
    assert "已兑现 3 项（有兑现证据 2 项）" in r.evidence
    assert r.evidence.endswith("；附证据文件 2 份（承诺 CN-1、CN-2）")
