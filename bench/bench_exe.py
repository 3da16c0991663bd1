"""Start-up and demo time of the bundled program against ``python -m lyue_xl`` on this machine.

    python build/build_exe.py
    python bench/bench_exe.py [--program dist/lyue-xl/lyue-xl] [--runs 11]

Prints, for ``--version``: the first run and the median of the following runs (wall clock of
the whole process, subprocess + perf_counter; the two commands run in turns), for the built
program and for ``python -m lyue_xl``; the ratios of the medians and of the minima; then ``demo`` into a temporary folder through the
program and through Python (median of 3).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "build"))
from build_exe import program_path  # noqa: E402


def timed(command: list[str], env: dict[str, str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, env=env, cwd=cwd, capture_output=True)
    return time.perf_counter() - started


def interleaved(
    commands: list[tuple[list[str], dict[str, str]]], runs: int, cwd: Path
) -> list[tuple[float, float, float]]:
    """(first run, median, minimum) of each command, the runs taken in turns so that a load
    on the machine weighs on every command alike."""
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(runs + 1):
        for index, (command, env) in enumerate(commands):
            times[index].append(timed(command, env, cwd))
    return [(t[0], statistics.median(t[1:]), min(t[1:])) for t in times]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--program", type=Path, default=program_path(ROOT / "dist" / "lyue-xl"))
    parser.add_argument("--runs", type=int, default=31)
    args = parser.parse_args()
    program = args.program.resolve()
    plain = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    source = {**plain, "PYTHONPATH": str(ROOT / "src")}
    python = [sys.executable, "-m", "lyue_xl"]
    with tempfile.TemporaryDirectory() as folder:
        here = Path(folder)
        (exe_first, exe_median, exe_min), (py_first, py_median, py_min) = interleaved(
            [([str(program), "--version"], plain), ([*python, "--version"], source)],
            args.runs,
            here,
        )
        print(
            f"--version  program: first {exe_first:.3f} s, median {exe_median:.3f} s, min {exe_min:.3f} s"
        )
        print(
            f"--version  python -m lyue_xl: first {py_first:.3f} s, median {py_median:.3f} s, min {py_min:.3f} s"
        )
        print(
            f"ratio program / python: median {exe_median / py_median:.2f}, min {exe_min / py_min:.2f}"
        )
        demo_exe = [
            timed([str(program), "demo", str(here / f"exe{i}")], plain, here) for i in range(3)
        ]
        demo_py = [timed([*python, "demo", str(here / f"py{i}")], source, here) for i in range(3)]
        print(
            f"demo  program: median {statistics.median(demo_exe):.2f} s  ({', '.join(f'{t:.2f}' for t in demo_exe)})"
        )
        print(
            f"demo  python -m lyue_xl: median {statistics.median(demo_py):.2f} s  ({', '.join(f'{t:.2f}' for t in demo_py)})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
