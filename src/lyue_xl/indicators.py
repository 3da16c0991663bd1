"""The indicators of DESIGN §3: pure pandas over the records, no I/O.

Every window is [S, min(E, T)]; an event dated after T has not happened yet. 协商解除 contracts
and their milestones are left out of every contract and milestone indicator.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from lyue_xl import definitions, windows
from lyue_xl.definitions import INDICATORS, ITEMS, RATE, SCORE, TIMES, YUAN
from lyue_xl.period import Period
from lyue_xl.windows import happened
from lyue_xl.workbook.reader import Records

# rates whose numerator and denominator are sums of 元, not numbers of records
AMOUNT_WEIGHTED = frozenset(i.key for i in INDICATORS if i.amount_weighted)


def _whole(number: float | None) -> int | None:
    return None if number is None else round(number)


@dataclass(frozen=True)
class Indicator:
    key: str
    name: str
    value: float | None
    numerator: float | None
    denominator: float | None
    unit: str

    def as_json(self) -> dict[str, object]:
        """DESIGN §5's shape; a number of records is an integer (2, not 2.0)."""
        counted = self.unit in (TIMES, ITEMS)
        counts_both = self.key not in AMOUNT_WEIGHTED and self.unit == RATE
        return {
            "key": self.key,
            "name": self.name,
            "value": _whole(self.value) if counted else self.value,
            "numerator": _whole(self.numerator) if counted or counts_both else self.numerator,
            "denominator": _whole(self.denominator)
            if counts_both or self.unit == SCORE
            else self.denominator,
            "unit": self.unit,
        }

    @property
    def display(self) -> str:
        return format_value(self.value, self.unit)


def format_value(value: float | None, unit: str) -> str:
    """How a value is shown to people: 95.0%, 91.5 分, 2 次, 12,345.00 元, 无数据."""
    if value is None or pd.isna(value):
        return "无数据"
    if unit == RATE:
        return f"{value * 100:.1f}%"
    if unit == SCORE:
        return f"{value:.1f} 分"
    if unit == YUAN:
        return f"{value:,.2f} 元"
    return f"{value:g} {unit}"


# key, name, unit — in the order of DESIGN §3 (declared in definitions.INDICATORS)
DEFINITIONS: tuple[tuple[str, str, str], ...] = tuple((i.key, i.name, i.unit) for i in INDICATORS)
NAME_OF = {key: name for key, name, _ in DEFINITIONS}
UNIT_OF = {key: unit for key, _, unit in DEFINITIONS}
KEY_OF_NAME = {name: key for key, name, _ in DEFINITIONS}

UNFULFILLED_REASONS = {
    "未履行-本方违约": "本方违约",
    "未履行-对方违约": "对方违约",
    "未履行-不可抗力": "不可抗力",
    "未履行-争议中止": "争议中止",
}


# --- masks ------------------------------------------------------------------------------------


def contract_state(contracts: pd.DataFrame) -> pd.Series:
    """履行状态 with a blank read as 履行中."""
    return contracts["state"].where(contracts["state"] != "", "履行中")


def active_contracts(contracts: pd.DataFrame) -> pd.DataFrame:
    """Contracts that count for contract indicators and warnings (not 协商解除).

    The frame itself when none is 协商解除 (the usual case): copying every column of a large
    contract list again for each indicator and warning was a good part of their time."""
    counted = ~windows.released(contracts)
    return contracts if counted.all() else contracts[counted]


def due_contracts(contracts: pd.DataFrame, period: Period, nature: str | None) -> pd.DataFrame:
    """应当履行: contracts whose 计划交付日期 is due in the period (not 协商解除)."""
    c = active_contracts(contracts)
    mask = windows.in_period(c["planned_delivery"], period)
    if nature is not None:
        mask &= c["nature"] == nature
    return c[mask]


