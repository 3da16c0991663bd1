"""The period S..E and the as-of date T (DESIGN §3): flags, then 设置, then the defaults."""

from __future__ import annotations

from datetime import date

import pytest

from lyue_xl.errors import LyueError
from lyue_xl.period import (
    Period,
    credit_valid_months,
    parse_flag_date,
    resolve_period,
    soon_days,
)

D = date


def test_defaults_t_today_e_t_s_first_of_january() -> None:
    p = resolve_period({}, today=D(2025, 6, 30))
    assert (p.start, p.end, p.as_of) == (D(2025, 1, 1), D(2025, 6, 30), D(2025, 6, 30))
    p = resolve_period({}, today=D(2025, 1, 1))
    assert (p.start, p.end, p.as_of) == (D(2025, 1, 1), D(2025, 1, 1), D(2025, 1, 1))  # S = E


def test_only_to_takes_the_year_of_min_e_t() -> None:
    # --to after T: S is 1 Jan of T's year, not of E's
    p = resolve_period({}, end=D(2026, 3, 31), as_of=D(2025, 12, 31))
    assert (p.start, p.end, p.as_of) == (D(2025, 1, 1), D(2026, 3, 31), D(2025, 12, 31))
    # --to before T: 1 Jan of E's year
    p = resolve_period({}, end=D(2024, 12, 31), as_of=D(2025, 3, 1))
    assert (p.start, p.end) == (D(2024, 1, 1), D(2024, 12, 31))
    # the same from the 设置 sheet
    p = resolve_period({"period_to": D(2026, 3, 31), "as_of": D(2025, 12, 31)})
    assert (p.start, p.end, p.as_of) == (D(2025, 1, 1), D(2026, 3, 31), D(2025, 12, 31))
    p = resolve_period({"period_to": D(2024, 12, 31), "as_of": D(2025, 3, 1)})
    assert (p.start, p.end) == (D(2024, 1, 1), D(2024, 12, 31))


def test_flags_win_over_the_settings_sheet() -> None:
    settings = {"period_from": D(2024, 1, 1), "period_to": D(2024, 6, 30), "as_of": D(2024, 7, 1)}
    # a --from flag sets the period aside from 设置: E falls back to T (2024-07-01), before S
    with pytest.raises(LyueError, match="晚于统计结束日期 2024-07-01"):
        resolve_period(settings, start=D(2025, 2, 1))
    p = resolve_period(settings, start=D(2024, 2, 1), as_of=D(2024, 8, 1))
    assert (p.start, p.end, p.as_of) == (D(2024, 2, 1), D(2024, 8, 1), D(2024, 8, 1))
    p = resolve_period(settings)
    assert (p.start, p.end, p.as_of) == (D(2024, 1, 1), D(2024, 6, 30), D(2024, 7, 1))
    p = resolve_period({"as_of": D(2024, 7, 1)}, as_of=D(2025, 5, 5), today=D(2030, 1, 1))
    assert p.as_of == D(2025, 5, 5)
    p = resolve_period({"as_of": D(2024, 7, 1)}, today=D(2030, 1, 1))
    assert (p.start, p.as_of) == (D(2024, 1, 1), D(2024, 7, 1))
    p = resolve_period({"as_of": "2024-07-01"}, today=D(2030, 1, 1))  # not a date: ignored
    assert p.as_of == D(2030, 1, 1)


def test_start_after_end_is_refused_and_equal_is_one_day() -> None:
    with pytest.raises(LyueError, match="统计开始日期 2025-07-01 晚于统计结束日期 2025-06-30"):
        resolve_period({}, start=D(2025, 7, 1), end=D(2025, 6, 30))
    with pytest.raises(LyueError, match="晚于"):
        resolve_period({"period_from": D(2025, 7, 1), "period_to": D(2025, 6, 30)})
    p = resolve_period({}, start=D(2025, 6, 30), end=D(2025, 6, 30), as_of=D(2025, 6, 30))
    assert p.start == p.end == p.window_end


def test_window_end_and_text() -> None:
    p = Period(D(2025, 1, 1), D(2025, 12, 31), D(2025, 6, 30))
    assert p.window_end == D(2025, 6, 30)
    assert Period(D(2025, 1, 1), D(2025, 3, 31), D(2025, 6, 30)).window_end == D(2025, 3, 31)
    assert str(p.s.date()) == "2025-01-01" and str(p.w.date()) == "2025-06-30"
    assert str(p.t.date()) == "2025-06-30"
    assert p.label() == "2025-01-01 至 2025-12-31（基准日期 2025-06-30）"
    assert p.as_json() == {"from": "2025-01-01", "to": "2025-12-31", "as_of": "2025-06-30"}


def test_flag_dates() -> None:
    assert parse_flag_date(None, "--as-of") is None
    assert parse_flag_date("", "--as-of") is None
    assert parse_flag_date("2025/7/20", "--as-of") == D(2025, 7, 20)
    with pytest.raises(LyueError, match="参数 --from 的值“明天”不是有效日期"):
        parse_flag_date("明天", "--from")


def test_warning_settings_and_their_defaults() -> None:
    assert soon_days({}) == 7
    assert soon_days({"soon_days": None}) == 7
    assert soon_days({"soon_days": 0}) == 0
    assert soon_days({"soon_days": 1}) == 1
    assert soon_days({"soon_days": -1}) == 7
    assert soon_days({"soon_days": 3.0}) == 3
    assert soon_days({"soon_days": "3"}) == 7
    assert credit_valid_months({}) == 12
    assert credit_valid_months({"credit_valid_months": 0}) == 12
    assert credit_valid_months({"credit_valid_months": 1}) == 1
    assert credit_valid_months({"credit_valid_months": 6.0}) == 6
    assert credit_valid_months({"credit_valid_months": "6"}) == 12
