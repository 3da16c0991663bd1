"""Issue 11's fields and warnings: 管理评审 outputs overdue, and the yearly internal audit,
management review, drills and risk reviews due soon or overdue — both sides of each boundary;
old workbooks without the new sheet or columns still work (a check 警告, never exit 2)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import openpyxl

from helpers import make_book, put_rows, run_cli, set_items
from test_alerts import ALL_POLICIES

NEW_CODES = {
    "REVIEW_OUTPUT_OVERDUE",
    "INTERNAL_AUDIT_DUE_SOON",
    "INTERNAL_AUDIT_OVERDUE",
    "MANAGEMENT_REVIEW_DUE_SOON",
    "MANAGEMENT_REVIEW_OVERDUE",
    "DRILL_DUE_SOON",
    "DRILL_OVERDUE",
    "RISK_REVIEW_DUE_SOON",
    "RISK_REVIEW_OVERDUE",
}


def new_alerts(path: Path, *args: str) -> list[tuple[object, ...]]:
    code, out, err = run_cli("alerts", str(path), "--json", *args)
    assert code == 0, err
    return [
        (a["code"], a["level"], a["sheet"], a["row"], a["record"], a["clause"])
        for a in json.loads(out)["alerts"]
        if a["code"] in NEW_CODES
    ]


def messages(path: Path, wanted: str, *args: str) -> list[str]:
    code, out, err = run_cli("alerts", str(path), "--json", *args)
    assert code == 0, err
    return [a["message"] for a in json.loads(out)["alerts"] if a["code"] == wanted]


def base_book(tmp_path: Path) -> Path:
    path = make_book(tmp_path)
    set_items(path, "设置", {"基准日期": date(2026, 6, 30), "临近预警天数": 7})
    put_rows(path, "成文信息", ALL_POLICIES)
    return path


def test_review_outputs_overdue_on_both_sides_of_the_deadline(tmp_path: Path) -> None:
    path = base_book(tmp_path)
    held = date(2026, 1, 15)
    rows = put_rows(
        path,
        "管理评审",
        [
            {
                "事项编号": "PS-1",
                "评审日期": held,
                "决定事项": "增配一名履约管理员",
                "资源安排": "人员编制 1 名",
                "责任部门": "综合部",
                "完成期限": date(2026, 6, 29),
                "状态": "进行中",
            },
            {
                "事项编号": "PS-2",
                "评审日期": held,
                "决定事项": "修订合同评审程序",
                "完成期限": date(2026, 6, 30),
                "状态": "未开始",
            },
            {
                "事项编号": "PS-3",
                "评审日期": held,
                "决定事项": "上线履约台账",
                "完成期限": date(2026, 3, 1),
                "状态": "已完成",
            },
            {
                "事项编号": "PS-4",
                "评审日期": held,
                "决定事项": "开展供应商年度评价",
                "完成期限": date(2026, 6, 1),
            },
            {
                "事项编号": "PS-5",
                "评审日期": date(2026, 7, 5),
                "决定事项": "尚未召开的评审",
                "完成期限": date(2026, 6, 1),
            },
        ],
    )
    assert rows == [3, 4, 5, 6, 7]
    assert new_alerts(path) == [
        ("REVIEW_OUTPUT_OVERDUE", "中", "管理评审", 6, "PS-4", "10.4"),
        ("REVIEW_OUTPUT_OVERDUE", "中", "管理评审", 3, "PS-1", "10.4"),
    ]
    assert messages(path, "REVIEW_OUTPUT_OVERDUE")[1] == (
        "管理评审（2026-01-15）决定事项 PS-1「增配一名履约管理员」完成期限 2026-06-29，"
        "已逾期 1 天，状态为“进行中”（责任部门 综合部）。请督办落实，完成后把状态改为“已完成”。"
    )
    assert "状态为“未开始”" in messages(path, "REVIEW_OUTPUT_OVERDUE")[0]
    # the day after PS-2's deadline it is overdue too
    assert [a[4] for a in new_alerts(path, "--as-of", "2026-07-01")] == ["PS-4", "PS-1", "PS-2"]
    # PS-5's review is held on 07-05: from then on its decision counts
    assert [a[4] for a in new_alerts(path, "--as-of", "2026-07-05")] == [
        "PS-4",
        "PS-5",
        "PS-1",
        "PS-2",
    ]


def test_internal_audit_due_soon_and_overdue_boundaries(tmp_path: Path) -> None:
    path = base_book(tmp_path)
    put_rows(
        path,
        "审核记录",
        [
            {"记录编号": "SH-1", "审核类型": "内审", "审核日期": date(2025, 6, 20)},
            {"记录编号": "SH-2", "审核类型": "内审", "审核日期": date(2025, 7, 1)},  # row 4
            {"记录编号": "SH-3", "审核类型": "外审", "审核日期": date(2025, 8, 1)},
            {"记录编号": "SH-4", "审核类型": "内审", "审核日期": date(2026, 7, 2)},  # after T
        ],
    )
    soon = ("INTERNAL_AUDIT_DUE_SOON", "低", "审核记录", 4, "SH-2", "附录A")
    assert new_alerts(path, "--as-of", "2026-06-23") == []  # due 07-01 > T+7
    assert new_alerts(path, "--as-of", "2026-06-24") == [soon]  # due = T+7
    assert new_alerts(path) == [soon]
    assert messages(path, "INTERNAL_AUDIT_DUE_SOON")[0].startswith(
        "年度内部审核上次在 2025-07-01，按每 12 个月一次应在 2026-07-01 前再做，还有 1 天。"
    )
    assert new_alerts(path, "--as-of", "2026-07-01") == [soon]  # due = T
    assert "就是今天" in messages(path, "INTERNAL_AUDIT_DUE_SOON", "--as-of", "2026-07-01")[0]
    # on 07-02 the 内审 of that day is the latest one: nothing is due
    assert new_alerts(path, "--as-of", "2026-07-02") == []


def test_internal_audit_overdue_the_day_after(tmp_path: Path) -> None:
    path = base_book(tmp_path)
    put_rows(
        path, "审核记录", [{"记录编号": "SH-9", "审核类型": "内审", "审核日期": date(2025, 6, 29)}]
    )
    assert new_alerts(path) == [("INTERNAL_AUDIT_OVERDUE", "中", "审核记录", 3, "SH-9", "附录A")]
    assert "已逾期 1 天" in messages(path, "INTERNAL_AUDIT_OVERDUE")[0]
    assert new_alerts(path, "--as-of", "2026-06-29") == [
        ("INTERNAL_AUDIT_DUE_SOON", "低", "审核记录", 3, "SH-9", "附录A")
    ]


def test_management_review_takes_the_latest_of_both_sheets(tmp_path: Path) -> None:
    path = base_book(tmp_path)
    put_rows(
        path,
        "管理评审",
        [{"事项编号": "PS-1", "评审日期": date(2025, 6, 20), "决定事项": "x", "状态": "已完成"}],
    )
    put_rows(
        path,
        "审核记录",
        [{"记录编号": "GP-1", "审核类型": "管理评审", "审核日期": date(2025, 6, 29)}],
    )
    assert new_alerts(path) == [("MANAGEMENT_REVIEW_OVERDUE", "中", "审核记录", 3, "GP-1", "10.4")]
    assert new_alerts(path, "--as-of", "2026-06-29") == [
        ("MANAGEMENT_REVIEW_DUE_SOON", "低", "审核记录", 3, "GP-1", "10.4")
    ]
    put_rows(
        path,
        "管理评审",
        [{"事项编号": "PS-2", "评审日期": date(2025, 7, 7), "决定事项": "y", "状态": "已完成"}],
    )
    assert new_alerts(path) == [("MANAGEMENT_REVIEW_DUE_SOON", "低", "管理评审", 4, "PS-2", "10.4")]
    assert new_alerts(path, "--as-of", "2026-06-29") == []  # due 07-07 > T+7 = 07-06


def test_drills_and_risk_reviews_per_row(tmp_path: Path) -> None:
    path = base_book(tmp_path)
    put_rows(
        path,
        "应急预案",
        [
            {"预案编号": "YJ-1", "预案名称": "断供", "最近演练日期": date(2025, 6, 29)},
            {"预案编号": "YJ-2", "预案名称": "停电", "最近演练日期": date(2025, 6, 30)},
            {"预案编号": "YJ-3", "预案名称": "火灾", "最近演练日期": date(2025, 7, 7)},
            {"预案编号": "YJ-4", "预案名称": "罢工", "最近演练日期": date(2025, 7, 8)},
            {"预案编号": "YJ-5", "预案名称": "疫情"},
        ],
    )
    risk = {"类型": "风险", "可能性": 2, "影响程度": 2, "描述": "钢材涨价"}
    put_rows(
        path,
        "风险机遇",
        [
            {"编号": "R-1", **risk, "状态": "处置中", "评审日期": date(2025, 6, 29)},
            {"编号": "R-2", **risk, "状态": "已关闭", "评审日期": date(2024, 1, 1)},
            {"编号": "O-1", **risk, "类型": "机遇", "评审日期": date(2024, 1, 1)},
            {"编号": "R-3", **risk, "评审日期": date(2025, 7, 7)},
            {"编号": "R-4", **risk, "评审日期": date(2025, 7, 8)},
        ],
    )
    assert new_alerts(path) == [
        # same date: 风险机遇 comes before 应急预案 (sheet order)
        ("RISK_REVIEW_OVERDUE", "中", "风险机遇", 3, "R-1", "10.3"),
        ("DRILL_OVERDUE", "中", "应急预案", 3, "YJ-1", "9.7"),
        ("DRILL_DUE_SOON", "低", "应急预案", 4, "YJ-2", "9.7"),
        ("RISK_REVIEW_DUE_SOON", "低", "风险机遇", 6, "R-3", "10.3"),
        ("DRILL_DUE_SOON", "低", "应急预案", 5, "YJ-3", "9.7"),
    ]
    assert messages(path, "DRILL_OVERDUE")[0] == (
        "应急预案 YJ-1《断供》的演练上次在 2025-06-29，按每 12 个月一次应在 2026-06-29 前再做，"
        "已逾期 1 天。请组织演练，填写最近演练日期和演练评价。"
    )
    assert "就是今天" in messages(path, "DRILL_DUE_SOON")[0]


def test_leap_day_drill_is_due_on_the_last_day_of_february(tmp_path: Path) -> None:
    path = base_book(tmp_path)
    put_rows(
        path,
        "应急预案",
        [{"预案编号": "YJ-1", "预案名称": "断供", "最近演练日期": date(2024, 2, 29)}],
    )
    assert [a[0] for a in new_alerts(path, "--as-of", "2025-02-28")] == ["DRILL_DUE_SOON"]
    assert [a[0] for a in new_alerts(path, "--as-of", "2025-03-01")] == ["DRILL_OVERDUE"]


def _drop(path: Path, sheet: str | None, labels: tuple[str, ...] = ()) -> None:
    book = openpyxl.load_workbook(path)
    if sheet is not None and not labels:
        del book[sheet]
    for ws in book.worksheets:
        for cell in ws[2]:
            if cell.value in labels and ws.title == sheet:
                cell.value = None
    book.save(path)


def test_old_workbook_without_the_new_sheet_and_columns_still_works(tmp_path: Path) -> None:
    path = base_book(tmp_path)
    put_rows(
        path,
        "合同台账",
        [
            {
                "合同编号": "HT-1",
                "合同名称": "x",
                "合同性质": "收入性",
                "签订日期": date(2026, 1, 2),
                "评审日期": date(2026, 1, 1),
                "计划交付日期": date(2026, 12, 1),
            }
        ],
    )
    _drop(path, "管理评审")
    _drop(path, "合同台账", ("评审部门", "评审人", "能力评估", "风险及措施", "条款合规"))
    _drop(path, "履约问题", ("验证人", "验证日期", "是否有效", "影响评估", "与相关方沟通"))
    code, out, err = run_cli("check", str(path), "--json")
    assert code == 0, err
    problems = json.loads(out)["problems"]
    assert {p["level"] for p in problems} == {"警告"}
    found = sorted((p["code"], p["sheet"], p["column"]) for p in problems)
    assert ("sheet-missing", "管理评审", "") in found
    missing_columns = {(s, c) for k, s, c in found if k == "column-missing"}
    assert missing_columns == {
        ("合同台账", "评审部门"),
        ("合同台账", "评审人"),
        ("合同台账", "能力评估"),
        ("合同台账", "风险及措施"),
        ("合同台账", "条款合规"),
        ("履约问题", "验证人"),
        ("履约问题", "验证日期"),
        ("履约问题", "是否有效"),
        ("履约问题", "影响评估"),
        ("履约问题", "与相关方沟通"),
    }
    assert new_alerts(path) == []
    code, _, err = run_cli("review-input", str(path), "-o", str(tmp_path / "r.docx"))
    assert code == 0, err
