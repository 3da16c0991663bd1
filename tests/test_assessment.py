"""体系自评: the clause catalogue and every rule, on real workbooks made by the product.

Each test builds a workbook with ``new_workbook``, fills rows by header label with openpyxl (header
row 2, data from row 3), reads it with ``read_records`` and runs ``assess``.

T = 2025-06-30 and the period is 2025-01-01..2025-12-31 unless a test says otherwise, so
"近12个月" = [2024-06-30, 2025-06-30].
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest

import lyue_xl.assessment as assessment_pkg
from lyue_xl import schema
from lyue_xl.assessment import (
    Assessment,
    ClauseResult,
    assess,
    chapter_titles,
    load_catalogue,
    readiness_of,
)
from lyue_xl.assessment.rules import RULES
from lyue_xl.period import Period
from lyue_xl.workbook.reader import read_records
from lyue_xl.workbook.template import new_workbook

T = date(2025, 6, 30)
PERIOD = Period(date(2025, 1, 1), date(2025, 12, 31), T)
# the shared files sit next to the repository (../shared); a missing standard is a failure, not a skip
STANDARD = Path(__file__).resolve().parents[2] / "shared" / "standard" / "Q-QJC-002-2025.txt"

# --- building workbooks -------------------------------------------------------------------------

Rows = list[dict[str, Any]]


def make_book(
    tmp_path: Path,
    sheets: dict[str, Rows] | None = None,
    info: dict[str, Any] | None = None,
    settings: dict[str, Any] | None = None,
    drop: tuple[str, ...] = (),
) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = new_workbook(tmp_path / "台账.xlsx", "测试公司")
    book = openpyxl.load_workbook(path)
    for name, rows in (sheets or {}).items():
        ws = book[name]
        columns = {
            ws.cell(2, c).value: c for c in range(1, ws.max_column + 1) if ws.cell(2, c).value
        }
        for offset, row in enumerate(rows):
            for label, value in row.items():
                ws.cell(3 + offset, columns[label], value)  # KeyError on a mistyped label
    for name, items in (("基本信息", info), ("设置", settings)):
        if not items:
            continue
        ws = book[name]
        rows_by_label = {ws.cell(r, 1).value: r for r in range(3, ws.max_row + 1)}
        for label, value in items.items():
            ws.cell(rows_by_label[label], 2, value)
    for name in drop:
        del book[name]
    book.save(path)
    return path


def run(
    tmp_path: Path, period: Period = PERIOD, achievements: dict[str, str] | None = None, **kw: Any
) -> Assessment:
    return assess(read_records(make_book(tmp_path, **kw)), period, achievements=achievements)


def clause(result: Assessment, number: str) -> ClauseResult:
    (found,) = [r for r in result.results if r.number == number]
    return found


def one(tmp_path: Path, number: str, **kw: Any) -> ClauseResult:
    return clause(run(tmp_path, **kw), number)


# --- the catalogue ------------------------------------------------------------------------------

# The standard's table of contents, chapters 4–11 (facts: numbers and titles), plus the sub-clauses
# of 8.1.3 that appear only in the text. The TOC lacks 8.2.2 (standard/README.md).
TOC: dict[str, str] = {
    "4.1": "履约能力管理",
    "4.2": "体系运行方法",
    "4.2.1": "总则",
    "4.2.2": "PDCA 循环",
    "5.1": "履约环境分析",
    "5.1.1": "内部环境",
    "5.1.2": "外部环境",
    "5.2": "相关方需求和期望",
    "5.3": "履约愿景和目标",
    "5.4": "体系范围",
    "5.5": "体系所需过程",
    "5.5.1": "组织应确定履约能力管理体系所需的过程及其在组织中的应用，且应:",
    "5.5.2": "组织应在必要范围内保持成文信息，以支持过程运行，并确保过程按策划进行。",
    "6.1": "总则",
    "6.2": "确认履约能力方针",
    "6.3": "确认履约目标及相关制度",
    "6.3.1": "履约目标要求",
    "6.3.2": "相关履约管理制度",
    "6.3.3": "相关制度",
    "6.4": "确认履约管理部门/岗位职责和权限",
    "6.4.1": "部门组建/岗位设置",
    "6.4.2": "部门/岗位职责和权限",
    "7.1": "确立履约目标及相关制度要求",
    "7.2": "组织承诺及其要求",
    "7.2.1": "规定性承诺",
    "7.2.2": "约定性承诺",
    "7.2.3": "自愿性承诺",
    "7.3": "应对风险和机遇要求",
    "7.4": "应对变更要求",
    "8.1": "资源",
    "8.1.1": "基本要求",
    "8.1.2": "人员及能力",
    "8.1.3": "信息基础设施",
    "8.1.4": "过程运行环境",
    "8.1.5": "资源核查和评估",
    "8.1.6": "组织知识",
    "8.2": "信息交流与控制",
    "8.2.1": "基本要求",
    "8.2.3": "外部信息",
    "8.3": "成文信息",
    "8.3.1": "基本要求",
    "8.3.2": "创建和更新",
    "8.3.3": "版本管理",
    "9.1": "总体要求",
    "9.2": "合同评审",
    "9.3": "资源调配",
    "9.4": "进度监控",
    "9.5": "供应商履约管理",
    "9.6": "履约问题处置",
    "9.7": "应急准备和响应",
    "10.1": "履约过程检查",
    "10.2": "履约结果评估",
    "10.3": "风险与机遇分析",
    "10.4": "履约能力评估",
    "10.5": "违约处置与改进",
    "11.1": "总体要求",
    "11.2": "改进机制",
}
TEXT_ONLY = {"8.1.3.2": "信息化系统", "8.1.3.3": "风险管控工具应用"}

# The clauses an auditor checks one by one (the brief's list).
AUDITOR_LEVEL = [
    "4.1",
    "4.2",
    "5.1",
    "5.2",
    "5.3",
    "5.4",
    "5.5",
    "6.1",
    "6.2",
    "6.3.1",
    "6.3.2",
    "6.3.3",
    "6.4",
    "7.1",
    "7.3",
    "7.4",
    "8.1.1",
    "8.1.2",
    "8.1.3",
    "8.1.3.2",
    "8.1.3.3",
    "8.1.4",
    "8.1.5",
    "8.1.6",
    "8.2.1",
    "8.2.2",
    "8.2.3",
    "8.3",
    "9.1",
    "9.2",
    "9.3",
    "9.4",
    "9.5",
    "9.6",
    "9.7",
    "10.1",
    "10.2",
    "10.3",
    "10.4",
    "10.5",
    "11.1",
    "11.2",
    "附录A",
]


def uncovered(numbers: set[str]) -> list[str]:
    """TOC entries with no catalogue clause at, above or below them (4.2.1 is covered by 4.2,
    7.2 by 7.2.1–7.2.3)."""

    def related(a: str, b: str) -> bool:
        return a == b or a.startswith(b + ".") or b.startswith(a + ".")

    return [n for n in TOC if not any(related(n, c) for c in numbers)]


def test_catalogue_covers_the_standards_table_of_contents() -> None:
    numbers = {c.number for c in load_catalogue()}
    assert uncovered(numbers) == []
    assert [n for n in AUDITOR_LEVEL if n not in numbers] == []
    assert {"7.2.1", "7.2.2", "7.2.3"} <= numbers or "7.2" in numbers
    # the check itself notices a missing clause
    assert uncovered(numbers - {"9.6"}) == ["9.6"]
    assert uncovered(numbers - {"7.2.1", "7.2.2", "7.2.3"}) == ["7.2", "7.2.1", "7.2.2", "7.2.3"]


def test_catalogue_titles_are_the_standards() -> None:
    titles = {**TOC, **TEXT_ONLY}
    for c in load_catalogue():
        if c.number == "附录A":
            assert c.title == "组织履约能力管理体系审核"
        elif c.number == "8.2.2":  # missing from the standard; README: internal information
            assert c.title == "内部信息"
        else:
            assert c.title == titles[c.number], c.number


def test_toc_above_is_the_one_in_the_standard() -> None:
    assert STANDARD.is_file(), f"标准文本不在 {STANDARD}：测试从仓库旁的 ../shared 读取它"
    text = STANDARD.read_text("utf-8")
    toc_part = text.split("## 目录")[1].split("# 履约能力管理体系要求")[0]
    parsed: dict[str, str] = {}
    for line in toc_part.splitlines():
        m = re.match(r"^(\d+(?:\.\d+)+)\s+(.+?)\s*(?:\.{3,}.*|\t\d+)?$", line.strip())
        if m and 4 <= int(m.group(1).split(".")[0]) <= 11:
            parsed[m.group(1)] = m.group(2).strip()
    assert parsed == TOC
    body = text.split("# 履约能力管理体系要求")[1]
    for number, title in TEXT_ONLY.items():
        assert f"{number} {title}" in body


def test_catalogue_rules_and_sheets_exist() -> None:
    catalogue = load_catalogue()
    assert all(c.rule in RULES for c in catalogue)
    assert {c.rule for c in catalogue} == set(RULES)  # no rule left unused
    for c in catalogue:
        assert c.evidence and all(s in schema.BY_NAME for s in c.evidence), c.number
        assert c.requirement and c.suggestion
    numbers = [c.number for c in catalogue]
    assert len(numbers) == len(set(numbers))
    chapters = [c.chapter for c in catalogue]
    assert chapters == sorted(chapters, key=lambda ch: 99 if ch == "附录A" else int(ch))
    assert set(chapter_titles()) == set(chapters)


def _write_toml(path: Path, rule: str, evidence: str = "合同台账") -> Path:
    path.write_text(
        f"""
