"""Render a template of ``docx_templates/`` with docxtpl, safely (DESIGN §6, §8).

- Before rendering, every variable the template uses but the context does not supply is reported
  in one Chinese :class:`LyueError` naming the template and the variables (never a blank).
- Every string of the context is cleaned of the characters XML cannot hold.
- Values are escaped (``autoescape``), so text a user typed is data, never markup.
- Charts travel in the context as :class:`Image` (a PNG path and a width); they become docxtpl
  ``InlineImage`` objects here, because those need the template object.
- The 目录 is written out with page numbers (:mod:`lyue_xl.documents.toc`).
- The result is written to a temporary file beside the target and moved into place.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from lyue_xl.documents.output import save_atomically
from lyue_xl.documents.toc import finish_docx
from lyue_xl.errors import LyueError
from lyue_xl.resources import data_dir

# Characters XML 1.0 cannot hold: C0 controls except tab/newline/CR, surrogates, U+FFFE/U+FFFF.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Image:
    """A picture to place where the template says ``{{ name }}`` (width in millimetres)."""

    path: Path
    width_mm: float = 160


def clean_text(text: str) -> str:
    """``text`` without the characters XML cannot hold; CR/LF and CR become LF."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _XML_INVALID.sub("", text)


def clean(value: Any) -> Any:
    """A copy of a context value with every string cleaned (dicts, lists, tuples recursively)."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, Mapping):
        return {k: clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def template_path(name: str) -> Path:
    path = data_dir("docx_templates") / name
    if not path.is_file():
        raise LyueError(f"找不到文档模板“{name}”（应在 {path.parent}）；请重新安装 lyue-xl。")
    return path


def _environment() -> Any:
    from jinja2 import Environment, StrictUndefined

    return Environment(autoescape=True, undefined=StrictUndefined)


def render(
    template_name: str,
    context: Mapping[str, Any],
    out: Path,
    finish: Callable[[Any], None] | None = None,
) -> Path:
    """Render ``docx_templates/template_name`` (or an absolute template path) with ``context`` into
    ``out`` (replaced atomically). ``finish(document)``, when given, may adjust the rendered
    python-docx document (e.g. its properties) before it is saved."""
    from docx.shared import Mm
    from docxtpl import DocxTemplate, InlineImage
    from jinja2 import TemplateError, UndefinedError

    path = (
        template_path(template_name)
        if not Path(template_name).is_absolute()
        else Path(template_name)
    )
    tpl = DocxTemplate(str(path))
    env = _environment()
    missing = sorted(tpl.get_undeclared_template_variables(env, dict(context)))
    if missing:
        raise LyueError(
            f"文档模板“{path.name}”用到了数据中没有的变量：{'、'.join(missing)}；"
            "请检查模板中的 {{ }} 标记是否写错，或换回程序自带的模板。"
        )

    def prepare(value: Any) -> Any:
        if isinstance(value, Image):
            return InlineImage(tpl, str(value.path), width=Mm(value.width_mm))
        if isinstance(value, Mapping):
            return {k: prepare(v) for k, v in value.items()}
        if isinstance(value, list):
            return [prepare(v) for v in value]
        return value

    data = prepare(clean(dict(context)))
    try:
        tpl.render(data, env)
    except UndefinedError as exc:
        raise LyueError(
            f"文档模板“{path.name}”用到了数据中没有的内容（{exc.message}）；"
            "请检查模板中的 {{ }} 标记是否写错，或换回程序自带的模板。"
        ) from None
    except TemplateError as exc:
        near = " ".join(s.strip() for s in getattr(exc, "docx_context", []) if s.strip())
        raise LyueError(
            f"文档模板“{path.name}”有格式错误（{exc}）"
            + (f"，位置附近的文字：{near[:120]}" if near else "")
            + "；请改正模板中的 {% %} 标记，或换回程序自带的模板。"
        ) from None
    if finish is not None:
        finish(tpl.docx)
    out = Path(out)
    buffer = io.BytesIO()
    tpl.save(buffer)
    blob = finish_docx(buffer.getvalue())
    save_atomically(out, lambda temp: temp.write_bytes(blob))
    return out
