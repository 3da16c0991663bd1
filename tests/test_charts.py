"""The report's charts read well with sparse data: a month without data is skipped, the line goes
on to the next month that has data (not isolated dots)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from lyue_xl.documents import charts


def _blue_columns(png: Path) -> np.ndarray:
    import matplotlib.image as mpimg

    pixels = mpimg.imread(str(png))[:, :, :3]
    pixels = pixels[: int(pixels.shape[0] * 0.7)]  # above the legend (lower left)
    blue = np.array([0x2F, 0x6E, 0xBA]) / 255
    near = np.abs(pixels - blue).sum(axis=2) < 0.12
    return np.flatnonzero(near.any(axis=0))


def test_a_sparse_series_is_one_joined_line(tmp_path: Path) -> None:
    months = ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"]
    # data only in January and June: the line must run across the four empty months
    out = charts.trend_chart(
        months, [("合同履约率", [0.5, None, None, float("nan"), None, 0.9])], tmp_path / "t.png"
    )
    cols = _blue_columns(out)
    assert cols.size
    span = cols.max() - cols.min()
    assert span > 300  # January's marker to June's (the figure is ~1000 px wide)
    gaps = np.diff(cols)
    assert gaps.max() <= 3, "the blue line is interrupted between the two months with data"


def test_the_legend_alone_is_not_a_line(tmp_path: Path) -> None:
    # a series with one month of data: one marker, nothing drawn across the empty months
    months = ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"]
    out = charts.trend_chart(
        months, [("合同履约率", [None, None, 0.7, None, None, None])], tmp_path / "one.png"
    )
    cols = _blue_columns(out)
    # the single marker: one small group, far from a full-width line
    groups = np.split(cols, np.flatnonzero(np.diff(cols) > 3) + 1)
    assert all(g.max() - g.min() < 80 for g in groups)


def test_the_heat_map_uses_the_declared_risk_bands() -> None:
    grid = charts.band_grid()
    # band[可能性 − 1][影响程度 − 1] (2 高, 1 中, 0 低): 15 = 3 × 5 is 高, 12 is 中, 8 = 2 × 4 is 中,
    # 6 and 5 are 低 (DESIGN §3: 高 ≥ 15, 中 8–14, 低 ≤ 7)
    assert grid[2][4] == 2 and grid[4][2] == 2
    assert grid[3][3] == 2 and grid[4][4] == 2
    assert grid[3][2] == 1  # 4 × 3 = 12
    assert grid[1][3] == 1 and grid[3][1] == 1  # 8
    assert grid[1][2] == 0 and grid[0][4] == 0  # 6, 5
    assert sum(row.count(2) for row in grid) == 6  # 15, 15, 16, 20, 20, 25
    assert sum(row.count(1) for row in grid) == 7  # 8, 8, 9, 10, 10, 12, 12