[[clause]]
number = "9.2"
title = "合同评审"
requirement = "签订前评审"
evidence = ["{evidence}"]
rule = "{rule}"
suggestion = "先评审再签订"
""",
        "utf-8",
    )
    return path


def test_catalogue_naming_an_unknown_rule_fails(tmp_path: Path) -> None:
    assert load_catalogue(_write_toml(tmp_path / "ok.toml", "contract_review"))[0].rule == (
        "contract_review"
    )
    with pytest.raises(ValueError, match="no_such_rule"):
        load_catalogue(_write_toml(tmp_path / "bad.toml", "no_such_rule"))
    with pytest.raises(ValueError, match="未知工作表"):
        load_catalogue(_write_toml(tmp_path / "sheet.toml", "contract_review", "合同表"))


def test_catalogue_ships_inside_the_package() -> None:
    shipped = Path(assessment_pkg.__file__).parent / "clauses.toml"
    assert shipped.is_file()
    assert len(load_catalogue(shipped)) == len(load_catalogue())


# --- readiness and the result shape ---------------------------------------------------------------


def test_readiness_arithmetic() -> None:
    assert readiness_of(["符合", "部分符合", "不符合", "不适用"]) == pytest.approx(0.5)
    assert readiness_of(["符合", "符合", "部分符合"]) == pytest.approx(2.5 / 3)
    assert readiness_of(["不适用", "不适用"]) == 0.0
    assert readiness_of([]) == 0.0
    # 需人工确认 is counted apart, never scored: 2 of the 3 judged clauses
    assert readiness_of(["符合", "需人工确认", "符合", "不符合", "需人工确认"]) == pytest.approx(
        2 / 3
    )
    assert readiness_of(["需人工确认"]) == 0.0


@pytest.mark.parametrize(
    ("value", "shown"), [(0.025, "3%"), (0.075, "8%"), (0.875, "88%"), (1.0, "100%"), (0.0, "0%")]
)
def test_readiness_is_shown_rounded_half_up(value: float, shown: str) -> None:
    result = Assessment([], value, {})
    assert result.percent_text == shown
    assert result.readiness_text == f"{shown}（记录可证实）"
    manual = Assessment([], value, {"需人工确认": 12})
    assert manual.readiness_text == f"{shown}（记录可证实；另有 12 条需审核时人工确认）"


def test_assessment_counts_readiness_and_json(tmp_path: Path) -> None:
    result = run(tmp_path)
    statuses = [r.status for r in result.results]
    assert sum(result.counts.values()) == len(result.results) == len(load_catalogue())
    assert list(result.counts) == ["符合", "部分符合", "不符合", "不适用", "需人工确认"]
    assert result.counts["不符合"] == statuses.count("不符合")
    scored = [
        {"符合": 1, "部分符合": 0.5, "不符合": 0}[s]
        for s in statuses
        if s not in ("不适用", "需人工确认")
    ]
    assert result.readiness == pytest.approx(sum(scored) / len(scored))
    data = json.loads(json.dumps(result.as_json(), ensure_ascii=False))
    assert data["counts"] == result.counts
    assert data["manual"] == result.counts["需人工确认"]
    first = data["results"][0]
    assert set(first) == {
        "number", "title", "requirement", "status", "evidence", "sheet", "count", "examples",
        "gap", "suggestion",
    }  # fmt: skip
    assert isinstance(first["examples"], list)
    # an empty workbook: suggestions on every gap, none on 符合
    for r in result.results:
        assert (r.suggestion == "") == (r.status == "符合"), r.number


# --- 9.2 contract review --------------------------------------------------------------------------


def contracts(n_good: int, n_bad: int, **extra: Any) -> Rows:
    rows: Rows = []
    for i in range(n_good + n_bad):
        good = i < n_good
        rows.append(
            {
                "合同编号": f"HT-{i + 1:03d}",
                "合同名称": "设备供货",
                "合同性质": "收入性",
                "签订日期": date(2025, 3, 10),
                "评审日期": date(2025, 3, 10) if good else None,  # on the signing day counts
                "评审结论": "通过" if good else "",
                "计划交付日期": date(2025, 9, 30),
                **extra,
            }
        )
    return rows


@pytest.mark.parametrize(
    ("n_good", "n_bad", "status"),
    # every contract must be reviewed (standard 9.2): one missing is already 部分符合
    [(20, 0, "符合"), (19, 1, "部分符合"), (14, 6, "部分符合"), (13, 7, "不符合")],
)
def test_contract_review_thresholds(tmp_path: Path, n_good: int, n_bad: int, status: str) -> None:
    r = one(tmp_path, "9.2", sheets={"合同台账": contracts(n_good, n_bad)})
    assert r.status == status
    assert r.count == 20
    assert r.sheet == "合同台账"
    assert r.evidence.startswith(
        f"合同台账：近12个月签订或仍在履行 20 份，评审在签订前 {n_good} 份"
    )
    assert r.examples == ("HT-001", "HT-002", "HT-003")
    if n_bad:
        assert f"{n_bad} 份未在签订前通过评审（未评审 {n_bad} 份）" in r.gap
        assert f"HT-{n_good + 1:03d}" in r.gap


def test_contract_review_late_rejected_cancelled_and_future(tmp_path: Path) -> None:
    rows = contracts(2, 0)
    rows += [
        {**rows[0], "合同编号": "LATE", "评审日期": date(2025, 3, 11)},  # a day after signing
        {**rows[0], "合同编号": "NO", "评审结论": "不通过"},
        {**rows[0], "合同编号": "CANCEL", "评审日期": None, "履行状态": "协商解除"},  # left out
        {**rows[0], "合同编号": "FUTURE", "签订日期": date(2025, 7, 1), "评审日期": None},
        {
            **rows[0],
            "合同编号": "OLD",
            "签订日期": date(2024, 6, 29),
            "评审日期": None,
            "履行状态": "已履行",
        },
        {
            **rows[0],
            "合同编号": "EDGE",
            "签订日期": date(2024, 6, 30),
            "评审日期": date(2024, 6, 1),
        },  # exactly 12 months
    ]
    r = one(tmp_path, "9.2", sheets={"合同台账": rows})
    assert r.count == 5  # HT-001, HT-002, LATE, NO, EDGE
    assert r.evidence.startswith("合同台账：近12个月签订或仍在履行 5 份，评审在签订前 3 份")
    assert "评审晚于签订 1 份" in r.gap and "评审不通过仍签订 1 份" in r.gap
    assert r.status == "不符合"  # 3/5 = 60 %


def test_contract_review_none_signed_is_not_applicable(tmp_path: Path) -> None:
    rows = contracts(0, 1, **{"签订日期": date(2023, 1, 5), "履行状态": "已履行"})
    r = one(tmp_path, "9.2", sheets={"合同台账": rows})
    assert (r.status, r.count) == ("不适用", 0)


def test_contract_review_of_an_empty_ledger_fails(tmp_path: Path) -> None:
    r = one(tmp_path, "9.2", sheets={"合同台账": []})
    assert (r.status, r.count) == ("不符合", 0)
    assert "没有登记任何合同" in r.gap


def test_contract_review_counts_an_old_contract_still_running(tmp_path: Path) -> None:
    """Signed two years ago, never reviewed, still 履行中: CONTRACT_NOT_REVIEWED flags it, so
    9.2 judges it too (a blank 履行状态 reads 履行中)."""
    rows = contracts(0, 1, **{"签订日期": date(2023, 1, 5)})
    r = one(tmp_path, "9.2", sheets={"合同台账": rows})
    assert (r.status, r.count) == ("不符合", 1)
    assert "HT-001" in r.gap


def test_contract_review_counts_an_old_period_too(tmp_path: Path) -> None:
    """A period far before T: contracts signed in the period are judged as well."""
    old_period = Period(date(2023, 1, 1), date(2023, 12, 31), T)
    rows = contracts(0, 1, **{"签订日期": date(2023, 5, 5)}) + contracts(1, 0)
    r = one(tmp_path, "9.2", period=old_period, sheets={"合同台账": rows})
    assert r.count == 2
    assert r.evidence.startswith(
        "合同台账：近12个月及统计期间（2023-01-01 至 2023-12-31）签订或仍在履行 2 份"
    )


# --- 6.3.2 the six 制度 / 6.3.3 / 8.3 / document rule -------------------------------------------

SIX = ["履约管理岗位责任制度", "履约档案管理制度", "合作方履约情况调查管理制度", "合同履约管理制度", "履约过程风险管控制度", "履约责任追究制度"]  # fmt: skip


def docs(names: list[str], category: str = "制度", **extra: Any) -> Rows:
    return [
        {
            "文件编号": f"ZD-{i + 1:02d}",
            "文件名称": name,
            "文件类别": category,
            "版本": "A/0",
            "发布日期": date(2025, 1, 2),
            "批准人": "王总",
            "下次评审日期": date(2026, 1, 2),
            "状态": "现行",
            **extra,
        }
        for i, name in enumerate(names)
    ]


def test_required_policies_all_some_none(tmp_path: Path) -> None:
    r = one(tmp_path / "a", "6.3.2", sheets={"成文信息": docs(SIX)})
    assert r.status == "符合"
    assert r.examples == ("ZD-01", "ZD-02", "ZD-03")
    assert "6/6" in r.evidence

    rows = docs(SIX[:3]) + docs(SIX[3:4], 状态="作废") + docs(SIX[4:5], 文件类别="程序")
    rows += docs(SIX[5:], 发布日期=date(2025, 7, 1))  # issued after T: not yet
    for i, row in enumerate(rows):
        row["文件编号"] = f"D{i}"
    r = one(tmp_path / "b", "6.3.2", sheets={"成文信息": rows})
    assert r.status == "部分符合"
    assert (
        "缺少 3 项制度：合同（或招投标）履约管理制度、履约过程风险管控制度、内外部履约责任追究制度"
        in r.gap
    )

    r = one(tmp_path / "c", "6.3.2", sheets={"成文信息": docs(["质量手册"], "手册")})
    assert r.status == "不符合"
    assert "缺少 6 项制度" in r.gap


def test_policies_issued_by_top_manager(tmp_path: Path) -> None:
    rows = docs(SIX[:2]) + docs(["履约档案管理制度"], 批准人="")
    rows[2]["文件编号"] = "ZD-X"
    r = one(tmp_path, "6.3.3", sheets={"成文信息": rows}, info={"最高管理者": "王总"})
    assert r.status == "部分符合"
    assert "1 份制度缺发布日期或批准人（如 ZD-X）" in r.gap
    r = one(tmp_path / "b", "6.3.3", sheets={"成文信息": docs(SIX)}, info={"最高管理者": "李四"})
    assert r.status == "不符合"
    assert "6 份制度的批准人不是最高管理者（李四）" in r.gap


def test_document_control_versions_and_review_dates(tmp_path: Path) -> None:
    r = one(tmp_path / "a", "8.3", sheets={"成文信息": docs(SIX)})
    assert r.status == "符合" and r.gap == ""
    rows = docs(SIX)
    rows[1]["下次评审日期"] = date(2025, 6, 29)  # overdue at T
    rows[2]["下次评审日期"] = T  # due today: not overdue
    r = one(tmp_path / "b", "8.3", sheets={"成文信息": rows})
    assert r.status == "部分符合"
    assert r.gap == "1 份已过下次评审日期（如 ZD-02）"
    r = one(tmp_path / "c", "8.3", sheets={"成文信息": docs(SIX, 版本="")})
    assert r.status == "不符合"
    assert one(tmp_path / "d", "8.3").status == "不符合"


def test_document_rule_manual_or_manual_check(tmp_path: Path) -> None:
    """A registered 手册 or 程序 never makes a clause 符合: 需人工确认, naming the documents and
    what the firm should have ready; nothing related written down is 不符合."""
    manual = docs(["履约管理手册"], "手册", 文件编号="SC-01", 版本="B/1")
    r = one(tmp_path / "a", "4.1", sheets={"成文信息": manual + docs(SIX)[1:]})
    assert r.status == "需人工确认"
    assert r.evidence == "成文信息：相关现行文件 1 份（《履约管理手册》SC-01 B/1）"
    assert r.gap == (
        "需人工确认：本条只能由文件和面谈证明，台账记录无法证实其已执行。审核前请准备："
        "手册中是否写明八项原则在本单位的落实方式，特别是由谁（哪个岗位或部门）专职负责履约管理。"
    )
    assert r.examples == ("SC-01",)
    assert r.suggestion

    r = one(tmp_path / "b", "5.5", sheets={"成文信息": docs(["合同评审程序"], "程序")})
    assert (r.status, r.examples) == ("需人工确认", ("ZD-01",))
    assert r.evidence == "成文信息：相关现行文件 1 份（《合同评审程序》ZD-01 A/0）"

    r = one(tmp_path / "u", "5.5", sheets={"成文信息": docs(["食堂菜单"], "记录")})
    assert r.status == "不符合"  # something current, but nothing about this clause
    assert r.evidence == "成文信息：现行文件 1 份，与本条相关 0 份"
    assert r.gap.startswith("成文信息中没有现行的履约管理手册，也没有与本条相关的现行文件。")

    r = one(tmp_path / "c", "4.1", sheets={"成文信息": docs(["旧手册"], "手册", 状态="作废")})
    assert r.status == "不符合"  # nothing current is written down
    assert r.gap.startswith("成文信息中没有任何现行文件")


def test_external_documents(tmp_path: Path) -> None:
    assert one(tmp_path / "a", "8.2.3", sheets={"成文信息": docs(SIX)}).status == "不符合"
    r = one(tmp_path / "b", "8.2.3", sheets={"成文信息": docs(["民法典合同编"], "外来文件")})
    assert (r.status, r.examples) == ("符合", ("ZD-01",))


# --- 8.1.2 training / 9.7 emergency / 附录A audits: the 12-month window ----------------------------


def test_training_window_boundaries(tmp_path: Path) -> None:
    """8.1.2: a 履约/合同 training in the last 12 months with attendees and a 考核结果, and every
    post's 能力要求 and 资格证明 (8.1.2 b)."""
    roles = [
        {
            "部门或岗位": "履约管理岗",
            "履约职责": "台账",
            "能力要求": "熟悉合同法",
            "资格证明": "内审员证",
        },
        {
            "部门或岗位": "销售部",
            "履约职责": "合同评审",
            "能力要求": "懂评审",
            "资格证明": "考核合格",
        },
    ]

    def training(day: date, **extra: Any) -> dict[str, Rows]:
        row = {"培训编号": "PX-1", "培训日期": day, "培训主题": "合同评审", "参加人数": 12}
        return {"培训记录": [{**row, "考核结果": "合格", **extra}], "职责权限": roles}

    r = one(tmp_path / "a", "8.1.2", sheets=training(date(2024, 6, 30)))  # exactly 12 months
    assert (r.status, r.gap, r.examples) == ("符合", "", ("PX-1",))
    assert r.evidence == (
        "培训记录：近12个月培训 1 次，其中涉及履约或合同、有人参加且经考核 1 次（如 PX-1），"
        "参加 12 人次；职责权限：岗位 2 个，写明能力要求 2 个"
    )
    for name, day, status in (
        ("b", date(2024, 6, 29), "部分符合"),  # a day too old: roles alone
        ("c", date(2025, 7, 1), "部分符合"),  # after T: has not happened
    ):
        assert one(tmp_path / name, "8.1.2", sheets=training(day)).status == status
    r = one(tmp_path / "f", "8.1.2", sheets=training(date(2025, 3, 1), 考核结果="未考核"))
    assert r.status == "部分符合"
    assert r.gap.startswith(
        "近12个月没有涉及履约或合同、有人参加并经考核的培训（不计入的：PX-1（没有考核结果））"
    )
    bare_roles = [{"部门或岗位": "销售部", "履约职责": "合同评审", "能力要求": "懂评审"}]
    r = one(
        tmp_path / "g",
        "8.1.2",
        sheets={**training(date(2025, 3, 1)), "职责权限": bare_roles},
    )
    assert (r.status, r.gap) == (
        "部分符合",
        "1 个岗位没有资格证明（如 销售部），请在「职责权限」填写",
    )
    assert one(tmp_path / "d", "8.1.2").status == "不符合"  # empty sheets
    r = one(tmp_path / "e", "8.1.2", drop=("培训记录",))
    assert (r.status, r.gap) == ("不符合", "工作簿中没有「培训记录」表，没有培训记录")


