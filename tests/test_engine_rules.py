"""DESIGN §3 at every boundary: each indicator, the grades, risk bands and the window predicates.

One workbook is written by the product and read back once; each test takes the rows of its own
scenario (by id prefix) and computes on them with the pure functions, so a moved boundary — a
day either side of S, T or E, an inverted share, a constant off by one — fails a test here.
Fixtures are asymmetric (2 of 3, 2 of 5): a rate and its complement never give the same figure.
"""

from __future__ import annotations

import dataclasses
import functools
from datetime import date

import pandas as pd
import pytest

from helpers import make_book, put_rows
from lyue_xl import definitions, grading, indicators, windows
from lyue_xl.indicators import compute_indicators
from lyue_xl.period import Period
from lyue_xl.workbook.reader import Records, read_records

S, T, E = date(2025, 1, 1), date(2025, 6, 30), date(2025, 12, 31)
PERIOD = Period(S, E, T)  # the window is [S, T]
D = date

# sheet key → its id column (contract sheets share 合同编号)
ID_COLUMN = {
    "contracts": "contract_no",
    "milestones": "contract_no",
    "payments": "contract_no",
    "issues": "issue_no",
    "commitments": "commitment_no",
    "risks": "risk_no",
    "suppliers": "supplier_no",
    "objectives": "objective_no",
}


def contract(no: str, planned: date, nature: str = "收入性", **more: object) -> dict[str, object]:
    row: dict[str, object] = {
        "合同编号": no,
        "合同名称": f"{no}名称",
        "合同性质": nature,
        "签订日期": D(2024, 12, 1),
        "评审日期": D(2024, 11, 30),
        "计划交付日期": planned,
        "履行状态": "履行中",
    }
    row.update(more)
    return row


