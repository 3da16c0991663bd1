"""One call that reads a workbook and computes everything the commands and documents show."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from lyue_xl import alerts as alert_rules
from lyue_xl import grading, indicators
from lyue_xl.indicators import Indicator
from lyue_xl.period import Period, resolve_period
from lyue_xl.workbook.reader import Records, read_records

if TYPE_CHECKING:
    from lyue_xl.assessment import Assessment


@dataclass
class Analysis:
    records: Records
    period: Period
    indicators: list[Indicator]
    unfulfilled: dict[str, int]
    monthly: pd.DataFrame
    breakdowns: dict[str, pd.DataFrame]
    suppliers: pd.DataFrame
    risks: pd.DataFrame
    objectives: pd.DataFrame
    alerts: list[alert_rules.Alert]
    _assessment: Assessment | None = field(default=None, repr=False)

    def indicator(self, key: str) -> Indicator:
        for item in self.indicators:
            if item.key == key:
                return item
        raise KeyError(key)

    @property
    def assessment(self) -> Assessment:
        """Clause self-assessment, computed on first use (documents and refresh need it)."""
        if self._assessment is None:
            from lyue_xl.assessment import assess

            # judge 10.2 on the 达成情况 just computed, not on the column a refresh wrote before
            achievements = dict(
                zip(self.objectives["objective_no"], self.objectives["achieved"], strict=True)
            )
            self._assessment = assess(self.records, self.period, achievements=achievements)
        return self._assessment


def analyse_records(
    records: Records,
    start: date | None = None,
    end: date | None = None,
    as_of: date | None = None,
    today: date | None = None,
) -> Analysis:
    period = resolve_period(records.settings, start, end, as_of, today)
    values = indicators.compute_indicators(records, period)
    suppliers = grading.grade_suppliers(records, period)
    risks = grading.grade_risks(records)
    objectives = grading.evaluate_objectives(records, period, values)
    context = alert_rules.make_context(records, period, suppliers, objectives, risks)
    return Analysis(
        records=records,
        period=period,
        indicators=values,
        unfulfilled=indicators.unfulfilled_reasons(records, period),
        monthly=indicators.monthly_series(records, period),
        breakdowns=indicators.breakdowns(records, period),
        suppliers=suppliers,
        risks=risks,
        objectives=objectives,
        alerts=alert_rules.compute_alerts(context),
    )


def analyse(
    path: Path | str,
    start: date | None = None,
    end: date | None = None,
    as_of: date | None = None,
) -> Analysis:
    return analyse_records(read_records(Path(path)), start, end, as_of)
