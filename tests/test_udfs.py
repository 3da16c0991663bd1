"""The worksheet functions, called as Python (on Linux xlwings' decorators are no-ops)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from excel_books import AS_OF, filled_book
from lyue_xl import udfs
from lyue_xl.engine import analyse
from lyue_xl.indicators import DEFINITIONS
from lyue_xl.udfs import (
    LYUE_AMOUNT,
    LYUE_DATE,
    LYUE_DAYS_LEFT,
    LYUE_INDICATOR,
    LYUE_RISK_LEVEL,
    LYUE_SUPPLIER_GRADE,
    elementwise,
)


def test_elementwise_keeps_the_shape_and_broadcasts_single_values() -> None:
    add = lambda a, b: a + b  # noqa: E731
    assert elementwise(add, 1, 2) == 3
    assert elementwise(add, [[1, 2], [3, 4]], 10) == [[11, 12], [13, 14]]
    assert elementwise(add, [[1], [2]], [[10], [20]]) == [[11], [22]]
    assert elementwise(add, [[5]], 1) == 6  # a 1×1 range gives a value
    assert elementwise(add, [[1, 2]], [[1]]) == [[2, 3]]
    assert elementwise(add, [[1], [2]], [[1], [2], [3]])[2] == ["区域大小不一致"]


# --- risk level --------------------------------------------------------------------------------


def test_risk_level_bands() -> None:
    assert LYUE_RISK_LEVEL(3, 5) == "高"
    assert LYUE_RISK_LEVEL(2, 4) == "中"
    assert LYUE_RISK_LEVEL(2.0, 3.0) == "低"
    assert LYUE_RISK_LEVEL("4", "４") == "高"  # text and full-width digits as typed


def test_risk_level_on_ranges_blanks_and_bad_input() -> None:
    assert LYUE_RISK_LEVEL([[5, 1], [None, 6]], [[3, 1], [None, 2]]) == [
        ["高", "低"],
        ["", "可能性应为 1–5 的整数（填写的是“6”）"],
    ]
    assert LYUE_RISK_LEVEL(3, "很大") == "影响程度应为 1–5 的整数（填写的是“很大”）"
    assert LYUE_RISK_LEVEL(2.5, 2) == "可能性应为 1–5 的整数（填写的是“2.5”）"


# --- supplier grade ----------------------------------------------------------------------------


def test_supplier_grade_rules() -> None:
    assert LYUE_SUPPLIER_GRADE(0.95, 0.9, "良好") == "A"  # 92.5
    assert LYUE_SUPPLIER_GRADE("95%", 90, None) == "A"  # % text and percentages above 1
    assert LYUE_SUPPLIER_GRADE(0.8, None, "") == "B"  # only one rate with data
    assert LYUE_SUPPLIER_GRADE(0.6, 0.6) == "C"
    assert LYUE_SUPPLIER_GRADE(0.5, 0.5, "一般") == "D"
    assert LYUE_SUPPLIER_GRADE(1, 1, "异常") == "D"  # credit 异常 wins
    assert LYUE_SUPPLIER_GRADE(None, "无数据", "良好") == "未评"
    assert LYUE_SUPPLIER_GRADE(None, None, "异常") == "D"
    assert LYUE_SUPPLIER_GRADE(0.7, 0.8) == "B"  # 75 exactly: the band includes its bound
    assert LYUE_SUPPLIER_GRADE(0.59, 0.6) == "D"  # 59.5


def test_supplier_grade_on_ranges_and_bad_input() -> None:
    assert LYUE_SUPPLIER_GRADE([[0.95], [0.7]], [[0.95], [0.7]], [["良好"], ["异常"]]) == [
        ["A"],
        ["D"],
    ]
    assert LYUE_SUPPLIER_GRADE(1.5, 0.9) == "D"  # 1.5 is 1.5% (above 1 = percent), as for targets
    assert LYUE_SUPPLIER_GRADE(150, 0.9) == "按时交付率应为 0–100% 的比例（填写的是“150”）"
    assert LYUE_SUPPLIER_GRADE("很好", 0.9) == "按时交付率应为 0–100% 的比例（填写的是“很好”）"
    assert (
        LYUE_SUPPLIER_GRADE(0.9, 0.9, "优秀")
        == "信用核查结论应为 良好、一般、异常 之一（填写的是“优秀”）"
    )


# --- days left ---------------------------------------------------------------------------------


def test_days_left() -> None:
    t = date(2025, 7, 20)
    assert LYUE_DAYS_LEFT(date(2025, 7, 27), None, t) == 7
    assert LYUE_DAYS_LEFT(datetime(2025, 7, 15), None, t) == -5  # overdue by 5 days
    assert LYUE_DAYS_LEFT("2025年7月30日", "", "2025/7/20") == 10
    assert LYUE_DAYS_LEFT(date(2025, 7, 27), date(2025, 7, 19), t) == "已完成"
    assert LYUE_DAYS_LEFT(date(2025, 7, 27), date(2025, 7, 21), t) == 7  # done after T: not yet
    assert LYUE_DAYS_LEFT("长期", None, t) == "长期"
    assert LYUE_DAYS_LEFT(None, None, t) == ""
    assert LYUE_DAYS_LEFT("下周", None, t) == "到期日无法识别（填写的是“下周”）"
    assert LYUE_DAYS_LEFT(45863.0, None, t) == (date(2025, 7, 25) - t).days  # a date serial


def test_days_left_default_as_of_is_today() -> None:
    assert LYUE_DAYS_LEFT(date.today()) == 0


def test_days_left_on_a_column() -> None:
    t = date(2025, 7, 20)
    assert LYUE_DAYS_LEFT([[date(2025, 7, 21)], [None], ["x"]], None, t) == [
        [1],
        [""],
        ["到期日无法识别（填写的是“x”）"],
    ]


# --- dates and amounts -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["2025-07-20", "2025/7/20", "2025.7.20", "2025年7月20日", " 2025/07/20 "]
)
def test_date_text(text: str) -> None:
    assert LYUE_DATE(text) == date(2025, 7, 20)


def test_date_range_blanks_and_unreadable() -> None:
    assert LYUE_DATE([["2025/7/20", None], ["2025/13/01", "明天"]]) == [
        [date(2025, 7, 20), ""],
        ["无法识别", "无法识别"],
    ]
    assert LYUE_DATE(datetime(2025, 7, 20, 9, 0)) == date(2025, 7, 20)


def test_amount_text() -> None:
    assert LYUE_AMOUNT("12万") == 120000
    assert LYUE_AMOUNT("1,234.5") == 1234.5
    assert LYUE_AMOUNT("1234.5元") == 1234.5
    assert LYUE_AMOUNT("￥3,000") == 3000
    assert LYUE_AMOUNT(88.0) == 88.0
    assert LYUE_AMOUNT([["12万"], [""], ["约十万"]]) == [[120000.0], [""], ["无法识别"]]


# --- LYUE_INDICATOR ----------------------------------------------------------------------------


def _region(path: Path, sheet: str) -> list[list[object]]:
    """The values xlwings passes for a range like 合同台账!A2:P20 (header row included)."""
    ws = openpyxl.load_workbook(path)[sheet]
    rows = []
    for row in ws.iter_rows(min_row=2, max_row=ws.max_row):
        rows.append([float(c.value) if type(c.value) is int else c.value for c in row])
    return rows


def _settings(path: Path) -> list[list[object]]:
    ws = openpyxl.load_workbook(path)["设置"]
    return [[c.value for c in row[:2]] for row in ws.iter_rows()]


NEEDS = {
    "contracts": "合同台账",
    "payments": "款项",
    "milestones": "履约节点",
    "issues": "履约问题",
    "commitments": "承诺",
    "risks": "风险机遇",
}


def test_indicator_equals_the_engine_for_every_indicator(tmp_path: Path) -> None:
    path = filled_book(tmp_path)
    expected = analyse(path, as_of=AS_OF)
    settings = _settings(path)
    for key, name, _ in DEFINITIONS:
        regions = [_region(path, NEEDS[k]) for k in udfs.INDICATOR_SHEETS[key]]
        regions += [None] * (2 - len(regions)) + [settings]
        value = LYUE_INDICATOR(name, *regions)
        want = expected.indicator(key).value
        assert value == ("无数据" if want is None else pytest.approx(want)), name
    # by key too, with the period as arguments instead of the 设置 range
    contracts = _region(path, "合同台账")
    got = LYUE_INDICATOR("fulfillment_rate", contracts, None, None, "2025-01-01", None, AS_OF)
    assert got == pytest.approx(expected.indicator("fulfillment_rate").value)


def test_indicator_regions_in_any_order_and_missing_ones_named(tmp_path: Path) -> None:
    path = filled_book(tmp_path)
    contracts, milestones = _region(path, "合同台账"), _region(path, "履约节点")
    a = LYUE_INDICATOR("节点按时完成率", milestones, contracts, as_of=AS_OF)
    b = LYUE_INDICATOR("节点按时完成率", contracts, milestones, as_of=AS_OF)
    assert a == b == pytest.approx(0.5)
    assert LYUE_INDICATOR("节点按时完成率", milestones, as_of=AS_OF) == "缺少「合同台账」区域"
    assert LYUE_INDICATOR("回款率", contracts, as_of=AS_OF) == "缺少「款项」区域"


def test_indicator_no_data_unknown_name_and_unrecognised_region(tmp_path: Path) -> None:
    path = filled_book(tmp_path)
    contracts = _region(path, "合同台账")
    assert (
        LYUE_INDICATOR("合同履约率", contracts, None, None, "2024-01-01", "2024-12-31", AS_OF)
        == "无数据"
    )
    assert LYUE_INDICATOR("利润率", contracts).startswith("未知指标“利润率”（可用：合同履约率")
    assert LYUE_INDICATOR("合同履约率", [["甲", "乙"], [1, 2]]).startswith("区域1无法识别")
    assert "晚于" in LYUE_INDICATOR("合同履约率", contracts, None, None, "2025-12-01", "2025-01-01")
    assert LYUE_INDICATOR("合同履约率", contracts, contracts) == (
        "区域2与前面的区域都是「合同台账」，请只给一次"
    )


def test_indicator_is_cached_per_input_and_follows_changes(tmp_path: Path, monkeypatch) -> None:
    path = filled_book(tmp_path)
    contracts = _region(path, "合同台账")
    calls = []
    compute = udfs._compute_indicators

    def counting(*args: object) -> dict[str, object]:
        calls.append(1)
        return compute(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(udfs, "_compute_indicators", counting)
    udfs._indicator_cache.clear()
    first = LYUE_INDICATOR("合同履约率", contracts, as_of=AS_OF)
    LYUE_INDICATOR("按时交付率", contracts, as_of=AS_OF)  # same ranges: no new computation
    assert len(calls) == 1
    status = next(i for i, label in enumerate(contracts[0]) if label == "履行状态")
    contracts[2][status] = "已履行"  # HT-2 (row 4) delivered and fulfilled
    delivered = next(i for i, label in enumerate(contracts[0]) if label == "实际交付日期")
    contracts[2][delivered] = datetime(2025, 6, 30)
    second = LYUE_INDICATOR("合同履约率", contracts, as_of=AS_OF)
    assert len(calls) == 2
    assert (first, second) == (pytest.approx(0.5), pytest.approx(1.0))


def test_worksheet_functions_carry_chinese_docs() -> None:
    for func in (
        LYUE_AMOUNT,
        LYUE_DATE,
        LYUE_DAYS_LEFT,
        LYUE_INDICATOR,
        LYUE_RISK_LEVEL,
        LYUE_SUPPLIER_GRADE,
    ):
        doc = func.__doc__ or ""
        assert doc and len(doc) <= 255 and any("\u4e00" <= ch <= "\u9fff" for ch in doc)


def test_a_cell_never_shows_a_library_error_in_english() -> None:
    def broken(value: object) -> object:
        return {"a": 1}[str(value)]  # KeyError: 'x'

    safe = udfs._safe(broken)
    assert safe("x") == udfs.CELL_ERROR
    assert udfs.CELL_ERROR.startswith("计算出错：") and not any(
        c.isascii() and c.isalpha() for c in udfs.CELL_ERROR
    )
    assert (
        udfs.cell_error(ValueError("could not convert string to float: 'abc'")) == udfs.CELL_ERROR
    )
    assert (
        udfs.cell_error(ValueError("按时交付率应为 0–100% 的比例"))
        == "计算出错：按时交付率应为 0–100% 的比例"
    )
