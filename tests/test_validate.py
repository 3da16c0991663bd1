"""`check`: every data problem in one pass, as values with Chinese messages (DESIGN §2, §5)."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from helpers import make_book, put_rows, run_cli, set_items, sha256
from lyue_xl import schema
from lyue_xl.errors import LyueError
from lyue_xl.validate import Problem, Report, check_file, check_records
from lyue_xl.workbook.reader import read_records

D = date


def contract(no: str, **changes: object) -> dict[str, object]:
    """A clean 收入性 contract, still being performed; ``changes`` override labels."""
    row: dict[str, object] = {
        "合同编号": no,
        "合同名称": f"{no} 设备维护服务",
        "合同性质": "收入性",
        "相对方": "甲方客户有限公司",
        "签订日期": D(2025, 2, 1),
        "评审日期": D(2025, 1, 25),
        "评审结论": "通过",
        "合同金额（元）": 100000,
        "计划交付日期": D(2025, 6, 30),
        "履行状态": "履行中",
        "负责人": "张三",
    }
    row.update(changes)
    return row


def fill_clean(book: Path) -> None:
    """A small, realistic workbook a careful 履约管理员 would keep: `check` finds nothing."""
    set_items(
        book,
        "基本信息",
        {
            "统一社会信用代码": "91310000MA1K000000",
            "最高管理者": "王总",
            "履约管理负责人": "李经理",
            "体系范围": "设备维护服务",
            "履约愿景": "守合同、重信用",
            "履约能力方针": "诚信履约，持续改进",
            "方针发布日期": D(2025, 1, 2),
        },
    )
    set_items(
        book,
        "设置",
        {
            "统计开始日期": D(2025, 1, 1),
            "统计结束日期": D(2025, 12, 31),
            "基准日期": D(2025, 9, 30),
        },
    )
    put_rows(
        book,
        "履约目标",
        [
            {
                "目标编号": "MB-1",
                "指标": "合同履约率",
                "目标值": "98%",
                "比较方式": "不低于",
                "责任部门": "业务部",
            },
            {
                "目标编号": "MB-2",
                "指标": "违约次数",
                "目标值": 0,
                "比较方式": "不高于",
                "责任部门": "业务部",
            },
            {
                "目标编号": "MB-3",
                "指标": "客户满意度",
                "目标值": 90,
                "比较方式": "不低于",
                "责任部门": "客服部",
            },
            {
                "目标编号": "MB-4",
                "指标": "回款率",
                "目标值": 0.95,
                "比较方式": "不低于",
                "责任部门": "财务部",
            },
        ],
    )
    put_rows(
        book,
        "承诺",
        [
            {
                "承诺编号": "CN-1",
                "承诺类型": "约定性",
                "承诺内容": "24 小时内响应报修",
                "依据": "服务合同第 5 条",
                "责任部门": "客服部",
                "兑现期限": "长期",
                "兑现状态": "进行中",
            },
            {
                "承诺编号": "CN-2",
                "承诺类型": "规定性",
                "承诺内容": "按时缴纳社保",
                "依据": "社会保险法",
                "责任部门": "人事部",
                "兑现期限": D(2025, 6, 30),
                "兑现状态": "已兑现",
                "兑现证据": "社保缴费凭证 2025-06",
            },
        ],
    )
    put_rows(
        book,
        "供应商",
        [
            {
                "供应商编号": "GYS-1",
                "供应商名称": "乙方配件有限公司",
                "供应类别": "配件",
                "信用核查日期": D(2025, 1, 10),
                "信用核查结论": "良好",
                "核心供应商": "是",
                "履约保障协议": "是",
            }
        ],
    )
    put_rows(
        book,
        "合同台账",
        [
            contract(
                "HT-001",
                实际交付日期=D(2025, 6, 20),
                验收结果="合格",
                履行状态="已履行",
                客户满意度=95,
            ),
            contract("HT-002", 计划交付日期=D(2025, 11, 30)),
            contract(
                "CG-001",
                合同名称="配件采购",
                合同性质="支出性",
                相对方="乙方配件有限公司",
                供应商编号="GYS-1",
                计划交付日期=D(2025, 3, 31),
                实际交付日期=D(2025, 3, 28),
                验收结果="合格",
                履行状态="已履行",
            ),
        ],
    )
    put_rows(
        book,
        "履约节点",
        [
            {
                "合同编号": "HT-001",
                "节点名称": "设备进场",
                "计划完成日期": D(2025, 3, 1),
                "实际完成日期": D(2025, 3, 1),
                "关键节点": "是",
                "负责人": "张三",
            },
            {"合同编号": "HT-002", "节点名称": "方案确认", "计划完成日期": D(2025, 10, 15)},
        ],
    )
    put_rows(
        book,
        "款项",
        [
            {
                "合同编号": "HT-001",
                "收付类型": "收款",
                "期次": "1",
                "应收付日期": D(2025, 3, 1),
                "应收付金额（元）": 30000,
                "实收付日期": D(2025, 3, 5),
                "实收付金额（元）": 30000,
            },
            {
                "合同编号": "HT-001",
                "收付类型": "收款",
                "期次": "尾款",
                "应收付日期": D(2025, 7, 20),
                "应收付金额（元）": 70000,
            },
            {
                "合同编号": "CG-001",
                "收付类型": "付款",
                "期次": "1",
                "应收付日期": D(2025, 4, 15),
                "应收付金额（元）": 20000,
                "实收付日期": D(2025, 4, 10),
                "实收付金额（元）": 20000,
            },
        ],
    )
    put_rows(
        book,
        "风险机遇",
        [
            {
                "编号": "FX-1",
                "类型": "风险",
                "描述": "关键配件断供",
                "来源": "供应链",
                "可能性": 3,
                "影响程度": 5,
                "应对措施": "备选供应商",
                "应急预案": "启用库存",
                "责任人": "李四",
                "计划完成日期": D(2025, 12, 31),
                "状态": "处置中",
                "评审日期": D(2025, 6, 30),
            }
        ],
    )
    put_rows(
        book,
        "履约问题",
        [
            {
                "问题编号": "WT-1",
                "合同编号": "HT-001",
                "发现日期": D(2025, 5, 10),
                "问题类型": "延迟交付",
                "是否违约": "是",
                "违约方": "本方",
                "问题描述": "设备到货晚 3 天",
                "根本原因": "排产计划不足",
                "纠正措施": "调整排产",
                "责任追究": "通报批评",
                "补偿措施": "延长保修",
                "责任人": "张三",
                "计划完成日期": D(2025, 5, 31),
                "关闭日期": D(2025, 5, 28),
                "状态": "已关闭",
            },
            {
                "问题编号": "WT-2",
                "合同编号": "HT-002",
                "发现日期": D(2025, 9, 1),
                "问题类型": "客户投诉",
                "是否违约": "否",
                "问题描述": "回访不及时",
                "计划完成日期": D(2025, 10, 15),
                "状态": "处理中",
            },
        ],
    )
    policies = ["岗位责任", "履约档案", "合作方履约", "合同", "风险管控", "责任追究"]
    put_rows(
        book,
        "成文信息",
        [
            {
                "文件编号": "LY-SC-01",
                "文件名称": "履约管理手册",
                "文件类别": "手册",
                "版本": "A/0",
                "发布日期": D(2025, 1, 2),
                "批准人": "王总",
                "下次评审日期": D(2026, 1, 2),
                "状态": "现行",
            }
        ]
        + [
            {
                "文件编号": f"LY-ZD-0{n}",
                "文件名称": f"{word}管理制度",
                "文件类别": "制度",
                "版本": "A/0",
                "发布日期": D(2025, 1, 2),
                "批准人": "王总",
                "下次评审日期": D(2026, 1, 2),
                "状态": "现行",
            }
            for n, word in enumerate(policies, 1)
        ],
    )


@pytest.fixture(scope="module")
def clean_original(tmp_path_factory: pytest.TempPathFactory) -> Path:
    book = make_book(tmp_path_factory.mktemp("clean"))
    fill_clean(book)
    return book


@pytest.fixture
def clean(clean_original: Path, tmp_path: Path) -> Path:
    """A fresh copy of the clean workbook (built once per module: openpyxl saves are slow)."""
    return Path(shutil.copy(clean_original, tmp_path / clean_original.name))


def key(p: Problem) -> tuple[object, ...]:
    return (p.code, p.level, p.sheet, p.row, p.column)


def test_clean_workbook_has_no_problems(clean: Path) -> None:
    report = check_file(clean)
    assert [p.message for p in report.problems] == []
    assert report.ok
    assert report.as_json() == {"ok": True, "problems": []}


def test_blank_template_has_no_problems(tmp_path: Path) -> None:
    assert check_file(make_book(tmp_path)).problems == []


def seed_mistakes(book: Path) -> set[tuple[object, ...]]:
    """One mistake of each kind; returns the exact (code, level, sheet, row, column) expected."""
    E, W = "错误", "警告"
    want: set[tuple[object, ...]] = set()

    set_items(book, "设置", {"统计开始日期": D(2026, 1, 1)})  # after 统计结束日期 2025-12-31
    want.add(("contradiction", E, "设置", 3, "统计开始日期(B)"))

    r = put_rows(
        book,
        "履约目标",
        [
            {"目标编号": "MB-9", "指标": "违约次数", "目标值": "2%", "比较方式": "不高于"},
            {"目标编号": "MB-10", "指标": "按时交付率", "目标值": 0.9},
        ],
    )
    want |= {
        ("number-invalid", E, "履约目标", r[0], "目标值(C)"),
        ("required-missing", E, "履约目标", r[1], "比较方式(D)"),
    }

    r = put_rows(
        book,
        "承诺",
        [
            {"承诺编号": "CN-9", "承诺类型": "自愿性", "承诺内容": "免费巡检", "兑现期限": "明年"},
            {"承诺编号": "CN-10", "承诺类型": "自愿性", "承诺内容": "回访", "兑现状态": "已兑现"},
        ],
    )
    want |= {
        ("date-invalid", E, "承诺", r[0], "兑现期限(F)"),
        ("evidence-missing", W, "承诺", r[1], "兑现证据(H)"),
    }

    r = put_rows(
        book,
        "合同台账",
        [
            contract("HT-101", 签订日期=None),
            contract("HT-102", 签订日期="2025/13/01"),
            contract("HT-103", **{"合同金额（元）": "十二万"}),
            contract("HT-104", 履行状态="完成"),
            contract("HT-001"),  # duplicate of the clean workbook's first contract (row 3)
            contract("CG-101", 合同性质="支出性", 供应商编号="GYS-999"),
            contract("HT-106", 实际交付日期=D(2025, 1, 5)),
            contract("HT-107", 履行状态="已履行"),
            contract("HT-108", 评审日期=D(2025, 2, 3)),
            contract("CG-109", 合同性质="支出性"),
            contract("HT-110", 签订日期="2025/2/1"),
            contract("HT-111", **{"合同金额（元）": "1,234.5元"}),
            contract("HT-112", 客户满意度=120),
            contract("HT-113", 计划交付日期=D(2025, 1, 1)),
            contract("HT-114", 验收结果="合格"),
        ],
    )
    want |= {
        ("required-missing", E, "合同台账", r[0], "签订日期(F)"),
        ("date-invalid", E, "合同台账", r[1], "签订日期(F)"),
        ("number-invalid", E, "合同台账", r[2], "合同金额（元）(I)"),
        ("choice-invalid", E, "合同台账", r[3], "履行状态(M)"),
        ("duplicate-id", E, "合同台账", r[4], "合同编号(A)"),
        ("ref-unknown", E, "合同台账", r[5], "供应商编号(E)"),
        ("contradiction", E, "合同台账", r[6], "实际交付日期(K)"),
        ("contradiction", E, "合同台账", r[7], "履行状态(M)"),
        ("contradiction", W, "合同台账", r[8], "评审日期(G)"),
        ("contradiction", W, "合同台账", r[9], "供应商编号(E)"),
        ("text-date", W, "合同台账", r[10], "签订日期(F)"),
        ("text-number", W, "合同台账", r[11], "合同金额（元）(I)"),
        ("number-invalid", E, "合同台账", r[12], "客户满意度(N)"),
        ("contradiction", W, "合同台账", r[13], "计划交付日期(J)"),
        ("contradiction", W, "合同台账", r[14], "验收结果(L)"),
    }

    r = put_rows(
        book,
        "履约节点",
        [
            {"合同编号": "HT-999", "节点名称": "进场", "计划完成日期": D(2025, 3, 1)},
            {
                "合同编号": "HT-002",
                "节点名称": "勘察",
                "计划完成日期": D(2025, 3, 1),
                "实际完成日期": D(2025, 1, 20),  # before HT-002 was signed (2025-02-01)
            },
            {"合同编号": "HT-001", "节点名称": "设备进场", "计划完成日期": D(2025, 3, 2)},
        ],
    )
    want |= {
        ("ref-unknown", E, "履约节点", r[0], "合同编号(A)"),
        ("contradiction", W, "履约节点", r[1], "实际完成日期(D)"),
        ("duplicate-id", W, "履约节点", r[2], "节点名称(B)"),
    }

    base = {"收付类型": "收款", "应收付日期": D(2025, 8, 1), "应收付金额（元）": 5000}
    r = put_rows(
        book,
        "款项",
        [
            {**base, "合同编号": "HT-998", "期次": "1"},
            {
                **base,
                "合同编号": "HT-002",
                "期次": "1",
                "实收付日期": D(2025, 8, 1),
                "实收付金额（元）": 6000,
            },
            {**base, "合同编号": "HT-002", "期次": "2", "实收付金额（元）": 5000},
            {**base, "合同编号": "HT-002", "期次": "3", "实收付日期": D(2025, 8, 2)},
            {**base, "合同编号": "CG-001", "收付类型": "收款", "期次": "9"},
            {**base, "合同编号": "HT-002", "期次": "2"},
        ],
    )
    want |= {
        ("ref-unknown", E, "款项", r[0], "合同编号(A)"),
        ("contradiction", W, "款项", r[1], "实收付金额（元）(G)"),
        ("contradiction", W, "款项", r[2], "实收付日期(F)"),
        ("contradiction", W, "款项", r[3], "实收付金额（元）(G)"),
        ("contradiction", W, "款项", r[4], "收付类型(B)"),
        ("duplicate-id", W, "款项", r[5], "期次(C)"),
    }

    r = put_rows(
        book,
        "供应商",
        [
            {"供应商编号": "GYS-1", "供应商名称": "重复登记的供应商"},
            {"供应商编号": "GYS-2", "供应商名称": "丙公司", "信用核查结论": "良好"},
        ],
    )
    want |= {
        ("duplicate-id", E, "供应商", r[0], "供应商编号(A)"),
        ("contradiction", W, "供应商", r[1], "信用核查日期(D)"),
    }

    r = put_rows(book, "风险机遇", [{"编号": "FX-9", "类型": "风险", "可能性": 6, "影响程度": 2}])
    want.add(("number-invalid", E, "风险机遇", r[0], "可能性(E)"))

    issue = {"发现日期": D(2025, 6, 1), "问题类型": "其他", "合同编号": "HT-001"}
    r = put_rows(
        book,
        "履约问题",
        [
            {**issue, "问题编号": "WT-11", "状态": "已关闭"},
            {**issue, "问题编号": "WT-12", "状态": "处理中", "关闭日期": D(2025, 6, 5)},
            {**issue, "问题编号": "WT-13", "是否违约": "是"},
            {**issue, "问题编号": "WT-14", "合同编号": "HT-997"},
            {**issue, "问题编号": "WT-15", "关闭日期": D(2025, 5, 1)},
            {**issue, "问题编号": "WT-16", "违约方": "对方"},
        ],
    )
    want |= {
        ("status-mismatch", W, "履约问题", r[0], "状态(O)"),
        ("status-mismatch", W, "履约问题", r[1], "状态(O)"),
        ("contradiction", W, "履约问题", r[2], "违约方(F)"),
        ("ref-unknown", E, "履约问题", r[3], "合同编号(B)"),
        ("contradiction", W, "履约问题", r[4], "关闭日期(N)"),
        ("contradiction", W, "履约问题", r[5], "是否违约(E)"),
    }

    r = put_rows(
        book,
        "成文信息",
        [
            {
                "文件编号": "LY-JL-01",
                "文件名称": "合同评审记录",
                "文件类别": "规章",
                "状态": "现行",
            },
            {"文件编号": "LY-JL-02", "文件名称": "培训记录"},
        ],
    )
    want |= {
        ("choice-invalid", E, "成文信息", r[0], "文件类别(C)"),
        ("required-missing", E, "成文信息", r[1], "文件类别(C)"),
        ("required-missing", E, "成文信息", r[1], "状态(H)"),
    }

    r = put_rows(
        book,
        "变更记录",
        [{"变更编号": "BG-1", "变更日期": D(2025, 4, 1), "合同编号": "HT-996", "变更内容": "延期"}],
    )
    want.add(("ref-unknown", E, "变更记录", r[0], "合同编号(C)"))

    wb = openpyxl.load_workbook(book)
    wb["合同台账"].delete_cols(15)  # 负责人 (O), the last column
    del wb["持续改进"]
    wb.save(book)
    want |= {
        ("column-missing", W, "合同台账", None, "负责人"),
        ("sheet-missing", W, "持续改进", None, ""),
    }
    return want


def test_one_mistake_of_each_kind_is_reported_exactly(clean: Path) -> None:
    want = seed_mistakes(clean)
    report = check_file(clean)
    got = [key(p) for p in report.problems]
    assert len(got) == len(set(got)), "a cell is reported twice"
    assert set(got) - want == set(), "unexpected problems"
    assert want - set(got) == set(), "missed problems"
    assert not report.ok


def test_problems_are_sorted_by_sheet_row_column(clean: Path) -> None:
    seed_mistakes(clean)
    problems = check_file(clean).problems
    order = {s.name: i for i, s in enumerate(schema.SHEETS)}

    def letter_index(column: str) -> int:
        m = re.search(r"\(([A-Z]+)\)$", column)
        return int("".join(f"{ord(ch) - 64:02d}" for ch in m.group(1))) if m else -1

    keys = [(order[p.sheet], p.row or 0, letter_index(p.column)) for p in problems]
    assert keys == sorted(keys)
    assert [p.sheet for p in problems][:2] == ["设置", "履约目标"]


def test_messages_name_row_column_letter_and_value(clean: Path) -> None:
    seed_mistakes(clean)
    problems = check_file(clean).problems
    for p in problems:
        m = p.message
        assert m.startswith(f"「{p.sheet}」"), m
        if p.row is not None:
            assert f"第{p.row}行「{p.column}」：" in m, m
            assert re.search(r"\([A-Z]+\)$", p.column), p.column
        if p.value not in (None, ""):
            assert f"（填写的是“{p.value}”）" in m, m
        assert m.endswith("。"), m
        for junk in ("nan", "NaN", "None", "NaT", "Timestamp", "00:00:00", "Traceback"):
            assert junk not in m, m
        # no English: once the column letter and quoted values are taken out, no Latin letters
        prose = re.sub(r"“[^”]*”|Excel|WPS", "", m.replace(f"「{p.column}」", ""))
        assert not re.search(r"[A-Za-z]", prose), m
    by_key = {(p.code, p.sheet, p.row): p for p in problems}
    bad_date = next(p for p in problems if p.code == "date-invalid" and p.sheet == "合同台账")
    assert bad_date.message == (
        f"「合同台账」第{bad_date.row}行「签订日期(F)」：不是真实存在的日期"
        "（填写的是“2025/13/01”）。请按 2025-07-20 的格式填写真实存在的日期。"
    )
    dup = next(
        p
        for (code, sheet, _), p in by_key.items()
        if code == "duplicate-id" and sheet == "合同台账"
    )
    assert "与第3行的合同编号重复" in dup.message
    late = next(p for p in problems if p.column == "实际交付日期(K)")
    assert late.value == "2025-01-05"
    assert "早于签订日期 2025-02-01" in late.message
    text_date = next(p for p in problems if p.code == "text-date" and p.sheet == "合同台账")
    assert "分列" in text_date.message and "实时指标" in text_date.message
    assert text_date.level == "警告"
    percent = next(p for p in problems if p.sheet == "履约目标" and p.code == "number-invalid")
    assert "违约次数" in percent.message and "不带 %" in percent.message


def test_json_shape(clean: Path) -> None:
    seed_mistakes(clean)
    data = check_file(clean).as_json()
    assert set(data) == {"ok", "problems"}
    assert data["ok"] is False
    text = json.dumps(data, ensure_ascii=False, allow_nan=False)  # NaN would raise
    assert json.loads(text) == data
    for item in data["problems"]:
        assert list(item) == ["code", "level", "sheet", "row", "column", "value", "message"]
        assert item["level"] in ("错误", "警告")
        assert item["row"] is None or isinstance(item["row"], int)
        assert isinstance(item["value"], str | int | float | bool | type(None))


def test_warnings_only_is_ok(clean: Path) -> None:
    put_rows(clean, "合同台账", [contract("HT-201", 签订日期="2025年2月1日")])
    report = check_file(clean)
    assert [(p.code, p.level) for p in report.problems] == [("text-date", "警告")]
    assert report.ok
    assert report.problems[0].value == "2025年2月1日"


def test_long_term_deadline_and_far_dates(clean: Path) -> None:
    r = put_rows(
        clean,
        "承诺",
        [
            {
                "承诺编号": "CN-20",
                "承诺类型": "自愿性",
                "承诺内容": "终身维护",
                "兑现期限": "长期有效",
            },
            {
                "承诺编号": "CN-21",
                "承诺类型": "自愿性",
                "承诺内容": "保密",
                "兑现期限": "9999-12-31",
            },
            {
                "承诺编号": "CN-22",
                "承诺类型": "自愿性",
                "承诺内容": "质保",
                "兑现期限": D(1905, 1, 1),
            },
        ],
    )
    got = {key(p) for p in check_file(clean).problems}
    assert got == {
        ("date-invalid", "错误", "承诺", r[1], "兑现期限(F)"),
        ("date-range", "警告", "承诺", r[2], "兑现期限(F)"),
    }


def test_cells_read_as_empty_are_not_reported_twice(clean: Path) -> None:
    r = put_rows(
        clean,
        "款项",
        [
            {
                "合同编号": "HT-002",
                "收付类型": "收款",
                "应收付日期": D(2025, 8, 1),
                "应收付金额（元）": 5000,
                "实收付日期": "上周",
                "实收付金额（元）": 5000,
            }
        ],
    )
    got = [key(p) for p in check_file(clean).problems]
    assert got == [("date-invalid", "错误", "款项", r[0], "实收付日期(F)")]


def test_unreadable_optional_sheet_is_a_warning_not_a_stop(clean: Path) -> None:
    wb = openpyxl.load_workbook(clean)
    ws = wb["培训记录"]
    ws.delete_cols(1)  # 培训编号, a required column
    wb.save(clean)
    problems = check_file(clean).problems
    assert [key(p) for p in problems] == [("sheet-unreadable", "警告", "培训记录", None, "")]
    assert "培训编号" in problems[0].message


def test_cannot_start_is_lyue_error(tmp_path: Path) -> None:
    with pytest.raises(LyueError, match="找不到文件"):
        check_file(tmp_path / "没有.xlsx")
    book = make_book(tmp_path)
    wb = openpyxl.load_workbook(book)
    del wb["款项"]
    wb.save(book)
    before = sha256(book)
    with pytest.raises(LyueError, match="款项"):
        check_file(book)
    assert sha256(book) == before


def test_check_records_is_the_same_pass(clean: Path) -> None:
    seed_mistakes(clean)
    records = read_records(clean)
    report = check_records(records)
    assert isinstance(report, Report)
    assert report.problems == check_file(clean).problems


def test_cli_check_exit_codes(clean: Path, tmp_path: Path) -> None:
    code, out, _ = run_cli("check", clean, "--json")
    assert code == 0 and json.loads(out) == {"ok": True, "problems": []}
    seed_mistakes(clean)
    code, out, _ = run_cli("check", clean, "--json")
    assert code == 1 and json.loads(out)["ok"] is False
    code, _, err = run_cli("check", tmp_path / "没有.xlsx")
    assert code == 2 and "找不到文件" in err and "Traceback" not in err


def test_negative_amounts_and_targets_out_of_range(tmp_path: Path) -> None:
    """number-range: a negative 金额 (0 is fine); a rate target above 100 (100 itself and a
    非比率 target above 100 are fine); a negative target (0 is fine)."""
    book = make_book(tmp_path)
    common = {"合同性质": "收入性", "相对方": "客户", "签订日期": D(2025, 2, 1)}
    rows = put_rows(
        book,
        "合同台账",
        [
            {"合同编号": "HT-1", "合同名称": "甲", "合同金额（元）": -500, **common},
            {"合同编号": "HT-2", "合同名称": "乙", "合同金额（元）": 0, **common},
            {"合同编号": "HT-3", "合同名称": "丙", "合同金额（元）": 300, **common},
        ],
    )
    targets = put_rows(
        book,
        "履约目标",
        [
            {"目标编号": "MB-1", "指标": "合同履约率", "目标值": 100.5, "比较方式": "不低于"},
            {"目标编号": "MB-2", "指标": "按时交付率", "目标值": 100, "比较方式": "不低于"},
            {"目标编号": "MB-3", "指标": "客户满意度", "目标值": 101, "比较方式": "不低于"},
            {"目标编号": "MB-4", "指标": "违约次数", "目标值": -1, "比较方式": "不高于"},
            {"目标编号": "MB-5", "指标": "违约次数", "目标值": 0, "比较方式": "不高于"},
        ],
    )
    got = [
        (p.code, p.level, p.sheet, p.row, p.column, p.message)
        for p in check_file(book).problems
        if p.code == "number-range"
    ]
    assert got == [
        (
            "number-range",
            "警告",
            "履约目标",
            targets[0],
            "目标值(C)",
            f"「履约目标」第{targets[0]}行「目标值(C)」：比率类指标的目标值超过 100%"
            "（填写的是“100.5”）。比率目标请填 0.98、98 或 98%（不超过 100%）。",
        ),
        (
            "number-range",
            "警告",
            "履约目标",
            targets[3],
            "目标值(C)",
            f"「履约目标」第{targets[3]}行「目标值(C)」：目标值为负数（填写的是“-1”）。请核对目标值。",
        ),
        (
            "number-range",
            "警告",
            "合同台账",
            rows[0],
            "合同金额（元）(I)",
            f"「合同台账」第{rows[0]}行「合同金额（元）(I)」：金额为负数（填写的是“-500”）。"
            "金额应不小于 0（元）；退款、冲减请在备注中说明或另行登记。",
        ),
    ]


def test_a_header_that_is_not_a_column_of_the_sheet(tmp_path: Path) -> None:
    """column-unknown, sorted before the column-missing of the header it replaced."""
    book = make_book(tmp_path)
    wb = openpyxl.load_workbook(book)
    ws = wb["合同台账"]
    labels = [c.value for c in ws[2]]
    assert labels[15] == "评审部门"
    ws.cell(2, 16).value = "内部备注"
    wb.save(book)
    got = [
        (p.code, p.level, p.row, p.column, p.value, p.message) for p in check_file(book).problems
    ]
    assert got == [
        (
            "column-unknown",
            "警告",
            None,
            "内部备注(P)",
            "内部备注",
            "「合同台账」「内部备注(P)」：第2行表头“内部备注”不是本表的列，程序不读取该列"
            "（填写的是“内部备注”）。这一列仅供您自己使用时无需处理；如果它就是本表的某一列，"
            "请改为模板中的列名（合同编号、合同名称、合同性质、相对方、供应商编号、签订日期 等）。",
        ),
        (
            "column-missing",
            "警告",
            None,
            "评审部门",
            None,
            "「合同台账」「评审部门」：表头中没有“评审部门”列，该列按空白处理。"
            "如需记录，请在第2行表头中加上“评审部门”。",
        ),
    ]
