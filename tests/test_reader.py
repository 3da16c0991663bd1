"""The reader finds sheets and columns by their labels, however a user laid them out (DESIGN §2)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from helpers import make_book, put_rows, set_items, sha256
from lyue_xl.errors import LyueError
from lyue_xl.workbook.reader import read_records

CONTRACT_HEADER = ["合同编号", "合同名称", "合同性质", "签订日期", "计划交付日期"]


def hand_made(path: Path, sheets: dict[str, Sequence[Sequence[object]]]) -> Path:
    """A workbook as a user might build it by hand: each sheet's rows exactly as given."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for r, values in enumerate(rows, start=1):
            for c, value in enumerate(values, start=1):
                if value is not None:
                    ws.cell(row=r, column=c, value=value)
    book.save(path)
    return path


def contracts_only(tmp_path: Path, rows: Sequence[Sequence[object]]) -> pd.DataFrame:
    path = hand_made(tmp_path / "手工台账.xlsx", {"合同台账": rows})
    return read_records(path, need=["contracts"])["contracts"]


def test_header_is_found_under_title_rows_and_excel_rows_are_kept(tmp_path: Path) -> None:
    rows = [
        ["某某公司合同台账"],
        ["2025 年度", None, "制表：李四"],
        [],
        ["说明：每份合同一行"],
        CONTRACT_HEADER,
        ["HT-1", "维护", "收入性", date(2025, 1, 2), date(2025, 3, 1)],
        ["HT-2", "安装", "支出性", date(2025, 2, 2), date(2025, 4, 1)],
    ]
    path = hand_made(tmp_path / "a.xlsx", {"合同台账": rows})
    records = read_records(path, need=["contracts"])
    table = records.tables["contracts"]
    assert table.header_row == 5
    assert table.frame["row"].tolist() == [6, 7]
    assert table.frame["contract_no"].tolist() == ["HT-1", "HT-2"]


def test_columns_in_any_order_unknown_columns_ignored(tmp_path: Path) -> None:
    header = ["备注", "计划交付日期", "合同编号", "内部序号", "签订日期", "合同性质", "合同名称"]
    rows = [
        header,
        ["加急", date(2025, 3, 1), "HT-1", 17, date(2025, 1, 2), "收入性", "维护"],
    ]
    path = hand_made(tmp_path / "a.xlsx", {"合同台账": rows})
    table = read_records(path, need=["contracts"]).tables["contracts"]
    rec = table.frame.iloc[0]
    assert rec["contract_no"] == "HT-1"
    assert rec["name"] == "维护"
    assert rec["signed_on"] == pd.Timestamp(2025, 1, 2)
    assert rec["planned_delivery"] == pd.Timestamp(2025, 3, 1)
    assert table.letters["contract_no"] == "C"
    assert table.letters["signed_on"] == "E"
    assert table.label("signed_on") == "签订日期(E)"
    assert "备注" not in table.frame.columns and "内部序号" not in table.frame.columns
    # optional columns that are not there read as empty and are listed as missing
    assert "相对方" in [c.label for c in table.missing]
    assert rec["counterparty"] == "" and pd.isna(rec["amount"])


def test_blank_rows_are_skipped(tmp_path: Path) -> None:
    frame = contracts_only(
        tmp_path,
        [
            CONTRACT_HEADER + ["备注"],
            ["HT-1", "维护", "收入性", date(2025, 1, 2), date(2025, 3, 1)],
            [],
            ["   ", None, " "],  # only spaces
            [None, None, None, None, None, "只有备注的行"],  # nothing in a known column
            ["HT-2", "安装", "收入性", date(2025, 1, 3), date(2025, 3, 2)],
        ],
    )
    assert frame["row"].tolist() == [2, 6]
    assert frame["contract_no"].tolist() == ["HT-1", "HT-2"]


