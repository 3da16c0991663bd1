"""Drafts of the six 制度 of 6.3.2 (`lyue-xl policy-drafts`): one Word file per 制度 that
成文信息 does not register as 现行, written from the firm's own records — its departments and
roles (职责权限), thresholds (设置), supplier grading rules, risk bands, objectives and the way
it handles breaches. Each is marked 草稿 until the firm issues it and registers it in 成文信息."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lyue_xl import schema
from lyue_xl.alerts import missing_policies
from lyue_xl.documents import common
from lyue_xl.documents.common import txt
from lyue_xl.documents.forms import LINE
from lyue_xl.documents.output import default_name, output_path
from lyue_xl.documents.render import render
from lyue_xl.errors import LyueError
from lyue_xl.period import credit_valid_months, soon_days

if TYPE_CHECKING:
    from lyue_xl.engine import Analysis

TEMPLATE = "policy_draft.docx"
Section = dict[str, Any]


def _section(heading: str, paragraphs: list[str], table: list[tuple[str, str]] | None = None):
    return {
        "heading": heading,
        "paragraphs": paragraphs,
        "has_table": bool(table),
        "table": [{"item": a, "text": b} for a, b in table or []],
    }


def _roles(analysis: Analysis) -> list[tuple[str, str]]:
    out = []
    for r in common.rows(analysis.records["roles"]):
        who = txt(r.get("person"))
        duties = txt(r.get("duties"))
        authority = txt(r.get("authority"))
        out.append(
            (
                txt(r["post"]) + (f"（{who}）" if who else ""),
                duties + (f"；权限：{authority}" if authority else ""),
            )
        )
    return out


def _departments(analysis: Analysis) -> str:
    roles = [txt(r["post"]) for r in common.rows(analysis.records["roles"]) if txt(r["post"])]
    return "、".join(dict.fromkeys(roles)) or LINE


def _objectives(analysis: Analysis) -> list[tuple[str, str]]:
    return [
        (o["indicator"], f"{o['target']}（责任部门：{o['department'] or LINE}）")
        for o in common.objective_rows(analysis)
    ]


def _purpose(analysis: Analysis, title: str, what: str) -> Section:
    scope = txt(analysis.records.info.get("scope")) or LINE
    return _section(
        "1 目的和适用范围",
        [
            f"为规范本公司{what}，落实履约能力方针和履约管理手册的要求（Q/QJC 002—2025 第 6.3.2 条），"
            f"制定《{title}》。",
            f"本制度适用于：{scope}",
        ],
    )


def _duties(analysis: Analysis) -> Section:
    roles = _roles(analysis)
    if roles:
        return _section(
            "2 职责", ["各部门和岗位的职责按「职责权限」的规定执行，与本制度有关的如下："], roles
        )
    return _section("2 职责", [f"负责部门：{LINE}；配合部门：{LINE}。"])


def _closing(analysis: Analysis) -> Section:
    info = analysis.records.info
    manager = txt(info.get("manager")) or LINE
    top = txt(info.get("top_manager")) or LINE
    return _section(
        "附则",
        [
            f"本制度由履约管理负责人 {manager} 负责解释和修订，经最高管理者 {top} 批准后发布实施。",
            "本制度发布后，在受控文件清单（成文信息）中登记文件编号、版本、发布日期、批准人，"
            "类别为“制度”，状态为“现行”；登记前本文件为草稿，不作为执行依据。",
        ],
    )


def _post_duties(analysis: Analysis) -> list[Section]:
    training = common.rows(analysis.records["training"])
    topics = "、".join(txt(t["topic"]) for t in training[:5] if txt(t.get("topic")))
    objectives = _objectives(analysis)
    return [
        _section(
            "3 岗位设置",
            [
                f"本公司设置履约管理岗位和相关部门：{_departments(analysis)}。履约管理负责人负责体系的"
                "日常运行，维护履约台账，跟踪预警，组织内部审核、培训和管理评审。",
                "岗位人员变动时，由接任人员在 5 个工作日内完成工作交接，交接清单经部门负责人签字。",
            ],
        ),
        _section(
            "4 任职和培训",
            [
                "履约管理相关岗位人员应熟悉合同评审、进度监控、款项管理和问题处置的要求，"
                "每年至少参加一次履约管理培训并通过考核，培训记录登记在「培训记录」。"
                + (f"已开展的培训包括：{topics}。" if topics else "")
            ],
        ),
        _section(
            "5 考核",
            ["各责任部门按下列履约目标考核，目标未达成的应分析原因并制定改进措施："]
            if objectives
            else [f"各责任部门的履约目标和考核办法：{LINE}"],
            objectives or None,
        ),
    ]


def _archives(analysis: Analysis) -> list[Section]:
    sheets = [s for s in schema.SHEETS if not s.is_keyvalue]
    return [
        _section(
            "3 归档范围",
            [
                "下列履约记录由责任部门按台账的工作表登记，原件（合同文本、签字的评审表、验收单、"
                "收付款凭证等）同时归档："
            ],
            [(s.name, s.purpose) for s in sheets],
        ),
        _section(
            "4 保管和借阅",
            [
                "履约档案按合同编号、年度分类保管；电子台账每次修改后保存，并定期备份到另一存储介质。",
                f"档案保存期限：合同履行完毕后不少于 {LINE} 年。借阅须登记，经履约管理负责人同意；"
                "原件不得带出，确需带出的复印并登记。",
            ],
        ),
    ]


def _partners(analysis: Analysis) -> list[Section]:
    months = credit_valid_months(analysis.records.settings)
    counts = common.grade_counts(analysis)
    graded = "、".join(f"{g} 级 {n} 家" for g, n in counts.items() if n and g != "未评")
    return [
        _section(
            "3 信用调查",
            [
                "选择供应商、分包商等合作方前，调查其资质、信用记录、涉诉情况和履约能力，"
                f"登记信用核查日期和结论（良好/一般/异常）。核查结论有效期 {months} 个月，"
                "到期前重新核查；结论为“异常”的不得新增合作。",
                "核心供应商应签订履约保障协议，明确交付、质量、违约责任和应急保障。",
            ],
        ),
        _section(
            "4 履约评价和分级",
            [
                "每个统计期间对合作方评价一次，评价期间和评价人登记在「供应商」。"
                "按时交付率 = 到期支出性合同中按时交付的比例；质量合格率 = 已交付并验收的合同中合格的比例；"
                "综合评分 = 100 × 两项比率的平均值（只有一项有数据时取该项）。",
            ],
            [
                ("A 级（≥ 90 分）", "优先合作，可适当减少检验频次"),
                ("B 级（75–89 分）", "正常合作"),
                ("C 级（60–74 分）", "限期整改，增加检验和跟踪"),
                ("D 级（< 60 分或信用异常）", "暂停新订单，启用备用合作方，整改验证合格后方可恢复"),
            ],
        ),
        _section(
            "5 现状",
            [f"目前登记的合作方评价结果：{graded}。" if graded else "目前尚无合作方评价结果。"],
        ),
    ]


def _contracts(analysis: Analysis) -> list[Section]:
    n = soon_days(analysis.records.settings)
    departments = sorted(
        {
            d.strip()
            for v in analysis.records["contracts"].get("review_departments", [])
            for d in str(v).replace("，", "、").split("、")
            if d.strip()
        }
    )
    who = "、".join(departments) or _departments(analysis)
    return [
        _section(
            "3 合同评审",
            [
                f"合同（含投标文件）签订前由 {who} 评审，评审日期不得晚于签订日期；评审结论为“不通过”的不得签订。",
                "评审内容：a) 本方履约能力（资源、技术、交期）是否满足；b) 履约风险及应对措施；"
                "c) 合同条款是否合法合规、权责明确。评审部门、评审人和 a)–c) 的结论填写合同评审表，"
                "并登记在「合同台账」。",
            ],
        ),
        _section(
            "4 履约跟踪",
            [
                "合同签订后登记计划交付日期、关键履约节点和各期应收付款。"
                f"到期前 {n} 天进入临近提醒，逾期的由负责人说明原因并制定补救措施。",
                "交付后登记实际交付日期、验收结果和客户满意度；影响履约的变更经评估和审批后登记在「变更记录」。",
            ],
        ),
    ]


def _risks(analysis: Analysis) -> list[Section]:
    high = [
        f"{txt(r['risk_no'])} {txt(r.get('description'))}"
        for r in common.sorted_risks(analysis, open_only=True)
        if txt(r.get("level")) == "高" and txt(r["kind"]) == "风险"
    ]
    return [
        _section(
            "3 识别和评价",
            [
                "各部门在合同评审、履约过程和环境分析中识别履约风险和机遇，登记在「风险机遇」。"
                "风险值 = 可能性（1–5）× 影响程度（1–5），按下表分级：",
            ],
            [
                ("高（风险值 ≥ 15）", "必须制定应对措施和应急预案，指定责任人和完成日期，每月跟踪"),
                ("中（8–14）", "制定应对措施，按季度跟踪"),
                ("低（≤ 7）", "日常关注，年度评审"),
            ],
        ),
        _section(
            "4 评审和更新",
            [
                "每 12 个月至少评审一次所有未关闭的风险，更新可能性、影响程度和措施，并填写评审日期；"
                "措施完成、风险消除后关闭。应急预案每年至少演练一次。",
                "当前未关闭的高风险：" + ("；".join(high) + "。" if high else "无。"),
            ],
        ),
    ]


def _accountability(analysis: Analysis) -> list[Section]:
    issues = analysis.records["issues"]
    kinds = Counter(txt(k) for k in issues.get("kind", []) if txt(k))
    examples = [
        txt(i.get("accountability")) for i in common.rows(issues) if txt(i.get("accountability"))
    ][:3]
    return [
        _section(
            "3 适用情形",
            [
                "本制度适用于本方违约、履约问题未按期关闭、违反合同评审等履约管理规定的情形；"
                "对合作方的违约按合同约定追究并记录。"
                + (
                    "已登记的履约问题类型："
                    + "、".join(f"{k} {n} 项" for k, n in kinds.items())
                    + "。"
                    if kinds
                    else ""
                )
            ],
        ),
        _section(
            "4 处理程序",
            [
                "发生违约或履约问题后，责任部门及时与相关方沟通，评估影响，分析根本原因，制定纠正措施并按期完成；"
                "本方违约的同时落实补偿措施。纠正措施完成后由验证人验证其有效性。",
                "责任追究视情节采取批评教育、扣减绩效、赔偿损失、调整岗位等方式，结果登记在「履约问题」的“责任追究”栏。"
                + ("已采用的处理方式如：" + "；".join(examples) + "。" if examples else ""),
            ],
        ),
    ]


BUILDERS = {
    "岗位责任": ("履约管理岗位设置、职责和考核", _post_duties),
    "履约档案": ("履约档案的归档、保管和借阅", _archives),
    "合作方履约": ("合作方履约情况的调查、评价和分级管理", _partners),
    "合同": ("合同（含招投标）的评审、签订和履约跟踪", _contracts),
    "风险管控": ("履约过程风险的识别、评价、应对和评审", _risks),
    "责任追究": ("内外部履约责任的认定和追究", _accountability),
}


def policy_context(analysis: Analysis, word: str, title: str) -> dict[str, Any]:
    what, build = BUILDERS[word]
    ctx = common.base_context(analysis)
    ctx["org_name"] = txt(analysis.records.info.get("org_name")) or LINE
    ctx.update(
        {
            "title": title,
            "line": LINE,
            "sections": [
                _purpose(analysis, title, what),
                _duties(analysis),
                *build(analysis),
                _closing(analysis),
            ],
        }
    )
    return ctx


def write_policy_drafts(analysis: Analysis, out: Path | str | None = None) -> list[Path]:
    """One draft per missing 制度 into the folder ``out`` (default: beside the workbook)."""
    if out is not None and str(out) != "":
        folder = Path(out)
        if folder.suffix.lower() == ".docx" or (folder.exists() and not folder.is_dir()):
            raise LyueError(
                f"“{folder}”不是文件夹；policy-drafts 每项制度生成一个文件，-o 请给出文件夹。"
            )
        folder.mkdir(parents=True, exist_ok=True)
    else:
        folder = Path(analysis.records.path).resolve().parent
    written = []
    for word, title in missing_policies(analysis.records):
        label = f"{title}（草稿）"
        path = output_path(
            analysis, label, ".docx", folder / default_name(analysis, label, ".docx")
        )
        written.append(render(TEMPLATE, policy_context(analysis, word, title), path))
    return written
