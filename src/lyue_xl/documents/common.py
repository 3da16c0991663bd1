"""What every document shares: value formatting, the organisation block, indicator rows with
their targets, record rows for tables, derived findings, and the default output name."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from lyue_xl import grading, schema
from lyue_xl.alerts import TITLES, missing_policies
from lyue_xl.indicators import RATE, UNIT_OF, format_value

if TYPE_CHECKING:
    from lyue_xl.engine import Analysis

NO_DATA = "无数据"
UNIT_SHOWN = {RATE: "%"}  # the JSON unit 比率 (DESIGN §3) as a reader sees it
NOT_RECORDED = "未记录"  # a blank cell: never "无", which reads as a decision

LEVELS = ("高", "中", "低")


# --- formatting --------------------------------------------------------------------------------


def blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if value is pd.NaT:
        return True
    try:
        return bool(pd.isna(value))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return False


def txt(value: object) -> str:
    """Text of a cell for a table: blanks are "", dates ISO, whole floats without ``.0``."""
    if blank(value):
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, pd.Timestamp | datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:g}"
    return str(value).strip()


def day(value: object) -> str:
    return txt(value)


def rate(value: object) -> str:
    """A fraction as "95.0%"; no value as 无数据."""
    if blank(value):
        return NO_DATA
    return format_value(float(value), RATE)  # type: ignore[arg-type]


def money(value: object) -> str:
    if blank(value):
        return ""
    return f"{float(value):,.2f}"  # type: ignore[arg-type]


def number(value: object, digits: int = 2) -> str:
    if blank(value):
        return ""
    return f"{float(value):.{digits}f}"  # type: ignore[arg-type]


def or_dash(text: str, dash: str = "（未填写）") -> str:
    return text if text else dash


def rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A frame's rows as dicts (one pass, no cell addressing)."""
    if frame is None or frame.empty:
        return []
    return frame.to_dict("records")  # type: ignore[return-value]


# --- the organisation and the period -----------------------------------------------------------


def base_context(analysis: Analysis) -> dict[str, Any]:
    info = analysis.records.info
    period = analysis.period

    def item(key: str) -> str:
        return txt(info.get(key))

    return {
        "org_name": or_dash(item("org_name"), "（未填写组织名称）"),
        "credit_code": or_dash(item("credit_code")),
        "top_manager": or_dash(item("top_manager")),
        "manager": or_dash(item("manager")),
        # a phrase the documents follow with their own 。: a trailing 。 typed in the cell would double
        "scope": or_dash(item("scope").rstrip("。．. ")),
        "vision": or_dash(item("vision")),
        "policy": or_dash(item("policy")),
        "policy_date": or_dash(item("policy_date")),
        "address": item("address"),
        "industry": item("industry"),
        "period_label": period.label(),
        "period_from": period.start.isoformat(),
        "period_to": period.end.isoformat(),
        "as_of": period.as_of.isoformat(),
        "source_file": Path(analysis.records.path).name,
        "generated_on": date.today().isoformat(),
    }


# --- indicators and targets --------------------------------------------------------------------


def target_text(comparison: str, target: object, unit: str) -> str:
    if blank(target):
        return ""
    shown = format_value(float(target), unit)  # type: ignore[arg-type]
    return f"{comparison or '不低于'} {shown}"


def current_objectives(analysis: Analysis) -> pd.DataFrame:
    objectives = analysis.objectives
    if objectives.empty:
        return objectives
    return objectives[objectives["achieved"] != "非本期"]


def objective_rows(analysis: Analysis) -> list[dict[str, str]]:
    out = []
    for o in rows(analysis.objectives):
        unit = txt(o.get("unit"))
        actual = o.get("actual")
        out.append(
            {
                "no": txt(o["objective_no"]),
                "indicator": txt(o["indicator"]),
                "target": target_text(txt(o["comparison"]), o.get("target_value"), unit)
                or txt(o["target"]),
                "comparison": txt(o["comparison"]),
                "actual": format_value(None if blank(actual) else float(actual), unit)  # type: ignore[arg-type]
                if unit
                else NO_DATA,
                "achieved": txt(o["achieved"]),
                "department": txt(o["department"]),
                "year": txt(o.get("year")) or "每期",
            }
        )
    return out


