"""The 实时指标 sheet's native formulas, recalculated by LibreOffice, equal hand-computed values
and the engine's own figures (DESIGN §3)."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest

from helpers import make_book, put_rows, set_items
from lyue_xl.engine import analyse

UNO_PYTHON = "/usr/bin/python3"
pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None or not Path(UNO_PYTHON).exists(),
    reason="LibreOffice and python3-uno are installed by .ci/run",
)

# 实时指标 rows: B9 合同履约率, B10 按时交付率, B11 质量达标率, B12 回款率, B13 逾期应收金额
CELLS = {
    "fulfillment_rate": "B9",
    "on_time_delivery_rate": "B10",
    "quality_pass_rate": "B11",
    "collection_rate": "B12",
    "overdue_receivable": "B13",
}


def recalc(path: Path, *cells: str) -> dict[str, object]:
    script = Path(__file__).parent / "uno" / "uno_calc.py"
    refs = [f"实时指标!{c}" for c in cells]
    done = subprocess.run(
        [UNO_PYTHON, str(script), str(path), *refs],
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    )
    values = json.loads(done.stdout.strip().splitlines()[-1])
    return {ref.split("!")[1]: value for ref, value in values.items()}


def contract(no: str, **fields: object) -> dict[str, object]:
    row: dict[str, object] = {
        "合同编号": no,
        "合同名称": f"合同{no}",
        "合同性质": "收入性",
        "签订日期": date(2025, 1, 2),
        "评审日期": date(2025, 1, 1),
        "合同金额（元）": 10000,
    }
    row.update(fields)
    return row


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = make_book(tmp_path_factory.mktemp("live"))
    set_items(
        path,
        "设置",
        {
            "统计开始日期": date(2025, 1, 1),
            "统计结束日期": date(2025, 12, 31),
            "基准日期": date(2025, 6, 30),
        },
    )
    put_rows(
        path,
        "合同台账",
        [
            # due in window, fulfilled on time, 合格
            contract(
                "A",
                计划交付日期=date(2025, 3, 1),
                实际交付日期=date(2025, 2, 28),
                履行状态="已履行",
                验收结果="合格",
            ),
            # due in window, fulfilled late, 不合格
            contract(
                "B",
                计划交付日期=date(2025, 4, 1),
                实际交付日期=date(2025, 4, 10),
                履行状态="已履行",
                验收结果="不合格",
            ),
            # due in window, still open (blank state reads 履行中)
            contract("C", 计划交付日期=date(2025, 5, 1)),
            # due on T exactly, delivered after T: not fulfilled as of T
            contract(
                "D",
                计划交付日期=date(2025, 6, 30),
                实际交付日期=date(2025, 7, 2),
                履行状态="已履行",
                验收结果="合格",
            ),
            # 协商解除: left out everywhere
            contract("E", 计划交付日期=date(2025, 3, 15), 履行状态="协商解除"),
            # due after the window end (T): not counted
            contract("F", 计划交付日期=date(2025, 8, 1)),
            # 支出性: not the firm's own performance
            contract(
                "G",
                合同性质="支出性",
                计划交付日期=date(2025, 3, 1),
                实际交付日期=date(2025, 3, 1),
                履行状态="已履行",
                验收结果="合格",
            ),
            # due before S, delivered in window and 合格 (counts for quality only)
            contract(
                "H",
                计划交付日期=date(2024, 12, 20),
                实际交付日期=date(2025, 1, 5),
                履行状态="已履行",
                验收结果="合格",
            ),
        ],
    )
    put_rows(
        path,
        "款项",
        [
            {
                "合同编号": "A",
                "收付类型": "收款",
                "期次": 1,
                "应收付日期": date(2025, 2, 1),
                "应收付金额（元）": 1000,
                "实收付日期": date(2025, 2, 3),
                "实收付金额（元）": 1200,
            },
            {
                "合同编号": "B",
                "收付类型": "收款",
                "期次": 1,
                "应收付日期": date(2025, 5, 1),
                "应收付金额（元）": 2000,
                "实收付日期": date(2025, 5, 2),
                "实收付金额（元）": 500,
            },
            # received after T: not received yet
            {
                "合同编号": "C",
                "收付类型": "收款",
                "期次": 1,
                "应收付日期": date(2025, 6, 1),
                "应收付金额（元）": 3000,
                "实收付日期": date(2025, 7, 1),
                "实收付金额（元）": 3000,
            },
            # due before S, unpaid: overdue but outside the collection window
            {
                "合同编号": "H",
                "收付类型": "收款",
                "期次": 1,
                "应收付日期": date(2024, 12, 1),
                "应收付金额（元）": 400,
            },
            # due after T
            {
                "合同编号": "F",
                "收付类型": "收款",
                "期次": 1,
                "应收付日期": date(2025, 9, 1),
                "应收付金额（元）": 5000,
            },
            # 付款 never counts
            {
                "合同编号": "G",
                "收付类型": "付款",
                "期次": 1,
                "应收付日期": date(2025, 3, 1),
                "应收付金额（元）": 7000,
            },
        ],
    )
    return path


def test_native_formulas_match_hand_computed_values(filled: Path) -> None:
    got = recalc(filled, *CELLS.values(), "B3", "B4", "B5")
    assert got["B3"] == (date(2025, 6, 30) - date(1899, 12, 30)).days
    assert got["B4"] == (date(2025, 1, 1) - date(1899, 12, 30)).days
    # due in [2025-01-01, 2025-06-30], 收入性, not 协商解除: A B C D; fulfilled by T: A B
    assert got["B9"] == pytest.approx(2 / 4)
    # on time: A only
    assert got["B10"] == pytest.approx(1 / 4)
    # delivered in window with a verdict: A 合格, B 不合格, H 合格 (D delivered after T)
    assert got["B11"] == pytest.approx(2 / 3)
    # collection: due in window A 1000 (got 1200 → 1000), B 2000 (500), C 3000 (after T → 0)
    assert got["B12"] == pytest.approx((1000 + 500) / 6000)
    # overdue before T: B 1500, C 3000, H 400
    assert got["B13"] == pytest.approx(4900)


def test_native_formulas_agree_with_the_engine(filled: Path) -> None:
    got = recalc(filled, *CELLS.values())
    analysis = analyse(filled)
    for key, cell in CELLS.items():
        assert got[cell] == pytest.approx(analysis.indicator(key).value), key


def test_empty_period_shows_no_data(tmp_path: Path) -> None:
    path = make_book(tmp_path)
    set_items(path, "设置", {"基准日期": date(2025, 6, 30)})
    got = recalc(path, *CELLS.values())
    assert [got[c] for c in ("B9", "B10", "B11", "B12")] == ["无数据"] * 4
    assert got["B13"] == 0
    analysis = analyse(path)
    assert analysis.indicator("fulfillment_rate").value is None


def test_times_of_day_count_as_their_date(tmp_path: Path) -> None:
    """Date cells holding a time (DESIGN §2: date-times are truncated to dates), in the records
    and in 基准日期: the formulas judge the day, as the engine does."""
    path = make_book(tmp_path)
    set_items(
        path,
        "设置",
        {"统计开始日期": date(2025, 1, 1), "基准日期": datetime(2025, 6, 30, 17, 45)},
    )
    put_rows(
        path,
        "合同台账",
        [
            # delivered later on the planned day: on time
            contract(
                "A",
                计划交付日期=datetime(2025, 3, 1, 8, 0),
                实际交付日期=datetime(2025, 3, 1, 18, 0),
                验收结果="合格",
                履行状态="已履行",
            ),
            # due and delivered on T, in the morning: fulfilled and on time
            contract(
                "B",
                计划交付日期=date(2025, 6, 30),
                实际交付日期=datetime(2025, 6, 30, 9, 0),
                验收结果="不合格",
                履行状态="已履行",
            ),
            # delivered the day after it was due: late
            contract(
                "C",
                计划交付日期=datetime(2025, 4, 1, 23, 0),
                实际交付日期=date(2025, 4, 2),
                履行状态="已履行",
            ),
        ],
    )
    put_rows(
        path,
        "款项",
        [
            # due on T at noon, received on T in the evening: collected, not overdue
            {
                "合同编号": "A",
                "收付类型": "收款",
                "期次": 1,
                "应收付日期": datetime(2025, 6, 30, 12, 0),
                "应收付金额（元）": 1000,
                "实收付日期": datetime(2025, 6, 30, 20, 0),
                "实收付金额（元）": 1000,
            },
            # due the day before T late at night, unpaid: overdue
            {
                "合同编号": "B",
                "收付类型": "收款",
                "期次": 1,
                "应收付日期": datetime(2025, 6, 29, 23, 30),
                "应收付金额（元）": 500,
            },
        ],
    )
    got = recalc(path, *CELLS.values(), "B3")
    assert got["B3"] == (date(2025, 6, 30) - date(1899, 12, 30)).days
    assert got["B9"] == pytest.approx(3 / 3)
    assert got["B10"] == pytest.approx(2 / 3)
    assert got["B11"] == pytest.approx(1 / 2)
    assert got["B12"] == pytest.approx(1000 / 1500)
    assert got["B13"] == pytest.approx(500)
    analysis = analyse(path)
    for key, cell in CELLS.items():
        assert got[cell] == pytest.approx(analysis.indicator(key).value), key


def test_blank_start_with_an_earlier_end_starts_in_the_end_year(tmp_path: Path) -> None:
    """设置 统计结束日期 in an earlier year than 基准日期, 统计开始日期 blank: S is 1 Jan of
    min(E, T)'s year (DESIGN §3), in the formulas as in the engine."""
    path = make_book(tmp_path)
    set_items(path, "设置", {"统计结束日期": date(2024, 12, 31), "基准日期": date(2025, 6, 30)})
    put_rows(
        path,
        "合同台账",
        [
            contract(
                "A",
                签订日期=date(2024, 1, 2),
                评审日期=date(2024, 1, 1),
                计划交付日期=date(2024, 6, 1),
                实际交付日期=date(2024, 6, 1),
                履行状态="已履行",
            )
        ],
    )
    got = recalc(path, "B4", "B9")
    assert got["B4"] == (date(2024, 1, 1) - date(1899, 12, 30)).days
    assert got["B9"] == pytest.approx(1.0)
    assert analyse(path).indicator("fulfillment_rate").value == pytest.approx(1.0)
