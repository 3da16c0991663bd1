"""体系自评: judge every clause of Q/QJC 002—2025 (4–11 and 附录A) from the live records.

The clause catalogue is data (``clauses.toml`` beside this file, shipped inside the package); each
clause names a rule in :mod:`lyue_xl.assessment.rules`. :func:`assess` runs them all as of T and
returns an :class:`Assessment` with one :class:`ClauseResult` per clause and an overall readiness.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from lyue_xl import schema
from lyue_xl.assessment.rules import MANUAL, NA, OK, PARTIAL, RULES, STATUSES, Ctx
from lyue_xl.evidence import Link, links_of
from lyue_xl.period import Period, credit_valid_months
from lyue_xl.workbook.reader import Records

__all__ = [
    "CATALOGUE_FILE",
    "Assessment",
    "Clause",
    "ClauseResult",
    "assess",
    "chapter_titles",
    "load_catalogue",
    "readiness_of",
]

CATALOGUE_FILE = "clauses.toml"  # inside the package: lyue_xl/assessment/clauses.toml
STATUS_SCORE: dict[str, float] = {OK: 1.0, PARTIAL: 0.5, "不符合": 0.0}


@dataclass(frozen=True)
class Clause:
    number: str
    title: str
    requirement: str
    evidence: tuple[str, ...]  # sheet names
    rule: str
    suggestion: str
    look_at: str = ""
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def chapter(self) -> str:
        """ "9" for 9.2, "附录A" for the annex."""
        return self.number.split(".")[0]


@dataclass(frozen=True)
class ClauseResult:
    number: str
    title: str
    requirement: str
    status: str  # 符合/部分符合/不符合/不适用/需人工确认
    evidence: str  # e.g. "合同台账：近12个月签订 38 份，评审在签订前 36 份（如 HT-2025-001、HT-2025-007）"
    sheet: str
    count: int
    examples: tuple[str, ...]
    gap: str
    suggestion: str


@dataclass(frozen=True)
class Assessment:
    results: list[ClauseResult]
    # what the records prove: 符合 = 1, 部分符合 = 0.5, 不符合 = 0, averaged over the clauses the
    # records can judge (不适用 and 需人工确认 excluded); 0.0 when there is none
    readiness: float
    counts: dict[str, int]  # per status, all five keys

    @property
    def manual_count(self) -> int:
        """Clauses only a document or an interview can prove (需人工确认)."""
        return self.counts.get(MANUAL, 0)

    @property
    def percent_text(self) -> str:
        """The readiness figure alone, rounded half up: 0.875 -> "88%", 0.025 -> "3%"."""
        return f"{math.floor(self.readiness * 100 + 0.5 + 1e-9)}%"

    @property
    def readiness_text(self) -> str:
        """The readiness as people read it, with the clauses the records cannot prove counted
        apart: "62%（记录可证实；另有 12 条需审核时人工确认）"."""
        if self.manual_count:
            return f"{self.percent_text}（记录可证实；另有 {self.manual_count} 条需审核时人工确认）"
        return f"{self.percent_text}（记录可证实）"

    def as_json(self) -> dict[str, Any]:
        return {
            "readiness": self.readiness,
            "manual": self.manual_count,
            "counts": dict(self.counts),
            "results": [
                {**asdict(result), "examples": list(result.examples)} for result in self.results
            ],
        }


# --- the catalogue ------------------------------------------------------------------------------

_REQUIRED_TEXT = ("number", "title", "requirement", "rule", "suggestion")


def _parse_catalogue(data: Mapping[str, Any], origin: str) -> list[Clause]:
    problems: list[str] = []
    clauses: list[Clause] = []
    seen: set[str] = set()
    for index, entry in enumerate(data.get("clause", [])):
        where = f"{origin} 第 {index + 1} 条（{entry.get('number', '?')}）"
        missing = [k for k in _REQUIRED_TEXT if not str(entry.get(k, "")).strip()]
        if missing:
            problems.append(f"{where} 缺少 {', '.join(missing)}")
            continue
        evidence = entry.get("evidence", [])
        if not evidence or not all(isinstance(e, str) for e in evidence):
            problems.append(f"{where} 的 evidence 应为非空的工作表名列表")
            continue
        unknown_sheets = [e for e in evidence if e not in schema.BY_NAME]
        if unknown_sheets:
            problems.append(f"{where} 的 evidence 含未知工作表：{', '.join(unknown_sheets)}")
        if entry["rule"] not in RULES:
            problems.append(f"{where} 的 rule “{entry['rule']}” 没有对应的判定函数")
        if entry["number"] in seen:
            problems.append(f"{where} 条款号重复")
        seen.add(entry["number"])
        clauses.append(
            Clause(
                number=str(entry["number"]),
                title=str(entry["title"]),
                requirement=str(entry["requirement"]).strip(),
                evidence=tuple(evidence),
                rule=str(entry["rule"]),
                suggestion=str(entry["suggestion"]).strip(),
                look_at=str(entry.get("look_at", "")).strip(),
                params=dict(entry.get("params", {})),
            )
        )
    if not clauses and not problems:
        problems.append(f"{origin} 中没有任何条款（[[clause]]）")
    if problems:
        raise ValueError("条款目录有误：\n" + "\n".join(problems))
    return clauses


def _read_default() -> tuple[str, str]:
    text = resources.files("lyue_xl.assessment").joinpath(CATALOGUE_FILE).read_text("utf-8")
    return text, CATALOGUE_FILE


@lru_cache(maxsize=1)
def _default_catalogue() -> tuple[Clause, ...]:
    text, origin = _read_default()
    return tuple(_parse_catalogue(tomllib.loads(text), origin))


def load_catalogue(source: str | Path | None = None) -> list[Clause]:
    """The clause catalogue, in the standard's order. ``source``: another TOML file (tests).

    Raises ``ValueError`` (a programming error, not a user one) when an entry lacks a field, names a
    rule that is not registered, names an unknown sheet, or repeats a clause number.
    """
    if source is None:
        return list(_default_catalogue())
    path = Path(source)
    return _parse_catalogue(tomllib.loads(path.read_text("utf-8")), path.name)


def chapter_titles() -> dict[str, str]:
    """Chapter number -> title ("9" -> "管理实现"), for grouping results in documents."""
    text, _ = _read_default()
    return dict(tomllib.loads(text).get("chapters", {}))


# --- running it ---------------------------------------------------------------------------------


def files_for(clause: Clause) -> list[str]:
    """Keys of the record sheets whose linked 证据文件 count as evidence for ``clause``."""
    keys = [schema.BY_NAME[name].key for name in clause.evidence if name in schema.BY_NAME]
    return [k for k in keys if not schema.BY_KEY[k].is_keyvalue]


def filed_text(keys: list[str], links: Mapping[str, list[Link]]) -> str:
    """「附证据文件 3 份（合同台账 HT-1、HT-2；款项 第5行）」: the linked files that exist on disk
    in the records of ``keys`` (each file once; web links are not counted), "" when none."""
    files: dict[Path, Link] = {}
    for key in keys:
        for link in links.get(key, []):
            if link.path is not None and link.exists:
                files.setdefault(link.path.resolve(), link)
    if not files:
        return ""
    by_sheet: dict[str, list[str]] = {}
    for link in files.values():
        by_sheet.setdefault(schema.BY_KEY[link.sheet_key].name, []).append(link.record)
    where = "；".join(
        f"{sheet} {'、'.join(list(dict.fromkeys(ids))[:3])}{'等' if len(set(ids)) > 3 else ''}"
        for sheet, ids in by_sheet.items()
    )
    return f"附证据文件 {len(files)} 份（{where}）"


def join_evidence(evidence: str, extra: str) -> str:
    return "；".join(p for p in (evidence, extra) if p)


def readiness_of(statuses: list[str]) -> float:
    """符合 = 1, 部分符合 = 0.5, 不符合 = 0, averaged over the clauses the records can judge:
    不适用 and 需人工确认 (counted apart, see :attr:`Assessment.manual_count`) are left out."""
    scored = [STATUS_SCORE[s] for s in statuses if s not in (NA, MANUAL)]
    return sum(scored) / len(scored) if scored else 0.0


def assess(
    records: Records,
    period: Period,
    *,
    achievements: Mapping[str, str] | None = None,
    catalogue: list[Clause] | None = None,
) -> Assessment:
    """Self-assess every clause as of ``period.as_of``.

    ``achievements`` (目标编号 -> 达成/未达成/无数据) lets a caller that has just computed the
    objectives pass fresh values for 10.2; without it the 履约目标 sheet's 达成情况 column is used.
    """
    months = credit_valid_months(records.settings)
    links = {s.key: links_of(records, s.key) for s in schema.SHEETS if not s.is_keyvalue}
    results: list[ClauseResult] = []
    for clause in catalogue if catalogue is not None else load_catalogue():
        ctx = Ctx(
            number=clause.number,
            title=clause.title,
            params=clause.params,
            look_at=clause.look_at,
            credit_months=months,
            achievements=achievements,
        )
        finding = RULES[clause.rule](records, period, ctx)
        if finding.status not in STATUSES:
            raise ValueError(f"rule {clause.rule} returned status {finding.status!r}")
        suggestion = "" if finding.status == OK else (finding.suggestion or clause.suggestion)
        evidence = finding.evidence
        if clause.rule != "document":  # that rule names the files of the documents it used
            evidence = join_evidence(evidence, filed_text(files_for(clause), links))
        results.append(
            ClauseResult(
                number=clause.number,
                title=clause.title,
                requirement=clause.requirement,
                status=finding.status,
                evidence=evidence,
                sheet=finding.sheet,
                count=finding.count,
                examples=tuple(finding.examples),
                gap=finding.gap,
                suggestion=suggestion,
            )
        )
    statuses = [r.status for r in results]
    counts = {s: statuses.count(s) for s in STATUSES}
    return Assessment(results, readiness_of(statuses), counts)
