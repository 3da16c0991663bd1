"""The warnings of DESIGN §4: small named rules with their code, level and clause; no I/O.

Everything is judged as of T: an actual, received or paid date after T has not happened yet.
Each rule selects its rows with vectorised pandas and builds its messages column-wise; only the
final Alert objects are made one by one (a large workbook can raise tens of thousands).
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pandas as pd

from lyue_xl import schema, windows
from lyue_xl.indicators import (
    active_contracts,
    active_milestones,
    contract_state,
    format_value,
    received_as_of,
)
from lyue_xl.period import Period, credit_valid_months, soon_days
from lyue_xl.workbook.reader import Records

LEVEL_ORDER = {"高": 0, "中": 1, "低": 2}
SHEET_ORDER = {s.name: i for i, s in enumerate(schema.SHEETS)}
BLANK = "（未填）"
# each code in words, for people (预警清单, documents); the code itself stays the stable id
TITLES: dict[str, str] = {
    "CONTRACT_NOT_REVIEWED": "合同未在签订前评审",
    "CONTRACT_DUE_SOON": "合同临近交付",
    "CONTRACT_OVERDUE": "合同逾期未交付",
    "SUPPLIER_DELIVERY_OVERDUE": "供应商逾期未交付",
    "MILESTONE_DUE_SOON": "履约节点临近",
    "MILESTONE_OVERDUE": "履约节点逾期",
    "RECEIVABLE_DUE_SOON": "应收款临近到期",
    "RECEIVABLE_OVERDUE": "应收款逾期",
    "PAYABLE_DUE_SOON": "应付款临近到期",
    "PAYABLE_OVERDUE": "应付款逾期",
    "SUPPLIER_CREDIT_CHECK_DUE": "供应商信用核查到期",
    "SUPPLIER_CREDIT_ABNORMAL": "供应商信用异常",
    "SUPPLIER_LOW_GRADE": "供应商评为 D 级",
    "CORE_SUPPLIER_NO_AGREEMENT": "核心供应商无履约保障协议",
    "HIGH_RISK_NO_MEASURE": "高风险无应对措施",
    "HIGH_RISK_NO_CONTINGENCY": "高风险无应急预案",
    "ISSUE_OVERDUE": "履约问题逾期未关闭",
    "BREACH_NOT_ANALYSED": "违约事件处置不完整",
    "COMMITMENT_OVERDUE": "承诺逾期未兑现",
    "OBJECTIVE_NOT_MET": "履约目标未达成",
    "DOCUMENT_REVIEW_OVERDUE": "文件逾期未评审",
    "REQUIRED_POLICY_MISSING": "缺少必备制度",
}


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
        return windows.horizon(self.period, self.soon)

    def due_soon(self, dates: pd.Series) -> pd.Series:
        """Due in [T, T + N]."""
        return windows.due_soon(dates, self.period, self.soon)

    def overdue(self, dates: pd.Series) -> pd.Series:
        """Due before T."""
        return windows.overdue(dates, self.period)


@dataclass(frozen=True)
class AlertKind:
    """One warning code of DESIGN §4: its level (the usual one), clause and title in words."""

    code: str
    level: str
    clause: str

    @property
    def title(self) -> str:
        return TITLES[self.code]


Rule = Callable[[Context], list[Alert]]
# every code, declared by the @rule lines below (a rule raising two codes carries two lines)
CATALOGUE: dict[str, AlertKind] = {}
# one entry per rule function: (its first code, level, clause, function)
RULES: list[tuple[str, str, str, Rule]] = []
RULE_OF: dict[str, Rule] = {}  # code → the rule that raises it


def rule(code: str, level: str, clause: str) -> Callable[[Rule], Rule]:
    """Declare a warning code, its level and clause, and the rule that raises it."""

    def register(fn: Rule) -> Rule:
        if code in CATALOGUE:
            raise ValueError(f"warning code {code} declared twice")
        CATALOGUE[code] = AlertKind(code, level, clause)
        RULE_OF[code] = fn
        if all(registered is not fn for *_, registered in RULES):
            RULES.append((code, level, clause, fn))
        return fn

    return register


# --- column-wise text helpers ---------------------------------------------------------------------


def ds(dates: pd.Series) -> pd.Series:
    """Dates as the user sees them (2025-07-20), blank as （未填）."""
    return dates.dt.strftime("%Y-%m-%d").fillna(BLANK)


def days(later: pd.Series | pd.Timestamp, earlier: pd.Series | pd.Timestamp) -> pd.Series:
    return (later - earlier).dt.days.astype("int64").astype(str)  # type: ignore[union-attr]


def remaining(later: pd.Series, t: pd.Timestamp) -> pd.Series:
    """How long until each date, in words: 还有 3 天, or 就是今天 on T."""
    return ("还有 " + days(later, t) + " 天").where(later != t, "就是今天")


def shorten(values: pd.Series, limit: int) -> pd.Series:
    """Text cut to ``limit`` characters, with "…" when something was cut."""
    text = values.astype(str)
    return text.str.slice(0, limit) + pd.Series("…", index=text.index).where(
        text.str.len() > limit, ""
    )


def text(values: pd.Series, default: str = BLANK) -> pd.Series:
    return values.astype(str).where(values != "", default)


def fmt(values: pd.Series, pattern: str) -> pd.Series:
    """Numbers formatted as text, column-wise (an empty column stays a text column)."""
    return pd.Series([pattern.format(v) for v in values.tolist()], index=values.index, dtype=object)


def money(values: pd.Series) -> pd.Series:
    return fmt(values, "{:,.2f}元")


def installment(values: pd.Series) -> pd.Series:
    """期次 as people say it: 第 2 期, or the name typed (「尾款」)."""
    label = values.astype(str).str.strip()
    numbered = "第 " + label + " 期"
    named = "「" + label + "」"
    return numbered.where(label.str.isdigit(), named.where(label != "", "（期次未填）"))


def contract_label(frame: pd.DataFrame) -> pd.Series:
    """「合同 XS-004（名称）」, or 「合同 XS-004 」 when the name is blank (the text follows)."""
    return "合同 " + frame["contract_no"].astype(str) + _named(frame["name"])


def _named(names: pd.Series) -> pd.Series:
    """「（名称）」 after an id, or a space when the name is blank (never 「（）」)."""
    name = names.astype(str).str.strip()
    return ("（" + name + "）").where(name != "", " ")


not_done = windows.not_happened


def emit(
    code: str,
    level: str | pd.Series,
    sheet: str,
    clause: str,
    frame: pd.DataFrame,
    record: pd.Series,
    message: pd.Series,
    when: pd.Series | None = None,
) -> list[Alert]:
    """Alerts for the rows of ``frame`` (its ``row`` column is the Excel row).

    ``level`` and ``clause`` must be the ones the code was declared with (a Series of levels
    may raise some rows above it); `raised` reads them from the catalogue instead."""
    kind = CATALOGUE.get(code)
    if kind is not None and (
        kind.clause != clause or (isinstance(level, str) and level != kind.level)
    ):
        raise ValueError(f"{code}: {level}/{clause} is not its declared {kind.level}/{kind.clause}")
    if frame.empty:
        return []
    n = len(frame)
    levels = level.tolist() if isinstance(level, pd.Series) else [level] * n
    dates = (
        [None if pd.isna(v) else v.date() for v in when.tolist()]
        if when is not None
        else [None] * n
    )
    return [
        Alert(code, lvl, sheet, int(row), str(rec), str(msg), clause, day)
        for lvl, row, rec, msg, day in zip(
            levels,
            frame["row"].tolist(),
            record.tolist(),
            message.tolist(),
            dates,
            strict=True,
        )
    ]


def raised(
    code: str,
    sheet: str,
    frame: pd.DataFrame,
    record: pd.Series,
    message: pd.Series,
    when: pd.Series | None = None,
    level: pd.Series | None = None,
) -> list[Alert]:
    """Alerts of a declared code for the rows of ``frame``, with its level and clause."""
    kind = CATALOGUE[code]
    return emit(
        code,
        kind.level if level is None else level,
        sheet,
        kind.clause,
        frame,
        record,
        message,
        when,
    )


# --- contracts -----------------------------------------------------------------------------------


@rule("CONTRACT_NOT_REVIEWED", "高", "9.2")
def contract_not_reviewed(ctx: Context) -> list[Alert]:
    c = active_contracts(ctx.records["contracts"])
    p = ctx.period
    # a contract signed after T did not exist yet as of T (DESIGN §3: what was known then)
    ongoing = windows.known(c["signed_on"], p) & (contract_state(c) == "履行中")
    scope = windows.in_period(c["signed_on"], p) | ongoing
    reviewed = c["reviewed_on"].where(windows.happened(c["reviewed_on"], p))
    failed = c["review_result"] == "不通过"
    late = reviewed.isna() | (reviewed > c["signed_on"]) | failed
    f = c[scope & late]
    r = reviewed[scope & late]
    why = ("评审日期 " + ds(r) + " 晚于签订日期").where(r.notna(), "没有评审日期（未评审）")
    why = why.where(f["review_result"] != "不通过", "评审结论为“不通过”却已签订")
    message = (
        contract_label(f)
        + "签订于 "
        + ds(f["signed_on"])
        + "，"
        + why
        + "。请查明签订前未评审的原因并防止再次发生；评审记录按实际评审日期填写，不得倒签。"
    )
    return raised("CONTRACT_NOT_REVIEWED", "合同台账", f, f["contract_no"], message, f["signed_on"])


def _undelivered(ctx: Context, nature: str) -> pd.DataFrame:
    c = active_contracts(ctx.records["contracts"])
    mask = (
        (c["nature"] == nature)
        & (contract_state(c) == "履行中")
        & not_done(c["actual_delivery"], ctx.period)
    )
    return c[mask]


@rule("CONTRACT_DUE_SOON", "中", "9.4")
def contract_due_soon(ctx: Context) -> list[Alert]:
    c = _undelivered(ctx, "收入性")
    f = c[ctx.due_soon(c["planned_delivery"])]
    message = (
        contract_label(f)
        + "计划交付日期 "
        + ds(f["planned_delivery"])
        + "，"
        + remaining(f["planned_delivery"], ctx.t)
        + "，尚未交付（负责人 "
        + text(f["owner"])
        + "）。请确认能按期交付。"
    )
    return raised(
        "CONTRACT_DUE_SOON", "合同台账", f, f["contract_no"], message, f["planned_delivery"]
    )


def _overdue_contracts(ctx: Context, nature: str, code: str, advice: str) -> list[Alert]:
    c = _undelivered(ctx, nature)
    f = c[ctx.overdue(c["planned_delivery"])]
    party = ("，相对方 " + f["counterparty"].astype(str)).where(f["counterparty"] != "", "")
    message = (
        contract_label(f)
        + "计划交付日期 "
        + ds(f["planned_delivery"])
        + "，已逾期 "
        + days(ctx.t, f["planned_delivery"])
        + " 天仍未交付"
        + party
        + "。"
        + advice
    )
    return raised(code, "合同台账", f, f["contract_no"], message, f["planned_delivery"])


@rule("CONTRACT_OVERDUE", "高", "9.4")
def contract_overdue(ctx: Context) -> list[Alert]:
    return _overdue_contracts(
        ctx,
        "收入性",
        "CONTRACT_OVERDUE",
        "请与客户沟通、采取补救措施，必要时登记履约问题。",
    )


@rule("SUPPLIER_DELIVERY_OVERDUE", "中", "9.5")
def supplier_delivery_overdue(ctx: Context) -> list[Alert]:
    return _overdue_contracts(
        ctx,
        "支出性",
        "SUPPLIER_DELIVERY_OVERDUE",
        "请催促供应商交付，并在供应商评价中考虑。",
    )


# --- milestones ----------------------------------------------------------------------------------


def _open_milestones(ctx: Context) -> pd.DataFrame:
    m = active_milestones(ctx.records)
    return m[not_done(m["actual"], ctx.period)]


def _milestone_id(f: pd.DataFrame) -> pd.Series:
    return f["contract_no"].astype(str) + "/" + f["name"].astype(str)


@rule("MILESTONE_DUE_SOON", "低", "9.4")
def milestone_due_soon(ctx: Context) -> list[Alert]:
    m = _open_milestones(ctx)
    f = m[ctx.due_soon(m["planned"])]
    message = (
        "合同 "
        + f["contract_no"].astype(str)
        + " 的节点“"
        + f["name"].astype(str)
        + "”计划 "
        + ds(f["planned"])
        + " 完成，"
        + remaining(f["planned"], ctx.t)
        + "（负责人 "
        + text(f["owner"])
        + "）。"
    )
    return raised("MILESTONE_DUE_SOON", "履约节点", f, _milestone_id(f), message, f["planned"])


@rule("MILESTONE_OVERDUE", "中", "9.4")
def milestone_overdue(ctx: Context) -> list[Alert]:
    m = _open_milestones(ctx)
    f = m[ctx.overdue(m["planned"])]
    key = f["key"].astype(bool)
    message = (
        "合同 "
        + f["contract_no"].astype(str)
        + " 的"
        + pd.Series("", index=f.index).where(~key, "关键")
        + "节点“"
        + f["name"].astype(str)
        + "”计划 "
        + ds(f["planned"])
        + " 完成，已逾期 "
        + days(ctx.t, f["planned"])
        + " 天仍未完成。请跟进并评估对交付的影响。"
    )
    # a 关键节点 overdue is raised one level, to 高
    level = pd.Series(CATALOGUE["MILESTONE_OVERDUE"].level, index=f.index).where(~key, "高")
    return raised(
        "MILESTONE_OVERDUE", "履约节点", f, _milestone_id(f), message, f["planned"], level
    )


# --- payments ------------------------------------------------------------------------------------


def _outstanding(ctx: Context, kind: str) -> pd.DataFrame:
    pay = ctx.records["payments"]
    pay = pay[pay["kind"] == kind]
    left = pay["due_amount"].fillna(0.0) - received_as_of(pay, ctx.period)
    return pay.assign(left=left)[left > 0.005]


def _payment_alerts(ctx: Context, kind: str, soon_code: str, late_code: str) -> list[Alert]:
    pay = _outstanding(ctx, kind)
    verb = "收" if kind == "收款" else "付"
    ident = pay["contract_no"].astype(str) + "/" + pay["installment"].astype(str)
    head = "合同 " + pay["contract_no"].astype(str) + " " + installment(pay["installment"])
    soon = ctx.due_soon(pay["due_on"])
    f = pay[soon]
    soon_message = (
        head[soon]
        + f"应{verb}款 "
        + money(f["due_amount"].fillna(0.0))
        + "于 "
        + ds(f["due_on"])
        + " 到期，"
        + remaining(f["due_on"], ctx.t)
        + f"，尚未{verb}齐 "
        + money(f["left"])
        + "。"
    )
    found = raised(soon_code, "款项", f, ident[soon], soon_message, f["due_on"])
    late = ctx.overdue(pay["due_on"])
    f = pay[late]
    advice = "请催收并评估客户信用。" if kind == "收款" else "请按约定付款，维护供应商关系。"
    late_message = (
        head[late]
        + f"应{verb}款于 "
        + ds(f["due_on"])
        + " 到期，已逾期 "
        + days(ctx.t, f["due_on"])
        + " 天，尚有 "
        + money(f["left"])
        + f"未{verb}。"
        + advice
    )
    return found + raised(late_code, "款项", f, ident[late], late_message, f["due_on"])


@rule("RECEIVABLE_OVERDUE", "高", "8.1.3.2")
@rule("RECEIVABLE_DUE_SOON", "低", "8.1.3.2")
def receivables(ctx: Context) -> list[Alert]:
    """收款 not fully received: due soon, or overdue."""
    return _payment_alerts(ctx, "收款", "RECEIVABLE_DUE_SOON", "RECEIVABLE_OVERDUE")


@rule("PAYABLE_OVERDUE", "高", "5.2.2")
@rule("PAYABLE_DUE_SOON", "中", "5.2.2")
def payables(ctx: Context) -> list[Alert]:
    """付款 not fully paid: due soon, or overdue."""
    return _payment_alerts(ctx, "付款", "PAYABLE_DUE_SOON", "PAYABLE_OVERDUE")


# --- suppliers -----------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """Calendar months later, the day clamped to the month's end (1-31 + 1 month = 2-28/29)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _supplier_label(f: pd.DataFrame) -> pd.Series:
    return "供应商 " + f["supplier_no"].astype(str) + _named(f["name"])