def _basis(ind: Any) -> str:
    if ind.unit == RATE:
        if blank(ind.denominator) or not ind.denominator:
            return "分母为 0"
        num, den = ind.numerator, ind.denominator
        if ind.key == "fulfillment_rate_amount" or ind.key == "collection_rate":
            return f"{money(num)}/{money(den)} 元"
        return f"{txt(num)}/{txt(den)}"
    if ind.unit == "分":
        return f"{txt(ind.denominator) or 0} 份评分的平均值"
    return "计数" if ind.unit in ("次", "项") else "合计"


def indicator_rows(analysis: Analysis) -> list[dict[str, str]]:
    """Every indicator with its value as shown, how it was computed, and its target(s)."""
    targets: dict[str, list[tuple[str, str]]] = {}
    for o in rows(current_objectives(analysis)):
        name = txt(o["indicator"])
        unit = txt(o.get("unit"))
        if not unit:
            continue
        shown = target_text(txt(o["comparison"]), o.get("target_value"), unit)
        targets.setdefault(name, []).append((shown, txt(o["achieved"])))
    out = []
    for ind in analysis.indicators:
        goals = targets.get(ind.name, [])
        out.append(
            {
                "key": ind.key,
                "name": ind.name,
                "value": format_value(ind.value, ind.unit),
                "basis": _basis(ind),
                "target": "；".join(g for g, _ in goals) or "未设目标",
                "achieved": "；".join(a for _, a in goals) or "—",
                "unit": UNIT_SHOWN.get(ind.unit, ind.unit),
            }
        )
    return out


def objective_counts(analysis: Analysis) -> dict[str, int]:
    counts = Counter(txt(a) for a in current_objectives(analysis)["achieved"])
    return {
        "achieved_count": counts.get("达成", 0),
        "missed_count": counts.get("未达成", 0),
        "nodata_count": counts.get("无数据", 0),
    }


def shown(analysis: Analysis, key: str) -> str:
    ind = analysis.indicator(key)
    return format_value(ind.value, ind.unit)


# --- monthly, suppliers, risks, issues, alerts -------------------------------------------------


def monthly_rows(analysis: Analysis) -> list[dict[str, str]]:
    return [
        {
            "month": txt(m["month"]),
            "due": txt(m["due_contracts"]),
            "fulfillment": rate(m["fulfillment_rate"]),
            "on_time": rate(m["on_time_delivery_rate"]),
            "quality": rate(m["quality_pass_rate"]),
            "collection": rate(m["collection_rate"]),
        }
        for m in rows(analysis.monthly)
    ]


def breakdown_tables(analysis: Analysis) -> list[dict[str, Any]]:
    out = []
    for title, frame in analysis.breakdowns.items():
        out.append(
            {
                "title": title,
                "rows": [
                    {
                        "group": txt(r["group"]),
                        "due": txt(r["due"]),
                        "fulfilled": txt(r["fulfilled"]),
                        "on_time": txt(r["on_time"]),
                        "fulfillment": rate(r["fulfillment_rate"]),
                        "on_time_rate": rate(r["on_time_delivery_rate"]),
                        "amount": money(r["amount"]),
                    }
                    for r in rows(frame)
                ],
            }
        )
    return out


