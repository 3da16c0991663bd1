"""`lyue-xl fix-types`: after it, 「实时指标」 (LibreOffice-recalculated) equals `indicators --json`
on a workbook full of text dates, text amounts, status words and a 万元 column."""

from __future__ import annotations

import json
import shutil
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from helpers import make_book, put_rows, run_cli, set_items, sha256
from lyue_xl.workbook.reader import read_records
from lyue_xl.workbook.safe_write import list_backups
from test_live_formulas import CELLS, UNO_PYTHON, recalc

needs_lo = pytest.mark.skipif(
    shutil.which("soffice") is None or not Path(UNO_PYTHON).exists(),
    reason="LibreOffice and python3-uno are installed by .ci/run",
)
AS_OF = ("--as-of", "2025-06-30")


def contract(no: str, **fields: object) -> dict[str, object]:
    row: dict[str, object] = {
        "合同编号": no,
        "合同名称": f"合同{no}",
        "合同性质": "收入性",
        "签订日期": "2025/1/2",  # text
        "合同金额（元）": "1万",
    }
    row.update(fields)
    return row


def texty(tmp_path: Path) -> Path:
    path = make_book(tmp_path)
    set_items(path, "设置", {"统计开始日期": "2025/1/1", "基准日期": "2025年6月30日"})
    put_rows(
        path,
        "合同台账",
        [
            contract(
                "A",
                计划交付日期="2025-03-01",
                实际交付日期="2025年2月28日",
                履行状态="已完成",
                验收结果="合格",
            ),
            contract(
                "B",
                计划交付日期=date(2025, 4, 1),
                实际交付日期="2025.4.10",
                履行状态="已履行",
                验收结果="不合格",
            ),
            contract("C", 计划交付日期="2025/5/1", 履行状态="执行中"),
            contract(
                "D",
                计划交付日期=date(2025, 6, 30),
                实际交付日期="2025/7/2",
                履行状态="已交付",
                验收结果="合格",
            ),
            contract("E", 计划交付日期="2025/3/15", 履行状态="已终止"),
            contract("F", 计划交付日期=date(2025, 8, 1)),
        ],
    )
    put_rows(
        path,
        "款项",
        [
            {
                "合同编号": "A",
                "收付类型": "收款",
                "期次": 1,
                "应收付日期": "2025/2/1",
                "应收付金额（元）": "3万",
                "实收付日期": "2025-02-03",
                "实收付金额（元）": "1,000",
            },
            {
                "合同编号": "B",
                "收付类型": "收款",
                "期次": 1,
                "应收付日期": date(2025, 5, 1),
                "应收付金额（元）": 2000,
                "实收付日期": "2025/5/2",
                "实收付金额（元）": "500元",
            },
            {
                "合同编号": "C",
                "收付类型": "收款",
                "期次": 1,
                "应收付日期": "2025年6月1日",
                "应收付金额（元）": "3000",
            },
        ],
    )
    # a 万元 header where the template's amount column was
    book = openpyxl.load_workbook(path)
    ws = book["合同台账"]
    for cell in ws[2]:
        if cell.value == "合同金额（元）":
            cell.value = "合同金额（万元）"
            for r in range(3, 9):
                ws.cell(row=r, column=cell.column).value = 1.5
    book.save(path)
    return path


def engine(path: Path) -> dict[str, object]:
    code, out, err = run_cli("indicators", path, *AS_OF, "--json")
    assert code == 0, err
    return {i["key"]: i["value"] for i in json.loads(out)["indicators"]}


