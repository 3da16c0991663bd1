"""履约管理手册 (6.3.2): the firm's own practice, chapter by chapter, filled from the workbook.

The cover's 文件编号, 版本, 发布日期 and 批准人 come from the 现行 手册 row of 成文信息 when there is
one (DESIGN §5); otherwise the cover says the manual is not registered yet.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from lyue_xl import schema
from lyue_xl.documents import common
from lyue_xl.documents.common import txt
from lyue_xl.documents.output import output_path
from lyue_xl.documents.render import render
from lyue_xl.period import credit_valid_months, soon_days

if TYPE_CHECKING:
    from lyue_xl.engine import Analysis

TEMPLATE = "manual.docx"
LABEL = "履约管理手册"
NOT_REGISTERED = "（未在成文信息中登记）"


def current_documents(analysis: Analysis) -> pd.DataFrame:
    docs = analysis.records["documents"]
    return docs[docs["status"] == "现行"]


def manual_row(analysis: Analysis) -> dict[str, Any] | None:
    """The 现行 手册 row of 成文信息 (one named 履约…手册 first)."""
    docs = current_documents(analysis)
    manuals = docs[docs["category"] == "手册"]
    if manuals.empty:
        return None
    preferred = manuals[manuals["name"].str.contains("履约", na=False)]
    return common.rows(preferred if not preferred.empty else manuals)[0]


def cover(analysis: Analysis) -> dict[str, str]:
    row = manual_row(analysis)
    top = txt(analysis.records.info.get("top_manager"))
    if row is None:
        return {
            "doc_no": NOT_REGISTERED,
            "version": NOT_REGISTERED,
            "issued_on": NOT_REGISTERED,
            "effective_on": NOT_REGISTERED,
            "approver": top or NOT_REGISTERED,
        }
    issued = txt(row.get("issued_on"))
    return {
        "doc_no": txt(row["doc_no"]) or NOT_REGISTERED,
        "version": txt(row.get("version")) or NOT_REGISTERED,
        "issued_on": issued or NOT_REGISTERED,
        "effective_on": issued or NOT_REGISTERED,
        "approver": txt(row.get("approver")) or top or NOT_REGISTERED,
    }


def policy_rows(analysis: Analysis) -> list[dict[str, str]]:
    """The six 制度 of 6.3.2 and the 现行 制度 row that provides each, if any."""
    docs = current_documents(analysis)
    rules = docs[docs["category"] == "制度"]
    out = []
    for letter, (word, title) in zip("abcdef", schema.REQUIRED_POLICIES, strict=True):
        match = rules[rules["name"].str.contains(word, na=False, regex=False)]
        if match.empty:
            out.append(
                {
                    "item": f"{letter})",
                    "name": title,
                    "doc_no": "—",
                    "version": "—",
                    "issued_on": "—",
                    "status": "未建立（待制定）",
                }
            )
            continue
        found = common.rows(match)[0]
        out.append(
            {
                "item": f"{letter})",
                "name": txt(found["name"]),
                "doc_no": txt(found["doc_no"]),
                "version": txt(found.get("version")),
                "issued_on": txt(found.get("issued_on")),
                "status": "现行",
            }
        )
    return out


def _context_rows(frame: pd.DataFrame, category: str) -> list[dict[str, str]]:
    part = frame[frame["category"] == category] if not frame.empty else frame
    return [
        {
            "no": txt(r["context_no"]),
            "category": txt(r["category"]),
            "subject": txt(r["subject"]),
            "expectation": txt(r.get("expectation")),
            "response": txt(r.get("response")),
            "department": txt(r.get("department")),
            "reviewed_on": txt(r.get("reviewed_on")),
        }
        for r in common.rows(part)
    ]


def _commitments(frame: pd.DataFrame, kind: str) -> list[dict[str, str]]:
    part = frame[frame["kind"] == kind] if not frame.empty else frame
    return [
        {
            "no": txt(c["commitment_no"]),
            "content": txt(c["content"]),
            "basis": txt(c.get("basis")),
            "department": txt(c.get("department")),
            "deadline": txt(c.get("deadline")) or "长期",
            "status": txt(c.get("status")) or "未开始",
        }
        for c in common.rows(part)
    ]


def document_rows(frame: pd.DataFrame) -> list[dict[str, str]]:
    return [
        {
            "no": txt(d["doc_no"]),
            "name": txt(d["name"]),
            "category": txt(d["category"]),
            "version": txt(d.get("version")),
            "issued_on": txt(d.get("issued_on")),
            "approver": txt(d.get("approver")),
            "next_review": txt(d.get("next_review")),
            "status": txt(d.get("status")),
        }
        for d in common.rows(frame)
    ]


def _in_period(dates: pd.Series, analysis: Analysis) -> pd.Series:
    p = analysis.period
    return (dates >= p.s) & (dates <= p.w)


def context(analysis: Analysis) -> dict[str, Any]:
    records = analysis.records
    ctx = common.base_context(analysis)
    ctx.update(cover(analysis))
    contracts = records["contracts"]
    suppliers = records["suppliers"]
    risks = analysis.risks
    training = records["training"]
    held = training["held_on"] if not training.empty else pd.Series(dtype="datetime64[ns]")
    done = held[held <= analysis.period.t]
    changes = records["changes"]
    is_risk = risks["kind"] == "风险"
    open_ = risks["status"] != "已关闭"
    major = [
        common.risk_row(r)
        for r in common.sorted_risks(analysis, open_only=True)
        if txt(r["kind"]) == "风险" and txt(r.get("level")) in ("高", "中")
    ]
    commitments = records["commitments"]
    ctx.update(
        {
            "objectives": common.objective_rows(analysis),
            "policies": policy_rows(analysis),
            "document_count": len(current_documents(analysis)),
            "documents": document_rows(current_documents(analysis)),
            "roles": [
                {
                    "post": txt(r["post"]),
                    "person": txt(r.get("person")),
                    "duties": txt(r["duties"]),
                    "authority": txt(r.get("authority")),
                }
                for r in common.rows(records["roles"])
            ],
            "context_internal": _context_rows(records["context"], "内部环境"),
            "context_external": _context_rows(records["context"], "外部环境"),
            "parties": _context_rows(records["context"], "相关方"),
            "commitment_total": len(commitments),
            "commitments_prescribed": _commitments(commitments, "规定性"),
            "commitments_agreed": _commitments(commitments, "约定性"),
            "commitments_voluntary": _commitments(commitments, "自愿性"),
            "risk_count": int(is_risk.sum()),
            "high_risk_count": int((is_risk & (risks["level"] == "高")).sum()),
            "open_risk_count": int((is_risk & open_).sum()),
            "opportunity_count": int((~is_risk).sum()),
            "major_risks": major,
            "change_count": int(_in_period(changes["changed_on"], analysis).sum())
            if not changes.empty
            else 0,
            "training_count": int(_in_period(held, analysis).sum()) if not training.empty else 0,
            "training_last": txt(done.max()) if not done.empty else "",
            "contract_count": len(contracts),
            "income_count": int((contracts["nature"] == "收入性").sum()),
            "expense_count": int((contracts["nature"] == "支出性").sum()),
            "unreviewed_count": sum(
                1 for a in analysis.alerts if a.code == "CONTRACT_NOT_REVIEWED"
            ),
            "supplier_count": len(suppliers),
            "core_supplier_count": int(suppliers["core"].sum()),
            "core_with_agreement": int((suppliers["core"] & suppliers["agreement"]).sum()),
            "emergency_plans": [
                {
                    "no": txt(e["plan_no"]),
                    "name": txt(e["name"]),
                    "scenario": txt(e.get("scenario")),
                    "drilled_on": txt(e.get("drilled_on")) or "未演练",
                    "drill_result": txt(e.get("drill_result")),
                    "owner": txt(e.get("owner")),
                }
                for e in common.rows(records["emergency"])
            ],
            "soon_days": soon_days(records.settings),
            "credit_months": credit_valid_months(records.settings),
        }
    )
    return ctx


def write_manual(analysis: Analysis, out: Path | str | None = None) -> Path:
    out = output_path(analysis, LABEL, ".docx", out)
    return render(TEMPLATE, context(analysis), out)
