"""Helpers for tests: real workbooks made by the product itself, filled by header labels.

``put_rows`` finds the header row the way the acceptance tests do (the first row holding the
labels), so it works on the template and on hand-made sheets alike.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from lyue_xl.workbook.template import new_workbook

SRC = Path(__file__).resolve().parents[1] / "src"
HEADER_SEARCH_ROWS = 30


def fold(label: object) -> str:
    """Labels compare after NFKC folding with no spaces ("合同金额(元)" is "合同金额（元）")."""
    return "".join(unicodedata.normalize("NFKC", str(label)).split())


def make_book(tmp_path: Path, name: str = "台账.xlsx", org: str = "测试公司") -> Path:
    """A blank record workbook written by the product (``lyue-xl new``)."""
    return new_workbook(tmp_path / name, org)


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _sheet(book: openpyxl.Workbook, sheet_name: str) -> Worksheet:
    for ws in book.worksheets:
        if fold(ws.title) == fold(sheet_name):
            return ws
    raise KeyError(f"no sheet {sheet_name!r} in {book.sheetnames}")


def find_header(ws: Worksheet, labels: Sequence[str]) -> tuple[int, dict[str, int]]:
    """(header row, folded label -> column) of the first row holding all ``labels``."""
    wanted = {fold(label) for label in labels}
    for row in ws.iter_rows(min_row=1, max_row=HEADER_SEARCH_ROWS):
        found = {
            fold(cell.value): cell.column
            for cell in row
            if isinstance(cell.value, str) and fold(cell.value) in wanted
        }
        if len(found) == len(wanted):
            return row[0].row, found
    raise KeyError(f"no header row with {sorted(wanted)} in sheet {ws.title!r}")


def _write(ws: Worksheet, row: int, column: int, value: object) -> None:
    cell = ws.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text the user typed, never a formula
    elif isinstance(value, datetime):
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, date):
        cell.number_format = "yyyy-mm-dd"


def put_rows(path: Path, sheet_name: str, rows: Sequence[Mapping[str, object]]) -> list[int]:
    """Append ``rows`` ({label: value}) below the last filled row; returns their Excel rows.

    A label that is not in the header row is an error (a typo in a test must not pass silently).
    ``None`` leaves the cell blank.
    """
    if not rows:
        return []
    book = openpyxl.load_workbook(path)
    ws = _sheet(book, sheet_name)
    header, columns = find_header(ws, sorted({label for row in rows for label in row}))
    used = list(columns.values())
    next_row = header + 1
    for r in range(header + 1, ws.max_row + 1):
        if any(ws.cell(row=r, column=c).value not in (None, "") for c in used):
            next_row = r + 1
    written = []
    for offset, values in enumerate(rows):
        row = next_row + offset
        for label, value in values.items():
            if value is not None:
                _write(ws, row, columns[fold(label)], value)
        written.append(row)
    book.save(path)
    return written


def set_items(path: Path, sheet_name: str, items: Mapping[str, object]) -> None:
    """Set 内容 of rows of a 项目/内容 sheet (基本信息, 设置) by their 项目 label."""
    book = openpyxl.load_workbook(path)
    ws = _sheet(book, sheet_name)
    wanted = {fold(label): value for label, value in items.items()}
    done: set[str] = set()
    for row in ws.iter_rows(min_row=1, max_row=ws.max_row):
        for cell in row:
            key = fold(cell.value) if isinstance(cell.value, str) else None
            if key in wanted and key not in done:
                _write(ws, cell.row, cell.column + 1, wanted[key])
                done.add(key)
                break
    missing = set(wanted) - done
    if missing:
        raise KeyError(f"no item {sorted(missing)} in sheet {sheet_name!r}")
    book.save(path)


def run_cli(*args: object, cwd: Path | None = None) -> tuple[int, str, str]:
    """Run ``python -m lyue_xl ARGS`` in a subprocess: (exit code, stdout, stderr), UTF-8."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH", "")]))
    env["PYTHONIOENCODING"] = "utf-8"
    done = subprocess.run(
        [sys.executable, "-m", "lyue_xl", *map(str, args)],
        capture_output=True,
        cwd=cwd,
        env=env,
        timeout=300,
    )
    return (
        done.returncode,
        done.stdout.decode("utf-8", "replace"),
        done.stderr.decode("utf-8", "replace"),
    )


# the period of the imported ledgers' tests (tests/test_import*.py)
IMPORT_PERIOD = ("--from", "2024-01-01", "--to", "2025-12-31", "--as-of", "2025-12-31")


def indicator_figures(
    book: Path, *args: str, period: Sequence[str] = IMPORT_PERIOD
) -> dict[str, tuple[object, object, object]]:
    """`lyue-xl indicators --json`: key → (value, numerator, denominator)."""
    code, out, err = run_cli("indicators", book, *period, *args, "--json")
    assert code == 0, err
    return {
        i["key"]: (i["value"], i["numerator"], i["denominator"])
        for i in json.loads(out)["indicators"]
    }
