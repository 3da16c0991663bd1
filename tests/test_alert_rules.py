"""DESIGN §4 at every boundary: each warning code on both sides of its dates, levels, messages.

One workbook is written by the product with 设置 left blank (临近预警天数 7 and 信用核查有效期
12 by default), read back once; the warnings are computed with the pure engine functions for
T = 2025-06-30 (so T + N = 2025-07-07) and the period 2025-01-01..2025-12-31.
"""

from __future__ import annotations

import dataclasses
import functools
import tempfile
from datetime import date
from pathlib import Path

import pytest

from helpers import make_book, put_rows, set_items
from lyue_xl import alerts
from lyue_xl.alerts import Alert, add_months
from lyue_xl.engine import analyse_records
from lyue_xl.workbook.reader import Records, read_records

D = date
S, T, E = D(2025, 1, 1), D(2025, 6, 30), D(2025, 12, 31)
FAR = D(2026, 12, 31)


def contract(no: str, planned: date = FAR, nature: str = "收入性", **more: object) -> dict:
    row: dict[str, object] = {
        "合同编号": no,
        "合同名称": f"{no}名称",
        "合同性质": nature,
        "签订日期": D(2024, 12, 1),
        "评审日期": D(2024, 11, 30),
        "计划交付日期": planned,
        "履行状态": "履行中",
        "负责人": "王工",
    }
    row.update(more)
    return row


