"""Which 履约目标 belong to a period: one rule for the dashboard (达成情况) and 体系自评 10.2.

The window is [S, min(E, T)] (DESIGN §3): an objective applies when 适用年度 is blank or a year
that window touches. The bug this guards against: period 2025-01-01..2026-03-31 with T
2025-12-31 — the dashboard said 非本期 for 适用年度 2025 (it compared with E's year) while the
self-assessment judged it.
"""

from __future__ import annotations

import functools
import tempfile
from datetime import date
from pathlib import Path

import pytest

from helpers import make_book, put_rows
from lyue_xl.assessment.rules import applicable_objectives
from lyue_xl.definitions import objective_applies
from lyue_xl.engine import analyse_records
from lyue_xl.workbook.reader import Records, read_records

YEARS = {"M-2024": 2024, "M-2025": 2025, "M-2026": 2026, "M-BLANK": None}


@pytest.fixture(scope="module")
def records() -> Records:
    return _records()


@functools.cache
def _records() -> Records:
    """Read once per process (tools/mutate.py forks its mutants from a process that has it)."""
    book = make_book(Path(tempfile.mkdtemp(prefix="objective-period-")))
    put_rows(
        book,
        "合同台账",
        [
            {
                "合同编号": f"HT-{n}",
                "合同名称": f"合同{n}",
                "合同性质": "收入性",
                "签订日期": date(2025, 1, 2),
                "评审日期": date(2025, 1, 1),
                "计划交付日期": date(2025, 6, 30),
                "实际交付日期": date(2025, 6, 1) if n < 2 else None,
                "履行状态": "已履行" if n < 2 else "履行中",
            }
            for n in range(3)
        ],
    )
    put_rows(
        book,
        "履约目标",
        [
            {
                "目标编号": no,
                "指标": "合同履约率",
                "目标值": "60%",
                "比较方式": "不低于",
                "适用年度": year,
            }
            for no, year in YEARS.items()
        ],
    )
    return read_records(book)


def _dashboard(records: Records, start: date, end: date, as_of: date) -> dict[str, str]:
    analysis = analyse_records(records, start, end, as_of)
    o = analysis.objectives
    return dict(zip(o["objective_no"], o["achieved"], strict=True))


def _assessed(records: Records, start: date, end: date, as_of: date) -> set[str]:
    analysis = analyse_records(records, start, end, as_of)
    return set(applicable_objectives(records, analysis.period)["objective_no"])


def test_as_of_before_the_period_end_uses_the_years_up_to_t(records: Records) -> None:
    s, e, t = date(2025, 1, 1), date(2026, 3, 31), date(2025, 12, 31)
    # 2 of 3 contracts fulfilled: 66.7% meets 60%
    assert _dashboard(records, s, e, t) == {
        "M-2024": "非本期",
        "M-2025": "达成",
        "M-2026": "非本期",
        "M-BLANK": "达成",
    }
    assert _assessed(records, s, e, t) == {"M-2025", "M-BLANK"}


def test_a_window_over_two_years_takes_both(records: Records) -> None:
    s, e, t = date(2025, 1, 1), date(2026, 3, 31), date(2026, 1, 1)
    assert _dashboard(records, s, e, t) == {
        "M-2024": "非本期",
        "M-2025": "达成",
        "M-2026": "达成",
        "M-BLANK": "达成",
    }
    assert _assessed(records, s, e, t) == {"M-2025", "M-2026", "M-BLANK"}


def test_the_last_day_of_the_year_and_the_first_of_the_next(records: Records) -> None:
    s = date(2024, 12, 31)
    assert _assessed(records, s, date(2024, 12, 31), date(2025, 6, 30)) == {"M-2024", "M-BLANK"}
    assert _assessed(records, s, date(2025, 1, 1), date(2025, 6, 30)) == {
        "M-2024",
        "M-2025",
        "M-BLANK",
    }
    got = _dashboard(records, s, date(2024, 12, 31), date(2025, 6, 30))
    assert got["M-2024"] == "无数据" and got["M-2025"] == "非本期"  # nothing due 2024-12-31


def test_a_window_not_begun_by_t_is_the_year_of_s(records: Records) -> None:
    s, e, t = date(2026, 1, 1), date(2026, 12, 31), date(2025, 12, 31)
    assert _dashboard(records, s, e, t) == {
        "M-2024": "非本期",
        "M-2025": "非本期",
        "M-2026": "无数据",
        "M-BLANK": "无数据",
    }
    assert _assessed(records, s, e, t) == {"M-2026", "M-BLANK"}


def test_the_rule_itself() -> None:
    s, e, t = date(2025, 1, 1), date(2026, 3, 31), date(2025, 12, 31)
    assert objective_applies(None, s, e, t)
    assert objective_applies(2025, s, e, t)
    assert not objective_applies(2026, s, e, t)
    assert not objective_applies(2024, s, e, t)
    assert objective_applies(2026, s, e, date(2026, 1, 1))
    assert not objective_applies(2027, s, e, date(2027, 1, 1))  # E caps the window