def _write_book(folder: object) -> Records:
    from pathlib import Path

    book = make_book(Path(str(folder)))
    put_rows(
        book,
        "合同台账",
        [
            # fulfilment, on time, amount (F)
            contract("F1", S, 履行状态="已履行", 实际交付日期=T, **{"合同金额（元）": 100}),
            contract("F2", D(2024, 12, 31), 履行状态="已履行", 实际交付日期=D(2024, 12, 31)),
            contract(
                "F3", T, 履行状态="已履行", 实际交付日期=D(2025, 7, 1), **{"合同金额（元）": 200}
            ),
            contract("F4", D(2025, 7, 1), 履行状态="已履行", 实际交付日期=D(2025, 6, 1)),
            contract("F5", D(2025, 3, 1), 实际交付日期=D(2025, 2, 1), **{"合同金额（元）": 400}),
            contract("F6", D(2025, 3, 1), 履行状态="协商解除", 实际交付日期=D(2025, 3, 1)),
            contract("F7", D(2025, 4, 1), 履行状态="已履行", **{"合同金额（元）": 800}),
            contract("F8", D(2025, 3, 1), "支出性", 履行状态="已履行", 实际交付日期=D(2025, 3, 1)),
            contract(
                "F9",
                D(2025, 5, 1),
                履行状态="已履行",
                实际交付日期=D(2025, 5, 1),
                **{"合同金额（元）": 1600},
            ),
            contract("F10", D(2025, 5, 2), 履行状态="已履行", 实际交付日期=D(2025, 5, 3)),
            contract("F11", D(2025, 6, 15), 履行状态="未履行-本方违约", **{"合同金额（元）": 3200}),
            # quality and satisfaction: delivered in the period (Q)
            contract("Q1", D(2026, 1, 1), 实际交付日期=S, 验收结果="合格", 客户满意度=90),
            contract(
                "Q2", D(2026, 1, 1), 实际交付日期=D(2024, 12, 31), 验收结果="合格", 客户满意度=10
            ),
            contract("Q3", D(2026, 1, 1), 实际交付日期=T, 验收结果="不合格", 客户满意度=70),
            contract(
                "Q4", D(2026, 1, 1), 实际交付日期=D(2025, 7, 1), 验收结果="不合格", 客户满意度=10
            ),
            contract("Q5", D(2026, 1, 1), 实际交付日期=D(2025, 3, 1), 验收结果="合格"),
            contract(
                "Q6", D(2026, 1, 1), 实际交付日期=D(2025, 3, 1), 验收结果="待验收", 客户满意度=80
            ),
            contract(
                "Q7",
                D(2026, 1, 1),
                履行状态="协商解除",
                实际交付日期=D(2025, 3, 1),
                验收结果="合格",
                客户满意度=0,
            ),
            contract(
                "Q8",
                D(2026, 1, 1),
                "支出性",
                实际交付日期=D(2025, 3, 1),
                验收结果="不合格",
                客户满意度=0,
            ),
            # supplier deliveries (S): SUP-A 2 of 3 on time and 合格, SUP-B 1 of 1
            contract(
                "S1",
                D(2025, 2, 1),
                "支出性",
                供应商编号="SUP-A",
                实际交付日期=D(2025, 2, 1),
                验收结果="合格",
            ),
            contract(
                "S2",
                D(2025, 3, 1),
                "支出性",
                供应商编号="SUP-A",
                实际交付日期=D(2025, 3, 2),
                验收结果="不合格",
            ),
            contract(
                "S3",
                D(2025, 4, 1),
                "支出性",
                供应商编号="SUP-B",
                实际交付日期=D(2025, 3, 1),
                验收结果="合格",
            ),
            contract(
                "S4",
                D(2025, 4, 1),
                供应商编号="SUP-B",
                实际交付日期=D(2025, 5, 1),
                验收结果="不合格",
            ),
            contract(
                "S5",
                D(2025, 7, 1),
                "支出性",
                供应商编号="SUP-B",
                实际交付日期=D(2025, 7, 1),
                验收结果="不合格",
            ),
            contract(
                "S6",
                D(2025, 5, 1),
                "支出性",
                供应商编号="SUP-A",
                实际交付日期=D(2025, 5, 1),
                验收结果="合格",
            ),
            contract(
                "S7",
                D(2025, 5, 1),
                "支出性",
                供应商编号="SUP-A",
                履行状态="协商解除",
                实际交付日期=D(2025, 6, 1),
            ),
            # milestones' contracts (M) and payments' (P)
            contract("M-1", D(2026, 1, 1)),
            contract("M-X", D(2026, 1, 1), 履行状态="协商解除"),
            contract("P-1", D(2026, 1, 1)),
        ],
    )
    put_rows(
        book,
        "履约节点",
        [
            {"合同编号": "M-1", "节点名称": "m1", "计划完成日期": S, "实际完成日期": S},
            {"合同编号": "M-1", "节点名称": "m2", "计划完成日期": D(2024, 12, 31)},
            {"合同编号": "M-1", "节点名称": "m3", "计划完成日期": T, "实际完成日期": D(2025, 7, 1)},
            {
                "合同编号": "M-1",
                "节点名称": "m4",
                "计划完成日期": D(2025, 7, 1),
                "实际完成日期": D(2025, 6, 1),
            },
            {
                "合同编号": "M-1",
                "节点名称": "m5",
                "计划完成日期": D(2025, 3, 1),
                "实际完成日期": D(2025, 3, 2),
            },
            {
                "合同编号": "M-1",
                "节点名称": "m6",
                "计划完成日期": D(2025, 4, 1),
                "实际完成日期": D(2025, 3, 1),
            },
            {
                "合同编号": "M-X",
                "节点名称": "m7",
                "计划完成日期": D(2025, 3, 1),
                "实际完成日期": D(2025, 3, 1),
            },
            {
                "合同编号": "M-1",
                "节点名称": "m8",
                "计划完成日期": D(2025, 5, 1),
                "实际完成日期": D(2025, 5, 1),
            },
        ],
    )

    def pay(
        n: int,
        due: date,
        amount: float,
        paid_on: date | None = None,
        paid: float | None = None,
        kind: str = "收款",
    ) -> dict[str, object]:
        return {
            "合同编号": "P-1",
            "收付类型": kind,
            "期次": n,
            "应收付日期": due,
            "应收付金额（元）": amount,
            "实收付日期": paid_on,
            "实收付金额（元）": paid,
        }

    put_rows(
        book,
        "款项",
        [
            pay(1, S, 100, S, 100),
            pay(2, D(2024, 12, 31), 1000),
            pay(3, T, 200, D(2025, 7, 1), 200),
            pay(4, D(2025, 7, 1), 5000),
            pay(5, D(2025, 3, 1), 400, D(2025, 3, 5), 500),
            pay(6, D(2025, 4, 1), 800, None, 800),  # an amount without a date: not received
            pay(7, D(2025, 5, 1), 1600, D(2025, 5, 1), None),  # a date without an amount
            pay(8, D(2025, 3, 1), 9999, kind="付款"),
            pay(9, D(2025, 6, 29), 3200, D(2025, 6, 29), 1000),
        ],
    )

    def issue(
        no: str, planned: date | None, closed: date | None = None, **more: object
    ) -> dict[str, object]:
        row: dict[str, object] = {
            "问题编号": no,
            "发现日期": D(2024, 12, 1),
            "计划完成日期": planned,
            "关闭日期": closed,
        }
        row.update(more)
        return row

    put_rows(
        book,
        "履约问题",
        [
            issue("I1", S, S),
            issue("I2", D(2024, 12, 31)),
            issue("I3", T, D(2025, 7, 1)),
            issue("I4", D(2025, 7, 1), D(2025, 6, 1)),
            issue("I5", D(2025, 3, 1), D(2025, 3, 2)),
            issue("I6", D(2025, 4, 1), D(2025, 3, 15)),
            issue("I7", D(2025, 5, 1)),
            issue("B1", None, 发现日期=S, 是否违约="是", 违约方="本方"),
            issue("B2", None, 发现日期=D(2024, 12, 31), 是否违约="是", 违约方="本方"),
            issue("B3", None, 发现日期=T, 是否违约="是", 违约方="本方"),
            issue("B4", None, 发现日期=D(2025, 7, 1), 是否违约="是", 违约方="本方"),
            issue("B5", None, 发现日期=D(2025, 3, 1), 是否违约="是", 违约方="对方"),
            issue("B6", None, 发现日期=D(2025, 3, 1), 是否违约="否", 违约方="本方"),
        ],
    )
    put_rows(
        book,
        "承诺",
        [
            {"承诺编号": f"K{n}", "承诺内容": f"承诺{n}", "兑现期限": deadline, "兑现状态": status}
            for n, deadline, status in (
                (1, S, "已兑现"),
                (2, D(2024, 12, 31), "已兑现"),
                (3, T, "已兑现"),
                (4, D(2025, 7, 1), "已兑现"),
                (5, D(2025, 3, 1), "未开始"),
                (6, None, "已兑现"),  # 长期: never due
            )
        ],
    )
    put_rows(
        book,
        "风险机遇",
        [
            {"编号": no, "类型": kind, "可能性": p, "影响程度": i, "状态": status}
            for no, kind, p, i, status in (
                ("R1", "风险", 5, 3, "未处置"),  # 15: 高
                ("R2", "风险", 3, 5, "已关闭"),
                ("R3", "风险", 4, 4, "处置中"),
                ("R4", "机遇", 5, 5, "未处置"),
                ("R5", "风险", 3, 4, "未处置"),  # 12: 中
                ("R6", "风险", 2, 4, None),  # 8: 中
                ("R7", "风险", 5, 5, None),  # 25, no 状态: open
            )
        ],
    )
    put_rows(
        book,
        "供应商",
        [
            {
                "供应商编号": "SUP-A",
                "供应商名称": "甲",
                "信用核查日期": D(2025, 1, 5),
                "信用核查结论": "良好",
            },
            {
                "供应商编号": "SUP-B",
                "供应商名称": "乙",
                "信用核查日期": D(2025, 1, 5),
                "信用核查结论": "良好",
            },
            {
                "供应商编号": "SUP-C",
                "供应商名称": "丙",
                "信用核查日期": D(2025, 1, 5),
                "信用核查结论": "异常",
            },
            {"供应商编号": "SUP-D", "供应商名称": "丁"},
        ],
    )
    put_rows(
        book,
        "履约目标",
        [
            {"目标编号": "O1", "指标": "合同履约率", "目标值": 1, "比较方式": "不低于"},
            {"目标编号": "O2", "指标": "未关闭高风险数", "目标值": 3, "比较方式": "不高于"},
            {"目标编号": "O3", "指标": "未关闭高风险数", "目标值": 2, "比较方式": "不高于"},
            {"目标编号": "O4", "指标": "供方按时交付率", "目标值": "80%", "比较方式": "不低于"},
            {"目标编号": "O5", "指标": "回款率", "目标值": 0.2, "比较方式": "不低于"},
            {"目标编号": "O6", "目标值": 5, "比较方式": "不低于"},  # no indicator named
        ],
    )
    return read_records(book)