def _write_book(folder: Path) -> Records:
    book = make_book(folder)
    set_items(book, "设置", {"临近预警天数": None, "信用核查有效期（月）": None})
    put_rows(
        book,
        "合同台账",
        [
            contract("D1", T),  # row 3: due on T
            contract("D2", D(2025, 6, 29), 相对方="客户乙"),  # T − 1: overdue
            contract("D3", D(2025, 7, 7), 负责人=None),  # T + N
            contract("D4", D(2025, 7, 8)),  # T + N + 1
            contract("D5", D(2025, 6, 1), 实际交付日期=D(2025, 6, 20)),
            contract("D6", D(2025, 6, 1), 实际交付日期=D(2025, 7, 1)),  # delivered after T
            contract("D7", D(2025, 6, 1), 履行状态="已履行"),
            contract("D8", D(2025, 6, 1), 履行状态=None),  # blank reads 履行中
            contract("D9", D(2025, 6, 1), 履行状态="协商解除"),
            contract("D10", D(2025, 6, 29), "支出性"),
            contract("D11", T, "支出性"),
            contract("D12", D(2025, 7, 1), "支出性"),
            # reviews (N): signed in the period or still 履行中
            contract("N1", 签订日期=S, 评审日期=None, 履行状态="已履行"),  # row 15
            contract("N2", 签订日期=D(2024, 12, 31), 评审日期=None, 履行状态="已履行"),
            contract("N3", 签订日期=D(2024, 12, 31), 评审日期=None),
            contract("N4", 签订日期=T, 评审日期=D(2025, 7, 1), 履行状态="已履行"),
            contract("N5", 签订日期=D(2025, 7, 1), 评审日期=None),
            contract("N6", 签订日期=D(2025, 3, 1), 评审日期=D(2025, 3, 1), 履行状态="已履行"),
            contract("N7", 签订日期=D(2025, 3, 1), 评审日期=D(2025, 3, 2), 履行状态="已履行"),
            contract(
                "N8",
                签订日期=D(2025, 3, 1),
                评审日期=D(2025, 2, 1),
                评审结论="不通过",
                履行状态="已履行",
            ),
            contract("N9", 签订日期=D(2025, 3, 1), 评审日期=None, 履行状态="协商解除"),
            contract("N10", 签订日期=D(2024, 6, 1), 评审日期=D(2024, 7, 1), 履行状态="已履行"),
            contract(
                "N11",
                签订日期=D(2025, 3, 1),
                评审日期=D(2025, 2, 1),
                评审结论="通过",
                履行状态="已履行",
            ),
            # milestones', payments' and the scored supplier's contracts
            contract("ML-1"),  # row 26
            contract("ML-X", 履行状态="协商解除"),
            contract("PY-1"),
            contract(
                "LG-1",
                D(2025, 5, 1),
                "支出性",
                供应商编号="SC8",
                实际交付日期=D(2025, 5, 10),
                验收结果="不合格",
                履行状态="已履行",
            ),
            # row 30: raised on the day D2 is overdue, in a later row
            contract("N12", 签订日期=D(2025, 6, 29), 评审日期=None, 履行状态="已履行"),
        ],
    )
    put_rows(
        book,
        "履约节点",
        [
            {"合同编号": "ML-1", "节点名称": "a", "计划完成日期": T, "负责人": "李工"},
            {"合同编号": "ML-1", "节点名称": "b", "计划完成日期": D(2025, 6, 29), "关键节点": "否"},
            {"合同编号": "ML-1", "节点名称": "c", "计划完成日期": D(2025, 6, 29), "关键节点": "是"},
            {"合同编号": "ML-1", "节点名称": "d", "计划完成日期": D(2025, 7, 7)},
            {"合同编号": "ML-1", "节点名称": "e", "计划完成日期": D(2025, 7, 8)},
            {
                "合同编号": "ML-1",
                "节点名称": "f",
                "计划完成日期": D(2025, 6, 1),
                "实际完成日期": D(2025, 6, 15),
            },
            {
                "合同编号": "ML-1",
                "节点名称": "g",
                "计划完成日期": D(2025, 6, 1),
                "实际完成日期": D(2025, 7, 1),
            },
            {"合同编号": "ML-X", "节点名称": "h", "计划完成日期": D(2025, 6, 29)},
        ],
    )

    def pay(
        n: object,
        due: date,
        paid_on: date | None = None,
        paid: float | None = None,
        kind: str = "收款",
        amount: float = 1000,
    ) -> dict:
        return {
            "合同编号": "PY-1",
            "收付类型": kind,
            "期次": n,
            "应收付日期": due,
            "应收付金额（元）": amount,
            "实收付日期": paid_on,
            "实收付金额（元）": paid,
        }

    put_rows(
        book,
        "款项",
        [
            pay(1, T),  # row 3
            pay(2, D(2025, 6, 29)),
            pay(3, D(2025, 7, 7), D(2025, 6, 1), 400),
            pay(4, D(2025, 7, 8)),
            pay(5, D(2025, 6, 1), D(2025, 6, 1), 1000),
            pay(6, D(2025, 6, 1), D(2025, 6, 1), 999.996),  # less than half a fen left
            pay(7, D(2025, 6, 1), D(2025, 6, 1), None),  # a date without an amount
            pay(8, D(2025, 6, 1), D(2025, 7, 1), 1000),  # received after T
            pay("尾款", T, kind="付款"),
            pay(None, D(2025, 6, 29), kind="付款"),
            pay(11, D(2025, 7, 8), kind="付款"),
            pay(12, D(2025, 7, 7), kind="付款"),
            pay(13, D(2025, 6, 1), amount=0.005),  # half a fen: settled
            pay(14, D(2025, 6, 1), amount=0.006),  # row 16
        ],
    )

    def supplier(
        no: str, checked: date | None, result: str | None = "良好", **more: object
    ) -> dict:
        row: dict[str, object] = {
            "供应商编号": no,
            "供应商名称": f"{no}公司",
            "信用核查日期": checked,
            "信用核查结论": result,
        }
        row.update(more)
        return row

    put_rows(
        book,
        "供应商",
        [
            supplier("SC1", None, None),  # row 3
            supplier("SC2", D(2025, 7, 1)),  # checked after T: as none
            supplier("SC3", D(2024, 6, 30)),  # valid to 2025-06-30 = T
            supplier("SC4", D(2024, 6, 29)),  # lapsed 2025-06-29
            supplier("SC5", D(2024, 2, 29)),  # valid to 2025-02-28
            supplier("SC7", D(2025, 1, 5), "异常"),
            supplier("SC8", D(2025, 1, 5)),
            supplier("SC9", D(2025, 1, 5), 核心供应商="是", 履约保障协议="否"),
            supplier("SC10", D(2025, 1, 5), 核心供应商="是", 履约保障协议="是"),
            supplier("SC11", D(2025, 1, 5), 核心供应商="否", 履约保障协议="否"),
        ],
    )
    put_rows(
        book,
        "风险机遇",
        [
            {
                "编号": no,
                "类型": kind,
                "可能性": p,
                "影响程度": i,
                "状态": st,
                "应对措施": m,
                "应急预案": c,
                "描述": desc,
            }
            for no, kind, p, i, st, m, c, desc in (
                ("RK1", "风险", 5, 3, "未处置", None, None, "关键设备故障"),  # row 3
                ("RK2", "风险", 3, 4, "未处置", None, None, None),
                ("RK3", "风险", 5, 3, "已关闭", None, None, None),
                ("RK4", "机遇", 5, 5, "未处置", None, None, None),
                ("RK5", "风险", 4, 4, "处置中", "加强巡检", None, None),
                ("RK6", "风险", 5, 5, None, "备用供应商", "停产预案", None),
            )
        ],
    )

    def issue(
        no: str,
        found: date,
        planned: date | None = None,
        closed: date | None = None,
        **more: object,
    ) -> dict:
        row: dict[str, object] = {
            "问题编号": no,
            "发现日期": found,
            "计划完成日期": planned,
            "关闭日期": closed,
        }
        row.update(more)
        return row

    analysed = {"根本原因": "原因", "纠正措施": "措施", "责任追究": "追究"}
    put_rows(
        book,
        "履约问题",
        [
            issue(
                "IS1",
                D(2025, 6, 1),
                D(2025, 6, 29),
                问题类型="延迟交付",
                合同编号="D2",
                责任人="赵工",
            ),
            issue("IS2", D(2025, 6, 1), T),
            issue("IS3", D(2025, 6, 1), D(2025, 6, 1), D(2025, 6, 15)),
            issue("IS4", D(2025, 6, 1), D(2025, 6, 1), D(2025, 7, 1)),
            issue("IS5", D(2025, 7, 1), D(2025, 6, 1)),  # found after T
            issue("IS6", D(2025, 6, 1), 是否违约="是", 违约方="本方", 根本原因="原因"),
            issue("IS7", D(2025, 6, 1), 是否违约="是", 违约方="本方", **analysed),
            issue("IS8", D(2025, 6, 1), 是否违约="否"),
            issue("IS9", D(2025, 7, 1), 是否违约="是"),
            issue(
                "IS10",
                D(2025, 6, 1),
                是否违约="是",
                违约方="对方",
                纠正措施="措施",
                责任追究="追究",
            ),
        ],
    )
    put_rows(
        book,
        "承诺",
        [
            {
                "承诺编号": no,
                "承诺类型": "约定性",
                "承诺内容": content,
                "兑现期限": deadline,
                "兑现状态": st,
            }
            for no, content, deadline, st in (
                (
                    "CM1",
                    "按合同约定的质量标准交付全部货物并提供完整的技术资料和售后服务",
                    D(2025, 6, 29),
                    "进行中",
                ),
                ("CM2", "到期", T, "未开始"),
                ("CM3", "已兑现", D(2025, 6, 1), "已兑现"),
                ("CM4", "长期", None, "未开始"),
                (
                    "CM5",
                    "交付后三十日内完成安装调试并对用户操作人员进行不少于两天培训",
                    D(2025, 6, 1),
                    None,
                ),
            )
        ],
    )
    put_rows(
        book,
        "履约目标",
        [
            {"目标编号": "O1", "指标": "未关闭高风险数", "目标值": 2, "比较方式": "不高于"},
            {"目标编号": "O2", "指标": "未关闭高风险数", "目标值": 3, "比较方式": "不高于"},
            {"目标编号": "O3", "指标": "供方按时交付率", "目标值": "100%", "比较方式": "不低于"},
        ],
    )
    put_rows(
        book,
        "成文信息",
        [
            {
                "文件编号": "DC1",
                "文件名称": "程序一",
                "文件类别": "程序",
                "状态": "现行",
                "下次评审日期": D(2025, 6, 29),
            },
            {
                "文件编号": "DC2",
                "文件名称": "程序二",
                "文件类别": "程序",
                "状态": "现行",
                "下次评审日期": T,
            },
            {
                "文件编号": "DC3",
                "文件名称": "程序三",
                "文件类别": "程序",
                "状态": "作废",
                "下次评审日期": D(2025, 6, 1),
            },
            {"文件编号": "DC4", "文件名称": "履约档案管理制度", "文件类别": "制度", "状态": "现行"},
            {"文件编号": "DC5", "文件名称": "合同管理制度", "文件类别": "制度", "状态": "作废"},
            {"文件编号": "DC6", "文件名称": "风险管控办法", "文件类别": "程序", "状态": "现行"},
        ],
    )
    return read_records(book)


@functools.cache
def _records() -> Records:
    return _write_book(Path(tempfile.mkdtemp(prefix="alert-rules-")))


def _alerts(start: date = S, end: date = E, as_of: date = T) -> tuple[Alert, ...]:
    """Computed afresh each time: only the records read from the workbook are cached."""
    return tuple(analyse_records(_records(), start, end, as_of).alerts)


@pytest.fixture(scope="module")
def found() -> tuple[Alert, ...]:
    return _alerts()


def of(found: tuple[Alert, ...], code: str) -> list[tuple[str, str, int | None]]:
    return [(a.level, a.record, a.row) for a in found if a.code == code]