@rule("SUPPLIER_CREDIT_CHECK_DUE", "中", "8.1.3.3")
def supplier_credit_check_due(ctx: Context) -> list[Alert]:
    s = ctx.records["suppliers"]
    checked = s["credit_checked_on"].where(windows.happened(s["credit_checked_on"], ctx.period))
    f = s[checked.isna()]
    found = raised(
        "SUPPLIER_CREDIT_CHECK_DUE",
        "供应商",
        f,
        f["supplier_no"],
        _supplier_label(f) + "没有信用核查记录。请开展信用核查并填写信用核查日期和结论。",
    )
    dated = checked.dropna()
    expires = pd.Series(
        [pd.Timestamp(add_months(d.date(), ctx.credit_months)) for d in dated.tolist()],
        index=dated.index,
        dtype="datetime64[ns]",
    )
    lapsed = expires[ctx.overdue(expires)]  # T > 核查日期 + 有效期
    f = s.loc[lapsed.index]
    message = (
        _supplier_label(f)
        + "上次信用核查于 "
        + ds(f["credit_checked_on"])
        + "，已于 "
        + ds(lapsed)
        + f" 超过 {ctx.credit_months} 个月有效期。请重新核查。"
    )
    return found + raised(
        "SUPPLIER_CREDIT_CHECK_DUE", "供应商", f, f["supplier_no"], message, lapsed
    )


