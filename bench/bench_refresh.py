"""Benchmark: `refresh` end to end on a large synthetic workbook, against a bare calamine read
of the same file, measured in the same run (issue 3 item 7).

    python bench/bench_refresh.py [--contracts 10000] [--strings shared|inline] [--keep DIR]

Each measurement runs in a fresh subprocess so its peak memory (ru_maxrss) is its own.
``--strings shared`` (the default) writes text through a shared-string table, as Excel and WPS
save a workbook; ``inline`` writes each text in its cell (xlsxwriter's constant_memory mode).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import xlsxwriter

from lyue_xl import schema

AS_OF = date(2026, 6, 30)


def build(
    path: Path,
    contracts: int,
    seed: int = 7,
    open_share: float | None = None,
    shared_strings: bool = True,
) -> None:
    """A two-year record workbook. By default work planned more than 30 days before T is
    almost all done (as in a firm that keeps its records up to date); ``open_share`` leaves that
    share of everything open regardless of date (a neglected workbook: tens of thousands of
    warnings). ``shared_strings`` as Excel saves; else inline strings."""
    rnd = random.Random(seed)

    def done(planned_offset: int) -> bool:
        if open_share is not None:
            return rnd.random() >= open_share
        age = (AS_OF - day(planned_offset)).days
        return rnd.random() < (0.99 if age > 30 else 0.6 if age > 0 else 0.2)

    book = xlsxwriter.Workbook(str(path), {"constant_memory": not shared_strings})
    date_fmt = book.add_format({"num_format": "yyyy-mm-dd"})
    counts = {
        "contracts": contracts,
        "milestones": contracts * 5,
        "payments": contracts * 5,
        "suppliers": 200,
        "risks": 500,
        "issues": 500,
    }
    start = date(2024, 5, 1)

    def day(offset: int) -> date:
        return start + timedelta(days=offset)

    def rows(sheet: schema.Sheet, n: int):
        for i in range(n):
            if sheet.key == "contracts":
                signed = rnd.randrange(0, 700)
                planned = signed + rnd.randrange(20, 120)
                finished = done(planned)
                yield {
                    "contract_no": f"HT-{i:05d}",
                    "name": f"合同{i}",
                    "nature": "收入性" if i % 3 else "支出性",
                    "counterparty": f"客户{i % 300}",
                    "supplier_no": f"GYS-{i % 200:03d}",
                    "signed_on": day(signed),
                    "reviewed_on": day(signed - rnd.randrange(0, 3)),
                    "review_result": "通过",
                    "amount": rnd.randrange(10_000, 3_000_000),
                    "planned_delivery": day(planned),
                    "actual_delivery": day(planned + rnd.randrange(-5, 10)) if finished else None,
                    "acceptance": rnd.choice(("合格",) * 9 + ("不合格",)) if finished else "",
                    "state": "已履行" if finished else "履行中",
                    "satisfaction": rnd.randrange(70, 101) if finished else None,
                    "owner": f"员工{i % 20}",
                }
            elif sheet.key == "milestones":
                planned = rnd.randrange(0, 800)
                yield {
                    "contract_no": f"HT-{i // 5:05d}",
                    "name": f"节点{i % 5}",
                    "planned": day(planned),
                    "actual": day(planned + rnd.randrange(-3, 6)) if done(planned) else None,
                    "key": "是" if i % 5 == 4 else "否",
                    "owner": f"员工{i % 20}",
                }
            elif sheet.key == "payments":
                due = rnd.randrange(0, 800)
                paid = done(due)
                yield {
                    "contract_no": f"HT-{i // 5:05d}",
                    "kind": "收款" if (i // 5) % 3 else "付款",
                    "installment": str(i % 5 + 1),
                    "due_on": day(due),
                    "due_amount": 20000.0,
                    "paid_on": day(due + rnd.randrange(0, 30)) if paid else None,
                    "paid_amount": 20000.0 if paid else None,
                }
            elif sheet.key == "suppliers":
                yield {
                    "supplier_no": f"GYS-{i:03d}",
                    "name": f"供应商{i}",
                    "category": "钢材",
                    "credit_checked_on": day(rnd.randrange(0, 800)),
                    "credit_result": rnd.choice(("良好", "良好", "一般", "异常")),
                    "core": "是" if i % 4 == 0 else "否",
                    "agreement": "是" if i % 8 else "否",
                }
            elif sheet.key == "risks":
                yield {
                    "risk_no": f"FX-{i:04d}",
                    "kind": "风险" if i % 5 else "机遇",
                    "description": f"风险{i}",
                    "likelihood": rnd.randrange(1, 6),
                    "impact": rnd.randrange(1, 6),
                    "measure": "措施" if i % 7 else "",
                    "status": rnd.choice(("未处置", "处置中", "已关闭")),
                }
            elif sheet.key == "issues":
                found = rnd.randrange(0, 800)
                yield {
                    "issue_no": f"WT-{i:04d}",
                    "contract_no": f"HT-{i * 7:05d}",
                    "found_on": day(found),
                    "kind": "延迟交付",
                    "breach": "是" if i % 3 == 0 else "否",
                    "breaching_party": "本方",
                    "root_cause": "原因",
                    "corrective_action": "措施",
                    "accountability": "追责" if i % 4 else "",
                    "planned": day(found + 30),
                    "closed_on": day(found + rnd.randrange(10, 50)) if done(found + 30) else None,
                }

    for sheet in schema.SHEETS:
        ws = book.add_worksheet(sheet.name)
        if sheet.is_keyvalue:
            ws.write_row(1, 0, ["项目", "内容"])
            for r, item in enumerate(sheet.items):
                ws.write_string(2 + r, 0, item.label)
                if item.key == "org_name":
                    ws.write_string(2 + r, 1, "基准测试公司")
                if item.key == "as_of":
                    ws.write_datetime(2 + r, 1, AS_OF, date_fmt)
            continue
        ws.write_string(0, 0, sheet.name)
        ws.write_row(1, 0, [c.label for c in sheet.columns])
        keys = [c.key for c in sheet.columns]
        for r, record in enumerate(rows(sheet, counts.get(sheet.key, 0))):
            for c, key in enumerate(keys):
                value = record.get(key)
                if value is None or value == "":
                    continue
                if isinstance(value, date):
                    ws.write_datetime(2 + r, c, value, date_fmt)
                elif isinstance(value, int | float):
                    ws.write_number(2 + r, c, value)
                else:
                    ws.write_string(2 + r, c, value)
    book.close()


BARE_READ = """
import sys, time, resource
from python_calamine import CalamineWorkbook
t = time.perf_counter()
book = CalamineWorkbook.from_path(sys.argv[1])
cells = sum(len(r) for n in book.sheet_names for r in book.get_sheet_by_name(n).to_python())
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, cells)
"""

REFRESH = """
import sys, time, resource
from pathlib import Path
t0 = time.perf_counter()
from lyue_xl.refresh import refresh
t1 = time.perf_counter()
result = refresh(Path(sys.argv[1]))
t2 = time.perf_counter()
print(t2 - t1, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
      len(result.analysis.alerts), t1 - t0)