def supplier_rows(analysis: Analysis) -> list[dict[str, str]]:
    out = []
    for s in rows(analysis.suppliers):
        credit = txt(s.get("credit_result"))
        checked = txt(s.get("credit_checked_on"))
        out.append(
            {
                "no": txt(s["supplier_no"]),
                "name": txt(s["name"]),
                "category": txt(s.get("category")),
                "credit": "\n".join(x for x in (credit, checked) if x) or "未核查",
                "core": ("核心" if s.get("core") else "一般")
                + ("/有协议" if s.get("agreement") else "/无协议"),
                "contracts": txt(s.get("contracts")) or "0",
                "deliveries": txt(s.get("deliveries")) or "0",
                "note": txt(s.get("grade_note")),
                "on_time": rate(s.get("on_time_rate")),
                "quality": rate(s.get("quality_rate")),
                "score": number(s.get("score"), 1) or "—",
                "grade": txt(s.get("grade")),
            }
        )
    return out


def grade_counts(analysis: Analysis) -> dict[str, int]:
    counts = Counter(txt(g) for g in analysis.suppliers.get("grade", pd.Series(dtype=object)))
    return {g: counts.get(g, 0) for g in ("A", "B", "C", "D", "未评")}


def supplier_summary(analysis: Analysis) -> str:
    counts = grade_counts(analysis)
    total = sum(counts.values())
    if not total:
        return "台账中尚未登记供应商。"
    window = grading.grading_window(analysis.period, analysis.records.settings)
    parts = "、".join(f"{g if g == '未评' else g + ' 级'} {n} 家" for g, n in counts.items() if n)
    sup = analysis.suppliers
    few = int(((sup["grade"] == "未评") & (sup["deliveries"] > 0)).sum())
    if few:
        parts += f"（未评中 {few} 家交付不足 {window.minimum} 次，样本不足，暂不评级）"
    text = (
        f"按{window.label()}的交付记录评价供应商 {total} 家：{parts}。"
        f"本期供方按时交付率为 {shown(analysis, 'supplier_on_time_rate')}。"
    )
    for s in rows(sup):
        if txt(s.get("grade")) == "D":
            name, no = txt(s.get("name")), txt(s["supplier_no"])
            who = f"{name}（{no}）" if name else no
            text += f"{who}{s['grade_note']}；{s['advice']}。"
    return text


def risk_row(r: dict[str, Any]) -> dict[str, str]:
    value = r.get("value")
    likelihood, impact = txt(r.get("likelihood")), txt(r.get("impact"))
    return {
        "no": txt(r["risk_no"]),
        "kind": txt(r["kind"]),
        "description": txt(r.get("description")),
        "score": f"{likelihood}×{impact}={txt(value)}" if not blank(value) else "未评分",
        "value": txt(value),
        "level": txt(r.get("level")),
        "measure": txt(r.get("measure")),
        "contingency": txt(r.get("contingency")),
        "status": txt(r.get("status")) or "未处置",
        "owner": txt(r.get("owner")),
        "planned": txt(r.get("planned")),
    }


def sorted_risks(analysis: Analysis, open_only: bool = False) -> list[dict[str, Any]]:
    frame = analysis.risks
    if frame.empty:
        return []
    if open_only:
        frame = frame[frame["status"] != "已关闭"]
    frame = frame.assign(_v=frame["value"].fillna(-1)).sort_values(
        ["_v", "row"], ascending=[False, True]
    )
    return rows(frame)


def risk_cells(analysis: Analysis) -> dict[tuple[int, int], int]:
    cells: Counter[tuple[int, int]] = Counter()
    for r in sorted_risks(analysis, open_only=True):
        if txt(r["kind"]) != "风险" or blank(r.get("likelihood")) or blank(r.get("impact")):
            continue
        cells[(int(r["likelihood"]), int(r["impact"]))] += 1
    return dict(cells)


