"""内审资料 (`lyue-xl audit-kit`, Annex A): a zip of the annual internal-audit plan covering every
clause of chapters 4–11 and Annex A, a per-clause checklist with the requirement, the question to
ask and records sampled from the workbook, a blank nonconformity report, an audit-report template,
and an xlsx of 审核记录 rows to fill in and paste back into the workbook (so that a later
refresh counts the audit).

Sampling is reproducible: the riskiest records first (unreviewed, overdue, breached …), the rest
ordered by a hash of the year and the record id — the same workbook gives the same sample.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from lyue_xl import schema
from lyue_xl.documents import common
from lyue_xl.documents.common import blank, txt
from lyue_xl.documents.forms import LINE, LONG_LINE, _form
from lyue_xl.documents.output import output_path, save_atomically
from lyue_xl.documents.render import clean_text, render

if TYPE_CHECKING:
    from lyue_xl.assessment import Clause
    from lyue_xl.engine import Analysis

LABEL = "内审资料"
CONTRACT_SAMPLE = 5
OTHER_SAMPLE = 3
REPORT_ROWS = 8
# the month of the year each chapter is audited in (every clause of 4–11 and Annex A)
PLAN_MONTHS: dict[str, int] = {
    "4": 3,
    "5": 3,
    "6": 3,
    "7": 5,
    "8": 7,
    "9": 9,
    "10": 11,
    "11": 11,
    "附录A": 11,
}
TEXT_KEYS = ("name", "description", "topic", "content", "decision", "finding", "subject", "post")
FILES = (
    ("01-年度内审计划.docx", "audit_plan.docx"),
    ("02-内审检查表.docx", "audit_kit_checklist.docx"),
    ("03-不符合报告.docx", "forms.docx"),
    ("04-内审报告.docx", "audit_report.docx"),
    ("05-审核记录（填写后粘贴到台账）.xlsx", None),
)


@dataclass(frozen=True)
class Sample:
    record: str
    why: str


def _hash(year: int, record: str) -> str:
    return hashlib.sha256(f"{year}:{record}".encode()).hexdigest()


def _describe(sheet: schema.Sheet, r: dict[str, Any]) -> str:
    no = txt(r.get(sheet.id_column or "")) if sheet.id_column else ""
    if not no and sheet.key in ("milestones", "payments"):
        no = f"{txt(r.get('contract_no'))}/{txt(r.get('name') or r.get('installment'))}"
    text = next((txt(r.get(k)) for k in TEXT_KEYS if txt(r.get(k))), "")
    if len(text) > 24:
        text = text[:24] + "…"
    return f"{no} {text}".strip() or f"第 {txt(r.get('row'))} 行"


def _risk_reasons(analysis: Analysis, key: str, frame: pd.DataFrame) -> list[list[str]]:
    """Why each row of ``frame`` deserves a look (empty list: nothing special)."""
    t = analysis.period.t
    out: list[list[str]] = [[] for _ in range(len(frame))]
    if frame.empty:
        return out
    rows = common.rows(frame)
    if key == "contracts":
        breached = set()
        issues = analysis.records["issues"]
        if not issues.empty:
            breached = set(issues.loc[issues["breach"], "contract_no"].astype(str))
        for reasons, r in zip(out, rows, strict=True):
            reviewed, signed = r.get("reviewed_on"), r.get("signed_on")
            if blank(reviewed):
                reasons.append("未评审")
            elif not blank(signed) and pd.Timestamp(reviewed) > pd.Timestamp(signed):  # type: ignore[arg-type]
                reasons.append("先签后审")
            if txt(r.get("review_result")) == "不通过":
                reasons.append("评审不通过")
            state = txt(r.get("state")) or "履行中"
            planned = r.get("planned_delivery")
            if (
                state == "履行中"
                and blank(r.get("actual_delivery"))
                and not blank(planned)
                and pd.Timestamp(planned) < t  # type: ignore[arg-type]
            ):
                reasons.append("逾期未交付")
            if state.startswith("未履行") or txt(r.get("contract_no")) in breached:
                reasons.append("违约")
    elif key == "suppliers":
        for reasons, r in zip(out, rows, strict=True):
            if txt(r.get("grade")) == "D":
                reasons.append("D 级")
            if txt(r.get("credit_result")) == "异常":
                reasons.append("信用异常")
            if r.get("core") and not r.get("agreement"):
                reasons.append("核心供应商无协议")
    elif key == "issues":
        for reasons, r in zip(out, rows, strict=True):
            if r.get("breach"):
                reasons.append("违约")
            if blank(r.get("closed_on")):
                reasons.append("未关闭")
    elif key == "risks":
        for reasons, r in zip(out, rows, strict=True):
            if txt(r.get("level")) == "高" and txt(r.get("status")) != "已关闭":
                reasons.append("高风险未关闭")
    return out


def sample_records(analysis: Analysis, key: str, size: int) -> list[Sample]:
    """``size`` records of sheet ``key``: the riskiest first, then by a reproducible hash."""
    sheet = schema.BY_KEY[key]
    frame = {"suppliers": analysis.suppliers, "risks": analysis.risks}.get(
        key, analysis.records[key]
    )
    if frame.empty:
        return []
    if key == "contracts":
        frame = frame[~(frame["signed_on"] > analysis.period.t)]
    reasons = _risk_reasons(analysis, key, frame)
    year = analysis.period.as_of.year
    ranked = sorted(
        zip(common.rows(frame), reasons, strict=True),
        key=lambda pair: (-len(pair[1]), _hash(year, _describe(sheet, pair[0]))),
    )
    return [
        Sample(_describe(sheet, r), "、".join(why) if why else "常规抽样")
        for r, why in ranked[:size]
    ]


def _question(clause: Clause) -> str:
    if clause.look_at:
        return f"请出示证据并说明：{clause.look_at}"
    return f"请出示记录，说明本单位怎样做到这一条。对照的做法：{clause.suggestion}"


def _clauses(analysis: Analysis) -> list[Clause]:
    from lyue_xl.assessment import load_catalogue

    return [c for c in load_catalogue() if c.chapter in PLAN_MONTHS]


def checklist_items(analysis: Analysis) -> list[dict[str, Any]]:
    items = []
    for clause in _clauses(analysis):
        keys = [
            schema.BY_NAME[name].key
            for name in clause.evidence
            if name in schema.BY_NAME and not schema.BY_NAME[name].is_keyvalue
        ]
        samples: list[Sample] = []
        if keys:
            size = CONTRACT_SAMPLE if keys[0] == "contracts" else OTHER_SAMPLE
            samples = sample_records(analysis, keys[0], size)
        sheet_name = schema.BY_KEY[keys[0]].name if keys else ""
        rows = [{"record": s.record, "why": s.why} for s in samples] or [
            {
                "record": LINE,
                "why": "现场查阅" + (f"（「{sheet_name}」无记录）" if sheet_name else ""),
            }
        ]
        items.append(
            {
                "number": clause.number,
                "title": clause.title,
                "requirement": clause.requirement,
                "question": _question(clause),
                "source": f"「{sheet_name}」" if sheet_name else "文件和现场",
                "samples": rows,
            }
        )
    return items


def plan_rows(analysis: Analysis) -> list[dict[str, str]]:
    year = analysis.period.as_of.year
    return [
        {
            "number": c.number,
            "title": c.title,
            "month": f"{year} 年 {PLAN_MONTHS[c.chapter]} 月",
            "department": LINE,
            "auditor": LINE,
        }
        for c in _clauses(analysis)
    ]


def finding_numbers(analysis: Analysis, count: int) -> list[str]:
    """The next free 记录编号 of this year's internal audit: NS-2026-01, NS-2026-02 …"""
    audits = analysis.records["audits"]
    taken = set(audits["finding_no"].astype(str)) if not audits.empty else set()
    year = analysis.period.as_of.year
    out: list[str] = []
    n = 1
    while len(out) < count:
        candidate = f"NS-{year}-{n:02d}"
        if candidate not in taken:
            out.append(candidate)
        n += 1
    return out


