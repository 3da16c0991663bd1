"""Regenerate README.md's sheet/field table from the schema: python build/update_readme.py"""

from pathlib import Path

from lyue_xl.schema_doc import replace_in

readme = Path(__file__).resolve().parents[1] / "README.md"
readme.write_text(replace_in(readme.read_text(encoding="utf-8")), encoding="utf-8")
print(f"updated {readme}")