def risk_summary(analysis: Analysis) -> str:
    risks = analysis.risks
    if risks.empty:
        return "台账中尚未登记风险和机遇。"
    is_risk = risks["kind"] == "风险"
    open_ = risks["status"] != "已关闭"
    level = risks["level"].astype(str)
    return (
        f"风险机遇登记表共 {len(risks)} 项，其中风险 {int(is_risk.sum())} 项、机遇 "
        f"{int((~is_risk).sum())} 项；未关闭的风险中高风险 {int((is_risk & open_ & (level == '高')).sum())} 项、"
        f"中风险 {int((is_risk & open_ & (level == '中')).sum())} 项，已关闭 "
        f"{int((is_risk & ~open_).sum())} 项。"
    )


def issue_row(i: dict[str, Any]) -> dict[str, str]:
    party = txt(i.get("breaching_party"))
    return {
        "no": txt(i["issue_no"]),
        "contract": txt(i.get("contract_no")) or "—",
        "found_on": txt(i.get("found_on")),
        "kind": txt(i.get("kind")),
        "party": (f"违约：{party}" if party else "违约") if i.get("breach") else "非违约",
        "description": txt(i.get("description")),
        "root_cause": txt(i.get("root_cause")) or NOT_RECORDED,
        "corrective_action": txt(i.get("corrective_action")) or NOT_RECORDED,
        "accountability": txt(i.get("accountability")) or NOT_RECORDED,
        "compensation": txt(i.get("compensation")) or NOT_RECORDED,
        "remedy": remedy_text(i),
        "status": issue_status(i),
    }


def remedy_text(i: dict[str, Any]) -> str:
    """The 责任追究与补偿 cell: for a breach both lines, a blank one as 未记录; for a problem that
    is not a breach only what was recorded (often nothing)."""
    accountability = txt(i.get("accountability"))
    compensation = txt(i.get("compensation"))
    if i.get("breach"):
        return f"追责：{accountability or NOT_RECORDED}\n补偿：{compensation or NOT_RECORDED}"
    lines = [f"追责：{accountability}" if accountability else ""]
    lines.append(f"补偿：{compensation}" if compensation else "")
    return "\n".join(x for x in lines if x)


def issue_status(i: dict[str, Any]) -> str:
    closed = i.get("closed_on")
    if not blank(closed):
        return f"已关闭\n{txt(closed)}"
    planned = i.get("planned")
    return f"处理中\n计划 {txt(planned)}" if not blank(planned) else "处理中"


def period_issues(analysis: Analysis, breach_only: bool = False) -> pd.DataFrame:
    issues = analysis.records["issues"]
    if issues.empty:
        return issues
    p = analysis.period
    found = issues["found_on"]
    in_period = (found >= p.s) & (found <= p.w)
    still_open = issues["closed_on"].isna() | (issues["closed_on"] > p.t)
    frame = issues[in_period | (still_open & (found <= p.t))]
    if breach_only:
        frame = frame[frame["breach"]]
    return frame.sort_values(["found_on", "row"])


def issue_summary(analysis: Analysis) -> str:
    frame = period_issues(analysis)
    if frame.empty:
        return "本期没有登记履约问题。"
    breaches = frame[frame["breach"]]
    own = breaches[breaches["breaching_party"] == "本方"]
    incomplete = sum(1 for a in analysis.alerts if a.code == "BREACH_NOT_ANALYSED")
    kinds = "、".join(f"{k} {n} 项" for k, n in Counter(frame["kind"]).most_common() if k)
    text = (
        f"本期涉及履约问题 {len(frame)} 项（{kinds}），其中违约事件 {len(breaches)} 项、"
        f"本方违约 {len(own)} 项；违约次数指标为 {shown(analysis, 'breach_count')}，"
        f"问题按期关闭率为 {shown(analysis, 'issue_closure_rate')}。"
    )
    if incomplete:
        text += f"有 {incomplete} 项违约事件的根本原因、纠正措施或责任追究尚未填写完整。"
    else:
        text += "违约事件均已分析根本原因、制定纠正措施并落实责任追究。"
    return text


