"""Documents stay readable on a large ledger: warnings summarised by type and level with the
first 20 of each listed, record tables capped with a note naming the sheet that holds them all.

The ledger (bench/bench_refresh.py's generator, 120 contracts with half of everything open) has
several hundred warnings; the documents are written by the product and read back with
python-docx.
"""

from __future__ import annotations

import importlib.util
from collections import Counter
from pathlib import Path
from typing import Any

import docx
import pytest

from lyue_xl import schema
from lyue_xl.alerts import TITLES
from lyue_xl.documents.common import ALERTS_PER_GROUP, TABLE_LIMIT
from lyue_xl.documents.report import write_report
from lyue_xl.documents.review_input import write_review_input
from lyue_xl.engine import Analysis, analyse_records
from lyue_xl.workbook.reader import read_records

BENCH = Path(__file__).resolve().parents[1] / "bench" / "bench_refresh.py"


@pytest.fixture(scope="module")
def analysis(tmp_path_factory: pytest.TempPathFactory) -> Analysis:
    spec = importlib.util.spec_from_file_location("bench_refresh", BENCH)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    path = tmp_path_factory.mktemp("scale") / "台账.xlsx"
    bench.build(path, 120, open_share=0.5)
    return analyse_records(read_records(path))


def _table_with(document: Any, *header: str) -> list[list[str]]:
    for table in document.tables:
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        if rows and tuple(rows[0][: len(header)]) == header:
            return rows[1:]
    raise AssertionError(f"no table headed {header}")


def _expected_listing(analysis: Analysis) -> tuple[Counter[tuple[str, str]], int]:
    groups = Counter((a.code, a.level) for a in analysis.alerts)
    listed = sum(min(n, ALERTS_PER_GROUP) for n in groups.values())
    return groups, listed


def _check_alerts(document: Any, analysis: Analysis) -> None:
    groups, listed = _expected_listing(analysis)
    total = len(analysis.alerts)
    assert total > 400 and any(n > ALERTS_PER_GROUP for n in groups.values())
    summary = _table_with(document, "预警类型", "等级", "条款", "数量")
    assert sorted((title, level, int(n)) for title, level, _, n in summary) == sorted(
        (TITLES[code], level, n) for (code, level), n in groups.items()
    )
    details = _table_with(document, "等级", "预警", "记录", "说明", "条款")
    assert len(details) == listed < total
    per_group = Counter((title, level) for level, title, *_ in details)
    assert per_group == Counter(
        {(TITLES[code], level): min(n, ALERTS_PER_GROUP) for (code, level), n in groups.items()}
    )
    text = "\n".join(p.text for p in document.paragraphs)
    assert (
        f"下表按等级和类型各列出前 {ALERTS_PER_GROUP} 条预警（共列出 {listed} 条，全部 {total} 条）"
        in text
    )
    assert f"完整清单见工作簿的「{schema.ALERTS_SHEET}」" in text


def test_report_lists_the_first_warnings_of_each_type_and_caps_record_tables(
    analysis: Analysis, tmp_path: Path
) -> None:
    document = docx.Document(str(write_report(analysis, tmp_path / "报告.docx")))
    _check_alerts(document, analysis)
    text = "\n".join(p.text for p in document.paragraphs)
    open_risks = int((analysis.risks["status"] != "已关闭").sum())
    assert open_risks > TABLE_LIMIT
    risks = _table_with(document, "编号", "类型", "描述", "可能性×影响")
    assert len(risks) == TABLE_LIMIT
    assert (
        f"共 {open_risks} 项未关闭的风险机遇，下表按风险值从高到低列出前 {TABLE_LIMIT} 项；"
        f"全部记录见工作簿的「{schema.RISKS.name}」。" in text
    )
    # the highest risk values first
    values = [int(row[3].split("=")[-1]) for row in risks]
    assert values == sorted(values, reverse=True)
    suppliers = len(analysis.suppliers)
    assert suppliers > TABLE_LIMIT
    assert len(_table_with(document, "编号", "供应商名称")) == TABLE_LIMIT
    assert (
        f"共 {suppliers} 家供应商，下表列出前 {TABLE_LIMIT} 家；"
        f"全部记录见工作簿的「{schema.SUPPLIERS.name}」。" in text
    )


def test_review_input_summarises_warnings_the_same_way(analysis: Analysis, tmp_path: Path) -> None:
    document = docx.Document(str(write_review_input(analysis, tmp_path / "评审输入.docx")))
    _check_alerts(document, analysis)
    text = "\n".join(p.text for p in document.paragraphs)
    assert f"预警情况：截至基准日期 {analysis.period.as_of.isoformat()}，台账共有预警 " in text