def fulfilled_mask(c: pd.DataFrame, period: Period) -> pd.Series:
    """实际履行: 已履行 with an 实际交付日期 not after T."""
    return (c["state"] == "已履行") & happened(c["actual_delivery"], period)


def on_time_mask(c: pd.DataFrame, period: Period) -> pd.Series:
    return windows.happened_by(c["actual_delivery"], c["planned_delivery"], period)


def received_as_of(payments: pd.DataFrame, period: Period) -> pd.Series:
    """实收付金额 when its 实收付日期 is filled and not after T, else 0."""
    paid = payments["paid_amount"].fillna(0.0)
    return paid.where(happened(payments["paid_on"], period), 0.0)


def _ratio(numerator: float, denominator: float) -> float | None:
    return None if denominator == 0 else numerator / denominator


def _share(mask_all: pd.Series, mask_hit: pd.Series) -> tuple[float | None, float, float]:
    den = float(mask_all.sum())
    num = float((mask_all & mask_hit).sum())
    return _ratio(num, den), num, den


# --- the indicators ----------------------------------------------------------------------------

Computed = tuple[float | None, float | None, float | None]


def _fulfillment(r: Records, p: Period) -> Computed:
    due = due_contracts(r["contracts"], p, "收入性")
    num = float(fulfilled_mask(due, p).sum())
    return _ratio(num, len(due)), num, float(len(due))


def _fulfillment_amount(r: Records, p: Period) -> Computed:
    due = due_contracts(r["contracts"], p, "收入性")
    amount = due["amount"].fillna(0.0)
    num = float(amount[fulfilled_mask(due, p)].sum())
    den = float(amount.sum())
    return _ratio(num, den), num, den


def _on_time(r: Records, p: Period) -> Computed:
    due = due_contracts(r["contracts"], p, "收入性")
    num = float(on_time_mask(due, p).sum())
    return _ratio(num, len(due)), num, float(len(due))


def _delivered_in_period(r: Records, p: Period, nature: str) -> pd.DataFrame:
    c = active_contracts(r["contracts"])
    return c[(c["nature"] == nature) & windows.in_period(c["actual_delivery"], p)]


def _quality(r: Records, p: Period) -> Computed:
    done = _delivered_in_period(r, p, "收入性")
    judged = done["acceptance"].isin(("合格", "不合格"))
    passed = done["acceptance"] == "合格"
    return _share(judged, passed)


def _satisfaction(r: Records, p: Period) -> Computed:
    scores = _delivered_in_period(r, p, "收入性")["satisfaction"].dropna()
    total, count = float(scores.sum()), float(len(scores))
    return _ratio(total, count), total, count


def _breaches(r: Records, p: Period) -> Computed:
    i = r["issues"]
    hit = i["breach"] & (i["breaching_party"] == "本方") & windows.in_period(i["found_on"], p)
    count = float(hit.sum())
    return count, count, None


def _receivables(r: Records) -> pd.DataFrame:
    pay = r["payments"]
    return pay[pay["kind"] == "收款"]


def _collection(r: Records, p: Period) -> Computed:
    pay = _receivables(r)
    pay = pay[windows.in_period(pay["due_on"], p)]
    due = pay["due_amount"].fillna(0.0)
    got = received_as_of(pay, p).clip(upper=due)
    num, den = float(got.sum()), float(due.sum())
    return _ratio(num, den), num, den


def overdue_amounts(payments: pd.DataFrame, period: Period) -> pd.Series:
    """Per 款项 row due before T: the part not yet received/paid (元, ≥ 0)."""
    pay = payments[windows.overdue(payments["due_on"], period)]
    return (pay["due_amount"].fillna(0.0) - received_as_of(pay, period)).clip(lower=0.0)


def _overdue_receivable(r: Records, p: Period) -> Computed:
    total = float(overdue_amounts(_receivables(r), p).sum())
    return total, total, None


def active_milestones(r: Records) -> pd.DataFrame:
    m = r["milestones"]
    released = set(r["contracts"].loc[windows.released(r["contracts"]), "contract_no"])
    return m[~m["contract_no"].isin(released)] if released else m


