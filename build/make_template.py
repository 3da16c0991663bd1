"""Regenerate the committed blank record workbook: python build/make_template.py"""

from pathlib import Path

from lyue_xl.workbook.template import TEMPLATE_NAME, new_workbook

target = Path(__file__).resolve().parents[1] / "workbook_templates" / TEMPLATE_NAME
new_workbook(target, force=True, backups=0)
print(f"wrote {target}")