def audit(no: str, kind: str, day: date, **extra: Any) -> dict[str, Any]:
    return {"记录编号": no, "审核类型": kind, "审核日期": day, **extra}


def test_annex_a_asks_for_an_audit_within_12_months(tmp_path: Path) -> None:
    """Annex A: an internal audit within 12 months (exactly 12 months counts) that covers
    chapters 4–11 with findings; A.3 also names external audits, which alone count half;
    管理评审 belongs to 6.1 and 10.4, not here."""
    full = [
        audit(
            f"NS-{n}", "内审", date(2024, 6, 30), 条款=c, 发现类型="符合", 发现描述="抽查记录完整"
        )
        for n, c in enumerate(("4.1 5.1", "6.2", "7.3", "8.3", "9.2", "10.2", "11.1"))
    ]
    review = audit("PS-1", "管理评审", date(2025, 5, 6))
    r = one(tmp_path / "a", "附录A", sheets={"审核记录": [*full, review]})
    assert (r.status, r.examples, r.count, r.gap) == ("符合", ("NS-0", "NS-1", "NS-2"), 7, "")
    assert "覆盖第 4、5、6、7、8、9、10、11 章" in r.evidence
    r = one(tmp_path / "b", "附录A", sheets={"审核记录": full[1:]})  # no chapter 4 or 5
    assert (r.status, r.gap) == (
        "部分符合",
        "内审记录未覆盖标准第 4、5 章：请按条款逐条审核，在「审核记录」每条发现一行并在“条款”列写明条款号",
    )
    outside = [audit("WS-1", "外审", date(2025, 4, 1))]
    r = one(tmp_path / "e", "附录A", sheets={"审核记录": outside})
    assert (r.status, r.gap) == ("部分符合", "近12个月没有内审（只有外审）")
    stale = [audit("NS-0", "内审", date(2024, 6, 29)), audit("NS-9", "内审", date(2025, 7, 1))]
    assert one(tmp_path / "c", "附录A", sheets={"审核记录": stale}).status == "不符合"
    nc = audit("NS-8", "内审", date(2025, 3, 1), 条款="9.5", 发现类型="不符合", 发现描述="未签协议")
    r = one(tmp_path / "d", "附录A", sheets={"审核记录": [*full, nc]})
    assert r.status == "部分符合"
    assert r.gap == "1 个不符合项没有纠正措施（如 NS-8）"


