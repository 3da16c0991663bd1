"""The warning catalogue: every code has a title, a rule, and the level and clause DESIGN §4 gives."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pandas as pd
import pytest

from lyue_xl import alerts
from lyue_xl.alerts import CATALOGUE, RULE_OF, RULES, TITLES

REPO = Path(__file__).resolve().parents[1]
DESIGN = REPO.parent / "shared" / "DESIGN.md"


def _design_warnings() -> dict[str, tuple[str, str]]:
    """code → (level, clause) as listed in DESIGN §4."""
    assert DESIGN.is_file(), f"DESIGN.md 不在 {DESIGN}：测试从仓库旁的 ../shared 读取它"
    text = DESIGN.read_text("utf-8")
    section = text.split("\n## 4.")[1].split("\n## 5.")[0]
    found: dict[str, tuple[str, str]] = {}
    for line in section.splitlines():
        if not line.startswith("- "):
            continue
        head = line.split("—")[0]
        clause = re.findall(r"(\d+(?:\.\d+)*)\s*$", head.strip())
        for code, level in re.findall(r"\b([A-Z][A-Z_]{4,})\s+([高中低])", head):
            found[code] = (level, clause[0] if clause else "")
    return found


def _documented_elsewhere() -> str:
    return "\n".join(p.read_text("utf-8") for p in sorted((REPO / "docs").glob("*.md")))


def test_every_title_is_a_declared_code_and_back() -> None:
    assert set(TITLES) == set(CATALOGUE)
    for code, kind in CATALOGUE.items():
        assert kind.code == code
        assert kind.title == TITLES[code] and kind.title.strip(), code
        assert kind.level in ("高", "中", "低"), code
        assert re.fullmatch(r"\d+(\.\d+)*|附录A", kind.clause), code


def test_every_code_has_a_rule_that_raises_it() -> None:
    functions = [fn for *_, fn in RULES]
    assert len(functions) == len(set(functions))  # a rule runs once even with two codes
    for code, fn in RULE_OF.items():
        assert fn in functions, code
        assert f'"{code}"' in inspect.getsource(fn), f"{fn.__name__} does not name {code}"
    # the two codes raised alongside another one are declared, not just emitted
    assert RULE_OF["RECEIVABLE_DUE_SOON"] is RULE_OF["RECEIVABLE_OVERDUE"]
    assert RULE_OF["PAYABLE_DUE_SOON"] is RULE_OF["PAYABLE_OVERDUE"]


def test_every_code_is_documented_with_its_level_and_clause() -> None:
    design = _design_warnings()
    assert len(design) >= 22
    others = _documented_elsewhere()
    for code, kind in CATALOGUE.items():
        if code in design:
            assert design[code] == (kind.level, kind.clause), code
        else:
            assert code in others, f"{code} is neither in DESIGN §4 nor in docs/"
    assert set(design) <= set(CATALOGUE)


def test_design_levels_of_the_due_soon_pairs() -> None:
    design = _design_warnings()
    assert design["MILESTONE_DUE_SOON"] == ("低", "9.4")
    assert design["MILESTONE_OVERDUE"] == ("中", "9.4")
    assert design["RECEIVABLE_DUE_SOON"] == ("低", "8.1.3.2")
    assert design["PAYABLE_DUE_SOON"] == ("中", "5.2.2")


def test_emit_refuses_a_level_or_clause_other_than_declared() -> None:
    frame = pd.DataFrame({"row": [5]})
    one = pd.Series(["HT-1"])
    with pytest.raises(ValueError, match="CONTRACT_DUE_SOON"):
        alerts.emit("CONTRACT_DUE_SOON", "高", "合同台账", "9.4", frame, one, one)
    with pytest.raises(ValueError, match="CONTRACT_DUE_SOON"):
        alerts.emit("CONTRACT_DUE_SOON", "中", "合同台账", "9.2", frame, one, one)
    got = alerts.emit("CONTRACT_DUE_SOON", "中", "合同台账", "9.4", frame, one, one)
    assert [(a.code, a.level, a.clause, a.row) for a in got] == [
        ("CONTRACT_DUE_SOON", "中", "9.4", 5)
    ]


def test_a_code_cannot_be_declared_twice() -> None:
    with pytest.raises(ValueError, match="declared twice"):
        alerts.rule("CONTRACT_DUE_SOON", "中", "9.4")(lambda ctx: [])