def test_labels_match_after_folding_widths_and_spaces(tmp_path: Path) -> None:
    header = [" 合同编号 ", "合同 名称", "合同性质", "签订日期", "计划交付日期", "合同金额(元)"]
    frame = contracts_only(
        tmp_path,
        [header, ["HT-1", "维护", "收入性", date(2025, 1, 2), date(2025, 3, 1), 1234.5]],
    )
    assert frame["amount"].tolist() == [1234.5]
    assert frame["name"].tolist() == ["维护"]


def test_text_dates_in_all_four_forms(tmp_path: Path) -> None:
    forms = ["2025-07-20", "2025/7/20", "2025.7.20", "2025年7月20日"]
    rows = [CONTRACT_HEADER] + [
        [f"HT-{i}", "维护", "收入性", text, date(2025, 9, 1)] for i, text in enumerate(forms)
    ]
    path = hand_made(tmp_path / "a.xlsx", {"合同台账": rows})
    records = read_records(path, need=["contracts"])
    frame = records["contracts"]
    assert frame["signed_on"].tolist() == [pd.Timestamp(2025, 7, 20)] * 4
    assert [(i.code, i.level, i.row, i.letter, i.value) for i in records.issues] == [
        ("text-date", "警告", r, "D", text) for r, text in zip(range(2, 6), forms, strict=True)
    ]
    assert records.skipped_cells == 0


def test_datetimes_are_truncated_and_bad_cells_read_as_empty(tmp_path: Path) -> None:
    rows = [
        CONTRACT_HEADER + ["合同金额（元）", "履行状态", "客户满意度"],
        [
            "HT-1",
            "维护",
            "收入性",
            datetime(2025, 7, 20, 15, 30),
            "2025/13/01",
            "十万",
            "差不多完成",
            101,
        ],
    ]
    path = hand_made(tmp_path / "a.xlsx", {"合同台账": rows})
    records = read_records(path, need=["contracts"])
    rec = records["contracts"].iloc[0]
    assert rec["signed_on"] == pd.Timestamp(2025, 7, 20)
    assert pd.isna(rec["planned_delivery"]) and pd.isna(rec["amount"])
    assert rec["state"] == "" and pd.isna(rec["satisfaction"])
    assert sorted((i.code, i.column) for i in records.issues) == [
        ("choice-invalid", "履行状态"),
        ("date-invalid", "计划交付日期"),
        ("number-invalid", "合同金额（元）"),
        ("number-invalid", "客户满意度"),
    ]
    assert records.skipped_cells == 4


def test_real_dates_outside_the_usable_range_read_as_empty(tmp_path: Path) -> None:
    """Date cells (not text) beyond 2199 or before 1900: reported and read as empty; the
    column's other dates, with a time of day dropped, are read as usual."""
    rows = [
        CONTRACT_HEADER,
        ["HT-1", "维护", "收入性", datetime(2025, 7, 20, 15, 30), date(9999, 12, 31)],
        ["HT-2", "维护", "收入性", date(2025, 7, 21), date(2200, 1, 1)],
        ["HT-3", "维护", "收入性", None, date(2199, 12, 31)],
    ]
    path = hand_made(tmp_path / "a.xlsx", {"合同台账": rows})
    records = read_records(path, need=["contracts"])
    frame = records["contracts"]
    assert frame["signed_on"].tolist()[:2] == [pd.Timestamp(2025, 7, 20), pd.Timestamp(2025, 7, 21)]
    assert pd.isna(frame["signed_on"].iloc[2])
    planned = frame["planned_delivery"]
    assert planned.isna().tolist() == [True, True, False]
    assert planned.iloc[2] == pd.Timestamp(2199, 12, 31)
    assert [(i.code, i.level, i.row, i.letter) for i in records.issues] == [
        ("date-invalid", "错误", 2, "E"),
        ("date-invalid", "错误", 3, "E"),
    ]


