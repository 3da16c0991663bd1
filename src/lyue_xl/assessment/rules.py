"""The self-assessment rules: one small named function per kind of clause check.

Each rule is ``(records, period, ctx) -> Finding`` and is registered by name with ``@rule("…")``;
``clauses.toml`` says which rule judges which clause. A rule judges 符合 / 部分符合 / 不符合 /
不适用 / 需人工确认 from the live records as of T (an event dated after T has not happened yet) and
says why: the evidence (sheet, how many records it looked at, up to three example record ids of
records that *satisfy* the clause), the gap (what is missing, with numbers, the ids of offending
records and the sheet to record it in) and, optionally, a suggestion that replaces the catalogue's.

符合 is given only when the records themselves show the clause is met. A clause that only a
document or an interview can prove (a registered 手册 or 程序 says nothing about whether it is
followed) is 需人工确认: it is prepared for the audit, but the records cannot prove it.

Windows used below:
- "近12个月" = [T − 12 calendar months, T], both ends included (a drill exactly 12 months before T
  counts; the end of month is clamped, so T = 2024-02-29 looks back to 2023-02-28).
- "近12个月及统计期间" = that window united with the period window [S, min(E, T)], used for
  records that should be judged both for a past reporting period and for "now".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from lyue_xl import schema, windows
from lyue_xl.definitions import HIGH_RISK, RELEASED
from lyue_xl.evidence import has_file
from lyue_xl.period import Period
from lyue_xl.workbook.reader import Records

OK = "符合"
PARTIAL = "部分符合"
FAIL = "不符合"
NA = "不适用"
MANUAL = "需人工确认"
STATUSES: tuple[str, ...] = (OK, PARTIAL, FAIL, NA, MANUAL)

FULL_SHARE = 0.95  # ladder for shares: ≥ 95 % 符合, ≥ 70 % 部分符合, else 不符合
PART_SHARE = 0.70


@dataclass(frozen=True)
class Finding:
    status: str
    evidence: str
    sheet: str
    count: int = 0
    examples: tuple[str, ...] = ()
    gap: str = ""
    suggestion: str = ""  # "" = use the catalogue's suggestion


@dataclass(frozen=True)
class Ctx:
    """What a rule may know besides the records: its clause and the engine's settings."""

    number: str = ""
    title: str = ""
    params: Mapping[str, Any] = field(default_factory=dict)
    look_at: str = ""
    credit_months: int = 12
    achievements: Mapping[str, str] | None = None  # 目标编号 -> 达成/未达成/无数据 (fresh values)


Rule = Callable[[Records, Period, Ctx], Finding]
RULES: dict[str, Rule] = {}


def rule(name: str) -> Callable[[Rule], Rule]:
    """Register a rule under ``name`` (the name ``clauses.toml`` uses)."""

    def register(func: Rule) -> Rule:
        if name in RULES:
            raise ValueError(f"rule {name!r} registered twice")
        RULES[name] = func
        return func

    return register


# --- helpers ------------------------------------------------------------------------------------


def share_status(good: int, total: int, full: float = FULL_SHARE) -> str:
    """The 95 % (or ``full``) / 70 % ladder; an empty denominator is 不适用. Compared after
    rounding to 6 places."""
    if total <= 0:
        return NA
    share = round(good / total, 6)
    if share >= full:
        return OK
    if share >= PART_SHARE:
        return PARTIAL
    return FAIL


def found(
    status: str,
    key: str,
    evidence: Iterable[str] | str,
    gaps: Iterable[str] | str = (),
    *,
    count: int = 0,
    ids: Sequence[str] = (),
    suggestion: str = "",
) -> Finding:
    """The finding builder: ``key`` is the sheet's schema key; ``evidence`` and ``gaps`` are parts
    (blank ones dropped) joined with "；"."""
    parts = [evidence] if isinstance(evidence, str) else list(evidence)
    lacks = [gaps] if isinstance(gaps, str) else list(gaps)
    return Finding(
        status,
        join_parts(parts),
        sheet_name(key),
        count,
        tuple(ids)[:3],
        join_parts(lacks),
        suggestion,
    )


def when(condition: object, text: str) -> str:
    """``text`` when ``condition`` holds, else "" (a gap part that only applies sometimes)."""
    return text if bool(condition) else ""


def missing_columns(records: Records, key: str, *columns: str) -> list[str]:
    """Labels of ``columns`` that the sheet's header lacks (an older workbook)."""
    table = records.tables.get(key)
    if table is None or not table.present:
        return []
    return [table.sheet.column(c).label for c in columns if c not in table.indexes]


def add_columns_words(records: Records, key: str, *columns: str) -> str:
    labels = missing_columns(records, key, *columns)
    if not labels:
        return ""
    names = "、".join(f"「{label}」" for label in labels)
    return f"「{sheet_name(key)}」表头中没有{names}列，请在表头末尾加上后填写"


def all_some_none(good: int, total: int) -> str:
    """All of them 符合, some 部分符合, none 不符合."""
    if good >= total > 0:
        return OK
    return PARTIAL if good > 0 else FAIL


def pct(good: int, total: int) -> str:
    return f"{good / total:.1%}" if total else "无数据"


def year_ago(period: Period) -> pd.Timestamp:
    return period.t - pd.DateOffset(months=12)


def last_year(dates: pd.Series, period: Period) -> pd.Series:
    """Dates in [T − 12 months, T]."""
    return dates.notna() & (dates >= year_ago(period)) & (dates <= period.t)


def in_period(dates: pd.Series, period: Period) -> pd.Series:
    return dates.notna() & (dates >= period.s) & (dates <= period.w)


def recent(dates: pd.Series, period: Period) -> pd.Series:
    """Dates in the last 12 months or in the period window (never after T)."""
    return last_year(dates, period) | in_period(dates, period)


def recent_words(period: Period) -> str:
    if period.s >= year_ago(period):
        return "近12个月"
    return f"近12个月及统计期间（{period.start.isoformat()} 至 {period.window_end.isoformat()}）"


def not_after_as_of(dates: pd.Series, period: Period) -> pd.Series:
    """Blank, or on or before T (a record dated after T has not happened yet)."""
    return dates.isna() | (dates <= period.t)


def blank(text: pd.Series) -> pd.Series:
    return text.astype(str).str.strip() == ""


def record_ids(key: str, frame: pd.DataFrame) -> pd.Series:
    """The record id shown to users: the sheet's id column, 合同编号/节点名称 for 履约节点."""
    if key == "milestones":
        return frame["contract_no"].astype(str) + "/" + frame["name"].astype(str)
    if key == "roles":
        return frame["post"].astype(str)
    if key == "resources":
        return frame["name"].astype(str)
    id_column = schema.BY_KEY[key].id_column
    if id_column is None:
        return frame["row"].map(lambda r: f"第{r}行")
    ids = frame[id_column].astype(str)
    return ids.where(ids != "", frame["row"].map(lambda r: f"第{r}行"))


def examples(key: str, frame: pd.DataFrame, mask: pd.Series | None = None) -> tuple[str, ...]:
    """Up to three record ids, in sheet order."""
    chosen = frame if mask is None else frame[mask]
    return tuple(record_ids(key, chosen.head(3)).tolist())


def eg(ids: Sequence[str]) -> str:
    return f"（如 {'、'.join(ids)}）" if ids else ""


def sheet_name(key: str) -> str:
    return schema.BY_KEY[key].name


def absent(records: Records, key: str) -> bool:
    table = records.tables.get(key)
    return table is None or not table.present


def absent_words(key: str) -> str:
    return f"工作簿中没有「{sheet_name(key)}」表"


