"""The date-window predicates of DESIGN §3 and §4, written once: pandas masks, no I/O.

- in the period: S ≤ date ≤ min(E, T) (a blank date is not);
- happened: the date is filled in and not after T (an event after T has not happened yet);
- known: not after T, a blank counts (a record dated after T did not exist yet as of T);
- due soon: T ≤ date ≤ T + N, both ends included;
- overdue: date < T (a blank date is never overdue).
"""

from __future__ import annotations

import pandas as pd

from lyue_xl import definitions
from lyue_xl.period import Period


def in_period(dates: pd.Series, period: Period) -> pd.Series:
    return (dates >= period.s) & (dates <= period.w)


def happened(dates: pd.Series, period: Period) -> pd.Series:
    """A date that is filled in and not after T."""
    return dates.notna() & (dates <= period.t)


def not_happened(dates: pd.Series, period: Period) -> pd.Series:
    """Blank, or after T: not done as of T."""
    return ~happened(dates, period)


def known(dates: pd.Series, period: Period) -> pd.Series:
    """Not after T; a blank date counts as known."""
    return ~(dates > period.t)


def happened_by(dates: pd.Series, limit: pd.Series, period: Period) -> pd.Series:
    """Happened as of T and not later than ``limit`` (e.g. closed by its 计划完成日期)."""
    return happened(dates, period) & (dates <= limit)


def horizon(period: Period, soon_days: int) -> pd.Timestamp:
    """T + N."""
    return period.t + pd.Timedelta(days=soon_days)


def due_soon(dates: pd.Series, period: Period, soon_days: int) -> pd.Series:
    """Due in [T, T + N], both ends included."""
    return (dates >= period.t) & (dates <= horizon(period, soon_days))


def overdue(dates: pd.Series, period: Period) -> pd.Series:
    """Due before T."""
    return dates < period.t


def released(contracts: pd.DataFrame) -> pd.Series:
    """Contracts 协商解除 (out of every contract and milestone rule)."""
    return contracts["state"] == definitions.RELEASED


def objective_applies(years: pd.Series, period: Period) -> pd.Series:
    """履约目标 rows whose 适用年度 is blank or a year the period's window touches."""
    first, last = definitions.objective_years(period.start, period.end, period.as_of)
    return years.isna() | ((years >= first) & (years <= last))
