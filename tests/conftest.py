"""Test-wide settings.

Rendering a document converts it once with LibreOffice to number its 目录 (documents/toc.py);
that costs seconds per document, so the suite skips it except where a test turns it back on
(``monkeypatch.setenv("LYUE_XL_TOC_PAGES", "1")``, see tests/test_toc.py).
"""

from __future__ import annotations

import os

os.environ.setdefault("LYUE_XL_TOC_PAGES", "0")
