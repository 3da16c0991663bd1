"""Every document converted by LibreOffice and read back (pdftotext): the facts a reader sees.

One module-scoped fixture writes all documents of a small firm and converts them in a single
LibreOffice run, so the suite stays fast.
"""

from __future__ import annotations

import re
import zipfile

import openpyxl
import pytest
from docx import Document

from doc_helpers import (
    AS_OF,
    ORG,
    POLICY,
    pdf_pages,
    pdf_png,
    pdf_text,
    small_firm,
    soffice,
    to_pdf,
)
from lyue_xl.documents import write_document
from lyue_xl.engine import analyse

pytestmark = pytest.mark.skipif(soffice() is None, reason="LibreOffice 未安装")


@pytest.fixture(scope="module")
def firm(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    folder = tmp_path_factory.mktemp("firm")
    book = small_firm(folder)
    analysis = analyse(book)
    docs = {
        "manual": write_document("manual", analysis),
        "report": write_document("report", analysis),
        "review_input": write_document("review_input", analysis),
    }
    pack = write_document("audit_pack", analysis)
    docs["audit_pack"] = pack
    unpacked = folder / "pack"
    with zipfile.ZipFile(pack) as z:
        z.extractall(unpacked)
    for part in sorted(unpacked.glob("*.docx")):
        docs[part.stem] = part
    word = {k: v for k, v in docs.items() if v.suffix == ".docx"}
    pdfs = dict(zip(word, to_pdf(list(word.values()), folder / "pdf"), strict=True))
    texts = {k: pdf_text(p) for k, p in pdfs.items()}
    return {
        "folder": folder,
        "book": book,
        "analysis": analysis,
        "docs": docs,
        "pdfs": pdfs,
        "texts": texts,
    }


def flat(text: str) -> str:
    """pdftotext -layout output without the spaces and line breaks layout puts inside cells."""
    return re.sub(r"\s+", "", text)


def test_default_names_are_org_document_date_in_the_workbook_folder(firm: dict) -> None:
    stamp = AS_OF.strftime("%Y%m%d")
    for kind, label in (
        ("manual", "履约管理手册"),
        ("report", "履约评估报告"),
        ("review_input", "管理评审输入报告"),
    ):
        path = firm["docs"][kind]
        assert path.parent == firm["book"].parent
        assert path.name == f"{ORG}-{label}-{stamp}.docx"


def test_manual_cover_toc_chapters_and_facts(firm: dict) -> None:
    text = firm["texts"]["manual"]
    f = flat(text)
    assert pdf_pages(firm["pdfs"]["manual"]) >= 8
    # cover from the 现行 手册 row of 成文信息
    for fact in (ORG, "履约管理手册", "QM-LY-01", "B/1", "2026-01-02", "陈建国"):
        assert flat(fact) in f
    # a real 目录 in the PDF (pre-filled TOC field)
    pages = text.split("\f")
    toc_page = pages[1] + pages[2]  # the 目录 takes two pages
    assert (
        "目     录" in pages[1] and "8.2 合同评审" in toc_page and "附录 A 条款对照表" in toc_page
    )
    assert flat(POLICY) in f
    for heading in (
        "4.3 相关方需求和期望",
        "6.2.1 规定性承诺",
        "8.5 供应商履约管理",
        "9.5 违约处置",
        "11.1 内部审核",
    ):
        assert heading in text
    # filled from the workbook
    for fact in (
        "MB-01",
        "合同履约率",
        "不低于95.0%",
        "91410100MA0000001X",
        "履约管理岗",
        "周敏",
        "CN-02",
        "报修后4小时内响应",
        "YJ-01",
        "HJ-02",
    ):
        assert flat(fact) in f, fact
    # a controlled document: the open risk register is in the report, not the manual (issue #10)
    assert flat("R-01") not in f
    # the six 制度, the missing one shown as such
    assert "未建立（待制定）" in f and "内外部履约责任追究制度" in f and "ZD-05" in f
    # grading rules and the clause cross-reference at the end
    assert "综合评分≥90" in f and "60≤综合评分<75" in f and "暂停新订单" in f
    tail = flat(text.split("附录 A 条款对照表")[-1])
    for clause in ("9.2合同评审8.2合同台账", "10.5违约处置与改进9.5履约问题", "附录A"):
        assert clause in tail, clause


def test_manual_tables_are_real_word_tables(firm: dict) -> None:
    doc = Document(str(firm["docs"]["manual"]))
    assert len(doc.tables) >= 15
    objectives = next(t for t in doc.tables if t.rows[0].cells[0].text == "目标编号")
    assert [r.cells[0].text for r in objectives.rows[1:]] == [
        "MB-01",
        "MB-02",
        "MB-03",
        "MB-04",
        "MB-05",
    ]
    assert objectives.rows[1].cells[2].text == "不低于 95.0%"


def test_report_indicators_targets_and_no_data(firm: dict) -> None:
    text = firm["texts"]["report"]
    f = flat(text)
    assert ORG in text and "2026-01-01 至 2026-06-30" in text
    rows = {line.split()[0]: line.split() for line in text.splitlines() if line.strip()}
    assert rows["合同履约率"][1:3] == ["95.0%", "19/20"]
    assert "不低于 95.0%" in " ".join(rows["合同履约率"]) and "达成" in rows["合同履约率"]
    assert rows["按时交付率"][1] == "85.0%" and "未达成" in rows["按时交付率"]
    assert "88.0分" in f and "57,500.00元" in f
    # the June row has no contracts due: 无数据, never 0% or 100%
    june = next(line for line in text.splitlines() if re.match(r"\s*2026-06\s", line))
    assert june.split()[1:] == ["0", "无数据", "无数据", "无数据", "无数据"]
    # 到期未履行 by reason, breaches with root cause / corrective action / accountability / compensation
    assert "本方违约 1 5.0%" in re.sub(r"\s+", " ", text)
    for fact in (
        "WT-001",
        "备件采购计划",
        "追责：扣减项目",
        "补偿：免费延",
        "WT-002",
        "追责：未记录",
        "补偿：未记录",
    ):
        assert flat(fact) in f, fact
    cells = {
        c.text
        for t in Document(str(firm["docs"]["report"])).tables
        for row in t.rows
        for c in row.cells
    }
    assert {
        "备件采购计划未与合同节点联动",
        "追责：扣减项目负责人季度绩效\n补偿：免费延长保修三个月",
    } <= cells
    # warnings, suppliers, risks, conclusions derived from the numbers
    assert (
        "台账共有预警 15 条：高 10 条、中 4 条、低 1 条" in f.replace("，", "").replace(" ", "")
        or "预警15条" in f
    )
    # S-02 has fewer than 3 deliveries: 未评, not D (issue 14 item 5)
    assert "D级1家、未评3家（未评中2家交付不足3次，样本不足，暂不评级）" in f
    assert "许昌配件商行（S-03）信用核查结论为“异常”，评为D级" in f
    assert "目标MB-02「按时交付率」实际85.0%，未达到目标（不低于95.0%）" in f
    assert "按时交付率实际85.0%、目标不低于95.0%：逐份分析到期未交付的收入性合同" in f


def test_report_has_three_charts_and_tables(firm: dict) -> None:
    path = firm["docs"]["report"]
    with zipfile.ZipFile(path) as z:
        images = [n for n in z.namelist() if n.startswith("word/media/")]
    assert len(images) == 3
    doc = Document(str(path))
    assert len(doc.tables) >= 10
    assert len(doc.inline_shapes) == 3


def test_control_characters_and_markup_in_user_text(firm: dict) -> None:
    # the workbook holds "备件未到导致调试延误" + BEL + ESC, and "<主轴>振动超标 & 返工"
    raw = firm["analysis"].records["issues"]["description"].tolist()
    assert "\x07" in raw[0]
    doc = Document(str(firm["docs"]["report"]))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "备件未到导致调试延误" in cells
    assert "<主轴>振动超标 & 返工" in cells
    assert not any(re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", c) for c in cells)


def test_review_input_sections_prefilled(firm: dict) -> None:
    text = firm["texts"]["review_input"]
    f = flat(text)
    for heading in (
        "2 以往措施的落实情况",
        "3 内外部环境和相关方的变化",
        "5 审核结果",
        "6 客户满意度和投诉",
        "7 供应商绩效",
        "8 风险应对措施的有效性",
        "9 改进机会",
    ):
        assert heading in text
    assert "已完成1项、进行中0项、逾期未完成1项" in f
    assert "GJ-02" in f and "逾期未完成" in f and "SH-02" in f and "BG-01" in f
    assert "客户满意度88.0分（19份评分）" in f and "客户投诉1项" in f
    assert "R-01" in f and "措施实施中" in f and "措施已落实，风险已关闭" in f


def test_pngs_render(firm: dict) -> None:
    folder = firm["folder"] / "png"
    folder.mkdir(exist_ok=True)
    for kind, pdf in firm["pdfs"].items():
        pngs = pdf_png(pdf, folder / kind)
        assert pngs and all(p.stat().st_size > 2000 for p in pngs)


def test_audit_pack_contents(firm: dict) -> None:
    pack = firm["docs"]["audit_pack"]
    assert pack.name == f"{ORG}-审核资料包-{AS_OF:%Y%m%d}.zip"
    with zipfile.ZipFile(pack) as z:
        names = z.namelist()
    assert names == [
        "00-审核资料包目录.docx",
        "01-条款核查表.docx",
        "02-指标与抽样记录.docx",
        "03-证据记录摘录.xlsx",
    ]
    index = flat(firm["texts"]["00-审核资料包目录"])
    assert ORG in index and "01-条款核查表.docx" in index and "体系就绪度" in index
    gaps = [
        r.number for r in firm["analysis"].assessment.results if r.status in ("不符合", "部分符合")
    ]
    assert f"自评为不符合或部分符合的条款（{len(gaps)}条）：{'、'.join(gaps)}。" in index
    checklist = firm["texts"]["01-条款核查表"]
    for clause in ("6.3.2", "9.2", "9.5", "10.5"):
        assert re.search(rf"^\s*{re.escape(clause)}\s", checklist, re.M), clause
    assert any(s in checklist for s in ("部分符合", "不符合"))
    records = flat(firm["texts"]["02-指标与抽样记录"])
    assert "HT-2026-012" in records and "先签后审" in records
    for fact in ("S-03", "R-01", "WT-002", "PX-02", "QM-LY-01", "B/1", "SH-01", "95.0%"):
        assert fact in records, fact


def test_evidence_workbook_holds_values(firm: dict) -> None:
    with zipfile.ZipFile(firm["docs"]["audit_pack"]) as z:
        target = firm["folder"] / "evidence.xlsx"
        target.write_bytes(z.read("03-证据记录摘录.xlsx"))
    book = openpyxl.load_workbook(target)
    titles = {
        str(ws.cell(r, 1).value).split("（")[0]
        for ws in book.worksheets
        for r in range(1, ws.max_row + 1)
        if str(ws.cell(r, 1).value).endswith(" 条）")
    }
    for block in ("基本信息", "合同台账", "供应商", "风险机遇", "履约问题", "成文信息"):
        assert block in titles, block
    for block in ("培训记录", "审核记录", "指标", "供应商评价", "条款自评", "预警清单"):
        assert block in titles, block
    contracts = book["合同台账"]
    assert contracts["A1"].value == "合同台账（25 条）"
    header = [c.value for c in contracts[2]]
    assert header[:3] == ["合同编号", "合同名称", "合同性质"]
    assert contracts.max_row == 27  # title, header, 25 contracts
    formulas = [
        c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.data_type == "f"
    ]
    assert not formulas


# What a reader sees has no English: warning codes in words, no product name. PDCA is the
# standard's own term; codes such as RECEIVABLE_OVERDUE (or any run of 4+ capitals) are not.
ENGLISH = re.compile(r"[A-Za-z0-9]*(?:[A-Z_]{4,}|_)[A-Za-z0-9_]*|lyue[\w-]*", re.I)
ALLOWED = {"PDCA"}


def english_words(text: str) -> list[str]:
    found = []
    for m in ENGLISH.finditer(text):
        word = m.group(0)
        if word in ALLOWED or not (re.search(r"[A-Z_]{4,}", word) or "lyue" in word.lower()):
            continue
        found.append(word)
    return found


def test_the_scan_catches_codes_and_the_product_name() -> None:
    assert english_words("应收款逾期（RECEIVABLE_OVERDUE），由 lyue_xl 生成；PDCA、GYS-001") == [
        "RECEIVABLE_OVERDUE",
        "lyue_xl",
    ]


@pytest.mark.parametrize(
    "kind",
    [
        "report",
        "review_input",
        "00-审核资料包目录",
        "01-条款核查表",
        "02-指标与抽样记录",
        "manual",
    ],
)
def test_documents_have_no_english_codes_or_product_name(firm: dict, kind: str) -> None:
    assert kind in firm["texts"]
    assert english_words(firm["texts"][kind]) == []


def test_result_sheets_have_no_english_outside_the_code_column(firm: dict, tmp_path) -> None:
    import shutil

    from lyue_xl.refresh import refresh

    book = tmp_path / "台账.xlsx"
    shutil.copy(firm["book"], book)
    refresh(book)
    wb = openpyxl.load_workbook(book)
    seen_codes = 0
    for name in ("指标看板", "预警清单", "体系自评"):
        ws = wb[name]
        for row in ws.iter_rows():
            for cell in row:
                if not isinstance(cell.value, str):
                    continue
                header = next(
                    (
                        ws.cell(r, cell.column).value
                        for r in range(1, 8)
                        if ws.cell(r, 1).value == "级别"
                    ),
                    None,
                )
                if name == "预警清单" and header == "代码（供程序使用）":
                    seen_codes += 1
                    continue
                assert english_words(cell.value) == [], (name, cell.coordinate, cell.value)
    assert seen_codes > 10  # the codes are there, in their own last column
