"""Benchmark: every workbook-reading command as a whole process at 1× / 3× / 10× (10k, 30k,
100k contracts), wall time and peak memory, against a bare python-calamine read of the same file
in the same run (issue 16 items 2–4). The bare read is repeated right before each command (the
load of a shared machine changes), and CPU seconds (user + system, all threads) are given beside
the wall seconds.

    python bench/bench_scale.py [--scale 1 3 10] [--commands check report …]
                                [--open-share 0.2] [--pages] [--keep DIR]

The ledgers are ``bench_refresh.build`` (10k contracts, 50k milestones, 50k payments per 1×; a
tidy one, and with ``--open-share`` a neglected one). Each command runs as ``python -m lyue_xl``
in a fresh process; its peak memory is that process's own VmHWM, read from /proc/self/status at
exit by a small wrapper (ru_maxrss would include the parent's memory at fork). ``refresh`` gets
its own copy of the ledger, so that every other command reads the ledger as built. ``--pages``
converts the Word documents (the report, the review input, the audit pack's three .docx) with
LibreOffice and counts their pages with pdfinfo. Scales run one after another; the results are
printed as one JSON line per command and a table at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_refresh import BARE_READ, PEAK, build  # noqa: E402  (the ledger builder, reused)

# the whole command a user runs, from the interpreter's start to its exit; the peak is printed
# on stderr by an exit handler (after the command's own output)
WRAPPER = (
    PEAK
    + """
import sys, runpy, atexit
sys.argv = ["lyue-xl", *sys.argv[1:]]
atexit.register(lambda: print("\\nPEAK", peak_mb(), file=sys.stderr))
runpy.run_module("lyue_xl", run_name="__main__")
"""
)

COMMANDS = (
    "check",
    "indicators",
    "alerts",
    "refresh",
    "report",
    "review-input",
    "audit-pack",
    "manual",
    "audit-kit",
    "policy-drafts",
    "forms",
    "fix-types",
)
DOCUMENTS = {"report": ".docx", "review-input": ".docx", "manual": ".docx", "audit-pack": ".zip"}


def command_args(command: str, ledger: Path, out: Path) -> list[str]:
    """The command line (after ``lyue-xl``) for ``command`` on ``ledger``, writing under ``out``."""
    if command in DOCUMENTS:
        return [command, str(ledger), "-o", str(out / f"{command}{DOCUMENTS[command]}")]
    if command == "audit-kit":
        return [command, str(ledger), "-o", str(out / "audit-kit.zip")]
    if command == "policy-drafts":
        return [command, str(ledger), "-o", str(out / "policies")]
    if command == "forms":  # one form per supplier (200 per ledger at every scale)
        return [command, str(ledger), "--kind", "供应商评价表", "-o", str(out / "forms.docx")]
    if command in ("indicators", "alerts", "check"):
        return [command, str(ledger), "--json"]
    if command == "fix-types":
        return [command, str(ledger), "--dry-run", "--json"]
    return [command, str(ledger)]


def run_process(args: list[str], code: str | None = None) -> dict[str, float]:
    """Run ``python -c code args`` (default: the lyue-xl wrapper); wall seconds, peak MB, exit code."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code or WRAPPER, *args],
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if code is not None:  # the bare read prints: seconds, peak, cells, 0
        out = done.stdout.split()
        return {"wall": wall, "cpu": cpu, "peak": float(out[1]), "rc": done.returncode}
    err = done.stderr.decode("utf-8", "replace")
    if "PEAK" not in err:
        raise RuntimeError(f"{args[0]} failed (exit {done.returncode}): {err[-800:]}")
    if done.returncode not in (0, 1):  # 1: check found data errors (not a failure here)
        raise RuntimeError(f"{args[0]} exit {done.returncode}: {err[-800:]}")
    peak = float(err.split("PEAK")[-1].split()[0])
    return {"wall": wall, "cpu": cpu, "peak": peak, "rc": done.returncode}