@rule("SUPPLIER_CREDIT_ABNORMAL", "高", "8.1.3.3")
def supplier_credit_abnormal(ctx: Context) -> list[Alert]:
    s = ctx.records["suppliers"]
    f = s[s["credit_result"] == "异常"]
    message = (
        _supplier_label(f)
        + "信用核查结论为“异常”（核查日期 "
        + ds(f["credit_checked_on"])
        + "）。请评估是否暂停合作或采取保障措施。"
    )
    return raised(
        "SUPPLIER_CREDIT_ABNORMAL", "供应商", f, f["supplier_no"], message, f["credit_checked_on"]
    )


@rule("SUPPLIER_LOW_GRADE", "高", "9.5")
def supplier_low_grade(ctx: Context) -> list[Alert]:
    s = ctx.suppliers
    f = s[s["grade"] == "D"]
    # the grounds and the sample in words, and a recommendation in proportion (grading.py)
    message = _supplier_label(f) + "：" + f["grade_note"] + "。" + f["advice"] + "。"
    return raised("SUPPLIER_LOW_GRADE", "供应商", f, f["supplier_no"], message)


@rule("CORE_SUPPLIER_NO_AGREEMENT", "中", "9.5")
def core_supplier_no_agreement(ctx: Context) -> list[Alert]:
    s = ctx.records["suppliers"]
    f = s[s["core"] & ~s["agreement"]]
    message = "核心" + _supplier_label(f) + "未签履约保障协议。请补签协议。"
    return raised("CORE_SUPPLIER_NO_AGREEMENT", "供应商", f, f["supplier_no"], message)