def test_leadership_and_capability_evaluation(tmp_path: Path) -> None:
    info = {"最高管理者": "王总", "履约能力方针": "守约重信"}
    rows = [audit("PS-1", "管理评审", date(2025, 5, 6))]
    result = run(tmp_path, sheets={"审核记录": rows}, info=info)
    assert clause(result, "6.1").status == "符合"
    assert clause(result, "10.4").status == "符合"
    result = run(tmp_path / "b", sheets={"审核记录": [audit("NS", "内审", date(2025, 5, 6))]})
    assert clause(result, "6.1").status == "不符合"
    assert clause(result, "10.4").status == "部分符合"


# --- 7.3 / 10.3 risks -----------------------------------------------------------------------------


def risk(no: str, p: int, i: int, measure: str = "措施", **extra: Any) -> dict[str, Any]:
    return {
        "编号": no,
        "类型": "风险",
        "可能性": p,
        "影响程度": i,
        "应对措施": measure,
        "应急预案": "预案",
        "状态": "处置中",
        "评审日期": date(2025, 1, 10),
        **extra,
    }


OPPORTUNITY = {
    "编号": "O1",
    "类型": "机遇",
    "可能性": 3,
    "影响程度": 3,
    "评审日期": date(2025, 2, 1),
}


def test_risks_high_open_without_measure_fails(tmp_path: Path) -> None:
    rows = [risk("R1", 3, 5, ""), risk("R2", 2, 2), OPPORTUNITY]  # 3 × 5 = 15 is high
    r = one(tmp_path / "a", "7.3", sheets={"风险机遇": rows})
    assert r.status == "不符合"
    assert r.gap == "1 项高风险未关闭且没有应对措施（如 R1）"
    assert r.examples == ("R2",)
    rows = [risk("R1", 3, 5, "", 状态="已关闭"), risk("R2", 3, 4, ""), OPPORTUNITY]  # 12: 中
    r = one(tmp_path / "b", "7.3", sheets={"风险机遇": rows})
    assert (r.status, r.gap) == ("部分符合", "1 项未关闭风险没有应对措施（如 R2）")
    r = one(tmp_path / "c", "7.3", sheets={"风险机遇": [risk("R1", 5, 5), OPPORTUNITY]})
    assert (r.status, r.gap) == ("符合", "")
    r = one(tmp_path / "d", "7.3", sheets={"风险机遇": [risk("R1", 5, 5, 应急预案="")]})
    assert r.status == "部分符合"
    assert r.gap == "1 项未关闭高风险没有应急预案（如 R1）；没有登记机遇"
    assert one(tmp_path / "e", "7.3", sheets={"风险机遇": [OPPORTUNITY]}).status == "不符合"


def test_risk_review_dates(tmp_path: Path) -> None:
    rows = [risk("R1", 2, 2), risk("R2", 2, 2, 评审日期=date(2024, 6, 1)), OPPORTUNITY]
    r = one(tmp_path, "10.3", sheets={"风险机遇": rows})
    assert (r.status, r.gap) == ("部分符合", "1 项近12个月未评审（如 R2）")


# --- 10.5 breaches / 9.6 issues -------------------------------------------------------------------


def issue(no: str, **extra: Any) -> dict[str, Any]:
    return {
        "问题编号": no,
        "发现日期": date(2025, 3, 1),
        "问题类型": "延迟交付",
        "是否违约": "是",
        "违约方": "本方",
        "根本原因": "排产不足",
        "纠正措施": "增加班次",
        "责任追究": "通报批评",
        "补偿措施": "减免货款",
        "责任人": "张三",
        "计划完成日期": date(2025, 4, 1),
        "关闭日期": date(2025, 3, 25),
        "状态": "已关闭",
        **extra,
    }


