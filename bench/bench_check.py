"""Time `check` on a large synthetic workbook: 10,000 contracts, 50,000 payments (STYLE §8).

    PYTHONPATH=src python bench/bench_check.py [OUT_DIR]

Prints the read time (calamine + typing), the check time on the records, and their ratio. A few
hundred rows carry mistakes so the problem-building path is exercised too.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import xlsxwriter

from lyue_xl import schema
from lyue_xl.validate import check_records
from lyue_xl.workbook.reader import read_records

N_CONTRACTS = 10_000
N_PAYMENTS = 50_000


def build(path: Path) -> None:
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    datefmt = book.add_format({"num_format": "yyyy-mm-dd"})
    start = date(2024, 1, 1)
    rows: dict[str, list[dict[str, object]]] = {s.key: [] for s in schema.SHEETS}
    for i in range(N_CONTRACTS):
        signed = start + timedelta(days=i % 600)
        spend = i % 5 == 0
        rows["contracts"].append(
            {
                "contract_no": f"HT-{i:05d}",
                "name": f"合同{i}",
                "nature": "支出性" if spend else "收入性",
                "supplier_no": f"GYS-{i % 200:03d}" if spend else "",
                "signed_on": signed,
                "reviewed_on": signed - timedelta(days=3),
                "review_result": "通过",
                "amount": 10000 + i,
                "planned_delivery": signed + timedelta(days=90),
                "actual_delivery": signed + timedelta(days=85) if i % 3 else None,
                "acceptance": "合格" if i % 3 else "",
                "state": "已履行" if i % 3 else "履行中",
                "satisfaction": 90 if i % 3 and not spend else None,
                "owner": "张三",
            }
        )
    for j in range(N_PAYMENTS):
        i = j % N_CONTRACTS
        c = rows["contracts"][i]
        due_on = c["signed_on"] + timedelta(days=30 * (j // N_CONTRACTS + 1))  # type: ignore[operator]
        paid = j % 4 != 0
        rows["payments"].append(
            {
                "contract_no": c["contract_no"] if j % 997 else "HT-X",  # a few unknown refs
                "kind": "付款" if c["nature"] == "支出性" else "收款",
                "installment": str(j // N_CONTRACTS + 1),
                "due_on": due_on if j % 1009 else "2025/7/20",  # a few text dates
                "due_amount": 2000,
                "paid_on": due_on if paid else None,
                "paid_amount": (2000 if j % 499 else 2500) if paid else None,
            }
        )
    for k in range(200):
        rows["suppliers"].append(
            {
                "supplier_no": f"GYS-{k:03d}",
                "name": f"供应商{k}",
                "credit_result": "良好",
                "credit_checked_on": date(2025, 1, 1),
            }
        )
    for sheet in schema.SHEETS:
        ws = book.add_worksheet(sheet.name)
        if sheet.is_keyvalue:
            ws.write_row(1, 0, ["项目", "内容"])
            for r, item in enumerate(sheet.items, start=2):
                ws.write(r, 0, item.label)
            continue
        ws.write(0, 0, sheet.name)
        ws.write_row(1, 0, [c.label for c in sheet.columns])
        for r, rec in enumerate(rows[sheet.key], start=2):
            for c, col in enumerate(sheet.columns):
                value = rec.get(col.key)
                if value is None or value == "":
                    continue
                if isinstance(value, date):
                    ws.write_datetime(r, c, value, datefmt)
                else:
                    ws.write(r, c, value)
    book.close()


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp())
    path = folder / "bench-check.xlsx"
    if not path.exists():
        t = time.perf_counter()
        build(path)
        print(f"built {path} in {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    records = read_records(path)
    read_s = time.perf_counter() - t
    t = time.perf_counter()
    report = check_records(records)
    check_s = time.perf_counter() - t
    errors = len(report.errors)
    print(f"read  {read_s:6.2f} s")
    print(f"check {check_s:6.2f} s  ({check_s / read_s:.0%} of the read)")
    print(f"problems: {len(report.problems)} ({errors} 错误)")


if __name__ == "__main__":
    main()
