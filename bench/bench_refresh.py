"""Benchmark: `refresh` end to end on a large synthetic workbook, against a bare calamine read
of the same file, measured in the same run (issue 3 item 7).

    python bench/bench_refresh.py [--scale N | --contracts 10000] [--open-share 0.2 …]
                                  [--strings shared|inline] [--repeat 3] [--keep DIR]

Reports a tidy ledger and a neglected one (``--open-share``: that share of everything open) by
default. Each measurement runs in a fresh subprocess: the bare calamine read, ``refresh()``
timed inside its process, and the whole ``lyue-xl refresh`` command from the interpreter's
start to its exit (wall and CPU seconds), against the bare read's whole process. Peak memory is
each process's own VmHWM (ru_maxrss would include the parent's memory at fork).
``--strings shared`` (the default) writes text through a shared-string table, as Excel and WPS
save a workbook; ``inline`` writes each text in its cell (xlsxwriter's constant_memory mode).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
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


PEAK = """
def peak_mb():
    # this process's own peak: VmHWM of its memory map (ru_maxrss would include the parent's
    # memory at fork, which exec folds into it on Linux)
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
"""

BARE_READ = (
    PEAK
    + """
import sys, time
t = time.perf_counter()
from python_calamine import CalamineWorkbook
book = CalamineWorkbook.from_path(sys.argv[1])
cells = sum(len(r) for n in book.sheet_names for r in book.get_sheet_by_name(n).to_python())
print(time.perf_counter() - t, peak_mb(), cells, 0.0)
"""
)

REFRESH = (
    PEAK
    + """
import sys, time
from pathlib import Path
t0 = time.perf_counter()
from lyue_xl.refresh import refresh
t1 = time.perf_counter()
result = refresh(Path(sys.argv[1]))
t2 = time.perf_counter()
print(t2 - t1, peak_mb(), len(result.analysis.alerts), t1 - t0)
"""
)

# the well-formedness check refresh runs over every XML part before it writes (issue 18), alone
XML_CHECK = (
    PEAK
    + """
import sys, time
from pathlib import Path
from lyue_xl.workbook.integrity import check_package_xml
t = time.perf_counter()
check_package_xml(Path(sys.argv[1]), skip_sheets=("指标看板", "预警清单", "体系自评"))
print(time.perf_counter() - t, peak_mb(), 0, 0.0)
"""
)

# the whole command a user runs, from the interpreter's start (imports, output, exit)
CLI = (
    PEAK
    + """
import sys, runpy, atexit
sys.argv = ["lyue-xl", "refresh", sys.argv[1]]
atexit.register(lambda: print("PEAK", peak_mb(), file=sys.stderr))
runpy.run_module("lyue_xl", run_name="__main__")
"""
)


def measure(code: str, path: Path) -> dict[str, float]:
    """What the snippet printed (seconds inside, peak MB, count, import seconds), and the whole
    process: wall seconds from start to exit, and CPU seconds (user + system, all threads)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True
    )
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if code is CLI:
        peak = float(done.stderr.split("PEAK")[-1].split()[0])
        return {
            "inside": wall,
            "peak": peak,
            "count": 0.0,
            "imports": 0.0,
            "wall": wall,
            "cpu": cpu,
        }
    out = done.stdout.split()
    return {
        "inside": float(out[0]),
        "peak": float(out[1]),
        "count": float(out[2]),
        "imports": float(out[3]),
        "wall": wall,
        "cpu": cpu,
    }


def median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def bench_one(folder: Path, label: str, contracts: int, open_share: float | None, args) -> dict:
    source = folder / f"{label}.xlsx"
    t = time.perf_counter()
    build(source, contracts, open_share=open_share, shared_strings=args.strings == "shared")
    print(
        f"{label}: {contracts} contracts, {args.strings} strings, "
        f"{source.stat().st_size / 1e6:.1f} MB, built in {time.perf_counter() - t:.1f} s",
        flush=True,
    )
    bare, run, cli, xml = [], [], [], []
    for i in range(args.repeat):
        bare.append(measure(BARE_READ, source))
        xml.append(measure(XML_CHECK, source))
        target = folder / f"{label}-run{i}.xlsx"
        shutil.copyfile(source, target)
        run.append(measure(REFRESH, target))
        shutil.copyfile(source, target)
        cli.append(measure(CLI, target))
    b = {k: median([m[k] for m in bare]) for k in bare[0]}
    r = {k: median([m[k] for m in run]) for k in run[0]}
    c = {k: median([m[k] for m in cli]) for k in cli[0]}
    x = median([m["inside"] for m in xml])
    result = {
        "ledger": label,
        "contracts": contracts,
        "alerts": int(run[0]["count"]),
        "cells_read": int(bare[0]["count"]),
        "bare_read_s": round(b["inside"], 2),
        "refresh_s": round(r["inside"], 2),
        "ratio_inside": round(r["inside"] / b["inside"], 2),
        "refresh_imports_s": round(r["imports"], 2),
        "xml_check_s": round(x, 2),  # in a thread during the read, so only partly added
        "xml_check_vs_bare_read": round(x / b["inside"], 2),
        "bare_process_s": round(b["wall"], 2),
        "cli_process_s": round(c["wall"], 2),
        "ratio_process": round(c["wall"] / b["wall"], 2),
        "bare_process_cpu_s": round(b["cpu"], 2),
        "cli_process_cpu_s": round(c["cpu"], 2),
        "ratio_process_cpu": round(c["cpu"] / b["cpu"], 2),
        "bare_peak_mb": round(max(m["peak"] for m in bare)),
        "refresh_peak_mb": round(max(m["peak"] for m in run + cli)),
    }
    print(json.dumps(result, ensure_ascii=False), flush=True)
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(folder / f"{label}-run0.xlsx", args.keep / f"{label}-refreshed.xlsx")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contracts", type=int, default=None)
    parser.add_argument(
        "--scale", type=int, default=1, help="N × 10,000 contracts (ignored with --contracts)"
    )
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
        nargs="*",
        default=[0.2],
        help="neglected ledgers: leave this share of everything open (default 0.2; none: "
        "only the tidy ledger)",
    )
    args = parser.parse_args()
    contracts = args.contracts or 10_000 * args.scale
    folder = Path(tempfile.mkdtemp(prefix="lyue-bench-"))
    results = [bench_one(folder, "tidy", contracts, None, args)]
    for share in args.open_share:
        results.append(bench_one(folder, f"neglected{share}", contracts, share, args))
    print(json.dumps(results, ensure_ascii=False, indent=2))
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
