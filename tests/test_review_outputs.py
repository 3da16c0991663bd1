"""管理评审输入报告 lists the decisions of the previous management review and every earlier one
still open, with their status and how late they are (read back through LibreOffice)."""

from __future__ import annotations

from datetime import date

import pytest

from doc_helpers import pdf_text, soffice, to_pdf
from helpers import make_book, put_rows, run_cli, set_items
from lyue_xl.demo import write_demo_workbook

pytestmark = pytest.mark.skipif(soffice() is None, reason="LibreOffice 未安装")


def section(text: str) -> list[str]:
    part = text.split("2 以往措施的落实情况")[-1].split("3 内外部环境和相关方的变化")[0]
    return [" ".join(line.split()) for line in part.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def texts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("review")
    book = make_book(folder, org="许昌恒远机电有限公司")
    set_items(book, "设置", {"基准日期": date(2026, 6, 30)})
    last, earlier = date(2026, 5, 1), date(2025, 5, 1)
    put_rows(
        book,
        "管理评审",
        [
            {"事项编号": "PS-1", "评审日期": earlier, "决定事项": "上线台账", "状态": "已完成"},
            {
                "事项编号": "PS-2",
                "评审日期": earlier,
                "决定事项": "培训内审员",
                "责任部门": "综合部",
                "完成期限": date(2025, 12, 31),
                "状态": "进行中",
            },
            {
                "事项编号": "PS-3",
                "评审日期": last,
                "决定事项": "增配履约管理员",
                "资源安排": "编制 1 名",
                "责任部门": "综合部",
                "完成期限": date(2026, 6, 29),
                "状态": "进行中",
            },
            {
                "事项编号": "PS-4",
                "评审日期": last,
                "决定事项": "修订评审程序",
                "完成期限": date(2026, 6, 30),
            },
            {"事项编号": "PS-5", "评审日期": last, "决定事项": "目标保持", "状态": "已完成"},
            {"事项编号": "PS-6", "评审日期": date(2026, 7, 10), "决定事项": "尚未召开"},
        ],
    )
    out = folder / "small.docx"
    code, _, err = run_cli("review-input", book, "-o", out)
    assert code == 0, err
    demo = write_demo_workbook(folder / "demo.xlsx")
    demo_out = folder / "demo.docx"
    code, _, err = run_cli("review-input", demo, "-o", demo_out)
    assert code == 0, err
    pdfs = to_pdf([out, demo_out], folder / "pdf")
    return {"small": pdf_text(pdfs[0]), "demo": pdf_text(pdfs[1])}


def test_previous_review_outputs_with_status(texts: dict[str, str]) -> None:
    got = section(texts["small"])
    flat = "".join(got).replace(" ", "")
    assert (
        "上次管理评审（2026-05-01）形成决定事项3项：已完成1项、进行中1项、未开始1项；"
        "更早的评审尚有1项未完成；逾期未完成2项（PS-2、PS-3）。"
    ) in flat
    listed = [line.split()[0] for line in got if line.startswith("PS-")]
    assert listed == ["PS-2", "PS-3", "PS-4", "PS-5"]  # PS-1 done earlier, PS-6 after T
    assert "PS-2 2025-05-01 培训内审员 综合部 2025-12-31 进行中" in got
    assert "PS-3 2026-05-01 增配履约管理员 编制 1 名 综合部 2026-06-29 进行中" in got
    assert "PS-4 2026-05-01 修订评审程序 2026-06-30 未开始" in got  # due today: not late
    assert "逾期 181 天" in got and "逾期 1 天" in got


def test_demo_review_input_lists_its_open_decisions(texts: dict[str, str]) -> None:
    flat = "".join(section(texts["demo"])).replace(" ", "")
    assert (
        "上次管理评审（2026-05-01）形成决定事项4项：已完成1项、进行中2项、未开始1项；"
        "逾期未完成1项（PS-01）。"
    ) in flat
    for no in ("PS-01", "PS-02", "PS-03", "PS-04"):
        assert no in flat
    assert "逾期10天" in flat
