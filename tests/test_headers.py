"""Tolerant labels: renamed headers are read by the schema's synonyms, and `check` says so."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import openpyxl

from helpers import fold, make_book, put_rows, run_cli
from lyue_xl import schema
from lyue_xl.headers import clean, match_row
from lyue_xl.validate import check_file
from lyue_xl.workbook.reader import read_records
from test_reader import hand_made


def test_no_synonym_names_two_columns_of_one_sheet() -> None:
    for sheet in schema.SHEETS:
        seen: dict[str, str] = {}
        for col in sheet.columns:
            for name in (col.label, *schema.label_synonyms(sheet, col)):
                form = clean(name)
                assert seen.setdefault(form, col.key) == col.key, (sheet.name, name)
    for (sheet_key, col_key), words in schema.VALUE_SYNONYMS.items():
        col = schema.BY_KEY[sheet_key].column(col_key)
        assert set(words.values()) <= set(col.choices), (sheet_key, col_key)
    assert not set(schema.YES_FORMS) & set(schema.NO_FORMS)


def test_labels_match_exactly_never_by_containment() -> None:
    sheet = schema.CONTRACTS
    found = match_row(
        sheet, ["合同", "合同编号（必填）", "*签约日期", "金额(万元)", "备注", "合同号"]
    )
    assert {k: (m.index, m.factor) for k, m in found.columns.items()} == {
        "contract_no": (1, 1.0),
        "signed_on": (2, 1.0),
        "amount": (3, 10_000.0),
    }
    assert found.unplaced == [(0, "合同"), (4, "备注")]
    assert found.duplicates == [(5, "合同号", "contract_no")]  # the label beats the synonym


def _renamed(tmp_path: Path) -> Path:
    rows = [
        ["2025 年合同登记表"],
        [
            "合同号",
            "项目名称",
            "性质",
            "签约日期",
            "交货期",
            "实际交付日期",
            "状态",
            "金额（万元）",
            "经办人",
            "合同编码",
        ],
        [
            "HT-1",
            "甲",
            "收入性",
            date(2025, 1, 5),
            date(2025, 3, 1),
            date(2025, 2, 20),
            "已履行",
            3,
            "张",
            "x",
        ],
        [
            "HT-2",
            "乙",
            "收入性",
            date(2025, 1, 6),
            date(2025, 4, 1),
            date(2025, 4, 9),
            "已完成",
            1.5,
            "李",
            "y",
        ],
        [
            "HT-3",
            "丙",
            "收入性",
            date(2025, 1, 7),
            date(2025, 5, 1),
            None,
            "执行中",
            "2万",
            "王",
            "z",
        ],
    ]
    return hand_made(tmp_path / "改过表头.xlsx", {"合同台账": rows})


def test_renamed_headers_are_read_with_units_and_status_words(tmp_path: Path) -> None:
    records = read_records(_renamed(tmp_path), need=["contracts"])
    frame = records["contracts"]
    assert frame["contract_no"].tolist() == ["HT-1", "HT-2", "HT-3"]
    assert frame["amount"].tolist() == [30_000.0, 15_000.0, 20_000.0]
    assert frame["state"].tolist() == ["已履行", "已履行", "履行中"]
    assert frame["owner"].tolist() == ["张", "李", "王"]
    assert frame["planned_delivery"].tolist()[1].date() == date(2025, 4, 1)


def test_check_says_which_header_it_took_and_what_it_ignores(tmp_path: Path) -> None:
    report = check_file_contracts(_renamed(tmp_path))
    header = [
        (p.code, p.column, p.value) for p in report if p.row is None and p.code != "column-missing"
    ]
    assert ("column-synonym", "合同编号(A)", "合同号") in header
    assert ("column-synonym", "合同金额（元）(H)", "金额（万元）") in header
    assert ("column-duplicate", "合同编码(J)", "合同编码") in header
    messages = {p.column: p.message for p in report if p.row is None}
    assert "×10000 换算为元" in messages["合同金额（元）(H)"]
    assert "程序只读取 A 列" in messages["合同编码(J)"]
    words = [(p.code, p.row, p.value) for p in report if p.code == "choice-synonym"]
    assert words == [("choice-synonym", 4, "已完成"), ("choice-synonym", 5, "执行中")]
    assert "已按“履行中”读取" in next(
        p.message for p in report if p.row == 5 and p.code == "choice-synonym"
    )


def check_file_contracts(path: Path) -> list:  # type: ignore[type-arg]
    """`check` on a workbook that has only 合同台账: the template's other sheets are added."""
    book = make_book(path.parent, "整本.xlsx")
    source = openpyxl.load_workbook(path)["合同台账"]
    target = openpyxl.load_workbook(book)
    ws = target["合同台账"]
    ws.delete_rows(1, ws.max_row)
    for row in source.iter_rows(values_only=True):
        ws.append(list(row))
    target.save(book)
    return check_file(book).problems