def message(found: tuple[Alert, ...], code: str, record: str) -> str:
    (text,) = [a.message for a in found if a.code == code and a.record == record]
    return text


def test_the_blank_settings_are_the_defaults() -> None:
    settings = _records().settings
    assert settings.get("soon_days") is None and settings.get("credit_valid_months") is None


def test_contract_due_soon_and_overdue(found: tuple[Alert, ...]) -> None:
    assert of(found, "CONTRACT_DUE_SOON") == [("中", "D1", 3), ("中", "D3", 5)]
    assert sorted(of(found, "CONTRACT_OVERDUE")) == [
        ("高", "D2", 4),
        ("高", "D6", 8),
        ("高", "D8", 10),
    ]
    assert of(found, "SUPPLIER_DELIVERY_OVERDUE") == [("中", "D10", 12)]
    assert message(found, "CONTRACT_DUE_SOON", "D1") == (
        "合同 D1（D1名称）计划交付日期 2025-06-30，就是今天，尚未交付（负责人 王工）。请确认能按期交付。"
    )
    assert message(found, "CONTRACT_DUE_SOON", "D3") == (
        "合同 D3（D3名称）计划交付日期 2025-07-07，还有 7 天，尚未交付（负责人 （未填））。"
        "请确认能按期交付。"
    )
    assert message(found, "CONTRACT_OVERDUE", "D2") == (
        "合同 D2（D2名称）计划交付日期 2025-06-29，已逾期 1 天仍未交付，相对方 客户乙。"
        "请与客户沟通、采取补救措施，必要时登记履约问题。"
    )
    assert message(found, "SUPPLIER_DELIVERY_OVERDUE", "D10") == (
        "合同 D10（D10名称）计划交付日期 2025-06-29，已逾期 1 天仍未交付。"
        "请催促供应商交付，并在供应商评价中考虑。"
    )


def test_contract_not_reviewed_scope_and_triggers(found: tuple[Alert, ...]) -> None:
    assert sorted(of(found, "CONTRACT_NOT_REVIEWED")) == [
        ("高", "N1", 15),
        ("高", "N12", 30),
        ("高", "N3", 17),
        ("高", "N4", 18),
        ("高", "N7", 21),
        ("高", "N8", 22),
    ]
    assert message(found, "CONTRACT_NOT_REVIEWED", "N1") == (
        "合同 N1（N1名称）签订于 2025-01-01，没有评审日期（未评审）。请查明签订前未评审的原因并防止再次发生；评审记录按实际评审日期填写，不得倒签。"
    )
    assert message(found, "CONTRACT_NOT_REVIEWED", "N7") == (
        "合同 N7（N7名称）签订于 2025-03-01，评审日期 2025-03-02 晚于签订日期。"
        "请查明签订前未评审的原因并防止再次发生；评审记录按实际评审日期填写，不得倒签。"
    )
    assert message(found, "CONTRACT_NOT_REVIEWED", "N8") == (
        "合同 N8（N8名称）签订于 2025-03-01，评审结论为“不通过”却已签订。"
        "请查明签订前未评审的原因并防止再次发生；评审记录按实际评审日期填写，不得倒签。"
    )


def test_contract_not_reviewed_window_is_s_to_min_e_t() -> None:
    # E before T: N4 (signed on T, 已履行) is outside [S, E]; N3 (still 履行中) stays
    early = _alerts(S, D(2025, 6, 29), T)
    assert sorted(r for _, r, _ in of(early, "CONTRACT_NOT_REVIEWED")) == [
        "N1",
        "N12",
        "N3",
        "N7",
        "N8",
    ]
    # T before E: as of 2025-06-29, N4 was not signed yet
    before = _alerts(S, E, D(2025, 6, 29))
    assert sorted(r for _, r, _ in of(before, "CONTRACT_NOT_REVIEWED")) == [
        "N1",
        "N12",
        "N3",
        "N7",
        "N8",
    ]
    # a one-day period on S
    day = _alerts(S, S, D(2025, 7, 1))
    assert sorted(r for _, r, _ in of(day, "CONTRACT_NOT_REVIEWED")) == ["N1", "N3", "N5"]


def test_milestones(found: tuple[Alert, ...]) -> None:
    assert of(found, "MILESTONE_DUE_SOON") == [("低", "ML-1/a", 3), ("低", "ML-1/d", 6)]
    assert of(found, "MILESTONE_OVERDUE") == [
        ("高", "ML-1/c", 5),
        ("中", "ML-1/g", 9),
        ("中", "ML-1/b", 4),
    ]
    assert message(found, "MILESTONE_DUE_SOON", "ML-1/a") == (
        "合同 ML-1 的节点“a”计划 2025-06-30 完成，就是今天（负责人 李工）。"
    )
    assert message(found, "MILESTONE_DUE_SOON", "ML-1/d") == (
        "合同 ML-1 的节点“d”计划 2025-07-07 完成，还有 7 天（负责人 （未填））。"
    )
    assert message(found, "MILESTONE_OVERDUE", "ML-1/c") == (
        "合同 ML-1 的关键节点“c”计划 2025-06-29 完成，已逾期 1 天仍未完成。请跟进并评估对交付的影响。"
    )
    assert message(found, "MILESTONE_OVERDUE", "ML-1/b") == (
        "合同 ML-1 的节点“b”计划 2025-06-29 完成，已逾期 1 天仍未完成。请跟进并评估对交付的影响。"
    )


def test_receivables_and_payables(found: tuple[Alert, ...]) -> None:
    assert of(found, "RECEIVABLE_DUE_SOON") == [("低", "PY-1/1", 3), ("低", "PY-1/3", 5)]
    assert of(found, "RECEIVABLE_OVERDUE") == [
        ("高", "PY-1/7", 9),
        ("高", "PY-1/8", 10),
        ("高", "PY-1/14", 16),
        ("高", "PY-1/2", 4),
    ]
    assert of(found, "PAYABLE_DUE_SOON") == [("中", "PY-1/尾款", 11), ("中", "PY-1/12", 14)]
    assert of(found, "PAYABLE_OVERDUE") == [("高", "PY-1/", 12)]
    assert message(found, "RECEIVABLE_DUE_SOON", "PY-1/3") == (
        "合同 PY-1 第 3 期应收款 1,000.00元于 2025-07-07 到期，还有 7 天，尚未收齐 600.00元。"
    )
    assert message(found, "RECEIVABLE_DUE_SOON", "PY-1/1") == (
        "合同 PY-1 第 1 期应收款 1,000.00元于 2025-06-30 到期，就是今天，尚未收齐 1,000.00元。"
    )
    assert message(found, "RECEIVABLE_OVERDUE", "PY-1/2") == (
        "合同 PY-1 第 2 期应收款于 2025-06-29 到期，已逾期 1 天，尚有 1,000.00元未收。"
        "请催收并评估客户信用。"
    )
    assert message(found, "PAYABLE_DUE_SOON", "PY-1/尾款") == (
        "合同 PY-1 「尾款」应付款 1,000.00元于 2025-06-30 到期，就是今天，尚未付齐 1,000.00元。"
    )
    assert message(found, "PAYABLE_OVERDUE", "PY-1/") == (
        "合同 PY-1 （期次未填）应付款于 2025-06-29 到期，已逾期 1 天，尚有 1,000.00元未付。"
        "请按约定付款，维护供应商关系。"
    )


