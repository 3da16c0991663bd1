"""The ribbon tab 「履约管理」 of lyue_xl.xlam: its actions, customUI XML and VBA dispatcher.

``ACTIONS`` is the list of ribbon actions (button tag -> Chinese label), taken from the command
table (:mod:`lyue_xl.commands`) in the ribbon's order. The customUI XML
and the tag list in ``LyueRibbon.bas`` are kept equal to it by tests; Python code that runs an
action from Excel maps the tag it receives (``lyue-xl.exe ribbon <tag>`` or
``run_from_excel('<tag>')``) through this dict.
"""

from __future__ import annotations

from pathlib import Path

from lyue_xl.commands import ribbon_order

ACTIONS: dict[str, str] = {c.key: c.label for c in ribbon_order()}

RIBBON_DIR = Path(__file__).resolve().parent
CUSTOM_UI = RIBBON_DIR / "customUI14.xml"
DISPATCHER = RIBBON_DIR / "LyueRibbon.bas"
