"""The warnings of DESIGN §4: small named rules with their code, level and clause; no I/O.

Everything is judged as of T: an actual, received or paid date after T has not happened yet.
"""

from __future__ import annotations

import calendar
from typing import Any
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

import pandas as pd

from lyue_xl import schema
from lyue_xl.indicators import (
    RELEASED,
    active_contracts,
    active_milestones,
    contract_state,
    happened,
    received_as_of,
)
from lyue_xl.period import Period, credit_valid_months, soon_days
from lyue_xl.workbook.reader import Records

LEVEL_ORDER = {"高": 0, "中": 1, "低": 2}
SHEET_ORDER = {s.name: i for i, s in enumerate(schema.SHEETS)}


@dataclass(frozen=True)
class Alert:
    code: str
    level: str
    sheet: str
    row: int | None
    record: str
    message: str
    clause: str
    date: date | None = None

    def as_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "level": self.level,
            "sheet": self.sheet,
            "row": self.row,
            "record": self.record,
            "message": self.message,
            "clause": self.clause,
            "date": self.date.isoformat() if self.date else None,
        }


@dataclass(frozen=True)
class Context:
    records: Records
    period: Period
    soon: int  # N
    credit_months: int
    suppliers: pd.DataFrame  # graded (grade column)
    objectives: pd.DataFrame  # evaluated (achieved column)
    risks: pd.DataFrame  # graded (value, level)

    @property
    def t(self) -> pd.Timestamp:
        return self.period.t

    @property
    def horizon(self) -> pd.Timestamp:
        return self.period.t + pd.Timedelta(days=self.soon)


Rule = Callable[[Context], Iterator[Alert]]
RULES: list[tuple[str, str, str, Rule]] = []


def rule(code: str, level: str, clause: str) -> Callable[[Rule], Rule]:
    def register(fn: Rule) -> Rule:
        RULES.append((code, level, clause, fn))
        return fn

    return register


def d(value: object) -> str:
    """A date as the user sees it."""
    if value is None or pd.isna(value):  # type: ignore[arg-type]
        return "（未填）"
    return pd.Timestamp(value).date().isoformat()  # type: ignore[arg-type]


def money(value: float) -> str:
    return f"{value:,.2f}元"


def installment(value: object) -> str:
    """期次 as people say it: 第 2 期, or the name typed (「尾款」)."""
    text = str(value or "").strip()
    if not text:
        return "（期次未填）"
    return f"第 {text} 期" if text.isdigit() else f"「{text}」"


def _date_or_none(value: object) -> date | None:
    if value is None or pd.isna(value):  # type: ignore[arg-type]
        return None
    return pd.Timestamp(value).date()  # type: ignore[arg-type]


def not_done(dates: pd.Series, period: Period) -> pd.Series:
    return ~happened(dates, period)


def _contract_label(row: Any) -> str:
    name = f"（{row.name}）" if row.name else ""
    return f"合同 {row.contract_no}{name}"


def _days(later: pd.Timestamp, earlier: object) -> int:
    return int((later - pd.Timestamp(earlier)).days)  # type: ignore[arg-type]


# --- contracts -----------------------------------------------------------------------------------


@rule("CONTRACT_NOT_REVIEWED", "高", "9.2")
def contract_not_reviewed(ctx: Context) -> Iterator[Alert]:
    c = active_contracts(ctx.records["contracts"])
    p = ctx.period
    scope = ((c["signed_on"] >= p.s) & (c["signed_on"] <= p.w)) | (contract_state(c) == "履行中")
    reviewed = c["reviewed_on"].where(happened(c["reviewed_on"], p))
    late = reviewed.isna() | (reviewed > c["signed_on"]) | (c["review_result"] == "不通过")
    for row in c[scope & late].itertuples(index=False):
        if row.review_result == "不通过":
            why = "评审结论为“不通过”却已签订"
        elif pd.isna(row.reviewed_on) or row.reviewed_on > p.t:
            why = "没有评审日期（未评审）"
        else:
            why = f"评审日期 {d(row.reviewed_on)} 晚于签订日期"
        yield Alert(
            "CONTRACT_NOT_REVIEWED",
            "高",
            "合同台账",
            int(row.row),
            row.contract_no,
            f"{_contract_label(row)}签订于 {d(row.signed_on)}，{why}。请补做合同评审并记录评审日期和结论。",
            "9.2",
            _date_or_none(row.signed_on),
        )