def text_of(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value != value:
        return ""
    return str(value).strip()


def current_documents(records: Records, period: Period) -> pd.DataFrame:
    """成文信息 rows that are 现行 and already issued as of T (blank 发布日期 counts as issued)."""
    docs = records["documents"]
    return docs[(docs["status"] == "现行") & not_after_as_of(docs["issued_on"], period)]


def contains_any(text: pd.Series, words: Iterable[str]) -> pd.Series:
    mask = pd.Series(False, index=text.index)
    for word in words:
        mask |= text.astype(str).str.contains(word, regex=False)
    return mask


def live_contracts(records: Records) -> pd.DataFrame:
    """Contracts except 协商解除 ones (left out of every contract check, DESIGN §3)."""
    c = records["contracts"]
    return c[c["state"] != RELEASED]


def applicable_objectives(records: Records, period: Period) -> pd.DataFrame:
    """履约目标 rows that apply to the period (适用年度 blank, or a year the window touches)."""
    o = records["objectives"]
    return o[windows.objective_applies(o["year"], period)]


def measurable(o: pd.DataFrame) -> pd.Series:
    return (o["indicator"] != "") & o["target"].notna() & (o["comparison"] != "")


def join_parts(parts: Iterable[str]) -> str:
    return "；".join(p for p in parts if p)


# --- document-only clauses ------------------------------------------------------------------------


@rule("document")
def document(records: Records, period: Period, ctx: Ctx) -> Finding:
    """A clause only a document or an interview can show. 需人工确认 when a 现行 手册, or a 现行
    document related to the clause, is registered (the evidence names them and says what to have
    ready for the audit); 不符合 when nothing written down relates to the clause. A registered
    document never makes a clause 符合: the records cannot show that it is followed.

    Documents whose 文件名称 contains one of ``params.keywords``, or whose 文件类别 is one of
    ``params.categories``, are listed as related evidence.
    """
    docs = current_documents(records, period)
    manual = docs[docs["category"] == "手册"]
    keywords = list(ctx.params.get("keywords", []))
    categories = list(ctx.params.get("categories", []))
    related = docs[
        (docs["category"] != "手册")
        & (contains_any(docs["name"], keywords) | docs["category"].isin(categories))
    ]
    look = ctx.look_at or f"写明本单位对 {ctx.number} {ctx.title} 的做法的文件。"
    used = pd.concat([manual, related])
    if used.empty:
        what = (
            "成文信息中没有任何现行文件（无手册、制度或程序）"
            if docs.empty
            else "成文信息中没有现行的履约管理手册，也没有与本条相关的现行文件"
        )
        return found(
            FAIL,
            "documents",
            f"成文信息：现行文件 {len(docs)} 份，与本条相关 0 份",
            f"{what}。请编写后在「成文信息」登记（状态：现行），并准备：{look}",
        )
    names = "、".join(
        f"《{r['name']}》{r['doc_no']}{(' ' + r['version']) if r['version'] else ''}"
        for _, r in used.head(3).iterrows()
    )
    evidence = f"成文信息：相关现行文件 {len(used)} 份（{names}）"
    filed = used[has_file(records, "documents", used, local=True)]
    if len(filed):
        # the scan of a document is shown for the audit; it still does not make the clause 符合
        evidence += f"，其中 {len(filed)} 份附证据文件{eg(examples('documents', filed))}"
    gap = f"需人工确认：本条只能由文件和面谈证明，台账记录无法证实其已执行。审核前请准备：{look}"
    return found(
        MANUAL, "documents", evidence, gap, count=len(used), ids=examples("documents", used)
    )


# --- 5 组织环境 ---------------------------------------------------------------------------------


@rule("context_factors")
def context_factors(records: Records, period: Period, ctx: Ctx) -> Finding:
    """5.1: internal and external factors recorded in 环境与相关方 (rows reviewed after T ignored)."""
    name = sheet_name("context")
    if absent(records, "context"):
        return Finding(
            FAIL, f"{name}：无", name, gap=absent_words("context") + "，未记录内外部环境因素"
        )
    c = records["context"]
    c = c[not_after_as_of(c["reviewed_on"], period)]
    internal = c["category"] == "内部环境"
    external = c["category"] == "外部环境"
    n_in, n_out = int(internal.sum()), int(external.sum())
    evidence = f"{name}：内部环境因素 {n_in} 条、外部环境因素 {n_out} 条{eg(examples('context', c, internal | external))}"
    missing = [w for w, n in (("内部环境因素", n_in), ("外部环境因素", n_out)) if n == 0]
    status = all_some_none(2 - len(missing), 2)
    gap = f"未登记{'和'.join(missing)}" if missing else ""
    return Finding(
        status, evidence, name, n_in + n_out, examples("context", c, internal | external), gap
    )


PARTY_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("客户", ("客户", "顾客", "消费者", "用户")),
    ("供应商", ("供应商", "供方", "分包", "合作方")),
    ("员工", ("员工", "职工", "人员")),
    ("监管机构", ("监管", "政府", "主管部门", "市场监督")),
    ("股东/投资者", ("股东", "投资")),
)


@rule("interested_parties")
def interested_parties(records: Records, period: Period, ctx: Ctx) -> Finding:
    """5.2: the five kinds of interested party of 5.2.1–5.2.5, found by key words in 因素或相关方."""
    name = sheet_name("context")
    if absent(records, "context"):
        return Finding(FAIL, f"{name}：无", name, gap=absent_words("context") + "，未识别相关方")
    c = records["context"]
    parties = c[(c["category"] == "相关方") & not_after_as_of(c["reviewed_on"], period)]
    if parties.empty:
        return Finding(FAIL, f"{name}：相关方 0 条", name, gap="未登记任何相关方及其需求和期望")
    covered = [g for g, words in PARTY_GROUPS if contains_any(parties["subject"], words).any()]
    missing = [g for g, _ in PARTY_GROUPS if g not in covered]
    no_need = int(blank(parties["expectation"]).sum())
    status = OK if not missing else PARTIAL
    evidence = f"{name}：相关方 {len(parties)} 条，覆盖 {len(covered)}/5 类（{'、'.join(covered) or '无'}）"
    gap = join_parts(
        [
            f"未登记的相关方：{'、'.join(missing)}" if missing else "",
            f"提示：{no_need} 条未填写需求或期望" if no_need else "",
        ]
    )
    return Finding(status, evidence, name, len(parties), examples("context", parties), gap)


@rule("vision_goals")
def vision_goals(records: Records, period: Period, ctx: Ctx) -> Finding:
    """5.3: a vision in 基本信息 and objectives with a responsible department."""
    vision = text_of(records.info.get("vision"))
    o = applicable_objectives(records, period)
    with_dept = o[measurable(o) & ~blank(o["department"])]
    # every department named, in the order the objectives name them ("销售部、财务部" is two)
    depts = list(
        dict.fromkeys(
            name
            for cell in with_dept["department"]
            for name in re.split(r"[、，,;；/\s]+", str(cell))
            if name
        )
    )
    good = int(bool(vision)) + int(len(with_dept) > 0)
    evidence = join_parts(
        [
            f"基本信息：履约愿景{'已填写' if vision else '未填写'}",
            f"履约目标：有责任部门的目标 {len(with_dept)} 个，涉及部门 {len(depts)} 个（{'、'.join(depts[:8])}{'等' if len(depts) > 8 else ''}）"
            if depts
            else "履约目标：没有指定责任部门的目标",
        ]
    )
    gap = join_parts(
        [
            "「基本信息」未填写履约愿景" if not vision else "",
            "「履约目标」中没有指定责任部门的可测量目标" if with_dept.empty else "",
        ]
    )
    return Finding(
        all_some_none(good, 2),
        evidence,
        sheet_name("objectives"),
        len(with_dept),
        examples("objectives", with_dept),
        gap,
    )


@rule("scope")
def scope(records: Records, period: Period, ctx: Ctx) -> Finding:
    """5.4: 体系范围 written in 基本信息 and the commitments it covers registered."""
    text = text_of(records.info.get("scope"))
    com = records["commitments"]
    com = com[com["content"] != ""]
    evidence = join_parts(
        [
            f"基本信息：体系范围“{text[:40]}{'…' if len(text) > 40 else ''}”"
            if text
            else "基本信息：体系范围未填写",
            f"承诺：{len(com)} 项",
        ]
    )
    if not text:
        return Finding(
            FAIL,
            evidence,
            sheet_name("info"),
            0,
            (),
            "「基本信息」未填写体系范围，范围没有形成文件",
        )
    if com.empty:
        return Finding(
            PARTIAL,
            evidence,
            sheet_name("info"),
            1,
            (),
            "范围已写明，但「承诺」表中没有登记与产品和服务相关的承诺",
        )
    return Finding(OK, evidence, sheet_name("info"), 1 + len(com), examples("commitments", com))


# --- 6 领导作用 ---------------------------------------------------------------------------------


def audits_of(records: Records, period: Period, kind: str) -> pd.DataFrame:
    """审核记录 rows of one 审核类型 dated in the last 12 months."""
    a = records["audits"]
    return a[(a["audit_type"] == kind) & last_year(a["audited_on"], period)]


@rule("leadership")
def leadership(records: Records, period: Period, ctx: Ctx) -> Finding:
    """6.1: top manager named, a policy, and a 管理评审 in the last 12 months."""
    top = text_of(records.info.get("top_manager"))
    policy_text = text_of(records.info.get("policy"))
    reviews = audits_of(records, period, "管理评审")
    checks = [
        (bool(top), "「基本信息」未填写最高管理者"),
        (bool(policy_text), "「基本信息」未填写履约能力方针"),
        (not reviews.empty, "近12个月没有管理评审记录（「审核记录」审核类型：管理评审）"),
    ]
    good = sum(ok for ok, _ in checks)
    evidence = join_parts(
        [
            f"基本信息：最高管理者{top or '未填写'}，方针{'已填写' if policy_text else '未填写'}",
            f"审核记录：近12个月管理评审 {len(reviews)} 条{eg(examples('audits', reviews))}",
        ]
    )
    gap = join_parts(words for ok, words in checks if not ok)
    return Finding(
        all_some_none(good, 3),
        evidence,
        sheet_name("audits"),
        len(reviews),
        examples("audits", reviews),
        gap,
    )


# how a policy commits to continual improvement (6.2 c)
IMPROVEMENT_WORDS = ("持续改进", "不断改进", "持续提升", "不断提高", "逐年提高", "持续提高")