def alert_row(a: Any) -> dict[str, str]:
    where = f"「{a.sheet}」第{a.row}行" if a.row else f"「{a.sheet}」"
    return {
        "level": a.level,
        "code": a.code,
        "title": TITLES.get(a.code, a.code),
        "where": f"{a.record} {where}".strip(),
        "message": a.message,
        "clause": a.clause,
    }


def alert_groups(analysis: Analysis) -> list[dict[str, str]]:
    counts = Counter((a.code, a.level, a.clause) for a in analysis.alerts)
    ordered = sorted(counts.items(), key=lambda kv: (LEVELS.index(kv[0][1]), -kv[1], kv[0][0]))
    return [
        {"title": TITLES.get(code, code), "level": level, "clause": clause, "count": str(n)}
        for (code, level, clause), n in ordered
    ]


def alert_summary(analysis: Analysis) -> str:
    counts = Counter(a.level for a in analysis.alerts)
    total = len(analysis.alerts)
    if not total:
        return f"截至基准日期 {analysis.period.as_of.isoformat()}，台账没有预警事项。"
    return (
        f"截至基准日期 {analysis.period.as_of.isoformat()}，台账共有预警 {total} 条：高 "
        f"{counts.get('高', 0)} 条、中 {counts.get('中', 0)} 条、低 {counts.get('低', 0)} 条。"
    )


# --- findings: conclusions and actions derived from the numbers --------------------------------

# Each improvement action belongs to one topic, so an indicator that missed its target and the
# warnings about the same records give one action, not two. The text names the records and counts
# behind it; nothing here suggests filling in records after the fact.
TOPIC_OF_INDICATOR: dict[str, str] = {
    "fulfillment_rate": "delivery",
    "fulfillment_rate_amount": "delivery",
    "on_time_delivery_rate": "delivery",
    "milestone_on_time_rate": "milestone",
    "quality_pass_rate": "quality",
    "customer_satisfaction": "satisfaction",
    "breach_count": "breach",
    "collection_rate": "receivable",
    "overdue_receivable": "receivable",
    "supplier_on_time_rate": "supplier",
    "issue_closure_rate": "issue",
    "commitment_fulfillment_rate": "commitment",
    "open_high_risks": "risk",
}
TOPIC_CODES: dict[str, tuple[str, ...]] = {
    "delivery": ("CONTRACT_OVERDUE",),
    "milestone": ("MILESTONE_OVERDUE",),
    "quality": (),
    "satisfaction": (),
    "breach": ("BREACH_NOT_ANALYSED",),
    "receivable": ("RECEIVABLE_OVERDUE",),
    "supplier": ("SUPPLIER_LOW_GRADE", "SUPPLIER_CREDIT_ABNORMAL", "SUPPLIER_DELIVERY_OVERDUE"),
    "issue": ("ISSUE_OVERDUE",),
    "commitment": ("COMMITMENT_OVERDUE",),
    "risk": ("HIGH_RISK_NO_MEASURE", "HIGH_RISK_NO_CONTINGENCY"),
    "review": ("CONTRACT_NOT_REVIEWED",),
    "agreement": ("CORE_SUPPLIER_NO_AGREEMENT",),
    "policy": ("REQUIRED_POLICY_MISSING",),
}
# topic -> what to do, given "（编号、编号 等 N 项）" of the records concerned
TOPIC_ACTION: dict[str, str] = {
    "delivery": "逐份分析到期未交付的收入性合同{eg}，明确补救计划和完成时间，必要时与客户协商；"
    "在合同评审中核实交付周期。",
    "milestone": "复核滞后节点{eg}的履约计划，增配资源并按周跟踪。",
    "quality": "对本期验收不合格的交付开展原因分析，加强出厂检验和过程检验。",
    "satisfaction": "回访评分偏低的客户，针对反馈制定改进措施。",
    "breach": "违约事件{eg}的根本原因、纠正措施或责任追究尚未形成结论：组织分析并落实，"
    "按实际完成的日期记录。",
    "receivable": "对逾期应收款{eg}逐笔催收并评估坏账风险；评审新合同时加强付款条件和客户信用的审查。",
    "supplier": "对交付或信用有问题的供应商{eg}约谈整改，必要时暂停新订单、启用备用供应商。",
    "issue": "督办逾期未关闭的履约问题{eg}，明确关闭期限。",
    "commitment": "逐项跟踪逾期未兑现的承诺{eg}，落实责任部门和兑现证据。",
    "risk": "高风险{eg}缺少应对措施或应急预案：制定并登记，指定责任人和完成期限。",
    "review": "合同{eg}签订前未经评审：查明绕过评审的原因，重申“先评审、后签订”，"
    "在签订流程中设置评审确认；评审记录按实际评审日期填写，不补填、不倒签。",
    "agreement": "与尚未签订履约保障协议的核心供应商{eg}签订协议，明确违约责任和应急措施。",
    "policy": "制定并发布缺少的制度{eg}（见 6.3.2），登记到「成文信息」。",
}