# --- risks, issues, commitments, objectives, documents -------------------------------------------


def _open_high_risks(ctx: Context) -> pd.DataFrame:
    r = ctx.risks
    return r[(r["kind"] == "风险") & (r["level"] == "高") & (r["status"] != "已关闭")]


def _risk_label(f: pd.DataFrame) -> pd.Series:
    return (
        "高风险 "
        + f["risk_no"].astype(str)
        + "（"
        + text(f["description"], "未描述")
        + "，风险值 "
        + fmt(f["value"], "{:g}")
        + "）"
    )


@rule("HIGH_RISK_NO_MEASURE", "高", "7.3")
def high_risk_no_measure(ctx: Context) -> list[Alert]:
    r = _open_high_risks(ctx)
    f = r[r["measure"] == ""]
    message = _risk_label(f) + "没有应对措施。请制定应对措施并指定责任人。"
    return raised("HIGH_RISK_NO_MEASURE", "风险机遇", f, f["risk_no"], message)


@rule("HIGH_RISK_NO_CONTINGENCY", "中", "7.3.2")
def high_risk_no_contingency(ctx: Context) -> list[Alert]:
    r = _open_high_risks(ctx)
    f = r[r["contingency"] == ""]
    message = _risk_label(f) + "没有应急预案。请补充应急预案（7.3.2 c）。"
    return raised("HIGH_RISK_NO_CONTINGENCY", "风险机遇", f, f["risk_no"], message)