def test_soon_days_from_the_settings() -> None:
    records = _records()
    one = dataclasses.replace(records, settings={**records.settings, "soon_days": 0})
    got = analyse_records(one, S, E, T).alerts
    assert [a.record for a in got if a.code == "CONTRACT_DUE_SOON"] == ["D1"]
    assert [a.record for a in got if a.code == "RECEIVABLE_DUE_SOON"] == ["PY-1/1"]


def test_supplier_credit_checks(found: tuple[Alert, ...]) -> None:
    assert sorted(of(found, "SUPPLIER_CREDIT_CHECK_DUE")) == [
        ("中", "SC1", 3),
        ("中", "SC2", 4),
        ("中", "SC4", 6),
        ("中", "SC5", 7),
    ]
    assert message(found, "SUPPLIER_CREDIT_CHECK_DUE", "SC1") == (
        "供应商 SC1（SC1公司）没有信用核查记录。请开展信用核查并填写信用核查日期和结论。"
    )
    assert message(found, "SUPPLIER_CREDIT_CHECK_DUE", "SC4") == (
        "供应商 SC4（SC4公司）上次信用核查于 2024-06-29，已于 2025-06-29 超过 12 个月有效期。请重新核查。"
    )
    assert message(found, "SUPPLIER_CREDIT_CHECK_DUE", "SC5") == (
        "供应商 SC5（SC5公司）上次信用核查于 2024-02-29，已于 2025-02-28 超过 12 个月有效期。请重新核查。"
    )
    # the last day a leap-day check is valid, and the day after
    feb = _alerts(D(2025, 1, 1), D(2025, 2, 28), D(2025, 2, 28))
    assert "SC5" not in [r for _, r, _ in of(feb, "SUPPLIER_CREDIT_CHECK_DUE")]
    march = _alerts(D(2025, 1, 1), D(2025, 3, 1), D(2025, 3, 1))
    assert "SC5" in [r for _, r, _ in of(march, "SUPPLIER_CREDIT_CHECK_DUE")]


def test_credit_months_from_the_settings() -> None:
    records = _records()
    eleven = dataclasses.replace(records, settings={**records.settings, "credit_valid_months": 6})
    got = analyse_records(eleven, S, E, T).alerts
    due = sorted(a.record for a in got if a.code == "SUPPLIER_CREDIT_CHECK_DUE")
    # checked 2025-01-05 + 6 months = 2025-07-05: still valid on T
    assert due == ["SC1", "SC2", "SC3", "SC4", "SC5"]
    lapsed = [a.message for a in got if a.code == "SUPPLIER_CREDIT_CHECK_DUE" and a.record == "SC3"]
    assert lapsed == [
        "供应商 SC3（SC3公司）上次信用核查于 2024-06-30，已于 2024-12-30 超过 6 个月有效期。请重新核查。"
    ]


def test_calendar_months_clamp_at_month_and_year_ends() -> None:
    assert add_months(D(2024, 11, 15), 1) == D(2024, 12, 15)
    assert add_months(D(2024, 11, 30), 1) == D(2024, 12, 30)
    assert add_months(D(2024, 12, 31), 1) == D(2025, 1, 31)
    assert add_months(D(2024, 12, 31), 2) == D(2025, 2, 28)
    assert add_months(D(2024, 11, 30), 3) == D(2025, 2, 28)
    assert add_months(D(2023, 12, 31), 2) == D(2024, 2, 29)
    assert add_months(D(2024, 12, 15), 12) == D(2025, 12, 15)
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2024, 2, 29), 12) == D(2025, 2, 28)
    assert add_months(D(2024, 12, 1), 13) == D(2026, 1, 1)
    assert add_months(D(2024, 12, 1), 11) == D(2025, 11, 1)


def test_suppliers_grade_and_agreement(found: tuple[Alert, ...]) -> None:
    assert of(found, "SUPPLIER_CREDIT_ABNORMAL") == [("高", "SC7", 8)]
    assert message(found, "SUPPLIER_CREDIT_ABNORMAL", "SC7") == (
        "供应商 SC7（SC7公司）信用核查结论为“异常”（核查日期 2025-01-05）。请评估是否暂停合作或采取保障措施。"
    )
    # SC8 has one judged delivery (LG-1), fewer than the 3 a grade needs: 未评, no warning
    assert of(found, "SUPPLIER_LOW_GRADE") == [("高", "SC7", 8)]
    assert message(found, "SUPPLIER_LOW_GRADE", "SC7") == (
        "供应商 SC7（SC7公司）：信用核查结论为“异常”，评为 D 级；统计期间内没有到期或验收的支出性合同。"
        "请复核信用状况，评估是否继续合作并采取履约保障措施。"
    )
    one = dataclasses.replace(_records(), settings={"supplier_min_deliveries": 1})
    graded = tuple(analyse_records(one, S, E, T).alerts)
    assert of(graded, "SUPPLIER_LOW_GRADE") == [("高", "SC7", 8), ("高", "SC8", 9)]
    assert message(graded, "SUPPLIER_LOW_GRADE", "SC8") == (
        "供应商 SC8（SC8公司）：统计期间内 1 次交付（到期 1 次中延期 1 次，验收 1 次中不合格 1 次），"
        "综合评分 0.00 分，评为 D 级。样本较少，请约谈核实原因并跟踪后续交付，再决定是否限制新订单。"
    )
    assert of(found, "CORE_SUPPLIER_NO_AGREEMENT") == [("中", "SC9", 10)]
    assert message(found, "CORE_SUPPLIER_NO_AGREEMENT", "SC9") == (
        "核心供应商 SC9（SC9公司）未签履约保障协议。请补签协议。"
    )


def test_high_risks(found: tuple[Alert, ...]) -> None:
    assert of(found, "HIGH_RISK_NO_MEASURE") == [("高", "RK1", 3)]
    assert of(found, "HIGH_RISK_NO_CONTINGENCY") == [("中", "RK1", 3), ("中", "RK5", 7)]
    assert message(found, "HIGH_RISK_NO_MEASURE", "RK1") == (
        "高风险 RK1（关键设备故障，风险值 15）没有应对措施。请制定应对措施并指定责任人。"
    )
    assert message(found, "HIGH_RISK_NO_CONTINGENCY", "RK5") == (
        "高风险 RK5（未描述，风险值 16）没有应急预案。请补充应急预案（7.3.2 c）。"
    )