@functools.cache
def _records() -> Records:
    import tempfile

    return _write_book(tempfile.mkdtemp(prefix="engine-rules-"))


@pytest.fixture(scope="module")
def records() -> Records:
    return _records()


def only(records: Records, *prefixes: str) -> Records:
    """The records whose id starts with one of ``prefixes`` (every sheet filtered)."""
    tables = {}
    for key, table in records.tables.items():
        column = ID_COLUMN.get(key)
        frame = table.frame
        if column is not None and column in frame:
            frame = frame[frame[column].astype(str).str.startswith(prefixes)]
        tables[key] = dataclasses.replace(table, frame=frame)
    return dataclasses.replace(records, tables=tables)


def figures(records: Records, period: Period = PERIOD) -> dict[str, tuple[object, object, object]]:
    return {
        i.key: (i.value, i.numerator, i.denominator) for i in compute_indicators(records, period)
    }


def test_indicator_order_and_units(records: Records) -> None:
    got = compute_indicators(only(records, "none"), PERIOD)
    assert [(i.key, i.name, i.unit) for i in got] == [
        (d.key, d.name, d.unit) for d in definitions.INDICATORS
    ]
    assert [i.value for i in got] == [None] * 5 + [0.0, None, 0.0] + [None] * 4 + [0.0]