def join_names(items: Iterable[str], limit: int = 5, unit: str = "项") -> str:
    """«A、B、C», or «A、B、C 等 7 项» when there are more than ``limit``; blanks dropped."""
    names = _unique(x for x in (str(i).strip() for i in items) if x)
    if len(names) <= limit:
        return "、".join(names)
    return "、".join(names[:limit]) + f" 等 {len(names)} {unit}"


def _records_of(analysis: Analysis, codes: Iterable[str]) -> list[str]:
    wanted = set(codes)
    return _unique(a.record for a in analysis.alerts if a.code in wanted and a.record)


def _action(analysis: Analysis, topic: str) -> str:
    records = _records_of(analysis, TOPIC_CODES.get(topic, ()))
    if topic == "policy":
        records = [f"《{name}》" for _, name in missing_policies(analysis.records)]
    eg = f"（{join_names(records)}）" if records else ""
    return TOPIC_ACTION[topic].format(eg=eg)


def findings(analysis: Analysis) -> tuple[list[str], list[str]]:
    """(conclusions, improvement actions) from the indicators, targets, alerts and records."""
    conclusions: list[str] = []
    actions: list[str] = []
    topics_done: set[str] = set()
    fr = analysis.indicator("fulfillment_rate")
    ot = analysis.indicator("on_time_delivery_rate")
    due = int(fr.denominator or 0)
    if due:
        conclusions.append(
            f"本期到期应当履行的收入性合同 {due} 份，合同履约率 {format_value(fr.value, fr.unit)}，"
            f"按时交付率 {format_value(ot.value, ot.unit)}，质量达标率 "
            f"{shown(analysis, 'quality_pass_rate')}，客户满意度 {shown(analysis, 'customer_satisfaction')}。"
        )
    else:
        conclusions.append("本期没有到期应当履行的收入性合同，合同履约率等比例指标无数据。")
    unfulfilled = {k: v for k, v in analysis.unfulfilled.items() if v}
    if unfulfilled:
        parts = "、".join(f"{k} {v} 份" for k, v in unfulfilled.items())
        conclusions.append(f"到期未履行的合同按原因：{parts}。")
        if unfulfilled.get("本方违约"):
            actions.append(
                f"对 {unfulfilled['本方违约']} 份本方违约未履行的合同逐份追溯原因，落实补偿和责任追究。"
            )
    missed = [o for o in rows(current_objectives(analysis)) if o["achieved"] == "未达成"]
    met = [o for o in rows(current_objectives(analysis)) if o["achieved"] == "达成"]
    for o in missed:
        unit = txt(o.get("unit"))
        actual = format_value(None if blank(o["actual"]) else float(o["actual"]), unit)
        target = target_text(txt(o["comparison"]), o.get("target_value"), unit)
        conclusions.append(
            f"目标 {txt(o['objective_no'])}「{txt(o['indicator'])}」实际 {actual}，未达到目标（{target}）。"
        )
        key = next((k for k in UNIT_OF if analysis.indicator(k).name == o["indicator"]), "")
        topic = TOPIC_OF_INDICATOR.get(key)
        if topic and topic not in topics_done:
            topics_done.add(topic)
            actions.append(
                f"{txt(o['indicator'])}实际 {actual}、目标{target}：{_action(analysis, topic)}"
            )
    if met and not missed:
        conclusions.append(f"本期 {len(met)} 项履约目标全部达成。")
    elif met:
        conclusions.append(f"其余 {len(met)} 项履约目标已达成。")
    high = [a for a in analysis.alerts if a.level == "高"]
    if high:
        kinds = Counter(TITLES.get(a.code, a.code) for a in high)
        conclusions.append(
            f"截至基准日期有高等级预警 {len(high)} 条："
            + "、".join(f"{k} {n} 条" for k, n in kinds.most_common())
            + "。"
        )
    for topic, codes in TOPIC_CODES.items():
        if topic in topics_done or not codes or not _records_of(analysis, codes):
            continue
        if topic == "delivery" and unfulfilled.get("本方违约"):
            continue  # said above, contract by contract
        topics_done.add(topic)
        actions.append(_action(analysis, topic))
    if not actions:
        actions.append("保持现有做法，下一统计期适当提高履约目标，挑战更高的履约水平。")
    return conclusions, _unique(actions)