def _known_issues(ctx: Context) -> pd.DataFrame:
    """履约问题 found by T: one found later was not known yet as of T (DESIGN §3)."""
    i = ctx.records["issues"]
    return i[windows.known(i["found_on"], ctx.period)]


@rule("ISSUE_OVERDUE", "中", "9.6")
def issue_overdue(ctx: Context) -> list[Alert]:
    i = _known_issues(ctx)
    f = i[not_done(i["closed_on"], ctx.period) & ctx.overdue(i["planned"])]
    message = (
        "履约问题 "
        + f["issue_no"].astype(str)
        + "（"
        + text(f["kind"], "未分类")
        + "，合同 "
        + text(f["contract_no"])
        + "）计划 "
        + ds(f["planned"])
        + " 关闭，已逾期 "
        + days(ctx.t, f["planned"])
        + " 天仍未关闭（责任人 "
        + text(f["owner"])
        + "）。"
    )
    return raised("ISSUE_OVERDUE", "履约问题", f, f["issue_no"], message, f["planned"])


ANALYSIS_FIELDS = {
    "root_cause": "根本原因",
    "corrective_action": "纠正措施",
    "accountability": "责任追究",
}


@rule("BREACH_NOT_ANALYSED", "高", "10.5")
def breach_not_analysed(ctx: Context) -> list[Alert]:
    i = _known_issues(ctx)
    empty = i[list(ANALYSIS_FIELDS)] == ""
    f = i[i["breach"] & empty.any(axis=1)]
    lacking = pd.Series("", index=f.index)
    for key, label in ANALYSIS_FIELDS.items():
        lacking = lacking + pd.Series("、" + label, index=f.index).where(
            empty.loc[f.index, key], ""
        )
    message = (
        "违约事件 "
        + f["issue_no"].astype(str)
        + "（发现于 "
        + ds(f["found_on"])
        + "）未填写"
        + lacking.str.lstrip("、")
        + "。请完成原因分析、纠正措施和责任追究（10.5）。"
    )
    return raised("BREACH_NOT_ANALYSED", "履约问题", f, f["issue_no"], message, f["found_on"])


