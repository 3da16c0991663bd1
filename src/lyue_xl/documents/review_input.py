"""管理评审输入报告 (6.1 e, 10.4, 11): the inputs a management review needs, pre-filled from
the records — earlier actions, changes in context, indicator trends, audit results, customer
satisfaction, supplier performance, effectiveness of risk actions and improvement opportunities."""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from lyue_xl import schema
from lyue_xl.documents import common
from lyue_xl.documents.common import blank, txt
from lyue_xl.documents.output import output_path
from lyue_xl.documents.render import render
from lyue_xl.documents.report import trend_image

if TYPE_CHECKING:
    from lyue_xl.engine import Analysis

TEMPLATE = "review_input.docx"
LABEL = "管理评审输入报告"


def _status(planned: object, done: object, t: pd.Timestamp) -> str:
    if not blank(done) and pd.Timestamp(done) <= t:  # type: ignore[arg-type]
        return "已完成"
    if not blank(planned) and pd.Timestamp(planned) < t:  # type: ignore[arg-type]
        return "逾期未完成"
    return "进行中"


def improvement_rows(analysis: Analysis) -> list[dict[str, str]]:
    t = analysis.period.t
    return [
        {
            "no": txt(r["improvement_no"]),
            "source": txt(r.get("source")),
            "content": txt(r["content"])
            + (f"（{txt(r.get('action'))}）" if txt(r.get("action")) else ""),
            "department": txt(r.get("department")),
            "planned": txt(r.get("planned")),
            "completed_on": txt(r.get("completed_on")),
            "status": _status(r.get("planned"), r.get("completed_on"), t),
            "effect": txt(r.get("effect")) or "待评价",
        }
        for r in common.rows(analysis.records["improvements"])
        if blank(r.get("raised_on")) or pd.Timestamp(r["raised_on"]) <= t
    ]


def audit_rows(analysis: Analysis) -> list[dict[str, str]]:
    t = analysis.period.t
    out = []
    for r in common.rows(analysis.records["audits"]):
        if not blank(r.get("audited_on")) and pd.Timestamp(r["audited_on"]) > t:
            continue
        closed = r.get("closed_on")
        kind = txt(r.get("finding_type"))
        if kind == "符合":
            status = "—"
        elif not blank(closed) and pd.Timestamp(closed) <= t:  # type: ignore[arg-type]
            status = f"已关闭\n{txt(closed)}"
        else:
            status = "未关闭"
        out.append(
            {
                "no": txt(r["finding_no"]),
                "audit_type": txt(r.get("audit_type")),
                "audited_on": txt(r.get("audited_on")),
                "clause": txt(r.get("clause")),
                "finding_type": kind,
                "finding": txt(r.get("finding")),
                "corrective_action": txt(r.get("corrective_action")),
                "status": status,
            }
        )
    return out


def review_outputs(analysis: Analysis) -> tuple[str, list[dict[str, str]]]:
    """The decisions of the previous management review (the latest 评审日期 not after T) and
    every decision of an earlier review still open, with their status (blank reads 未开始)."""
    t = analysis.period.t
    frame = analysis.records["review_outputs"]
    if frame.empty:
        return "台账「管理评审」表中没有以往管理评审的决定事项。", []
    held = frame[frame["reviewed_on"].notna() & (frame["reviewed_on"] <= t)]
    if held.empty:
        return "台账「管理评审」表中没有以往管理评审的决定事项。", []
    last = held["reviewed_on"].max()
    status = held["status"].where(held["status"] != "", "未开始")
    chosen = held[(held["reviewed_on"] == last) | (status != "已完成")]
    chosen = chosen.sort_values(["reviewed_on", "row"])
    rows = []
    late: list[str] = []
    for r in common.rows(chosen):
        state = txt(r.get("status")) or "未开始"
        deadline = r.get("deadline")
        if state != "已完成" and not blank(deadline) and pd.Timestamp(deadline) < t:  # type: ignore[arg-type]
            state += f"\n逾期 {(t - pd.Timestamp(deadline)).days} 天"  # type: ignore[arg-type]
            late.append(txt(r["output_no"]))
        rows.append(
            {
                "no": txt(r["output_no"]),
                "reviewed_on": txt(r.get("reviewed_on")),
                "decision": txt(r.get("decision")),
                "resources": txt(r.get("resources")),
                "department": txt(r.get("department")),
                "deadline": txt(r.get("deadline")),
                "status": state,
            }
        )
    previous = held[held["reviewed_on"] == last]
    counts = Counter(status[previous.index])
    earlier = len(chosen) - len(previous)
    summary = (
        f"上次管理评审（{last.date().isoformat()}）形成决定事项 {len(previous)} 项："
        + "、".join(f"{k} {counts[k]} 项" for k in ("已完成", "进行中", "未开始") if counts.get(k))
        + "；"
        + (f"更早的评审尚有 {earlier} 项未完成；" if earlier else "")
        + (
            f"逾期未完成 {len(late)} 项（{'、'.join(late)}）。"
            if late
            else "没有逾期未完成的事项。"
        )
    )
    return summary, rows