"""


def measure(code: str, path: Path) -> tuple[float, float, str, float]:
    """(seconds, peak MB, count, import seconds) printed by the snippet."""
    out = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True
    ).stdout.split()
    return float(out[0]), float(out[1]), out[2], float(out[3]) if len(out) > 3 else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contracts", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path)
    parser.add_argument(
        "--strings",
        choices=("shared", "inline"),
        default="shared",
        help="shared-string table as Excel saves (default), or inline strings",
    )
    parser.add_argument(
        "--open-share",
        type=float,
        default=None,
        help="leave this share of everything open (neglected workbook)",
    )
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="lyue-bench-"))
    source = folder / "bench.xlsx"
    t = time.perf_counter()
    build(
        source, args.contracts, open_share=args.open_share, shared_strings=args.strings == "shared"
    )
    print(
        f"synthetic workbook: {args.contracts} contracts, {args.strings} strings, "
        f"{source.stat().st_size / 1e6:.1f} MB, "
        f"built in {time.perf_counter() - t:.1f} s"
    )
    bare, run = [], []
    for i in range(args.repeat):
        bare.append(measure(BARE_READ, source))
        target = folder / f"run{i}.xlsx"
        shutil.copyfile(source, target)
        run.append(measure(REFRESH, target))
    bare_s = sorted(b[0] for b in bare)[len(bare) // 2]
    run_s = sorted(r[0] for r in run)[len(run) // 2]
    imports = sorted(r[3] for r in run)[len(run) // 2]
    result = {
        "bare_calamine_read_s": round(bare_s, 2),
        "refresh_s": round(run_s, 2),
        "ratio": round(run_s / bare_s, 2),
        "refresh_imports_s": round(imports, 2),
        "ratio_with_imports": round((run_s + imports) / bare_s, 2),
        "refresh_peak_mb": round(max(r[1] for r in run)),
        "bare_peak_mb": round(max(b[1] for b in bare)),
        "alerts": int(run[0][2]),
        "cells_read": int(bare[0][2]),
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(folder / "run0.xlsx", args.keep / "bench-refreshed.xlsx")
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