def _undelivered(ctx: Context, nature: str) -> pd.DataFrame:
    c = active_contracts(ctx.records["contracts"])
    mask = (
        (c["nature"] == nature)
        & (contract_state(c) == "履行中")
        & not_done(c["actual_delivery"], ctx.period)
    )
    return c[mask]


@rule("CONTRACT_DUE_SOON", "中", "9.4")
def contract_due_soon(ctx: Context) -> Iterator[Alert]:
    c = _undelivered(ctx, "收入性")
    soon = c[(c["planned_delivery"] >= ctx.t) & (c["planned_delivery"] <= ctx.horizon)]
    for row in soon.itertuples(index=False):
        left = _days(row.planned_delivery, ctx.t)
        yield Alert(
            "CONTRACT_DUE_SOON",
            "中",
            "合同台账",
            int(row.row),
            row.contract_no,
            f"{_contract_label(row)}计划交付日期 {d(row.planned_delivery)}，还有 {left} 天，尚未交付"
            f"（负责人 {row.owner or '未填'}）。请确认能按期交付。",
            "9.4",
            _date_or_none(row.planned_delivery),
        )


def _overdue_contracts(
    ctx: Context, nature: str, code: str, level: str, clause: str, who: str
) -> Iterator[Alert]:
    c = _undelivered(ctx, nature)
    late = c[c["planned_delivery"] < ctx.t]
    for row in late.itertuples(index=False):
        days = _days(ctx.t, row.planned_delivery)
        party = f"，相对方 {row.counterparty}" if row.counterparty else ""
        yield Alert(
            code,
            level,
            "合同台账",
            int(row.row),
            row.contract_no,
            f"{_contract_label(row)}计划交付日期 {d(row.planned_delivery)}，已逾期 {days} 天仍未交付"
            f"{party}。{who}",
            clause,
            _date_or_none(row.planned_delivery),
        )


@rule("CONTRACT_OVERDUE", "高", "9.4")
def contract_overdue(ctx: Context) -> Iterator[Alert]:
    yield from _overdue_contracts(
        ctx,
        "收入性",
        "CONTRACT_OVERDUE",
        "高",
        "9.4",
        "请与客户沟通、采取补救措施，必要时登记履约问题。",
    )


@rule("SUPPLIER_DELIVERY_OVERDUE", "中", "9.5")
def supplier_delivery_overdue(ctx: Context) -> Iterator[Alert]:
    yield from _overdue_contracts(
        ctx,
        "支出性",
        "SUPPLIER_DELIVERY_OVERDUE",
        "中",
        "9.5",
        "请催促供应商交付，并在供应商评价中考虑。",
    )


# --- milestones ----------------------------------------------------------------------------------


def _open_milestones(ctx: Context) -> pd.DataFrame:
    m = active_milestones(ctx.records)
    return m[not_done(m["actual"], ctx.period)]


@rule("MILESTONE_DUE_SOON", "低", "9.4")
def milestone_due_soon(ctx: Context) -> Iterator[Alert]:
    m = _open_milestones(ctx)
    soon = m[(m["planned"] >= ctx.t) & (m["planned"] <= ctx.horizon)]
    for row in soon.itertuples(index=False):
        yield Alert(
            "MILESTONE_DUE_SOON",
            "低",
            "履约节点",
            int(row.row),
            f"{row.contract_no}/{row.name}",
            f"合同 {row.contract_no} 的节点“{row.name}”计划 {d(row.planned)} 完成，"
            f"还有 {_days(row.planned, ctx.t)} 天（负责人 {row.owner or '未填'}）。",
            "9.4",
            _date_or_none(row.planned),
        )


@rule("MILESTONE_OVERDUE", "中", "9.4")
def milestone_overdue(ctx: Context) -> Iterator[Alert]:
    m = _open_milestones(ctx)
    for row in m[m["planned"] < ctx.t].itertuples(index=False):
        key = bool(row.key)
        yield Alert(
            "MILESTONE_OVERDUE",
            "高" if key else "中",
            "履约节点",
            int(row.row),
            f"{row.contract_no}/{row.name}",
            f"合同 {row.contract_no} 的{'关键' if key else ''}节点“{row.name}”计划 {d(row.planned)} 完成，"
            f"已逾期 {_days(ctx.t, row.planned)} 天仍未完成。请跟进并评估对交付的影响。",
            "9.4",
            _date_or_none(row.planned),
        )


# --- payments ------------------------------------------------------------------------------------


