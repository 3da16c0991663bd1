"""Word documents from ``docx_templates/`` (DESIGN §8): 履约管理手册, 审核资料包, 履约评估报告 and
管理评审输入报告. Each ``write_X(analysis, out=None) -> Path``; without ``out`` the file goes to
the workbook's folder as "组织名称-文档名-YYYYMMDD.ext" (see :mod:`lyue_xl.documents.output`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lyue_xl.engine import Analysis

DOCUMENT_KINDS: dict[str, str] = {
    "manual": "履约管理手册",
    "audit_pack": "审核资料包",
    "report": "履约评估报告",
    "review_input": "管理评审输入报告",
    "audit_kit": "内审资料",
}
KINDS = tuple(DOCUMENT_KINDS)


def write_document(
    kind: str, analysis: Analysis, out: Path | str | None = None, *, force: bool = False
) -> Path:
    """Write one document (``kind`` in :data:`KINDS`) and return its path. ``force``: replace a
    履约管理手册 edited since it was generated (after a backup)."""
    if kind == "manual":
        from lyue_xl.documents.manual import write_manual

        return write_manual(analysis, out, force=force)
    if kind == "audit_pack":
        from lyue_xl.documents.audit_pack import write_audit_pack

        return write_audit_pack(analysis, out)
    if kind == "report":
        from lyue_xl.documents.report import write_report

        return write_report(analysis, out)
    if kind == "review_input":
        from lyue_xl.documents.review_input import write_review_input

        return write_review_input(analysis, out)
    if kind == "audit_kit":
        from lyue_xl.documents.audit_kit import write_audit_kit

        return write_audit_kit(analysis, out)
    raise ValueError(kind)