def test_indicator_table() -> None:
    table = definitions.INDICATORS
    assert [i.key for i in table if i.in_yuan] == [
        "fulfillment_rate_amount",
        "collection_rate",
        "overdue_receivable",
    ]
    assert [i.key for i in table if not i.rate] == [
        "customer_satisfaction",
        "breach_count",
        "overdue_receivable",
        "open_high_risks",
    ]
    assert indicators.TREND_KEYS == (
        "fulfillment_rate",
        "on_time_delivery_rate",
        "quality_pass_rate",
        "collection_rate",
    )
    assert {"fulfillment_rate_amount", "collection_rate"} == indicators.AMOUNT_WEIGHTED


def test_fulfillment_on_time_and_amount(records: Records) -> None:
    got = figures(only(records, "F"))
    # due in [S, T]: F1 (on S), F3 (on T), F5, F7, F9, F10, F11 — not F2 (S−1), F4 (T+1),
    # F6 (协商解除) or F8 (支出性)
    assert got["fulfillment_rate"] == (3 / 7, 3.0, 7.0)  # F1, F9, F10: 已履行 and delivered by T
    assert got["on_time_delivery_rate"] == (2 / 7, 2.0, 7.0)  # F5, F9 (on the planned day)
    assert got["fulfillment_rate_amount"] == (1700 / 6300, 1700.0, 6300.0)  # F10 has no amount
    assert got["supplier_on_time_rate"] == (1.0, 1.0, 1.0)  # F8 alone


