"""The ribbon's refresh costs a bounded number of COM round trips, whatever the number of rows.

Counted through ``fake_xlwings.Recording`` (one counted call ≈ one COM round trip of 0.1–1 ms in
Excel): a ledger with ~12,000 warnings, written by the bench's generator, must refresh in at most
500 calls, and writing its 预警清单 must cost no more calls than a 59-warning 预警清单 does.
What this cannot prove: how Excel itself treats the calls (multi-area ``RowHeight``/``ColumnWidth``,
``HYPERLINK`` formulas assigned through ``Range.Value``), which needs Windows with Excel.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from fake_xlwings import Calls as CallCount
from fake_xlwings import FakeBook, Recording
from lyue_xl import schema
from lyue_xl.demo import write_demo_workbook
from lyue_xl.engine import analyse_records
from lyue_xl.excel.actions import run_action
from lyue_xl.excel.book import read_book
from lyue_xl.excel.xlbook import ExcelBook
from lyue_xl.results import alerts_sheet

BOUND = 500
BENCH = Path(__file__).resolve().parents[1] / "bench" / "bench_refresh.py"


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_refresh", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def big_ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("calls") / "大台账.xlsx"
    _bench().build(path, 2000, open_share=0.5)  # half of everything open: ~12,000 warnings
    return path


def _refresh_calls(path: Path) -> tuple[int, FakeBook, CallCount]:
    fake = FakeBook.from_values(path)
    calls = CallCount()
    result = run_action("refresh", ExcelBook(Recording(fake, calls)))
    assert result.ok and "已刷新" in result.summary
    return calls.count, fake, calls


def _alerts_sheet_calls(path: Path) -> tuple[int, int]:
    """(calls to write 预警清单 alone, its warnings)."""
    fake = FakeBook.from_values(path)
    calls = CallCount()
    book = ExcelBook(Recording(fake, calls))
    analysis = analyse_records(read_book(book))
    before = calls.count
    book.write_results([alerts_sheet(analysis)], [])
    return calls.count - before, len(analysis.alerts)


def test_refresh_of_a_ten_thousand_warning_ledger_stays_under_the_bound(big_ledger: Path) -> None:
    count, fake, calls = _refresh_calls(big_ledger)
    alerts = fake.sheets[schema.ALERTS_SHEET]
    links = alerts.formula_links()
    assert len(links) > 10_000  # every warning has its link, as a formula in the values
    assert count <= BOUND, sorted(calls.names.items(), key=lambda kv: -kv[1])[:20]
    assert alerts.links == []  # no Hyperlinks.Add
    assert len(alerts.writes) == 1  # all values, links included, in one Range.value call
    # the wrapped messages' rows are fitted by Excel in one call over the table's rows
    (autofit,) = alerts.autofits
    assert autofit.startswith("5,1:")


def test_alerts_sheet_costs_the_same_for_fifty_or_ten_thousand_warnings(
    big_ledger: Path, tmp_path: Path
) -> None:
    small, small_alerts = _alerts_sheet_calls(write_demo_workbook(tmp_path / "演示.xlsx"))
    big, big_alerts = _alerts_sheet_calls(big_ledger)
    assert small_alerts < 100 < 10_000 < big_alerts
    assert big <= small, (small, big)


def test_demo_refresh_stays_under_the_bound(tmp_path: Path) -> None:
    count, _, calls = _refresh_calls(write_demo_workbook(tmp_path / "演示.xlsx"))
    assert count <= BOUND, sorted(calls.names.items(), key=lambda kv: -kv[1])[:20]