@rule("COMMITMENT_OVERDUE", "中", "7.2")
def commitment_overdue(ctx: Context) -> list[Alert]:
    c = ctx.records["commitments"]
    f = c[ctx.overdue(c["deadline"]) & (c["status"] != "已兑现")]
    message = (
        f["kind"].astype(str)
        + "承诺 "
        + f["commitment_no"].astype(str)
        + "（"
        + shorten(f["content"], 30)
        + "）兑现期限 "
        + ds(f["deadline"])
        + " 已过，状态为“"
        + text(f["status"], "未填")
        + "”。请兑现并留存证据，或说明原因。"
    )
    return raised("COMMITMENT_OVERDUE", "承诺", f, f["commitment_no"], message, f["deadline"])


@rule("OBJECTIVE_NOT_MET", "高", "10.2")
def objective_not_met(ctx: Context) -> list[Alert]:
    o = ctx.objectives
    f = o[o["achieved"] == "未达成"]
    actual = pd.Series(
        [format_value(v, u) for v, u in zip(f["actual"].tolist(), f["unit"].tolist(), strict=True)],
        index=f.index,
        dtype=object,
    )
    target = pd.Series(
        [
            format_value(v, u)
            for v, u in zip(f["target_value"].tolist(), f["unit"].tolist(), strict=True)
        ],
        index=f.index,
        dtype=object,
    )
    p = ctx.period
    message = (
        "目标 "
        + f["objective_no"].astype(str)
        + "："
        + f["indicator"].astype(str)
        + "实际 "
        + actual
        + "，目标"
        + f["comparison"].astype(str)
        + " "
        + target
        + f"，未达成（{p.start.isoformat()} 至 {p.end.isoformat()}）。请分析原因并制定改进措施。"
    )
    return raised("OBJECTIVE_NOT_MET", "履约目标", f, f["objective_no"], message)


@rule("DOCUMENT_REVIEW_OVERDUE", "低", "8.3")
def document_review_overdue(ctx: Context) -> list[Alert]:
    docs = ctx.records["documents"]
    f = docs[(docs["status"] == "现行") & ctx.overdue(docs["next_review"])]
    message = (
        "文件 "
        + f["doc_no"].astype(str)
        + "《"
        + f["name"].astype(str)
        + "》下次评审日期 "
        + ds(f["next_review"])
        + " 已过。请组织评审，必要时修订并更新版本。"
    )
    return raised("DOCUMENT_REVIEW_OVERDUE", "成文信息", f, f["doc_no"], message, f["next_review"])


def missing_policies(records: Records) -> list[tuple[str, str]]:
    """The 制度 of 6.3.2 with no 现行 制度 row whose 文件名称 contains their key word."""
    docs = records["documents"]
    current = docs[(docs["status"] == "现行") & (docs["category"] == "制度")]["name"].astype(str)
    return [
        (word, title)
        for word, title in schema.REQUIRED_POLICIES
        if not current.str.contains(word, regex=False).any()
    ]


@rule("REQUIRED_POLICY_MISSING", "高", "6.3.2")
def required_policy_missing(ctx: Context) -> list[Alert]:
    kind = CATALOGUE["REQUIRED_POLICY_MISSING"]
    return [
        Alert(
            kind.code,
            kind.level,
            "成文信息",
            None,
            word,
            f"缺少现行的《{title}》（成文信息中没有文件名称含“{word}”、类别为制度、状态为现行的文件）。"
            "请制定、发布并登记该制度（6.3.2）。",
            kind.clause,
            None,
        )
        for word, title in missing_policies(ctx.records)
    ]


def _sort_key(alert: Alert) -> tuple[int, bool, date, int, int]:
    return (
        LEVEL_ORDER.get(alert.level, 9),
        alert.date is None,
        alert.date or date.max,
        SHEET_ORDER.get(alert.sheet, 99),
        alert.row if alert.row is not None else 0,
    )


def compute_alerts(ctx: Context) -> list[Alert]:
    """Every rule's alerts, ordered by level (高, 中, 低), date (blank last), sheet, row."""
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