@rule("policy")
def policy(records: Records, period: Period, ctx: Ctx) -> Finding:
    """6.2: the policy text in 基本信息 commits to meeting contract requirements (mentions 合同 or
    履约) and to continual improvement (持续改进 or IMPROVEMENT_WORDS) — 6.2 c; it is dated on or before T; and its
    communication is recorded (6.2 d): a training whose 培训主题 contains 方针 (held by T, 参加人数
    > 0) or a 现行 成文信息 row whose 文件名称 contains 方针.
    符合: all of these; 不符合: no policy, or neither commitment; else 部分符合."""
    text = text_of(records.info.get("policy"))
    issued = records.info.get("policy_date")
    issued_ts = pd.Timestamp(issued) if isinstance(issued, date) else None
    dated = issued_ts is not None and issued_ts <= period.t
    contract = any(w in text for w in ("合同", "履约"))
    improve = any(w in text for w in IMPROVEMENT_WORDS)
    t = records["training"]
    told = t[
        not_after_as_of(t["held_on"], period)
        & t["held_on"].notna()
        & (t["attendees"].fillna(0) > 0)
        & t["topic"].astype(str).str.contains("方针", regex=False)
    ]
    docs = current_documents(records, period)
    posted = docs[docs["name"].astype(str).str.contains("方针", regex=False)]
    shown = f"“{text[:40]}{'…' if len(text) > 40 else ''}”" if text else "未填写"
    evidence = [
        f"基本信息：履约能力方针{shown}",
        f"方针发布日期 {issued_ts.date().isoformat()}" if issued_ts is not None else "",
        f"方针传达：培训记录 {len(told)} 次{eg(examples('training', told))}、"
        f"成文信息 {len(posted)} 份{eg(examples('documents', posted))}",
    ]
    gaps = [
        when(not text, "「基本信息」未填写履约能力方针"),
        when(text and not contract, "方针没有写明满足合同（履约）要求的承诺（6.2 c）"),
        when(text and not improve, "方针没有写明持续改进的承诺（6.2 c）"),
        when(issued_ts is None, "「基本信息」未填写方针发布日期"),
        when(
            issued_ts is not None and not dated,
            f"方针发布日期 {issued_ts.date().isoformat() if issued_ts is not None else ''} "
            "晚于基准日期，尚未发布",
        ),
        when(
            told.empty and posted.empty,
            "没有方针传达的记录（6.2 d）：请在「培训记录」登记方针宣贯（主题含“方针”、参加人数），"
            "或在「成文信息」登记方针发布文件",
        ),
    ]
    if not text or not (contract or improve):
        status = FAIL
    elif contract and improve and dated and not (told.empty and posted.empty):
        status = OK
    else:
        status = PARTIAL
    ids = examples("training", told) + examples("documents", posted)
    return found(status, "info", evidence, gaps, count=int(bool(text)), ids=ids)


@rule("objectives")
def objectives(records: Records, period: Period, ctx: Ctx) -> Finding:
    """6.3.1: objectives for the period that are measurable (指标, 目标值, 比较方式) and owned (责任部门)."""
    name = sheet_name("objectives")
    o = applicable_objectives(records, period)
    ok_measure = measurable(o)
    owned = ~blank(o["department"])
    good = ok_measure & owned
    if not ok_measure.any():
        gap = (
            "没有适用于本期的可测量履约目标"
            if o.empty
            else f"{len(o)} 个目标都缺指标、目标值或比较方式"
        )
        return Finding(
            FAIL, f"{name}：本期适用目标 {len(o)} 个，可测量 0 个", name, len(o), (), gap
        )
    indicators = list(dict.fromkeys(o.loc[ok_measure, "indicator"]))
    evidence = (
        f"{name}：本期适用目标 {len(o)} 个，可测量 {int(ok_measure.sum())} 个，"
        f"覆盖指标 {len(indicators)} 项（{'、'.join(indicators[:6])}）{eg(examples('objectives', o, good))}"
    )
    not_measurable = o[~ok_measure]
    no_owner = o[ok_measure & ~owned]
    gap = join_parts(
        [
            f"{len(not_measurable)} 个目标缺指标、目标值或比较方式{eg(examples('objectives', not_measurable))}"
            if len(not_measurable)
            else "",
            f"{len(no_owner)} 个目标未指定责任部门{eg(examples('objectives', no_owner))}"
            if len(no_owner)
            else "",
        ]
    )
    status = OK if bool(good.all()) else PARTIAL
    return Finding(status, evidence, name, len(o), examples("objectives", o, good), gap)


@rule("required_policies")
def required_policies(records: Records, period: Period, ctx: Ctx) -> Finding:
    """6.3.2: the six 制度 (REQUIRED_POLICIES): a 现行 制度 whose 文件名称 contains the key word."""
    name = sheet_name("documents")
    docs = current_documents(records, period)
    policies = docs[docs["category"] == "制度"]
    found: list[str] = []
    missing: list[str] = []
    for word, full in schema.REQUIRED_POLICIES:
        hit = policies[policies["name"].str.contains(word, regex=False)]
        if hit.empty:
            missing.append(full)
        else:
            found.append(str(hit.iloc[0]["doc_no"]) or full)
    has_manual = bool((docs["category"] == "手册").any())
    n = len(schema.REQUIRED_POLICIES)
    evidence = f"{name}：六项履约管理制度现行 {len(found)}/{n} 项{eg(found[:3])}；{'有' if has_manual else '没有'}现行的履约管理手册"
    gap = join_parts(
        [
            f"缺少 {len(missing)} 项制度：{'、'.join(missing)}" if missing else "",
            "提示：成文信息中没有现行的履约管理手册（本条同样要求手册）" if not has_manual else "",
        ]
    )
    return Finding(
        all_some_none(len(found), n), evidence, name, len(policies), tuple(found[:3]), gap
    )


@rule("policies_issued")
def policies_issued(records: Records, period: Period, ctx: Ctx) -> Finding:
    """6.3.3: every 现行 制度 has a 发布日期 and a 批准人 (the 最高管理者 when named), and the 制度
    were briefed to the staff: a training held by T, 参加人数 > 0, whose 培训主题 contains 制度.
    符合: all signed and briefed; 不符合: none signed; else 部分符合."""
    docs = current_documents(records, period)
    policies = docs[docs["category"] == "制度"]
    if policies.empty:
        return found(
            FAIL,
            "documents",
            "成文信息：现行制度 0 份",
            "没有登记现行的履约管理制度，无法证明制度经签署发布；发布后请在「成文信息」登记",
        )
    signed = policies["issued_on"].notna() & ~blank(policies["approver"])
    top = text_of(records.info.get("top_manager"))
    if top:
        approver = policies["approver"].astype(str)
        by_top = approver.map(lambda a: bool(a) and (a in top or top in a))
    else:
        by_top = pd.Series(True, index=policies.index)
    good = signed & by_top
    briefed = briefings(records, period, "制度")
    unsigned = policies[~signed]
    other = policies[signed & ~by_top]
    evidence = [
        f"成文信息：现行制度 {len(policies)} 份，有发布日期和批准人 {int(signed.sum())} 份"
        f"{eg(examples('documents', policies, good))}",
        f"培训记录：制度宣贯培训 {len(briefed)} 次{eg(examples('training', briefed))}",
    ]
    gaps = [
        when(
            len(unsigned),
            f"{len(unsigned)} 份制度缺发布日期或批准人{eg(examples('documents', unsigned))}，"
            "请在「成文信息」补填",
        ),
        when(
            len(other),
            f"{len(other)} 份制度的批准人不是最高管理者（{top}）{eg(examples('documents', other))}",
        ),
        when(
            briefed.empty,
            "没有制度宣贯的记录（6.3.3.2 要求相关人员知晓和理解制度）：请组织宣贯并在「培训记录」"
            "登记（培训主题含“制度”，填写参加人数和考核结果）",
        ),
    ]
    if not good.any():
        status = FAIL
    elif bool(good.all()) and not briefed.empty:
        status = OK
    else:
        status = PARTIAL
    return found(
        status,
        "documents",
        evidence,
        gaps,
        count=len(policies),
        ids=examples("documents", policies, good),
    )


@rule("roles")
def roles(records: Records, period: Period, ctx: Ctx) -> Finding:
    """6.4: 职责权限 rows with duties, and 履约管理负责人 named in 基本信息."""
    name = sheet_name("roles")
    manager = text_of(records.info.get("manager"))
    r = records["roles"]
    r = r[~blank(r["duties"]) & not_after_as_of(r["appointed_on"], period)]
    evidence = join_parts(
        [
            f"{name}：写明职责的部门/岗位 {len(r)} 个{eg(examples('roles', r))}",
            f"基本信息：履约管理负责人{manager or '未填写'}",
        ]
    )
    gap = join_parts(
        [
            (
                absent_words("roles")
                if absent(records, "roles")
                else "「职责权限」中没有写明职责的部门或岗位"
            )
            if r.empty
            else "",
            "「基本信息」未填写履约管理负责人" if not manager else "",
        ]
    )
    return Finding(
        all_some_none(int(len(r) > 0) + int(bool(manager)), 2),
        evidence,
        name,
        len(r),
        examples("roles", r),
        gap,
    )


# --- 7 策划 -------------------------------------------------------------------------------------

OBJECTIVE_AREAS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "交付",
        ("合同履约率", "合同履约率（金额）", "按时交付率", "节点按时完成率", "供方按时交付率"),
    ),
    ("质量", ("质量达标率",)),
    ("客户与违约", ("客户满意度", "违约次数", "问题按期关闭率")),
)


@rule("objective_coverage")
def objective_coverage(records: Records, period: Period, ctx: Ctx) -> Finding:
    """7.1: measurable objectives cover delivery, quality and customer (3 areas: all 符合, some 部分)."""
    name = sheet_name("objectives")
    o = applicable_objectives(records, period)
    o = o[measurable(o)]
    covered = [area for area, names in OBJECTIVE_AREAS if o["indicator"].isin(names).any()]
    missing = [area for area, _ in OBJECTIVE_AREAS if area not in covered]
    evidence = f"{name}：可测量目标 {len(o)} 个，覆盖 {len(covered)}/3 个方面（{'、'.join(covered) or '无'}）"
    hints = {
        "交付": "交付（合同履约率或按时交付率）",
        "质量": "质量（质量达标率）",
        "客户与违约": "客户（客户满意度或违约次数）",
    }
    gap = f"目标未覆盖：{'、'.join(hints[m] for m in missing)}" if missing else ""
    return Finding(
        all_some_none(len(covered), 3), evidence, name, len(o), examples("objectives", o), gap
    )