def pages(files: list[Path], folder: Path) -> dict[str, int]:
    """Pages of each .docx after LibreOffice converts it to PDF (one run, own profile)."""
    if not files:
        return {}
    office = shutil.which("soffice") or shutil.which("libreoffice") or "soffice"
    profile = folder / "lo-profile"
    pdfs = folder / "pdf"
    subprocess.run(
        [
            office,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(pdfs),
            *map(str, files),
        ],
        check=True,
        capture_output=True,
        timeout=3600,
    )
    counts = {}
    for f in files:
        info = subprocess.run(
            ["pdfinfo", str(pdfs / (f.stem + ".pdf"))], check=True, capture_output=True
        ).stdout.decode()
        counts[f.name] = int(
            next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:"))
        )
    shutil.rmtree(profile, ignore_errors=True)
    return counts


def documents_of(command: str, out: Path) -> list[Path]:
    """The Word files ``command`` wrote under ``out`` (the audit pack's .docx taken out of the zip)."""
    if command in ("report", "review-input"):
        return [out / f"{command}.docx"]
    if command == "audit-pack":
        folder = out / "audit-pack"
        with zipfile.ZipFile(out / "audit-pack.zip") as pack:
            names = [n for n in pack.namelist() if n.endswith(".docx")]
            pack.extractall(folder, names)
        return [folder / n for n in names]
    return []


def bench_ledger(folder: Path, label: str, contracts: int, share: float | None, args) -> list:
    source = folder / f"{label}.xlsx"
    t = time.perf_counter()
    build(source, contracts, open_share=share)
    print(
        f"{label}: {contracts} contracts, {source.stat().st_size / 1e6:.1f} MB, "
        f"built in {time.perf_counter() - t:.1f} s; load {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    results = []
    for command in args.commands:
        out = folder / f"{label}-{command}"
        out.mkdir()
        ledger = source
        if command in ("refresh", "fix-types"):  # writes (or may write) the workbook
            ledger = out / source.name
            shutil.copyfile(source, ledger)
        load = os.getloadavg()[0]
        # the bare read right before each command: on a shared machine the load changes
        bare = run_process([str(source)], BARE_READ)
        m = run_process(command_args(command, ledger, out))
        row = {
            "ledger": label,
            "contracts": contracts,
            "command": command,
            "s": round(m["wall"], 2),
            "ratio": round(m["wall"] / bare["wall"], 2),
            "cpu_s": round(m["cpu"], 2),
            "cpu_ratio": round(m["cpu"] / bare["cpu"], 2),
            "peak_mb": round(m["peak"]),
            "bare_s": round(bare["wall"], 2),
            "bare_cpu_s": round(bare["cpu"], 2),
            "bare_peak_mb": round(bare["peak"]),
            "exit": m["rc"],
            "load": round(load, 1),
        }
        if args.pages and command in ("report", "review-input", "audit-pack"):
            row["pages"] = pages(documents_of(command, out), out)
        print(json.dumps(row, ensure_ascii=False), flush=True)
        results.append(row)
        if not args.keep:
            shutil.rmtree(out, ignore_errors=True)
    if not args.keep:
        source.unlink()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, nargs="+", default=[1, 3, 10], help="N × 10,000")
    parser.add_argument("--commands", nargs="+", choices=COMMANDS, default=list(COMMANDS))
    parser.add_argument(
        "--open-share",
        type=float,
        nargs="*",
        default=[],
        help="also a neglected ledger with this share of everything open (e.g. 0.2)",
    )
    parser.add_argument("--pages", action="store_true", help="page counts (LibreOffice, pdfinfo)")
    parser.add_argument("--keep", type=Path, help="keep the ledgers and outputs in this folder")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="lyue-scale-"))
    folder.mkdir(parents=True, exist_ok=True)
    results = []
    try:
        for n in args.scale:
            label = f"{n}x"
            results += bench_ledger(folder, f"tidy-{label}", 10_000 * n, None, args)
            for share in args.open_share:
                results += bench_ledger(
                    folder, f"neglected{share}-{label}", 10_000 * n, share, args
                )
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    print()
    print("| ledger | command | time | × bare read | CPU | × bare CPU | peak | pages |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        shown = ", ".join(f"{k} {v}" for k, v in r.get("pages", {}).items())
        print(
            f"| {r['ledger']} | {r['command']} | {r['s']:.2f} s | {r['ratio']:.2f}× | "
            f"{r['cpu_s']:.2f} s | {r['cpu_ratio']:.2f}× | {r['peak_mb']} MB | {shown} |"
        )


if __name__ == "__main__":
    main()