def test_missing_core_sheet_is_lyue_error_naming_it(tmp_path: Path) -> None:
    path = hand_made(
        tmp_path / "缺表.xlsx",
        {
            "合同台账": [
                CONTRACT_HEADER,
                ["HT-1", "维护", "收入性", date(2025, 1, 2), date(2025, 3, 1)],
            ]
        },
    )
    before = sha256(path)
    with pytest.raises(LyueError) as err:
        read_records(path)
    message = str(err.value)
    assert "缺表.xlsx" in message
    for name in ("「款项」", "「供应商」", "「履约节点」", "「设置」"):
        assert name in message
    assert "「合同台账」" not in message
    assert sha256(path) == before


def test_missing_required_column_is_lyue_error_naming_it(tmp_path: Path) -> None:
    header = ["合同编号", "合同名称", "合同性质", "计划交付日期"]  # no 签订日期
    path = hand_made(tmp_path / "a.xlsx", {"合同台账": [header, ["HT-1", "维护", "收入性", 1]]})
    with pytest.raises(LyueError) as err:
        read_records(path, need=["contracts"])
    assert "「合同台账」" in str(err.value) and "「签订日期」" in str(err.value)


def test_sheet_without_header_is_lyue_error(tmp_path: Path) -> None:
    path = hand_made(tmp_path / "a.xlsx", {"合同台账": [["序号", "备注"], ["HT-1", "维护"]]})
    with pytest.raises(LyueError, match="找不到表头"):
        read_records(path, need=["contracts"])


def test_optional_sheet_that_cannot_be_read_does_not_stop(tmp_path: Path) -> None:
    path = hand_made(
        tmp_path / "a.xlsx",
        {
            "合同台账": [CONTRACT_HEADER],
            "培训记录": [["培训主题", "培训日期"], ["合同法", date(2025, 3, 1)]],  # no 培训编号
        },
    )
    records = read_records(path, need=["contracts"])
    assert not records.tables["training"].present
    assert "培训编号" in records.unreadable["training"]
    with pytest.raises(LyueError, match="培训编号"):
        read_records(path, need=["contracts", "training"])


def test_template_round_trip_by_labels(tmp_path: Path) -> None:
    book = make_book(tmp_path, org="测试公司")
    put_rows(
        book,
        "款项",
        [
            {
                "合同编号": "HT-1",
                "收付类型": "收款",
                "期次": 1,
                "应收付日期": date(2025, 3, 1),
                "应收付金额（元）": "3万",
                "实收付日期": "2025年3月5日",
                "实收付金额(元)": 30000,
            }
        ],
    )
    put_rows(
        book,
        "履约目标",
        [
            {"目标编号": "MB-1", "指标": "合同履约率", "目标值": "98%", "比较方式": "不低于"},
            {"目标编号": "MB-2", "指标": "违约次数", "目标值": "5%", "比较方式": "不高于"},
            {"目标编号": "MB-3", "指标": "客户满意度", "目标值": 90, "比较方式": "不低于"},
        ],
    )
    put_rows(
        book,
        "承诺",
        [{"承诺编号": "CN-1", "承诺类型": "自愿性", "承诺内容": "终身维护", "兑现期限": "长期"}],
    )
    set_items(book, "设置", {"基准日期": date(2025, 6, 30), "临近预警天数": 10})
    records = read_records(book)
    assert records.org_name == "测试公司"
    assert records.settings["as_of"] == date(2025, 6, 30)
    assert records.settings["soon_days"] == 10
    assert records.settings["credit_valid_months"] == 12
    assert records.item_rows[("settings", "as_of")] == 5
    pay = records["payments"].iloc[0]
    assert (pay["row"], pay["installment"], pay["due_amount"]) == (3, "1", 30000.0)
    assert pay["paid_on"] == pd.Timestamp(2025, 3, 5)
    targets = records["objectives"]["target"].tolist()
    assert targets[0] == pytest.approx(0.98) and pd.isna(targets[1]) and targets[2] == 90
    assert pd.isna(records["commitments"]["deadline"].iloc[0])
    assert sorted((i.sheet, i.code, i.row) for i in records.issues) == [
        ("履约目标", "number-invalid", 4),
        ("款项", "text-date", 3),
        ("款项", "text-number", 3),
    ]
