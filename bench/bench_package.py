"""Time write_results on a large synthetic workbook against plain copies of it.

    PYTHONPATH=src:tests /work/venv/bin/python bench/bench_package.py [contracts] [--openpyxl]

Prints the workbook size and, in the same run: a file copy, a bare zip rewrite of the package
with raw copies vs re-deflating every member, and write_results (3 owned sheets + 8 columns).
"""

from __future__ import annotations

import datetime
import shutil
import sys
import tempfile
import time
from pathlib import Path

import xlsxwriter

from lyue_xl.workbook.opc import Package
from lyue_xl.workbook.package import ColumnUpdate, write_results

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from package_books import OWNED, make_generated  # noqa: E402


def make_big(path: Path, contracts: int) -> None:
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws = wb.add_worksheet("合同台账")
    heads = [
        "合同编号",
        "合同名称",
        "合同性质",
        "相对方",
        "供应商编号",
        "签订日期",
        "评审日期",
        "评审结论",
        "合同金额（元）",
        "计划交付日期",
        "实际交付日期",
        "验收结果",
        "履行状态",
        "客户满意度",
        "负责人",
    ]
    ws.write_row(0, 0, heads)
    day = datetime.datetime(2025, 1, 1)
    for i in range(contracts):
        ws.write_row(
            i + 1, 0, [f"HT-{i:06d}", f"合同名称{i}", "收入性", f"客户{i % 700}", f"G{i % 500}"]
        )
        ws.write_datetime(i + 1, 5, day + datetime.timedelta(days=i % 300), date)
        ws.write_datetime(i + 1, 6, day + datetime.timedelta(days=i % 300), date)
        ws.write_row(i + 1, 7, ["通过", 1000.0 + i])
        ws.write_datetime(i + 1, 9, day + datetime.timedelta(days=30 + i % 300), date)
        ws.write_datetime(i + 1, 10, day + datetime.timedelta(days=31 + i % 300), date)
        ws.write_row(i + 1, 11, ["合格", "已履行", 90, f"负责人{i % 40}"])
    ws = wb.add_worksheet("款项")
    ws.write_row(0, 0, ["合同编号", "收付类型", "期次", "应收付日期", "应收付金额（元）"])
    for i in range(contracts * 2):
        ws.write_row(i + 1, 0, [f"HT-{i // 2:06d}", "收款", i % 2 + 1])
        ws.write_datetime(i + 1, 3, day + datetime.timedelta(days=i % 365), date)
        ws.write_number(i + 1, 4, 500.0 + i)
    ws = wb.add_worksheet("供应商")
    ws.write_row(0, 0, ["供应商编号", "供应商名称", "按时交付率", "质量合格率", "综合评分", "等级"])
    for i in range(500):
        ws.write_row(i + 1, 0, [f"G{i}", f"供应商{i}"])
    wb.close()


def timed(label: str, action, repeat: int = 3) -> float:
    best = min(_once(action) for _ in range(repeat))
    print(f"{label:<44} {best:7.3f} s")
    return best


def _once(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> None:
    contracts = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 10_000
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        big = folder / "big.xlsx"
        make_big(big, contracts)
        generated = make_generated(folder / "generated.xlsx")
        print(f"workbook: {contracts} contracts, {big.stat().st_size / 1e6:.1f} MB")
        rows = range(2, 502)
        updates = [
            ColumnUpdate("供应商", 1, "按时交付率", {r: 0.9 for r in rows}, "0.0%"),
            ColumnUpdate("供应商", 1, "质量合格率", {r: 0.95 for r in rows}, "0.0%"),
            ColumnUpdate("供应商", 1, "综合评分", {r: 88.5 for r in rows}, "0.00"),
            ColumnUpdate("供应商", 1, "等级", {r: "A" for r in rows}),
        ]
        copy = timed("copy file (shutil.copyfile)", lambda: shutil.copyfile(big, folder / "c.xlsx"))

        def rezip(raw: bool) -> None:
            with Package(big) as package:
                package.save(folder / "z.xlsx", raw_copy=raw)

        raw = timed("rewrite package, raw copy of members", lambda: rezip(True))
        deflate = timed("rewrite package, re-deflate every member", lambda: rezip(False))
        work = folder / "work.xlsx"
        shutil.copyfile(big, work)
        full = timed(
            "write_results (3 sheets, 4 columns x 500)",
            lambda: write_results(work, generated, OWNED, updates, backups=2),
        )
        print(f"write_results / copy = {full / copy:.1f}x; raw copy saves {deflate - raw:.2f} s")
        if "--openpyxl" in sys.argv:
            import openpyxl

            timed(
                "openpyxl load + save (for comparison)",
                lambda: openpyxl.load_workbook(big).save(folder / "o.xlsx"),
                repeat=1,
            )


if __name__ == "__main__":
    main()