def test_issue_handling_ladder(tmp_path: Path) -> None:
    rows = [issue(f"WT-{i}") for i in range(1, 20)]
    rows.append(issue("LATE", 关闭日期=None, 状态="处理中", 计划完成日期=date(2025, 6, 29)))
    r = one(tmp_path / "a", "9.6", sheets={"履约问题": rows})
    assert r.status == "符合"  # 19/20 = 95 %
    assert r.gap == "1 个问题处置不到位（逾期未关闭 1 个）（如 LATE）"
    rows = [
        issue("A"),
        issue("B", 责任人=""),
        issue("C", 计划完成日期=None),
        issue("D", 关闭日期=date(2025, 4, 2)),
    ]
    rows.append(issue("DUE", 关闭日期=None, 计划完成日期=T))  # due today: not late yet
    r = one(tmp_path / "b", "9.6", sheets={"履约问题": rows})
    assert r.status == "不符合"  # 2/5
    assert "无责任人 1 个、无计划完成日期 1 个、超期关闭 1 个" in r.gap
    old_closed = [issue("OLD", 发现日期=date(2024, 1, 1), 关闭日期=date(2024, 2, 1))]
    assert one(tmp_path / "c", "9.6", sheets={"履约问题": old_closed}).status == "不适用"


# --- 9.5 suppliers / 8.1.3.3 ---------------------------------------------------------------------


def supplier(
    no: str, checked: date | None, core: str = "否", agreement: str = "否"
) -> dict[str, Any]:
    return {
        "供应商编号": no,
        "供应商名称": f"{no} 公司",
        "信用核查日期": checked,
        "信用核查结论": "良好",
        "核心供应商": core,
        "履约保障协议": agreement,
    }


def test_supplier_credit_validity_and_core_agreements(tmp_path: Path) -> None:
    rows = [supplier("GY-1", date(2024, 6, 30), "是", "是"), supplier("GY-2", date(2025, 1, 1))]
    r = one(tmp_path / "a", "9.5", sheets={"供应商": rows})
    assert (r.status, r.examples) == ("符合", ("GY-1", "GY-2"))
    rows = [supplier("GY-1", date(2024, 6, 29), "是", "否"), supplier("GY-2", date(2025, 1, 1))]
    r = one(tmp_path / "b", "9.5", sheets={"供应商": rows})
    assert r.status == "部分符合"
    assert (
        r.gap
        == "1 家信用核查缺失或已超过 12 个月（如 GY-1）；1 家核心供应商未签履约保障协议（如 GY-1）"
    )
    rows = [supplier("GY-1", date(2025, 1, 1))]
    r = one(tmp_path / "c", "9.5", sheets={"供应商": rows}, settings={"信用核查有效期（月）": 3})
    assert r.status == "不符合"  # 3-month validity ended 2025-04-01
    assert one(tmp_path / "d", "9.5").status == "不适用"
    outgoing = contracts(1, 0, 合同性质="支出性")
    assert one(tmp_path / "e", "9.5", sheets={"合同台账": outgoing}).status == "不符合"


def test_credit_checks_tool_use(tmp_path: Path) -> None:
    rows = [
        supplier("GY-1", date(2020, 1, 1)),
        supplier("GY-2", None),
        supplier("GY-3", date(2025, 7, 1)),
    ]
    r = one(tmp_path, "8.1.3.3", sheets={"供应商": rows})
    assert r.status == "部分符合"
    assert r.gap == "2 家供应商没有信用核查记录（如 GY-2、GY-3）"


# --- 9.4 milestones / 8.1.3.2 ---------------------------------------------------------------------


def milestone(
    contract: str, name: str, planned: date, actual: date | None, key: str = "否"
) -> dict[str, Any]:
    return {
        "合同编号": contract,
        "节点名称": name,
        "计划完成日期": planned,
        "实际完成日期": actual,
        "关键节点": key,
    }


def test_milestones_tracked(tmp_path: Path) -> None:
    c = contracts(2, 0)
    none = one(tmp_path / "a", "9.4", sheets={"合同台账": c})
    assert none.status == "不符合"
    ms = [
        milestone("HT-001", "原材料到货", date(2025, 4, 1), date(2025, 3, 30), "是"),
        milestone("HT-001", "发货", date(2025, 6, 1), date(2025, 6, 3)),
    ]
    r = one(tmp_path / "b", "9.4", sheets={"合同台账": c, "履约节点": ms})
    assert r.status == "符合"
    assert r.evidence.startswith(
        "履约节点：近12个月到期节点 2 个，已完成 2 个（按时 1 个）（如 HT-001/原材料到货）"
    )
    assert "2 份中 1 份登记了节点" in r.evidence
    ms.append(milestone("HT-002", "生产完成", date(2025, 6, 20), None, "是"))
    r = one(tmp_path / "c", "9.4", sheets={"合同台账": c, "履约节点": ms})
    assert (r.status, r.gap) == ("部分符合", "1 个关键节点逾期未完成（如 HT-002/生产完成）")
    r = one(tmp_path / "d", "9.4", sheets={"合同台账": contracts(1, 0, 履行状态="协商解除")})
    assert r.status == "不适用"


def test_records_system(tmp_path: Path) -> None:
    r = one(tmp_path, "8.1.3.2", sheets={"合同台账": contracts(1, 0)})
    assert r.status == "部分符合"
    assert "服务过程控制（「履约节点」为空）" in r.gap


# --- 7.2 commitments ------------------------------------------------------------------------------


def commitment(
    no: str, kind: str, status: str, evidence: str = "", deadline: Any = "长期"
) -> dict[str, Any]:
    return {
        "承诺编号": no,
        "承诺类型": kind,
        "承诺内容": "按时交付",
        "兑现期限": deadline,
        "兑现状态": status,
        "兑现证据": evidence,
    }


def test_commitments_by_kind(tmp_path: Path) -> None:
    rows = [
        commitment("CN-1", "规定性", "已兑现", "安全检查记录 2025-03"),
        commitment("CN-2", "约定性", "已兑现"),  # no evidence
        commitment("CN-3", "约定性", "进行中", deadline=date(2025, 6, 29)),  # overdue
        commitment("CN-4", "约定性", "进行中", deadline=T),  # due today: not overdue
    ]
    result = run(tmp_path, sheets={"承诺": rows})
    r1 = clause(result, "7.2.1")
    assert (r1.status, r1.examples) == ("符合", ("CN-1",))
    r2 = clause(result, "7.2.2")
    assert r2.status == "部分符合"
    assert r2.gap == "1 项标为已兑现但没有兑现证据（如 CN-2）；1 项已过兑现期限仍未兑现（如 CN-3）"
    r3 = clause(result, "7.2.3")
    assert r3.status == "不适用"  # 自愿性 commitments are optional
    result = run(tmp_path / "b", sheets={"承诺": rows[1:2]})
    assert clause(result, "7.2.1").status == "不符合"
    # commitments made, none fulfilled yet: nothing shows they are kept
    pending = [commitment("CN-9", "规定性", "进行中")]
    r = clause(run(tmp_path / "c", sheets={"承诺": pending}), "7.2.1")
    assert (r.status, r.gap) == (
        "部分符合",
        "规定性承诺 1 项，尚无一项有兑现证据；兑现后请在「承诺」表填写证据",
    )


# --- objectives: 6.3.1 / 7.1 / 5.3 / 10.2 ----------------------------------------------------------


def objective(
    no: str, indicator: str, target: Any = 0.95, dept: str = "销售部", **extra: Any
) -> dict[str, Any]:
    return {
        "目标编号": no,
        "指标": indicator,
        "目标值": target,
        "比较方式": "不低于",
        "责任部门": dept,
        **extra,
    }


