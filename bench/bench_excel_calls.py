"""Benchmark: COM round trips of the ribbon's refresh, per ledger (issue 16 item 1).

    python bench/bench_excel_calls.py [--contracts 10000] [--shares 0.2 0.3]

Drives `lyue_xl.excel.actions.run_action("refresh", ExcelBook(...))` on the stand-in workbook of
``tests/fake_xlwings.py`` wrapped in its ``Recording`` proxy, which counts every property read,
property set, call, index and iteration — what would each be one COM round trip (0.1–1 ms) in
Excel. Ledgers: the demo firm, the tidy bench ledger of ``bench_refresh.py`` and neglected ones
(``--shares``: that share of everything left open). Prints one line per ledger and a JSON list.
What it cannot show: Excel's own time per call, which needs Windows with Excel.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests")]

from bench_refresh import build  # noqa: E402

from fake_xlwings import Calls, FakeBook, Recording  # noqa: E402
from lyue_xl import schema  # noqa: E402
from lyue_xl.demo import write_demo_workbook  # noqa: E402
from lyue_xl.excel.actions import run_action  # noqa: E402
from lyue_xl.excel.xlbook import ExcelBook  # noqa: E402


def count(path: Path) -> dict[str, object]:
    fake = FakeBook.from_values(path)
    calls = Calls()
    book = ExcelBook(Recording(fake, calls))
    t = time.perf_counter()
    result = run_action("refresh", book)
    seconds = time.perf_counter() - t
    if not result.ok:
        raise SystemExit(result.summary)
    alerts = fake.sheets[schema.ALERTS_SHEET]
    return {
        "warnings": len(alerts.formula_links()),
        "com_calls": calls.count,
        "python_s": round(seconds, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contracts", type=int, default=10_000)
    parser.add_argument("--shares", type=float, nargs="*", default=[0.2, 0.3])
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="lyue-calls-"))
    ledgers = [("示例企业（demo）", write_demo_workbook(folder / "demo.xlsx"))]
    tidy = folder / "tidy.xlsx"
    build(tidy, args.contracts)
    ledgers.append((f"{args.contracts} 份合同，按时记录", tidy))
    for share in args.shares:
        path = folder / f"open{share}.xlsx"
        build(path, args.contracts, open_share=share)
        ledgers.append((f"{args.contracts} 份合同，{share:.0%} 未完成", path))
    rows = []
    for label, path in ledgers:
        row = {"ledger": label, **count(path)}
        print(f"{label}: {row['warnings']} 条预警, {row['com_calls']} 次调用", flush=True)
        rows.append(row)
    print(json.dumps(rows, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
