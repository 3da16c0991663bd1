"""lyue_xl — 履约能力管理体系（Q/QJC 002—2025）的 Excel 台账引擎。"""

__version__ = "0.1.0"
