"""The ribbon tab 「履约管理」 of lyue_xl.xlam: its actions, customUI XML and VBA dispatcher.

``ACTIONS`` is the single list of ribbon actions (button tag -> Chinese label). The customUI XML
and the tag list in ``LyueRibbon.bas`` are kept equal to it by tests; Python code that runs an
action from Excel maps the tag it receives (``lyue-xl.exe ribbon <tag>`` or
``run_from_excel('<tag>')``) through this dict.
"""

from __future__ import annotations

from pathlib import Path

ACTIONS: dict[str, str] = {
    "new": "新建台账",
    "check": "校验数据",
    "refresh": "刷新指标与预警",
    "manual": "生成履约管理手册",
    "audit_pack": "生成审核资料包",
    "report": "生成履约评估报告",
    "review_input": "生成管理评审输入报告",
    "audit_kit": "生成内审资料",
    "help": "打开帮助",
}

RIBBON_DIR = Path(__file__).resolve().parent
CUSTOM_UI = RIBBON_DIR / "customUI14.xml"
DISPATCHER = RIBBON_DIR / "LyueRibbon.bas"