# --- management review outputs and the yearly activities (issue 11; self-contained) --------------

TITLES["REVIEW_OUTPUT_OVERDUE"] = "管理评审决定事项逾期"


@rule("REVIEW_OUTPUT_OVERDUE", "中", "10.4")
def review_output_overdue(ctx: Context) -> list[Alert]:
    """管理评审 decisions not 已完成 whose 完成期限 < T (a review held after T did not exist)."""
    o = ctx.records["review_outputs"]
    if o.empty:
        return []
    held = ~(o["reviewed_on"] > ctx.t)
    f = o[held & (o["status"] != "已完成") & (o["deadline"] < ctx.t)]
    message = (
        "管理评审（"
        + ds(f["reviewed_on"])
        + "）决定事项 "
        + f["output_no"].astype(str)
        + "「"
        + shorten(f["decision"], 30)
        + "」完成期限 "
        + ds(f["deadline"])
        + "，已逾期 "
        + days(ctx.t, f["deadline"])
        + " 天，状态为“"
        + text(f["status"], "未开始")
        + "”（责任部门 "
        + text(f["department"])
        + "）。请督办落实，完成后把状态改为“已完成”。"
    )
    return emit(
        "REVIEW_OUTPUT_OVERDUE", "中", "管理评审", "10.4", f, f["output_no"], message, f["deadline"]
    )


YEARLY_MONTHS = 12  # an internal audit, a management review, a drill, a risk review: once a year


def _next_due(last: pd.Series) -> pd.Series:
    """The date 12 calendar months after each date (end of month clamped)."""
    return pd.Series(
        [pd.Timestamp(add_months(d.date(), YEARLY_MONTHS)) for d in last.tolist()],
        index=last.index,
        dtype="datetime64[ns]",
    )


@dataclass(frozen=True)
class Yearly:
    """Rows whose last yearly activity happened on ``last`` (the 12 months run from there)."""

    frame: pd.DataFrame
    last: pd.Series
    sheet: str
    record: pd.Series
    what: pd.Series  # the activity, in words, per row
    todo: str


def _yearly(ctx: Context, y: Yearly | None, code: str) -> list[Alert]:
    """Overdue (due < T) or due-soon (T <= due <= T+N) alerts, ``code`` saying which; rows with
    no date, or a date after T, are skipped."""
    if y is None:
        return []
    known = y.last.notna() & (y.last <= ctx.t)
    frame, last = y.frame[known], y.last[known]
    if frame.empty:
        return []
    due = _next_due(last)
    overdue = code.endswith("_OVERDUE")
    mask = (due < ctx.t) if overdue else ((due >= ctx.t) & (due <= ctx.horizon))
    f, d = frame[mask], due[mask]
    state = ("已逾期 " + days(ctx.t, d) + " 天") if overdue else remaining(d, ctx.t)
    message = (
        y.what[known][mask]
        + "上次在 "
        + ds(last[mask])
        + "，按每 12 个月一次应在 "
        + ds(d)
        + " 前再做，"
        + state
        + "。"
        + y.todo
    )
    return raised(code, y.sheet, f, y.record[known][mask], message, d)


def _latest(frame: pd.DataFrame, dates: pd.Series, ctx: Context) -> pd.DataFrame:
    """The one row of ``frame`` with the latest date not after T (the last row among equals)."""
    known = frame[dates[frame.index].notna() & (dates[frame.index] <= ctx.t)]
    if known.empty:
        return known
    order = known.assign(_d=dates[known.index]).sort_values(["_d", "row"], kind="stable")
    return order.iloc[[-1]].drop(columns="_d")


def last_internal_audit(ctx: Context) -> Yearly | None:
    a = ctx.records["audits"]
    if a.empty:
        return None
    last = _latest(a[a["audit_type"] == "内审"], a["audited_on"], ctx)
    if last.empty:
        return None
    return Yearly(
        last,
        last["audited_on"],
        "审核记录",
        last["finding_no"],
        pd.Series("年度内部审核", index=last.index),
        "请策划并实施内部审核（可用“生成内审资料”准备计划和检查表），在「审核记录」登记发现。",
    )


TITLES["INTERNAL_AUDIT_DUE_SOON"] = "年度内审临近"


@rule("INTERNAL_AUDIT_DUE_SOON", "低", "附录A")
def internal_audit_due_soon(ctx: Context) -> list[Alert]:
    return _yearly(ctx, last_internal_audit(ctx), "INTERNAL_AUDIT_DUE_SOON")


TITLES["INTERNAL_AUDIT_OVERDUE"] = "年度内审逾期"


