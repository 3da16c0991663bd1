"""The audit pack's contract-review sampling table on a ledger with more sampled contracts than
SAMPLE_LIMIT: the problem contracts first (in signing order), then the others, SAMPLE_LIMIT rows
in all, and the summary counting and naming every problem contract. Written by the product into
a real zip and read back with python-docx."""

from __future__ import annotations

import zipfile
from datetime import date, timedelta
from pathlib import Path

import docx

from helpers import make_book, put_rows
from lyue_xl import schema
from lyue_xl.documents.audit_pack import SAMPLE_LIMIT, write_audit_pack
from lyue_xl.engine import analyse_records
from lyue_xl.workbook.reader import read_records

AS_OF = date(2026, 6, 30)
COUNT = SAMPLE_LIMIT + 12  # contracts signed in the period (2026-01-01..T)
UNREVIEWED = {300, 303, 306, 311}  # no 评审日期
LATE = {0, 301, 304}  # reviewed the day after signing (先签后审)
REJECTED = {302, 305}  # 评审结论 不通过
CHECK_HEADER = "评审核查"


def label(key: str) -> str:
    return schema.CONTRACTS.column(key).label


def contract(i: int) -> dict[str, object]:
    signed = date(2026, 1, 2) + timedelta(days=i // 2)  # two a day, in row order
    reviewed: date | None = signed - timedelta(days=1)
    if i in UNREVIEWED:
        reviewed = None
    elif i in LATE:
        reviewed = signed + timedelta(days=1)
    return {
        label("contract_no"): f"HT-{i:04d}",
        label("name"): f"合同{i}",
        label("nature"): "收入性",
        label("counterparty"): f"客户{i % 7}",
        label("signed_on"): signed,
        label("reviewed_on"): reviewed,
        label("review_result"): "不通过" if i in REJECTED else "通过",
        label("planned_delivery"): signed + timedelta(days=200),
    }


def _contract_table(document: docx.document.Document) -> list[list[str]]:
    for table in document.tables:
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        if rows and rows[0][0] == label("contract_no") and CHECK_HEADER in rows[0][-1]:
            return rows[1:]
    raise AssertionError("no contract review table")


def test_the_sampling_table_lists_problem_contracts_first_up_to_the_limit(tmp_path: Path) -> None:
    book = make_book(tmp_path)
    put_rows(book, schema.CONTRACTS.name, [contract(i) for i in range(COUNT)])
    analysis = analyse_records(read_records(book), None, None, AS_OF)
    pack = write_audit_pack(analysis, tmp_path / "资料包.zip")
    with zipfile.ZipFile(pack) as z:
        (name,) = [n for n in z.namelist() if n.startswith("02-")]
        (tmp_path / "records.docx").write_bytes(z.read(name))
    document = docx.Document(str(tmp_path / "records.docx"))
    rows = _contract_table(document)

    problems = sorted(UNREVIEWED | LATE | REJECTED)  # signing order = row order here
    shown = (
        problems + [i for i in range(COUNT) if i not in problems][: SAMPLE_LIMIT - len(problems)]
    )
    assert len(rows) == SAMPLE_LIMIT
    assert [r[0] for r in rows] == [f"HT-{i:04d}" for i in shown]
    expected_check = {
        **dict.fromkeys(UNREVIEWED, "未评审"),
        **dict.fromkeys(LATE, "先签后审"),
        **dict.fromkeys(REJECTED, "评审不通过"),
    }
    assert [r[-1] for r in rows] == [expected_check.get(i, "签订前已评审") for i in shown]
    unreviewed_row = rows[problems.index(300)]
    assert unreviewed_row[0] == "HT-0300" and "—" in unreviewed_row  # no 评审日期 shown as —
    listed = {r[0] for r in rows}
    assert "HT-0291" in listed and not listed & {"HT-0292", "HT-0299", "HT-0307", "HT-0310"}

    text = "\n".join(p.text for p in document.paragraphs)
    names = "、".join(f"HT-{i:04d}" for i in problems)
    assert (
        f"本期签订合同 {COUNT} 份；签订前未完成评审（先签后审或未评审）或评审不通过的合同 "
        f"{len(problems)} 份：{names}。下表列出 {SAMPLE_LIMIT} 份（问题合同在前），"
        "全部合同见证据记录摘录。"
    ) in text