def test_fulfillment_window_follows_min_of_e_and_t(records: Records) -> None:
    # E before T: the window is [S, E]; F11 (due 06-15) and F3 (due on T) fall out
    early = Period(S, D(2025, 6, 14), T)
    assert figures(only(records, "F"), early)["fulfillment_rate"] == (3 / 5, 3.0, 5.0)
    # T before E: 2025-06-29 as of — F3 (due on T) is out, F1 is delivered on T = not yet
    before = Period(S, E, D(2025, 6, 29))
    assert figures(only(records, "F"), before)["fulfillment_rate"] == (2 / 6, 2.0, 6.0)
    # a one-day period S = E = T
    day = Period(D(2025, 5, 1), D(2025, 5, 1), D(2025, 5, 1))
    assert figures(only(records, "F"), day)["fulfillment_rate"] == (1.0, 1.0, 1.0)
    assert figures(only(records, "F"), day)["on_time_delivery_rate"] == (1.0, 1.0, 1.0)


def test_unfulfilled_reasons(records: Records) -> None:
    assert indicators.unfulfilled_reasons(only(records, "F"), PERIOD) == {
        "本方违约": 1,
        "对方违约": 0,
        "不可抗力": 0,
        "争议中止": 0,
        "履行中": 3,  # F3 (delivered after T), F5 (履行中), F7 (no date)
    }


def test_quality_and_satisfaction(records: Records) -> None:
    got = figures(only(records, "Q"))
    assert got["quality_pass_rate"] == (2 / 3, 2.0, 3.0)  # Q1, Q5 of Q1, Q3, Q5
    assert got["customer_satisfaction"] == (80.0, 240.0, 3.0)  # Q1 90, Q3 70, Q6 80


def test_breaches_found_in_the_period(records: Records) -> None:
    assert figures(only(records, "B"))["breach_count"] == (2.0, 2.0, None)  # B1 on S, B3 on T


def test_collection_and_overdue_receivable(records: Records) -> None:
    got = figures(only(records, "P"))
    # due in [S, T]: 1, 3, 5, 6, 7, 9; received by T: 100 + 400 (of 500) + 1000
    assert got["collection_rate"] == (1500 / 6300, 1500.0, 6300.0)
    # due before T: 2 (1000), 6 (800), 7 (1600), 9 (2200 left); 3 is due on T
    assert got["overdue_receivable"] == (5600.0, 5600.0, None)


def test_milestones_issues_commitments(records: Records) -> None:
    got = figures(only(records, "M", "I", "K"))
    assert got["milestone_on_time_rate"] == (3 / 5, 3.0, 5.0)  # m1, m6, m8 of m1 m3 m5 m6 m8
    assert got["issue_closure_rate"] == (2 / 5, 2.0, 5.0)  # I1, I6 of I1 I3 I5 I6 I7
    assert got["commitment_fulfillment_rate"] == (2 / 3, 2.0, 3.0)  # K1, K3 of K1 K3 K5


def test_open_high_risks_and_bands(records: Records) -> None:
    r = only(records, "R")
    assert figures(r)["open_high_risks"] == (3.0, 3.0, None)  # R1, R3, R7
    graded = grading.grade_risks(r)
    assert list(graded["value"]) == [15, 15, 16, 25, 12, 8, 25]
    assert list(graded["level"]) == ["高", "高", "高", "高", "中", "中", "高"]
    bands = indicators.risk_level(pd.Series([7.0, 8.0, 14.0, 15.0, None]))
    assert list(bands) == ["低", "中", "中", "高", ""]
    assert [definitions.risk_band(v) for v in (7, 8, 14, 15, None, float("nan"))] == [
        "低",
        "中",
        "中",
        "高",
        "",
        "",
    ]