@rule("INTERNAL_AUDIT_OVERDUE", "中", "附录A")
def internal_audit_overdue(ctx: Context) -> list[Alert]:
    return _yearly(ctx, last_internal_audit(ctx), "INTERNAL_AUDIT_OVERDUE")


def last_management_review(ctx: Context) -> Yearly | None:
    """The latest of 管理评审 评审日期 and 审核记录 rows of type 管理评审 (not after T)."""
    outputs = ctx.records["review_outputs"]
    audits = ctx.records["audits"]
    candidates: list[tuple[pd.Timestamp, str, pd.DataFrame, str, str]] = []
    if not outputs.empty:
        o = _latest(outputs, outputs["reviewed_on"], ctx)
        if not o.empty:
            candidates.append((o["reviewed_on"].iloc[0], "管理评审", o, "reviewed_on", "output_no"))
    if not audits.empty:
        reviews = audits[audits["audit_type"] == "管理评审"]
        a = _latest(reviews, audits["audited_on"], ctx)
        if not a.empty:
            candidates.append((a["audited_on"].iloc[0], "审核记录", a, "audited_on", "finding_no"))
    if not candidates:
        return None
    _, sheet, frame, date_key, id_key = max(candidates, key=lambda c: c[0])
    return Yearly(
        frame,
        frame[date_key],
        sheet,
        frame[id_key],
        pd.Series("管理评审", index=frame.index),
        "请准备管理评审输入（“生成管理评审输入报告”）并召开管理评审，在「管理评审」登记决定事项。",
    )


TITLES["MANAGEMENT_REVIEW_DUE_SOON"] = "管理评审临近"


@rule("MANAGEMENT_REVIEW_DUE_SOON", "低", "10.4")
def management_review_due_soon(ctx: Context) -> list[Alert]:
    return _yearly(ctx, last_management_review(ctx), "MANAGEMENT_REVIEW_DUE_SOON")


TITLES["MANAGEMENT_REVIEW_OVERDUE"] = "管理评审逾期"


@rule("MANAGEMENT_REVIEW_OVERDUE", "中", "10.4")
def management_review_overdue(ctx: Context) -> list[Alert]:
    return _yearly(ctx, last_management_review(ctx), "MANAGEMENT_REVIEW_OVERDUE")


def drills(ctx: Context) -> Yearly | None:
    """Each 应急预案 with its 最近演练日期."""
    e = ctx.records["emergency"]
    if e.empty:
        return None
    return Yearly(
        e,
        e["drilled_on"],
        "应急预案",
        e["plan_no"],
        "应急预案 " + e["plan_no"].astype(str) + "《" + e["name"].astype(str) + "》的演练",
        "请组织演练，填写最近演练日期和演练评价。",
    )


TITLES["DRILL_DUE_SOON"] = "应急演练临近"


@rule("DRILL_DUE_SOON", "低", "9.7")
def drill_due_soon(ctx: Context) -> list[Alert]:
    return _yearly(ctx, drills(ctx), "DRILL_DUE_SOON")


TITLES["DRILL_OVERDUE"] = "应急演练逾期"


@rule("DRILL_OVERDUE", "中", "9.7")
def drill_overdue(ctx: Context) -> list[Alert]:
    return _yearly(ctx, drills(ctx), "DRILL_OVERDUE")


def risk_reviews(ctx: Context) -> Yearly | None:
    """Each open 风险 (状态 not 已关闭) with its 评审日期."""
    r = ctx.records["risks"]
    if r.empty:
        return None
    f = r[(r["kind"] == "风险") & (r["status"] != "已关闭")]
    return Yearly(
        f,
        f["reviewed_on"],
        "风险机遇",
        f["risk_no"],
        "风险 " + f["risk_no"].astype(str) + "（" + shorten(f["description"], 20) + "）的评审",
        "请重新评估可能性和影响程度、更新应对措施，并填写新的评审日期。",
    )


TITLES["RISK_REVIEW_DUE_SOON"] = "风险评审临近"


@rule("RISK_REVIEW_DUE_SOON", "低", "10.3")
def risk_review_due_soon(ctx: Context) -> list[Alert]:
    return _yearly(ctx, risk_reviews(ctx), "RISK_REVIEW_DUE_SOON")


TITLES["RISK_REVIEW_OVERDUE"] = "风险评审逾期"


@rule("RISK_REVIEW_OVERDUE", "中", "10.3")
def risk_review_overdue(ctx: Context) -> list[Alert]:
    return _yearly(ctx, risk_reviews(ctx), "RISK_REVIEW_OVERDUE")
