"""The command line: parse → call the library → print → exit code. Nothing else lives here.

Exit codes (DESIGN §5): 0 success; 1 the data has errors (check); 2 the user must fix something
before anything can run (one Chinese line on stderr); 3 an internal error (never a traceback
unless LYUE_DEBUG=1).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from lyue_xl import __version__
from lyue_xl.commands import CLI_COMMANDS
from lyue_xl.errors import LyueError

EXIT_OK, EXIT_DATA, EXIT_USER, EXIT_INTERNAL = 0, 1, 2, 3


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """argparse in Chinese: help headings, usage, and mistakes reported with exit code 2."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def error(self, message: str) -> NoReturn:
        for english, chinese in (
            ("the following arguments are required", "缺少必需的参数"),
            ("unrecognized arguments", "无法识别的参数"),
            ("invalid choice", "无效的选项"),
            ("expected one argument", "该参数需要一个值"),
            ("choose from", "可选"),
            ("argument ", "参数 "),
        ):
            message = message.replace(english, chinese)
        raise LyueError(f"命令参数有误：{message}。运行 lyue-xl --help 查看用法。")


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def _print_json(data: object) -> None:
    sys.stdout.flush()
    payload = json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"
    sys.stdout.buffer.write(payload.encode("utf-8"))
    sys.stdout.flush()


def _warn_skipped(records: Any) -> None:
    skipped = records.skipped_cells
    if skipped:
        sys.stderr.write(
            f"注意：有 {skipped} 个单元格无法识别，已按空白处理；请运行 lyue-xl check 查看并改正。\n"
        )


def _dates(args: argparse.Namespace) -> tuple[date | None, date | None, date | None]:
    from lyue_xl.period import parse_flag_date

    return (
        parse_flag_date(getattr(args, "from_", None), "--from"),
        parse_flag_date(getattr(args, "to", None), "--to"),
        parse_flag_date(getattr(args, "as_of", None), "--as-of"),
    )


def _analysis(args: argparse.Namespace) -> Any:
    from lyue_xl.engine import analyse_records
    from lyue_xl.workbook.reader import read_records

    start, end, as_of = _dates(args)
    records = read_records(Path(args.file))
    analysis = analyse_records(records, start, end, as_of)
    _warn_skipped(records)
    return analysis


# --- commands --------------------------------------------------------------------------------------


def cmd_new(args: argparse.Namespace) -> int:
    from lyue_xl.workbook.template import new_workbook

    path = new_workbook(Path(args.file), args.org or "", force=args.force)
    _out(f"已生成空白履约管理台账：{path}")
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from lyue_xl.validate import check_file

    report = check_file(Path(args.file))
    if args.json:
        _print_json(report.as_json())
    else:
        errors = sum(1 for p in report.problems if p.level == "错误")
        warnings = len(report.problems) - errors
        for problem in report.problems:
            _out(f"[{problem.level}] {problem.message}")
        _out(
            "校验通过，未发现问题。"
            if not report.problems
            else f"共 {errors} 个错误、{warnings} 个警告。"
        )
    return EXIT_OK if report.ok else EXIT_DATA


def cmd_indicators(args: argparse.Namespace) -> int:
    analysis = _analysis(args)
    if args.json:
        _print_json(
            {
                "period": analysis.period.as_json(),
                "indicators": [i.as_json() for i in analysis.indicators],
            }
        )
        return EXIT_OK
    _out(f"统计期间：{analysis.period.label()}")
    for item in analysis.indicators:
        detail = ""
        if item.denominator is not None:
            detail = f"（{item.numerator:g} / {item.denominator:g}）"
        _out(f"  {item.name}：{item.display}{detail}")
    return EXIT_OK


def cmd_alerts(args: argparse.Namespace) -> int:
    analysis = _analysis(args)
    if args.json:
        _print_json(
            {
                "as_of": analysis.period.as_of.isoformat(),
                "alerts": [a.as_json() for a in analysis.alerts],
            }
        )
        return EXIT_OK
    _out(f"基准日期：{analysis.period.as_of.isoformat()}，共 {len(analysis.alerts)} 条预警")
    from lyue_xl.alerts import TITLES

    for alert in analysis.alerts:  # 预警类型 in words; the code only in --json (DESIGN §4)
        where = f"「{alert.sheet}」第{alert.row}行" if alert.row else f"「{alert.sheet}」"
        record = f"{alert.record} " if alert.record else ""
        _out(
            f"[{alert.level}] {TITLES.get(alert.code, alert.code)}：{record}{where}　"
            f"{alert.message}（条款 {alert.clause}）"
        )
    return EXIT_OK


def cmd_refresh(args: argparse.Namespace) -> int:
    from lyue_xl.refresh import refresh

    start, end, as_of = _dates(args)
    result = refresh(Path(args.file), start, end, as_of, progress=_progress())
    _warn_skipped(result.analysis.records)
    _out(
        f"已刷新“{args.file}”：{len(result.analysis.alerts)} 条预警，"
        f"体系自评就绪度 {result.analysis.assessment.readiness_text}。"
    )
    return EXIT_OK