def context(analysis: Analysis, folder: Path) -> dict[str, Any]:
    records = analysis.records
    p = analysis.period
    ctx = common.base_context(analysis)
    improvements = improvement_rows(analysis)
    status = Counter(r["status"] for r in improvements)
    audits = audit_rows(analysis)
    audit_kinds = Counter(r["finding_type"] for r in audits)
    open_findings = [r for r in audits if r["status"] == "未关闭"]

    ctx_frame = records["context"]
    context_rows = [
        {
            "no": txt(r["context_no"]),
            "category": txt(r["category"]),
            "subject": txt(r["subject"]),
            "expectation": txt(r.get("expectation")),
            "response": txt(r.get("response")),
            "reviewed_on": txt(r.get("reviewed_on")) or "未评审",
        }
        for r in common.rows(ctx_frame)
    ]
    reviewed = (
        ctx_frame["reviewed_on"] if not ctx_frame.empty else pd.Series(dtype="datetime64[ns]")
    )
    stale = int((reviewed.isna() | (reviewed < p.s)).sum()) if not ctx_frame.empty else 0
    changes = records["changes"]
    in_period = (
        changes[(changes["changed_on"] >= p.s) & (changes["changed_on"] <= p.w)]
        if not changes.empty
        else changes
    )
    change_rows = [
        {
            "no": txt(r["change_no"]),
            "changed_on": txt(r["changed_on"]),
            "contract_no": txt(r.get("contract_no")) or "—",
            "content": txt(r["content"])
            + (f"（原因：{txt(r.get('reason'))}）" if txt(r.get("reason")) else ""),
            "impact": txt(r.get("impact")),
            "approver": txt(r.get("approver")),
            "status": txt(r.get("status")),
        }
        for r in common.rows(in_period)
    ]

    issues = common.period_issues(analysis)
    complaints = issues[issues["kind"] == "客户投诉"] if not issues.empty else issues

    risk_rows = []
    for r in common.sorted_risks(analysis):
        row = common.risk_row(r)
        if txt(r.get("status")) == "已关闭":
            row["effect"] = "措施已落实，风险已关闭"
        elif not row["measure"]:
            row["effect"] = "缺少应对措施"
        elif not blank(r.get("planned")) and pd.Timestamp(r["planned"]) < p.t:
            row["effect"] = "逾期未完成"
        else:
            row["effect"] = "措施实施中"
        risk_rows.append(row)
    effects = Counter(r["effect"] for r in risk_rows)

    conclusions, actions = common.findings(analysis)
    alert_rows, alert_note = common.alert_details(analysis)
    suppliers, supplier_note = common.capped(
        common.supplier_rows(analysis), "家", "供应商", schema.SUPPLIERS.name
    )
    risk_rows, risk_note = common.capped(
        risk_rows, "项", "风险机遇", schema.RISKS.name, "按风险值从高到低"
    )
    complaint_rows, complaint_note = common.capped(
        [common.issue_row(i) for i in common.rows(complaints)], "项", "客户投诉", schema.ISSUES.name
    )
    opportunities = list(actions)
    for r in common.rows(analysis.risks):
        if txt(r["kind"]) == "机遇" and txt(r.get("status")) != "已关闭":
            opportunities.append(
                f"机遇 {txt(r['risk_no'])}：{txt(r.get('description'))}（{txt(r.get('measure')) or '待策划'}）。"
            )
    decisions = [
        "履约能力方针和目标是否仍然适宜，下一期目标值是否调整；",
        "对未达成目标和高等级预警的改进措施、责任部门和完成期限；",
        "履约管理所需的人员、资金和信息工具等资源安排；",
        "体系文件（手册、制度）是否需要修订；",
    ]
    if open_findings:
        decisions.append(f"{len(open_findings)} 项未关闭审核发现的整改要求；")

    sat = analysis.indicator("customer_satisfaction")
    satisfaction = (
        f"本期客户满意度 {common.shown(analysis, 'customer_satisfaction')}"
        + (f"（{int(sat.denominator)} 份评分）" if sat.denominator else "")
        + f"；质量达标率 {common.shown(analysis, 'quality_pass_rate')}；本期客户投诉 {len(complaints)} 项。"
    )
    review_output_summary, review_output_rows = review_outputs(analysis)
    ctx.update(
        {
            "review_output_summary": review_output_summary,
            "review_output_rows": review_output_rows,
            "improvement_summary": (
                f"持续改进记录共 {len(improvements)} 项：已完成 {status.get('已完成', 0)} 项、进行中 "
                f"{status.get('进行中', 0)} 项、逾期未完成 {status.get('逾期未完成', 0)} 项。"
                if improvements
                else "台账中尚未登记持续改进项目。"
            ),
            "improvement_rows": improvements,
            "audit_action_summary": (
                f"审核发现的纠正措施：未关闭 {len(open_findings)} 项"
                + (f"（{'、'.join(r['no'] for r in open_findings)}）" if open_findings else "")
                + "。"
            ),
            "context_summary": (
                f"环境与相关方登记 {len(context_rows)} 项，"
                + (
                    f"其中 {stale} 项在本期内未经评审，应在管理评审前更新；"
                    if stale
                    else "均已在本期内评审；"
                )
                + f"本期影响履约的变更 {len(change_rows)} 项。"
                if context_rows
                else f"台账中尚未登记环境因素和相关方；本期影响履约的变更 {len(change_rows)} 项。"
            ),
            "context_rows": context_rows,
            "change_rows": change_rows,
            "indicator_rows": common.indicator_rows(analysis),
            **common.objective_counts(analysis),
            "monthly_rows": common.monthly_rows(analysis),
            "chart_trend": trend_image(analysis, folder),
            "audit_summary": (
                f"本期审核记录 {len(audits)} 条："
                + "、".join(f"{k or '未分类'} {n} 条" for k, n in audit_kinds.most_common())
                + "。"
                if audits
                else "本期没有审核记录。"
            ),
            "audit_rows": audits,
            "satisfaction_summary": satisfaction,
            "complaint_rows": complaint_rows,
            "complaint_note": complaint_note,
            "alert_summary": common.alert_summary(analysis),
            "alert_groups": common.alert_groups(analysis),
            "alert_rows": alert_rows,
            "alert_note": alert_note,
            "supplier_summary": common.supplier_summary(analysis),
            "supplier_rows": suppliers,
            "supplier_note": supplier_note,
            "risk_summary": common.risk_summary(analysis)
            + (
                "应对措施的有效性："
                + "、".join(f"{k} {n} 项" for k, n in effects.most_common())
                + "。"
                if effects
                else ""
            ),
            "risk_action_rows": risk_rows,
            "risk_note": risk_note,
            "opportunities": opportunities,
            "decisions": decisions,
        }
    )
    return ctx


def write_review_input(analysis: Analysis, out: Path | str | None = None) -> Path:
    out = output_path(analysis, LABEL, ".docx", out)
    with tempfile.TemporaryDirectory(prefix="lyue-charts-") as folder:
        return render(TEMPLATE, context(analysis, Path(folder)), out)