@rule("commitments")
def commitments(records: Records, period: Period, ctx: Ctx) -> Finding:
    """7.2.x: commitments of ``params.kind`` exist, with 兑现证据 (at least one, and every 已兑现
    one); none overdue.

    No commitment of the kind: 不符合, or 不适用 when ``params.optional`` (自愿性承诺 are optional).
    """
    name = sheet_name("commitments")
    kind = str(ctx.params.get("kind", ""))
    c = records["commitments"]
    c = c[(c["kind"] == kind) & (c["content"] != "")]
    if c.empty:
        if ctx.params.get("optional"):
            return Finding(
                NA,
                f"{name}：{kind}承诺 0 项",
                name,
                gap=f"未作{kind}承诺（标准允许不作）；如已作出，请登记",
            )
        return Finding(FAIL, f"{name}：{kind}承诺 0 项", name, gap=f"「承诺」表中没有{kind}承诺")
    done = c["status"] == "已兑现"
    filed = has_file(records, "commitments", c)  # a linked scan is 兑现证据 too
    no_proof = done & blank(c["evidence"]) & ~filed
    overdue = c["deadline"].notna() & (c["deadline"] < period.t) & ~done
    evidence = (
        f"{name}：{kind}承诺 {len(c)} 项，已兑现 {int(done.sum())} 项"
        f"（有兑现证据 {int((done & ~no_proof).sum())} 项）{eg(examples('commitments', c, done & ~no_proof) or examples('commitments', c))}"
    )
    proved = ~blank(c["evidence"]) | filed
    gap = join_parts(
        [
            f"{kind}承诺 {len(c)} 项，尚无一项有兑现证据；兑现后请在「承诺」表填写证据"
            if not proved.any() and not no_proof.any()
            else "",
            f"{int(no_proof.sum())} 项标为已兑现但没有兑现证据{eg(examples('commitments', c, no_proof))}"
            if no_proof.any()
            else "",
            f"{int(overdue.sum())} 项已过兑现期限仍未兑现{eg(examples('commitments', c, overdue))}"
            if overdue.any()
            else "",
        ]
    )
    status = PARTIAL if gap else OK
    return Finding(
        status,
        evidence,
        name,
        len(c),
        examples("commitments", c, done & ~no_proof) or examples("commitments", c),
        gap,
    )


def risk_frame(records: Records) -> pd.DataFrame:
    r = records["risks"].copy()
    r["risk_value"] = (r["likelihood"] * r["impact"]).round(6)
    r["is_open"] = r["status"] != "已关闭"
    return r


@rule("risks")
def risks(records: Records, period: Period, ctx: Ctx) -> Finding:
    """7.3: risks registered with measures. 不符合: no risk at all, or a high risk (风险值 ≥ 15) open
    without 应对措施. 部分符合: an open risk without 应对措施, an open high risk without 应急预案, or
    no 机遇 registered."""
    name = sheet_name("risks")
    r = risk_frame(records)
    is_risk = r["kind"] == "风险"
    rk = r[is_risk]
    n_opp = int((r["kind"] == "机遇").sum())
    if rk.empty:
        return Finding(
            FAIL, f"{name}：风险 0 项、机遇 {n_opp} 项", name, gap="没有登记任何履约风险"
        )
    high_open = (rk["risk_value"] >= HIGH_RISK) & rk["is_open"]
    no_measure = blank(rk["measure"])
    high_bare = high_open & no_measure
    open_bare = rk["is_open"] & no_measure & ~high_open
    high_no_plan = high_open & blank(rk["contingency"])
    with_measure = ~no_measure
    evidence = (
        f"{name}：风险 {len(rk)} 项（高风险未关闭 {int(high_open.sum())} 项），有应对措施 {int(with_measure.sum())} 项"
        f"{eg(examples('risks', rk, with_measure))}；机遇 {n_opp} 项"
    )
    gap = join_parts(
        [
            f"{int(high_bare.sum())} 项高风险未关闭且没有应对措施{eg(examples('risks', rk, high_bare))}"
            if high_bare.any()
            else "",
            f"{int(open_bare.sum())} 项未关闭风险没有应对措施{eg(examples('risks', rk, open_bare))}"
            if open_bare.any()
            else "",
            f"{int(high_no_plan.sum())} 项未关闭高风险没有应急预案{eg(examples('risks', rk, high_no_plan))}"
            if high_no_plan.any()
            else "",
            "没有登记机遇" if n_opp == 0 else "",
        ]
    )
    status = FAIL if high_bare.any() else (PARTIAL if gap else OK)
    return Finding(status, evidence, name, len(rk), examples("risks", rk, with_measure), gap)


@rule("changes")
def changes(records: Records, period: Period, ctx: Ctx) -> Finding:
    """7.4: changes recorded recently have an 影响评估 and an 审批人. No change recorded → 不适用
    (changes are events; the auditor asks how changes would be controlled)."""
    name = sheet_name("changes")
    words = recent_words(period)
    if absent(records, "changes"):
        return Finding(
            NA, f"{name}：无", name, gap=absent_words("changes") + "；如期间有变更，请补表登记"
        )
    ch = records["changes"]
    ch = ch[recent(ch["changed_on"], period)]
    if ch.empty:
        return Finding(
            NA,
            f"{name}：{words}变更 0 项",
            name,
            gap=f"{words}未登记变更；如确无变更本条不适用，审核时说明变更控制做法",
        )
    complete = ~blank(ch["impact"]) & ~blank(ch["approver"])
    evidence = f"{name}：{words}变更 {len(ch)} 项，有影响评估和审批人 {int(complete.sum())} 项{eg(examples('changes', ch, complete))}"
    bad = ch[~complete]
    gap = f"{len(bad)} 项变更缺影响评估或审批人{eg(examples('changes', bad))}" if len(bad) else ""
    return Finding(
        all_some_none(int(complete.sum()), len(ch)),
        evidence,
        name,
        len(ch),
        examples("changes", ch, complete),
        gap,
    )


# --- 8 支持 -------------------------------------------------------------------------------------


TRAINING_TOPICS = ("履约", "合同")
ASSESSED = ("合格", "部分合格", "不合格")


@rule("training")
def training(records: Records, period: Period, ctx: Ctx) -> Finding:
    """8.1.2: a training in [T − 12 months, T] whose 培训主题 concerns 履约 or 合同, with 参加人数
    > 0 and a 考核结果 (not blank or 未考核) — 8.1.2 a; and every post in 职责权限 has a 能力要求
    and a 资格证明 (8.1.2 b). 符合: both; 不符合: neither a fitting training nor any 能力要求;
    else 部分符合. A training dated after T has not happened."""
    if absent(records, "training"):
        return found(FAIL, "training", "培训记录：无", absent_words("training") + "，没有培训记录")
    t = records["training"]
    fresh = t[last_year(t["held_on"], period)]
    topical = contains_any(fresh["topic"], TRAINING_TOPICS)
    people = fresh["attendees"].fillna(0) > 0
    tested = fresh["result"].isin(ASSESSED)
    fit = fresh[topical & people & tested]
    unfit = fresh[~(topical & people & tested)]
    r = records["roles"]
    r = r[~blank(r["post"])]
    no_comp = r[blank(r["competence"])]
    no_qual = r[~blank(r["competence"]) & blank(r["qualification"])]
    col_gap = add_columns_words(records, "roles", "competence", "qualification")
    why: list[str] = []
    for _, row in unfit.head(3).iterrows():
        reasons = [
            when(
                not contains_any(pd.Series([row["topic"]]), TRAINING_TOPICS).iloc[0],
                "主题不涉及履约或合同",
            ),
            when(
                not (row["attendees"] == row["attendees"] and row["attendees"] > 0),
                "参加人数为 0 或未填",
            ),
            when(row["result"] not in ASSESSED, "没有考核结果"),
        ]
        why.append(
            f"{row['training_no'] or '第' + str(row['row']) + '行'}（{'，'.join(x for x in reasons if x)}）"
        )
    evidence = [
        f"培训记录：近12个月培训 {len(fresh)} 次，其中涉及履约或合同、有人参加且经考核 {len(fit)} 次"
        f"{eg(examples('training', fit))}，参加 {int(fit['attendees'].fillna(0).sum())} 人次",
        f"职责权限：岗位 {len(r)} 个，写明能力要求 {len(r) - len(no_comp)} 个",
    ]
    gaps = [
        when(
            fit.empty,
            "近12个月没有涉及履约或合同、有人参加并经考核的培训"
            + (f"（不计入的：{'、'.join(why)}）" if why else "")
            + "；请组织履约管理培训并在「培训记录」填写主题、参加人数和考核结果",
        ),
        col_gap,
        when(
            not col_gap and r.empty,
            "「职责权限」中没有岗位，无法说明关键岗位的能力要求（8.1.2 b）",
        ),
        when(
            not col_gap and len(no_comp),
            f"{len(no_comp)} 个岗位未写能力要求{eg(examples('roles', no_comp))}，请在「职责权限」填写",
        ),
        when(
            not col_gap and len(no_qual),
            f"{len(no_qual)} 个岗位没有资格证明{eg(examples('roles', no_qual))}，请在「职责权限」填写",
        ),
    ]
    roles_ok = not r.empty and no_comp.empty and no_qual.empty
    if not fit.empty and roles_ok:
        status = OK
    elif fit.empty and (r.empty or len(no_comp) == len(r)):
        status = FAIL
    else:
        status = PARTIAL
    return found(
        status, "training", evidence, gaps, count=len(fresh), ids=examples("training", fit)
    )


