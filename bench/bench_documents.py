"""Time the documents: the demo firm's audit pack (target ≤ 10 s) and a report of 20 tables ×
200 rows rendered through docxtpl row loops (target ≤ 5 s). Prints the figures.

    PYTHONPATH=src /work/venv/bin/python bench/bench_documents.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "build"))


def timed(label: str, fn):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = fn()
    took = time.perf_counter() - start
    print(f"{label:<44} {took:7.2f} s")
    return result, took


def main() -> None:
    from docx_kit import Col, TemplateDoc

    from lyue_xl.demo import write_demo_workbook
    from lyue_xl.documents import write_document
    from lyue_xl.documents.render import render
    from lyue_xl.engine import analyse

    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        book, _ = timed("demo workbook (write)", lambda: write_demo_workbook(work / "demo.xlsx"))
        analysis, t_read = timed("analyse (read + compute)", lambda: analyse(book))
        _, t_assess = timed("self-assessment", lambda: analysis.assessment)
        _, t_pack = timed(
            "audit pack (3 Word files + xlsx, zip)",
            lambda: write_document("audit_pack", analysis, work / "pack.zip"),
        )
        for kind in ("manual", "report", "review_input"):
            timed(
                f"{kind}", lambda kind=kind: write_document(kind, analysis, work / f"{kind}.docx")
            )
        print(
            f"{'audit pack from the workbook (target ≤ 10 s)':<44} {t_read + t_assess + t_pack:7.2f} s"
        )

        # 20 tables × 200 rows, 6 columns, through the same template kit and renderer
        doc = TemplateDoc("基准报告")
        doc.cover("基准报告", [("统计期间：", "{{ period }}")])
        doc.toc()
        cols = [Col(f"列{i}", f"{{{{ r.c{i} }}}}", 16 / 6) for i in range(6)]
        for t in range(20):
            doc.h(1, f"{t + 1} 表格 {t + 1}")
            doc.loop_table(cols, f"table{t}")
        template = work / "bench.docx"
        doc.save(template)
        context: dict[str, object] = {"org_name": "基准公司", "period": "2026-01-01 至 2026-06-30"}
        for t in range(20):
            context[f"table{t}"] = [
                {f"c{i}": f"第{r}行第{i}列 <&>" for i in range(6)} for r in range(200)
            ]
        out, t_big = timed(
            "report 20 tables × 200 rows (target ≤ 5 s)",
            lambda: render(str(template), context, work / "big.docx"),
        )
        from docx import Document

        rows = sum(len(t.rows) for t in Document(str(out)).tables)
        print(f"{'  rows written':<44} {rows:7d}")


if __name__ == "__main__":
    main()
