"""What the engine's rules are made of, declared once (DESIGN §3): no pandas, no I/O.

The indicator table (key, name, unit, how it is weighted, whether it is charted by month, the
record sheets it reads), the contract state that takes a contract out of every contract and
milestone rule (协商解除), the risk bands and the rule saying which 履约目标 belong to a period.
schema, indicators, results, udfs, grading, alerts and the self-assessment read them from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

RATE, SCORE, TIMES, ITEMS, YUAN = "比率", "分", "次", "项", "元"


@dataclass(frozen=True)
class IndicatorDef:
    key: str
    name: str
    unit: str
    sheets: tuple[str, ...]  # the record sheets (Sheet.key) it reads
    amount_weighted: bool = False  # a rate of sums of 元, not of numbers of records
    trend: bool = False  # charted month by month in the documents
    literal: str = ""  # for a non-rate: what its 目标值 counts (a % there is a `check` error)

    @property
    def rate(self) -> bool:
        return self.unit == RATE

    @property
    def in_yuan(self) -> bool:
        """Numerator and denominator are amounts of 元 (shown as money)."""
        return self.amount_weighted or self.unit == YUAN


# in the order of DESIGN §3
INDICATORS: tuple[IndicatorDef, ...] = (
    IndicatorDef("fulfillment_rate", "合同履约率", RATE, ("contracts",), trend=True),
    IndicatorDef(
        "fulfillment_rate_amount", "合同履约率（金额）", RATE, ("contracts",), amount_weighted=True
    ),
    IndicatorDef("on_time_delivery_rate", "按时交付率", RATE, ("contracts",), trend=True),
    IndicatorDef("quality_pass_rate", "质量达标率", RATE, ("contracts",), trend=True),
    IndicatorDef("customer_satisfaction", "客户满意度", SCORE, ("contracts",), literal="分数"),
    IndicatorDef("breach_count", "违约次数", TIMES, ("issues",), literal="次数"),
    IndicatorDef(
        "collection_rate", "回款率", RATE, ("payments",), amount_weighted=True, trend=True
    ),
    IndicatorDef("overdue_receivable", "逾期应收金额", YUAN, ("payments",), literal="金额（元）"),
    IndicatorDef("milestone_on_time_rate", "节点按时完成率", RATE, ("milestones", "contracts")),
    IndicatorDef("supplier_on_time_rate", "供方按时交付率", RATE, ("contracts",)),
    IndicatorDef("issue_closure_rate", "问题按期关闭率", RATE, ("issues",)),
    IndicatorDef("commitment_fulfillment_rate", "承诺兑现率", RATE, ("commitments",)),
    IndicatorDef("open_high_risks", "未关闭高风险数", ITEMS, ("risks",), literal="个数"),
)
INDICATOR_BY_KEY: dict[str, IndicatorDef] = {i.key: i for i in INDICATORS}

# 履行状态 of a contract taken out of every contract and milestone indicator and warning
# (DESIGN §3); its payments and problems are kept
RELEASED = "协商解除"

# 风险值 = 可能性 × 影响程度: 高 ≥ 15, 中 8–14, 低 ≤ 7 (DESIGN §3)
HIGH_RISK = 15
MEDIUM_RISK = 8


def risk_band(value: float | None) -> str:
    """高, 中 or 低 for a 风险值; blank when it is unknown."""
    if value is None or value != value:  # NaN
        return ""
    if value >= HIGH_RISK:
        return "高"
    if value >= MEDIUM_RISK:
        return "中"
    return "低"


def objective_years(start: date, end: date, as_of: date) -> tuple[int, int]:
    """The 适用年度 that belong to the period: the years its window [S, min(E, T)] touches.

    A window that has not begun by T (T < S) is the year of S, so its objectives are
    evaluated (无数据) rather than set aside as 非本期.
    """
    window_end = max(start, min(end, as_of))
    return start.year, window_end.year


def objective_applies(year: int | None, start: date, end: date, as_of: date) -> bool:
    """A 履约目标 row belongs to the period when 适用年度 is blank or a year its window touches."""
    if year is None:
        return True
    first, last = objective_years(start, end, as_of)
    return first <= year <= last
