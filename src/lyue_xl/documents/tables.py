"""Column widths of the rendered Word tables, so ids, dates and numbers stay whole (DESIGN §8).

A template fixes each column's width for text it has not seen. After rendering, every table is
measured: a run of Latin letters, digits and signs (``GYS-001``, ``2026-04-19``, ``1,353,000.00``)
must fit its column on one line, because a word processor breaks such a run after a hyphen and
prints ``GYS-`` over ``001``. A column that is too narrow for its longest run takes the width
from columns of Chinese text (which wrap anywhere), keeping the table's total width. A short line
that mixes words and a run (「良好 2026-04-19」「计划 2026-09-02」) and is still wider than its
column gets a line break before the run, so the run is not split. Everywhere, the hyphens inside
such runs become non-breaking (:func:`keep_hyphenated_whole`).

The widths are estimated from character classes (Chinese characters 1 em, capitals 0.72 em,
digits and small letters 0.56 em, signs 0.35 em), with a margin to spare.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
CELL_MARGINS_TWIPS = 2 * 57 + 60  # left and right cell margins, and some room to spare
SAFETY = 1.08
MIN_CJK_CHARS = 4  # a donor column keeps at least this many characters per line
DEFAULT_PT = 9.0
RUN = re.compile(r"[!-~]*[0-9A-Za-z][!-~]*")  # letters/digits with their signs, no spaces


def char_em(ch: str) -> float:
    code = ord(ch)
    if code >= 0x2E80 or 0xFF00 <= code <= 0xFFEF:
        return 1.0
    if ch == " ":
        return 0.25
    if ch.isupper():
        return 0.72
    if ch.isalnum():
        return 0.56
    if ch in "%@#&":
        return 0.85
    return 0.35


def text_twips(text: str, size_pt: float) -> int:
    return int(sum(char_em(c) for c in text) * size_pt * 20 * SAFETY)


def _style_sizes(styles_xml: bytes | None) -> dict[str, float]:
    sizes: dict[str, float] = {}
    if not styles_xml:
        return sizes
    for style in etree.fromstring(styles_xml).iter(W + "style"):
        sz = style.find(f"{W}rPr/{W}sz")
        sid = style.get(W + "styleId")
        if sid and sz is not None and (sz.get(W + "val") or "").isdigit():
            sizes[sid] = int(sz.get(W + "val") or 0) / 2
    return sizes


def _cells(tbl: etree._Element) -> Iterator[tuple[int, int, etree._Element]]:
    """(first grid column, span, w:tc) of every cell of ``tbl`` (not of nested tables)."""
    for tr in tbl.findall(W + "tr"):
        col = 0
        for tc in tr.findall(W + "tc"):
            span_el = tc.find(f"{W}tcPr/{W}gridSpan")
            span = int(span_el.get(W + "val") or 1) if span_el is not None else 1
            yield col, span, tc
            col += span


def _size_of(p: etree._Element, sizes: dict[str, float]) -> float:
    style = p.find(f"{W}pPr/{W}pStyle")
    sid = style.get(W + "val") if style is not None else None
    return sizes.get(sid or "", sizes.get("Normal", DEFAULT_PT)) if sid else DEFAULT_PT


def _token_need(tc: etree._Element, sizes: dict[str, float]) -> int:
    need = 0
    for p in tc.findall(W + "p"):
        size = _size_of(p, sizes)
        for t in p.iter(W + "t"):
            for run in RUN.findall(t.text or ""):
                need = max(need, text_twips(run, size))
    return need + CELL_MARGINS_TWIPS if need else 0


def _break_before_runs(tc: etree._Element, width: int, sizes: dict[str, float]) -> None:
    """Split a too-wide line at the spaces before its runs (``良好 2026-04-19`` on two lines)."""
    room = width - CELL_MARGINS_TWIPS
    for p in tc.findall(W + "p"):
        size = _size_of(p, sizes)
        for t in list(p.iter(W + "t")):
            text = t.text or ""
            if " " not in text or text_twips(text, size) <= room:
                continue
            pieces = text.split(" ")
            lines: list[str] = [pieces[0]]
            for piece in pieces[1:]:
                joined = f"{lines[-1]} {piece}"
                if RUN.fullmatch(piece) and text_twips(joined, size) > room:
                    lines.append(piece)
                else:
                    lines[-1] = joined
            if len(lines) == 1:
                continue
            run = t.getparent()
            at = run.index(t)
            run.remove(t)
            for i, line in enumerate(lines):
                if i:
                    run.insert(at, etree.Element(W + "br"))
                    at += 1
                piece_t = etree.Element(W + "t")
                piece_t.set(XML_SPACE, "preserve")
                piece_t.text = line
                run.insert(at, piece_t)
                at += 1


def fit_table(tbl: etree._Element, sizes: dict[str, float]) -> None:
    grid_cols = tbl.findall(f"{W}tblGrid/{W}gridCol")
    widths = [int(g.get(W + "w") or 0) for g in grid_cols]
    if not widths or not all(widths):
        return
    need = [0] * len(widths)
    floor = [0] * len(widths)
    for col, span, tc in _cells(tbl):
        if span != 1 or col >= len(widths):
            continue
        need[col] = max(need[col], _token_need(tc, sizes))
        size = max((_size_of(p, sizes) for p in tc.findall(W + "p")), default=DEFAULT_PT)
        floor[col] = max(floor[col], text_twips("中" * MIN_CJK_CHARS, size) + CELL_MARGINS_TWIPS)
    deficit = sum(max(0, n - w) for n, w in zip(need, widths, strict=True))
    if deficit:
        spare = [max(0, w - max(n, f)) for w, n, f in zip(widths, need, floor, strict=True)]
        available = sum(spare)
        if available:
            share = min(1.0, deficit / available)
            gained = 0
            for i, s in enumerate(spare):
                take = int(s * share)
                widths[i] -= take
                gained += take
            for i, n in enumerate(need):
                if n > widths[i] and gained > 0:
                    add = min(n - widths[i], gained)
                    widths[i] += add
                    gained -= add
            widths[-1] += gained  # rounding: the total stays what the template set
            for g, w in zip(grid_cols, widths, strict=True):
                g.set(W + "w", str(w))
            for col, span, tc in _cells(tbl):
                tcw = tc.find(f"{W}tcPr/{W}tcW")
                if tcw is not None and tcw.get(W + "type") == "dxa":
                    tcw.set(W + "w", str(sum(widths[col : col + span])))
    for col, span, tc in _cells(tbl):
        if col < len(widths):
            _break_before_runs(tc, sum(widths[col : col + span]), sizes)


INNER_HYPHEN = re.compile(r"(?<=[0-9A-Za-z])-(?=[0-9A-Za-z])")


def keep_hyphenated_whole(root: etree._Element) -> None:
    """Make the hyphens inside ids and dates (``XS-2026-013``) non-breaking (``w:noBreakHyphen``),
    in running text as in tables: a line may break before such a run, never inside it. Readers
    (python-docx, pdftotext of LibreOffice's PDF) still see a plain "-"."""
    body = root.find(W + "body")
    if body is None:
        return
    for t in list(body.iter(W + "t")):
        text = t.text or ""
        if "-" not in text or not INNER_HYPHEN.search(text):
            continue
        parts = INNER_HYPHEN.split(text)
        run = t.getparent()
        at = run.index(t)
        run.remove(t)
        for i, part in enumerate(parts):
            if i:
                run.insert(at, etree.Element(W + "noBreakHyphen"))
                at += 1
            if part:
                piece = etree.Element(W + "t")
                piece.set(XML_SPACE, "preserve")
                piece.text = part
                run.insert(at, piece)
                at += 1


def fit_tables(root: etree._Element, styles_xml: bytes | None) -> None:
    """Fit the columns of every table of ``document.xml``'s ``root`` (see the module doc)."""
    sizes = _style_sizes(styles_xml)
    for tbl in root.iter(W + "tbl"):
        fit_table(tbl, sizes)