def test_renamed_amount_column_keeps_the_amount_rate(tmp_path: Path) -> None:
    """Measured in issue #12: 合同金额 without （元） used to make 合同履约率（金额） 无数据."""
    book = make_book(tmp_path)
    put_rows(
        book,
        "合同台账",
        [
            {
                "合同编号": "HT-1",
                "合同名称": "a",
                "合同性质": "收入性",
                "签订日期": date(2025, 1, 1),
                "计划交付日期": date(2025, 2, 1),
                "实际交付日期": date(2025, 1, 30),
                "履行状态": "已履行",
                "合同金额（元）": 3000,
            },
            {
                "合同编号": "HT-2",
                "合同名称": "b",
                "合同性质": "收入性",
                "签订日期": date(2025, 1, 1),
                "计划交付日期": date(2025, 3, 1),
                "合同金额（元）": 1000,
            },
        ],
    )
    wb = openpyxl.load_workbook(book)
    ws = wb["合同台账"]
    for cell in next(
        c for c in ws.iter_rows() if any(fold(x.value) == fold("合同金额（元）") for x in c)
    ):
        if cell.value and fold(cell.value) == fold("合同金额（元）"):
            cell.value = "合同金额"
    wb.save(book)
    code, out, err = run_cli("indicators", book, "--as-of", "2025-06-30", "--json")
    assert code == 0, err
    value = {i["key"]: i["value"] for i in json.loads(out)["indicators"]}
    assert value["fulfillment_rate_amount"] == 0.75


def test_yes_no_variants_are_read_and_named(tmp_path: Path) -> None:
    book = make_book(tmp_path)
    put_rows(
        book,
        "供应商",
        [
            {"供应商编号": "S1", "供应商名称": "a", "核心供应商": "Y", "履约保障协议": "是"},
            {"供应商编号": "S2", "供应商名称": "b", "核心供应商": "×", "履约保障协议": "√"},
            {"供应商编号": "S3", "供应商名称": "c", "核心供应商": "否", "履约保障协议": "也许"},
        ],
    )
    records = read_records(book)
    assert records["suppliers"]["core"].tolist() == [True, False, False]
    assert records["suppliers"]["agreement"].tolist() == [True, True, False]
    found = [
        (p.code, p.level, p.row, p.value) for p in check_file(book).problems if p.sheet == "供应商"
    ]
    rows = sorted(r for _, _, r, _ in found)
    first = rows[0]
    assert ("yesno-variant", "警告", first, "Y") in found
    assert ("yesno-variant", "警告", first + 1, "×") in found
    assert ("yesno-variant", "警告", first + 1, "√") in found
    assert ("choice-invalid", "错误", first + 2, "也许") in found
    assert len([f for f in found if f[0] == "yesno-variant"]) == 3
    text = next(p.message for p in check_file(book).problems if p.value == "×")
    assert "已按“否”读取" in text