@rule("records_system")
def records_system(records: Records, period: Period, ctx: Ctx) -> Finding:
    """8.1.3.2: the workbook serves as the system: contracts, milestones and payments recorded."""
    c = records["contracts"]
    c = c[not_after_as_of(c["signed_on"], period)]
    parts = (
        ("合同管理", sheet_name("contracts"), len(c)),
        ("服务过程控制", sheet_name("milestones"), len(records["milestones"])),
        ("款项统计及预警", sheet_name("payments"), len(records["payments"])),
    )
    good = sum(1 for _, _, n in parts if n)
    evidence = "本台账：" + "，".join(f"{what}（{sheet}）{n} 条" for what, sheet, n in parts)
    missing = [f"{what}（「{sheet}」为空）" for what, sheet, n in parts if n == 0]
    gap = f"未使用的功能：{'、'.join(missing)}" if missing else ""
    return Finding(
        all_some_none(good, 3),
        evidence,
        sheet_name("contracts"),
        sum(n for _, _, n in parts),
        examples("contracts", c),
        gap,
    )


@rule("credit_checks")
def credit_checks(records: Records, period: Period, ctx: Ctx) -> Finding:
    """8.1.3.3: suppliers whose credit was checked (on or before T). No supplier and no 支出性
    contract → 不适用."""
    name = sheet_name("suppliers")
    s = records["suppliers"]
    outgoing = live_contracts(records)
    outgoing = outgoing[outgoing["nature"] == "支出性"]
    if s.empty:
        if outgoing.empty:
            return Finding(NA, f"{name}：0 家", name, gap="没有供应商和支出性合同")
        return Finding(
            FAIL,
            f"{name}：0 家",
            name,
            gap=f"有支出性合同 {len(outgoing)} 份，但「供应商」表为空，未核查合作方信用",
        )
    checked = s["credit_checked_on"].notna() & (s["credit_checked_on"] <= period.t)
    abnormal = checked & (s["credit_result"] == "异常")
    evidence = (
        f"{name}：{len(s)} 家，已做信用核查 {int(checked.sum())} 家（结论异常 {int(abnormal.sum())} 家）"
        f"{eg(examples('suppliers', s, checked))}；客户履约情况调查请另行保存记录（台账中没有对应的表）"
    )
    bad = s[~checked]
    gap = f"{len(bad)} 家供应商没有信用核查记录{eg(examples('suppliers', bad))}" if len(bad) else ""
    return Finding(
        all_some_none(int(checked.sum()), len(s)),
        evidence,
        name,
        len(s),
        examples("suppliers", s, checked),
        gap,
    )


@rule("external_documents")
def external_documents(records: Records, period: Period, ctx: Ctx) -> Finding:
    """8.2.3: 现行 外来文件 (laws, standards, regulators' requirements) registered; none →
    不符合 (no evidence; the gap asks where the firm collects them, if elsewhere)."""
    name = sheet_name("documents")
    docs = current_documents(records, period)
    ext = docs[docs["category"] == "外来文件"]
    if ext.empty:
        return Finding(
            FAIL,
            f"{name}：现行外来文件 0 份",
            name,
            0,
            (),
            "成文信息中没有登记外来文件（法律法规、标准、监管要求）；如在别处收集，请登记或说明收集和更新渠道",
        )
    evidence = f"{name}：现行外来文件 {len(ext)} 份{eg(examples('documents', ext))}"
    return Finding(OK, evidence, name, len(ext), examples("documents", ext))


@rule("document_control")
def document_control(records: Records, period: Period, ctx: Ctx) -> Finding:
    """8.3: 现行 documents have a 版本 and a 批准人 and none is overdue for review (下次评审日期 < T).
    符合: all do; 不符合: no document registered, or none has a version; else 部分符合."""
    name = sheet_name("documents")
    docs = current_documents(records, period)
    if docs.empty:
        return Finding(FAIL, f"{name}：现行文件 0 份", name, gap="没有登记任何受控文件")
    versioned = ~blank(docs["version"])
    approved = ~blank(docs["approver"])
    overdue = docs["next_review"].notna() & (docs["next_review"] < period.t)
    good = versioned & approved & ~overdue
    evidence = f"{name}：现行文件 {len(docs)} 份，有版本 {int(versioned.sum())} 份、有批准人 {int(approved.sum())} 份{eg(examples('documents', docs, good))}"
    gap = join_parts(
        [
            f"{int((~versioned).sum())} 份没有版本号{eg(examples('documents', docs, ~versioned))}"
            if (~versioned).any()
            else "",
            f"{int((~approved).sum())} 份没有批准人{eg(examples('documents', docs, ~approved))}"
            if (~approved).any()
            else "",
            f"{int(overdue.sum())} 份已过下次评审日期{eg(examples('documents', docs, overdue))}"
            if overdue.any()
            else "",
        ]
    )
    status = OK if bool(good.all()) else (FAIL if not versioned.any() else PARTIAL)
    return Finding(status, evidence, name, len(docs), examples("documents", docs, good), gap)


# --- 9 管理实现 ---------------------------------------------------------------------------------


@rule("contract_review")
def contract_review(records: Records, period: Period, ctx: Ctx) -> Finding:
    """9.2: contracts signed in the last 12 months or in the period, or signed by T and still
    履行中, as CONTRACT_NOT_REVIEWED sees them (协商解除 excluded): share reviewed on or before
    the signing day with a conclusion other than 不通过. The standard asks it of every contract:
    all 符合, ≥ 70 % 部分符合, else 不符合. A ledger with no contract at all is 不符合 (nothing
    shows that contracts are reviewed); contracts, but none in scope, 不适用."""
    name = sheet_name("contracts")
    words = recent_words(period)
    if records["contracts"].empty:
        return Finding(
            FAIL,
            f"{name}：合同 0 份",
            name,
            gap="合同台账中没有登记任何合同，无法证明合同在签订前经过评审",
        )
    c = live_contracts(records)
    ongoing = c["state"].isin(["履行中", ""]) & not_after_as_of(c["signed_on"], period)
    c = c[recent(c["signed_on"], period) | ongoing]
    if c.empty:
        return Finding(
            NA, f"{name}：{words}签订 0 份，在履行 0 份", name, gap=f"{words}没有签订或在履行的合同"
        )
    missing = c["reviewed_on"].isna()
    late = ~missing & (c["reviewed_on"] > c["signed_on"])
    rejected = ~missing & ~late & (c["review_result"] == "不通过")
    good = ~(missing | late | rejected)
    n_good = int(good.sum())
    evidence = f"{name}：{words}签订或仍在履行 {len(c)} 份，评审在签订前 {n_good} 份{eg(examples('contracts', c, good))}"
    bad = ~good
    detail = "、".join(
        f"{w} {int(m.sum())} 份"
        for w, m in (("未评审", missing), ("评审晚于签订", late), ("评审不通过仍签订", rejected))
        if m.any()
    )
    gap = (
        f"{int(bad.sum())} 份未在签订前通过评审（{detail}）{eg(examples('contracts', c, bad))}；签订前评审率 {pct(n_good, len(c))}"
        if bad.any()
        else ""
    )
    status = share_status(n_good, len(c), full=1.0)
    return Finding(status, evidence, name, len(c), examples("contracts", c, good), gap)


@rule("milestones")
def milestones(records: Records, period: Period, ctx: Ctx) -> Finding:
    """9.4: progress tracked in 履约节点. Scope: 收入性 contracts (协商解除 excluded) signed by T
    that are 履行中 or due recently. No such contract and no due milestone → 不适用; contracts but
    no milestone → 不符合; an overdue open 关键节点, or no 关键节点 at all → 部分符合."""
    name = sheet_name("milestones")
    words = recent_words(period)
    all_c = records["contracts"]
    cancelled = set(all_c.loc[all_c["state"] == RELEASED, "contract_no"])
    c = live_contracts(records)
    c = c[(c["nature"] == "收入性") & not_after_as_of(c["signed_on"], period)]
    in_progress = c["state"].isin(["履行中", ""])  # a blank 履行状态 reads 履行中
    active = c[in_progress | recent(c["planned_delivery"], period)]
    m = records["milestones"]
    m = m[~m["contract_no"].isin(cancelled)]
    due = m[recent(m["planned"], period)]
    if active.empty and due.empty:
        return Finding(
            NA, f"{name}：{words}没有在履行或到期的收入性合同", name, gap="没有需要跟踪进度的合同"
        )
    tracked = m[m["contract_no"].isin(set(active["contract_no"]))]
    if m.empty or (tracked.empty and due.empty):
        return Finding(
            FAIL,
            f"{name}：节点 0 个；在履行或近期到期的收入性合同 {len(active)} 份",
            name,
            0,
            (),
            f"有 {len(active)} 份在履行或近期到期的合同{eg(examples('contracts', active))}，但没有登记履约节点，无法证明进度跟踪",
        )
    done = due["actual"].notna() & (due["actual"] <= period.t)
    on_time = done & (due["actual"] <= due["planned"])
    open_m = m["actual"].isna() | (m["actual"] > period.t)
    overdue = open_m & m["planned"].notna() & (m["planned"] < period.t)
    key_overdue = overdue & m["key"]
    covered = int(active["contract_no"].isin(set(m["contract_no"])).sum())
    evidence = (
        f"{name}：{words}到期节点 {len(due)} 个，已完成 {int(done.sum())} 个（按时 {int(on_time.sum())} 个）"
        f"{eg(examples('milestones', due, on_time))}；关键节点 {int(m['key'].sum())} 个；"
        f"在履行或近期到期的收入性合同 {len(active)} 份中 {covered} 份登记了节点"
    )
    gap = join_parts(
        [
            f"{int(key_overdue.sum())} 个关键节点逾期未完成{eg(examples('milestones', m, key_overdue))}"
            if key_overdue.any()
            else "",
            f"提示：另有 {int((overdue & ~m['key']).sum())} 个一般节点逾期未完成"
            if (overdue & ~m["key"]).any()
            else "",
            "没有标出关键节点（9.4 b 要求重点监控关键节点）" if not m["key"].any() else "",
        ]
    )
    status = PARTIAL if key_overdue.any() or not m["key"].any() else OK
    return Finding(
        status,
        evidence,
        name,
        len(m),
        examples("milestones", due, on_time) or examples("milestones", m),
        gap,
    )