def _outstanding(ctx: Context, kind: str) -> pd.DataFrame:
    pay = ctx.records["payments"]
    pay = pay[pay["kind"] == kind].copy()
    pay["left"] = pay["due_amount"].fillna(0.0) - received_as_of(pay, ctx.period)
    return pay[pay["left"] > 0.005]


def _payment_alerts(
    ctx: Context, kind: str, soon_code: str, soon_level: str, late_code: str, clause: str
) -> Iterator[Alert]:
    pay = _outstanding(ctx, kind)
    verb = "收" if kind == "收款" else "付"
    for row in pay[(pay["due_on"] >= ctx.t) & (pay["due_on"] <= ctx.horizon)].itertuples(
        index=False
    ):
        yield Alert(
            soon_code,
            soon_level,
            "款项",
            int(row.row),
            f"{row.contract_no}/{row.installment}",
            f"合同 {row.contract_no} {installment(row.installment)}应{verb}款 {money(row.due_amount)}"
            f"于 {d(row.due_on)} 到期，还有 {_days(row.due_on, ctx.t)} 天，尚未{verb}齐 {money(row.left)}。",
            clause,
            _date_or_none(row.due_on),
        )
    for row in pay[pay["due_on"] < ctx.t].itertuples(index=False):
        advice = "请催收并评估客户信用。" if kind == "收款" else "请按约定付款，维护供应商关系。"
        yield Alert(
            late_code,
            "高",
            "款项",
            int(row.row),
            f"{row.contract_no}/{row.installment}",
            f"合同 {row.contract_no} {installment(row.installment)}应{verb}款于 {d(row.due_on)} 到期，"
            f"已逾期 {_days(ctx.t, row.due_on)} 天，尚有 {money(row.left)} 未{verb}。{advice}",
            clause,
            _date_or_none(row.due_on),
        )


@rule("RECEIVABLE_OVERDUE", "高", "8.1.3.2")
def receivables(ctx: Context) -> Iterator[Alert]:
    yield from _payment_alerts(
        ctx, "收款", "RECEIVABLE_DUE_SOON", "低", "RECEIVABLE_OVERDUE", "8.1.3.2"
    )


@rule("PAYABLE_OVERDUE", "高", "5.2.2")
def payables(ctx: Context) -> Iterator[Alert]:
    yield from _payment_alerts(ctx, "付款", "PAYABLE_DUE_SOON", "中", "PAYABLE_OVERDUE", "5.2.2")


# --- suppliers -----------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """Calendar months later, the day clamped to the month's end (1-31 + 1 month = 2-28/29)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@rule("SUPPLIER_CREDIT_CHECK_DUE", "中", "8.1.3.3")
def supplier_credit_check_due(ctx: Context) -> Iterator[Alert]:
    s = ctx.records["suppliers"]
    t = ctx.period.as_of
    for row in s.itertuples(index=False):
        checked = _date_or_none(row.credit_checked_on)
        name = f"供应商 {row.supplier_no}（{row.name}）"
        if checked is None or checked > t:
            yield Alert(
                "SUPPLIER_CREDIT_CHECK_DUE",
                "中",
                "供应商",
                int(row.row),
                row.supplier_no,
                f"{name}没有信用核查记录。请开展信用核查并填写信用核查日期和结论。",
                "8.1.3.3",
                None,
            )
            continue
        expires = add_months(checked, ctx.credit_months)
        if t > expires:
            yield Alert(
                "SUPPLIER_CREDIT_CHECK_DUE",
                "中",
                "供应商",
                int(row.row),
                row.supplier_no,
                f"{name}上次信用核查于 {checked.isoformat()}，已于 {expires.isoformat()} 超过 "
                f"{ctx.credit_months} 个月有效期。请重新核查。",
                "8.1.3.3",
                expires,
            )


@rule("SUPPLIER_CREDIT_ABNORMAL", "高", "8.1.3.3")
def supplier_credit_abnormal(ctx: Context) -> Iterator[Alert]:
    s = ctx.records["suppliers"]
    for row in s[s["credit_result"] == "异常"].itertuples(index=False):
        yield Alert(
            "SUPPLIER_CREDIT_ABNORMAL",
            "高",
            "供应商",
            int(row.row),
            row.supplier_no,
            f"供应商 {row.supplier_no}（{row.name}）信用核查结论为“异常”"
            f"（核查日期 {d(row.credit_checked_on)}）。请评估是否暂停合作或采取保障措施。",
            "8.1.3.3",
            _date_or_none(row.credit_checked_on),
        )


