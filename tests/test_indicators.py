"""DESIGN §3 on hand-made cases: boundaries, empty periods, 协商解除, events after T."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from helpers import make_book, put_rows, run_cli, set_items
from lyue_xl.engine import analyse
from lyue_xl.grading import achieved, grade_for, normalise_target, supplier_score


def c(no: str, nature: str = "收入性", **fields: object) -> dict[str, object]:
    row: dict[str, object] = {
        "合同编号": no,
        "合同名称": no,
        "合同性质": nature,
        "签订日期": date(2025, 1, 2),
        "评审日期": date(2025, 1, 1),
    }
    row.update(fields)
    return row


def values(path: Path, *args: str) -> dict[str, dict[str, object]]:
    code, out, err = run_cli("indicators", str(path), "--json", *args)
    assert code == 0, err
    data = json.loads(out)
    return {item["key"]: item for item in data["indicators"]} | {"_period": data["period"]}


def test_every_key_with_unit_and_nulls_for_empty_denominators(tmp_path: Path) -> None:
    book = make_book(tmp_path)
    got = values(book, "--as-of", "2025-06-30")
    assert got["_period"] == {"from": "2025-01-01", "to": "2025-06-30", "as_of": "2025-06-30"}
    keys = [k for k in got if k != "_period"]
    assert keys == [
        "fulfillment_rate",
        "fulfillment_rate_amount",
        "on_time_delivery_rate",
        "quality_pass_rate",
        "customer_satisfaction",
        "breach_count",
        "collection_rate",
        "overdue_receivable",
        "milestone_on_time_rate",
        "supplier_on_time_rate",
        "issue_closure_rate",
        "commitment_fulfillment_rate",
        "open_high_risks",
    ]
    for key in (
        "fulfillment_rate",
        "on_time_delivery_rate",
        "quality_pass_rate",
        "customer_satisfaction",
        "collection_rate",
        "milestone_on_time_rate",
    ):
        assert got[key]["value"] is None, key
    assert got["breach_count"] == {
        "key": "breach_count",
        "name": "违约次数",
        "value": 0,
        "numerator": 0,
        "denominator": None,
        "unit": "次",
    }
    # numbers of records are integers in the JSON; amounts of 元 stay decimal numbers
    assert type(got["breach_count"]["value"]) is int
    assert type(got["fulfillment_rate"]["denominator"]) is int
    assert type(got["customer_satisfaction"]["denominator"]) is int
    assert type(got["collection_rate"]["denominator"]) is float
    assert got["overdue_receivable"]["value"] == 0
    assert got["open_high_risks"]["unit"] == "项"
    assert got["customer_satisfaction"]["unit"] == "分"


@pytest.fixture()
def book(tmp_path: Path) -> Path:
    path = make_book(tmp_path)
    put_rows(
        path,
        "合同台账",
        [
            c(
                "K1",
                计划交付日期=date(2025, 1, 1),
                实际交付日期=date(2025, 1, 1),
                履行状态="已履行",
                验收结果="合格",
                客户满意度=80,
                **{"合同金额（元）": 100},
            ),  # boundary S, on time
            c(
                "K2",
                计划交付日期=date(2025, 6, 30),
                实际交付日期=date(2025, 6, 30),
                履行状态="已履行",
                验收结果="合格",
                客户满意度=100,
                **{"合同金额（元）": 300},
            ),  # boundary T
            c(
                "K3",
                计划交付日期=date(2025, 3, 1),
                实际交付日期=date(2025, 7, 1),
                履行状态="已履行",
                验收结果="合格",
                客户满意度=10,
                **{"合同金额（元）": 600},
            ),  # delivered after T
            c("K4", 计划交付日期=date(2025, 3, 1), 履行状态="协商解除"),  # left out
            c("K5", 计划交付日期=date(2025, 4, 1), 履行状态="未履行-对方违约"),
            c(
                "K6",
                计划交付日期=date(2024, 12, 31),
                实际交付日期=date(2025, 2, 1),
                履行状态="已履行",
                验收结果="不合格",
            ),  # due before S
            c(
                "P1",
                "支出性",
                计划交付日期=date(2025, 2, 1),
                实际交付日期=date(2025, 2, 3),
                履行状态="已履行",
                验收结果="合格",
            ),
        ],
    )
    put_rows(
        path,
        "履约节点",
        [
            {
                "合同编号": "K1",
                "节点名称": "发货",
                "计划完成日期": date(2025, 2, 1),
                "实际完成日期": date(2025, 2, 1),
            },
            {
                "合同编号": "K1",
                "节点名称": "验收",
                "计划完成日期": date(2025, 3, 1),
                "实际完成日期": date(2025, 3, 2),
            },
            {"合同编号": "K4", "节点名称": "发货", "计划完成日期": date(2025, 2, 1)},  # 协商解除
        ],
    )
    put_rows(
        path,
        "履约问题",
        [
            {
                "问题编号": "Q1",
                "发现日期": date(2025, 2, 1),
                "问题类型": "延迟交付",
                "是否违约": "是",
                "违约方": "本方",
                "计划完成日期": date(2025, 3, 1),
                "关闭日期": date(2025, 3, 1),
            },
            {
                "问题编号": "Q2",
                "发现日期": date(2025, 7, 1),
                "问题类型": "延迟交付",
                "是否违约": "是",
                "违约方": "本方",
            },  # after T
            {
                "问题编号": "Q3",
                "发现日期": date(2025, 2, 1),
                "问题类型": "其他",
                "是否违约": "是",
                "违约方": "对方",
                "计划完成日期": date(2025, 4, 1),
                "关闭日期": date(2025, 7, 1),
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
                "承诺内容": "按期交付",
                "兑现期限": date(2025, 5, 1),
                "兑现状态": "已兑现",
            },
            {
                "承诺编号": "C3",
                "承诺类型": "自愿性",
                "承诺内容": "培训",
                "兑现期限": date(2025, 6, 1),
                "兑现状态": "未兑现",
            },
        ],
    )
    put_rows(
        path,
        "风险机遇",
        [
            {"编号": "R1", "类型": "风险", "可能性": 3, "影响程度": 5, "状态": "处置中"},
            {"编号": "R2", "类型": "风险", "可能性": 5, "影响程度": 5, "状态": "已关闭"},
            {"编号": "R3", "类型": "机遇", "可能性": 5, "影响程度": 5},
            {"编号": "R4", "类型": "风险", "可能性": 2, "影响程度": 7 - 0},
        ],
    )
    return path


def test_contract_indicators_exactly(book: Path) -> None:
    got = values(book, "--as-of", "2025-06-30")
    # due in [2025-01-01, 2025-06-30], 收入性, not 协商解除: K1 K2 K3 K5
    fr = got["fulfillment_rate"]
    assert (fr["numerator"], fr["denominator"]) == (2, 4)
    assert fr["value"] == pytest.approx(0.5)
    assert got["fulfillment_rate_amount"]["value"] == pytest.approx(400 / 1000)
    assert got["on_time_delivery_rate"]["value"] == pytest.approx(2 / 4)
    # delivered in window with a verdict: K1 K2 合格, K6 不合格 (K3 after T)
    assert got["quality_pass_rate"]["value"] == pytest.approx(2 / 3)
    sat = got["customer_satisfaction"]
    assert (sat["value"], sat["numerator"], sat["denominator"]) == (90, 180, 2)
    assert got["breach_count"]["value"] == 1
    assert got["milestone_on_time_rate"]["value"] == pytest.approx(1 / 2)
    assert got["supplier_on_time_rate"]["value"] == 0
    assert got["issue_closure_rate"]["value"] == pytest.approx(1 / 2)
    assert got["commitment_fulfillment_rate"]["value"] == pytest.approx(1 / 2)
    assert got["open_high_risks"]["value"] == 1


def test_as_of_in_the_past_reports_what_was_known_then(book: Path) -> None:
    got = values(book, "--as-of", "2025-03-31")
    # due in [01-01, 03-31]: K1, K3; K3 not yet delivered then
    assert (got["fulfillment_rate"]["numerator"], got["fulfillment_rate"]["denominator"]) == (1, 2)
    assert got["breach_count"]["value"] == 1


def test_period_flags_and_settings(book: Path) -> None:
    set_items(
        book,
        "设置",
        {
            "统计开始日期": date(2025, 3, 1),
            "统计结束日期": date(2025, 4, 30),
            "基准日期": date(2025, 6, 30),
        },
    )
    got = values(book)
    assert got["_period"] == {"from": "2025-03-01", "to": "2025-04-30", "as_of": "2025-06-30"}
    assert got["fulfillment_rate"]["denominator"] == 2  # K3, K5
    got = values(book, "--to", "2025-01-31")
    assert got["_period"]["from"] == "2025-01-01"
    assert got["fulfillment_rate"]["denominator"] == 1


def test_start_after_end_is_exit_2(book: Path) -> None:
    code, out, err = run_cli("indicators", str(book), "--from", "2025-05-01", "--to", "2025-04-01")
    assert code == 2
    assert "晚于" in err and "Traceback" not in err
    code, _, err = run_cli("indicators", str(book), "--as-of", "2025-13-01")
    assert code == 2 and "--as-of" in err


def test_collection_rate_and_overdue_receivable(tmp_path: Path) -> None:
    path = make_book(tmp_path)
    put_rows(path, "合同台账", [c("K1", 计划交付日期=date(2025, 9, 1))])
    put_rows(
        path,
        "款项",
        [
            {
                "合同编号": "K1",
                "收付类型": "收款",
                "期次": 1,
                "应收付日期": date(2025, 1, 1),
                "应收付金额（元）": "1,000元",
                "实收付日期": date(2025, 1, 5),
                "实收付金额（元）": 1500,
            },
            {
                "合同编号": "K1",
                "收付类型": "收款",
                "期次": 2,
                "应收付日期": date(2025, 6, 29),
                "应收付金额（元）": "1万",
                "实收付日期": date(2025, 7, 2),
                "实收付金额（元）": 10000,
            },
            {
                "合同编号": "K1",
                "收付类型": "收款",
                "期次": 3,
                "应收付日期": date(2025, 6, 30),
                "应收付金额（元）": 500,
                "实收付金额（元）": 500,
            },  # amount without a date
        ],
    )
    got = values(path, "--as-of", "2025-06-30")
    assert got["collection_rate"]["numerator"] == pytest.approx(1000)
    assert got["collection_rate"]["denominator"] == pytest.approx(11500)
    # before T: period 2 (10000 outstanding); period 3 is due on T, not before it
    assert got["overdue_receivable"]["value"] == pytest.approx(10000)


def test_grading_rules() -> None:
    assert supplier_score(0.95, None) == 95.0
    assert supplier_score(None, None) is None
    assert supplier_score(0.9, 0.6) == 75.0
    assert grade_for(89.999999) == "A"  # DESIGN §3: "89.999999 is not a B"
    assert grade_for(89.994) == "B"
    assert grade_for(90.0) == "A"
    assert grade_for(59.99) == "D"
    assert grade_for(None) == "未评"
    assert grade_for(None, "异常") == "D"
    assert grade_for(99, "异常") == "D"
    assert normalise_target(98, "比率") == pytest.approx(0.98)
    assert normalise_target(0.98, "比率") == pytest.approx(0.98)
    assert normalise_target(90, "分") == 90
    assert achieved(19 / 20, 0.95, "不低于") == "达成"
    assert achieved(2, 1, "不高于") == "未达成"
    assert achieved(None, 1, "不高于") == "无数据"


def test_supplier_and_risk_grades(tmp_path: Path) -> None:
    path = make_book(tmp_path)
    put_rows(
        path,
        "供应商",
        [
            {"供应商编号": "S1", "供应商名称": "甲"},
            {"供应商编号": "S2", "供应商名称": "乙"},
            {"供应商编号": "S3", "供应商名称": "丙", "信用核查结论": "异常"},
        ],
    )
    put_rows(
        path,
        "合同台账",
        [
            c(
                "P1",
                "支出性",
                供应商编号="S1",
                计划交付日期=date(2025, 2, 1),
                实际交付日期=date(2025, 2, 1),
                验收结果="合格",
                履行状态="已履行",
            ),
            c(
                "P2",
                "支出性",
                供应商编号="S1",
                计划交付日期=date(2025, 3, 1),
                实际交付日期=date(2025, 3, 5),
                验收结果="不合格",
                履行状态="已履行",
            ),
        ],
    )
    put_rows(path, "风险机遇", [{"编号": "R1", "类型": "风险", "可能性": 4, "影响程度": 2}])
    set_items(path, "设置", {"供应商评级最少交付次数": 2})  # S1's two deliveries are enough
    analysis = analyse(path, as_of=date(2025, 6, 30))
    s = analysis.suppliers.set_index("supplier_no")
    assert s.loc["S1", "on_time_rate"] == pytest.approx(0.5)
    assert s.loc["S1", "quality_rate"] == pytest.approx(0.5)
    assert s.loc["S1", "score"] == 50.0
    assert list(s["grade"]) == ["D", "未评", "D"]
    r = analysis.risks.iloc[0]
    assert (r["value"], r["level"]) == (8, "中")


@pytest.mark.parametrize(
    ("start", "end", "as_of"),
    [
        (date(2026, 1, 1), date(2026, 6, 30), date(2026, 6, 30)),
        (date(2025, 3, 15), date(2026, 8, 20), date(2026, 5, 10)),
    ],
)
def test_monthly_series_equals_each_month_computed_alone(
    tmp_path: Path, start: date, end: date, as_of: date
) -> None:
    import calendar
    import math

    from lyue_xl import indicators
    from lyue_xl.demo import write_demo_workbook
    from lyue_xl.period import Period
    from lyue_xl.workbook.reader import read_records

    records = read_records(write_demo_workbook(tmp_path / "demo.xlsx"))
    period = Period(start, end, as_of)
    series = indicators.monthly_series(records, period)
    assert series["month"].iloc[0] == start.strftime("%Y-%m")
    assert series["month"].iloc[-1] == end.strftime("%Y-%m")
    for row in series.itertuples(index=False):
        year, month = map(int, row.month.split("-"))
        first = max(start, date(year, month, 1))
        last = min(end, date(year, month, calendar.monthrange(year, month)[1]))
        alone = Period(first, last, as_of)
        for key in indicators.TREND_KEYS:
            value = indicators.COMPUTE[key](records, alone)[0] if first <= as_of else None
            got = getattr(row, key)
            assert (value is None and math.isnan(got)) or got == pytest.approx(value), key


def test_unparseable_cells_are_skipped_and_counted_on_stderr(tmp_path: Path) -> None:
    path = make_book(tmp_path)
    put_rows(
        path,
        "合同台账",
        [
            c("K1", 计划交付日期=date(2025, 3, 1), 实际交付日期="2025/13/01", 履行状态="已履行"),
            c("K2", 计划交付日期=date(2025, 4, 1), 客户满意度="很好"),
        ],
    )
    for command in ("indicators", "alerts"):
        code, out, err = run_cli(command, str(path), "--as-of", "2025-06-30", "--json")
        assert code == 0, err
        assert "2 个单元格" in err and "lyue-xl check" in err
        json.loads(out)  # stdout stays clean JSON
    got = values(path, "--as-of", "2025-06-30")
    # K1's bad 实际交付日期 reads as empty: not fulfilled
    assert (got["fulfillment_rate"]["numerator"], got["fulfillment_rate"]["denominator"]) == (0, 2)
    code, out, err = run_cli("refresh", str(path), "--as-of", "2025-06-30")
    assert code == 0 and "2 个单元格" in err
