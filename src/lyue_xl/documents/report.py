"""履约评估报告 (10.2, 10.4): indicators against targets, monthly trends, supplier grades, the
risk matrix, warnings, breaches and their handling, conclusions and improvement actions."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lyue_xl import schema
from lyue_xl.documents import charts, common
from lyue_xl.documents.output import output_path
from lyue_xl.documents.render import Image, render

if TYPE_CHECKING:
    from lyue_xl.engine import Analysis

TEMPLATE = "report.docx"
LABEL = "履约评估报告"


def trend_image(analysis: Analysis, folder: Path) -> Image:
    monthly = analysis.monthly
    path = charts.trend_chart(
        list(monthly["month"]),
        [
            ("合同履约率", list(monthly["fulfillment_rate"])),
            ("按时交付率", list(monthly["on_time_delivery_rate"])),
        ],
        folder / "trend.png",
        title="月度合同履约率与按时交付率",
    )
    return Image(path, 150)


def context(analysis: Analysis, folder: Path) -> dict[str, Any]:
    ctx = common.base_context(analysis)
    fr = analysis.indicator("fulfillment_rate")
    due = int(fr.denominator or 0)
    fulfilled = int(fr.numerator or 0)
    unfulfilled_total = sum(analysis.unfulfilled.values())
    conclusions, actions = common.findings(analysis)
    alert_rows, alert_note = common.alert_details(analysis)
    suppliers, supplier_note = common.capped(
        common.supplier_rows(analysis), "家", "供应商", schema.SUPPLIERS.name
    )
    risks, risk_note = common.capped(
        [common.risk_row(r) for r in common.sorted_risks(analysis, open_only=True)],
        "项",
        "未关闭的风险机遇",
        schema.RISKS.name,
        "按风险值从高到低",
    )
    issues, issue_note = common.capped(
        [common.issue_row(i) for i in common.rows(common.period_issues(analysis))],
        "项",
        "本期履约问题",
        schema.ISSUES.name,
    )
    ctx.update(
        {
            "contract_count": len(analysis.records["contracts"]),
            "due_count": due,
            "fulfilled_count": fulfilled,
            "unfulfilled_total": unfulfilled_total,
            "unfulfilled_rows": [
                {
                    "reason": reason,
                    "count": str(count),
                    "share": common.rate(count / due) if due else common.NO_DATA,
                }
                for reason, count in analysis.unfulfilled.items()
            ],
            "indicator_rows": common.indicator_rows(analysis),
            **common.objective_counts(analysis),
            "monthly_rows": common.monthly_rows(analysis),
            "breakdowns": common.breakdown_tables(analysis),
            "supplier_summary": common.supplier_summary(analysis),
            "supplier_rows": suppliers,
            "supplier_note": supplier_note,
            "risk_summary": common.risk_summary(analysis),
            "risk_rows": risks,
            "risk_note": risk_note,
            "alert_summary": common.alert_summary(analysis),
            "alert_groups": common.alert_groups(analysis),
            "alert_rows": alert_rows,
            "alert_note": alert_note,
            "issue_summary": common.issue_summary(analysis),
            "issue_rows": issues,
            "issue_note": issue_note,
            "conclusions": conclusions,
            "actions": actions,
            "chart_trend": trend_image(analysis, folder),
            "chart_grades": Image(
                charts.grade_chart(common.grade_counts(analysis), folder / "grades.png"), 110
            ),
            "chart_risks": Image(
                charts.risk_matrix(common.risk_cells(analysis), folder / "risks.png"), 105
            ),
        }
    )
    return ctx


def write_report(analysis: Analysis, out: Path | str | None = None) -> Path:
    out = output_path(analysis, LABEL, ".docx", out)
    with tempfile.TemporaryDirectory(prefix="lyue-charts-") as folder:
        return render(TEMPLATE, context(analysis, Path(folder)), out)