@rule("SUPPLIER_LOW_GRADE", "高", "9.5")
def supplier_low_grade(ctx: Context) -> Iterator[Alert]:
    s = ctx.suppliers
    for row in s[s["grade"] == "D"].itertuples(index=False):
        score = "" if pd.isna(row.score) else f"综合评分 {row.score:.2f}，"
        yield Alert(
            "SUPPLIER_LOW_GRADE",
            "高",
            "供应商",
            int(row.row),
            row.supplier_no,
            f"供应商 {row.supplier_no}（{row.name}）{score}评为 D 级。请约谈整改或更换供应商。",
            "9.5",
            None,
        )


@rule("CORE_SUPPLIER_NO_AGREEMENT", "中", "9.5")
def core_supplier_no_agreement(ctx: Context) -> Iterator[Alert]:
    s = ctx.records["suppliers"]
    for row in s[s["core"] & ~s["agreement"]].itertuples(index=False):
        yield Alert(
            "CORE_SUPPLIER_NO_AGREEMENT",
            "中",
            "供应商",
            int(row.row),
            row.supplier_no,
            f"核心供应商 {row.supplier_no}（{row.name}）未签履约保障协议。请补签协议。",
            "9.5",
            None,
        )


# --- risks, issues, commitments, objectives, documents -------------------------------------------


def _open_high_risks(ctx: Context) -> pd.DataFrame:
    r = ctx.risks
    return r[(r["kind"] == "风险") & (r["level"] == "高") & (r["status"] != "已关闭")]


@rule("HIGH_RISK_NO_MEASURE", "高", "7.3")
def high_risk_no_measure(ctx: Context) -> Iterator[Alert]:
    r = _open_high_risks(ctx)
    for row in r[r["measure"] == ""].itertuples(index=False):
        yield Alert(
            "HIGH_RISK_NO_MEASURE",
            "高",
            "风险机遇",
            int(row.row),
            row.risk_no,
            f"高风险 {row.risk_no}（{row.description or '未描述'}，风险值 {row.value:g}）没有应对措施。"
            "请制定应对措施并指定责任人。",
            "7.3",
            None,
        )


@rule("HIGH_RISK_NO_CONTINGENCY", "中", "7.3.2")
def high_risk_no_contingency(ctx: Context) -> Iterator[Alert]:
    r = _open_high_risks(ctx)
    for row in r[r["contingency"] == ""].itertuples(index=False):
        yield Alert(
            "HIGH_RISK_NO_CONTINGENCY",
            "中",
            "风险机遇",
            int(row.row),
            row.risk_no,
            f"高风险 {row.risk_no}（{row.description or '未描述'}，风险值 {row.value:g}）没有应急预案。"
            "请补充应急预案（7.3.2 c）。",
            "7.3.2",
            None,
        )


@rule("ISSUE_OVERDUE", "中", "9.6")
def issue_overdue(ctx: Context) -> Iterator[Alert]:
    i = ctx.records["issues"]
    late = i[not_done(i["closed_on"], ctx.period) & (i["planned"] < ctx.t)]
    for row in late.itertuples(index=False):
        yield Alert(
            "ISSUE_OVERDUE",
            "中",
            "履约问题",
            int(row.row),
            row.issue_no,
            f"履约问题 {row.issue_no}（{row.kind or '未分类'}，合同 {row.contract_no or '未填'}）"
            f"计划 {d(row.planned)} 关闭，已逾期 {_days(ctx.t, row.planned)} 天仍未关闭"
            f"（责任人 {row.owner or '未填'}）。",
            "9.6",
            _date_or_none(row.planned),
        )


@rule("BREACH_NOT_ANALYSED", "高", "10.5")
def breach_not_analysed(ctx: Context) -> Iterator[Alert]:
    i = ctx.records["issues"]
    fields = {
        "root_cause": "根本原因",
        "corrective_action": "纠正措施",
        "accountability": "责任追究",
    }
    missing = (i[list(fields)] == "").any(axis=1)
    for row in i[i["breach"] & missing].itertuples(index=False):
        lacking = "、".join(label for key, label in fields.items() if getattr(row, key) == "")
        yield Alert(
            "BREACH_NOT_ANALYSED",
            "高",
            "履约问题",
            int(row.row),
            row.issue_no,
            f"违约事件 {row.issue_no}（发现于 {d(row.found_on)}）未填写{lacking}。"
            "请完成原因分析、纠正措施和责任追究（10.5）。",
            "10.5",
            _date_or_none(row.found_on),
        )