def kit_context(analysis: Analysis) -> dict[str, Any]:
    ctx = common.base_context(analysis)
    year = analysis.period.as_of.year
    ctx["org_name"] = txt(analysis.records.info.get("org_name")) or LINE
    ctx["scope"] = txt(analysis.records.info.get("scope")) or LONG_LINE
    ctx.update(
        {
            "year": str(year),
            "plan_rows": plan_rows(analysis),
            "items": checklist_items(analysis),
            "report_rows": [{"no": no} for no in finding_numbers(analysis, REPORT_ROWS)],
            "line": LINE,
            "long_line": LONG_LINE,
        }
    )
    return ctx


def nonconformity_context(analysis: Analysis) -> dict[str, Any]:
    ctx = common.base_context(analysis)
    ctx["org_name"] = txt(analysis.records.info.get("org_name")) or LINE
    form = _form(
        [
            ("记录编号", LINE),
            ("审核日期", LINE),
            ("条款", LINE),
            ("受审部门", LINE),
            ("审核员", LINE),
            ("发现类型", "□不符合　□观察项"),
        ],
        [
            ("不符合事实", LONG_LINE),
            ("不符合的要求", LONG_LINE),
            ("原因分析", LONG_LINE),
            ("纠正措施", LONG_LINE),
            ("完成期限", LINE),
            ("措施验证", f"验证人：{LINE}　验证日期：{LINE}　是否有效：{LINE}"),
        ],
        ["审核员（签字）", "受审部门负责人（签字）"],
    )
    ctx["forms"] = [
        {"title": "内审不符合报告", "clause": "附录A", "code": LINE, "record": LINE, **form}
    ]
    return ctx


