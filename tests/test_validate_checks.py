"""The declared checks of `check`: every code has a Chinese description, a check and a test."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from lyue_xl import validate
from lyue_xl.validate import CHECKS, CODES, ERROR, READER_CODES, WARNING
from lyue_xl.workbook.reader import Records

TESTS = Path(__file__).resolve().parent
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_code_has_a_chinese_description_and_a_check() -> None:
    declared = {code for c in CHECKS for code in c.codes}
    assert declared == set(CODES)
    assert set(READER_CODES) <= declared
    for code, description in CODES.items():
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", code), code
        assert CJK.search(description), code
    names = [c.name for c in CHECKS]
    assert len(names) == len(set(names))
    for c in CHECKS:
        assert CJK.search(c.what), c.name
        assert c.levels and set(c.levels) <= {ERROR, WARNING}, c.name
        source = inspect.getsource(c.run)
        for code in c.codes:
            if code not in READER_CODES:  # the reader's codes are passed on as they come
                assert f'"{code}"' in source or "date_order" in source, (c.name, code)


def test_every_code_has_a_test() -> None:
    """Each code is named, as a quoted string, by a test other than this catalogue."""
    texts = [
        p.read_text("utf-8")
        for p in sorted(TESTS.glob("test_*.py"))
        if p.name != Path(__file__).name
    ]
    untested = [code for code in CODES if not any(f'"{code}"' in t for t in texts)]
    assert untested == []


def test_the_checks_run_in_their_declared_order() -> None:
    names = [c.name for c in CHECKS]
    assert names[:4] == [
        "reader_issues",
        "sheets_and_headers",
        "missing_columns",
        "settings_period",
    ]
    assert names[-1] == "evidence_files"
    assert names.index("required") < names.index("unique") < names.index("references")


def test_a_check_cannot_report_what_it_did_not_declare() -> None:
    records = Records(Path("台账.xlsx"), {}, {}, {}, {}, [], [])
    checker = validate._Checker(records)
    checker.current = validate.Check("demo", ("date-range",), (WARNING,), "演示", lambda ck: None)
    checker.add("date-range", WARNING, "合同台账", 3, "签订日期(F)", 5, None, "日期", "请核对。")
    with pytest.raises(ValueError, match="demo reported ref-unknown"):
        checker.add("ref-unknown", WARNING, "合同台账", 3, "签订日期(F)", 5, None, "x", "y")
    with pytest.raises(ValueError, match="date-range/错误"):
        checker.add("date-range", ERROR, "合同台账", 3, "签订日期(F)", 5, None, "x", "y")
    assert [p.code for p in checker.sorted()] == ["date-range"]


def test_a_code_must_be_known_and_a_check_declared_once() -> None:
    with pytest.raises(ValueError, match="unknown code"):
        validate.check("no-such-code", WARNING, "无")(lambda ck: None)
    with pytest.raises(ValueError, match="unknown code or level"):
        validate.check("date-range", "提示", "无")(lambda ck: None)

    def _required(ck: object) -> None:  # the name of a declared check
        return None

    with pytest.raises(ValueError, match="declared twice"):
        validate.check("required-missing", ERROR, "重复")(_required)
    assert len([c for c in CHECKS if c.name == "required"]) == 1