def test_supplier_on_time_and_grades(records: Records) -> None:
    r = only(records, "S", "SUP")
    # S1, S3, S6 of S1 S2 S3 S6 (S4 收入性, S5 after T, S7 协商解除)
    assert figures(r)["supplier_on_time_rate"] == (3 / 4, 3.0, 4.0)
    g = grading.grade_suppliers(r, PERIOD).set_index("supplier_no")
    assert g.loc["SUP-A", "on_time_rate"] == pytest.approx(2 / 3)
    assert g.loc["SUP-A", "quality_rate"] == pytest.approx(2 / 3)
    # SUP-B has one judged delivery (S3), fewer than the 3 a grade needs: rates shown, no score
    assert g.loc["SUP-B", "on_time_rate"] == 1.0
    assert list(g["score"].fillna(-1)) == [66.67, -1, -1, -1]
    assert list(g["grade"]) == ["C", "未评", "D", "未评"]
    assert list(g["deliveries"]) == [3, 1, 0, 0]
    assert list(g["contracts"]) == [3, 2, 0, 0]  # S7 (协商解除) is not counted
    # with 设置 供应商评级最少交付次数 = 1, one delivery is enough (DESIGN §3 as written)
    one_enough = dataclasses.replace(r, settings={"supplier_min_deliveries": 1})
    g1 = grading.grade_suppliers(one_enough, PERIOD).set_index("supplier_no")
    assert list(g1["score"].fillna(-1)) == [66.67, 100.0, -1, -1]
    assert list(g1["grade"]) == ["C", "A", "D", "未评"]
    # a supplier with exactly one due and one judged contract still has both rates
    alone = only(records, "S2", "SUP-A")
    one = grading.grade_suppliers(
        dataclasses.replace(alone, settings={"supplier_min_deliveries": 1}), PERIOD
    ).set_index("supplier_no")
    assert (one.loc["SUP-A", "on_time_rate"], one.loc["SUP-A", "quality_rate"]) == (0.0, 0.0)
    assert one.loc["SUP-A", "grade"] == "D"
    assert (
        grading.grade_suppliers(alone, PERIOD).set_index("supplier_no").loc["SUP-A", "grade"]
        == "未评"
    )


def test_objectives(records: Records) -> None:
    evaluated = grading.evaluate_objectives(
        records, PERIOD, compute_indicators(records, PERIOD)
    ).set_index("objective_no")
    # 1 is 100 %, not 1 %
    assert list(evaluated["target_value"]) == [1.0, 3.0, 2.0, 0.8, 0.2, None]
    assert list(evaluated["achieved"]) == ["未达成", "达成", "未达成", "达成", "达成", "无数据"]
    assert list(evaluated["unit"]) == ["比率", "项", "项", "比率", "比率", ""]
    assert list(evaluated["actual"])[:5] == [
        3 / 8,  # F1 F9 F10 of the seven F and S4
        3.0,
        3.0,
        pytest.approx(4 / 5),  # F8 S1 S3 S6 of F8 S1 S2 S3 S6
        pytest.approx(1500 / 6300),
    ]
    assert evaluated.loc["O6", "actual"] is None


def test_grade_bands() -> None:
    cases = {90: "A", 89.995: "A", 89.994: "B", 75: "B", 74.99: "C", 60: "C", 59.99: "D"}
    for score, grade in cases.items():
        assert grading.grade_for(score) == grade, score
    assert grading.grade_for(None) == "未评"
    assert grading.grade_for(float("nan")) == "未评"
    assert grading.grade_for(95, "异常") == "D"
    assert grading.grade_for(None, "异常") == "D"
    assert grading.supplier_score(0.5, None) == 50.0
    assert grading.supplier_score(None, 0.25) == 25.0
    assert grading.supplier_score(2 / 3, 1.0) == 83.33
    assert grading.supplier_score(None, None) is None
    assert grading.supplier_score(float("nan"), 0.5) == 50.0