def test_issues_and_breaches(found: tuple[Alert, ...]) -> None:
    assert sorted(of(found, "ISSUE_OVERDUE")) == [("中", "IS1", 3), ("中", "IS4", 6)]
    assert message(found, "ISSUE_OVERDUE", "IS1") == (
        "履约问题 IS1（延迟交付，合同 D2）计划 2025-06-29 关闭，已逾期 1 天仍未关闭（责任人 赵工）。"
    )
    assert message(found, "ISSUE_OVERDUE", "IS4") == (
        "履约问题 IS4（未分类，合同 （未填））计划 2025-06-01 关闭，已逾期 29 天仍未关闭（责任人 （未填））。"
    )
    assert of(found, "BREACH_NOT_ANALYSED") == [("高", "IS6", 8), ("高", "IS10", 12)]
    assert message(found, "BREACH_NOT_ANALYSED", "IS6") == (
        "违约事件 IS6（发现于 2025-06-01）未填写纠正措施、责任追究。请完成原因分析、纠正措施和责任追究（10.5）。"
    )
    assert message(found, "BREACH_NOT_ANALYSED", "IS10") == (
        "违约事件 IS10（发现于 2025-06-01）未填写根本原因。请完成原因分析、纠正措施和责任追究（10.5）。"
    )


def test_commitments(found: tuple[Alert, ...]) -> None:
    assert of(found, "COMMITMENT_OVERDUE") == [("中", "CM5", 7), ("中", "CM1", 3)]
    assert message(found, "COMMITMENT_OVERDUE", "CM1") == (
        "约定性承诺 CM1（按合同约定的质量标准交付全部货物并提供完整的技术资料和售后服…）兑现期限 2025-06-29 已过，"
        "状态为“进行中”。请兑现并留存证据，或说明原因。"
    )
    assert message(found, "COMMITMENT_OVERDUE", "CM5") == (
        "约定性承诺 CM5（交付后三十日内完成安装调试并对用户操作人员进行不少于两天培训）兑现期限 2025-06-01 已过，状态为“未填”。"
        "请兑现并留存证据，或说明原因。"
    )


def test_objectives_not_met(found: tuple[Alert, ...]) -> None:
    assert of(found, "OBJECTIVE_NOT_MET") == [("高", "O1", 3), ("高", "O3", 5)]
    assert message(found, "OBJECTIVE_NOT_MET", "O1") == (
        "目标 O1：未关闭高风险数实际 3 项，目标不高于 2 项，未达成（2025-01-01 至 2025-12-31）。"
        "请分析原因并制定改进措施。"
    )
    assert message(found, "OBJECTIVE_NOT_MET", "O3") == (
        "目标 O3：供方按时交付率实际 0.0%，目标不低于 100.0%，未达成（2025-01-01 至 2025-12-31）。"
        "请分析原因并制定改进措施。"
    )


def test_documents_and_policies(found: tuple[Alert, ...]) -> None:
    assert of(found, "DOCUMENT_REVIEW_OVERDUE") == [("低", "DC1", 3)]
    assert message(found, "DOCUMENT_REVIEW_OVERDUE", "DC1") == (
        "文件 DC1《程序一》下次评审日期 2025-06-29 已过。请组织评审，必要时修订并更新版本。"
    )
    assert of(found, "REQUIRED_POLICY_MISSING") == [
        ("高", word, None) for word in ("岗位责任", "合作方履约", "合同", "风险管控", "责任追究")
    ]
    assert message(found, "REQUIRED_POLICY_MISSING", "合同") == (
        "缺少现行的《合同（或招投标）履约管理制度》（成文信息中没有文件名称含“合同”、类别为制度、"
        "状态为现行的文件）。请制定、发布并登记该制度（6.3.2）。"
    )


# the audit/review/drill calendar and 管理评审 outputs are tested on their own workbooks below
# (and through the CLI in test_records_alerts.py); this workbook raises every other code
CALENDAR_CODES = {
    "REVIEW_OUTPUT_OVERDUE",
    "INTERNAL_AUDIT_DUE_SOON",
    "INTERNAL_AUDIT_OVERDUE",
    "MANAGEMENT_REVIEW_DUE_SOON",
    "MANAGEMENT_REVIEW_OVERDUE",
    "DRILL_DUE_SOON",
    "DRILL_OVERDUE",
    "RISK_REVIEW_DUE_SOON",
    "RISK_REVIEW_OVERDUE",
}


def test_every_code_is_raised_here_with_its_clause(found: tuple[Alert, ...]) -> None:
    assert set(alerts.CATALOGUE) >= CALENDAR_CODES
    assert {a.code for a in found} - CALENDAR_CODES == set(alerts.CATALOGUE) - CALENDAR_CODES
    for a in found:
        assert a.clause == alerts.CATALOGUE[a.code].clause, a.code


def test_order_level_then_date_then_sheet_then_row(found: tuple[Alert, ...]) -> None:
    levels = [a.level for a in found]
    assert levels == sorted(levels, key=["高", "中", "低"].index)
    high = [(a.date, a.sheet, a.row) for a in found if a.level == "高"]
    dated = [h for h in high if h[0] is not None]
    assert high[: len(dated)] == dated  # blank dates last
    assert dated == sorted(dated, key=lambda h: (h[0], _SHEETS.index(h[1]), h[2]))
    # the same level, date and sheet: by row, whatever the order the rules ran in
    pairs = [(a.code, a.record) for a in found]
    assert pairs.index(("CONTRACT_OVERDUE", "D2")) + 1 == pairs.index(
        ("CONTRACT_NOT_REVIEWED", "N12")
    )
    first = [(a.code, a.record) for a in found[:3]]
    assert first == [
        ("CONTRACT_NOT_REVIEWED", "N3"),  # signed 2024-12-31
        ("CONTRACT_NOT_REVIEWED", "N1"),  # 2025-01-01
        ("SUPPLIER_CREDIT_ABNORMAL", "SC7"),  # 2025-01-05
    ]
    assert [(a.code, a.record) for a in found if a.level == "高"][-9:] == [
        ("OBJECTIVE_NOT_MET", "O1"),  # no date: by sheet (履约目标, 供应商, 风险机遇, 成文信息)
        ("OBJECTIVE_NOT_MET", "O3"),  # then by row
        ("SUPPLIER_LOW_GRADE", "SC7"),
        ("HIGH_RISK_NO_MEASURE", "RK1"),
        ("REQUIRED_POLICY_MISSING", "岗位责任"),
        ("REQUIRED_POLICY_MISSING", "合作方履约"),
        ("REQUIRED_POLICY_MISSING", "合同"),
        ("REQUIRED_POLICY_MISSING", "风险管控"),
        ("REQUIRED_POLICY_MISSING", "责任追究"),
    ]
    low = [(a.code, a.record) for a in found if a.level == "低"]
    assert low == [
        ("DOCUMENT_REVIEW_OVERDUE", "DC1"),
        ("MILESTONE_DUE_SOON", "ML-1/a"),
        ("RECEIVABLE_DUE_SOON", "PY-1/1"),
        ("MILESTONE_DUE_SOON", "ML-1/d"),
        ("RECEIVABLE_DUE_SOON", "PY-1/3"),
    ]