@rule("suppliers")
def suppliers(records: Records, period: Period, ctx: Ctx) -> Finding:
    """9.5: every supplier's credit check is valid at T (信用核查日期 ≤ T ≤ 信用核查日期 + 设置 months,
    calendar months, end of month clamped) and every 核心供应商 has a 履约保障协议.
    符合: all; 不符合: no valid check at all; else 部分符合. No supplier and no 支出性 contract → 不适用."""
    name = sheet_name("suppliers")
    s = records["suppliers"]
    outgoing = live_contracts(records)
    outgoing = outgoing[outgoing["nature"] == "支出性"]
    if s.empty:
        if outgoing.empty:
            return Finding(NA, f"{name}：0 家", name, gap="没有供应商和支出性合同")
        return Finding(
            FAIL,
            f"{name}：0 家",
            name,
            gap=f"有支出性合同 {len(outgoing)} 份，但「供应商」表为空，未对供应商评估分级",
        )
    checked_on = s["credit_checked_on"]
    months = ctx.credit_months
    valid = checked_on.notna() & (checked_on <= period.t)
    expires = checked_on.where(valid) + pd.DateOffset(months=months)
    valid &= period.t <= expires
    core = s["core"]
    bare = core & ~s["agreement"]
    evidence = (
        f"{name}：{len(s)} 家，信用核查在有效期（{months} 个月）内 {int(valid.sum())} 家{eg(examples('suppliers', s, valid))}；"
        f"核心供应商 {int(core.sum())} 家，已签履约保障协议 {int((core & s['agreement']).sum())} 家"
    )
    stale = s[~valid]
    gap = join_parts(
        [
            f"{len(stale)} 家信用核查缺失或已超过 {months} 个月{eg(examples('suppliers', stale))}"
            if len(stale)
            else "",
            f"{int(bare.sum())} 家核心供应商未签履约保障协议{eg(examples('suppliers', s, bare))}"
            if bare.any()
            else "",
            "提示：未指定核心供应商" if not core.any() else "",
        ]
    )
    if not valid.any():
        status = FAIL
    elif bool(valid.all()) and not bare.any():
        status = OK
    else:
        status = PARTIAL
    return Finding(status, evidence, name, len(s), examples("suppliers", s, valid), gap)


@rule("issues")
def issues(records: Records, period: Period, ctx: Ctx) -> Finding:
    """9.6: problems found recently (or still open at T): share that have a 责任人, a 计划完成日期,
    and are not late (closed after the plan, or open past it). 95 % / 70 % ladder; none → 不适用."""
    name = sheet_name("issues")
    words = recent_words(period)
    i = records["issues"]
    i = i[not_after_as_of(i["found_on"], period)]
    closed = i["closed_on"].notna() & (i["closed_on"] <= period.t)
    i = i[recent(i["found_on"], period) | ~closed]
    if i.empty:
        return Finding(
            NA,
            f"{name}：{words}发现或未关闭的问题 0 个",
            name,
            gap=f"{words}未登记履约问题；如确无问题本条不适用",
        )
    closed = i["closed_on"].notna() & (i["closed_on"] <= period.t)
    planned = i["planned"]
    no_owner = blank(i["owner"])
    no_plan = planned.isna()
    late_closed = closed & planned.notna() & (i["closed_on"] > planned)
    overdue = ~closed & planned.notna() & (planned < period.t)
    good = ~(no_owner | no_plan | late_closed | overdue)
    n_good = int(good.sum())
    on_time = closed & planned.notna() & (i["closed_on"] <= planned)
    evidence = (
        f"{name}：{words}发现或仍未关闭 {len(i)} 个，按期关闭 {int(on_time.sum())} 个，有责任人 {int((~no_owner).sum())} 个"
        f"{eg(examples('issues', i, good))}"
    )
    detail = "、".join(
        f"{w} {int(m.sum())} 个"
        for w, m in (
            ("无责任人", no_owner),
            ("无计划完成日期", no_plan),
            ("逾期未关闭", overdue),
            ("超期关闭", late_closed),
        )
        if m.any()
    )
    gap = (
        f"{len(i) - n_good} 个问题处置不到位（{detail}）{eg(examples('issues', i, ~good))}"
        if n_good < len(i)
        else ""
    )
    return Finding(
        share_status(n_good, len(i)), evidence, name, len(i), examples("issues", i, good), gap
    )


@rule("emergency")
def emergency(records: Records, period: Period, ctx: Ctx) -> Finding:
    """9.7: an emergency plan issued by T, a drill in [T − 12 months, T] (9.7 a, c) and its
    emergency resources checked in the last 12 months (资源核查, 资源类别 应急资源 — 9.7 b).
    All → 符合; a plan missing one → 部分符合; no plan but 应急预案 text on risks → 部分符合;
    nothing → 不符合."""
    e = records["emergency"]
    plans = e[not_after_as_of(e["issued_on"], period)]
    if plans.empty:
        r = records["risks"]
        with_text = r[~blank(r["contingency"])]
        lack = (absent_words("emergency") + "；") if absent(records, "emergency") else ""
        if len(with_text):
            return found(
                PARTIAL,
                "risks",
                f"风险机遇：写有应急预案的风险 {len(with_text)} 项{eg(examples('risks', with_text))}；应急预案：0 份",
                f"{lack}没有成文的应急方案和演练记录，只有风险上的应急预案说明；请在「应急预案」登记方案并演练",
                count=len(with_text),
                ids=examples("risks", with_text),
            )
        return found(
            FAIL, "emergency", "应急预案：0 份", f"{lack}没有应急预案，请在「应急预案」登记"
        )
    drilled = last_year(plans["drilled_on"], period)
    kit = pd.DataFrame()
    if not absent(records, "resources"):
        res = resource_frame(records, period)
        kit = res[res["category"] == "应急资源"]
    before = plans["drilled_on"][plans["drilled_on"] <= period.t]
    latest = (
        f"最近一次演练 {before.max().date().isoformat()}，已超过12个月"
        if before.notna().any()
        else "没有演练记录"
    )
    evidence = [
        f"应急预案：{len(plans)} 份，近12个月演练 {int(drilled.sum())} 份{eg(examples('emergency', plans, drilled))}",
        f"资源核查：近12个月核查应急资源 {len(kit)} 项{eg(examples('resources', kit)) if len(kit) else ''}",
    ]
    gaps = [
        when(
            not drilled.any(),
            f"近12个月未演练（{latest}），请演练后在「应急预案」填写最近演练日期和评价",
        ),
        when(
            kit.empty,
            "没有应急资源的核查记录（9.7 b）：请核查应急物资、备用供方等并在「资源核查」登记"
            "（资源类别：应急资源）",
        ),
    ]
    status = PARTIAL if any(gaps) else OK
    return found(
        status,
        "emergency",
        evidence,
        gaps,
        count=len(plans),
        ids=examples("emergency", plans, drilled) or examples("emergency", plans),
    )


# --- 10 检查与分析 ------------------------------------------------------------------------------


@rule("process_checks")
def process_checks(records: Records, period: Period, ctx: Ctx) -> Finding:
    """10.1: checks recorded in 审核记录 in the last 12 months, and recent deviations (履约问题) with
    a 根本原因. Checks and every deviation analysed → 符合; no check but analysed deviations → 部分."""
    name = sheet_name("audits")
    words = recent_words(period)
    a = records["audits"]
    dated = a[last_year(a["audited_on"], period)]
    checks = dated[~blank(dated["finding"])]  # a check says what it looked at and found
    undescribed = dated[blank(dated["finding"])]
    i = records["issues"]
    dev = i[recent(i["found_on"], period)]
    analysed = ~blank(dev["root_cause"])
    evidence = (
        f"{name}：近12个月有发现描述的检查/审核记录 {len(checks)} 条{eg(examples('audits', checks))}；"
        f"履约问题：{words}记录偏差 {len(dev)} 个，已分析原因 {int(analysed.sum())} 个"
    )
    gap = join_parts(
        [
            (
                "近12个月没有写明发现的检查或审核记录"
                + (
                    f"（{len(undescribed)} 条没有发现描述{eg(examples('audits', undescribed))}）"
                    if len(undescribed)
                    else ""
                )
                + "；请在「审核记录」写明检查了什么、发现了什么"
            )
            if checks.empty
            else "",
            f"{int((~analysed).sum())} 个偏差未记录原因{eg(examples('issues', dev, ~analysed))}"
            if (~analysed).any()
            else "",
        ]
    )
    if checks.empty:
        status = PARTIAL if analysed.any() else FAIL
    else:
        status = OK if bool(analysed.all()) else PARTIAL
    return Finding(status, evidence, name, len(checks) + len(dev), examples("audits", checks), gap)


