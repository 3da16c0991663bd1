"""Tolerant parsers: what a 履约管理员 types comes back as the date or number they meant."""

from __future__ import annotations

import calendar
import math
from datetime import date, datetime, timedelta

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from lyue_xl.parsing import (
    display_width,
    excel_serial_to_date,
    normalize_text,
    parse_amount,
    parse_date,
    parse_integer,
    parse_percent_or_number,
    parse_yes_no,
)

FULL_WIDTH = str.maketrans("0123456789.-,/", "０１２３４５６７８９．－，／")

# Excel serials are exact from 1900-03-01 on (before it, Excel's phantom 1900-02-29 shifts them)
real_dates = st.dates(min_value=date(1900, 3, 1), max_value=date(9999, 12, 31))


def text_forms(d: date) -> list[str]:
    y, m, dd = d.year, d.month, d.day
    return [
        f"{y}-{m:02d}-{dd:02d}",
        f"{y}-{m}-{dd}",
        f"{y}/{m}/{dd}",
        f"{y}/{m:02d}/{dd:02d}",
        f"{y}.{m}.{dd}",
        f"{y}年{m}月{dd}日",
        f"{y}年{m:02d}月{dd:02d}日",
        f" {y}-{m:02d}-{dd:02d} ",
        f"{y}-{m:02d}-{dd:02d} 00:00:00",
        f"{y}/{m}/{dd} 13:45",
        f"{y}{m:02d}{dd:02d}",
        f"{y}-{m:02d}-{dd:02d}".translate(FULL_WIDTH),
        f"{y}年 {m} 月 {dd} 日",
    ]


@given(real_dates)
@example(date(2025, 7, 20))
@example(date(2024, 2, 29))
@example(date(1900, 3, 1))
def test_every_real_date_in_every_text_form_parses_back(d: date) -> None:
    for text in text_forms(d):
        assert parse_date(text) == d, text


@given(real_dates, st.integers(0, 86_399))
def test_excel_dates_serials_and_datetimes_parse_back(d: date, seconds: int) -> None:
    serial = (d - date(1899, 12, 30)).days
    assert parse_date(serial) == d
    assert parse_date(float(serial)) == d
    assert parse_date(serial + seconds / 86_400) == d  # a date-time serial is truncated
    if 10_000 <= serial <= 99_999:  # a serial typed as text, e.g. from a CSV export
        assert parse_date(str(serial)) == d
        assert parse_date(f"{serial}.5") == d
    assert parse_date(d) == d
    assert parse_date(datetime.combine(d, datetime.min.time()) + timedelta(seconds=seconds)) == d


@pytest.mark.parametrize(
    "text",
    [
        "2025/13/01",
        "2025-02-30",
        "2023年2月29日",
        "2025.4.31",
        "2025-00-10",
        "2025-01-00",
        "2025-1-32",
    ],
)
def test_impossible_dates_raise(text: str) -> None:
    with pytest.raises(ValueError, match="不是真实存在的日期"):
        parse_date(text)


@given(
    st.integers(1900, 2199),
    st.integers(1, 12),
    st.integers(1, 40),
    st.sampled_from(["{y}-{m}-{d}", "{y}/{m}/{d}", "{y}.{m}.{d}", "{y}年{m}月{d}日"]),
)
def test_day_past_month_end_raises(y: int, m: int, d: int, form: str) -> None:
    text = form.format(y=y, m=m, d=d)
    if d <= calendar.monthrange(y, m)[1]:
        assert parse_date(text) == date(y, m, d)
    else:
        with pytest.raises(ValueError):
            parse_date(text)


@pytest.mark.parametrize(
    "text", ["明年", "2025年", "七月二十日", "2025-07", "abc", "20.25", "2025", "123456"]
)
def test_text_that_is_not_a_date_raises(text: str) -> None:
    with pytest.raises(ValueError):
        parse_date(text)


@pytest.mark.parametrize("value", [None, "", "   ", float("nan")])
def test_blank_date_is_none(value: object) -> None:
    assert parse_date(value) is None


def test_serial_out_of_excel_range_and_bool_raise() -> None:
    for value in (0, -5, 3_000_000, True):
        with pytest.raises(ValueError):
            parse_date(value)


cents = st.integers(min_value=0, max_value=10**13)


@given(cents, st.booleans())
@example(123450, False)
@example(0, True)
def test_amounts_in_every_written_form_parse_back(c: int, negative: bool) -> None:
    value = c / 100
    sign = "-" if negative and c else ""
    expected = -value if sign else value
    forms = [
        f"{sign}{value:.2f}",
        f"{sign}{value:,.2f}",
        f"{sign}{value:,.2f}元",
        f"{sign}{value:.2f} 元",
        f"¥{sign}{value:,.2f}",
        f"￥{sign}{value:,.2f}",
        f"{sign}{value:,.2f}".translate(FULL_WIDTH),
        f"{sign}{value:,.2f}元".translate(FULL_WIDTH),
        f"人民币{sign}{value:.2f}元整",
    ]
    for text in forms:
        assert parse_amount(text) == expected, text
    assert parse_amount(value) == value
    assert parse_amount(c) == float(c)


