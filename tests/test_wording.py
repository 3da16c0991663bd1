"""Sentences the documents and warnings print, exactly: blanks read 未记录 (never 无), no empty
（）, no doubled 。, counts that match their lists, actions grounded in the records (DESIGN §8)."""

from __future__ import annotations

import re
import tempfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from doc_helpers import small_firm
from lyue_xl.documents import common, review_input
from lyue_xl.engine import analyse


def _edit(path: Path, sheet: str, key_label: str, key: str, values: dict[str, object]) -> None:
    """Set cells of the row whose ``key_label`` column holds ``key`` (by header label)."""
    book = openpyxl.load_workbook(path)
    ws = book[sheet]
    for header in ws.iter_rows(min_row=1, max_row=30):
        cols = {str(c.value).strip(): c.column for c in header if c.value is not None}
        if key_label in cols:
            break
    else:
        raise KeyError(key_label)
    for row in range(header[0].row + 1, ws.max_row + 1):
        if ws.cell(row=row, column=cols[key_label]).value == key:
            for label, value in values.items():
                ws.cell(row=row, column=cols[label]).value = value
            break
    else:
        raise KeyError(key)
    book.save(path)


@pytest.fixture(scope="module")
def plain():
    with tempfile.TemporaryDirectory() as tmp:
        yield analyse(small_firm(Path(tmp)))


@pytest.fixture(scope="module")
def blanks():
    """S-04 without a name and without a credit check; HT-2026-007 (overdue) without a name;
    HJ-01 last reviewed before the period; a 体系范围 typed with a final 。."""
    with tempfile.TemporaryDirectory() as tmp:
        book = small_firm(Path(tmp))
        _edit(
            book,
            "供应商",
            "供应商编号",
            "S-04",
            {"供应商名称": None, "信用核查日期": None, "信用核查结论": None},
        )
        _edit(book, "合同台账", "合同编号", "HT-2026-007", {"合同名称": None})
        _edit(book, "环境与相关方", "编号", "HJ-01", {"评审日期": date(2025, 12, 1)})
        _edit(book, "基本信息", "项目", "体系范围", {"内容": "数控机床维修保养服务。"})
        yield analyse(book)


def _messages(analysis, code: str) -> dict[str, str]:
    return {a.record: a.message for a in analysis.alerts if a.code == code}


def test_blank_names_leave_no_empty_brackets_and_no_run_on(blanks) -> None:
    assert _messages(blanks, "SUPPLIER_CREDIT_CHECK_DUE")["S-04"] == (
        "供应商 S-04 没有信用核查记录。请开展信用核查并填写信用核查日期和结论。"
    )
    overdue = _messages(blanks, "MILESTONE_OVERDUE")  # the node keeps its own wording
    assert overdue["HT-2026-007/现场调试"].startswith("合同 HT-2026-007 的关键节点“现场调试”")
    for a in blanks.alerts:
        assert "（）" not in a.message, a.message


def test_named_records_keep_their_names(plain) -> None:
    assert _messages(plain, "CONTRACT_NOT_REVIEWED")["HT-2026-012"] == (
        "合同 HT-2026-012（数控机床维保服务合同12）签订于 2026-03-01，评审日期 2026-03-05 晚于签订"
        "日期。请查明签订前未评审的原因并防止再次发生；评审记录按实际评审日期填写，不得倒签。"
    )
    assert _messages(plain, "CORE_SUPPLIER_NO_AGREEMENT")["S-04"].startswith(
        "核心供应商 S-04（南阳电缆有限公司）未签"
    )


def test_contract_label_blank_name_has_a_space_before_the_text() -> None:
    import pandas as pd

    from lyue_xl.alerts import contract_label

    frame = pd.DataFrame({"contract_no": ["XS-004", "XS-005"], "name": ["", "机床维保"]})
    labels = (contract_label(frame) + "计划交付日期").tolist()
    assert labels == ["合同 XS-004 计划交付日期", "合同 XS-005（机床维保）计划交付日期"]


def test_remedy_cell_blank_is_not_recorded_and_only_for_breaches(plain) -> None:
    rows = {r["issue_no"]: common.issue_row(r) for r in common.rows(common.period_issues(plain))}
    assert rows["WT-001"]["remedy"] == "追责：扣减项目负责人季度绩效\n补偿：免费延长保修三个月"
    assert rows["WT-002"]["remedy"] == "追责：未记录\n补偿：未记录"  # a breach with blanks
    assert rows["WT-003"]["remedy"] == ""  # not a breach, nothing recorded: nothing printed
    assert rows["WT-002"]["corrective_action"] == "未记录"
    for row in rows.values():
        assert "无" not in row["remedy"] and "未填写" not in row["remedy"]


def test_context_summary_counts_only_what_is_stale(plain, blanks) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        fresh = review_input.context(plain, Path(tmp))["context_summary"]
        stale = review_input.context(blanks, Path(tmp))["context_summary"]
    assert fresh == "环境与相关方登记 3 项，均已在本期内评审；本期影响履约的变更 1 项。"
    assert stale == (
        "环境与相关方登记 3 项，其中 1 项在本期内未经评审，应在管理评审前更新；本期影响履约的变更 1 项。"
    )


def test_scope_typed_with_a_full_stop_is_not_doubled(blanks) -> None:
    assert common.base_context(blanks)["scope"] == "数控机床维修保养服务"