def test_objectives_measurable_and_covering(tmp_path: Path) -> None:
    rows = [
        objective("MB-1", "合同履约率"),
        objective("MB-2", "质量达标率"),
        objective("MB-3", "客户满意度", 90),
    ]
    result = run(tmp_path, sheets={"履约目标": rows}, info={"履约愿景": "做守约标杆"})
    assert clause(result, "6.3.1").status == "符合"
    assert clause(result, "7.1").status == "符合"
    assert clause(result, "5.3").status == "符合"
    rows = [
        objective("MB-1", "合同履约率", dept=""),
        objective("MB-2", "回款率", None),
        objective("MB-9", "质量达标率", 适用年度=2024),
    ]
    result = run(tmp_path / "b", sheets={"履约目标": rows})
    r = clause(result, "6.3.1")
    assert r.status == "部分符合"
    assert r.count == 2  # MB-9 applies to 2024 only
    assert r.gap == "1 个目标缺指标、目标值或比较方式（如 MB-2）；1 个目标未指定责任部门（如 MB-1）"
    r = clause(result, "7.1")
    assert (r.status, r.gap) == (
        "部分符合",
        "目标未覆盖：质量（质量达标率）、客户（客户满意度或违约次数）",
    )
    assert clause(result, "5.3").status == "不符合"


def test_objective_results_use_fresh_achievements(tmp_path: Path) -> None:
    rows = [
        objective("MB-1", "合同履约率"),
        objective("MB-2", "质量达标率"),
        objective("MB-3", "按时交付率"),
    ]
    r = one(tmp_path / "a", "10.2", sheets={"履约目标": rows})
    assert r.status == "部分符合"
    assert r.gap == "3 个目标尚未评估达成情况（请运行“刷新指标与预警”）"
    fresh = {"MB-1": "达成", "MB-2": "未达成", "MB-3": "未达成"}
    r = one(tmp_path / "b", "10.2", sheets={"履约目标": rows}, achievements=fresh)
    assert r.status == "不符合"
    assert r.gap == (
        "2 个未达成目标没有原因分析和改进措施（MB-2、MB-3）：请在「持续改进」为每个目标登记一项，"
        "在改进内容中写明目标编号，填写原因分析和改进措施"
    )
    # an improvement that names nothing does not count; one naming MB-2 by number does, one
    # naming 按时交付率 by its indicator without a 原因分析 does not
    imp = [
        {"改进编号": "GJ-1", "提出日期": date(2025, 5, 1), "改进内容": "提升质量", "改进措施": "培训", "原因分析": "人手"},
        {"改进编号": "GJ-2", "提出日期": date(2025, 5, 2), "改进内容": "MB-2 未达成", "改进措施": "加检", "原因分析": "来料波动"},
        {"改进编号": "GJ-3", "提出日期": date(2025, 5, 3), "改进内容": "提高按时交付率", "改进措施": "排产"},
    ]  # fmt: skip
    sheets = {"履约目标": rows, "持续改进": imp}
    r = one(tmp_path / "c", "10.2", sheets=sheets, achievements=fresh)
    assert r.status == "部分符合"
    assert r.gap.startswith("1 个未达成目标没有原因分析和改进措施（MB-3）")
    assert "有原因分析和改进措施的未达成目标 1/2 个（如 GJ-2）" in r.evidence
    imp[2]["原因分析"] = "外协延误"
    r = one(tmp_path / "e", "10.2", sheets=sheets, achievements=fresh)
    assert (r.status, r.gap) == ("符合", "")
    # no objective has data for the period (e.g. no contracts recorded): nothing was evaluated
    empty = {"MB-1": "无数据", "MB-2": "无数据", "MB-3": "无数据"}
    r = one(tmp_path / "d", "10.2", sheets={"履约目标": rows}, achievements=empty)
    assert r.status == "部分符合"
    assert r.gap.startswith("没有一个目标有本期数据")


# --- 5.x / 6.2 / 6.4 / 7.4 / 10.1 / 11 -------------------------------------------------------------


def context(no: str, category: str, subject: str) -> dict[str, Any]:
    return {"编号": no, "类别": category, "因素或相关方": subject, "需求、期望或影响": "按时交付"}


def test_context_and_interested_parties(tmp_path: Path) -> None:
    rows = [
        context("HJ-1", "内部环境", "员工履约意识"),
        context("HJ-2", "外部环境", "行业监管趋严"),
        context("XG-1", "相关方", "客户"),
        context("XG-2", "相关方", "主要供应商"),
        context("XG-3", "相关方", "员工"),
        context("XG-4", "相关方", "市场监督管理局"),
        context("XG-5", "相关方", "股东"),
    ]
    result = run(tmp_path, sheets={"环境与相关方": rows})
    assert clause(result, "5.1").status == "符合"
    assert clause(result, "5.2").status == "符合"
    result = run(tmp_path / "b", sheets={"环境与相关方": rows[:1] + rows[2:4]})
    assert (clause(result, "5.1").status, clause(result, "5.1").gap) == (
        "部分符合",
        "未登记外部环境因素",
    )
    r = clause(result, "5.2")
    assert (r.status, r.gap) == ("部分符合", "未登记的相关方：员工、监管机构、股东/投资者")
    result = run(tmp_path / "c", drop=("环境与相关方",))
    assert clause(result, "5.1").gap.startswith("工作簿中没有「环境与相关方」表")
    assert clause(result, "5.2").status == "不符合"


def test_policy_scope_and_roles(tmp_path: Path) -> None:
    info = {
        "履约能力方针": "守约重信，满足合同要求，持续改进",
        "方针发布日期": date(2025, 1, 2),
        "体系范围": "设备销售与安装服务",
        "履约管理负责人": "赵六",
    }
    roles = [{"部门或岗位": "履约管理岗", "履约职责": "制定目标和制度"}]
    com = [commitment("CN-1", "规定性", "进行中")]
    told = [
        {
            "培训编号": "PX-1",
            "培训日期": date(2025, 1, 10),
            "培训主题": "履约方针宣贯",
            "参加人数": 20,
        }
    ]
    sheets = {"职责权限": roles, "承诺": com, "培训记录": told}
    result = run(tmp_path, info=info, sheets=sheets)
    assert [clause(result, n).status for n in ("6.2", "5.4", "6.4")] == ["符合"] * 3
    assert "方针传达：培训记录 1 次（如 PX-1）、成文信息 0 份" in clause(result, "6.2").evidence
    late = {**info, "方针发布日期": date(2025, 7, 1)}
    result = run(tmp_path / "b", info=late, sheets={})
    r = clause(result, "6.2")
    assert (r.status, r.gap) == (
        "部分符合",
        "方针发布日期 2025-07-01 晚于基准日期，尚未发布；没有方针传达的记录（6.2 d）：请在「培训记录」"
        "登记方针宣贯（主题含“方针”、参加人数），或在「成文信息」登记方针发布文件",
    )
    assert clause(result, "5.4").status == "部分符合"  # scope but no commitments
    assert clause(result, "6.4").status == "部分符合"
    # the policy must commit to contracts and to continual improvement (6.2 c)
    posted = docs(["履约能力方针发布令"], "记录")
    result = run(
        tmp_path / "c",
        info={**info, "履约能力方针": "守约重信，忠实履约"},
        sheets={"成文信息": posted},
    )
    r = clause(result, "6.2")
    assert (r.status, r.gap) == ("部分符合", "方针没有写明持续改进的承诺（6.2 c）")
    result = run(tmp_path / "d", info={**info, "履约能力方针": "赚钱"}, sheets={"成文信息": posted})
    r = clause(result, "6.2")
    assert r.status == "不符合"
    assert (
        r.gap
        == "方针没有写明满足合同（履约）要求的承诺（6.2 c）；方针没有写明持续改进的承诺（6.2 c）"
    )


def test_changes_not_applicable_when_none(tmp_path: Path) -> None:
    assert one(tmp_path / "a", "7.4").status == "不适用"
    assert one(tmp_path / "b", "7.4", drop=("变更记录",)).gap.startswith(
        "工作簿中没有「变更记录」表"
    )
    rows = [
        {
            "变更编号": "BG-1",
            "变更日期": date(2025, 2, 1),
            "变更内容": "交期调整",
            "影响评估": "可控",
            "审批人": "王总",
        },
        {"变更编号": "BG-2", "变更日期": date(2025, 3, 1), "变更内容": "更换供应商"},
    ]
    r = one(tmp_path / "c", "7.4", sheets={"变更记录": rows})
    assert (r.status, r.gap) == ("部分符合", "1 项变更缺影响评估或审批人（如 BG-2）")