def test_targets_and_comparisons() -> None:
    assert grading.normalise_target(1, "比率") == 1.0
    assert grading.normalise_target(1.5, "比率") == 0.015
    assert grading.normalise_target(98, "比率") == 0.98
    assert grading.normalise_target(0.98, "比率") == 0.98
    assert grading.normalise_target(98, "分") == 98.0
    assert grading.normalise_target(None, "比率") is None
    assert grading.achieved(19 / 20, 0.95, "不低于") == "达成"
    assert grading.achieved(0.949, 0.95, "不低于") == "未达成"
    assert grading.achieved(0.951, 0.95, "不低于") == "达成"
    assert grading.achieved(3, 3, "不高于") == "达成"
    assert grading.achieved(3.0000001, 3, "不高于") == "达成"  # compared after rounding to 6
    assert grading.achieved(3.1, 3, "不高于") == "未达成"
    assert grading.achieved(2.9, 3, "不高于") == "达成"
    assert grading.achieved(0.949996, 0.95, "不低于") == "未达成"  # not rounded to 5 places
    assert grading.achieved(0.949996, 0.949996, "不低于") == "达成"
    assert grading.achieved(0.95, 0.9499964, "不低于") == "达成"
    assert grading.achieved(0.9499964, 0.949996, "不高于") == "达成"
    assert grading.achieved(0.949996, 0.9499956, "不高于") == "达成"  # the target is rounded too
    assert grading.normalise_target(float("nan"), "比率") is None
    assert grading.achieved(None, 3, "不高于") == "无数据"
    assert grading.achieved(3, None, "不高于") == "无数据"


def test_window_predicates() -> None:
    days = pd.Series(pd.to_datetime(["2024-12-31", "2025-01-01", "2025-06-30", "2025-07-01", None]))
    assert list(windows.in_period(days, PERIOD)) == [False, True, True, False, False]
    assert list(windows.happened(days, PERIOD)) == [True, True, True, False, False]
    assert list(windows.not_happened(days, PERIOD)) == [False, False, False, True, True]
    assert list(windows.known(days, PERIOD)) == [True, True, True, False, True]
    assert list(windows.overdue(days, PERIOD)) == [True, True, False, False, False]
    soon = pd.Series(pd.to_datetime(["2025-06-29", "2025-06-30", "2025-07-07", "2025-07-08"]))
    assert list(windows.due_soon(soon, PERIOD, 7)) == [False, True, True, False]
    assert list(windows.due_soon(soon, PERIOD, 0)) == [False, True, False, False]
    limit = pd.Series(
        pd.to_datetime(["2024-12-31", "2025-01-02", "2025-06-30", "2025-07-02", None])
    )
    assert list(windows.happened_by(days, limit, PERIOD)) == [True, True, True, False, False]
    years = pd.Series([2024.0, 2025.0, 2026.0, None])
    two_years = Period(S, D(2026, 3, 31), D(2026, 1, 1))
    assert list(windows.objective_applies(years, two_years)) == [False, True, True, True]
    assert list(windows.objective_applies(years, PERIOD)) == [False, True, False, True]


def test_monthly_series(records: Records) -> None:
    table = indicators.monthly_series(only(records, "F", "P"), Period(S, D(2025, 7, 31), T))
    assert list(table["month"]) == [f"2025-{m:02d}" for m in range(1, 8)]
    assert list(table["due_contracts"]) == [1, 0, 1, 1, 2, 2, 0]
    assert list(table["fulfillment_rate"].fillna(-1)) == [1.0, -1, 0.0, 0.0, 1.0, 0.0, -1]
    assert list(table["on_time_delivery_rate"].fillna(-1)) == [0.0, -1, 1.0, 0.0, 0.5, 0.0, -1]
    assert list(table["collection_rate"].fillna(-1).round(4)) == [
        1.0,
        -1,
        1.0,
        0.0,
        0.0,
        round(1000 / 3400, 4),
        -1,
    ]