def write_paste_workbook(analysis: Analysis, target: io.BytesIO) -> None:
    """审核记录 rows to fill in: the sheet's labels in the schema's order, one row per
    planned clause with 记录编号, 审核类型 内审 and 条款 already filled."""
    import xlsxwriter

    book = xlsxwriter.Workbook(target, {"in_memory": True})
    head = book.add_format({"bold": True, "bg_color": "#D9E2F3", "border": 1})
    day = book.add_format({"num_format": "yyyy-mm-dd", "border": 1})
    plain = book.add_format({"border": 1})
    ws = book.add_worksheet(schema.AUDITS.name)
    columns = schema.AUDITS.columns
    for c, col in enumerate(columns):
        ws.write_string(0, c, col.label, head)
        ws.set_column(c, c, col.width, day if col.type == "date" else plain)
    clauses = [r["number"] for r in plan_rows(analysis)]
    numbers = finding_numbers(analysis, len(clauses))
    index = {col.key: i for i, col in enumerate(columns)}
    for r, (no, clause) in enumerate(zip(numbers, clauses, strict=True), start=1):
        ws.write_string(r, index["finding_no"], no, plain)
        ws.write_string(r, index["audit_type"], "内审", plain)
        ws.write_string(r, index["clause"], clause, plain)
    ws.freeze_panes(1, 0)
    notes = book.add_worksheet("填写说明")
    for r, line in enumerate(
        (
            "1. 每个条款审核后，在「审核记录」工作表中填写审核日期、发现类型（符合/不符合/观察项/改进建议）、"
            "发现描述、纠正措施、责任部门和审核员；一条发现一行，可复制行。",
            "2. 未审核的条款整行删除（审核日期是必填项）。",
            "3. 选中填好的行（从“记录编号”列到最后一列），复制后粘贴到台账「审核记录」表最后一行之下；"
            "各列顺序与台账相同。",
            "4. 粘贴后运行“校验数据”和“刷新指标与预警”：本次内审计入体系自评（附录A）和年度内审提醒。",
        )
    ):
        notes.write_string(r, 0, clean_text(line))
    notes.set_column(0, 0, 120)
    book.close()


def write_audit_kit(analysis: Analysis, out: Path | str | None = None) -> Path:
    out = output_path(analysis, LABEL, ".zip", out)
    kit = kit_context(analysis)
    contexts = {
        "audit_plan.docx": kit,
        "audit_kit_checklist.docx": kit,
        "forms.docx": nonconformity_context(analysis),
        "audit_report.docx": kit,
    }

    def save(temp: Path) -> None:
        work = temp.parent
        with zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED) as pack:
            for name, template in FILES:
                if template is None:
                    buffer = io.BytesIO()
                    write_paste_workbook(analysis, buffer)
                    pack.writestr(name, buffer.getvalue())
                    continue
                part = work / f".~lyue-part-{template}"
                try:
                    render(template, contexts[template], part)
                    pack.write(part, name)
                finally:
                    part.unlink(missing_ok=True)

    save_atomically(out, save)
    return out
