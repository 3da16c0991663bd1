"""审核资料包 (Annex A): a zip of an index, the clause-by-clause checklist, the indicator and
sampling records document, and an evidence workbook extract (.xlsx, values only)."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from lyue_xl import schema
from lyue_xl.alerts import TITLES
from lyue_xl.documents import common
from lyue_xl.documents.common import blank, txt
from lyue_xl.documents.manual import document_rows
from lyue_xl.documents.output import output_path, safe_filename, save_atomically
from lyue_xl.documents.render import clean_text, render
from lyue_xl.documents.review_input import audit_rows
from lyue_xl.evidence import all_links

if TYPE_CHECKING:
    from lyue_xl.engine import Analysis

LABEL = "审核资料包"
SAMPLE_LIMIT = 300  # rows of one sampling table in Word; the xlsx extract holds everything
FILES = (
    (
        "00-审核资料包目录.docx",
        "audit_index.docx",
        "本目录：受审核组织、资料清单、自评概况和抽样建议",
    ),
    (
        "01-条款核查表.docx",
        "audit_checklist.docx",
        "逐条款的要求、证据来源（记录表、记录数、示例）、自评结论、差距与建议",
    ),
    (
        "02-指标与抽样记录.docx",
        "audit_records.docx",
        "履约指标与目标；合同评审、供应商评价、风险登记、违约处置、培训、受控文件和审核记录",
    ),
    (
        "03-证据记录摘录.xlsx",
        None,
        "台账各记录表的数值摘录（每类记录一个工作表）及指标、供应商评价、风险评价、自评和预警",
    ),
)


def evidence_text(result: Any) -> str:
    text = txt(result.evidence)
    sheet = txt(result.sheet)
    if sheet and sheet not in text:
        text = f"「{sheet}」{result.count} 条记录" + (f"；{text}" if text else "")
    examples = [txt(e) for e in (result.examples or ()) if txt(e)]
    if examples and not all(e in text for e in examples):
        text += f"（示例：{'、'.join(examples[:5])}）"
    return text or "无记录"


def gap_text(result: Any) -> str:
    gap, suggestion = txt(result.gap), txt(result.suggestion)
    if gap and suggestion:
        return f"{gap}\n建议：{suggestion}"
    return gap or (f"建议：{suggestion}" if suggestion else "—")


def readiness_summary(analysis: Analysis) -> str:
    a = analysis.assessment
    counts = a.counts
    return (
        f"自评共 {len(a.results)} 个条款：符合 {counts.get('符合', 0)} 个、部分符合 "
        f"{counts.get('部分符合', 0)} 个、不符合 {counts.get('不符合', 0)} 个、不适用 "
        f"{counts.get('不适用', 0)} 个、需人工确认 {counts.get('需人工确认', 0)} 个，"
        f"体系就绪度 {a.readiness_text}。"
    )


def checklist_rows(analysis: Analysis) -> list[dict[str, str]]:
    return [
        {
            "number": txt(r.number),
            "title": txt(r.title),
            "requirement": txt(r.requirement),
            "evidence": evidence_text(r),
            "status": txt(r.status),
            "gap": gap_text(r),
        }
        for r in analysis.assessment.results
    ]


def contract_review_rows(analysis: Analysis) -> tuple[list[dict[str, str]], str]:
    c = analysis.records["contracts"]
    p = analysis.period
    if c.empty:
        return [], "台账中没有合同。"
    signed = c[c["signed_on"] <= p.t]
    late = signed["reviewed_on"].isna() | (signed["reviewed_on"] > signed["signed_on"])
    rejected = signed["review_result"] == "不通过"
    in_period = (signed["signed_on"] >= p.s) & (signed["signed_on"] <= p.w)
    flagged = late | rejected
    sample = signed[in_period | flagged].sort_values(["signed_on", "row"])
    # the check of every sampled contract, then dicts only for the rows the table shows (a
    # 100,000-contract ledger samples tens of thousands; SAMPLE_LIMIT of them are listed)
    ok = "签订前已评审"
    checks = np.select(
        [
            sample["reviewed_on"].isna().to_numpy(),
            late[sample.index].to_numpy(dtype=bool),
            rejected[sample.index].to_numpy(dtype=bool),
        ],
        ["未评审", "先签后审", "评审不通过"],
        ok,
    ).tolist()
    bad = [txt(no) for no, check in zip(sample["contract_no"], checks, strict=True) if check != ok]
    shown = list(range(len(sample)))
    if len(shown) > SAMPLE_LIMIT:  # the problem contracts first
        shown = ([i for i in shown if checks[i] != ok] + [i for i in shown if checks[i] == ok])[
            :SAMPLE_LIMIT
        ]
    rows = [
        {
            "no": txt(r["contract_no"]),
            "name": txt(r["name"]),
            "nature": txt(r["nature"]),
            "counterparty": txt(r.get("counterparty")),
            "signed_on": txt(r["signed_on"]),
            "reviewed_on": txt(r.get("reviewed_on")) or "—",
            "review_result": txt(r.get("review_result")) or "—",
            "check": checks[i],
        }
        for i, r in zip(shown, common.rows(sample.iloc[shown]), strict=True)
    ]
    summary = (
        f"本期签订合同 {int(in_period.sum())} 份；签订前未完成评审（先签后审或未评审）或评审不通过的合同 "
        f"{len(bad)} 份"
        + (f"：{'、'.join(bad[:20])}" + ("等" if len(bad) > 20 else "") if bad else "")
        + "。"
    )
    if len(sample) > SAMPLE_LIMIT:
        summary += f"下表列出 {SAMPLE_LIMIT} 份（问题合同在前），全部合同见证据记录摘录。"
    return rows, summary


def training_rows(analysis: Analysis) -> list[dict[str, str]]:
    return [
        {
            "no": txt(r["training_no"]),
            "held_on": txt(r["held_on"]),
            "topic": txt(r["topic"]),
            "audience": txt(r.get("audience")),
            "attendees": txt(r.get("attendees")),
            "trainer": txt(r.get("trainer")),
            "result": txt(r.get("result")),
        }
        for r in common.rows(analysis.records["training"].sort_values("held_on"))
    ]


def _limit(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    return rows[:SAMPLE_LIMIT]


def base(analysis: Analysis) -> dict[str, Any]:
    return {**common.base_context(analysis), "readiness_summary": readiness_summary(analysis)}


def index_context(analysis: Analysis) -> dict[str, Any]:
    ctx = base(analysis)
    counts = analysis.assessment.counts
    ctx.update(
        {
            "files": [
                {"no": str(i + 1), "name": name, "content": content}
                for i, (name, _, content) in enumerate(FILES)
            ],
            "status_counts": [
                {"status": s, "count": str(counts.get(s, 0))}
                for s in ("符合", "部分符合", "不符合", "不适用", "需人工确认")
            ],
            "alert_summary": common.alert_summary(analysis),
            "sampling_hints": sampling_hints(analysis),
        }
    )
    return ctx


def sampling_hints(analysis: Analysis) -> list[str]:
    hints = []
    by_code: dict[str, list[str]] = {}
    for a in analysis.alerts:
        by_code.setdefault(a.code, []).append(a.record)
    for code in (
        "CONTRACT_NOT_REVIEWED",
        "CONTRACT_OVERDUE",
        "BREACH_NOT_ANALYSED",
        "SUPPLIER_LOW_GRADE",
        "HIGH_RISK_NO_MEASURE",
        "HIGH_RISK_NO_CONTINGENCY",
        "REQUIRED_POLICY_MISSING",
        "OBJECTIVE_NOT_MET",
    ):
        records = by_code.get(code)
        if records:
            hints.append(
                f"{TITLES[code]}：{'、'.join(records[:8])}{'等' if len(records) > 8 else ''}（{len(records)} 项）。"
            )
    gaps = [r for r in analysis.assessment.results if r.status in ("不符合", "部分符合")]
    if gaps:
        numbers = "、".join(txt(r.number) for r in gaps)  # all of them: at most ~50 clauses
        hints.append(f"自评为不符合或部分符合的条款（{len(gaps)} 条）：{numbers}。")
    manual = [txt(r.number) for r in analysis.assessment.results if r.status == "需人工确认"]
    if manual:
        hints.append(
            f"需人工确认的条款（{len(manual)} 条，只能由文件或面谈证明）：{'、'.join(manual)}。"
        )
    hints.append("合同评审：抽查本期签订合同的评审日期是否早于签订日期、评审结论是否与签订一致。")
    hints.append("违约处置：核对违约事件的根本原因、纠正措施、责任追究和补偿是否完整并已关闭。")
    return hints


def checklist_context(analysis: Analysis) -> dict[str, Any]:
    rows = checklist_rows(analysis)
    return {
        **base(analysis),
        "results": rows,
        "gaps": [r for r in rows if r["status"] in ("不符合", "部分符合")],
    }


def records_context(analysis: Analysis) -> dict[str, Any]:
    ctx = base(analysis)
    contract_rows, review_summary = contract_review_rows(analysis)
    issues = analysis.records["issues"]
    issue_frame = (
        issues[issues["found_on"] <= analysis.period.t].sort_values(["found_on", "row"])
        if not issues.empty
        else issues
    )
    breaches = int(issue_frame["breach"].sum()) if not issue_frame.empty else 0
    ctx.update(
        {
            "indicator_rows": common.indicator_rows(analysis),
            **common.objective_counts(analysis),
            "objective_rows": common.objective_rows(analysis),
            "contract_rows": contract_rows,
            "review_summary": review_summary,
            "supplier_summary": common.supplier_summary(analysis),
            "supplier_rows": _limit(common.supplier_rows(analysis)),
            "risk_summary": common.risk_summary(analysis),
            "risk_rows": _limit([common.risk_row(r) for r in common.sorted_risks(analysis)]),
            "issue_summary": common.issue_summary(analysis)
            + f"台账累计履约问题 {len(issue_frame)} 项，其中违约事件 {breaches} 项，均列于下表。",
            "issue_rows": _limit([common.issue_row(i) for i in common.rows(issue_frame)]),
            "training_rows": _limit(training_rows(analysis)),
            "document_rows": _limit(document_rows(analysis.records["documents"])),
            "audit_rows": _limit(audit_rows(analysis)),
        }
    )
    return ctx


# --- the evidence workbook ---------------------------------------------------------------------


def _cell_value(value: object) -> object:
    kind = type(value)  # the common cells first, without pandas' isna (same results)
    if kind is str:
        return clean_text(value)  # type: ignore[arg-type]
    if kind is float:
        return None if value != value else value  # NaN != NaN
    if value is None:
        return None
    if blank(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, str):
        return clean_text(value)
    return value


EVIDENCE_CHUNK = 5000  # record rows turned into Python values at a time
WRAP_WIDTH = 24  # columns at least this wide wrap their text (descriptions, messages)


def _frame_rows(frame: pd.DataFrame, keys: list[str]) -> Iterator[list[object]]:
    """``frame``'s ``keys`` columns row by row, ``EVIDENCE_CHUNK`` rows at a time (never a
    second copy of the whole table as Python objects)."""
    if frame is None or frame.empty:
        return
    for start in range(0, len(frame), EVIDENCE_CHUNK):
        part = frame.iloc[start : start + EVIDENCE_CHUNK]
        columns = [part[k].tolist() if k in part.columns else [None] * len(part) for k in keys]
        yield from (list(values) for values in zip(*columns, strict=True))


def write_evidence_workbook(analysis: Analysis, out: Path) -> None:
    """Values only, one sheet per record type (labels as headers), plus the engine's results.

    Streamed: xlsxwriter's ``constant_memory`` mode writes each row to a temporary file as it
    goes, and the records are read from the analysis a chunk at a time, so a 100,000-contract
    ledger needs no second in-memory copy. Printed A4 landscape, one page wide, the header row on
    every page, long text wrapped, the first (id) column kept in view.
    """
    import xlsxwriter

    book = xlsxwriter.Workbook(
        str(out),
        {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
    )
    font = {"font_name": "宋体", "font_size": 9, "valign": "top"}
    head = book.add_format(
        {**font, "bold": True, "bg_color": "#D9E2F3", "border": 1, "text_wrap": True}
    )
    day = book.add_format({**font, "num_format": "yyyy-mm-dd"})
    plain = book.add_format(font)
    wrap = book.add_format({**font, "text_wrap": True})
    pct = book.add_format({**font, "num_format": "0.0%"})

    def sheet(
        name: str,
        headers: list[str],
        data: Iterable[list[object]],
        widths: list[float] | None = None,
        percent: set[int] | None = None,
    ) -> None:
        ws = book.add_worksheet(name[:31])
        widths = widths or [14] * len(headers)
        for c, width in enumerate(widths):
            ws.set_column(c, c, width)
        wrapped = {c for c, width in enumerate(widths) if width >= WRAP_WIDTH}
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)  # one page wide, as many pages tall as needed
        ws.repeat_rows(0)
        ws.set_header("&C&A")
        ws.set_footer("&C第 &P 页，共 &N 页")
        ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
        ws.freeze_panes(1, 1)
        ws.write_row(0, 0, headers, head)
        for r, values in enumerate(data, start=1):
            for c, raw in enumerate(values):
                value = _cell_value(raw)
                if value is None:
                    continue
                if isinstance(value, datetime | date):
                    ws.write_datetime(
                        r,
                        c,
                        value
                        if isinstance(value, datetime)
                        else datetime(value.year, value.month, value.day),
                        day,
                    )
                elif isinstance(value, int | float):
                    ws.write_number(r, c, float(value), pct if percent and c in percent else plain)
                else:
                    ws.write_string(r, c, str(value), wrap if c in wrapped else plain)

    info = analysis.records.info
    sheet(
        "基本信息",
        ["项目", "内容"],
        [[item.label, info.get(item.key)] for item in schema.INFO.items],
        [18, 60],
    )
    for s in schema.SHEETS:
        if s.is_keyvalue:
            continue
        cols = [c for c in s.columns if not c.engine]
        sheet(
            s.name,
            [c.label for c in cols] + ["台账行号"],
            _frame_rows(analysis.records[s.key], [c.key for c in cols] + ["row"]),
            [c.width for c in cols] + [8],
        )
    sheet(
        "指标",
        ["指标", "值", "显示", "分子", "分母", "单位", "目标", "达成情况"],
        [
            [
                i.name,
                i.value,
                r["value"],
                i.numerator,
                i.denominator,
                i.unit,
                r["target"],
                r["achieved"],
            ]
            for i, r in zip(analysis.indicators, common.indicator_rows(analysis), strict=True)
        ],
        [18, 12, 14, 14, 14, 6, 16, 10],
    )
    sup = analysis.suppliers
    sheet(
        "供应商评价",
        [
            "供应商编号",
            "供应商名称",
            "信用核查结论",
            "支出性合同数",
            "按时交付率",
            "质量合格率",
            "综合评分",
            "等级",
        ],
        [
            [
                r["supplier_no"],
                r["name"],
                r.get("credit_result"),
                r.get("contracts"),
                r.get("on_time_rate"),
                r.get("quality_rate"),
                r.get("score"),
                r.get("grade"),
            ]
            for r in common.rows(sup)
        ],
        [12, 24, 12, 12, 12, 12, 10, 8],
        percent={4, 5},
    )
    sheet(
        "风险评价",
        ["编号", "类型", "描述", "可能性", "影响程度", "风险值", "等级", "状态"],
        [
            [
                r["risk_no"],
                r["kind"],
                r.get("description"),
                r.get("likelihood"),
                r.get("impact"),
                r.get("value"),
                r.get("level"),
                r.get("status"),
            ]
            for r in common.rows(analysis.risks)
        ],
        [10, 8, 30, 8, 8, 8, 6, 10],
    )
    sheet(
        "条款自评",
        ["条款", "标题", "自评结论", "证据来源", "差距与建议"],
        [
            [r["number"], r["title"], r["status"], r["evidence"], r["gap"]]
            for r in checklist_rows(analysis)
        ],
        [8, 24, 10, 50, 50],
    )
    sheet(
        "预警清单",
        ["等级", "代码", "工作表", "行", "记录", "说明", "条款"],
        ([a.level, a.code, a.sheet, a.row, a.record, a.message, a.clause] for a in analysis.alerts),
        [6, 26, 12, 6, 18, 70, 8],
    )
    book.close()


ATTACHMENTS = "证据附件"
MB = 1024 * 1024
ATTACHMENT_LIMIT = 200 * MB  # bytes of linked files copied into one pack at most
NOT_FOUND = "未找到"


@dataclass(frozen=True)
class Attachment:
    """One linked 证据文件 as the pack lists it: ``source`` is None when it is not copied."""

    sheet: str
    record: str
    text: str  # the path as typed
    name: str  # its name in the zip, or why it is not there (未找到, 超出上限)
    source: Path | None


def evidence_attachments(analysis: Analysis, limit: int = ATTACHMENT_LIMIT) -> list[Attachment]:
    """Every local 证据文件 link of the records, in sheet order: the files that exist are copied
    once each as ``证据附件/<sheet>-<record>-<file name>`` (made safe, duplicates numbered) while
    their total size stays within ``limit``; web links are left out (nothing to copy)."""
    out: list[Attachment] = []
    copied: dict[Path, str] = {}
    names: set[str] = set()
    total = 0
    for link in all_links(analysis.records):
        sheet = schema.BY_KEY[link.sheet_key].name
        if link.path is None:
            continue
        if not link.exists:
            out.append(Attachment(sheet, link.record, link.text, NOT_FOUND, None))
            continue
        source = link.path.resolve()
        if source in copied:
            out.append(Attachment(sheet, link.record, link.text, copied[source], None))
            continue
        size = source.stat().st_size
        if total + size > limit:
            cap = f"{limit // MB} MB" if limit >= MB else f"{limit} 字节"
            skipped = f"未附：超出附件总量上限（{cap}），请另行提供"
            out.append(Attachment(sheet, link.record, link.text, skipped, None))
            continue
        total += size
        base = safe_filename(f"{sheet}-{link.record}-{source.name}", "证据文件")
        name, n = base, 2
        while name.casefold() in names:
            name, n = f"{Path(base).stem}-{n}{Path(base).suffix}", n + 1
        names.add(name.casefold())
        copied[source] = f"{ATTACHMENTS}/{name}"
        out.append(Attachment(sheet, link.record, link.text, copied[source], source))
    return out


def attachment_rows(attachments: list[Attachment], first: int) -> list[dict[str, str]]:
    """The index's 资料清单 rows for the linked files, numbered on from ``first``."""
    return [
        {
            "no": str(first + i),
            "name": a.name,
            "content": f"「{a.sheet}」{a.record} 的证据文件（原路径：{a.text}）",
        }
        for i, a in enumerate(attachments)
    ]


def write_audit_pack(analysis: Analysis, out: Path | str | None = None) -> Path:
    out = output_path(analysis, LABEL, ".zip", out)
    attachments = evidence_attachments(analysis)
    index = index_context(analysis)
    index["files"] = list(index["files"]) + attachment_rows(attachments, len(index["files"]) + 1)
    contexts = {
        "audit_index.docx": index,
        "audit_checklist.docx": checklist_context(analysis),
        "audit_records.docx": records_context(analysis),
    }

    def save(temp: Path) -> None:
        work = temp.parent
        with zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED) as pack:
            for name, template, _ in FILES:
                part = work / f".~lyue-part-{template or 'evidence.xlsx'}"
                try:
                    if template is None:
                        write_evidence_workbook(analysis, part)
                    else:
                        render(template, contexts[template], part)
                    pack.write(part, name)
                finally:
                    part.unlink(missing_ok=True)
            for a in attachments:
                if a.source is not None:
                    pack.write(a.source, a.name)

    save_atomically(out, save)
    return out