_SHEETS = [
    "基本信息",
    "设置",
    "履约目标",
    "承诺",
    "合同台账",
    "履约节点",
    "款项",
    "供应商",
    "风险机遇",
    "履约问题",
    "成文信息",
]


# --- the calendar: 管理评审 outputs, the yearly internal audit, management review, drills and
# risk reviews. Three small workbooks of their own (设置 blank: N = 7), judged in-process at
# T = 2025-06-30 (T + N = 2025-07-07) unless an as-of date says otherwise.

DECISION_30 = "修订合同评审程序并组织全员培训，确保签订前评审率达到百分之百"
DECISION_31 = "增配一名专职履约管理员负责台账维护和预警跟踪并按月向管理层汇报"
RISK_20 = "钢材价格上涨导致采购成本超出预算百分之十"
RISK_21 = "钢材价格上涨导致采购成本超出预算百分之十五"
AUDIT_TODO = "请策划并实施内部审核（可用“生成内审资料”准备计划和检查表），在「审核记录」登记发现。"
REVIEW_TODO = (
    "请准备管理评审输入（“生成管理评审输入报告”）并召开管理评审，在「管理评审」登记决定事项。"
)
DRILL_TODO = "请组织演练，填写最近演练日期和演练评价。"
RISK_TODO = "请重新评估可能性和影响程度、更新应对措施，并填写新的评审日期。"


def _blank_settings_book(folder: Path, name: str) -> Path:
    book = make_book(folder, name)
    set_items(book, "设置", {"临近预警天数": None, "信用核查有效期（月）": None})
    return book


def _calendar_book(folder: Path) -> Records:
    """管理评审 outputs, 内审 records, drills and risk reviews on both sides of every boundary."""
    book = _blank_settings_book(folder, "日历.xlsx")
    held = D(2025, 1, 15)

    def output(
        no: str, reviewed: date, decision: str, deadline: date | None, **more: object
    ) -> dict:
        return {
            "事项编号": no,
            "评审日期": reviewed,
            "决定事项": decision,
            "完成期限": deadline,
            **more,
        }

    put_rows(
        book,
        "管理评审",
        [
            output("PS-1", held, DECISION_30, D(2025, 6, 29), 状态="进行中", 责任部门="综合部"),
            output("PS-2", held, "修订合同评审程序", T, 状态="未开始"),  # due on T: not yet
            output("PS-3", held, "上线履约台账", D(2025, 3, 1), 状态="已完成"),
            output("PS-4", held, DECISION_31, D(2025, 6, 1)),  # row 6: status and department blank
            output("PS-5", D(2025, 7, 1), "尚未召开的评审", D(2025, 6, 1), 状态="进行中"),
            output("PS-6", T, "当天评审的决定", D(2025, 6, 20), 状态="进行中", 责任部门="采购部"),
            output("PS-7", held, "长期事项", None, 状态="进行中"),  # no deadline
        ],
    )
    put_rows(
        book,
        "审核记录",
        [
            {"记录编号": no, "审核类型": kind, "审核日期": day}
            for no, kind, day in (
                ("SH-1", "内审", D(2024, 6, 20)),  # row 3
                ("SH-2", "内审", D(2024, 7, 5)),
                ("SH-3", "外审", D(2024, 8, 1)),  # later, but not an internal audit
                ("SH-4", "内审", D(2024, 6, 29)),
                ("SH-5", "内审", D(2025, 7, 10)),  # after every T below but the last
                ("SH-6", "内审", D(2024, 7, 5)),  # row 8: the same day as SH-2, a later row
                ("GP-1", "管理评审", D(2024, 5, 1)),
            )
        ],
    )
    put_rows(
        book,
        "应急预案",
        [
            {"预案编号": no, "预案名称": name, "最近演练日期": day}
            for no, name, day in (
                ("YJ-1", "断供", D(2024, 6, 29)),  # row 3: due T − 1
                ("YJ-2", "停电", D(2024, 6, 30)),  # due T
                ("YJ-3", "火灾", D(2024, 7, 7)),  # due T + N
                ("YJ-4", "罢工", D(2024, 7, 8)),  # due T + N + 1
                ("YJ-5", "疫情", None),
                ("YJ-6", "洪水", T),  # drilled on T
                ("YJ-7", "网络中断", D(2025, 7, 1)),  # drilled after T
                ("YJ-8", "断电", D(2024, 2, 29)),  # row 10: due 2025-02-28
            )
        ],
    )
    put_rows(
        book,
        "风险机遇",
        [
            {
                "编号": no,
                "类型": kind,
                "描述": text,
                "可能性": 2,
                "影响程度": 2,
                "状态": status,
                "评审日期": day,
            }
            for no, kind, text, status, day in (
                ("R-1", "风险", RISK_21, "处置中", D(2024, 6, 29)),  # row 3: due T − 1
                ("R-2", "风险", "已关闭的风险", "已关闭", D(2024, 1, 1)),
                ("O-1", "机遇", "新客户", "未处置", D(2024, 1, 1)),
                ("R-3", "风险", RISK_20, None, D(2024, 7, 7)),  # due T + N
                ("R-4", "风险", "人员流失", "未处置", D(2024, 7, 8)),  # due T + N + 1
                ("R-5", "风险", "汇率波动", "未处置", D(2024, 6, 30)),  # row 8: due T
                ("R-6", "风险", "从未评审", "未处置", None),
                ("O-2", "机遇", "已关闭的机遇", "已关闭", D(2024, 1, 1)),
            )
        ],
    )
    return read_records(book)


def _reviews_book(folder: Path, name: str, outputs: tuple, audits: tuple) -> Records:
    book = _blank_settings_book(folder, name)
    put_rows(
        book,
        "管理评审",
        [
            {"事项编号": no, "评审日期": day, "决定事项": "决定", "状态": "已完成"}
            for no, day in outputs
        ],
    )
    put_rows(
        book,
        "审核记录",
        [{"记录编号": no, "审核类型": kind, "审核日期": day} for no, kind, day in audits],
    )
    return read_records(book)


