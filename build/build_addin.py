"""Build lyue_xl.xlam: ``python build/build_addin.py [-o DIR]`` (default: dist/)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from lyue_xl.excel.addin import build_addin  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="生成 Excel 加载项 lyue_xl.xlam")
    parser.add_argument("-o", "--out", type=Path, default=ROOT / "dist", help="输出文件夹")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    path = build_addin(args.out)
    seconds = time.perf_counter() - started
    print(f"已生成 {path}（{path.stat().st_size:,} 字节，用时 {seconds:.2f} 秒）")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
