"""`lyue-xl audit-kit`: the annual plan covers every clause of 4–11 and Annex A, the checklist
samples records reproducibly and risky ones first, the report and nonconformity forms have blank
lines to fill, and the 审核记录 rows of the kit paste back into the workbook and count."""

from __future__ import annotations

import json
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from doc_helpers import pdf_text, soffice, to_pdf
from helpers import make_book, put_rows, run_cli, set_items
from lyue_xl import schema
from lyue_xl.assessment import load_catalogue
from lyue_xl.demo import write_demo_workbook

needs_lo = pytest.mark.skipif(soffice() is None, reason="LibreOffice 未安装")
LINE = "_" * 12
PASTE = "05-审核记录（填写后粘贴到台账）.xlsx"


def lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def small_book(folder: Path) -> Path:
    path = make_book(folder, org="许昌恒远机电有限公司")
    set_items(path, "设置", {"基准日期": date(2026, 6, 30)})
    base = {"合同性质": "收入性", "签订日期": date(2026, 2, 2), "评审日期": date(2026, 2, 1)}
    due = date(2026, 12, 1)
    put_rows(
        path,
        "合同台账",
        [
            {**base, "合同编号": "C-1", "合同名称": "甲", "评审日期": None, "计划交付日期": due},
            {
                **base,
                "合同编号": "C-2",
                "合同名称": "乙",
                "评审日期": date(2026, 2, 5),
                "计划交付日期": due,
            },
            {**base, "合同编号": "C-3", "合同名称": "丙", "计划交付日期": date(2026, 6, 1)},
            {
                **base,
                "合同编号": "C-4",
                "合同名称": "丁",
                "计划交付日期": date(2026, 5, 1),
                "实际交付日期": date(2026, 5, 1),
                "履行状态": "未履行-本方违约",
            },
            {**base, "合同编号": "C-5", "合同名称": "戊", "计划交付日期": due},
            {**base, "合同编号": "C-6", "合同名称": "己", "计划交付日期": due},
            {**base, "合同编号": "C-7", "合同名称": "庚", "计划交付日期": due},
            {
                **base,
                "合同编号": "C-8",
                "合同名称": "辛",
                "签订日期": date(2026, 7, 9),
                "评审日期": None,
                "计划交付日期": due,
            },  # signed after T: not yet a contract
        ],
    )
    put_rows(
        path,
        "审核记录",
        [
            {
                "记录编号": "NS-2026-01",
                "审核类型": "内审",
                "审核日期": date(2025, 6, 25),
                "条款": "9.2",
                "发现类型": "符合",
            }
        ],
    )
    return path


