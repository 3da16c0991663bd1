"""Printable record forms filled from the workbook (`lyue-xl forms`): one form per record, or
every record of a kind in one document with a page break between them.

Each form carries the firm's name, its 表单编号 when 成文信息 registers a 现行 记录 of that name,
the record's fields, and blank signature and date lines. A field nothing was recorded in prints as
a blank line to fill in by hand — never 「无」 or 「（未填写）」.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from lyue_xl import grading, schema
from lyue_xl.documents import common
from lyue_xl.documents.common import blank, txt
from lyue_xl.documents.output import output_path, safe_filename
from lyue_xl.documents.render import render
from lyue_xl.errors import LyueError

if TYPE_CHECKING:
    from lyue_xl.engine import Analysis

TEMPLATE = "forms.docx"
LINE = "_" * 12  # a short field left blank: a line to write on
LONG_LINE = "_" * 40  # a long field left blank
DATE_LINE = "______年____月____日"
SIGNIN_ROWS_MAX = 40
SIGNIN_ROWS_DEFAULT = 15

Row = dict[str, Any]
Field = tuple[str, str]  # (label, value as shown)


@dataclass(frozen=True)
class FormKind:
    name: str  # 合同评审表
    aliases: tuple[str, ...]
    clause: str
    sheet: str  # the record sheet's key
    record_words: tuple[str, ...]  # 文件名称 words of the 记录 registered for this form
    build: Callable[[Analysis, Row], dict[str, Any]]


def _v(value: object, line: str = LINE) -> str:
    text = txt(value)
    return text if text else line


def _yes_no(value: object, known: bool) -> str:
    """A 是/否 cell: blank reads 否, so 否 is shown only when the record says something."""
    if value is True:
        return "是"
    return "否" if known else LINE


def _pairs(fields: list[Field]) -> list[dict[str, str]]:
    """Short fields two to a table row."""
    out = []
    for i in range(0, len(fields), 2):
        (l1, v1), (l2, v2) = fields[i], fields[i + 1] if i + 1 < len(fields) else ("", "")
        out.append({"l1": l1, "v1": v1, "l2": l2, "v2": v2})
    return out


def _form(
    short: list[Field],
    long: list[Field],
    signatures: list[str],
    signin: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    return {
        "pairs": _pairs(short),
        "long": [{"label": label, "value": value} for label, value in long],
        "signatures": [f"{who}：{LINE}　　日期：{DATE_LINE}" for who in signatures],
        "has_signin": signin is not None,
        "signin": signin or [],
    }


def contract_review(analysis: Analysis, r: Row) -> dict[str, Any]:
    return _form(
        [
            ("合同编号", _v(r["contract_no"])),
            ("合同性质", _v(r.get("nature"))),
            ("合同名称", _v(r.get("name"))),
            ("相对方", _v(r.get("counterparty"))),
            ("合同金额（元）", common.money(r.get("amount")) or LINE),
            ("负责人", _v(r.get("owner"))),
            ("签订日期", _v(r.get("signed_on"))),
            ("计划交付日期", _v(r.get("planned_delivery"))),
            ("评审日期", _v(r.get("reviewed_on"))),
            ("评审结论", _v(r.get("review_result"))),
            ("评审部门", _v(r.get("review_departments"))),
            ("评审人", _v(r.get("reviewer"))),
        ],
        [
            ("能力评估（9.2 a）", _v(r.get("capability"), LONG_LINE)),
            ("风险及措施（9.2 b）", _v(r.get("risk_measures"), LONG_LINE)),
            ("条款合规（9.2 c）", _v(r.get("clause_compliance"), LONG_LINE)),
        ],
        ["评审人（签字）", "批准人（签字）"],
    )


def supplier_evaluation(analysis: Analysis, r: Row) -> dict[str, Any]:
    window = grading.grading_window(analysis.period, analysis.records.settings)
    return _form(
        [
            ("供应商编号", _v(r["supplier_no"])),
            ("供应商名称", _v(r.get("name"))),
            ("供应类别", _v(r.get("category"))),
            ("核心供应商", _yes_no(r.get("core"), True)),
            ("履约保障协议", _yes_no(r.get("agreement"), True)),
            ("支出性合同数", txt(r.get("contracts")) or "0"),
            ("信用核查日期", _v(r.get("credit_checked_on"))),
            ("信用核查结论", _v(r.get("credit_result"))),
            ("评价期间", _v(r.get("evaluation_period"))),
            ("评价人", _v(r.get("evaluator"))),
            ("按时交付率", common.rate(r.get("on_time_rate"))),
            ("质量合格率", common.rate(r.get("quality_rate"))),
            ("综合评分", common.number(r.get("score"), 2) or "未评"),
            ("等级", _v(r.get("grade"))),
            ("交付次数", f"{txt(r.get('deliveries')) or '0'} 次"),
        ],
        [
            (
                "评级说明",
                "；建议：".join(x for x in (txt(r.get("grade_note")), txt(r.get("advice"))) if x)
                or LONG_LINE,
            ),
            (
                "评分规则",
                f"评价期间为{window.label()}：按时交付率 = 期内到期的支出性合同中按时交付的比例，"
                "质量合格率 = 期内交付并验收的合同中验收合格的比例；综合评分 = 100 × 两项比率"
                f"（有数据的）的平均值；期内到期或验收的合同少于 {window.minimum} 次的不评级"
                "（未评，样本不足）；A 级 ≥ 90 分，B 级 ≥ 75 分，C 级 ≥ 60 分，D 级 < 60 分；"
                "信用核查结论为“异常”的评为 D 级。",
            ),
            ("评价意见及处理", LONG_LINE),
        ],
        ["评价人（签字）", "审核人（签字）"],
    )


def nonconformity(analysis: Analysis, r: Row) -> dict[str, Any]:
    verified = not blank(r.get("verified_on")) or bool(txt(r.get("verifier")))
    return _form(
        [
            ("问题编号", _v(r["issue_no"])),
            ("合同编号", _v(r.get("contract_no"))),
            ("发现日期", _v(r.get("found_on"))),
            ("问题类型", _v(r.get("kind"))),
            ("是否违约", _yes_no(r.get("breach"), True)),
            ("违约方", _v(r.get("breaching_party"))),
            ("责任人", _v(r.get("owner"))),
            ("计划完成日期", _v(r.get("planned"))),
            ("关闭日期", _v(r.get("closed_on"))),
            ("状态", _v(r.get("status"))),
        ],
        [
            ("问题描述", _v(r.get("description"), LONG_LINE)),
            ("影响评估（10.5 c）", _v(r.get("impact"), LONG_LINE)),
            ("与相关方沟通（9.6 a）", _v(r.get("communication"), LONG_LINE)),
            ("根本原因", _v(r.get("root_cause"), LONG_LINE)),
            ("纠正措施", _v(r.get("corrective_action"), LONG_LINE)),
            ("责任追究", _v(r.get("accountability"), LONG_LINE)),
            ("补偿措施", _v(r.get("compensation"), LONG_LINE)),
            (
                "措施验证",
                f"验证人：{_v(r.get('verifier'))}　验证日期：{_v(r.get('verified_on'))}　"
                f"是否有效：{_yes_no(r.get('effective'), verified)}",
            ),
        ],
        ["责任人（签字）", "验证人（签字）"],
    )


def training(analysis: Analysis, r: Row) -> dict[str, Any]:
    count = r.get("attendees")
    n = SIGNIN_ROWS_DEFAULT if blank(count) or not count else min(int(count), SIGNIN_ROWS_MAX)
    return _form(
        [
            ("培训编号", _v(r["training_no"])),
            ("培训日期", _v(r.get("held_on"))),
            ("培训主题", _v(r.get("topic"))),
            ("讲师", _v(r.get("trainer"))),
            ("参加对象", _v(r.get("audience"))),
            ("参加人数", _v(count)),
            ("考核结果", _v(r.get("result"))),
            ("考核方式", LINE),
        ],
        [],
        ["讲师（签字）", "组织部门负责人（签字）"],
        signin=[{"no": str(i)} for i in range(1, n + 1)],
    )


def drill(analysis: Analysis, r: Row) -> dict[str, Any]:
    return _form(
        [
            ("预案编号", _v(r["plan_no"])),
            ("预案名称", _v(r.get("name"))),
            ("发布日期", _v(r.get("issued_on"))),
            ("演练日期", _v(r.get("drilled_on"))),
            ("责任人", _v(r.get("owner"))),
            ("参加人员", LINE),
        ],
        [
            ("适用情形", _v(r.get("scenario"), LONG_LINE)),
            ("演练过程", LONG_LINE),
            ("演练评价", _v(r.get("drill_result"), LONG_LINE)),
            ("存在问题及改进措施", LONG_LINE),
        ],
        ["演练负责人（签字）", "记录人（签字）"],
    )


KINDS: tuple[FormKind, ...] = (
    FormKind(
        "合同评审表", ("contract", "合同评审"), "9.2", "contracts", ("合同评审",), contract_review
    ),
    FormKind(
        "供应商评价表",
        ("supplier", "供应商评价"),
        "9.5",
        "suppliers",
        ("供应商评价", "供方评价", "合作方评价"),
        supplier_evaluation,
    ),
    FormKind(
        "不符合及纠正措施报告",
        ("issue", "不符合", "纠正措施"),
        "9.6 10.5",
        "issues",
        ("不符合", "纠正措施", "履约问题处理"),
        nonconformity,
    ),
    FormKind(
        "培训签到及考核表",
        ("training", "培训"),
        "8.1.2",
        "training",
        ("培训签到", "培训考核", "培训记录"),
        training,
    ),
    FormKind("应急演练记录", ("drill", "演练"), "9.7", "emergency", ("演练",), drill),
)


def find_kind(text: str) -> FormKind:
    wanted = schema.fold(text).lower()
    for kind in KINDS:
        if wanted == kind.name or wanted in kind.aliases:
            return kind
    valid = "、".join(f"{k.name}（{k.aliases[0]}）" for k in KINDS)
    raise LyueError(f"不认识的表单种类“{text}”；--kind 可选：{valid}。")


def form_code(analysis: Analysis, kind: FormKind) -> str:
    """The 文件编号 of the 现行 记录 in 成文信息 whose 文件名称 names this form ("" if none)."""
    docs = analysis.records["documents"]
    if docs.empty:
        return ""
    current = docs[(docs["status"] == "现行") & (docs["category"] == "记录")]
    for word in kind.record_words:
        hit = current[current["name"].astype(str).str.contains(word, regex=False)]
        if not hit.empty:
            first = hit.sort_values("row").iloc[0]
            version = txt(first.get("version"))
            return txt(first["doc_no"]) + (f"（版本 {version}）" if version else "")
    return ""


def _frame(analysis: Analysis, kind: FormKind) -> pd.DataFrame:
    if kind.sheet == "suppliers":
        return analysis.suppliers  # graded: rates, score and grade for the period
    return analysis.records[kind.sheet]


def forms_context(analysis: Analysis, kind: FormKind, record: str | None = None) -> dict[str, Any]:
    sheet = schema.BY_KEY[kind.sheet]
    frame = _frame(analysis, kind)
    id_key = sheet.id_column or ""
    chosen = common.rows(frame)
    if record is not None:
        chosen = [r for r in chosen if txt(r.get(id_key)) == record.strip()]
        if not chosen:
            known = [txt(r.get(id_key)) for r in common.rows(frame) if txt(r.get(id_key))]
            listed = "、".join(known[:20]) + ("等" if len(known) > 20 else "")
            raise LyueError(
                f"「{sheet.name}」中没有编号为“{record}”的记录；"
                + (
                    f"可选的{sheet.column(id_key).label}：{listed}。"
                    if known
                    else "该表还没有记录。"
                )
            )
    if not chosen:
        raise LyueError(f"「{sheet.name}」中还没有记录，无法生成{kind.name}；请先登记记录。")
    code = form_code(analysis, kind)
    ctx = common.base_context(analysis)
    ctx.update(
        {
            "org_name": txt(analysis.records.info.get("org_name")) or LINE,
            "kind_name": kind.name,
            "forms": [
                {
                    "title": kind.name,
                    "clause": kind.clause,
                    "code": code or LINE,
                    "record": txt(r.get(id_key)),
                    **kind.build(analysis, r),
                }
                for r in chosen
            ],
        }
    )
    return ctx


def write_forms(
    analysis: Analysis, kind_text: str, record: str | None = None, out: Path | str | None = None
) -> Path:
    kind = find_kind(kind_text)
    ctx = forms_context(analysis, kind, record)
    label = kind.name + (f"-{safe_filename(record.strip(), '记录')}" if record else "")
    path = output_path(analysis, label, ".docx", out)
    return render(TEMPLATE, ctx, path)