@rule("objective_results")
def objective_results(records: Records, period: Period, ctx: Ctx) -> Finding:
    """10.2: every measurable objective evaluated (达成情况, from the engine's fresh values when given,
    else the sheet), at least one with data for the period; every 未达成 objective has an
    improvement item (持续改进, raised by T) that names it (目标编号 or 指标) with a 原因分析 and a
    改进措施. 符合: all that; 不符合: unmet objectives of which none is followed up; else 部分符合."""
    o = applicable_objectives(records, period)
    o = o[measurable(o)]
    if o.empty:
        return found(
            FAIL,
            "objectives",
            "履约目标：可评估的目标 0 个",
            "没有可测量的履约目标，无法评估履约结果；请在「履约目标」填写指标、目标值和比较方式",
        )
    if ctx.achievements is not None:
        achieved = o["objective_no"].map(
            lambda k: ctx.achievements.get(k, "") if ctx.achievements else ""
        )
    else:
        achieved = o["achieved"].map(text_of)
    met = achieved == "达成"
    unmet = achieved == "未达成"
    nodata = achieved == "无数据"
    pending = ~(met | unmet | nodata)
    imp = records["improvements"]
    imp = imp[not_after_as_of(imp["raised_on"], period) & imp["raised_on"].notna()]
    followed: list[str] = []
    orphans: list[str] = []
    used = pd.Series(False, index=imp.index)
    for _, row in o[unmet].iterrows():
        hit = names_objective(imp, str(row["objective_no"]), str(row["indicator"]))
        done = hit & ~blank(imp["cause"]) & ~blank(imp["action"])
        used |= done
        (followed if done.any() else orphans).append(str(row["objective_no"]))
    evidence = [
        f"履约目标：目标 {len(o)} 个，达成 {int(met.sum())} 个、未达成 {int(unmet.sum())} 个、"
        f"无数据 {int(nodata.sum())} 个{eg(examples('objectives', o, met))}",
        when(
            unmet.any(),
            f"持续改进：有原因分析和改进措施的未达成目标 {len(followed)}/{int(unmet.sum())} 个"
            f"{eg(examples('improvements', imp, used))}",
        ),
    ]
    judged = bool((met | unmet).any())
    gaps = [
        when(
            pending.any(), f"{int(pending.sum())} 个目标尚未评估达成情况（请运行“刷新指标与预警”）"
        ),
        when(
            not judged and not pending.any(),
            "没有一个目标有本期数据，无法评估是否达成（请检查相关台账是否已录入）",
        ),
        when(
            orphans,
            f"{len(orphans)} 个未达成目标没有原因分析和改进措施（{'、'.join(orphans[:6])}"
            f"{'等' if len(orphans) > 6 else ''}）：请在「持续改进」为每个目标登记一项，"
            "在改进内容中写明目标编号，填写原因分析和改进措施",
        ),
        add_columns_words(records, "improvements", "cause") if orphans else "",
    ]
    if orphans and not followed:
        status = FAIL
    elif pending.any() or not judged or orphans:
        status = PARTIAL
    else:
        status = OK
    return found(
        status, "objectives", evidence, gaps, count=len(o), ids=examples("objectives", o, met)
    )


@rule("risk_review")
def risk_review(records: Records, period: Period, ctx: Ctx) -> Finding:
    """10.3: open risks reviewed (评审日期) in the last 12 months and opportunities identified.
    All open risks reviewed and ≥ 1 机遇 → 符合; none reviewed → 不符合; else 部分符合."""
    name = sheet_name("risks")
    r = risk_frame(records)
    rk = r[r["kind"] == "风险"]
    n_opp = int((r["kind"] == "机遇").sum())
    if rk.empty:
        return Finding(FAIL, f"{name}：风险 0 项", name, gap="没有风险登记，无法定期评审")
    scope_ = rk[rk["is_open"]] if rk["is_open"].any() else rk
    reviewed = last_year(scope_["reviewed_on"], period)
    what = "未关闭风险" if rk["is_open"].any() else "风险（均已关闭）"
    evidence = f"{name}：{what} {len(scope_)} 项，近12个月评审 {int(reviewed.sum())} 项{eg(examples('risks', scope_, reviewed))}；机遇 {n_opp} 项"
    gap = join_parts(
        [
            f"{int((~reviewed).sum())} 项近12个月未评审{eg(examples('risks', scope_, ~reviewed))}"
            if (~reviewed).any()
            else "",
            "没有识别提升履约能力的机遇" if n_opp == 0 else "",
        ]
    )
    if not reviewed.any():
        status = FAIL
    elif bool(reviewed.all()) and n_opp:
        status = OK
    else:
        status = PARTIAL
    return Finding(status, evidence, name, len(scope_), examples("risks", scope_, reviewed), gap)


@rule("capability_evaluation")
def capability_evaluation(records: Records, period: Period, ctx: Ctx) -> Finding:
    """10.4: an overall evaluation in the last 12 months: a 管理评审 or 外审 符合; only 内审 部分符合."""
    name = sheet_name("audits")
    a = records["audits"]
    recent_a = a[last_year(a["audited_on"], period)]
    overall = recent_a[recent_a["audit_type"].isin(["管理评审", "外审"])]
    internal = recent_a[recent_a["audit_type"] == "内审"]
    evidence = f"{name}：近12个月管理评审/外审 {len(overall)} 条、内审 {len(internal)} 条{eg(examples('audits', overall) or examples('audits', internal))}"
    if len(overall):
        return Finding(OK, evidence, name, len(recent_a), examples("audits", overall))
    if len(internal):
        return Finding(
            PARTIAL,
            evidence,
            name,
            len(recent_a),
            examples("audits", internal),
            "只有内审，近12个月没有管理评审或外部评估来综合评估履约能力",
        )
    return Finding(FAIL, evidence, name, 0, (), "近12个月没有管理评审、外审或内审记录")


@rule("breaches")
def breaches(records: Records, period: Period, ctx: Ctx) -> Finding:
    """10.5: every breach (是否违约 是, found by T) has 根本原因, 纠正措施 and 责任追究, and its
    corrective action was verified effective (是否有效 是, with a 验证人 and a 验证日期 by T).
    All 符合; none analysed 不符合; else 部分符合; no breach → 不适用."""
    i = records["issues"]
    b = i[i["breach"] & not_after_as_of(i["found_on"], period)]
    if b.empty:
        return found(NA, "issues", "履约问题：违约事件 0 个", "截至基准日期没有登记违约事件")
    fields = (
        ("根本原因", "root_cause"),
        ("纠正措施", "corrective_action"),
        ("责任追究", "accountability"),
    )
    lacks = {label: blank(b[key]) for label, key in fields}
    analysed = ~(lacks["根本原因"] | lacks["纠正措施"] | lacks["责任追究"])
    verified = (
        b["effective"]
        & ~blank(b["verifier"])
        & b["verified_on"].notna()
        & (b["verified_on"] <= period.t)
    )
    good = analysed & verified
    unverified = analysed & ~verified
    ours = b["breaching_party"] == "本方"
    no_comp = ours & blank(b["compensation"])
    evidence = (
        f"履约问题：违约事件 {len(b)} 个（本方 {int(ours.sum())} 个），三项分析齐全 "
        f"{int(analysed.sum())} 个，纠正措施经验证有效 {int(good.sum())} 个{eg(examples('issues', b, good))}"
    )
    detail = "、".join(f"缺{label} {int(m.sum())} 个" for label, m in lacks.items() if m.any())
    col_gap = add_columns_words(records, "issues", "verifier", "verified_on", "effective")
    gaps = [
        when(
            (~analysed).any(),
            f"{int((~analysed).sum())} 个违约未完成处置（{detail}）{eg(examples('issues', b, ~analysed))}",
        ),
        when(
            unverified.any(),
            f"{int(unverified.sum())} 个违约的纠正措施未验证有效{eg(examples('issues', b, unverified))}："
            "请在「履约问题」填写验证人、验证日期和是否有效",
        ),
        col_gap,
        when(
            no_comp.any(),
            f"提示：{int(no_comp.sum())} 个本方违约未填写补偿措施{eg(examples('issues', b, no_comp))}",
        ),
    ]
    if bool(good.all()):
        status = OK
    elif not analysed.any():
        status = FAIL
    else:
        status = PARTIAL
    return found(status, "issues", evidence, gaps, count=len(b), ids=examples("issues", b, good))


# --- 11 持续改进 / 附录A ------------------------------------------------------------------------


@rule("improvements")
def improvements(records: Records, period: Period, ctx: Ctx) -> Finding:
    """11.1: an improvement raised in the last 12 months 符合; only older ones 部分符合; none 不符合."""
    name = sheet_name("improvements")
    if absent(records, "improvements"):
        return Finding(
            FAIL, f"{name}：无", name, gap=absent_words("improvements") + "，没有改进记录"
        )
    imp = records["improvements"]
    imp = imp[imp["raised_on"].notna() & (imp["raised_on"] <= period.t)]
    fresh = imp[last_year(imp["raised_on"], period)]
    if imp.empty:
        return Finding(FAIL, f"{name}：0 项", name, gap="没有持续改进记录")
    if fresh.empty:
        latest = imp["raised_on"].max().date().isoformat()
        return Finding(
            PARTIAL,
            f"{name}：共 {len(imp)} 项，最近一项 {latest}",
            name,
            len(imp),
            examples("improvements", imp),
            f"近12个月没有新的改进项（最近一项 {latest}）",
        )
    sources = "、".join(dict.fromkeys(s for s in fresh["source"] if s)) or "未注明"
    evidence = f"{name}：近12个月改进 {len(fresh)} 项（来源：{sources}）{eg(examples('improvements', fresh))}"
    return Finding(OK, evidence, name, len(fresh), examples("improvements", fresh))