def _document(kind: str) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        from lyue_xl.documents import write_document

        analysis = _analysis(args)
        force = bool(getattr(args, "force", False))
        path = write_document(kind, analysis, args.output or None, force=force)  # "out/" = folder
        _out(f"已生成：{path}")
        return EXIT_OK

    return run


def cmd_forms(args: argparse.Namespace) -> int:
    from lyue_xl.documents.forms import find_kind, write_forms

    find_kind(args.kind)  # an unknown kind is refused before the workbook is read
    analysis = _analysis(args)
    path = write_forms(analysis, args.kind, args.record, args.output or None)
    _out(f"已生成：{path}")
    return EXIT_OK


def cmd_audit_kit(args: argparse.Namespace) -> int:
    from lyue_xl.documents.audit_kit import write_audit_kit

    analysis = _analysis(args)
    _out(f"已生成：{write_audit_kit(analysis, args.output or None)}")
    return EXIT_OK


def cmd_policy_drafts(args: argparse.Namespace) -> int:
    from lyue_xl.documents.policies import write_policy_drafts

    analysis = _analysis(args)
    written = write_policy_drafts(analysis, args.output or None)
    if not written:
        _out("「成文信息」已登记六项现行制度，不需要生成草稿。")
    for path in written:
        _out(f"已生成草稿：{path}")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from lyue_xl.demo import run_demo

    for line in run_demo(Path(args.dir), progress=_progress()):
        _out(line)
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from lyue_xl import schema

    data = schema.as_json()
    if args.json:
        _print_json(data)
    else:
        for sheet in schema.SHEETS:
            labels = "、".join(c.label for c in sheet.columns) or "、".join(
                i.label for i in sheet.items
            )
            _out(f"{sheet.name}（{sheet.clause}）：{labels}")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from lyue_xl.importer import run_import

    def path(value: str | None) -> Path | None:
        return Path(value) if value else None

    result = run_import(
        Path(args.source),
        sheets=args.sheet or (),
        into=path(args.into),
        output=path(args.output),
        map_path=path(args.map),
        save_map=path(args.save_map),
        dry_run=args.dry_run,
        nature=args.nature,
    )
    if args.json:
        _print_json(result.as_json())
    else:
        for line in result.lines():
            _out(line)
    return EXIT_OK


def cmd_fix_types(args: argparse.Namespace) -> int:
    from lyue_xl.fixtypes import fix_types

    result = fix_types(Path(args.file), dry_run=args.dry_run)
    if args.json:
        _print_json(result.as_json())
    else:
        for line in result.lines():
            _out(line)
    return EXIT_OK


def cmd_build_addin(args: argparse.Namespace) -> int:
    from lyue_xl.excel.addin import build_addin

    path = build_addin(Path(args.output))
    _out(f"已生成 Excel 加载项：{path}")
    return EXIT_OK


def cmd_addin_install(args: argparse.Namespace) -> int:
    from lyue_xl.excel.install import install_addin

    exe = Path(args.exe) if args.exe else None
    if exe is None and getattr(sys, "frozen", False):
        exe = Path(sys.executable)  # the bundled program installs itself as the ribbon's runner
    _out(install_addin(exe))
    return EXIT_OK


def _progress() -> Callable[[str], None] | None:
    """Progress lines on a terminal's stderr; silent when piped (keeps --json clean)."""
    if not sys.stderr.isatty():
        return None

    def show(message: str) -> None:
        sys.stderr.write(f"… {message}\n")
        sys.stderr.flush()

    return show


# --- parser --------------------------------------------------------------------------------------