def test_indicator_basis_and_unit_read_the_same_way(plain) -> None:
    rows = {r["key"]: r for r in common.indicator_rows(plain)}
    assert rows["fulfillment_rate"]["basis"] == "19/20"
    assert rows["on_time_delivery_rate"]["basis"] == "17/20"
    assert rows["fulfillment_rate_amount"]["basis"] == "1,457,500.00/1,525,000.00 元"
    assert rows["fulfillment_rate"]["unit"] == "%"
    assert all(r["unit"] != "比率" for r in rows.values())


def test_actions_are_grounded_once_per_topic_and_never_back_fill(plain) -> None:
    _, actions = common.findings(plain)
    assert actions == [
        "对 1 份本方违约未履行的合同逐份追溯原因，落实补偿和责任追究。",
        "按时交付率实际 85.0%、目标不低于 95.0%：逐份分析到期未交付的收入性合同，明确补救计划和"
        "完成时间，必要时与客户协商；在合同评审中核实交付周期。",
        "违约次数实际 2 次、目标不高于 0 次：违约事件（WT-002）的根本原因、纠正措施或责任追究尚未"
        "形成结论：组织分析并落实，按实际完成的日期记录。",
        "节点按时完成率实际 50.0%、目标不低于 90.0%：复核滞后节点（HT-2026-007/现场调试）的履约"
        "计划，增配资源并按周跟踪。",
        "对逾期应收款（HT-2026-003/1）逐笔催收并评估坏账风险；评审新合同时加强付款条件和客户信用的审查。",
        # S-02's D came from fewer than 3 deliveries: it is 未评 now, and no longer listed
        "对交付或信用有问题的供应商（S-03）约谈整改，必要时暂停新订单、启用备用供应商。",
        "督办逾期未关闭的履约问题（WT-002），明确关闭期限。",
        "逐项跟踪逾期未兑现的承诺（CN-03），落实责任部门和兑现证据。",
        "高风险（R-01）缺少应对措施或应急预案：制定并登记，指定责任人和完成期限。",
        "合同（HT-2026-012）签订前未经评审：查明绕过评审的原因，重申“先评审、后签订”，在签订流程"
        "中设置评审确认；评审记录按实际评审日期填写，不补填、不倒签。",
        "与尚未签订履约保障协议的核心供应商（S-04）签订协议，明确违约责任和应急措施。",
        "制定并发布缺少的制度（《内外部履约责任追究制度》）（见 6.3.2），登记到「成文信息」。",
    ]
    assert not any("补齐" in a or "补全" in a for a in actions)


def test_join_names_counts_what_it_lists() -> None:
    assert common.join_names(["A", "B", "A", ""]) == "A、B"
    assert common.join_names([f"S-{i}" for i in range(1, 8)]) == "S-1、S-2、S-3、S-4、S-5 等 7 项"


def test_alerts_on_the_terminal_show_words_not_codes(tmp_path: Path) -> None:
    from doc_helpers import run_cli

    book = small_firm(tmp_path)
    code, out, err = run_cli("alerts", book)
    assert code == 0, err
    lines = out.splitlines()
    # 15: S-02's D from fewer than 3 deliveries (SUPPLIER_LOW_GRADE) is 未评 now
    assert lines[0] == "基准日期：2026-06-30，共 15 条预警"
    assert (
        "[高] 合同未在签订前评审：HT-2026-012 「合同台账」第14行　合同 HT-2026-012（数控机床维保服务"
        "合同12）签订于 2026-03-01，评审日期 2026-03-05 晚于签订日期。请查明签订前未评审的原因并防止"
        "再次发生；评审记录按实际评审日期填写，不得倒签。（条款 9.2）"
    ) in lines
    assert len(lines) == 16
    assert not any(re.search(r"[A-Z_]{4,}", line) for line in lines), out


def test_departments_of_the_objectives_are_counted_as_listed(tmp_path: Path) -> None:
    """5.3 named 「涉及部门 6 个」 and then 5 names; a cell naming two departments counts two."""
    from helpers import make_book, put_rows

    book = make_book(tmp_path)
    departments = ["销售部", "生产部", "质检部", "销售部", "财务部、采购部", "经营管理部", "技术部"]
    put_rows(
        book,
        "履约目标",
        [
            {"目标编号": f"MB-{i}", "指标": "合同履约率", "目标值": 0.9, "比较方式": "不低于"}
            | {"责任部门": d}
            for i, d in enumerate(departments, start=1)
        ],
    )
    result = {r.number: r for r in analyse(book, as_of=date(2026, 6, 30)).assessment.results}
    assert result["5.3"].evidence.endswith(
        "履约目标：有责任部门的目标 7 个，"
        "涉及部门 7 个（销售部、生产部、质检部、财务部、采购部、经营管理部、技术部）"
    )
    put_rows(
        book,
        "履约目标",
        [
            {"目标编号": f"MB-{i}", "指标": "合同履约率", "目标值": 0.9, "比较方式": "不低于"}
            | {"责任部门": f"第{i}部"}
            for i in range(8, 10)
        ],
    )
    result = {r.number: r for r in analyse(book, as_of=date(2026, 6, 30)).assessment.results}
    assert result["5.3"].evidence.endswith(
        "有责任部门的目标 9 个，涉及部门 9 个（"
        "销售部、生产部、质检部、财务部、采购部、经营管理部、技术部、第8部等）"
    )
