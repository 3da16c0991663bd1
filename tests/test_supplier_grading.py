"""Supplier grading on small samples (issue 14): the rolling window, the minimum number of judged
deliveries, and the grade's grounds in words — through a workbook written by the product."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from helpers import make_book, put_rows, set_items
from lyue_xl import grading
from lyue_xl.period import Period, resolve_period, supplier_min_deliveries, supplier_months
from lyue_xl.workbook.reader import Records, read_records

D = date
T = D(2026, 6, 15)  # 12 months back: 2025-06-15, so the rolling window is 2025-06-16..2026-06-15


def delivery(
    no: str, supplier: str, planned: date, actual: date | None, acceptance: str = "合格"
) -> dict[str, object]:
    return {
        "合同编号": no,
        "合同名称": f"{no}名称",
        "合同性质": "支出性",
        "供应商编号": supplier,
        "签订日期": D(2024, 1, 1),
        "计划交付日期": planned,
        "实际交付日期": actual,
        "验收结果": acceptance if actual is not None else None,
        "履行状态": "已履行" if actual is not None else "履行中",
    }


def on_time(no: str, supplier: str, day: date, acceptance: str = "合格") -> dict[str, object]:
    return delivery(no, supplier, day, day, acceptance)


def late(no: str, supplier: str, day: date, acceptance: str = "不合格") -> dict[str, object]:
    return delivery(no, supplier, day, day + pd.Timedelta(days=4), acceptance)


SUPPLIERS = {
    "G-IN": "良好",  # three on time, the first exactly on the window's first day: B/A
    "G-OUT": "良好",  # the same but the first one day earlier: two in the window, 未评
    "G-D3": "良好",  # three, two late and not accepted: D from a small sample
    "G-D5": "良好",  # five, all late and not accepted
    "G-D6": "良好",  # six, all late and not accepted: D from enough deliveries
    "G-X": "异常",  # three perfect deliveries, but 信用核查 异常
    "G-MIX": "一般",  # one due before the window but accepted in it, two due in it
    "G-EDGE": "良好",  # month-end boundaries
    "G-NONE": "良好",  # no contracts
}


def _contracts() -> list[dict[str, object]]:
    rows = [
        on_time("IN-1", "G-IN", D(2025, 6, 16)),
        on_time("IN-2", "G-IN", D(2026, 1, 10)),
        on_time("IN-3", "G-IN", T),
        on_time("OUT-1", "G-OUT", D(2025, 6, 15)),
        on_time("OUT-2", "G-OUT", D(2026, 1, 10)),
        on_time("OUT-3", "G-OUT", T),
        late("D3-1", "G-D3", D(2025, 9, 1)),
        late("D3-2", "G-D3", D(2025, 10, 1), "合格"),
        on_time("D3-3", "G-D3", D(2026, 2, 1), "不合格"),
        on_time("X-1", "G-X", D(2025, 9, 1)),
        on_time("X-2", "G-X", D(2025, 10, 1)),
        on_time("X-3", "G-X", D(2026, 2, 1)),
        # due before the window, accepted in it: judged for quality only
        delivery("MIX-1", "G-MIX", D(2025, 6, 1), D(2025, 6, 20), "合格"),
        on_time("MIX-2", "G-MIX", D(2025, 8, 1), "待验收"),
        delivery("MIX-3", "G-MIX", D(2026, 5, 1), None),  # due, not delivered: late
    ]
    rows += [late(f"D5-{i}", "G-D5", D(2025, 7 + i, 1)) for i in range(5)]
    rows += [late(f"D6-{i}", "G-D6", D(2025, 7 + i, 1)) for i in range(6)]
    for day in (D(2025, 2, 28), D(2025, 3, 1), D(2025, 3, 31), D(2025, 4, 1)):
        rows.append(on_time(f"EDGE-{day.isoformat()}", "G-EDGE", day))
    return rows


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = make_book(tmp_path_factory.mktemp("grading"))
    put_rows(path, "合同台账", _contracts())
    put_rows(
        path,
        "供应商",
        [
            {"供应商编号": no, "供应商名称": f"{no}公司", "信用核查结论": credit}
            for no, credit in SUPPLIERS.items()
        ],
    )
    return path


@pytest.fixture(scope="module")
def records(book: Path) -> Records:
    return read_records(book)


def graded(records: Records, period: Period, **settings: object) -> pd.DataFrame:
    if settings:
        records = dataclasses.replace(records, settings=settings)
    return grading.grade_suppliers(records, period).set_index("supplier_no")


def rolling(as_of: date = T) -> Period:
    return resolve_period({}, as_of=as_of)


def test_rolling_window_boundary_one_day_either_side(records: Records) -> None:
    g = graded(records, rolling())
    # IN-1 is due 2025-06-16, the window's first day; OUT-1 is due a day earlier, out
    assert (g.loc["G-IN", "deliveries"], g.loc["G-OUT", "deliveries"]) == (3, 2)
    assert (g.loc["G-IN", "grade"], g.loc["G-OUT", "grade"]) == ("A", "未评")
    assert g.loc["G-IN", "score"] == 100.0
    assert pd.isna(g.loc["G-OUT", "score"])
    assert g.loc["G-OUT", "on_time_rate"] == 1.0  # the figures are still shown
    assert g.loc["G-IN", "grade_note"] == (
        "近 12 个月 3 次交付（到期 3 次均按时交付，验收 3 次均合格），综合评分 100.00 分，评为 A 级"
    )
    assert g.loc["G-OUT", "grade_note"] == (
        "未评：样本不足，近 12 个月 2 次交付（到期 2 次均按时交付，验收 2 次均合格），"
        "至少 3 次交付才评级"
    )
    assert g.loc["G-NONE", "grade_note"] == "未评：近 12 个月没有到期或验收的支出性合同"
    assert g.loc["G-NONE", "grade"] == "未评"
    none = g.loc[
        "G-NONE", ["deliveries", "due_count", "late_count", "judged_count", "failed_count"]
    ]
    assert list(none) == [0, 0, 0, 0, 0]


def test_rolling_window_dates_and_month_end_clamping() -> None:
    def window(as_of: date, months: int = 12) -> tuple[date, date]:
        w = grading.grading_window(rolling(as_of), {"supplier_months": months})
        assert w.rolling
        return w.period.start, w.period.window_end

    assert window(T) == (D(2025, 6, 16), T)
    assert window(D(2026, 2, 28)) == (D(2025, 3, 1), D(2026, 2, 28))
    assert window(D(2026, 3, 31)) == (D(2025, 4, 1), D(2026, 3, 31))
    assert window(D(2026, 3, 30)) == (D(2025, 3, 31), D(2026, 3, 30))
    assert window(D(2025, 2, 28)) == (D(2024, 3, 1), D(2025, 2, 28))  # not 2024-02-29
    assert window(D(2024, 2, 29)) == (D(2023, 3, 1), D(2024, 2, 29))
    assert window(D(2026, 12, 31)) == (D(2026, 1, 1), D(2026, 12, 31))  # a calendar year
    assert window(D(2026, 3, 31), 1) == (D(2026, 3, 1), D(2026, 3, 31))
    assert window(D(2026, 3, 30), 1) == (D(2026, 3, 1), D(2026, 3, 30))
    assert window(D(2026, 2, 28), 13) == (D(2025, 2, 1), D(2026, 2, 28))
    assert window(D(2026, 1, 15), 25) == (D(2023, 12, 16), D(2026, 1, 15))
    assert grading.months_before(D(2026, 3, 31), 1) == D(2026, 2, 28)
    assert grading.months_before(D(2024, 3, 30), 1) == D(2024, 2, 29)
    assert grading.months_before(D(2026, 4, 30), 1) == D(2026, 3, 31)
    assert grading.months_before(D(2026, 1, 31), 0) == D(2026, 1, 31)
    assert grading.months_before(D(2026, 5, 15), 12) == D(2025, 5, 15)


def test_month_end_deliveries(records: Records) -> None:
    # G-EDGE: due 2025-02-28, 03-01, 03-31, 04-01
    feb = graded(records, rolling(D(2026, 2, 28))).loc["G-EDGE"]
    assert (feb["deliveries"], feb["grade"]) == (3, "A")  # 03-01 on: 02-28 is out
    mar30 = graded(records, rolling(D(2026, 3, 30))).loc["G-EDGE"]
    assert mar30["deliveries"] == 2  # 03-31 and 04-01
    mar = graded(records, rolling(D(2026, 3, 31))).loc["G-EDGE"]
    assert (mar["deliveries"], mar["grade"]) == (1, "未评")  # only 04-01: 03-31 is out


def test_minimum_two_versus_three(records: Records) -> None:
    # G-OUT has 2 judged deliveries in the window: 未评 with 3, graded with 2
    assert graded(records, rolling(), supplier_min_deliveries=3).loc["G-OUT", "grade"] == "未评"
    two = graded(records, rolling(), supplier_min_deliveries=2).loc["G-OUT"]
    assert (two["grade"], two["score"]) == ("A", 100.0)
    assert two["grade_note"].startswith("近 12 个月 2 次交付")
    four = graded(records, rolling(), supplier_min_deliveries=4).loc["G-IN"]
    assert four["grade"] == "未评"
    assert four["grade_note"].endswith("至少 4 次交付才评级")


def test_a_delivery_counts_once_and_due_or_accepted_both_count(records: Records) -> None:
    g = graded(records, rolling()).loc["G-MIX"]
    # MIX-1 due before the window, accepted in it; MIX-2 due, 待验收; MIX-3 due, not delivered
    assert (g["deliveries"], g["due_count"], g["late_count"]) == (3, 2, 1)
    assert (g["judged_count"], g["failed_count"]) == (1, 0)
    assert g["on_time_rate"] == 0.5 and g["quality_rate"] == 1.0
    assert (g["score"], g["grade"]) == (75.0, "B")
    assert g["grade_note"] == (
        "近 12 个月 3 次交付（到期 2 次中延期 1 次，验收 1 次均合格），综合评分 75.00 分，评为 B 级"
    )
    assert g["advice"] == ""


def test_low_grades_are_worded_by_their_evidence(records: Records) -> None:
    g = graded(records, rolling())
    d3 = g.loc["G-D3"]
    assert (d3["deliveries"], d3["score"], d3["grade"]) == (3, 33.33, "D")
    assert d3["grade_note"] == (
        "近 12 个月 3 次交付（到期 3 次中延期 2 次，验收 3 次中不合格 2 次），"
        "综合评分 33.33 分，评为 D 级"
    )
    small = "样本较少，请约谈核实原因并跟踪后续交付，再决定是否限制新订单"
    assert d3["advice"] == small
    assert (g.loc["G-D5", "grade"], g.loc["G-D5", "advice"]) == ("D", small)
    assert (g.loc["G-D6", "grade"], g.loc["G-D6", "deliveries"]) == ("D", 6)
    assert g.loc["G-D6", "advice"] == "请限期整改，整改验证合格前暂停新订单"
    assert g.loc["G-IN", "advice"] == "" and g.loc["G-OUT", "advice"] == ""
    # the factor follows the minimum: with 4, six deliveries are still fewer than 2 × 4
    assert graded(records, rolling(), supplier_min_deliveries=4).loc["G-D6", "advice"] == small


def test_abnormal_credit_says_why_it_is_d(records: Records) -> None:
    g = graded(records, rolling()).loc["G-X"]
    assert (g["score"], g["grade"]) == (100.0, "D")
    assert g["grade_note"] == (
        "信用核查结论为“异常”，评为 D 级；近 12 个月 3 次交付（到期 3 次均按时交付，验收 3 次均合格）；"
        "综合评分 100.00 分"
    )
    assert g["advice"] == "请复核信用状况，评估是否继续合作并采取履约保障措施"
    few = graded(records, rolling(D(2025, 9, 1))).loc["G-X"]
    assert (few["grade"], few["deliveries"]) == ("D", 1)
    assert pd.isna(few["score"])
    assert few["grade_note"] == (
        "信用核查结论为“异常”，评为 D 级；近 12 个月 1 次交付（到期 1 次均按时交付，验收 1 次均合格）"
    )


def test_a_given_start_keeps_the_period(records: Records) -> None:
    # --from (or 设置 统计开始日期): the grading window is [S, min(E, T)], not the rolling one
    for period in (
        resolve_period({}, start=D(2026, 1, 1), as_of=T),
        resolve_period({"period_from": D(2026, 1, 1)}, as_of=T),
        resolve_period({"period_from": D(2026, 1, 1), "period_to": D(2026, 12, 31)}, as_of=T),
    ):
        assert not period.start_defaulted
        w = grading.grading_window(period, {})
        assert not w.rolling
        assert (w.period.start, w.period.window_end) == (D(2026, 1, 1), T)
        assert w.label() == "统计期间（2026-01-01 至 2026-06-15）"
        g = graded(records, period)
        assert g.loc["G-IN", "deliveries"] == 2  # IN-2, IN-3
        assert g.loc["G-IN", "grade_note"] == (
            "未评：样本不足，统计期间内 2 次交付（到期 2 次均按时交付，验收 2 次均合格），"
            "至少 3 次交付才评级"
        )
    # only an end (--to or 设置 统计结束日期): 12 months ending at min(E, T)
    for period in (
        resolve_period({}, end=D(2025, 12, 31), as_of=T),
        resolve_period({"period_to": D(2025, 12, 31)}, as_of=T),
    ):
        assert period.start_defaulted
        w = grading.grading_window(period, {})
        assert (w.rolling, w.period.start, w.period.window_end) == (
            True,
            D(2025, 1, 1),
            D(2025, 12, 31),
        )
        assert w.label() == "近 12 个月（2025-01-01 至 2025-12-31）"
    # the default period of T's year is what the rolling window replaces
    p = rolling()
    assert p.start_defaulted and p.start == D(2026, 1, 1)
    assert p == Period(D(2026, 1, 1), T, T)  # the flag does not change what the period is


def test_settings_are_read_from_the_workbook(tmp_path: Path) -> None:
    path = make_book(tmp_path)
    set_items(path, "设置", {"供应商评价月数": 6, "供应商评级最少交付次数": 2})
    settings = read_records(path).settings
    assert (supplier_months(settings), supplier_min_deliveries(settings)) == (6, 2)
    w = grading.grading_window(rolling(), settings)
    assert (w.period.start, w.minimum, w.name) == (D(2025, 12, 16), 2, "近 6 个月")
    blank = read_records(make_book(tmp_path, "空.xlsx")).settings
    assert (supplier_months(blank), supplier_min_deliveries(blank)) == (12, 3)
    for bad in (0, -1, "十二", None):
        assert supplier_months({"supplier_months": bad}) == 12
        assert supplier_min_deliveries({"supplier_min_deliveries": bad}) == 3
    assert supplier_months({"supplier_months": 1}) == 1
    assert supplier_min_deliveries({"supplier_min_deliveries": 1}) == 1


def test_the_report_summary_states_window_sample_and_measured_advice(records: Records) -> None:
    from lyue_xl.documents import common
    from lyue_xl.engine import analyse_records

    text = common.supplier_summary(analyse_records(records, as_of=T))
    assert text.startswith(
        "按近 12 个月（2025-06-16 至 2026-06-15）的交付记录评价供应商 9 家："
        "A 级 1 家、B 级 1 家、D 级 4 家、未评 3 家（未评中 1 家交付不足 3 次，样本不足，暂不评级）。"
    )
    assert (
        "G-D3公司（G-D3）近 12 个月 3 次交付（到期 3 次中延期 2 次，验收 3 次中不合格 2 次），"
        "综合评分 33.33 分，评为 D 级；样本较少，请约谈核实原因并跟踪后续交付，再决定是否限制新订单。"
    ) in text
    assert "G-X公司（G-X）信用核查结论为“异常”，评为 D 级；" in text
    assert "应暂停新订单并限期整改" not in text
