"""审核资料包 (Annex A): a zip of an index, the clause-by-clause checklist, the indicator and
sampling records document, and an evidence workbook extract (.xlsx, values only)."""

from __future__ import annotations

import math
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from lyue_xl import schema
from lyue_xl.alerts import TITLES
from lyue_xl.definitions import RATE
from lyue_xl.documents import common
from lyue_xl.documents.common import blank, txt
from lyue_xl.documents.manual import document_rows
from lyue_xl.documents.output import output_path, safe_filename, save_atomically
from lyue_xl.documents.render import clean_text, render
from lyue_xl.documents.review_input import audit_rows
from lyue_xl.evidence import all_links
from lyue_xl.parsing import display_width

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
        "台账各记录表的数值摘录（每类记录一个工作表，每张表一段，带标题和表头）"
        "及指标、供应商评价、风险评价、条款自评结论和预警",
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
    none = empty_record_tables(analysis)
    empty = f"；台账中没有记录的表：{'、'.join(none)}" if none else ""
    counts = analysis.assessment.counts
    ctx.update(
        {
            "files": [
                {"no": str(i + 1), "name": name, "content": content}
                | ({"content": content + empty} if template is None else {})
                for i, (name, template, content) in enumerate(FILES)
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


def _frame_rows(frame: pd.DataFrame, keys: list[str]) -> Iterator[list[object]]:
    """``frame``'s ``keys`` columns row by row, ``EVIDENCE_CHUNK`` rows at a time (never a
    second copy of the whole table as Python objects)."""
    if frame is None or frame.empty:
        return
    for start in range(0, len(frame), EVIDENCE_CHUNK):
        part = frame.iloc[start : start + EVIDENCE_CHUNK]
        columns = [part[k].tolist() if k in part.columns else [None] * len(part) for k in keys]
        yield from (list(values) for values in zip(*columns, strict=True))


# Printed layout (issue 14). Excel and LibreOffice start every sheet on a new page, so the
# extract has one sheet per record family and prints each table in it as a titled block: a title
# row with the number of records, the header row, the records (ids in the first column). A block
# that goes on over a page break starts the next page with 「……（续）」 and its header again
# (manual page breaks at a fixed print scale), and a block never starts in the last lines of a
# page. Tables with no records are one title line here and are named in the pack's index.
FAMILIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "组织与目标",
        (
            schema.INFO.name,
            schema.CONTEXT.name,
            schema.ROLES.name,
            schema.OBJECTIVES.name,
            "指标",
            schema.COMMITMENTS.name,
        ),
    ),
    (schema.CONTRACTS.name, (schema.CONTRACTS.name,)),
    (schema.MILESTONES.name, (schema.MILESTONES.name,)),
    (schema.PAYMENTS.name, (schema.PAYMENTS.name,)),
    (schema.SUPPLIERS.name, (schema.SUPPLIERS.name, "供应商评价")),
    ("风险与应急", (schema.RISKS.name, "风险评价", schema.EMERGENCY.name)),
    ("履约问题与变更", (schema.ISSUES.name, schema.CHANGES.name)),
    ("文件培训与资源", (schema.DOCUMENTS.name, schema.TRAINING.name, schema.RESOURCES.name)),
    ("审核评审与改进", (schema.AUDITS.name, schema.REVIEW_OUTPUTS.name, schema.IMPROVEMENTS.name)),
    ("自评与预警", ("条款自评", "预警清单")),
)
ROW_NUMBER = "台账行号"
NO_RECORDS = "台账中没有记录"
FONT_POINTS = 9
LINE_POINTS = 12.0  # one line of 9 pt 宋体 as LibreOffice lays it out
TEXT_WIDTH = 24  # text columns print at most this wide and wrap
TEXT_FLOOR = 12  # and, sharing a sheet with other tables, at least this wide
POINTS_PER_UNIT = 7.2
EXCEL_POINTS_PER_UNIT = 5.6
PAGE = {"landscape": (841.9, 595.3), "portrait": (595.3, 841.9)}  # A4 in points
MARGIN_X, MARGIN_Y = 0.4, 0.6  # inches
PORTRAIT_SCALE = 0.65  # a sheet that prints at least this large upright is printed upright
PLAN_LIMIT = 500  # records of a sheet laid out in advance (kept in memory meanwhile)
SAFETY = 0.94  # the share of a page's height the page breaks plan to fill


@dataclass
class Block:
    """One table of the extract: title, header labels, print widths, how each column is shown
    (``id``: whole, never wrapped; ``text``: wrapped; ``short``; ``number``; ``amount``;
    ``pct``), and its rows (an iterable read once)."""

    title: str
    headers: list[str]
    widths: list[float]
    kinds: list[str]
    rows: Iterable[list[object]]
    count: int
    keyvalue: bool = False


def _blank_column(frame: pd.DataFrame, key: str) -> bool:
    if frame is None or key not in frame.columns:
        return True
    values = frame[key].dropna()
    return not any(not blank(v) for v in values)


def _print_column(col: schema.Column, empty: bool, first: bool) -> tuple[float, str]:
    """A record column's print width (Excel character units) and kind. Dates, ids and numbers
    keep their width (never split); text wraps within at most TEXT_WIDTH; a column with no
    value in any record is as narrow as its (wrapped) header."""
    if first:
        return max(col.width, 12), "id"
    if empty:
        return max(6.0, min(col.width, display_width(col.label) / 2 + 2)), "short"
    if col.type == "date":
        return 11, "short"
    if col.type == "yesno":
        return 6, "short"
    if col.type in ("integer", "score", "number", "target"):
        return 8, "number"
    if col.type == "amount":
        return 13, "amount"
    if col.type == "ref":
        return 13, "id"
    if col.type == "choice" and col.choices:
        return min(col.width, max(6, max(display_width(c) for c in col.choices) + 2)), "short"
    return min(col.width, TEXT_WIDTH), "text"


def _lines(text: str, width: float) -> int:
    """Lines a wrapped cell needs. Measured against Excel's narrower character unit (about
    5.6 pt; LibreOffice's is 7.1 pt), so the row is high enough in both: a 9 pt CJK character
    is 9 pt wide, other characters about 5 pt."""
    room = max(1.0, width * EXCEL_POINTS_PER_UNIT - 4)
    return sum(max(1, math.ceil(_text_points(part) / room)) for part in text.split("\n"))


def _text_points(text: str) -> float:
    return sum(FONT_POINTS if unicodedata.east_asian_width(ch) in "WF" else 5.0 for ch in text)


def _points(widths: list[float]) -> float:
    """Printed width at 100 %. LibreOffice prints a character unit as 7.1 pt (measured); Excel
    as about 5.6 pt, so Excel prints the same sheet a little smaller, never cut."""
    return sum(w * POINTS_PER_UNIT for w in widths)


def _sheet_widths(blocks: list[Block]) -> list[float]:
    """One set of column widths for a sheet's blocks: each column as wide as the widest id,
    date or number any block has there; text columns then share what the widest block needs
    (they wrap), never narrower than TEXT_FLOOR."""
    tables = [b for b in blocks if not b.keyvalue]
    n = max(len(b.widths) for b in tables) if tables else 2
    whole = [6.0] * n
    text = [0.0] * n
    for b in blocks:
        for c, (w, kind) in enumerate(zip(b.widths, b.kinds, strict=True)):
            if b.keyvalue and c:
                continue
            if kind == "text":
                text[c] = max(text[c], w)
            else:
                whole[c] = max(whole[c], w)
    widths = [max(a, b) for a, b in zip(whole, text, strict=True)]
    budget = max(sum(b.widths) for b in tables) if tables else sum(widths)
    while sum(widths) > budget:
        c = max(range(n), key=lambda i: widths[i] - max(whole[i], TEXT_FLOOR))
        if widths[c] <= max(whole[c], TEXT_FLOOR):
            break
        widths[c] -= 1
    for b in blocks:  # a 项目/内容 block's value spans the other columns
        if b.keyvalue and b.widths[1] > sum(widths[1:]):
            widths[-1] += b.widths[1] - sum(widths[1:])
    return widths


def record_blocks(analysis: Analysis) -> dict[str, Block]:
    """Every record sheet (and 基本信息) as a block, keyed by sheet name, in schema order."""
    out: dict[str, Block] = {}
    info = analysis.records.info
    out[schema.INFO.name] = Block(
        schema.INFO.name,
        ["项目", "内容"],
        [18, 60],
        ["short", "text"],
        [[item.label, info.get(item.key)] for item in schema.INFO.items],
        len(schema.INFO.items),
        keyvalue=True,
    )
    for s in schema.SHEETS:
        if s.is_keyvalue:
            continue
        frame = analysis.records[s.key]
        cols = [c for c in s.columns if not c.engine]
        shown = [_print_column(c, _blank_column(frame, c.key), i == 0) for i, c in enumerate(cols)]
        out[s.name] = Block(
            s.name,
            [c.label for c in cols] + [ROW_NUMBER],
            [w for w, _ in shown] + [6],
            [k for _, k in shown] + ["number"],
            _frame_rows(frame, [c.key for c in cols] + ["row"]),
            0 if frame is None else len(frame),
        )
    return out


def result_blocks(analysis: Analysis) -> dict[str, Block]:
    """The engine's results as blocks: 指标, 供应商评价, 风险评价, 条款自评, 预警清单."""
    sup = analysis.suppliers
    checklist = checklist_rows(analysis)
    blocks = [
        Block(
            "指标",
            ["指标", "值", "分子", "分母", "单位", "目标", "达成情况"],
            [18, 12, 13, 13, 6, 14, 10],
            ["id", "short", "number", "number", "short", "text", "short"],
            [
                [
                    i.name,
                    r["value"],
                    i.numerator,
                    i.denominator,
                    "比例" if i.unit == RATE else i.unit,
                    r["target"],
                    r["achieved"],
                ]
                for i, r in zip(analysis.indicators, common.indicator_rows(analysis), strict=True)
            ],
            len(analysis.indicators),
        ),
        Block(
            "供应商评价",
            ["供应商编号", "供应商名称", "信用核查结论", "支出性合同数"]
            + ["按时交付率", "质量合格率", "综合评分", "等级"],
            [12, 22, 10, 10, 10, 10, 8, 6],
            ["id", "text", "short", "number", "pct", "pct", "number", "short"],
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
            0 if sup is None else len(sup),
        ),
        Block(
            "风险评价",
            ["编号", "类型", "描述", "可能性", "影响程度", "风险值", "等级", "状态"],
            [10, 8, 24, 8, 8, 8, 6, 8],
            ["id", "short", "text", "number", "number", "number", "short", "short"],
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
            0 if analysis.risks is None else len(analysis.risks),
        ),
        Block(
            "条款自评",
            ["条款", "标题", "自评结论"],
            [8, 24, 10],
            ["id", "text", "short"],
            [[r["number"], r["title"], r["status"]] for r in checklist],
            len(checklist),
        ),
        Block(
            "预警清单",
            ["等级", "预警类型", "工作表", "行", "记录", "说明", "条款"],
            [6, 18, 12, 6, 16, 60, 8],
            ["short", "text", "short", "number", "id", "text", "short"],
            (
                [a.level, TITLES.get(a.code, a.code), a.sheet, a.row, a.record, a.message, a.clause]
                for a in analysis.alerts
            ),
            len(analysis.alerts),
        ),
    ]
    return {b.title: b for b in blocks}


def evidence_families(analysis: Analysis) -> list[tuple[str, list[Block]]]:
    """The extract's sheets: (sheet name, blocks). A record sheet no family names (one added to
    the schema later) gets a sheet of its own, so nothing of the ledger is left out."""
    blocks = {**record_blocks(analysis), **result_blocks(analysis)}
    families = [(name, [blocks.pop(b) for b in members]) for name, members in FAMILIES]
    families += [(name, [block]) for name, block in blocks.items()]
    return families


def empty_record_tables(analysis: Analysis) -> list[str]:
    """The record sheets with no records: one title line in the extract, named in the index."""
    return [
        s.name
        for s in schema.SHEETS
        if not s.is_keyvalue and (analysis.records[s.key] is None or analysis.records[s.key].empty)
    ]


def _row_height(cells: list[tuple[str, float]]) -> float:
    """Points for a row whose wrapped cells are (text, column width): programs must set it,
    LibreOffice does not grow a row a program wrote."""
    lines = max([_lines(t, w) for t, w in cells] or [1])
    return LINE_POINTS * lines + (1 if lines == 1 else 3)


TITLE_POINTS = LINE_POINTS + 6


class _NoSheet:
    """A worksheet that keeps nothing: the dry run that counts a sheet's pages at a scale."""

    def __getattr__(self, name: str) -> Any:
        return lambda *args, **kwargs: None


@dataclass
class _Layout:
    widths: list[float]
    portrait: bool
    scale: int  # percent

    @property
    def capacity(self) -> float:
        """Rows' points per page, in the sheet's own (unscaled) points."""
        page_h = PAGE["portrait" if self.portrait else "landscape"][1]
        return (page_h - 144 * MARGIN_Y) * SAFETY * 100 / self.scale


def _layout(blocks: list[Block]) -> _Layout:
    """Widths, orientation and the print scale that fits the widest table to the page width.
    A sheet of at most PLAN_LIMIT records is laid out in advance, and printed up to 15 %
    smaller when that saves its last page."""
    widths = _sheet_widths(blocks)
    points = _points(widths)
    portrait = points <= (PAGE["portrait"][0] - 144 * MARGIN_X) / PORTRAIT_SCALE
    page_w = PAGE["portrait" if portrait else "landscape"][0]
    scale = max(10, min(100, int(100 * (page_w - 144 * MARGIN_X) / points * 0.97)))
    layout = _Layout(widths, portrait, scale)
    if sum(b.count for b in blocks) > PLAN_LIMIT:
        return layout
    for b in blocks:
        b.rows = list(b.rows)
    pages = _pages(blocks, layout)
    for smaller in range(scale - 1, max(9, int(scale * 0.85)), -1):
        trial = _Layout(widths, portrait, smaller)
        if _pages(blocks, trial) < pages:
            return trial
    return layout


def _pages(blocks: list[Block], layout: _Layout) -> int:
    sheet = _Sheet(_NoSheet(), {}, layout)
    for n, block in enumerate(blocks):
        sheet.block(block, first=not n)
    return len(sheet.breaks) + 1


def _print_setup(ws: Any, layout: _Layout) -> None:
    for c, w in enumerate(layout.widths):
        ws.set_column(c, c, w)
    if layout.portrait:
        ws.set_portrait()
    else:
        ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.set_print_scale(layout.scale)
    ws.set_header("&C&A")
    ws.set_footer("&C第 &P 页，共 &N 页")
    ws.set_margins(left=MARGIN_X, right=MARGIN_X, top=MARGIN_Y, bottom=MARGIN_Y)
    ws.freeze_panes(0, 1)  # the id column stays in view


class _Sheet:
    """One sheet of the extract being written: where the next row goes and where the pages
    break (planned at the layout's fixed print scale)."""

    def __init__(self, ws: Any, formats: dict[str, Any], layout: _Layout):
        self.ws = ws
        self.formats = formats
        self.widths = layout.widths
        self.capacity = layout.capacity
        self.row = 0
        self.used = 0.0
        self.breaks: list[int] = []

    def _take(self, height: float) -> int:
        if self.used + height > self.capacity and self.used:
            self.breaks.append(self.row)
            self.used = 0.0
        row = self.row
        self.row += 1
        self.used += height
        self.ws.set_row(row, height)
        return row

    def _heading(self, block: Block, text: str) -> None:
        header = _row_height(list(zip(block.headers, block.widths, strict=True)))
        if self.used + TITLE_POINTS + header + 3 * (LINE_POINTS + 3) > self.capacity:
            self.used = self.capacity  # a block starts on a new page rather than at its foot
        self.ws.write_string(self._take(TITLE_POINTS), 0, text, self.formats.get("title"))
        if not block.keyvalue:
            self.ws.write_row(self._take(header), 0, block.headers, self.formats.get("head"))

    def block(self, block: Block, first: bool) -> None:
        if not first and self.used + LINE_POINTS <= self.capacity:
            self._take(LINE_POINTS)  # a blank line between blocks, never at the top of a page
        if not block.count:
            row = self._take(TITLE_POINTS)
            self.ws.write_string(row, 0, f"{block.title}：{NO_RECORDS}", self.formats.get("title"))
            return
        self._heading(block, f"{block.title}（{block.count} 条）")
        for raw in block.rows:
            values = [_cell_value(v) for v in raw]
            wrapped = [
                (v, self._span(block, c))
                for c, v in enumerate(values)
                if isinstance(v, str) and (block.kinds[c] == "text" or "\n" in v)
            ]
            height = _row_height(wrapped)
            if self.used + height > self.capacity:
                self.used = self.capacity
                self._heading(block, f"{block.title}（续）")
            row = self._take(height)
            if self.formats:
                self._write(block, row, values)

    def _span(self, block: Block, column: int) -> float:
        return sum(self.widths[1:]) if block.keyvalue and column == 1 else self.widths[column]

    def _write(self, block: Block, r: int, values: list[object]) -> None:
        ws, formats = self.ws, self.formats
        for c, value in enumerate(values):
            kind = block.kinds[c]
            if block.keyvalue and c == 1:
                text = "" if value is None else str(value)
                if len(self.widths) > 2:
                    ws.merge_range(r, 1, r, len(self.widths) - 1, text, formats["text"])
                else:
                    ws.write_string(r, 1, text, formats["text"])
            elif value is None:
                continue
            elif isinstance(value, datetime | date):
                day = value if isinstance(value, datetime) else datetime.combine(value, time())
                ws.write_datetime(r, c, day, formats["date"])
            elif isinstance(value, int | float):
                fmt = formats[kind if kind in ("amount", "pct") else "number"]
                ws.write_number(r, c, float(value), fmt)
            else:
                ws.write_string(r, c, str(value), formats[kind])

    def close(self) -> None:
        if self.breaks:
            self.ws.set_h_pagebreaks(self.breaks)


def write_evidence_workbook(analysis: Analysis, out: Path) -> None:
    """Values only: one sheet per record family (see FAMILIES), each table a titled block, and
    the engine's results.

    Streamed: xlsxwriter's ``constant_memory`` mode writes each row to a temporary file as it
    goes, and the records are read from the analysis a chunk at a time, so a 100,000-contract
    ledger needs no second in-memory copy. Printed on A4 (upright when a sheet's tables print
    at 65 % or more that way, else landscape) at a scale that fits the widest table to the page
    width; long text wraps and rows are as high as their text.
    """
    import xlsxwriter

    book = xlsxwriter.Workbook(
        str(out),
        {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
    )
    font = {"font_name": "宋体", "font_size": FONT_POINTS, "valign": "top"}
    formats = {
        "head": book.add_format(
            {**font, "bold": True, "bg_color": "#D9E2F3", "border": 1, "text_wrap": True}
        ),
        "title": book.add_format({**font, "bold": True, "font_size": FONT_POINTS + 2}),
        "id": book.add_format(font),
        "short": book.add_format(font),
        "text": book.add_format({**font, "text_wrap": True}),
        "number": book.add_format(font),
        "amount": book.add_format({**font, "num_format": "#,##0.00"}),
        "pct": book.add_format({**font, "num_format": "0.0%"}),
        "date": book.add_format({**font, "num_format": "yyyy-mm-dd"}),
    }
    for name, blocks in evidence_families(analysis):
        layout = _layout(blocks)
        ws = book.add_worksheet(name[:31])
        _print_setup(ws, layout)
        sheet = _Sheet(ws, formats, layout)
        for n, block in enumerate(blocks):
            sheet.block(block, first=not n)
        sheet.close()
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
