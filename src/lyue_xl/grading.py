"""Supplier grades, risk levels and objective attainment (DESIGN §3): pure pandas, no I/O."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

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
from lyue_xl.period import Period, supplier_min_deliveries, supplier_months
from lyue_xl.workbook.reader import Records

NO_DATA = "无数据"
UNRATED = "未评"
# a D from fewer than twice the minimum number of deliveries gets a measured recommendation
SMALL_SAMPLE_FACTOR = 2


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


def months_before(day: date, months: int) -> date:
    """The same day ``months`` calendar months earlier, clamped to that month's end; a month's
    last day maps to a month's last day (2026-03-31 → 2025-03-31, 2025-02-28 → 2024-02-29)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    month_end = day.day == calendar.monthrange(day.year, day.month)[1]
    return date(year, month + 1, last if month_end else min(day.day, last))


@dataclass(frozen=True)
class GradingWindow:
    """The deliveries supplier grades are judged on, and how many a grade needs."""

    period: Period
    rolling: bool  # True: the last ``months`` months; False: the user's own 统计期间
    months: int
    minimum: int

    @property
    def span(self) -> str:
        return f"{self.period.start.isoformat()} 至 {self.period.window_end.isoformat()}"

    @property
    def name(self) -> str:
        """How the documents call the window in a sentence: 近 12 个月 or 统计期间内."""
        return f"近 {self.months} 个月" if self.rolling else "统计期间内"

    def label(self) -> str:
        title = f"近 {self.months} 个月" if self.rolling else "统计期间"
        return f"{title}（{self.span}）"


def grading_window(period: Period, settings: dict[str, object]) -> GradingWindow:
    """A start date the user gave (--from or 设置 统计开始日期) keeps [S, min(E, T)]; a defaulted
    start is replaced by a rolling window: the 供应商评价月数 months ending at min(E, T)."""
    months = supplier_months(settings)
    minimum = supplier_min_deliveries(settings)
    if not period.start_defaulted:
        return GradingWindow(period, False, months, minimum)
    end = period.window_end
    start = months_before(end, months) + timedelta(days=1)
    return GradingWindow(Period(start, end, period.as_of), True, months, minimum)


def grade_suppliers(records: Records, period: Period) -> pd.DataFrame:
    """One row per supplier: its 支出性 contracts' on-time and quality rates over the grading
    window, the number of judged deliveries, score, grade and the grade's grounds in words."""
    window = grading_window(period, records.settings)
    p = window.period
    suppliers = records["suppliers"]
    due = due_contracts(records["contracts"], p, "支出性").copy()
    due["on_time"] = on_time_mask(due, p)
    on_time = due.groupby("supplier_no").agg(due=("on_time", "size"), hit=("on_time", "sum"))
    c = active_contracts(records["contracts"])
    done = c[(c["nature"] == "支出性") & windows.in_period(c["actual_delivery"], p)]
    judged = done[done["acceptance"].isin(("合格", "不合格"))]
    quality = (
        judged.assign(ok=judged["acceptance"] == "合格")
        .groupby("supplier_no")
        .agg(judged=("ok", "size"), passed=("ok", "sum"))
    )
    # a judged delivery: due in the window (on time or not) or accepted in it; once per contract
    sample = pd.concat([due["supplier_no"], judged["supplier_no"]])
    sample = sample[~sample.index.duplicated()]
    deliveries = sample.groupby(sample).size()
    contract_counts = c[c["nature"] == "支出性"].groupby("supplier_no").size()
    out = suppliers.copy()
    ids = out["supplier_no"]
    due_n = ids.map(on_time["due"]).fillna(0)
    out["on_time_rate"] = (ids.map(on_time["hit"]) / due_n).where(due_n > 0)
    judged_n = ids.map(quality["judged"]).fillna(0)
    out["quality_rate"] = (ids.map(quality["passed"]) / judged_n).where(judged_n > 0)
    out["contracts"] = ids.map(contract_counts).fillna(0).astype(int)
    out["deliveries"] = ids.map(deliveries).fillna(0).astype(int)
    out["due_count"] = due_n.astype(int)
    out["late_count"] = (due_n - ids.map(on_time["hit"]).fillna(0)).astype(int)
    out["judged_count"] = judged_n.astype(int)
    out["failed_count"] = (judged_n - ids.map(quality["passed"]).fillna(0)).astype(int)
    enough = out["deliveries"] >= window.minimum
    rates = out[["on_time_rate", "quality_rate"]]
    out["score"] = (100 * rates.mean(axis=1, skipna=True)).round(2).where(enough)
    out["grade"] = [
        grade_for(score, credit)
        for score, credit in zip(out["score"], out["credit_result"], strict=True)
    ]
    out["grade_note"] = [grade_note(row, window) for row in out.to_dict("records")]
    out["advice"] = [grade_advice(row, window) for row in out.to_dict("records")]
    return out


def delivery_facts(row: dict[Any, Any], window: GradingWindow) -> str:
    """「近 12 个月 3 次交付（到期 3 次中延期 1 次，验收 2 次均合格）」 — the sample in words."""
    n = int(row["deliveries"])
    if not n:
        return f"{window.name}没有到期或验收的支出性合同"
    parts = []
    due, late = int(row["due_count"]), int(row["late_count"])
    if due:
        parts.append(f"到期 {due} 次中延期 {late} 次" if late else f"到期 {due} 次均按时交付")
    judged, failed = int(row["judged_count"]), int(row["failed_count"])
    if judged:
        parts.append(
            f"验收 {judged} 次中不合格 {failed} 次" if failed else f"验收 {judged} 次均合格"
        )
    return f"{window.name} {n} 次交付（{'，'.join(parts)}）"


def grade_note(row: dict[Any, Any], window: GradingWindow) -> str:
    """Why the supplier has its grade, with the evidence (the 评级说明 column)."""
    facts = delivery_facts(row, window)
    score = row["score"]
    scored = f"综合评分 {float(score):.2f} 分" if not pd.isna(score) else ""
    if row["grade"] == "D" and row["credit_result"] == "异常":
        detail = "；".join(x for x in (facts, scored) if x)
        return f"信用核查结论为“异常”，评为 D 级；{detail}"
    if row["grade"] == UNRATED:
        if not int(row["deliveries"]):
            return f"未评：{facts}"
        return f"未评：样本不足，{facts}，至少 {window.minimum} 次交付才评级"
    return f"{facts}，{scored}，评为 {row['grade']} 级"


def grade_advice(row: dict[Any, Any], window: GradingWindow) -> str:
    """A recommendation in proportion to the evidence (blank for A, B and 未评)."""
    if row["grade"] == "D" and row["credit_result"] == "异常":
        return "请复核信用状况，评估是否继续合作并采取履约保障措施"
    if row["grade"] == "D":
        if int(row["deliveries"]) < SMALL_SAMPLE_FACTOR * window.minimum:
            return "样本较少，请约谈核实原因并跟踪后续交付，再决定是否限制新订单"
        return "请限期整改，整改验证合格前暂停新订单"
    if row["grade"] == "C":
        return "请限期整改，加严检验"
    return ""


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