@pytest.fixture(scope="module")
def kit(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    folder = tmp_path_factory.mktemp("kit")
    book = small_book(folder)
    out = folder / "kit.zip"
    code, stdout, err = run_cli("audit-kit", book, "-o", out)
    assert code == 0, err
    assert stdout.strip() == f"已生成：{out}"
    unpacked = folder / "kit"
    with zipfile.ZipFile(out) as z:
        names = z.namelist()
        z.extractall(unpacked)
    demo = write_demo_workbook(folder / "demo.xlsx")
    code, _, err = run_cli("audit-kit", demo, "-o", folder / "demo.zip")
    assert code == 0, err
    with zipfile.ZipFile(folder / "demo.zip") as z:
        z.extract("02-内审检查表.docx", folder / "demo")
    return {"book": book, "folder": folder, "names": names, "dir": unpacked, "zip": out}


def test_kit_contents_and_reproducible(kit: dict[str, object], tmp_path: Path) -> None:
    assert kit["names"] == [
        "01-年度内审计划.docx",
        "02-内审检查表.docx",
        "03-不符合报告.docx",
        "04-内审报告.docx",
        PASTE,
    ]
    again = tmp_path / "again.zip"
    code, _, err = run_cli("audit-kit", kit["book"], "-o", again)
    assert code == 0, err
    with zipfile.ZipFile(kit["zip"]) as a, zipfile.ZipFile(again) as b:  # type: ignore[arg-type]
        from docx import Document

        for name in ("02-内审检查表.docx",):
            first = Document(a.open(name))
            second = Document(b.open(name))
            cells = lambda d: [c.text for t in d.tables for r in t.rows for c in r.cells]  # noqa: E731
            assert cells(first) == cells(second)


@pytest.fixture(scope="module")
def texts(kit: dict[str, object]) -> dict[str, str]:
    if soffice() is None:
        pytest.skip("LibreOffice 未安装")
    folder: Path = kit["dir"]  # type: ignore[assignment]
    docs = sorted(folder.glob("*.docx")) + [kit["folder"] / "demo" / "02-内审检查表.docx"]  # type: ignore[operator]
    pdfs = to_pdf(docs[:4], folder / "pdf") + to_pdf(docs[4:], folder / "pdf-demo")
    return dict(
        zip(["plan", "checklist", "ncr", "report", "demo"], map(pdf_text, pdfs), strict=True)
    )


@needs_lo
def test_plan_covers_every_clause_of_4_to_11(texts: dict[str, str]) -> None:
    got = lines(texts["plan"])
    assert "2026 年度内部审核计划" in got
    catalogue = load_catalogue()
    flat = [line.replace(" ", "") for line in got]  # pdftotext splits 附录 A
    planned = [
        c.number for line in flat for c in catalogue if line.startswith(c.number + c.title[:4])
    ]
    assert planned == [c.number for c in catalogue]  # every clause of 4–11 and Annex A, once
    month = {"4": 3, "5": 3, "6": 3, "7": 5, "8": 7, "9": 9, "10": 11, "11": 11, "附录A": 11}
    for c in catalogue:
        assert any(
            line.startswith(c.number + c.title[:4]) and f"2026年{month[c.chapter]}月" in line
            for line in flat
        ), c.number


@needs_lo
def test_checklist_samples_risky_contracts_first(texts: dict[str, str]) -> None:
    section = texts["checklist"].split("9.2 ")[1].split("9.3 ")[0]
    got = lines(section)
    assert (
        "要求：合同签订前由相关部门评审：是否有能力履行、有哪些履约风险及对策、条款是否合规可执"
        in got
    )
    assert "抽样来源：「合同台账」" in got
    sampled = [line for line in got if line.startswith("C-")]
    # one reason each: the four flagged ones come first (among equals, in hash order)
    assert sorted(sampled[:4]) == [
        "C-1 甲 未评审",
        "C-2 乙 先签后审",
        "C-3 丙 逾期未交付",
        "C-4 丁 违约",
    ]
    assert len(sampled) == 5 and sampled[4] in (
        "C-5 戊 常规抽样",
        "C-6 己 常规抽样",
        "C-7 庚 常规抽样",
    )
    assert "C-8" not in section


@needs_lo
def test_demo_checklist_samples_its_flagged_contracts(texts: dict[str, str]) -> None:
    flat = texts["demo"].replace(" ", "")
    section = flat.split("9.2合同评审")[1].split("9.3资源调配")[0]
    # the demo has more flagged contracts than 5: the one with two reasons first, then by hash
    rows = [line for line in section.splitlines() if line.startswith(("XS-", "CG-"))]
    assert [r.split("合")[0][:11] for r in rows] == [
        "XS-2026-004",
        "XS-2026-005",
        "XS-2025-006",
        "XS-2025-007",
        "XS-2026-009",
    ]
    assert rows[0].endswith("评审不通过、逾期未") and rows[1].endswith("先签后审")
    assert "常规抽样" not in section


@needs_lo
def test_report_and_nonconformity_forms_have_blank_lines(texts: dict[str, str]) -> None:
    report = lines(texts["report"])
    assert "内部审核报告" in report
    assert f"审核日期 {LINE}" in report
    assert "记录编号 审核日期 条款 发现类型 发现描述 纠正措施 责任部门 审核员" in report
    numbers = [line for line in report if line.startswith("NS-2026-")]
    assert numbers == [f"NS-2026-{n:02d}" for n in range(2, 10)]  # NS-2026-01 is taken
    ncr = lines(texts["ncr"])
    assert "内审不符合报告" in ncr
    assert f"记录编号 {LINE} 审核日期 {LINE}" in ncr
    assert "不符合事实 " + "_" * 40 in ncr
    assert f"审核员（签字）：{LINE} 日期：______年____月____日" in ncr


def test_pasted_audit_rows_count_as_the_new_internal_audit(kit: dict[str, object]) -> None:
    book: Path = kit["book"]  # type: ignore[assignment]
    code, out, _ = run_cli("alerts", book, "--json")
    before = [a["code"] for a in json.loads(out)["alerts"] if "INTERNAL_AUDIT" in a["code"]]
    assert before == ["INTERNAL_AUDIT_OVERDUE"]
    paste = openpyxl.load_workbook(kit["dir"] / PASTE)  # type: ignore[operator]
    ws = paste[schema.AUDITS.name]
    header = [c.value for c in ws[1]]
    assert header == [c.label for c in schema.AUDITS.columns]  # paste lines up with the sheet
    first = {h: c.value for h, c in zip(header, ws[2], strict=True)}
    assert (first["记录编号"], first["审核类型"], first["条款"]) == ("NS-2026-02", "内审", "4.1")
    assert ws.max_row - 1 == len(load_catalogue())
    first.update({"审核日期": date(2026, 6, 20), "发现类型": "符合", "审核员": "周敏"})
    put_rows(book, "审核记录", [{k: v for k, v in first.items() if v is not None}])
    code, out, err = run_cli("check", book, "--json")
    assert code == 0, err
    code, out, _ = run_cli("alerts", book, "--json")
    after = [a["code"] for a in json.loads(out)["alerts"] if "INTERNAL_AUDIT" in a["code"]]
    assert after == []
