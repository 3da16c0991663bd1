"""The user commands, declared once: name, Chinese label, what each produces, where it appears.

Every surface takes its list from here: the command line (``cli.py``: subcommand names and their
help), the window's buttons (``gui.ACTIONS``, ``gui.DOCUMENTS``), the ribbon (``excel.ribbon.ACTIONS``
and its groups; ``customUI14.xml`` and the VBA dispatcher's tag list are checked against it by
tests/test_commands.py), the ribbon's help text and the document list (``excel.actions``). A
command added to one surface and not declared here, or declared for a surface that lacks it,
fails that test.

Pandas-free and import-free: the window and the add-in read it at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass

# where a command can appear
CLI, WINDOW, RIBBON = "cli", "window", "ribbon"
# the ribbon's groups, left to right
RIBBON_GROUPS: tuple[str, ...] = ("数据", "指标", "文档", "帮助")


@dataclass(frozen=True)
class Command:
    key: str  # identifier: window action, ribbon tag (= the VBA dispatcher's tag)
    label: str  # the Chinese button label
    produces: str  # what the user gets, in Chinese
    writes_workbook: bool  # changes the open record workbook (backed up / the user saves)
    cli: str | None = None  # the subcommand name, or None when not on the command line
    summary: str = ""  # the command line's help line
    window: bool = False
    ribbon: str | None = None  # the ribbon group, or None when not on the ribbon
    help: str = ""  # the ribbon's 打开帮助 line
    document: bool = False  # one of the documents (lyue_xl.documents.DOCUMENT_KINDS)

    @property
    def surfaces(self) -> tuple[str, ...]:
        return tuple(
            name
            for name, present in ((CLI, self.cli), (WINDOW, self.window), (RIBBON, self.ribbon))
            if present
        )


COMMANDS: tuple[Command, ...] = (
    Command(
        "new",
        "新建台账",
        "空白的履约管理台账（.xlsx，无宏）",
        False,
        cli="new",
        summary="生成空白履约管理台账（.xlsx，无宏）",
        window=True,
        ribbon="数据",
        help="在当前工作簿旁边新建一份空白台账并打开。",
    ),
    Command(
        "demo",
        "示例",
        "示例企业的台账、刷新结果和全部文档",
        False,
        cli="demo",
        summary="生成示例企业台账，刷新并生成全部文件",
        window=True,
    ),
    Command(
        "check",
        "校验数据",
        "问题清单（只读，不修改台账）",
        False,
        cli="check",
        summary="校验台账数据，列出全部问题",
        window=True,
        ribbon="数据",
        help="检查各记录表的录入问题（只读，不修改工作簿），并选中第一个问题所在的单元格。",
    ),
    Command(
        "indicators",
        "计算指标",
        "履约指标（终端或 JSON）",
        False,
        cli="indicators",
        summary="计算履约指标",
    ),
    Command(
        "alerts", "列出预警", "预警清单（终端或 JSON）", False, cli="alerts", summary="列出预警"
    ),
    Command(
        "refresh",
        "刷新指标与预警",
        "台账中的「指标看板」「预警清单」「体系自评」和引擎列",
        True,
        cli="refresh",
        summary="写回指标看板、预警清单、体系自评和引擎列",
        window=True,
        ribbon="指标",
        help="计算指标、预警和体系自评，写入「指标看板」「预警清单」「体系自评」及供应商评分、风险等级、目标达成情况；写完后请保存。",
    ),
    Command(
        "manual",
        "生成履约管理手册",
        "履约管理手册（Word）",
        False,
        cli="manual",
        summary="生成履约管理手册（Word）",
        window=True,
        ribbon="文档",
        help="按台账内容生成履约管理手册（Word），保存在工作簿旁边。",
        document=True,
    ),
    Command(
        "audit_pack",
        "生成审核资料包",
        "审核资料包（zip）",
        False,
        cli="audit-pack",
        summary="生成审核资料包（zip）",
        window=True,
        ribbon="文档",
        help="生成审核资料包（zip：条款检查表、指标、记录摘录），保存在工作簿旁边。",
        document=True,
    ),
    Command(
        "report",
        "生成履约评估报告",
        "履约评估报告（Word）",
        False,
        cli="report",
        summary="生成履约评估报告（Word）",
        window=True,
        ribbon="文档",
        help="生成履约评估报告（Word，含指标、趋势图、预警和改进建议）。",
        document=True,
    ),
    Command(
        "review_input",
        "生成管理评审输入报告",
        "管理评审输入报告（Word）",
        False,
        cli="review-input",
        summary="生成管理评审输入报告（Word）",
        window=True,
        ribbon="文档",
        help="生成管理评审输入报告（Word，含上次管理评审决定事项的落实情况）。",
        document=True,
    ),
    Command(
        "forms",
        "生成记录表单",
        "记录表单（Word）",
        False,
        cli="forms",
        summary="生成记录表单（Word）：合同评审表、供应商评价表、不符合及纠正措施报告等",
    ),
    Command(
        "audit_kit",
        "生成内审资料",
        "内审资料（zip）",
        False,
        cli="audit-kit",
        summary="生成内审资料（zip）：年度内审计划、检查表（含抽样记录）、不符合报告、内审报告",
        window=True,
        ribbon="文档",
        help="生成内审资料（zip：年度内审计划、检查表、不符合报告、内审报告、待粘贴的审核记录）。",
        document=True,
    ),
    Command(
        "policy_drafts",
        "生成制度草稿",
        "缺少的制度草稿（Word，每项一个文件）",
        False,
        cli="policy-drafts",
        summary="为「成文信息」中缺少的 6.3.2 制度生成草稿（Word，每项一个文件）",
    ),
    Command(
        "schema",
        "台账结构",
        "工作表和列定义（终端或 JSON）",
        False,
        cli="schema",
        summary="输出台账的工作表和列定义",
    ),
    Command(
        "build_addin",
        "生成加载项",
        "Excel 加载项 lyue_xl.xlam",
        False,
        cli="build-addin",
        summary="生成 Excel 加载项 lyue_xl.xlam",
    ),
    Command(
        "addin",
        "安装加载项",
        "已安装的 Excel 加载项",
        False,
        cli="addin",
        summary="安装 Excel 加载项（addin install）",
    ),
    Command("open_folder", "打开输出文件夹", "（打开文件夹，不产生文件）", False, window=True),
    Command(
        "import",
        "导入自有台账",
        "追加到台账（或新建台账）的合同、款项、供应商记录",
        True,
        cli="import",
        summary="导入自有格式的合同台账（.xlsx/.csv），按列名自动对应",
        window=True,
        ribbon="数据",
        help="选择自有格式的台账（.xlsx/.csv），先预览列的对应和将写入的行，确认后追加到当前台账（先保存并关闭、备份后写入，再重新打开）。",
    ),
    Command(
        "fix_types",
        "转换文本格式",
        "台账中以文本录入的日期、金额和选项改为 Excel 能统计的形式",
        True,
        cli="fix-types",
        summary="把以文本录入的日期、金额和选项转换为 Excel 能统计的形式（先备份）",
        window=True,
        ribbon="数据",
        help="把以文本录入的日期、金额、选项写法转换为标准形式，使「实时指标」与刷新结果一致；先预览，确认后保存并关闭、备份后转换，再重新打开。",
    ),
    Command(
        "help",
        "打开帮助",
        "各按钮的说明",
        False,
        ribbon="帮助",
        help="显示本说明。",
    ),
)

BY_KEY: dict[str, Command] = {c.key: c for c in COMMANDS}


def on(surface: str) -> tuple[Command, ...]:
    """The commands of one surface, in declaration order."""
    return tuple(c for c in COMMANDS if surface in c.surfaces)


def ribbon_layout() -> dict[str, list[str]]:
    """Ribbon group -> its buttons' tags, left to right."""
    return {g: [c.key for c in COMMANDS if c.ribbon == g] for g in RIBBON_GROUPS}


def ribbon_order() -> tuple[Command, ...]:
    """The ribbon's buttons in the order they appear (group by group)."""
    return tuple(BY_KEY[key] for keys in ribbon_layout().values() for key in keys)


DOCUMENTS: tuple[Command, ...] = tuple(c for c in COMMANDS if c.document)
CLI_COMMANDS: dict[str, str] = {c.cli: c.summary for c in COMMANDS if c.cli}