def test_process_checks(tmp_path: Path) -> None:
    checks = [audit("JC-1", "内审", date(2025, 4, 1), 发现描述="抽查 5 份合同的交付进度")]
    rows = [issue("WT-1"), issue("WT-2", 根本原因="")]
    r = one(tmp_path / "a", "10.1", sheets={"审核记录": checks, "履约问题": rows})
    assert (r.status, r.gap) == ("部分符合", "1 个偏差未记录原因（如 WT-2）")
    r = one(tmp_path / "b", "10.1", sheets={"审核记录": checks, "履约问题": rows[:1]})
    assert r.status == "符合"
    # a row that says nothing about what was checked is not a check
    bare = [audit("JC-2", "内审", date(2025, 4, 1), 发现类型="符合")]
    r = one(tmp_path / "c", "10.1", sheets={"审核记录": bare, "履约问题": rows[:1]})
    assert (r.status, r.gap) == (
        "部分符合",
        "近12个月没有写明发现的检查或审核记录（1 条没有发现描述（如 JC-2））；"
        "请在「审核记录」写明检查了什么、发现了什么",
    )


def test_improvements_and_loop(tmp_path: Path) -> None:
    base = {"改进内容": "缩短评审周期", "改进措施": "线上审批", "来源": "内审"}
    rows = [
        {
            "改进编号": "GJ-1",
            "提出日期": date(2025, 2, 1),
            "计划完成日期": date(2025, 5, 1),
            "完成日期": date(2025, 4, 20),
            "效果评价": "评审周期缩短一半",
            **base,
        },
        {
            "改进编号": "GJ-2",
            "提出日期": date(2025, 3, 1),
            "计划完成日期": date(2025, 9, 1),
            **base,
        },
    ]
    result = run(tmp_path, sheets={"持续改进": rows})
    assert clause(result, "11.1").status == "符合"
    assert clause(result, "11.2").status == "符合"
    rows[1]["计划完成日期"] = date(2025, 6, 1)  # now overdue
    rows[0]["效果评价"] = ""
    result = run(tmp_path / "b", sheets={"持续改进": rows})
    r = clause(result, "11.2")
    assert r.status == "不符合"
    assert r.gap == "2 项改进未闭环（逾期未完成 1 项、完成后无效果评价 1 项）（如 GJ-1、GJ-2）"
    old = [{**rows[0], "提出日期": date(2024, 1, 1)}]
    assert one(tmp_path / "c", "11.1", sheets={"持续改进": old}).status == "部分符合"


def test_document_rule_8_2_2_speaks_to_the_firm(tmp_path: Path) -> None:
    r = one(tmp_path, "8.2.2", sheets={"成文信息": docs(SIX)})
    assert r.status == "不符合"  # six 制度, none about internal communication, no 手册
    assert "标准" not in r.gap and "标准" not in r.requirement
    assert r.gap.endswith("并准备：履约例会纪要、周/月报或内部通报等内部沟通记录。")
    meeting = docs(["履约例会制度"], "程序")
    r = one(tmp_path / "b", "8.2.2", sheets={"成文信息": meeting})
    assert r.status == "需人工确认" and r.gap.startswith("需人工确认")


def test_no_text_addresses_the_auditor(tmp_path: Path) -> None:
    """Every clause's text is written to the firm: nothing asks the auditor to check or lectures
    about the standard, on an empty workbook and on one with documents."""
    for name, sheets in (("a", {}), ("b", {"成文信息": docs(SIX) + docs(["手册"], "手册")})):
        result = run(tmp_path / name, sheets=sheets)
        for r in result.results:
            for text in (r.requirement, r.evidence, r.gap, r.suggestion):
                assert "审核时请" not in text and "标准正文" not in text, (r.number, text)


def test_emergency_plan_drill_and_resources(tmp_path: Path) -> None:
    kit = {"资源核查": [resource("应急资源", "备用电机库存", date(2025, 2, 1))]}

    def plan(drill: date | None) -> dict[str, Rows]:
        row = {"预案编号": "YA-1", "预案名称": "供应链中断应急预案", "发布日期": date(2024, 1, 1)}
        return {"应急预案": [{**row, "最近演练日期": drill}], **kit}

    r = one(tmp_path / "a", "9.7", sheets=plan(date(2024, 6, 30)))
    assert (r.status, r.gap) == ("符合", "")
    assert "资源核查：近12个月核查应急资源 1 项（如 备用电机库存）" in r.evidence
    r = one(tmp_path / "b", "9.7", sheets=plan(date(2024, 6, 29)))
    assert r.status == "部分符合"
    assert r.gap == (
        "近12个月未演练（最近一次演练 2024-06-29，已超过12个月），"
        "请演练后在「应急预案」填写最近演练日期和评价"
    )
    r = one(tmp_path / "c", "9.7", sheets=plan(date(2025, 7, 15)))  # drill planned after T
    assert r.gap.startswith("近12个月未演练（没有演练记录）")
    no_kit = {"应急预案": plan(date(2025, 1, 1))["应急预案"]}
    r = one(tmp_path / "f", "9.7", sheets=no_kit)
    assert r.status == "部分符合"
    assert r.gap.startswith("没有应急资源的核查记录（9.7 b）")
    assert one(tmp_path / "d", "9.7").status == "不符合"
    risk = {"编号": "R1", "类型": "风险", "可能性": 2, "影响程度": 2, "应急预案": "启用备用供应商"}
    r = one(tmp_path / "e", "9.7", sheets={"风险机遇": [risk]}, drop=("应急预案",))
    assert r.status == "部分符合"
    assert r.gap.startswith("工作簿中没有「应急预案」表；")


def resource(category: str, name: str, day: date, **extra: Any) -> dict[str, Any]:
    return {
        "资源类别": category,
        "名称": name,
        "核查日期": day,
        "结论": "满足",
        "证据": "记录-1",
        **extra,
    }


def test_resources_8_1_1_8_1_5_9_3(tmp_path: Path) -> None:
    rows = [
        resource("人员", "生产人员配置", date(2024, 6, 30)),  # exactly 12 months: counts
        resource("设备", "数控车床", date(2025, 3, 1)),
        resource("资金", "流动资金", date(2025, 4, 1), 结论="不满足"),
    ]
    result = run(tmp_path / "a", sheets={"资源核查": rows})
    assert clause(result, "8.1.1").status == "符合"
    r = clause(result, "8.1.5")
    assert (r.status, r.count) == ("符合", 3)
    assert (
        r.evidence
        == "资源核查：近12个月核查 3 项（类别：人员、设备、资金）（如 生产人员配置、数控车床、流动资金）"
    )
    r = clause(result, "9.3")
    assert (r.status, r.gap) == (
        "部分符合",
        "1 项资源核查结论为不满足（如 流动资金），请调配资源后重新核查",
    )
    older = [
        resource("人员", "生产人员配置", date(2024, 6, 29)),
        resource("物料", "钢材", date(2025, 1, 5), 证据=""),
    ]
    result = run(tmp_path / "b", sheets={"资源核查": older})
    r = clause(result, "8.1.1")
    assert (r.status, r.gap) == ("部分符合", "未核查的资源类别：人员、资金，请在「资源核查」登记")
    r = clause(result, "8.1.5")
    assert (r.status, r.gap) == ("部分符合", "1 项核查缺结论或证据（如 钢材），请补填")
    r = one(tmp_path / "c", "8.1.5")
    assert r.status == "不符合" and r.gap.startswith("近12个月没有资源核查记录")
    r = one(tmp_path / "d", "9.3", drop=("资源核查",))
    assert r.status == "不符合" and r.gap.startswith("工作簿中没有「资源核查」表")


def test_annex_a_a_single_row_saying_conform_is_not_an_audit(tmp_path: Path) -> None:
    rows = [audit("NS-1", "内审", date(2025, 3, 1), 发现类型="符合")]
    r = one(tmp_path, "附录A", sheets={"审核记录": rows})
    assert r.status == "部分符合"
    assert r.gap == (
        "内审记录未覆盖标准第 4、5、6、7、8、9、10、11 章：请按条款逐条审核，在「审核记录」每条发现"
        "一行并在“条款”列写明条款号；1 条内审记录没有写条款（如 NS-1）；1 条内审记录没有发现描述"
        "（如 NS-1），请写明查了什么、看到了什么"
    )


