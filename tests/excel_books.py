"""A small firm's ledger for the Excel-side tests: made by the product, filled by header labels
(``helpers.put_rows``)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from helpers import put_rows, set_items, sha256
from lyue_xl.workbook.template import new_workbook

__all__ = ["AS_OF", "contract", "filled_book", "put_rows", "set_items", "sha256"]

AS_OF = date(2025, 7, 20)


def contract(no: str, nature: str = "收入性", **fields: object) -> dict[str, object]:
    row: dict[str, object] = {
        "合同编号": no,
        "合同名称": f"{no} 合同",
        "合同性质": nature,
        "相对方": "甲方公司",
        "签订日期": date(2025, 1, 10),
        "评审日期": date(2025, 1, 8),
        "评审结论": "通过",
        "合同金额（元）": 100000,
        "计划交付日期": date(2025, 6, 30),
        "负责人": "张三",
    }
    row.update(fields)
    return row


def filled_book(folder: Path, name: str = "台账.xlsx") -> Path:
    """A small firm's ledger exercising contracts, suppliers, risks, payments and objectives."""
    path = new_workbook(folder / name, "测试科技有限公司")
    set_items(path, "设置", {"基准日期": AS_OF, "统计开始日期": date(2025, 1, 1)})
    put_rows(
        path,
        "合同台账",
        [
            contract(
                "HT-1",
                实际交付日期=date(2025, 6, 20),
                验收结果="合格",
                履行状态="已履行",
                客户满意度=92,
            ),
            contract("HT-2", **{"计划交付日期": date(2025, 7, 1), "合同金额（元）": "12万"}),
            contract(
                "HT-3",
                "支出性",
                供应商编号="GYS-1",
                计划交付日期=date(2025, 5, 31),
                实际交付日期=date(2025, 6, 5),
                验收结果="合格",
                履行状态="已履行",
            ),
            contract("HT-4", 计划交付日期="2025/7/25", 相对方='=HYPERLINK("x")'),
        ],
    )
    put_rows(
        path,
        "款项",
        [
            {
                "合同编号": "HT-1",
                "收付类型": "收款",
                "期次": "1",
                "应收付日期": date(2025, 3, 1),
                "应收付金额（元）": 50000,
                "实收付日期": date(2025, 3, 5),
                "实收付金额（元）": 50000,
            },
            {
                "合同编号": "HT-2",
                "收付类型": "收款",
                "期次": "1",
                "应收付日期": date(2025, 6, 1),
                "应收付金额（元）": 60000,
            },
        ],
    )
    put_rows(
        path,
        "履约节点",
        [
            {
                "合同编号": "HT-2",
                "节点名称": "初验",
                "计划完成日期": date(2025, 6, 15),
                "实际完成日期": date(2025, 6, 14),
                "关键节点": "是",
            },
            {"合同编号": "HT-2", "节点名称": "终验", "计划完成日期": date(2025, 7, 10)},
        ],
    )
    put_rows(
        path,
        "供应商",
        [
            {"供应商编号": "GYS-1", "供应商名称": "乙供应商", "信用核查结论": "良好"},
            {"供应商编号": "GYS-2", "供应商名称": "丙供应商", "信用核查结论": "异常"},
        ],
    )
    put_rows(
        path,
        "风险机遇",
        [
            {"编号": "R-1", "类型": "风险", "描述": "关键人员流失", "可能性": 4, "影响程度": 4},
            {"编号": "R-2", "类型": "风险", "描述": "原材料涨价", "可能性": 2, "影响程度": 3},
        ],
    )
    put_rows(
        path,
        "履约目标",
        [
            {
                "目标编号": "MB-1",
                "指标": "合同履约率",
                "目标值": "95%",
                "比较方式": "不低于",
                "责任部门": "销售部",
            }
        ],
    )
    put_rows(
        path,
        "履约问题",
        [
            {
                "问题编号": "WT-1",
                "合同编号": "HT-2",
                "发现日期": date(2025, 7, 5),
                "问题类型": "延迟交付",
                "是否违约": "是",
                "违约方": "本方",
                "问题描述": "=1+1 交付延误",
                "计划完成日期": date(2025, 7, 15),
            }
        ],
    )
    put_rows(
        path,
        "承诺",
        [
            {
                "承诺编号": "CN-1",
                "承诺类型": "约定性",
                "承诺内容": "按期交付",
                "兑现期限": date(2025, 6, 30),
                "兑现状态": "已兑现",
            }
        ],
    )
    return path