COMMANDS: dict[str, str] = CLI_COMMANDS  # declared in lyue_xl.commands


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="lyue-xl",
        description="履约能力管理体系（Q/QJC 002—2025）Excel 台账工具。数据只在本机处理，不联网。",
    )
    parser.add_argument(
        "--version", action="version", version=f"lyue-xl {__version__}", help="显示版本号并退出"
    )
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)

    def add(name: str, handler: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=COMMANDS[name], description=COMMANDS[name])
        p.set_defaults(handler=handler)
        return p

    def period_flags(p: argparse.ArgumentParser, with_range: bool = True) -> None:
        if with_range:
            p.add_argument("--from", dest="from_", metavar="日期", help="统计开始日期")
            p.add_argument("--to", metavar="日期", help="统计结束日期")
        p.add_argument("--as-of", dest="as_of", metavar="日期", help="基准日期（默认今天）")

    p = add("new", cmd_new)
    p.add_argument("file", metavar="FILE")
    p.add_argument("--org", metavar="名称", help="组织名称")
    p.add_argument("--force", action="store_true", help="覆盖已存在的文件")

    p = add("demo", cmd_demo)
    p.add_argument("dir", metavar="DIR", nargs="?", default="履约管理示例")

    p = add("check", cmd_check)
    p.add_argument("file", metavar="FILE")
    p.add_argument("--json", action="store_true", help="以 JSON 输出到标准输出")

    for name, handler in (("indicators", cmd_indicators), ("alerts", cmd_alerts)):
        p = add(name, handler)
        p.add_argument("file", metavar="FILE")
        period_flags(p)
        p.add_argument("--json", action="store_true", help="以 JSON 输出到标准输出")

    p = add("refresh", cmd_refresh)
    p.add_argument("file", metavar="FILE")
    period_flags(p)

    for name, kind, ranged in (
        ("manual", "manual", None),
        ("audit-pack", "audit_pack", False),
        ("report", "report", True),
        ("review-input", "review_input", False),
    ):
        p = add(name, _document(kind))
        p.add_argument("file", metavar="FILE")
        p.add_argument("-o", "--output", metavar="OUT")
        if ranged is not None:
            period_flags(p, with_range=ranged)
        if name == "manual":
            p.add_argument(
                "--force", action="store_true", help="覆盖在 Word 中修改过的手册（先备份）"
            )

    p = add("forms", cmd_forms)
    p.add_argument("file", metavar="FILE")
    p.add_argument(
        "--kind",
        required=True,
        metavar="KIND",
        help="表单种类：合同评审表、供应商评价表、不符合及纠正措施报告、培训签到及考核表、应急演练记录",
    )
    p.add_argument("--record", metavar="ID", help="只生成这一条记录的表单（默认：该类全部记录）")
    p.add_argument("-o", "--output", metavar="OUT")
    period_flags(p)  # 供应商评价表: the rates of the period

    p = add("audit-kit", cmd_audit_kit)
    p.add_argument("file", metavar="FILE")
    p.add_argument("-o", "--output", metavar="OUT")
    period_flags(p, with_range=False)

    p = add("policy-drafts", cmd_policy_drafts)
    p.add_argument("file", metavar="FILE")
    p.add_argument("-o", "--output", metavar="DIR", help="保存草稿的文件夹（默认：台账所在文件夹）")
    period_flags(p, with_range=False)

    p = add("schema", cmd_schema)
    p.add_argument("--json", action="store_true", help="以 JSON 输出到标准输出")

    p = add("import", cmd_import)
    p.add_argument("source", metavar="SOURCE", help="要导入的台账（.xlsx/.xlsm/.csv）")
    p.add_argument("--sheet", action="append", metavar="名称", help="只导入该工作表（可重复）")
    p.add_argument("--into", metavar="台账.xlsx", help="追加到已有台账（备份后原子写入）")
    p.add_argument("-o", "--output", metavar="新台账.xlsx", help="用模板新建台账并写入")
    p.add_argument("--map", metavar="映射.xlsx", help="使用编辑过的映射表")
    p.add_argument("--save-map", dest="save_map", metavar="映射.xlsx", help="写出可编辑的映射表")
    p.add_argument("--nature", metavar="收入性|支出性", help="源台账没有合同性质列时的取值")
    p.add_argument("--dry-run", dest="dry_run", action="store_true", help="只预览，不写入")
    p.add_argument("--json", action="store_true", help="以 JSON 输出到标准输出")

    p = add("fix-types", cmd_fix_types)
    p.add_argument("file", metavar="FILE")
    p.add_argument("--dry-run", dest="dry_run", action="store_true", help="只列出，不写入")
    p.add_argument("--json", action="store_true", help="以 JSON 输出到标准输出")

    p = add("build-addin", cmd_build_addin)
    p.add_argument("-o", "--output", metavar="DIR", default=".")

    p = add("addin", cmd_addin_install)
    p.add_argument("action", choices=["install"], metavar="install")
    p.add_argument("--exe", metavar="PATH", help="功能区调用的 lyue-xl 程序（默认：Python）")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        if not getattr(args, "handler", None):
            build_parser().print_help()
            return EXIT_OK
        code = int(args.handler(args))
        sys.stdout.flush()  # a closed pipe shows here, not at exit
        return code
    except BrokenPipeError:
        # the reader went away (`lyue-xl alerts … | head -1`): stop quietly, as command-line tools do
        _discard_stdout()
        return EXIT_OK
    except LyueError as exc:
        _say_error(str(exc))
        return EXIT_USER
    except KeyboardInterrupt:
        _say_error("已取消。")
        return 130
    except Exception as exc:  # a bug of ours: one line, the traceback only on request
        if os.environ.get("LYUE_DEBUG"):
            raise
        _say_error(
            f"程序内部错误（{type(exc).__name__}: {str(exc)[:200]}）。"
            "请把这条信息和台账发给维护人员；设置环境变量 LYUE_DEBUG=1 可查看详细信息。"
        )
        return EXIT_INTERNAL


def _discard_stdout() -> None:
    """Point stdout at the null device so the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _say_error(message: str) -> None:
    sys.stderr.write(f"错误：{message}\n")
    sys.stderr.flush()
