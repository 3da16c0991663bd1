"""Supplier grades, risk levels and objective attainment (DESIGN §3): pure pandas, no I/O."""

from __future__ import annotations

import pandas as pd

from lyue_xl import definitions, windows
from lyue_xl.indicators import (
    KEY_OF_NAME,
    RATE,
    UNIT_OF,
    Indicator,
    active_contracts,
    due_contracts,
    on_time_mask,
    risk_level,
    risk_values,
)
from lyue_xl.period import Period
from lyue_xl.workbook.reader import Records

NO_DATA = "无数据"
UNRATED = "未评"


def grade_for(score: float | None, credit_result: str = "") -> str:
    """A ≥ 90, B ≥ 75, C ≥ 60, D < 60; 信用核查 异常 → D; no score → 未评."""
    if credit_result == "异常":
        return "D"
    if score is None or pd.isna(score):
        return UNRATED
    # the score is defined to 2 decimals (DESIGN §3): 89.999999 scores 90.00, an A, not a B
    score = round(round(float(score), 2), 6)
    if score >= 90:
        return "A"
    if score >= 75:
        return "B"
    if score >= 60:
        return "C"
    return "D"


def supplier_score(on_time: float | None, quality: float | None) -> float | None:
    """100 × mean of the rates that have data, rounded to 2 decimals; None when neither has."""
    rates = [r for r in (on_time, quality) if r is not None and not pd.isna(r)]
    if not rates:
        return None
    return round(100 * sum(rates) / len(rates), 2)


def grade_suppliers(records: Records, period: Period) -> pd.DataFrame:
    """One row per supplier: its 支出性 contracts' on-time and quality rates, score and grade."""
    suppliers = records["suppliers"]
    due = due_contracts(records["contracts"], period, "支出性").copy()
    due["on_time"] = on_time_mask(due, period)
    on_time = due.groupby("supplier_no").agg(due=("on_time", "size"), hit=("on_time", "sum"))
    c = active_contracts(records["contracts"])
    done = c[(c["nature"] == "支出性") & windows.in_period(c["actual_delivery"], period)]
    judged = done[done["acceptance"].isin(("合格", "不合格"))]
    quality = (
        judged.assign(ok=judged["acceptance"] == "合格")
        .groupby("supplier_no")
        .agg(judged=("ok", "size"), passed=("ok", "sum"))
    )
    contract_counts = c[c["nature"] == "支出性"].groupby("supplier_no").size()
    out = suppliers.copy()
    ids = out["supplier_no"]
    due_n = ids.map(on_time["due"]).fillna(0)
    out["on_time_rate"] = (ids.map(on_time["hit"]) / due_n).where(due_n > 0)
    judged_n = ids.map(quality["judged"]).fillna(0)
    out["quality_rate"] = (ids.map(quality["passed"]) / judged_n).where(judged_n > 0)
    out["contracts"] = ids.map(contract_counts).fillna(0).astype(int)
    rates = out[["on_time_rate", "quality_rate"]]
    out["score"] = (100 * rates.mean(axis=1, skipna=True)).round(2)
    out["grade"] = [
        grade_for(score, credit)
        for score, credit in zip(out["score"], out["credit_result"], strict=True)
    ]
    return out


def grade_risks(records: Records) -> pd.DataFrame:
    risks = records["risks"].copy()
    risks["value"] = risk_values(risks)
    risks["level"] = risk_level(risks["value"])
    return risks


def normalise_target(target: float | None, unit: str) -> float | None:
    """A rate typed 0.98, 98 or 98% is the fraction 0.98; other units are read literally."""
    if target is None or pd.isna(target):
        return None
    if unit == RATE and target > 1:
        return target / 100.0
    return float(target)


def achieved(actual: float | None, target: float | None, comparison: str) -> str:
    if actual is None or target is None or pd.isna(actual) or pd.isna(target):
        return NO_DATA
    actual_r, target_r = round(float(actual), 6), round(float(target), 6)
    met = actual_r <= target_r if comparison == "不高于" else actual_r >= target_r
    return "达成" if met else "未达成"


def evaluate_objectives(
    records: Records, period: Period, indicators: list[Indicator]
) -> pd.DataFrame:
    """履约目标 + 实际值 (the indicator over the period) and 达成情况 (达成/未达成/无数据)."""
    by_key = {i.key: i for i in indicators}
    objectives = records["objectives"].copy()
    actuals: list[float | None] = []
    results: list[str] = []
    units: list[str] = []
    targets: list[float | None] = []
    for name, target, comparison, year in zip(
        objectives["indicator"],
        objectives["target"],
        objectives["comparison"],
        objectives["year"],
        strict=True,
    ):
        key = KEY_OF_NAME.get(name)
        if key is None:
            actuals.append(None)
            results.append(NO_DATA)
            units.append("")
            targets.append(None)
            continue
        unit = UNIT_OF[key]
        units.append(unit)
        goal = normalise_target(target, unit)
        targets.append(goal)
        applies = definitions.objective_applies(
            None if pd.isna(year) else int(year), period.start, period.end, period.as_of
        )
        if not applies:
            actuals.append(None)
            results.append("非本期")
            continue
        value = by_key[key].value
        actuals.append(value)
        results.append(achieved(value, goal, comparison or "不低于"))
    objectives["actual"] = pd.Series(actuals, index=objectives.index, dtype=object)
    objectives["achieved"] = pd.Series(results, index=objectives.index, dtype=object)
    objectives["unit"] = pd.Series(units, index=objectives.index, dtype=object)
    objectives["target_value"] = pd.Series(targets, index=objectives.index, dtype=object)
    return objectives