def test_breaches_need_cause_action_accountability_and_verification(tmp_path: Path) -> None:
    ok = {"验证人": "王总", "验证日期": date(2025, 5, 1), "是否有效": "是"}
    rows = [issue("WT-1", **ok), issue("WT-2", **ok)]
    r = one(tmp_path / "a", "10.5", sheets={"履约问题": rows})
    assert (r.status, r.count, r.gap) == ("符合", 2, "")
    rows = [
        issue("WT-1", **ok),
        issue("WT-2", 责任追究="", **ok),
        issue("WT-3", 发现日期=date(2025, 7, 2), 根本原因=""),
        issue("WT-4", **{**ok, "验证日期": date(2025, 7, 1)}),  # verified after T
        issue("WT-5", **{**ok, "是否有效": "否"}),
    ]
    r = one(tmp_path / "b", "10.5", sheets={"履约问题": rows})
    assert r.status == "部分符合"
    assert r.count == 4  # WT-3 is found after T
    assert r.gap == (
        "1 个违约未完成处置（缺责任追究 1 个）（如 WT-2）；2 个违约的纠正措施未验证有效"
        "（如 WT-4、WT-5）：请在「履约问题」填写验证人、验证日期和是否有效"
    )
    rows = [issue("WT-1", 根本原因="", 纠正措施="", 责任追究="")]
    assert one(tmp_path / "c", "10.5", sheets={"履约问题": rows}).status == "不符合"
    rows = [issue("WT-1", 是否违约="否")]
    assert one(tmp_path / "d", "10.5", sheets={"履约问题": rows}).status == "不适用"


# --- readiness of thin workbooks (issue #10's measurements) -----------------------------------------

BARE_MANUAL = {"成文信息": [{"文件编号": "SC-01", "文件名称": "履约管理手册", "文件类别": "手册", "状态": "现行"}]}  # fmt: skip


def paper_tiger() -> dict[str, Any]:
    contract = {
        "合同编号": "HT-1",
        "合同名称": "设备供货",
        "合同性质": "收入性",
        "签订日期": date(2025, 3, 1),
        "计划交付日期": date(2025, 9, 1),
    }
    fire = {"培训编号": "PX-1", "培训日期": date(2025, 3, 1), "培训主题": "消防", "参加人数": 0}
    audit_row = audit("NS-1", "内审", date(2025, 4, 1), 发现类型="符合")
    return {
        "sheets": {"合同台账": [contract], "培训记录": [fire], "审核记录": [audit_row]},
        "info": {"履约能力方针": "赚钱"},
    }


def test_a_blank_workbook_is_not_ready(tmp_path: Path) -> None:
    result = run(tmp_path)
    assert result.readiness == 0.0
    assert result.counts == {"符合": 0, "部分符合": 0, "不符合": 39, "不适用": 7, "需人工确认": 0}
    assert result.readiness_text == "0%（记录可证实）"
    assert all(r.gap for r in result.results if r.status != "符合")


def test_a_bare_manual_row_proves_nothing(tmp_path: Path) -> None:
    """One 成文信息 row (履约管理手册 / 手册 / 现行, no version, date or approver) moves the
    document-only clauses to 需人工确认 — never 符合 — and leaves readiness at the blank's."""
    result = run(tmp_path, sheets=BARE_MANUAL)
    assert result.counts["符合"] == 0
    manual = [r.number for r in result.results if r.status == "需人工确认"]
    assert manual == ["4.1", "4.2", "5.5", "8.1.3", "8.1.4", "8.1.6", "8.2.1", "8.2.2", "9.1"]
    assert result.readiness == 0.0
    assert result.readiness_text == "0%（记录可证实；另有 9 条需审核时人工确认）"
    r = clause(result, "8.3")
    assert (r.status, r.gap) == ("不符合", "1 份没有版本号（如 SC-01）；1 份没有批准人（如 SC-01）")
    assert clause(result, "6.3.2").status == "不符合"


def test_a_paper_tiger_is_not_ready(tmp_path: Path) -> None:
    result = run(tmp_path, **paper_tiger())
    assert result.counts["符合"] == 0
    # 4 部分符合 (6.1, 8.1.3.2, 10.4, 附录A) and 36 不符合 among the 40 judged clauses
    assert result.counts == {"符合": 0, "部分符合": 4, "不符合": 36, "不适用": 6, "需人工确认": 0}
    assert result.readiness == pytest.approx(2 / 40)
    assert result.readiness_text == "5%（记录可证实）"
    r = clause(result, "6.2")
    assert r.status == "不符合"
    assert r.gap.startswith("方针没有写明满足合同（履约）要求的承诺（6.2 c）；方针没有写明持续改进")
    r = clause(result, "8.1.2")
    assert r.status == "不符合"
    assert r.gap.startswith(
        "近12个月没有涉及履约或合同、有人参加并经考核的培训"
        "（不计入的：PX-1（主题不涉及履约或合同，参加人数为 0 或未填，没有考核结果））"
    )
    r = clause(result, "附录A")
    assert r.status == "部分符合"
    assert r.gap.startswith("内审记录未覆盖标准第 4、5、6、7、8、9、10、11 章")
    assert clause(result, "9.2").status == "不符合"  # signed without a review


def test_the_demo_is_honest_about_its_gaps(tmp_path: Path) -> None:
    """The demo firm: 8 of 10 objectives 未达成 with one followed up, and no 制度 briefing —
    10.2 and 6.3.3 are not 符合 while those gaps stand; the records it can now keep
    (资源核查, 能力要求, verification, a full internal audit) do count."""
    from lyue_xl.demo import DEFAULT_AS_OF, write_demo_workbook
    from lyue_xl.engine import analyse

    result = analyse(write_demo_workbook(tmp_path / "demo.xlsx"), as_of=DEFAULT_AS_OF).assessment
    r = clause(result, "10.2")
    assert r.status == "部分符合"
    assert r.gap.startswith("7 个未达成目标没有原因分析和改进措施（MB-01、MB-03、")
    assert "有原因分析和改进措施的未达成目标 1/8 个（如 GJ-01）" in r.evidence
    r = clause(result, "6.3.3")
    assert r.status == "部分符合"
    assert r.gap.startswith("没有制度宣贯的记录")
    assert [
        clause(result, n).status for n in ("8.1.1", "8.1.2", "8.1.5", "9.3", "9.7", "附录A")
    ] == ["符合"] * 6
    assert result.counts["需人工确认"] == 9
    assert result.readiness_text.endswith("（记录可证实；另有 9 条需审核时人工确认）")


def test_an_older_workbook_without_the_new_records_still_works(tmp_path: Path) -> None:
    """A workbook made before 资源核查, 验证人/验证日期/是否有效 and 能力要求 existed: `check`
    warns (never exit 2) and the self-assessment names the missing columns as gaps."""
    from tests.helpers import run_cli

    breach = {**issue("WT-1"), "验证人": "王总"}
    path = make_book(tmp_path, sheets={"履约问题": [breach]}, drop=("资源核查",))
    book = openpyxl.load_workbook(path)
    ws = book["履约问题"]
    for col in range(ws.max_column, 0, -1):
        if ws.cell(2, col).value in ("验证人", "验证日期", "是否有效"):
            ws.delete_cols(col)
    book.save(path)
    code, out, err = run_cli("check", path)
    assert code == 0, err
    assert "[警告] 「资源核查」：工作簿中没有这张工作表（条款 8.1.1 8.1.5 9.3 9.7）" in out
    for label in ("验证人", "验证日期", "是否有效"):
        assert f"[警告] 「履约问题」「{label}」：表头中没有“{label}”列，该列按空白处理" in out
    assert out.endswith("共 0 个错误、4 个警告。\n")
    result = assess(read_records(path), PERIOD)
    r = clause(result, "10.5")
    assert r.status == "部分符合"
    assert r.gap.endswith(
        "「履约问题」表头中没有「验证人」、「验证日期」、「是否有效」列，请在表头末尾加上后填写"
    )
    assert clause(result, "8.1.5").gap.startswith("工作簿中没有「资源核查」表")
