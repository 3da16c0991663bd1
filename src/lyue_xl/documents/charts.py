"""Charts for the reports: matplotlib (Agg) with a CJK font that exists, PNG at 150 dpi.

matplotlib is imported only when a chart is drawn (it costs ~0.45 s), so the CLI starts fast.
Fonts: Noto Sans CJK from the system when present (registered with ``addfont``), else Microsoft
YaHei / SimHei (Windows); ``axes.unicode_minus`` off so negative numbers do not show boxes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from lyue_xl.definitions import risk_band

DPI = 150
_FONT_FILES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
    "/System/Library/Fonts/PingFang.ttc",
)
_FAMILIES = (
    "Noto Sans CJK SC",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
)
_configured: str | None = None

# 高 / 中 / 低 colours shared by the charts
RED, AMBER, GREEN, BLUE, GREY = "#C0392B", "#E6A23C", "#3C9D5D", "#2F6EBA", "#909399"


def _pyplot() -> Any:
    """matplotlib.pyplot on the Agg backend with a CJK font; returns the module."""
    global _configured
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    if _configured is None:
        for path in _FONT_FILES:
            if Path(path).is_file():
                try:
                    font_manager.fontManager.addfont(path)
                except Exception:  # an unreadable font file: try the next one
                    continue
        available = {f.name for f in font_manager.fontManager.ttflist}
        chosen = [name for name in _FAMILIES if name in available]
        matplotlib.rcParams["font.family"] = "sans-serif"
        matplotlib.rcParams["font.sans-serif"] = [*chosen, "DejaVu Sans"]
        matplotlib.rcParams["axes.unicode_minus"] = False
        _configured = chosen[0] if chosen else "DejaVu Sans"
    return plt


def cjk_font() -> str:
    """The font family the charts use (for tests and the report's notes)."""
    _pyplot()
    return _configured or "DejaVu Sans"


def _save(fig: Any, out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=DPI, bbox_inches="tight", facecolor="white")
    import matplotlib.pyplot as plt

    plt.close(fig)
    return out


def _percent(values: Sequence[float | None]) -> list[float]:
    return [
        math.nan if v is None or (isinstance(v, float) and math.isnan(v)) else 100 * v
        for v in values
    ]


def trend_chart(
    months: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    out: Path,
    title: str = "月度履约趋势",
) -> Path:
    """Lines of rates (fractions 0..1, None/NaN = no data) per month, shown in %.

    A month without data is skipped and the line joins the months that have data, so sparse
    data reads as a line with markers, not as isolated dots."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7.0, 3.4))
    colours = (BLUE, GREEN, AMBER, RED)
    for (label, values), colour in zip(series, colours, strict=False):
        points = [(i, v) for i, v in enumerate(_percent(values)) if not math.isnan(v)]
        ax.plot(
            [i for i, _ in points],
            [v for _, v in points],
            marker="o",
            linewidth=1.8,
            color=colour,
            label=label,
        )
    ax.set_xticks(range(len(months)), list(months))
    ax.set_xlim(-0.5, max(len(months) - 0.5, 0.5))
    ax.set_ylim(0, 105)
    ax.set_ylabel("百分比（%）")
    ax.set_title(title)
    ax.grid(axis="y", alpha=0.3)
    ax.legend(loc="lower left", fontsize=8, frameon=False)
    if len(months) > 8:
        ax.tick_params(axis="x", labelrotation=45)
    if not months:
        ax.text(0.5, 0.5, "本期无数据", ha="center", va="center", transform=ax.transAxes)
    return _save(fig, out)


def grade_chart(counts: dict[str, int], out: Path, title: str = "供应商等级分布") -> Path:
    """Bars of the number of suppliers per grade (A, B, C, D, 未评)."""
    plt = _pyplot()
    grades = ["A", "B", "C", "D", "未评"]
    values = [int(counts.get(g, 0)) for g in grades]
    colours = [GREEN, BLUE, AMBER, RED, GREY]
    fig, ax = plt.subplots(figsize=(5.6, 3.0))
    bars = ax.bar(grades, values, color=colours, width=0.6)
    for bar, value in zip(bars, values, strict=True):
        ax.annotate(
            f"{value} 家",
            (bar.get_x() + bar.get_width() / 2, bar.get_height()),
            ha="center",
            va="bottom",
            fontsize=9,
        )
    ax.set_ylabel("供应商数量（家）")
    ax.set_title(title)
    ax.set_ylim(0, max(values + [1]) * 1.25)
    ax.yaxis.get_major_locator().set_params(integer=True)
    return _save(fig, out)


def band_grid() -> list[list[int]]:
    """The heat map's colours: band[可能性 − 1][影响程度 − 1] = 2 高, 1 中, 0 低 (definitions)."""
    level = {"高": 2, "中": 1, "低": 0}
    return [[level[risk_band(lk * im)] for im in range(1, 6)] for lk in range(1, 6)]


def risk_matrix(
    cells: dict[tuple[int, int], int], out: Path, title: str = "风险矩阵（可能性 × 影响程度）"
) -> Path:
    """A 5×5 heat map: colour = 风险值 band (高 ≥ 15, 中 8–14, 低 ≤ 7), number = open risks there.

    ``cells`` maps (可能性, 影响程度) to the number of risks in that cell.
    """
    plt = _pyplot()
    from matplotlib.colors import ListedColormap

    fig, ax = plt.subplots(figsize=(5.4, 4.4))
    band = band_grid()
    cmap = ListedColormap(["#D5EFD9", "#FCE8B2", "#F5B7B1"])
    ax.imshow(band, cmap=cmap, origin="lower", vmin=0, vmax=2, extent=(0.5, 5.5, 0.5, 5.5))
    for likelihood in range(1, 6):
        for impact in range(1, 6):
            count = cells.get((likelihood, impact), 0)
            text = f"{likelihood * impact}"
            if count:
                text += f"\n{count} 项"
            ax.text(
                impact,
                likelihood,
                text,
                ha="center",
                va="center",
                fontsize=9 if count else 8,
                fontweight="bold" if count else "normal",
                color="#202020" if count else "#707070",
            )
    ax.set_xticks(range(1, 6))
    ax.set_yticks(range(1, 6))
    ax.set_xlabel("影响程度")
    ax.set_ylabel("可能性")
    ax.set_title(title)
    for edge in range(6):
        ax.axhline(edge + 0.5, color="white", linewidth=1.5)
        ax.axvline(edge + 0.5, color="white", linewidth=1.5)
    return _save(fig, out)