@needs_lo
def test_live_sheet_agrees_with_the_engine_after_fix_types(tmp_path: Path) -> None:
    path = texty(tmp_path)
    code, out, err = run_cli("check", path, "--json")
    assert json.loads(out)["ok"], out  # check accepts it (warnings only)
    want = engine(path)
    # hand-computed: due A B C D (E 协商解除, F later); fulfilled by T: A B; on time: A
    assert want["fulfillment_rate"] == 0.5 and want["on_time_delivery_rate"] == 0.25
    assert want["collection_rate"] == pytest.approx(1500 / 35000)
    before = recalc(path, *CELLS.values())
    assert before["B9"] != pytest.approx(want["fulfillment_rate"])  # the disagreement of #12
    code, out, err = run_cli("fix-types", path)
    assert code == 0, err
    assert "合同金额（万元）” → “合同金额（元）" in out
    assert len(list_backups(path)) == 1
    assert engine(path) == want
    after = recalc(path, *CELLS.values())
    for key, cell in CELLS.items():
        assert after[cell] == pytest.approx(want[key]), key
    problems = json.loads(run_cli("check", path, "--json")[1])["problems"]
    assert not [
        p
        for p in problems
        if p["code"] in ("text-date", "text-number", "choice-synonym", "column-synonym")
    ]
    assert read_records(path)["contracts"]["amount"].tolist() == [15_000.0] * 6


def test_fix_types_keeps_every_other_part_and_dry_run_writes_nothing(tmp_path: Path) -> None:
    path = texty(tmp_path)
    before = sha256(path)
    code, out, err = run_cli("fix-types", path, "--dry-run", "--json")
    assert code == 0, err
    fixes = json.loads(out)["fixes"]
    assert sha256(path) == before
    assert {
        "sheet": "合同台账",
        "row": 3,
        "column": "履行状态(M)",
        "before": "已完成",
        "after": "已履行",
    } in fixes
    assert {
        "sheet": "款项",
        "row": 3,
        "column": "应收付金额（元）(E)",
        "before": "3万",
        "after": 30000,
    } in fixes
    assert {
        "sheet": "设置",
        "row": 5,
        "column": "基准日期(B)",
        "before": "2025年6月30日",
        "after": "2025-06-30",
    } in fixes
    parts = {i.filename: zipfile.ZipFile(path).read(i) for i in zipfile.ZipFile(path).infolist()}
    assert run_cli("fix-types", path)[0] == 0
    after = zipfile.ZipFile(path)
    changed = {n for n, data in parts.items() if after.read(n) != data}
    assert changed <= {
        "xl/worksheets/sheet3.xml",
        "xl/worksheets/sheet6.xml",
        "xl/worksheets/sheet8.xml",
        "xl/styles.xml",
    }, changed
    # a second run has nothing left to do
    code, out, _ = run_cli("fix-types", path)
    assert "没有需要转换的单元格" in out


def typed(path: Path) -> dict[str, list[object]]:
    records = read_records(path, need=())
    frames = {"contracts": records["contracts"], "payments": records["payments"]}
    return {
        f"{name}.{col}": [None if v != v else v for v in frame[col].tolist()]  # NaN, NaT
        for name, frame in frames.items()
        for col in frame.columns
        if col != "row"
    }