@functools.cache
def _calendar_books() -> dict[str, Records]:
    folder = Path(tempfile.mkdtemp(prefix="alert-calendar-"))
    return {
        "calendar": _calendar_book(folder),
        # the latest management review is a 管理评审 row (PS-2), the audits' one is older
        "outputs": _reviews_book(
            folder,
            "评审输出.xlsx",
            (
                ("PS-1", D(2024, 6, 20)),
                ("PS-2", D(2024, 7, 3)),  # row 4
                ("PS-3", D(2024, 6, 25)),
                ("PS-4", D(2025, 7, 1)),  # after T
            ),
            (("GP-1", "管理评审", D(2024, 6, 28)), ("NS-1", "内审", D(2024, 7, 6))),
        ),
        # the latest is an 审核记录 row of type 管理评审 (GP-2), the 管理评审 sheet's is older
        "audits": _reviews_book(
            folder,
            "审核评审.xlsx",
            (("PS-1", D(2024, 6, 20)),),
            (
                ("GP-1", "管理评审", D(2024, 6, 28)),
                ("GP-2", "管理评审", D(2024, 7, 2)),  # row 4
                ("GP-3", "管理评审", D(2024, 6, 10)),
                ("NS-1", "内审", D(2024, 7, 6)),  # later, but not a management review
                ("GP-4", "管理评审", D(2025, 8, 1)),  # after every T below
            ),
        ),
    }


Raised = tuple[str, str, str, int | None, str, str, date | None]


def calendar(
    book: str, codes: str, as_of: date = T, soon: int | None = None
) -> tuple[list[Raised], dict[str, str]]:
    """The alerts whose code starts with ``codes`` as (code, level, sheet, row, record, clause,
    date), in the engine's order, and their messages by record."""
    records = _calendar_books()[book]
    if soon is not None:
        records = dataclasses.replace(records, settings={**records.settings, "soon_days": soon})
    got = [a for a in analyse_records(records, S, E, as_of).alerts if a.code.startswith(codes)]
    return (
        [(a.code, a.level, a.sheet, a.row, a.record, a.clause, a.date) for a in got],
        {a.record: a.message for a in got},
    )


def test_calendar_fixtures_have_the_lengths_they_claim() -> None:
    assert [len(DECISION_30), len(DECISION_31), len(RISK_20), len(RISK_21)] == [30, 31, 20, 21]
    settings = _calendar_books()["calendar"].settings
    assert settings.get("soon_days") is None


def test_review_outputs_overdue_in_process() -> None:
    got, text = calendar("calendar", "REVIEW_OUTPUT_OVERDUE")
    assert got == [
        ("REVIEW_OUTPUT_OVERDUE", "中", "管理评审", 6, "PS-4", "10.4", D(2025, 6, 1)),
        ("REVIEW_OUTPUT_OVERDUE", "中", "管理评审", 8, "PS-6", "10.4", D(2025, 6, 20)),
        ("REVIEW_OUTPUT_OVERDUE", "中", "管理评审", 3, "PS-1", "10.4", D(2025, 6, 29)),
    ]
    assert text["PS-1"] == (
        "管理评审（2025-01-15）决定事项 PS-1「修订合同评审程序并组织全员培训，确保签订前评审率达到百分之百」"
        "完成期限 2025-06-29，已逾期 1 天，状态为“进行中”（责任部门 综合部）。"
        "请督办落实，完成后把状态改为“已完成”。"
    )
    assert text["PS-4"] == (
        "管理评审（2025-01-15）决定事项 PS-4「增配一名专职履约管理员负责台账维护和预警跟踪并按月向管理层汇…」"
        "完成期限 2025-06-01，已逾期 29 天，状态为“未开始”（责任部门 （未填））。"
        "请督办落实，完成后把状态改为“已完成”。"
    )
    # a review held on T counts on T
    assert text["PS-6"] == (
        "管理评审（2025-06-30）决定事项 PS-6「当天评审的决定」完成期限 2025-06-20，已逾期 10 天，"
        "状态为“进行中”（责任部门 采购部）。请督办落实，完成后把状态改为“已完成”。"
    )


def test_review_outputs_overdue_the_day_after() -> None:
    # PS-2's deadline (the old T) has passed, and PS-5's review of 07-01 has now been held
    got, text = calendar("calendar", "REVIEW_OUTPUT_OVERDUE", D(2025, 7, 1))
    assert [(r[3], r[4]) for r in got] == [
        (6, "PS-4"),
        (7, "PS-5"),
        (8, "PS-6"),
        (3, "PS-1"),
        (4, "PS-2"),
    ]
    assert "完成期限 2025-06-30，已逾期 1 天，状态为“未开始”" in text["PS-2"]
    assert text["PS-5"].startswith("管理评审（2025-07-01）决定事项 PS-5「尚未召开的评审」")


def test_internal_audit_latest_of_several_in_process() -> None:
    # the latest 内审 not after T is SH-2/SH-6 (2024-07-05, the later row wins); 外审 SH-3 and
    # the 2025-07-10 audit do not count
    got, text = calendar("calendar", "INTERNAL_AUDIT")
    assert got == [
        ("INTERNAL_AUDIT_DUE_SOON", "低", "审核记录", 8, "SH-6", "附录A", D(2025, 7, 5)),
    ]
    assert text["SH-6"] == (
        "年度内部审核上次在 2024-07-05，按每 12 个月一次应在 2025-07-05 前再做，还有 5 天。"
        + AUDIT_TODO
    )


@pytest.mark.parametrize(
    ("as_of", "expected", "state"),
    [
        (D(2025, 6, 27), [], None),  # due on T + N + 1
        (D(2025, 6, 28), [("INTERNAL_AUDIT_DUE_SOON", "低")], "还有 7 天"),  # T + N
        (D(2025, 7, 5), [("INTERNAL_AUDIT_DUE_SOON", "低")], "就是今天"),  # T
        (D(2025, 7, 6), [("INTERNAL_AUDIT_OVERDUE", "中")], "已逾期 1 天"),  # T − 1
        (D(2025, 7, 10), [], None),  # the internal audit of T starts a new year
    ],
)
def test_internal_audit_boundaries_in_process(
    as_of: date, expected: list[tuple[str, str]], state: str | None
) -> None:
    got, text = calendar("calendar", "INTERNAL_AUDIT", as_of)
    assert [(r[0], r[1]) for r in got] == expected
    assert all(r[2:] == ("审核记录", 8, "SH-6", "附录A", D(2025, 7, 5)) for r in got)
    if state is not None:
        assert text["SH-6"] == (
            f"年度内部审核上次在 2024-07-05，按每 12 个月一次应在 2025-07-05 前再做，{state}。"
            + AUDIT_TODO
        )