@given(st.integers(min_value=0, max_value=10**10), st.integers(0, 4))
@example(12, 0)
def test_wan_and_yi_units(n: int, decimals: int) -> None:
    number = n / 10**decimals
    text = f"{number:.{decimals}f}"
    assert math.isclose(parse_amount(f"{text}万"), number * 10_000, rel_tol=1e-12)  # type: ignore[arg-type]
    assert math.isclose(parse_amount(f"{text}万元"), number * 10_000, rel_tol=1e-12)  # type: ignore[arg-type]
    assert math.isclose(parse_amount(f"{text}亿"), number * 1e8, rel_tol=1e-12)  # type: ignore[arg-type]


def test_amount_examples_from_the_design() -> None:
    assert parse_amount("1,234.5") == 1234.5
    assert parse_amount("1234.5元") == 1234.5
    assert parse_amount("12万") == 120_000
    assert parse_amount("１２万") == 120_000


@pytest.mark.parametrize("text", ["十二万", "1.2.3", "abc", "12万万", "1,2x", "--5", "%"])
def test_text_that_is_not_a_number_raises(text: str) -> None:
    with pytest.raises(ValueError):
        parse_amount(text)


def test_amount_blank_nan_inf_and_bool() -> None:
    assert parse_amount(None) is None
    assert parse_amount("") is None
    assert parse_amount("元") is None
    assert parse_amount(float("nan")) is None
    for value in (float("inf"), True):
        with pytest.raises(ValueError):
            parse_amount(value)


@given(st.integers(0, 10_000))
def test_percent_text_is_a_fraction(n: int) -> None:
    value, had = parse_percent_or_number(f"{n}%")
    assert had and value is not None and math.isclose(value, n / 100)
    value, had = parse_percent_or_number(f"{n}％")  # full-width percent sign
    assert had and value is not None and math.isclose(value, n / 100)
    assert parse_percent_or_number(float(n)) == (float(n), False)


def test_integer_yes_no_and_text() -> None:
    assert parse_integer("3") == 3
    assert parse_integer(5.0) == 5
    with pytest.raises(ValueError, match="整数"):
        parse_integer(2.5)
    assert parse_yes_no("是") is True
    assert parse_yes_no("否") is False
    assert parse_yes_no("") is False  # blank reads 否
    assert parse_yes_no(" 是 ") is True
    with pytest.raises(ValueError):
        parse_yes_no("也许")
    assert normalize_text(12.0) == "12"
    assert normalize_text(float("nan")) == ""
    assert normalize_text(datetime(2025, 7, 20)) == "2025-07-20"


def test_serial_range_ends() -> None:
    assert excel_serial_to_date(1) == date(1899, 12, 31)
    assert excel_serial_to_date(45000) == date(2023, 3, 15)
    assert excel_serial_to_date(2958465) == date(9999, 12, 31)
    for serial in (0, 0.999, 2958466):
        with pytest.raises(ValueError, match="超出"):
            excel_serial_to_date(serial)
    assert parse_date(45000.75) == date(2023, 3, 15)  # the time of day is dropped
    assert parse_date("45000") == date(2023, 3, 15)


def test_text_of_cells_of_every_kind() -> None:
    assert normalize_text(None) == ""
    assert normalize_text(True) == "是" and normalize_text(False) == "否"
    assert normalize_text(3.5) == "3.5"
    assert normalize_text(7) == "7"
    assert normalize_text(datetime(2025, 7, 20, 8, 30)) == "2025-07-20 08:30:00"
    assert normalize_text(date(2025, 7, 20)) == "2025-07-20"
    assert normalize_text("  甲  ") == "甲"


def test_yes_no_integer_and_percent_edges() -> None:
    assert parse_yes_no(None) is False
    assert parse_yes_no(True) is True and parse_yes_no(False) is False
    assert parse_yes_no("y") is True and parse_yes_no("N") is False
    assert parse_yes_no("√") is True and parse_yes_no("×") is False
    assert parse_integer(None) is None and parse_integer("") is None
    assert parse_integer("-4") == -4
    assert parse_percent_or_number("98") == (98.0, False)
    assert parse_percent_or_number(0.5) == (0.5, False)
    assert parse_percent_or_number("%") == (None, True)
    assert parse_percent_or_number("１００％") == (1.0, True)
    assert parse_amount("-3") == -3.0 and parse_amount("+3") == 3.0
    assert parse_amount("1.5万") == 15_000.0 and parse_amount("2亿") == 200_000_000.0
    assert parse_amount(7) == 7.0 and type(parse_amount(7)) is float


def test_display_width_counts_wide_characters_twice() -> None:
    assert display_width("") == 0
    assert display_width("合同A") == 5
    assert display_width("ＡＢ") == 4  # full-width letters
    assert display_width("ab") == 2
