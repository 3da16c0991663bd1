"""`lyue-xl policy-drafts`: one draft per 制度 missing from 成文信息, marked 草稿, written from the
firm's records (roles, thresholds, grading rules, risk bands), read back through LibreOffice."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest

from doc_helpers import pdf_text, soffice, to_pdf
from helpers import make_book, put_rows, run_cli, set_items
from lyue_xl.demo import write_demo_workbook

needs_lo = pytest.mark.skipif(soffice() is None, reason="LibreOffice 未安装")
ORG = "许昌恒远机电有限公司"


def flat(text: str) -> str:
    return "".join(text.split())


def small_book(folder: Path) -> Path:
    path = make_book(folder, org=ORG)
    set_items(
        path,
        "设置",
        {"基准日期": date(2026, 6, 30), "临近预警天数": 10, "信用核查有效期（月）": 6},
    )
    set_items(path, "基本信息", {"最高管理者": "陈建国", "履约管理负责人": "周敏"})
    put_rows(
        path,
        "职责权限",
        [
            {
                "部门或岗位": "总经理",
                "负责人": "陈建国",
                "履约职责": "批准制度",
                "权限": "资源调配",
            },
            {"部门或岗位": "履约管理岗", "负责人": "周敏", "履约职责": "维护台账"},
        ],
    )
    put_rows(
        path,
        "成文信息",
        [
            {
                "文件编号": "ZD-1",
                "文件名称": "履约档案管理制度",
                "文件类别": "制度",
                "状态": "现行",
            },
            {
                "文件编号": "ZD-2",
                "文件名称": "合同履约管理制度",
                "文件类别": "制度",
                "状态": "现行",
            },
            {"文件编号": "ZD-3", "文件名称": "风险管控制度", "文件类别": "制度", "状态": "作废"},
        ],
    )
    put_rows(
        path,
        "风险机遇",
        [
            {"编号": "R-1", "类型": "风险", "描述": "钢材涨价", "可能性": 4, "影响程度": 4},
            {"编号": "R-2", "类型": "风险", "描述": "人员流失", "可能性": 2, "影响程度": 2},
        ],
    )
    return path


@pytest.fixture(scope="module")
def drafts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    folder = tmp_path_factory.mktemp("drafts")
    book = small_book(folder)
    code, out, err = run_cli("policy-drafts", book, "-o", folder / "草稿")
    assert code == 0, err
    demo = write_demo_workbook(folder / "demo.xlsx")
    wb = openpyxl.load_workbook(demo)
    ws = wb["成文信息"]
    for row in ws.iter_rows(min_row=3):
        if row[1].value == "内外部履约责任追究制度":
            row[7].value = "作废"
    wb.save(demo)
    code, demo_out, err = run_cli("policy-drafts", demo, "-o", folder / "demo")
    assert code == 0, err
    return {"folder": folder, "out": out, "demo_out": demo_out, "book": book}


def test_one_draft_per_missing_policy(drafts: dict[str, object]) -> None:
    folder: Path = drafts["folder"]  # type: ignore[assignment]
    names = [
        "履约管理岗位责任制度",
        "合作方履约情况调查管理制度",
        "履约过程风险管控制度",  # the 作废 row does not count
        "内外部履约责任追究制度",
    ]
    expected = [folder / "草稿" / f"{ORG}-{n}（草稿）-20260630.docx" for n in names]
    assert drafts["out"] == "".join(f"已生成草稿：{p}\n" for p in expected)
    assert sorted((folder / "草稿").iterdir()) == sorted(expected)
    assert drafts["demo_out"] == (
        f"已生成草稿：{folder / 'demo' / '豫中精工机械有限公司-内外部履约责任追究制度（草稿）-20260630.docx'}\n"
    )


def test_nothing_to_draft_and_bad_output(tmp_path: Path) -> None:
    demo = write_demo_workbook(tmp_path / "demo.xlsx")
    code, out, err = run_cli("policy-drafts", demo)
    assert code == 0, err
    assert out == "「成文信息」已登记六项现行制度，不需要生成草稿。\n"
    assert not list(tmp_path.glob("*.docx"))
    code, _, err = run_cli("policy-drafts", demo, "-o", tmp_path / "x.docx")
    assert code == 2 and "-o 请给出文件夹" in err


@needs_lo
def test_drafts_read_back(drafts: dict[str, object]) -> None:
    folder: Path = drafts["folder"]  # type: ignore[assignment]
    files = [
        folder / "草稿" / f"{ORG}-合作方履约情况调查管理制度（草稿）-20260630.docx",
        folder / "草稿" / f"{ORG}-履约过程风险管控制度（草稿）-20260630.docx",
        folder / "demo" / "豫中精工机械有限公司-内外部履约责任追究制度（草稿）-20260630.docx",
    ]
    partners, risks, demo = (flat(pdf_text(p)) for p in to_pdf(files, folder / "pdf"))
    for text in (partners, risks, demo):
        assert "草稿（发布并在成文信息中登记为现行制度之前，不作为执行依据）" in text
        assert "lyue" not in text.lower()
    assert "许昌恒远机电有限公司合作方履约情况调查管理制度" in partners
    assert "核查结论有效期6个月" in partners  # 设置 信用核查有效期（月）
    assert "总经理（陈建国）批准制度；权限：资源调配" in partners  # 职责权限
    assert "履约管理岗（周敏）维护台账" in partners
    assert "D级（<60分或信用异常）暂停新订单" in partners
    assert (
        "本制度由履约管理负责人周敏负责解释和修订，经最高管理者陈建国批准后发布实施。" in partners
    )
    assert "高（风险值≥15）必须制定应对措施和应急预案" in risks
    assert "当前未关闭的高风险：R-1钢材涨价。" in risks
    assert "豫中精工机械有限公司内外部履约责任追究制度" in demo
    assert "已采用的处理方式如：" in demo