@rule("COMMITMENT_OVERDUE", "中", "7.2")
def commitment_overdue(ctx: Context) -> Iterator[Alert]:
    c = ctx.records["commitments"]
    late = c[(c["deadline"] < ctx.t) & (c["status"] != "已兑现")]
    for row in late.itertuples(index=False):
        yield Alert(
            "COMMITMENT_OVERDUE",
            "中",
            "承诺",
            int(row.row),
            row.commitment_no,
            f"{row.kind or ''}承诺 {row.commitment_no}（{row.content[:30]}）兑现期限 {d(row.deadline)} 已过，"
            f"状态为“{row.status or '未填'}”。请兑现并留存证据，或说明原因。",
            "7.2",
            _date_or_none(row.deadline),
        )


@rule("OBJECTIVE_NOT_MET", "高", "10.2")
def objective_not_met(ctx: Context) -> Iterator[Alert]:
    from lyue_xl.indicators import format_value

    o = ctx.objectives
    for row in o[o["achieved"] == "未达成"].itertuples(index=False):
        unit = row.unit
        yield Alert(
            "OBJECTIVE_NOT_MET",
            "高",
            "履约目标",
            int(row.row),
            row.objective_no,
            f"目标 {row.objective_no}：{row.indicator}实际 {format_value(row.actual, unit)}，"
            f"目标{row.comparison} {format_value(row.target_value, unit)}，未达成"
            f"（{ctx.period.start.isoformat()} 至 {ctx.period.end.isoformat()}）。请分析原因并制定改进措施。",
            "10.2",
            None,
        )


@rule("DOCUMENT_REVIEW_OVERDUE", "低", "8.3")
def document_review_overdue(ctx: Context) -> Iterator[Alert]:
    docs = ctx.records["documents"]
    late = docs[(docs["status"] == "现行") & (docs["next_review"] < ctx.t)]
    for row in late.itertuples(index=False):
        yield Alert(
            "DOCUMENT_REVIEW_OVERDUE",
            "低",
            "成文信息",
            int(row.row),
            row.doc_no,
            f"文件 {row.doc_no}《{row.name}》下次评审日期 {d(row.next_review)} 已过。"
            "请组织评审，必要时修订并更新版本。",
            "8.3",
            _date_or_none(row.next_review),
        )


def missing_policies(records: Records) -> list[tuple[str, str]]:
    """The 制度 of 6.3.2 with no 现行 制度 row whose 文件名称 contains their key word."""
    docs = records["documents"]
    current = docs[(docs["status"] == "现行") & (docs["category"] == "制度")]["name"]
    return [
        (word, title)
        for word, title in schema.REQUIRED_POLICIES
        if not current.str.contains(word, regex=False).any()
    ]


@rule("REQUIRED_POLICY_MISSING", "高", "6.3.2")
def required_policy_missing(ctx: Context) -> Iterator[Alert]:
    for word, title in missing_policies(ctx.records):
        yield Alert(
            "REQUIRED_POLICY_MISSING",
            "高",
            "成文信息",
            None,
            word,
            f"缺少现行的《{title}》（成文信息中没有文件名称含“{word}”、类别为制度、状态为现行的文件）。"
            "请制定、发布并登记该制度（6.3.2）。",
            "6.3.2",
            None,
        )


def _sort_key(alert: Alert) -> tuple[int, int, date, int, int]:
    return (
        LEVEL_ORDER.get(alert.level, 9),
        alert.date is None,
        alert.date or date.max,
        SHEET_ORDER.get(alert.sheet, 99),
        alert.row if alert.row is not None else 0,
    )


def compute_alerts(ctx: Context) -> list[Alert]:
    found = [alert for _, _, _, fn in RULES for alert in fn(ctx)]
    return sorted(found, key=_sort_key)


def make_context(
    records: Records,
    period: Period,
    suppliers: pd.DataFrame,
    objectives: pd.DataFrame,
    risks: pd.DataFrame,
) -> Context:
    return Context(
        records,
        period,
        soon_days(records.settings),
        credit_valid_months(records.settings),
        suppliers,
        objectives,
        risks,
    )


__all__ = ["Alert", "RELEASED", "compute_alerts", "make_context", "missing_policies", "add_months"]