@rule("improvement_loop")
def improvement_loop(records: Records, period: Period, ctx: Ctx) -> Finding:
    """11.2: improvements raised recently or still open: share that have a 改进措施 and, once due
    (计划完成日期 < T), are completed with a 效果评价. 95 % / 70 % ladder; none → 不符合."""
    name = sheet_name("improvements")
    words = recent_words(period)
    if absent(records, "improvements"):
        return Finding(
            FAIL, f"{name}：无", name, gap=absent_words("improvements") + "，无法证明改进闭环"
        )
    imp = records["improvements"]
    imp = imp[not_after_as_of(imp["raised_on"], period)]
    done = imp["completed_on"].notna() & (imp["completed_on"] <= period.t)
    imp = imp[recent(imp["raised_on"], period) | ~done]
    if imp.empty:
        return Finding(
            FAIL, f"{name}：{words}改进 0 项", name, gap=f"{words}没有改进项，无法证明改进闭环"
        )
    done = imp["completed_on"].notna() & (imp["completed_on"] <= period.t)
    no_action = blank(imp["action"])
    overdue = ~done & imp["planned"].notna() & (imp["planned"] < period.t)
    no_effect = done & blank(imp["effect"])
    good = ~(no_action | overdue | no_effect)
    evidence = f"{name}：{words}提出或未完成 {len(imp)} 项，已完成 {int(done.sum())} 项（有效果评价 {int((done & ~no_effect).sum())} 项）{eg(examples('improvements', imp, good))}"
    detail = "、".join(
        f"{w} {int(m.sum())} 项"
        for w, m in (
            ("无改进措施", no_action),
            ("逾期未完成", overdue),
            ("完成后无效果评价", no_effect),
        )
        if m.any()
    )
    gap = (
        f"{int((~good).sum())} 项改进未闭环（{detail}）{eg(examples('improvements', imp, ~good))}"
        if (~good).any()
        else ""
    )
    return Finding(
        share_status(int(good.sum()), len(imp)),
        evidence,
        name,
        len(imp),
        examples("improvements", imp, good),
        gap,
    )


AUDIT_CHAPTERS = tuple(str(n) for n in range(4, 12))


@rule("internal_audit")
def internal_audit(records: Records, period: Period, ctx: Ctx) -> Finding:
    """附录A: an internal audit (内审) in [T − 12 months, T] whose rows cover the standard's
    chapters 4–11 (条款 column), each with a 发现描述, and every 不符合 finding with a 纠正措施.
    符合: all that; an internal audit short of it, or only an external audit (外审, which A.3 also
    names) → 部分符合; none → 不符合. 管理评审 is judged under 6.1 and 10.4, not here."""
    if absent(records, "audits"):
        return found(FAIL, "audits", "审核记录：无", absent_words("audits") + "，没有审核记录")
    internal = audits_of(records, period, "内审")
    external = audits_of(records, period, "外审")
    a = records["audits"]
    a = a[not_after_as_of(a["audited_on"], period)]
    open_nc = (a["finding_type"] == "不符合") & blank(a["corrective_action"])
    covered: set[str] = set()
    for text in internal["clause"]:
        covered |= audit_chapters(str(text))
    missing = [c for c in AUDIT_CHAPTERS if c not in covered]
    no_clause = internal[blank(internal["clause"])]
    no_finding = internal[blank(internal["finding"])]
    evidence = [
        f"审核记录：近12个月内审记录 {len(internal)} 条{eg(examples('audits', internal))}，"
        f"覆盖第 {'、'.join(c for c in AUDIT_CHAPTERS if c in covered) or '—'} 章",
        f"外审记录 {len(external)} 条{eg(examples('audits', external))}",
    ]
    gaps = [
        when(internal.empty, "近12个月没有内审" + ("（只有外审）" if not external.empty else "")),
        when(
            not internal.empty and missing,
            f"内审记录未覆盖标准第 {'、'.join(missing)} 章：请按条款逐条审核，"
            "在「审核记录」每条发现一行并在“条款”列写明条款号",
        ),
        when(
            len(no_clause),
            f"{len(no_clause)} 条内审记录没有写条款{eg(examples('audits', no_clause))}",
        ),
        when(
            len(no_finding),
            f"{len(no_finding)} 条内审记录没有发现描述{eg(examples('audits', no_finding))}，"
            "请写明查了什么、看到了什么",
        ),
        when(
            open_nc.any(),
            f"{int(open_nc.sum())} 个不符合项没有纠正措施{eg(examples('audits', a, open_nc))}",
        ),
    ]
    if internal.empty:
        status = PARTIAL if not external.empty else FAIL
    else:
        status = PARTIAL if any(gaps) else OK
    both = pd.concat([internal, external])
    return found(status, "audits", evidence, gaps, count=len(both), ids=examples("audits", both))


def briefings(records: Records, period: Period, word: str) -> pd.DataFrame:
    """培训记录 rows held by T, with people attending, whose 培训主题 contains ``word``."""
    t = records["training"]
    return t[
        t["held_on"].notna()
        & (t["held_on"] <= period.t)
        & (t["attendees"].fillna(0) > 0)
        & t["topic"].astype(str).str.contains(word, regex=False)
    ]


def resource_frame(records: Records, period: Period) -> pd.DataFrame:
    """资源核查 rows checked in [T − 12 months, T]."""
    r = records["resources"]
    return r[last_year(r["checked_on"], period)]


@rule("resources")
def resources(records: Records, period: Period, ctx: Ctx) -> Finding:
    """8.1.1, 8.1.5, 9.3: resource checks (资源核查) in [T − 12 months, T].

    ``params.groups``: lists of 资源类别, each of which must be covered by a check (e.g.
    [["人员"], ["设备", "物料"], ["资金"]]); ``params.proof``: every check needs a 结论 and a 证据;
    ``params.met``: a 不满足 conclusion is a gap. 符合: all groups covered and no gap; 不符合: no
    check in the last 12 months; else 部分符合."""
    if absent(records, "resources"):
        return found(
            FAIL,
            "resources",
            "资源核查：无",
            absent_words("resources")
            + "，无法证明资源经过核查；请用程序新建一份空白台账，把其中的「资源核查」表复制过来并登记",
        )
    all_r = records["resources"]
    r = resource_frame(records, period)
    groups = [list(g) for g in ctx.params.get("groups", [])]
    covered = [g for g in groups if r["category"].isin(g).any()]
    uncovered = ["/".join(g) for g in groups if g not in covered]
    lacking = (
        r[blank(r["conclusion"]) | (blank(r["evidence"]) & ~has_file(records, "resources", r))]
        if ctx.params.get("proof")
        else r.iloc[0:0]
    )
    unmet = r[r["conclusion"] == "不满足"] if ctx.params.get("met") else r.iloc[0:0]
    cats = "、".join(dict.fromkeys(c for c in r["category"] if c)) or "无"
    evidence = f"资源核查：近12个月核查 {len(r)} 项（类别：{cats}）{eg(examples('resources', r))}"
    if r.empty:
        older = all_r[all_r["checked_on"].notna() & (all_r["checked_on"] < year_ago(period))]
        gap = "近12个月没有资源核查记录" + (
            f"（最近一次 {older['checked_on'].max().date().isoformat()}）" if len(older) else ""
        )
        want = "、".join("/".join(g) for g in groups) or "人员、设备、物料、资金等"
        return found(
            FAIL, "resources", evidence, f"{gap}；请核查{want}资源并在「资源核查」登记结论和证据"
        )
    gaps = [
        when(uncovered, f"未核查的资源类别：{'、'.join(uncovered)}，请在「资源核查」登记"),
        when(
            len(lacking),
            f"{len(lacking)} 项核查缺结论或证据{eg(examples('resources', lacking))}，请补填",
        ),
        when(
            len(unmet),
            f"{len(unmet)} 项资源核查结论为不满足{eg(examples('resources', unmet))}，"
            "请调配资源后重新核查",
        ),
    ]
    status = PARTIAL if any(gaps) else OK
    return found(status, "resources", evidence, gaps, count=len(r), ids=examples("resources", r))


def names_objective(imp: pd.DataFrame, objective_no: str, indicator: str) -> pd.Series:
    """Improvement rows whose 改进内容/原因分析/改进措施 name the objective (its 目标编号, or
    its 指标 name)."""
    text = (
        imp["content"].astype(str)
        + " "
        + imp["cause"].astype(str)
        + " "
        + imp["action"].astype(str)
    )
    hit = pd.Series(False, index=imp.index)
    for word in (objective_no, indicator):
        if word:
            hit |= text.str.contains(word, regex=False)
    return hit


def audit_chapters(text: str) -> set[str]:
    """Chapters (4–11, 附录A) an 审核记录's 条款 cell names: "9.2" → 9, "第6章" → 6, "附录A"."""
    chapters: set[str] = set()
    if "附录" in text:
        chapters.add("附录A")
    for token in re.findall(r"\d+", re.sub(r"(\d+)(?:\.\d+)+", r"\1", text)):
        if 4 <= int(token) <= 11:
            chapters.add(token)
    return chapters