def _unique(items: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for item in items:
        if item not in seen:
            seen.add(item)
            out.append(item)
    return out


# --- capped listings: a document stays readable whatever the size of the ledger -----------------

ALERTS_PER_GROUP = 20  # warnings listed per type and level; the full list is 预警清单
TABLE_LIMIT = 50  # rows of a record table listed in a report; the full table is in the workbook


def alert_details(
    analysis: Analysis, per_group: int = ALERTS_PER_GROUP
) -> tuple[list[dict[str, str]], str]:
    """The first ``per_group`` warnings of each type and level (groups in the order of
    :func:`alert_groups`, warnings in the engine's order: date, sheet, row), and one sentence
    saying how many are listed and where the full list is."""
    groups: dict[tuple[str, str, str], list[Any]] = {}
    for alert in analysis.alerts:
        groups.setdefault((alert.code, alert.level, alert.clause), []).append(alert)
    ordered = sorted(groups.items(), key=lambda kv: (LEVELS.index(kv[0][1]), -len(kv[1]), kv[0][0]))
    listed = [alert_row(a) for _, alerts in ordered for a in alerts[:per_group]]
    total = len(analysis.alerts)
    where = f"工作簿的「{schema.ALERTS_SHEET}」（刷新后生成，可按级别、类型筛选，点击记录可跳到原始记录）"
    if not total:
        note = ""
    elif len(listed) == total:
        note = f"下表按等级和类型列出全部 {total} 条预警；{where}中有同样的清单。"
    else:
        note = (
            f"下表按等级和类型各列出前 {per_group} 条预警（共列出 {len(listed)} 条，"
            f"全部 {total} 条）；完整清单见{where}。"
        )
    return listed, note


def capped(
    table: list[dict[str, str]], measure: str, noun: str, sheet: str, order: str = ""
) -> tuple[list[dict[str, str]], str]:
    """The first ``limit`` rows of a document table, and a sentence naming the sheet that holds
    them all when some were left out: ``共 200 家供应商，下表列出前 50 家；全部记录见工作簿的
    「供应商」。`` (``measure`` 家, ``noun`` 供应商; ``order`` e.g. 按风险值从高到低)."""
    if len(table) <= TABLE_LIMIT:
        return table, ""
    return (
        table[:TABLE_LIMIT],
        f"共 {len(table)} {measure}{noun}，下表{order}列出前 {TABLE_LIMIT} {measure}；"
        f"全部记录见工作簿的「{sheet}」。",
    )