def _milestones(r: Records, p: Period) -> Computed:
    m = active_milestones(r)
    due = windows.in_period(m["planned"], p)
    done = windows.happened_by(m["actual"], m["planned"], p)
    return _share(due, done)


def _supplier_on_time(r: Records, p: Period) -> Computed:
    due = due_contracts(r["contracts"], p, "支出性")
    num = float(on_time_mask(due, p).sum())
    return _ratio(num, len(due)), num, float(len(due))


def _issue_closure(r: Records, p: Period) -> Computed:
    i = r["issues"]
    due = windows.in_period(i["planned"], p)
    closed = windows.happened_by(i["closed_on"], i["planned"], p)
    return _share(due, closed)


def _commitments(r: Records, p: Period) -> Computed:
    c = r["commitments"]
    return _share(windows.in_period(c["deadline"], p), c["status"] == "已兑现")


def risk_values(risks: pd.DataFrame) -> pd.Series:
    return risks["likelihood"] * risks["impact"]


def risk_level(values: pd.Series) -> pd.Series:
    """高 (≥ 15), 中 (8–14), 低 (≤ 7); blank when the value is unknown."""
    level = pd.Series("", index=values.index, dtype=object)
    level[values.notna()] = "低"
    level[values >= definitions.MEDIUM_RISK] = "中"
    level[values >= definitions.HIGH_RISK] = "高"
    return level


def _open_high_risks(r: Records, p: Period) -> Computed:
    risks = r["risks"]
    hit = (
        (risks["kind"] == "风险")
        & (risk_values(risks) >= definitions.HIGH_RISK)
        & (risks["status"] != "已关闭")
    )
    count = float(hit.sum())
    return count, count, None


COMPUTE: dict[str, Callable[[Records, Period], Computed]] = {
    "fulfillment_rate": _fulfillment,
    "fulfillment_rate_amount": _fulfillment_amount,
    "on_time_delivery_rate": _on_time,
    "quality_pass_rate": _quality,
    "customer_satisfaction": _satisfaction,
    "breach_count": _breaches,
    "collection_rate": _collection,
    "overdue_receivable": _overdue_receivable,
    "milestone_on_time_rate": _milestones,
    "supplier_on_time_rate": _supplier_on_time,
    "issue_closure_rate": _issue_closure,
    "commitment_fulfillment_rate": _commitments,
    "open_high_risks": _open_high_risks,
}


def compute_indicators(records: Records, period: Period) -> list[Indicator]:
    result = []
    for i in INDICATORS:
        value, num, den = COMPUTE[i.key](records, period)
        result.append(Indicator(i.key, i.name, value, num, den, i.unit))
    return result


# --- series and breakdowns for documents and charts --------------------------------------------

TREND_KEYS = tuple(i.key for i in INDICATORS if i.trend)


def _months(period: Period) -> list[str]:
    """'YYYY-MM' of every month the period touches."""
    first = pd.Period(period.start, freq="M")
    last = pd.Period(period.end, freq="M")
    return [str(m) for m in pd.period_range(first, last, freq="M")]


def _by_month(dates: pd.Series, columns: dict[str, pd.Series]) -> pd.DataFrame:
    """Sums of ``columns`` grouped by the month of ``dates`` (index 'YYYY-MM')."""
    frame = pd.DataFrame(columns, index=dates.index)
    frame["month"] = dates.dt.strftime("%Y-%m")
    return frame.groupby("month").sum()


