"""履约管理手册 (6.3.2): a controlled document stating the firm's practice, filled from the workbook.

- Its text changes only when the firm's system changes (policy, scope, roles, 制度 list, methods):
  no live figures, open risks or dated commitments (those are in the 履约评估报告), and no product
  name.
- The cover's 文件编号, 版本, 发布日期 and 批准人 come from the 现行 手册 row of 成文信息 (DESIGN §5).
  Without a complete one (version, 发布日期 by T and 批准人), every page's header says
  「草稿，未受控」.
- A firm-owned template is used when there is one: the path in 设置's 手册模板 (relative to the
  workbook's folder), else ``履约管理手册模板.docx`` beside the workbook, else the built-in one.
- A manual the firm has edited since the product wrote it is never replaced without ``force``: a
  hash of what was written (its ``word/`` parts) is kept in ``.lyue-backup/NAME.sha256`` and
  compared before writing; with ``force`` the edited file is backed up first, as for every
  document.
"""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from lyue_xl import schema
from lyue_xl.documents import common
from lyue_xl.documents.common import txt
from lyue_xl.documents.output import output_path
from lyue_xl.documents.render import render
from lyue_xl.errors import LyueError
from lyue_xl.period import (
    credit_valid_months,
    soon_days,
    supplier_min_deliveries,
    supplier_months,
)
from lyue_xl.workbook.safe_write import BACKUP_DIR

if TYPE_CHECKING:
    from lyue_xl.engine import Analysis

TEMPLATE = "manual.docx"
LABEL = "履约管理手册"
FIRM_TEMPLATE = "履约管理手册模板.docx"  # a firm-owned template beside the workbook
NOT_REGISTERED = "（未在成文信息中登记）"
DRAFT = "草稿，未受控"
CONTROLLED = "受控"


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
    """The cover's control block and the page-header mark: 受控 only for a 现行 手册 row with a
    版本, a 发布日期 on or before T and a 批准人; anything less is a 草稿."""
    row = manual_row(analysis) or {}
    issued = txt(row.get("issued_on"))
    controlled = bool(
        row
        and txt(row.get("version"))
        and issued
        and txt(row.get("approver"))
        and pd.Timestamp(issued) <= analysis.period.t
    )
    return {
        "doc_no": txt(row.get("doc_no")) or NOT_REGISTERED,
        "version": txt(row.get("version")) or NOT_REGISTERED,
        "issued_on": issued or NOT_REGISTERED,
        "effective_on": issued or NOT_REGISTERED,
        "approver": txt(row.get("approver")) or NOT_REGISTERED,
        "control_status": CONTROLLED if controlled else DRAFT,
        "draft_mark": "" if controlled else f"　{DRAFT}",
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


def context(analysis: Analysis) -> dict[str, Any]:
    records = analysis.records
    ctx = common.base_context(analysis)
    ctx.update(cover(analysis))
    commitments = records["commitments"]
    ctx.update(
        {
            "objectives": common.objective_rows(analysis),
            "policies": policy_rows(analysis),
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
            "commitments_prescribed": _commitments(commitments, "规定性"),
            "commitments_agreed": _commitments(commitments, "约定性"),
            "commitments_voluntary": _commitments(commitments, "自愿性"),
            "emergency_plans": [
                {
                    "no": txt(e["plan_no"]),
                    "name": txt(e["name"]),
                    "scenario": txt(e.get("scenario")),
                    "owner": txt(e.get("owner")),
                }
                for e in common.rows(records["emergency"])
            ],
            "soon_days": soon_days(records.settings),
            "credit_months": credit_valid_months(records.settings),
            "supplier_months": supplier_months(records.settings),
            "supplier_min_deliveries": supplier_min_deliveries(records.settings),
        }
    )
    return ctx


def template_for(analysis: Analysis) -> str:
    """The template to render: 设置's 手册模板 (a path; relative ones from the workbook's folder),
    else 履约管理手册模板.docx beside the workbook, else the built-in one."""
    folder = Path(analysis.records.path).resolve().parent
    registered = txt(analysis.records.settings.get("manual_template"))
    if registered:
        path = Path(registered)
        path = path if path.is_absolute() else folder / path
        if not path.is_file():
            raise LyueError(
                f"「设置」中的手册模板“{registered}”找不到（查找位置：{path}）；"
                "请改正路径，或清空该项改用程序自带的模板。"
            )
        return str(path.resolve())
    beside = folder / FIRM_TEMPLATE
    return str(beside.resolve()) if beside.is_file() else TEMPLATE


def written_hash(path: Path) -> str | None:
    """A hash of a .docx's ``word/`` parts (what Word changes when the text is edited); None when
    it cannot be read as one."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            if "word/document.xml" not in names:
                return None
            digest = hashlib.sha256()
            for name in sorted(n for n in names if n.startswith("word/")):
                digest.update(name.encode("utf-8") + b"\0" + archive.read(name) + b"\0")
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    return digest.hexdigest()


def record_file(out: Path) -> Path:
    return out.parent / BACKUP_DIR / f"{out.name}.sha256"


def check_unedited(out: Path) -> None:
    """Refuse to replace a manual whose content differs from what the product last wrote there
    (or that the product has no record of writing)."""
    if not out.is_file():
        return
    record = record_file(out)
    try:
        recorded = record.read_text("utf-8").strip()
    except OSError:
        recorded = ""
    actual = written_hash(out)
    if actual is None:
        return  # not a Word file: the output rules refuse it, with or without force
    if recorded == actual:
        return
    why = "在上次生成后已被修改（例如在 Word 中编辑过）" if recorded else "不是本程序上次生成的版本"
    raise LyueError(
        f"“{out}”{why}，为免丢失其中的修改，本次没有覆盖它。请把修改写进手册模板"
        f"（与台账同一文件夹中的“{FIRM_TEMPLATE}”）后重新生成；确认不再需要这些修改时，"
        "在命令后加 --force 重新生成（原文件会先备份到 .lyue-backup 文件夹）。"
    )


def write_manual(analysis: Analysis, out: Path | str | None = None, *, force: bool = False) -> Path:
    out = output_path(analysis, LABEL, ".docx", out)
    if not force:
        check_unedited(out)
    org = analysis.records.org_name

    def finish(document: Any) -> None:
        props = document.core_properties  # the firm's document: no product name in it
        props.author = org
        props.last_modified_by = org
        props.title = LABEL

    render(template_for(analysis), context(analysis), out, finish=finish)
    digest = written_hash(out)
    record = record_file(out)
    try:
        record.parent.mkdir(exist_ok=True)
        record.write_text(f"{digest}\n", "utf-8")
    except OSError:
        pass  # without the record the next run refuses to overwrite: safe
    return out
