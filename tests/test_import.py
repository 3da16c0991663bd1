"""`lyue-xl import`: foreign ledgers made by other tools come in with their figures intact."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from helpers import indicator_figures as indicators
from helpers import make_book, put_rows, run_cli, sha256
from lyue_xl.importer import load_mapping, plan_import
from lyue_xl.workbook.reader import read_records
from lyue_xl.workbook.safe_write import list_backups


def check_json(book: Path) -> dict:  # type: ignore[type-arg]
    code, out, err = run_cli("check", book, "--json")
    assert code in (0, 1), err
    return json.loads(out)


# --- 1. openpyxl: title row, merged two-row header, 万元, Chinese status words, text dates ------


def openpyxl_ledger(path: Path) -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "合同登记"
    ws["A1"] = "华东某某有限公司 2025 年销售合同台账"
    ws.merge_cells("A1:H1")
    ws["A2"] = "制表：财务部"
    # row 3: group titles; row 4: labels. 合同号 and 客户 are merged down over both rows.
    ws["A3"], ws["B3"], ws["C3"], ws["F3"] = "合同号", "客户", "合同信息", "履约情况"
    ws.merge_cells("A3:A4")
    ws.merge_cells("B3:B4")
    ws.merge_cells("C3:E3")
    ws.merge_cells("F3:H3")
    for col, label in zip(
        "CDEFGH",
        ("签约日期", "合同金额(万元)", "交货期", "实际交付日期", "状态", "验收"),
        strict=True,
    ):
        ws[f"{col}4"] = label
    rows = [
        (
            "XS-001",
            "甲公司",
            date(2025, 1, 10),
            12.5,
            date(2025, 3, 31),
            date(2025, 3, 20),
            "已完成",
            "合格",
        ),
        ("XS-002", "乙公司", "2025/2/3", 8, "2025年5月30日", "2025.6.10", "已交付", "验收合格"),
        ("XS-003", "丙公司", "2025.3.1", "4.5", date(2025, 6, 30), None, "执行中", None),
        ("XS-004", "丁公司", date(2025, 4, 1), 20, date(2026, 3, 31), None, "进行中", None),
    ]
    for r, values in enumerate(rows, start=5):
        for c, value in enumerate(values, start=1):
            ws.cell(row=r, column=c, value=value)
    ws.cell(row=9, column=1, value="合计")
    ws.cell(row=9, column=4, value="=SUM(D5:D8)")
    book.save(path)
    return path


def test_openpyxl_ledger_with_two_row_merged_header(tmp_path: Path) -> None:
    source = openpyxl_ledger(tmp_path / "销售台账.xlsx")
    before = sha256(source)
    out = tmp_path / "新台账.xlsx"
    code, stdout, err = run_cli("import", source, "--nature", "收入性", "-o", out)
    assert code == 0, err
    assert sha256(source) == before  # SOURCE is only read
    assert "第 3–4 行为表头，4 行数据" in stdout
    assert "“合同金额(万元)” → 合同金额（元）（×10000）" in stdout
    frame = read_records(out)["contracts"]
    assert frame["contract_no"].tolist() == ["XS-001", "XS-002", "XS-003", "XS-004"]
    assert frame["amount"].tolist() == [125_000.0, 80_000.0, 45_000.0, 200_000.0]
    assert frame["state"].tolist() == ["已履行", "已履行", "履行中", "履行中"]
    assert frame["acceptance"].tolist() == ["合格", "合格", "", ""]
    assert frame["counterparty"].tolist() == ["甲公司", "乙公司", "丙公司", "丁公司"]
    assert [d.date() for d in frame["planned_delivery"]] == [
        date(2025, 3, 31),
        date(2025, 5, 30),
        date(2025, 6, 30),
        date(2026, 3, 31),
    ]
    # dates typed as text in the source are real dates in the new ledger
    problems = check_json(out)["problems"]
    assert not [p for p in problems if p["code"] in ("text-date", "text-number")]
    # hand-computed: due in 2024-01-01..2025-12-31: XS-001..003; fulfilled 2 (XS-001, 002);
    # on time: XS-001 only (XS-002 delivered 6-10 after 5-30); quality 2 of 2; amount 205000/250000
    got = indicators(out)
    assert got["fulfillment_rate"] == (pytest.approx(2 / 3), 2, 3)
    assert got["on_time_delivery_rate"] == (pytest.approx(1 / 3), 1, 3)
    assert got["quality_pass_rate"] == (1.0, 2, 2)
    assert got["fulfillment_rate_amount"] == (pytest.approx(205_000 / 250_000), 205_000, 250_000)


# --- 2. xlsxwriter: a sheet per year, 性质 words, a duplicate across years ---------------------


def xlsxwriter_ledger(path: Path) -> Path:
    book = xlsxwriter.Workbook(str(path))
    fmt = book.add_format({"num_format": "yyyy-mm-dd"})
    notes = book.add_worksheet("说明")
    notes.write_string(0, 0, "本台账每年一张工作表。")
    data = {
        "2024": [
            (
                "HT2024-01",
                "设备采购",
                "采购",
                datetime(2024, 2, 1),
                50_000,
                datetime(2024, 5, 1),
                datetime(2024, 4, 28),
                "履行完毕",
            ),
            (
                "HT2024-02",
                "系统集成",
                "销售",
                datetime(2024, 3, 1),
                80_000,
                datetime(2024, 9, 30),
                datetime(2024, 10, 15),
                "已完成",
            ),
        ],
        "2025": [
            (
                "HT2025-01",
                "运维服务",
                "销售",
                datetime(2025, 1, 5),
                30_000,
                datetime(2025, 6, 30),
                datetime(2025, 6, 1),
                "已完成",
            ),
            (
                "HT2025-02",
                "软件开发",
                "销售",
                datetime(2025, 2, 5),
                120_000,
                datetime(2025, 8, 31),
                None,
                "在履行",
            ),
            (
                "HT2024-02",
                "系统集成（重复登记）",
                "销售",
                datetime(2024, 3, 1),
                80_000,
                datetime(2024, 9, 30),
                None,
                "已完成",
            ),
            (
                "HT2025-03",
                "培训",
                "销售",
                datetime(2025, 3, 1),
                10_000,
                datetime(2025, 4, 30),
                None,
                "已终止",
            ),
        ],
    }
    for year, rows in data.items():
        ws = book.add_worksheet(f"{year}年")
        ws.write_string(0, 0, f"{year} 年合同台账")
        for c, label in enumerate(
            (
                "合同编码",
                "项目名称",
                "合同类型",
                "签订时间",
                "合同额",
                "约定交付日期",
                "完成日期",
                "履约状态",
                "经办人",
            )
        ):
            ws.write_string(1, c, label)
        for r, values in enumerate(rows, start=2):
            for c, value in enumerate(values):
                if isinstance(value, datetime):
                    ws.write_datetime(r, c, value, fmt)
                elif isinstance(value, str):
                    ws.write_string(r, c, value)
                elif value is not None:
                    ws.write_number(r, c, value)
            ws.write_string(r, 8, "王五")
    book.close()
    return path


def test_xlsxwriter_ledger_sheet_per_year(tmp_path: Path) -> None:
    source = xlsxwriter_ledger(tmp_path / "历年合同.xlsx")
    out = tmp_path / "台账.xlsx"
    code, stdout, err = run_cli("import", source, "-o", out, "--json")
    assert code == 0, err
    result = json.loads(stdout)
    assert [(s["sheet"], s["rows"]) for s in result["sheets"]] == [("2024年", 2), ("2025年", 4)]
    assert result["skipped_sheets"] == [{"sheet": "说明", "reason": "找不到可识别的表头"}]
    assert result["written"] == 5
    dup = [p for p in result["problems"] if p["code"] == "duplicate-id"]
    assert [(d["sheet"], d["row"], d["value"]) for d in dup] == [("2025年", 5, "HT2024-02")]
    frame = read_records(out)["contracts"]
    assert frame["contract_no"].tolist() == [
        "HT2024-01",
        "HT2024-02",
        "HT2025-01",
        "HT2025-02",
        "HT2025-03",
    ]
    assert frame["nature"].tolist() == ["支出性", "收入性", "收入性", "收入性", "收入性"]
    assert frame["state"].tolist() == ["已履行", "已履行", "已履行", "履行中", "协商解除"]
    # income contracts due in 2024–2025, 协商解除 excluded: HT2024-02, HT2025-01, HT2025-02
    got = indicators(out)
    assert got["fulfillment_rate"] == (pytest.approx(2 / 3), 2, 3)
    assert got["on_time_delivery_rate"] == (pytest.approx(1 / 3), 1, 3)


# --- 3. LibreOffice-saved ---------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is installed by .ci/run")
def test_libreoffice_saved_ledger(tmp_path: Path) -> None:
    raw = tmp_path / "raw.xlsx"
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "合同"
    rows = [
        [
            "合同编号",
            "合同名称",
            "相对方单位",
            "签约日期",
            "金额",
            "计划交付日期",
            "实际交付日期",
            "状态",
            "满意度",
        ],
        [
            "LO-1",
            "检测服务",
            "甲",
            "2025-01-05",
            30000,
            date(2025, 2, 28),
            date(2025, 2, 20),
            "已履行",
            92,
        ],
        ["LO-2", "咨询", "乙", "2025-02-01", "3万", "2025/3/31", None, "执行中", None],
        [
            "LO-3",
            "维保",
            "丙",
            date(2025, 2, 1),
            "60,000",
            date(2025, 4, 30),
            date(2025, 4, 30),
            "已履行",
            86,
        ],
    ]
    for values in rows:
        ws.append(values)
    book.save(raw)
    (tmp_path / "lo").mkdir()
    done = subprocess.run(
        [
            "soffice",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(tmp_path / "lo"),
            str(raw),
        ],
        capture_output=True,
        timeout=180,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    source = tmp_path / "lo" / "raw.xlsx"
    assert source.exists(), done.stderr
    out = tmp_path / "台账.xlsx"
    code, _, err = run_cli("import", source, "--nature", "收入性", "-o", out)
    assert code == 0, err
    frame = read_records(out)["contracts"]
    assert frame["amount"].tolist() == [30_000.0, 30_000.0, 60_000.0]
    got = indicators(out)
    assert got["fulfillment_rate"] == (pytest.approx(2 / 3), 2, 3)
    assert got["customer_satisfaction"][0] == pytest.approx(89.0)


# --- 4. CSV in GBK ----------------------------------------------------------------------------


def gbk_csv(path: Path) -> Path:
    lines = [
        "合同号,甲方,签订时间,合同金额（万元）,约定交付日期,实际交货日期,合同状态,合同性质",
        "C-01,一厂,2025年1月3日,1.2,2025年2月1日,2025年1月30日,已完成,销售",
        "C-02,二厂,2025/1/9,0.8,2025/3/1,2025/3/5,已完成,收入类",
        "C-03,三厂,2025.2.1,2,2025.12.1,,执行中,收入性",
        "C-04,四厂,2025-02-01,0.5,2025-03-01,,差不多,收入性",
    ]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))
    return path


def test_gbk_csv(tmp_path: Path) -> None:
    source = gbk_csv(tmp_path / "台账导出.csv")
    out = tmp_path / "台账.xlsx"
    code, stdout, err = run_cli("import", source, "-o", out)
    assert code == 0, err
    assert "“差不多”不在下拉列表中" in stdout  # reported, kept as typed for check
    frame = read_records(out)["contracts"]
    assert frame["amount"].tolist() == [12_000.0, 8_000.0, 20_000.0, 5_000.0]
    assert frame["nature"].tolist() == ["收入性"] * 4
    check = check_json(out)
    bad = [(p["code"], p["row"], p["value"]) for p in check["problems"] if p["level"] == "错误"]
    assert bad == [("required-missing", r, None) for r in (3, 4, 5, 6)] + [
        ("choice-invalid", 6, "差不多")
    ]  # the CSV has no 合同名称: left for the user to fill, never invented
    got = indicators(out)
    # due by 2025-12-31: all four (C-04 state unreadable reads 履行中); fulfilled C-01, C-02
    assert got["fulfillment_rate"] == (0.5, 2, 4)
    assert got["on_time_delivery_rate"] == (0.25, 1, 4)


# --- --into, dry run, mapping workbook, refusals ------------------------------------------------


def test_into_appends_keeps_everything_and_skips_known_ids(tmp_path: Path) -> None:
    ledger = make_book(tmp_path)
    put_rows(
        ledger,
        "合同台账",
        [
            {
                "合同编号": "C-02",
                "合同名称": "已有",
                "合同性质": "收入性",
                "签订日期": date(2025, 1, 1),
                "计划交付日期": date(2025, 3, 1),
            },
        ],
    )
    put_rows(ledger, "供应商", [{"供应商编号": "S-1", "供应商名称": "老供应商"}])
    before = {
        i.filename: zipfile.ZipFile(ledger).read(i) for i in zipfile.ZipFile(ledger).infolist()
    }
    source = gbk_csv(tmp_path / "导出.csv")
    code, stdout, err = run_cli("import", source, "--into", ledger)
    assert code == 0, err
    assert "C-02" in stdout and "未重复写入" in stdout
    frame = read_records(ledger)["contracts"]
    assert frame["contract_no"].tolist() == ["C-02", "C-01", "C-03", "C-04"]
    assert frame["name"].tolist()[0] == "已有"
    assert frame["row"].tolist() == [3, 4, 5, 6]
    assert len(list_backups(ledger)) == 1
    after = zipfile.ZipFile(ledger)
    changed = {n for n, data in before.items() if n in after.namelist() and after.read(n) != data}
    contracts_part = "xl/worksheets/sheet6.xml"
    assert changed <= {contracts_part, "xl/styles.xml", "[Content_Types].xml"}, changed
    assert set(before) <= set(after.namelist())


def test_dry_run_writes_nothing_and_the_mapping_round_trips(tmp_path: Path) -> None:
    source = gbk_csv(tmp_path / "导出.csv")
    mapping = tmp_path / "映射.xlsx"
    code, stdout, err = run_cli("import", source, "--dry-run", "--save-map", mapping, "--json")
    assert code == 0, err
    assert json.loads(stdout)["written"] == 0 and len(json.loads(stdout)["rows"]) == 4
    assert not (tmp_path / "台账.xlsx").exists()
    book = openpyxl.load_workbook(mapping)
    ws = book["列映射"]
    for row in ws.iter_rows(min_row=3):
        if row[0].value == "甲方":
            row[2].value = "（不导入）"
    values = book["取值映射"]
    values.append(["履行状态", "差不多", "履行中"])
    book.save(mapping)
    loaded = load_mapping(mapping)
    plan = plan_import(source, mapping=loaded)
    assert [r.values.get("counterparty") for r in plan.rows] == [None] * 4
    assert [r.values["state"] for r in plan.rows] == ["已履行", "已履行", "履行中", "履行中"]
    assert "甲方" in [t for s in plan.sheets for _, t in s.unmapped]


def test_refusals_are_one_chinese_line(tmp_path: Path) -> None:
    xls = tmp_path / "旧.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    code, _, err = run_cli("import", xls, "-o", tmp_path / "x.xlsx")
    assert code == 2 and ".xls" in err and "另存为" in err and "Traceback" not in err
    source = openpyxl_ledger(tmp_path / "s.xlsx")
    code, _, err = run_cli("import", source, "-o", tmp_path / "x.xlsx")
    assert code == 2 and "--nature" in err and not (tmp_path / "x.xlsx").exists()
    ledger = make_book(tmp_path)
    (tmp_path / "~$台账.xlsx").write_bytes(b"lock")
    before = sha256(ledger)
    code, _, err = run_cli("import", source, "--nature", "收入性", "--into", ledger)
    assert code == 2 and "正在被打开" in err and sha256(ledger) == before


def test_a_ledger_laid_out_like_ours_keeps_its_sheets_meaning(tmp_path: Path) -> None:
    """履约节点 also has 合同编号 and 计划完成日期: by its name it is not read as contracts."""
    other = make_book(tmp_path / "b") if (tmp_path / "b").mkdir() is None else None
    assert other is not None
    put_rows(
        other,
        "合同台账",
        [
            {
                "合同编号": "K-1",
                "合同名称": "a",
                "合同性质": "支出性",
                "签订日期": date(2025, 1, 1),
                "计划交付日期": date(2025, 2, 1),
            },
        ],
    )
    put_rows(
        other,
        "履约节点",
        [{"合同编号": "K-9", "节点名称": "进场", "计划完成日期": date(2025, 1, 9)}],
    )
    put_rows(other, "供应商", [{"供应商编号": "S-1", "供应商名称": "某厂"}])
    out = tmp_path / "台账.xlsx"
    code, stdout, err = run_cli("import", other, "-o", out, "--json")
    assert code == 0, err
    result = json.loads(stdout)
    assert [(s["sheet"], s["target"], s["rows"]) for s in result["sheets"]] == [
        ("合同台账", "合同台账", 1),
        ("款项", "款项", 0),
        ("供应商", "供应商", 1),
    ]
    assert "履约节点" in [s["sheet"] for s in result["skipped_sheets"]]
    records = read_records(out)
    assert records["contracts"]["contract_no"].tolist() == ["K-1"]
    assert records["suppliers"]["name"].tolist() == ["某厂"]


def test_headers_no_synonym_knows_come_in_by_a_hand_written_map(tmp_path: Path) -> None:
    source = tmp_path / "另类.xlsx"
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["单号", "买方", "成交日", "价款（万元）", "交期", "性质"])
    ws.append(["Z-1", "某局", date(2025, 1, 2), 2, date(2025, 3, 1), "销售"])
    ws.append(["Z-2", "某院", date(2025, 1, 3), 0.5, date(2025, 4, 1), "采购"])
    book.save(source)
    code, _, err = run_cli("import", source, "-o", tmp_path / "x.xlsx")
    assert code == 2 and "找不到可导入的表头" in err
    mapping = tmp_path / "映射.xlsx"
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "列映射"
    ws.append(["自己写的映射"])
    ws.append(["源表头", "导入到工作表", "对应列", "换算倍数"])
    for row in (
        ("单号", "合同台账", "合同编号", None),
        ("买方", "合同台账", "相对方", None),
        ("成交日", "合同台账", "签订日期", None),
        ("价款（万元）", "合同台账", "合同金额（元）", 10000),
        ("交期", "合同台账", "计划交付日期", None),
    ):
        ws.append(list(row))
    book.save(mapping)
    out = tmp_path / "台账.xlsx"
    code, stdout, err = run_cli("import", source, "--map", mapping, "-o", out)
    assert code == 0, err
    frame = read_records(out)["contracts"]
    assert frame["contract_no"].tolist() == ["Z-1", "Z-2"]
    assert frame["amount"].tolist() == [20_000.0, 5_000.0]
    assert frame["nature"].tolist() == ["收入性", "支出性"]  # 性质 still matched by its synonym
    assert frame["counterparty"].tolist() == ["某局", "某院"]
