"""The reporting period S..E and the as-of date T (DESIGN §3)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

import pandas as pd

from lyue_xl import parsing
from lyue_xl.errors import LyueError


@dataclass(frozen=True)
class Period:
    start: date  # S
    end: date  # E
    as_of: date  # T
    # True when S was left to its default (neither --from nor 设置 统计开始日期): supplier grading
    # then looks back a rolling number of months instead (grading.grading_window)
    start_defaulted: bool = field(default=False, compare=False)

    @property
    def window_end(self) -> date:
        """min(E, T): nothing after T has happened yet."""
        return min(self.end, self.as_of)

    @cached_property
    def s(self) -> pd.Timestamp:
        return pd.Timestamp(self.start)

    @cached_property
    def w(self) -> pd.Timestamp:
        return pd.Timestamp(self.window_end)

    @cached_property
    def t(self) -> pd.Timestamp:
        return pd.Timestamp(self.as_of)

    def label(self) -> str:
        return f"{self.start.isoformat()} 至 {self.end.isoformat()}（基准日期 {self.as_of.isoformat()}）"

    def as_json(self) -> dict[str, str]:
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "as_of": self.as_of.isoformat(),
        }


def parse_flag_date(text: str | None, flag: str) -> date | None:
    """A date given on the command line; a bad one is something the user must fix (exit 2)."""
    if text is None or text == "":
        return None
    try:
        return parsing.parse_date(text)
    except ValueError:
        raise LyueError(
            f"参数 {flag} 的值“{text}”不是有效日期；请写成 2025-07-20 的格式。"
        ) from None


def resolve_period(
    settings: dict[str, object],
    start: date | None = None,
    end: date | None = None,
    as_of: date | None = None,
    today: date | None = None,
) -> Period:
    """Flags first, then the 设置 sheet, then the defaults: T = today, E = T, S = 1 Jan of min(E, T)."""
    from_flags = start is not None or end is not None
    t = as_of or _as_date(settings.get("as_of")) or today or date.today()
    given = start if from_flags else _as_date(settings.get("period_from"))
    e = (end if from_flags else _as_date(settings.get("period_to"))) or t
    s = given or date(min(e, t).year, 1, 1)
    if s > e:
        raise LyueError(
            f"统计开始日期 {s.isoformat()} 晚于统计结束日期 {e.isoformat()}；请改正命令参数或「设置」表。"
        )
    return Period(s, e, t, start_defaulted=given is None)


def _as_date(value: object) -> date | None:
    return value if isinstance(value, date) else None


def soon_days(settings: dict[str, object]) -> int:
    value = settings.get("soon_days")
    return int(value) if isinstance(value, int | float) and value >= 0 else 7


def credit_valid_months(settings: dict[str, object]) -> int:
    value = settings.get("credit_valid_months")
    return int(value) if isinstance(value, int | float) and value > 0 else 12


def supplier_months(settings: dict[str, object]) -> int:
    """设置 供应商评价月数: how many months back supplier grading looks when S is defaulted."""
    value = settings.get("supplier_months")
    return int(value) if isinstance(value, int | float) and value >= 1 else 12


def supplier_min_deliveries(settings: dict[str, object]) -> int:
    """设置 供应商评级最少交付次数: fewer judged deliveries than this → 未评 (样本不足)."""
    value = settings.get("supplier_min_deliveries")
    return int(value) if isinstance(value, int | float) and value >= 1 else 3