def test_management_review_from_the_review_sheet_in_process() -> None:
    got, text = calendar("outputs", "MANAGEMENT_REVIEW")
    assert got == [
        ("MANAGEMENT_REVIEW_DUE_SOON", "低", "管理评审", 4, "PS-2", "10.4", D(2025, 7, 3)),
    ]
    assert text["PS-2"] == (
        "管理评审上次在 2024-07-03，按每 12 个月一次应在 2025-07-03 前再做，还有 3 天。"
        + REVIEW_TODO
    )


def test_management_review_from_the_audit_records_in_process() -> None:
    got, text = calendar("audits", "MANAGEMENT_REVIEW")
    assert got == [
        ("MANAGEMENT_REVIEW_DUE_SOON", "低", "审核记录", 4, "GP-2", "10.4", D(2025, 7, 2)),
    ]
    assert text["GP-2"] == (
        "管理评审上次在 2024-07-02，按每 12 个月一次应在 2025-07-02 前再做，还有 2 天。"
        + REVIEW_TODO
    )


@pytest.mark.parametrize(
    ("as_of", "expected", "state"),
    [
        (D(2025, 6, 24), [], None),  # due on T + N + 1
        (D(2025, 6, 25), [("MANAGEMENT_REVIEW_DUE_SOON", "低")], "还有 7 天"),  # T + N
        (D(2025, 7, 2), [("MANAGEMENT_REVIEW_DUE_SOON", "低")], "就是今天"),  # T
        (D(2025, 7, 3), [("MANAGEMENT_REVIEW_OVERDUE", "中")], "已逾期 1 天"),  # T − 1
    ],
)
def test_management_review_boundaries_in_process(
    as_of: date, expected: list[tuple[str, str]], state: str | None
) -> None:
    got, text = calendar("audits", "MANAGEMENT_REVIEW", as_of)
    assert [(r[0], r[1]) for r in got] == expected
    assert all(r[2:] == ("审核记录", 4, "GP-2", "10.4", D(2025, 7, 2)) for r in got)
    if state is not None:
        assert text["GP-2"] == (
            f"管理评审上次在 2024-07-02，按每 12 个月一次应在 2025-07-02 前再做，{state}。"
            + REVIEW_TODO
        )


def test_drills_per_plan_in_process() -> None:
    got, text = calendar("calendar", "DRILL")
    assert got == [
        ("DRILL_OVERDUE", "中", "应急预案", 10, "YJ-8", "9.7", D(2025, 2, 28)),
        ("DRILL_OVERDUE", "中", "应急预案", 3, "YJ-1", "9.7", D(2025, 6, 29)),
        ("DRILL_DUE_SOON", "低", "应急预案", 4, "YJ-2", "9.7", T),
        ("DRILL_DUE_SOON", "低", "应急预案", 5, "YJ-3", "9.7", D(2025, 7, 7)),
    ]
    head = "应急预案 {}《{}》的演练上次在 {}，按每 12 个月一次应在 {} 前再做，{}。" + DRILL_TODO
    assert text == {
        "YJ-8": head.format("YJ-8", "断电", "2024-02-29", "2025-02-28", "已逾期 122 天"),
        "YJ-1": head.format("YJ-1", "断供", "2024-06-29", "2025-06-29", "已逾期 1 天"),
        "YJ-2": head.format("YJ-2", "停电", "2024-06-30", "2025-06-30", "就是今天"),
        "YJ-3": head.format("YJ-3", "火灾", "2024-07-07", "2025-07-07", "还有 7 天"),
    }


@pytest.mark.parametrize(
    ("as_of", "expected", "state"),
    [
        (D(2025, 2, 20), [], None),  # 2024-02-29 + 12 months = 2025-02-28 = T + N + 1
        (D(2025, 2, 21), ["DRILL_DUE_SOON"], "还有 7 天"),
        (D(2025, 2, 28), ["DRILL_DUE_SOON"], "就是今天"),
        (D(2025, 3, 1), ["DRILL_OVERDUE"], "已逾期 1 天"),
    ],
)
def test_leap_day_drill_clamps_to_the_end_of_february_in_process(
    as_of: date, expected: list[str], state: str | None
) -> None:
    got, text = calendar("calendar", "DRILL", as_of)
    assert [(r[0], r[4], r[6]) for r in got] == [
        (code, "YJ-8", D(2025, 2, 28)) for code in expected
    ]
    if state is not None:
        assert text["YJ-8"] == (
            f"应急预案 YJ-8《断电》的演练上次在 2024-02-29，按每 12 个月一次应在 2025-02-28 前再做，"
            f"{state}。" + DRILL_TODO
        )


def test_calendar_window_follows_the_soon_days_setting() -> None:
    # N = 400: a drill on T is due in 365 days, one after T is still not known
    got, text = calendar("calendar", "DRILL_DUE_SOON", soon=400)
    assert [(r[4], r[6]) for r in got] == [
        ("YJ-2", T),
        ("YJ-3", D(2025, 7, 7)),
        ("YJ-4", D(2025, 7, 8)),
        ("YJ-6", D(2026, 6, 30)),
    ]
    assert text["YJ-6"].endswith("应在 2026-06-30 前再做，还有 365 天。" + DRILL_TODO)
    # N = 0: only what is due on T
    got, _ = calendar("calendar", "DRILL_DUE_SOON", soon=0)
    assert [r[4] for r in got] == ["YJ-2"]


def test_risk_reviews_of_open_risks_in_process() -> None:
    got, text = calendar("calendar", "RISK_REVIEW")
    assert got == [
        ("RISK_REVIEW_OVERDUE", "中", "风险机遇", 3, "R-1", "10.3", D(2025, 6, 29)),
        ("RISK_REVIEW_DUE_SOON", "低", "风险机遇", 8, "R-5", "10.3", T),
        ("RISK_REVIEW_DUE_SOON", "低", "风险机遇", 6, "R-3", "10.3", D(2025, 7, 7)),
    ]
    head = "风险 {}（{}）的评审上次在 {}，按每 12 个月一次应在 {} 前再做，{}。" + RISK_TODO
    assert text == {
        "R-1": head.format("R-1", RISK_20 + "…", "2024-06-29", "2025-06-29", "已逾期 1 天"),
        "R-5": head.format("R-5", "汇率波动", "2024-06-30", "2025-06-30", "就是今天"),
        "R-3": head.format("R-3", RISK_20, "2024-07-07", "2025-07-07", "还有 7 天"),
    }


def test_no_calendar_warning_without_calendar_records(found: tuple[Alert, ...]) -> None:
    # the first workbook has no 管理评审, 审核记录 or 应急预案 rows and no 评审日期 of risks
    assert [a.code for a in found if a.code in CALENDAR_CODES] == []