def reordered_ledger(path: Path) -> Path:
    """A ledger laid out by its owner: a title row, extra columns, its own order and labels."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "合同台账"
    ws.append(["本公司合同台账（自制）"])
    ws.append(
        ["备注", "合同名称", "金额（万元）", "状态", "合同号", "合同性质", "签约日期"]
        + ["计划交付日期", "实际交付日期", "经办人"]
    )
    ws.append(
        ["首批", "甲", "1.5", "已完成", "A", "收入性", "2025/1/2", "2025/3/1"]
        + ["2025年2月28日", "王"]
    )
    ws.append(["", "乙", 2, "执行中", "B", "销售", "2025.1.3", "2025-05-01", None, "李"])
    ws.append(["", "丙", "0.5", "已履行", "C", "收入性", date(2025, 1, 9), date(2025, 4, 1)])
    ws.cell(row=5, column=9, value="2025/4/1")
    pay = book.create_sheet("款项")
    pay.append(["应收付金额", "合同编号", "收付类型", "应收付日期", "实收付金额（元）"])
    pay.append(["3万", "A", "回款", "2025/2/1", "1,000"])
    pay.append([5000, "B", "收款", date(2025, 3, 1), None])
    book.save(path)
    return path


def test_fix_types_finds_columns_by_their_header_not_the_template_position(
    tmp_path: Path,
) -> None:
    path = reordered_ledger(tmp_path / "自制台账.xlsx")
    before = typed(path)
    code, out, err = run_cli("fix-types", path)
    assert code == 0, err
    assert "「合同台账」表头“金额（万元）” → “合同金额（元）”" in out
    assert "实时指标" not in out  # no live sheet in this ledger: nothing to warn about
    ws = openpyxl.load_workbook(path)["合同台账"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2, max_row=5)]
    assert rows[0] == [
        "备注",
        "合同名称",
        "合同金额（元）",
        "状态",
        "合同号",
        "合同性质",
        "签约日期",
        "计划交付日期",
        "实际交付日期",
        "经办人",
    ]
    assert rows[1] == [
        "首批",
        "甲",
        15000,
        "已履行",
        "A",
        "收入性",
        datetime(2025, 1, 2),
        datetime(2025, 3, 1),
        datetime(2025, 2, 28),
        "王",
    ]
    assert rows[2] == [
        None,
        "乙",
        20000,
        "履行中",
        "B",
        "收入性",
        datetime(2025, 1, 3),
        datetime(2025, 5, 1),
        None,
        "李",
    ]
    assert rows[3] == [
        None,
        "丙",
        5000,
        "已履行",
        "C",
        "收入性",
        datetime(2025, 1, 9),
        datetime(2025, 4, 1),
        datetime(2025, 4, 1),
        None,
    ]
    pay = [[c.value for c in row] for row in openpyxl.load_workbook(path)["款项"].iter_rows()]
    assert pay == [
        ["应收付金额", "合同编号", "收付类型", "应收付日期", "实收付金额（元）"],
        [30000, "A", "收款", datetime(2025, 2, 1), 1000],
        [5000, "B", "收款", datetime(2025, 3, 1), None],
    ]
    assert typed(path) == before  # the engine reads the same values before and after


def test_fix_types_warns_when_the_live_sheet_reads_moved_columns(tmp_path: Path) -> None:
    path = make_book(tmp_path)
    put_rows(path, "合同台账", [contract("A", 计划交付日期="2025/3/1")])
    book = openpyxl.load_workbook(path)
    ws = book["合同台账"]
    ws.insert_cols(1)
    ws.cell(row=2, column=1, value="序号")
    ws.cell(row=3, column=1, value=1)
    book.save(path)
    code, out, err = run_cli("fix-types", path, "--json")
    assert code == 0, err
    result = json.loads(out)
    assert {
        "sheet": "合同台账",
        "row": 3,
        "column": "计划交付日期(K)",
        "before": "2025/3/1",
        "after": "2025-03-01",
    } in result["fixes"]
    (note,) = result["notes"]
    assert note.startswith("注意：「实时指标」的公式按模板的列位置统计")
    assert "「合同台账」的“合同性质”在 D 列第 2 行表头下（模板为 C 列第 2 行）" in note
    assert "款项" not in note  # 款项 is where the template put it
    assert openpyxl.load_workbook(path)["合同台账"]["K3"].value == datetime(2025, 3, 1)


def test_fix_types_says_which_sheet_it_could_not_read(tmp_path: Path) -> None:
    path = reordered_ledger(tmp_path / "自制台账.xlsx")
    book = openpyxl.load_workbook(path)
    book["合同台账"]["B2"] = "项目"  # no 合同名称 column any more
    book.save(path)
    code, out, err = run_cli("fix-types", path)
    assert code == 0, err
    assert "「合同台账」未转换：工作表「合同台账」缺少必填列 「合同名称」" in out
    assert "「款项」第2行「应收付金额（元）(A)」：“3万” → 30000" in out