def test_indicator_json_counts_are_integers(records: Records) -> None:
    got = {
        i.key: i.as_json() for i in compute_indicators(only(records, "F", "Q", "B", "P"), PERIOD)
    }
    shapes = {
        key: (
            type(j["value"]).__name__,
            type(j["numerator"]).__name__,
            type(j["denominator"]).__name__,
        )
        for key, j in got.items()
    }
    assert shapes["fulfillment_rate"] == ("float", "int", "int")
    assert shapes["fulfillment_rate_amount"] == ("float", "float", "float")
    assert shapes["customer_satisfaction"] == ("float", "float", "int")
    assert shapes["breach_count"] == ("int", "int", "NoneType")
    assert shapes["overdue_receivable"] == ("float", "float", "NoneType")
    assert shapes["collection_rate"] == ("float", "float", "float")
    assert shapes["milestone_on_time_rate"] == ("NoneType", "int", "int")
    assert got["fulfillment_rate"] == {
        "key": "fulfillment_rate",
        "name": "合同履约率",
        "value": 3 / 7,
        "numerator": 3,
        "denominator": 7,
        "unit": "比率",
    }
    assert got["customer_satisfaction"]["denominator"] == 3
    assert got["breach_count"]["value"] == 2


def test_values_as_people_read_them() -> None:
    assert indicators.format_value(None, "比率") == "无数据"
    assert indicators.format_value(float("nan"), "分") == "无数据"
    assert indicators.format_value(0.95, "比率") == "95.0%"
    assert indicators.format_value(1.0, "比率") == "100.0%"
    assert indicators.format_value(91.5, "分") == "91.5 分"
    assert indicators.format_value(12345.0, "元") == "12,345.00 元"
    assert indicators.format_value(2.0, "次") == "2 次"
    assert indicators.format_value(0.0, "项") == "0 项"
    one = indicators.Indicator("breach_count", "违约次数", 2.0, 2.0, None, "次")
    assert one.display == "2 次"


def test_monthly_quality(records: Records) -> None:
    table = indicators.monthly_series(only(records, "F", "Q"), Period(S, D(2025, 7, 31), T))
    assert list(table["quality_pass_rate"].fillna(-1)) == [1.0, -1, 1.0, -1, -1, 0.0, -1]


def test_breakdowns(records: Records) -> None:
    tables = indicators.breakdowns(only(records, "F"), PERIOD)
    assert list(tables) == [
        "相对方（收入性合同）",
        "相对方（支出性合同）",
        "负责人（收入性合同）",
        "负责人（支出性合同）",
        "合同性质",
    ]
    nature = tables["合同性质"]
    assert nature.to_dict("records") == [
        {
            "group": "支出性",
            "due": 1,
            "fulfilled": 1,
            "on_time": 1,
            "fulfillment_rate": 1.0,
            "on_time_delivery_rate": 1.0,
            "amount": 0.0,
        },
        {
            "group": "收入性",
            "due": 7,
            "fulfilled": 3,
            "on_time": 2,
            "fulfillment_rate": 3 / 7,
            "on_time_delivery_rate": 2 / 7,
            "amount": 6300.0,
        },
    ]
    # 收入性 and 支出性 are never in one 合同履约率: 3 of 7 and 1 of 1, not 4 of 8
    income, expense = tables["相对方（收入性合同）"], tables["相对方（支出性合同）"]
    assert list(income["group"]) == ["（未填）"] == list(expense["group"])
    assert (list(income["due"]), list(income["fulfillment_rate"])) == ([7], [3 / 7])
    assert (list(expense["due"]), list(expense["fulfillment_rate"])) == ([1], [1.0])
    assert list(tables["负责人（支出性合同）"]["on_time"]) == [1]
    # a nature with nothing due has no table of its own
    only_income = indicators.breakdowns(only(records, "F1", "F9"), PERIOD)
    assert list(only_income) == ["相对方（收入性合同）", "负责人（收入性合同）", "合同性质"]
