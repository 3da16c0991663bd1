"""DESIGN §4 on hand-made cases: codes, levels, Excel rows, record ids, order, boundaries."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from helpers import make_book, put_rows, run_cli, set_items
from lyue_xl.alerts import add_months

ALL_POLICIES = [
    {"文件编号": f"ZD-{i}", "文件名称": name, "文件类别": "制度", "状态": "现行"}
    for i, name in enumerate(
        [
            "履约管理岗位责任制度",
            "履约档案管理制度",
            "合作方履约情况调查管理制度",
            "合同履约管理制度",
            "履约过程风险管控制度",
            "履约责任追究制度",
        ]
    )
]


def alerts(path: Path, *args: str) -> list[dict[str, object]]:
    code, out, err = run_cli("alerts", str(path), "--json", *args)
    assert code == 0, err
    return json.loads(out)["alerts"]


def codes(found: list[dict[str, object]]) -> list[tuple[object, ...]]:
    return [(a["code"], a["level"], a["row"], a["record"]) for a in found]


def test_contract_and_payment_warnings(tmp_path: Path) -> None:
    path = make_book(tmp_path)
    set_items(path, "设置", {"基准日期": date(2025, 6, 30), "临近预警天数": 7})
    put_rows(path, "成文信息", ALL_POLICIES)
    base = {"合同名称": "x", "签订日期": date(2025, 1, 2), "评审日期": date(2025, 1, 2)}
    put_rows(
        path,
        "合同台账",
        [
            {
                "合同编号": "A",
                "合同性质": "收入性",
                "计划交付日期": date(2025, 6, 29),
                **base,
            },  # row 3
            {
                "合同编号": "B",
                "合同性质": "收入性",
                "计划交付日期": date(2025, 6, 30),
                **base,
            },  # row 4
            {
                "合同编号": "C",
                "合同性质": "收入性",
                "计划交付日期": date(2025, 7, 7),
                **base,
            },  # row 5
            {
                "合同编号": "D",
                "合同性质": "收入性",
                "计划交付日期": date(2025, 7, 8),
                **base,
            },  # row 6
            {
                "合同编号": "E",
                "合同性质": "支出性",
                "计划交付日期": date(2025, 6, 1),
                **base,
            },  # row 7
            {
                "合同编号": "F",
                "合同性质": "收入性",
                "计划交付日期": date(2025, 6, 1),
                "履行状态": "协商解除",
                **base,
            },  # row 8
            {
                "合同编号": "G",
                "合同性质": "收入性",
                "计划交付日期": date(2025, 6, 1),
                "合同名称": "y",
                "签订日期": date(2025, 1, 2),
                "评审日期": date(2025, 1, 3),
            },  # row 9
            {
                "合同编号": "H",
                "合同性质": "收入性",
                "计划交付日期": date(2025, 6, 1),
                "实际交付日期": date(2025, 7, 1),
                **base,
            },  # row 10
        ],
    )
    put_rows(
        path,
        "款项",
        [
            {
                "合同编号": "A",
                "收付类型": "收款",
                "期次": 1,
                "应收付日期": date(2025, 6, 29),
                "应收付金额（元）": 100,
                "实收付日期": date(2025, 6, 29),
                "实收付金额（元）": 100,
            },
            {
                "合同编号": "A",
                "收付类型": "收款",
                "期次": 2,
                "应收付日期": date(2025, 6, 29),
                "应收付金额（元）": 100,
                "实收付日期": date(2025, 6, 29),
                "实收付金额（元）": 60,
            },
            {
                "合同编号": "A",
                "收付类型": "付款",
                "期次": 3,
                "应收付日期": date(2025, 7, 7),
                "应收付金额（元）": 100,
            },
        ],
    )
    found = alerts(path)
    assert codes(found) == [
        ("CONTRACT_NOT_REVIEWED", "高", 9, "G"),  # signed 2025-01-02, reviewed the day after
        ("CONTRACT_OVERDUE", "高", 9, "G"),
        ("CONTRACT_OVERDUE", "高", 10, "H"),  # delivered after T = not delivered as of T
        ("CONTRACT_OVERDUE", "高", 3, "A"),
        ("RECEIVABLE_OVERDUE", "高", 4, "A/2"),
        ("SUPPLIER_DELIVERY_OVERDUE", "中", 7, "E"),
        ("CONTRACT_DUE_SOON", "中", 4, "B"),  # due on T: soon, not overdue
        ("CONTRACT_DUE_SOON", "中", 5, "C"),  # T + 7: still soon
        ("PAYABLE_DUE_SOON", "中", 5, "A/3"),
    ]
    assert all(
        set(a) == {"code", "level", "sheet", "row", "record", "message", "clause"} for a in found
    )
    overdue = found[2]
    assert overdue["sheet"] == "合同台账" and overdue["clause"] == "9.4"
    assert "H" in str(overdue["message"]) and "2025-06-01" in str(overdue["message"])


def test_calendar_months_clamp_to_month_end() -> None:
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert add_months(date(2025, 11, 30), 3) == date(2026, 2, 28)


def test_supplier_risk_issue_commitment_document_policy(tmp_path: Path) -> None:
    path = make_book(tmp_path)
    set_items(path, "设置", {"基准日期": date(2025, 6, 30), "信用核查有效期（月）": 12})
    put_rows(
        path,
        "供应商",
        [
            {
                "供应商编号": "S1",
                "供应商名称": "甲",
                "信用核查日期": date(2024, 6, 30),
            },  # expires on T: ok
            {"供应商编号": "S2", "供应商名称": "乙", "信用核查日期": date(2024, 6, 29)},  # expired
            {
                "供应商编号": "S3",
                "供应商名称": "丙",
                "信用核查日期": date(2025, 7, 1),
            },  # after T = none
            {
                "供应商编号": "S4",
                "供应商名称": "丁",
                "信用核查日期": date(2025, 1, 1),
                "信用核查结论": "异常",
                "核心供应商": "是",
                "履约保障协议": "否",
            },
        ],
    )
    put_rows(
        path,
        "风险机遇",
        [
            {"编号": "R1", "类型": "风险", "可能性": 5, "影响程度": 3, "状态": "处置中"},
            {
                "编号": "R2",
                "类型": "风险",
                "可能性": 5,
                "影响程度": 3,
                "应对措施": "备料",
                "应急预案": "外协",
                "状态": "未处置",
            },
            {"编号": "R3", "类型": "风险", "可能性": 5, "影响程度": 3, "状态": "已关闭"},
        ],
    )
    put_rows(
        path,
        "履约问题",
        [
            {
                "问题编号": "Q1",
                "发现日期": date(2025, 5, 1),
                "问题类型": "质量不达标",
                "是否违约": "是",
                "违约方": "本方",
                "根本原因": "工艺",
                "纠正措施": "改工艺",
                "计划完成日期": date(2025, 6, 29),
                "关闭日期": date(2025, 7, 1),
            },
            {
                "问题编号": "Q2",
                "发现日期": date(2025, 5, 1),
                "问题类型": "其他",
                "计划完成日期": date(2025, 6, 30),
            },
        ],
    )
    put_rows(
        path,
        "承诺",
        [
            {
                "承诺编号": "C1",
                "承诺类型": "规定性",
                "承诺内容": "守法",
                "兑现期限": "长期",
                "兑现状态": "进行中",
            },
            {
                "承诺编号": "C2",
                "承诺类型": "约定性",
                "承诺内容": "交付",
                "兑现期限": date(2025, 6, 29),
                "兑现状态": "进行中",
            },
        ],
    )
    put_rows(
        path,
        "成文信息",
        ALL_POLICIES[:5]
        + [
            {
                "文件编号": "J-1",
                "文件名称": "记录表",
                "文件类别": "记录",
                "状态": "现行",
                "下次评审日期": date(2025, 6, 29),
            },
            {
                "文件编号": "J-2",
                "文件名称": "责任追究制度（旧）",
                "文件类别": "制度",
                "状态": "作废",
            },
        ],
    )
    found = codes(alerts(path))
    assert found == [
        ("SUPPLIER_CREDIT_ABNORMAL", "高", 6, "S4"),
        ("BREACH_NOT_ANALYSED", "高", 3, "Q1"),
        ("SUPPLIER_LOW_GRADE", "高", 6, "S4"),
        ("HIGH_RISK_NO_MEASURE", "高", 3, "R1"),
        ("REQUIRED_POLICY_MISSING", "高", None, "责任追究"),
        ("COMMITMENT_OVERDUE", "中", 4, "C2"),
        ("SUPPLIER_CREDIT_CHECK_DUE", "中", 4, "S2"),  # expired 2025-06-29
        ("ISSUE_OVERDUE", "中", 3, "Q1"),  # closed after T = still open
        ("SUPPLIER_CREDIT_CHECK_DUE", "中", 5, "S3"),  # a check dated after T counts as none
        ("CORE_SUPPLIER_NO_AGREEMENT", "中", 6, "S4"),
        ("HIGH_RISK_NO_CONTINGENCY", "中", 3, "R1"),
        ("DOCUMENT_REVIEW_OVERDUE", "低", 8, "J-1"),
    ]


def test_objective_not_met_uses_the_period(tmp_path: Path) -> None:
    path = make_book(tmp_path)
    put_rows(path, "成文信息", ALL_POLICIES)
    put_rows(
        path,
        "履约目标",
        [
            {"目标编号": "M1", "指标": "违约次数", "目标值": 0, "比较方式": "不高于"},
            {"目标编号": "M2", "指标": "合同履约率", "目标值": "95%", "比较方式": "不低于"},
        ],
    )
    put_rows(
        path,
        "履约问题",
        [
            {
                "问题编号": "Q1",
                "发现日期": date(2025, 2, 1),
                "问题类型": "其他",
                "是否违约": "是",
                "违约方": "本方",
                "根本原因": "a",
                "纠正措施": "b",
                "责任追究": "c",
            },
        ],
    )
    assert codes(alerts(path, "--as-of", "2025-06-30")) == [("OBJECTIVE_NOT_MET", "高", 3, "M1")]
    assert alerts(path, "--as-of", "2025-06-30", "--from", "2025-03-01") == []


def test_records_that_begin_after_the_as_of_date_raise_nothing_yet(tmp_path: Path) -> None:
    """As of a past date, what was known then (DESIGN §3): a contract signed after T was not
    yet unreviewed, a problem found after T was not yet unanalysed or overdue. A later as-of
    date sees them."""
    path = make_book(tmp_path)
    put_rows(path, "成文信息", ALL_POLICIES)
    put_rows(
        path,
        "合同台账",
        [
            {
                "合同编号": "LATE",
                "合同名称": "七月签订未评审",
                "合同性质": "收入性",
                "签订日期": date(2025, 7, 5),
                "计划交付日期": date(2025, 12, 1),
            },  # row 3
            {
                "合同编号": "EARLY",
                "合同名称": "六月签订未评审",
                "合同性质": "收入性",
                "签订日期": date(2025, 6, 5),
                "计划交付日期": date(2025, 12, 1),
            },  # row 4
        ],
    )
    put_rows(
        path,
        "履约问题",
        [
            {
                "问题编号": "WT-7",
                "发现日期": date(2025, 7, 1),
                "问题类型": "延迟交付",
                "是否违约": "是",
                "违约方": "本方",
                "计划完成日期": date(2025, 6, 20),
            },  # row 3
            {
                "问题编号": "WT-6",
                "发现日期": date(2025, 6, 30),
                "问题类型": "延迟交付",
                "是否违约": "是",
                "违约方": "本方",
                "计划完成日期": date(2025, 6, 20),
            },  # row 4
        ],
    )
    early = codes(alerts(path, "--as-of", "2025-06-30"))
    assert early == [
        ("CONTRACT_NOT_REVIEWED", "高", 4, "EARLY"),
        ("BREACH_NOT_ANALYSED", "高", 4, "WT-6"),
        ("ISSUE_OVERDUE", "中", 4, "WT-6"),
    ]
    later = codes(alerts(path, "--as-of", "2025-07-31"))
    assert ("CONTRACT_NOT_REVIEWED", "高", 3, "LATE") in later
    assert ("BREACH_NOT_ANALYSED", "高", 3, "WT-7") in later
    assert ("ISSUE_OVERDUE", "中", 3, "WT-7") in later