def monthly_series(records: Records, period: Period) -> pd.DataFrame:
    """One row per month of the period: the trend indicators (NaN = 无数据) and contracts due.

    Each month is the period's window cut to that month, so a month's figures are what
    `indicators` would give for it; grouping the period's rows by month computes them all at once.
    """
    due = due_contracts(records["contracts"], period, "收入性")
    contracts = _by_month(
        due["planned_delivery"],
        {
            "due": pd.Series(1, index=due.index),
            "fulfilled": fulfilled_mask(due, period).astype(int),
            "on_time": on_time_mask(due, period).astype(int),
        },
    )
    done = _delivered_in_period(records, period, "收入性")
    quality = _by_month(
        done["actual_delivery"],
        {
            "judged": done["acceptance"].isin(("合格", "不合格")).astype(int),
            "passed": (done["acceptance"] == "合格").astype(int),
        },
    )
    pay = _receivables(records)
    pay = pay[windows.in_period(pay["due_on"], period)]
    owed = pay["due_amount"].fillna(0.0)
    money = _by_month(
        pay["due_on"], {"owed": owed, "got": received_as_of(pay, period).clip(upper=owed)}
    )
    table = pd.DataFrame(index=pd.Index(_months(period), name="month"))
    table = table.join(contracts).join(quality).join(money).fillna(0)

    def share(num: str, den: str) -> pd.Series:
        return (table[num] / table[den]).where(table[den] > 0)

    out = pd.DataFrame(
        {
            "month": table.index,
            "fulfillment_rate": share("fulfilled", "due"),
            "on_time_delivery_rate": share("on_time", "due"),
            "quality_pass_rate": share("passed", "judged"),
            "collection_rate": share("got", "owed"),
            "due_contracts": table["due"].astype(int),
        }
    )
    return out.reset_index(drop=True)


BREAKDOWN_COLUMNS = {"相对方": "counterparty", "负责人": "owner", "合同性质": "nature"}
# 收入性 (the firm performs) and 支出性 (the supplier performs) are never mixed in one 合同履约率
SPLIT_BY_NATURE = ("相对方", "负责人")
NATURES = ("收入性", "支出性")


def breakdowns(records: Records, period: Period) -> dict[str, pd.DataFrame]:
    """Contracts due in the period grouped by 相对方 and 负责人 (one table per 合同性质, a table
    with no contract left out) and by 合同性质."""
    due = due_contracts(records["contracts"], period, None).copy()
    due["fulfilled"] = fulfilled_mask(due, period)
    due["on_time"] = on_time_mask(due, period)
    due["amount"] = due["amount"].fillna(0.0)
    result = {}
    for title, column in BREAKDOWN_COLUMNS.items():
        if title not in SPLIT_BY_NATURE:
            result[title] = _breakdown(due, column)
            continue
        for nature in NATURES:
            part = due[due["nature"] == nature]
            if len(part):
                result[f"{title}（{nature}合同）"] = _breakdown(part, column)
    return result


def _breakdown(due: pd.DataFrame, column: str) -> pd.DataFrame:
    groups = due.assign(group=due[column].where(due[column] != "", "（未填）"))
    table = (
        groups.groupby("group", sort=True)
        .agg(
            due=("contract_no", "size"),
            fulfilled=("fulfilled", "sum"),
            on_time=("on_time", "sum"),
            amount=("amount", "sum"),
        )
        .reset_index()
    )
    table["fulfillment_rate"] = table["fulfilled"] / table["due"]
    table["on_time_delivery_rate"] = table["on_time"] / table["due"]
    return table[
        [
            "group",
            "due",
            "fulfilled",
            "on_time",
            "fulfillment_rate",
            "on_time_delivery_rate",
            "amount",
        ]
    ]


def unfulfilled_reasons(records: Records, period: Period) -> dict[str, int]:
    """到期未履行 (收入性, due in the period, not 实际履行) broken down by reason."""
    due = due_contracts(records["contracts"], period, "收入性")
    open_ = due[~fulfilled_mask(due, period)]
    reasons = contract_state(open_).map(UNFULFILLED_REASONS).fillna("履行中")
    counts = {label: 0 for label in (*UNFULFILLED_REASONS.values(), "履行中")}
    for reason, count in reasons.value_counts().items():
        counts[str(reason)] = int(count)
    return counts
