"""The record workbook's sheets and columns: the single source of truth.

The template (`lyue-xl new`), the reader, `check`, `lyue-xl schema --json`, the 使用说明 sheet and
README's field table are all derived from the declarations below (DESIGN.md §2).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Literal

from lyue_xl import definitions

# --- column types ---------------------------------------------------------------------------

TypeName = Literal[
    "text", "date", "amount", "integer", "score", "choice", "yesno", "ref", "number", "target"
]

TYPE_LABELS: dict[str, str] = {
    "text": "文本",
    "date": "日期",
    "amount": "金额（元）",
    "integer": "整数",
    "score": "分数（0–100）",
    "choice": "下拉选择",
    "yesno": "是/否",
    "ref": "编号（引用）",
    "number": "数值",
    "target": "数值或百分比",
}


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    type: TypeName = "text"
    required: bool = False
    unique: bool = False
    choices: tuple[str, ...] = ()
    hint: str = ""
    clause: str = ""
    ref: str | None = None  # key of the referenced sheet (type "ref")
    engine: bool = False  # written by refresh, never typed by the user
    acceptance: bool = True  # one of DESIGN §2's columns (False: our own addition)
    width: float = 14
    minimum: float | None = None
    maximum: float | None = None

    @property
    def type_label(self) -> str:
        return TYPE_LABELS[self.type]

    @property
    def range_text(self) -> str:
        """The allowed range in words, e.g. "1–5" or "不小于 0"."""
        if self.minimum is not None and self.maximum is not None:
            return f"{self.minimum:g}–{self.maximum:g}"
        if self.minimum is not None:
            return f"不小于 {self.minimum:g}"
        if self.maximum is not None:
            return f"不大于 {self.maximum:g}"
        return ""


@dataclass(frozen=True)
class Item:
    """One row of a two-column 项目/内容 sheet (基本信息, 设置)."""

    key: str
    label: str
    type: TypeName = "text"
    hint: str = ""
    default: str = ""


@dataclass(frozen=True)
class Sheet:
    name: str
    key: str
    clause: str
    purpose: str
    columns: tuple[Column, ...] = ()
    items: tuple[Item, ...] = ()  # for 项目/内容 sheets
    id_column: str | None = None  # key of the record-id column
    freeze_cols: int = 1

    @property
    def is_keyvalue(self) -> bool:
        return bool(self.items)

    def column(self, key: str) -> Column:
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(key)

    @property
    def user_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if not c.engine)

    @property
    def engine_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.engine)


def fold(label: object) -> str:
    """Compare labels after trimming and folding full-/half-width forms (NFKC), no spaces."""
    text = unicodedata.normalize("NFKC", str(label))
    return "".join(text.split())


def C(key: str, label: str, type: TypeName = "text", **kw: object) -> Column:  # noqa: N802
    return Column(key, label, type, **kw)  # type: ignore[arg-type]


YES_NO = ("是", "否")

# --- the indicators' names (DESIGN §3), used by 履约目标's 指标 dropdown ---------------------

INDICATOR_NAMES: tuple[str, ...] = tuple(i.name for i in definitions.INDICATORS)

# Indicators that are not rates, with what they count: their 目标值 is read literally, so a %
# sign there is an error (DESIGN §3).
NON_RATE_INDICATORS: dict[str, str] = {
    i.name: i.literal for i in definitions.INDICATORS if not i.rate
}

PERFORMANCE_STATES = (
    "履行中",
    "已履行",
    "未履行-本方违约",
    "未履行-对方违约",
    "未履行-不可抗力",
    "未履行-争议中止",
    "协商解除",
)

# The six 制度 of 6.3.2: (key word searched in 文件名称, full name used in messages)
REQUIRED_POLICIES: tuple[tuple[str, str], ...] = (
    ("岗位责任", "履约管理岗位责任制度"),
    ("履约档案", "履约档案管理制度"),
    ("合作方履约", "合作方履约情况调查管理制度"),
    ("合同", "合同（或招投标）履约管理制度"),
    ("风险管控", "履约过程风险管控制度"),
    ("责任追究", "内外部履约责任追究制度"),
)

# 资源核查's 资源类别 (8.1.1, 8.1.5, 9.3 a–c, 9.7 b)
RESOURCE_CATEGORIES: tuple[str, ...] = (
    "人员",
    "设备",
    "物料",
    "资金",
    "信息系统",
    "应急资源",
    "外部资源",
)

# --- the sheets --------------------------------------------------------------------------------

INFO = Sheet(
    "基本信息",
    "info",
    "5.3 5.4 6.2",
    "组织名称、方针、愿景、体系范围等基本信息，用于文件封面和手册。",
    items=(
        Item("org_name", "组织名称", hint="营业执照上的全称"),
        Item("credit_code", "统一社会信用代码", hint="18 位"),
        Item("top_manager", "最高管理者", hint="签署发布方针和制度的人"),
        Item("manager", "履约管理负责人", hint="6.4 指定的履约管理部门/岗位负责人"),
        Item("scope", "体系范围", hint="5.4：覆盖的产品、服务、场所和部门"),
        Item("vision", "履约愿景", hint="5.3：长期愿景"),
        Item("policy", "履约能力方针", hint="6.2：最高管理者正式表述的履约总体意图和方向"),
        Item("policy_date", "方针发布日期", "date"),
        Item("address", "地址"),
        Item("staff", "员工人数", "integer"),
        Item("industry", "主要产品和服务"),
    ),
)

SETTINGS = Sheet(
    "设置",
    "settings",
    "10.2",
    "统计期间、基准日期和预警参数；留空则按默认值。",
    items=(
        Item("period_from", "统计开始日期", "date", hint="留空 = 基准日期所在年的 1 月 1 日"),
        Item("period_to", "统计结束日期", "date", hint="留空 = 基准日期"),
        Item("as_of", "基准日期", "date", hint="留空 = 今天；按此日期判断是否逾期"),
        Item("soon_days", "临近预警天数", "integer", hint="到期前多少天开始提醒", default="7"),
        Item(
            "credit_valid_months",
            "信用核查有效期（月）",
            "integer",
            hint="供应商信用核查的有效月数",
            default="12",
        ),
        Item(
            "manual_template",
            "手册模板",
            hint="本单位自己维护的履约管理手册 Word 模板的路径（相对台账所在文件夹）；"
            "留空 = 台账旁的“履约管理手册模板.docx”，没有则用程序自带模板",
        ),
        Item(
            "supplier_months",
            "供应商评价月数",
            "integer",
            hint="统计开始日期留空时，供应商按基准日期（或统计结束日期）前这么多个月的交付评级",
            default="12",
        ),
        Item(
            "supplier_min_deliveries",
            "供应商评级最少交付次数",
            "integer",
            hint="评价期内到期或验收的支出性合同少于此数的供应商不评级（未评，样本不足）",
            default="3",
        ),
    ),
)

OBJECTIVES = Sheet(
    "履约目标",
    "objectives",
    "6.3.1 7.1",
    "可测量的履约目标（6.3.1），引擎按统计期间计算实际值并判断达成情况。",
    id_column="objective_no",
    columns=(
        C("objective_no", "目标编号", required=True, unique=True, width=12),
        C(
            "indicator",
            "指标",
            "choice",
            required=True,
            choices=INDICATOR_NAMES,
            hint="从下拉列表选择指标名称",
            width=20,
        ),
        C("target", "目标值", "target", required=True, hint="比率填 98% 或 0.98；次数、金额照填"),
        C("comparison", "比较方式", "choice", required=True, choices=("不低于", "不高于")),
        C("department", "责任部门", width=14),
        C("year", "适用年度", "integer", acceptance=False, hint="留空 = 每个统计期间都适用"),
        C("actual", "实际值", "number", engine=True, hint="由“刷新指标与预警”写入"),
        C("achieved", "达成情况", engine=True, hint="由“刷新指标与预警”写入：达成/未达成/无数据"),
    ),
)

COMMITMENTS = Sheet(
    "承诺",
    "commitments",
    "7.2",
    "规定性、约定性、自愿性承诺及其兑现（7.2）。",
    id_column="commitment_no",
    columns=(
        C("commitment_no", "承诺编号", required=True, unique=True, width=12),
        C(
            "kind",
            "承诺类型",
            "choice",
            required=True,
            choices=("规定性", "约定性", "自愿性"),
            clause="7.2.1 7.2.2 7.2.3",
        ),
        C("content", "承诺内容", required=True, width=36),
        C("basis", "依据", hint="法规、合同条款或自愿承诺的出处", width=24),
        C("department", "责任部门"),
        C("deadline", "兑现期限", "date", hint="日期；长期有效的填“长期”或留空"),
        C("status", "兑现状态", "choice", choices=("未开始", "进行中", "已兑现", "未兑现")),
        C("evidence", "兑现证据", width=28),
    ),
)

CONTRACTS = Sheet(
    "合同台账",
    "contracts",
    "9.2 9.4",
    "每份合同一行：评审、交付、验收、履行状态和客户满意度（9.2、9.4）。",
    id_column="contract_no",
    freeze_cols=2,
    columns=(
        C("contract_no", "合同编号", required=True, unique=True, width=14),
        C("name", "合同名称", required=True, width=26),
        C(
            "nature",
            "合同性质",
            "choice",
            required=True,
            choices=("收入性", "支出性"),
            hint="收入性 = 本方向客户履约；支出性 = 供应商向本方履约",
        ),
        C("counterparty", "相对方", width=22),
        C(
            "supplier_no",
            "供应商编号",
            "ref",
            ref="suppliers",
            hint="支出性合同填写，对应「供应商」表",
            clause="9.5",
        ),
        C("signed_on", "签订日期", "date", required=True),
        C("reviewed_on", "评审日期", "date", hint="合同评审应在签订前完成", clause="9.2"),
        C(
            "review_result",
            "评审结论",
            "choice",
            choices=("通过", "有条件通过", "不通过"),
            clause="9.2",
        ),
        C("amount", "合同金额（元）", "amount", width=16),
        C("planned_delivery", "计划交付日期", "date", required=True, hint="合同约定的履行期限"),
        C("actual_delivery", "实际交付日期", "date", hint="尚未交付则留空"),
        C("acceptance", "验收结果", "choice", choices=("合格", "不合格", "待验收")),
        C(
            "state",
            "履行状态",
            "choice",
            choices=PERFORMANCE_STATES,
            hint="留空视为“履行中”",
            width=18,
        ),
        C("satisfaction", "客户满意度", "score", hint="0–100 分", minimum=0, maximum=100),
        C("owner", "负责人", width=10),
        C("review_departments", "评审部门", hint="参加合同评审的部门", clause="9.2", width=18),
        C("reviewer", "评审人", clause="9.2", width=10),
        C(
            "capability",
            "能力评估",
            hint="9.2 a：本方履约能力（资源、技术、交期）是否满足；填“满足”或简述",
            clause="9.2",
            width=20,
        ),
        C(
            "risk_measures",
            "风险及措施",
            hint="9.2 b：识别的履约风险及应对措施",
            clause="9.2",
            width=24,
        ),
        C(
            "clause_compliance",
            "条款合规",
            hint="9.2 c：合同条款是否合法合规、权责明确；填“合规”或简述问题",
            clause="9.2",
            width=20,
        ),
    ),
)

MILESTONES = Sheet(
    "履约节点",
    "milestones",
    "9.4",
    "合同的关键履约节点及完成情况（9.4 进度监控）。",
    freeze_cols=2,
    columns=(
        C("contract_no", "合同编号", "ref", required=True, ref="contracts", width=14),
        C("name", "节点名称", required=True, width=20),
        C("planned", "计划完成日期", "date", required=True),
        C("actual", "实际完成日期", "date"),
        C("key", "关键节点", "yesno", choices=YES_NO, hint="留空视为“否”"),
        C("owner", "负责人", width=10),
    ),
)

PAYMENTS = Sheet(
    "款项",
    "payments",
    "8.1.3.2 5.2.2",
    "每期应收/应付款一行：应收付日期和金额、实际收付（回款率、逾期应收）。",
    freeze_cols=2,
    columns=(
        C("contract_no", "合同编号", "ref", required=True, ref="contracts", width=14),
        C("kind", "收付类型", "choice", required=True, choices=("收款", "付款")),
        C("installment", "期次", hint="如 1、2、尾款"),
        C("due_on", "应收付日期", "date", required=True),
        C("due_amount", "应收付金额（元）", "amount", required=True, width=16),
        C("paid_on", "实收付日期", "date", hint="本期款项全部收/付齐的日期"),
        C("paid_amount", "实收付金额（元）", "amount", hint="本期累计实收/实付金额", width=16),
    ),
)

SUPPLIERS = Sheet(
    "供应商",
    "suppliers",
    "8.1.3.3 9.5",
    "合作方（供应商）信用核查与履约评价（8.1.3.3、9.5）；评分和等级由引擎写入。",
    id_column="supplier_no",
    freeze_cols=2,
    columns=(
        C("supplier_no", "供应商编号", required=True, unique=True, width=12),
        C("name", "供应商名称", required=True, width=24),
        C("category", "供应类别"),
        C("credit_checked_on", "信用核查日期", "date", clause="8.1.3.3"),
        C("credit_result", "信用核查结论", "choice", choices=("良好", "一般", "异常")),
        C("core", "核心供应商", "yesno", choices=YES_NO),
        C("agreement", "履约保障协议", "yesno", choices=YES_NO),
        C("on_time_rate", "按时交付率", "number", engine=True),
        C("quality_rate", "质量合格率", "number", engine=True),
        C("score", "综合评分", "number", engine=True),
        C("grade", "等级", engine=True),
        C("evaluation_period", "评价期间", hint="如 2025年度、2026上半年", clause="9.5"),
        C("evaluator", "评价人", clause="9.5", width=10),
        C(
            "grade_note",
            "评级说明",
            engine=True,
            width=36,
            hint="由“刷新指标与预警”写入：评价期间、交付次数和评级依据",
        ),
    ),
)

RISKS = Sheet(
    "风险机遇",
    "risks",
    "7.3 10.3",
    "履约风险和机遇登记、应对措施与应急预案（7.3）；风险值和等级由引擎写入。",
    id_column="risk_no",
    columns=(
        C("risk_no", "编号", required=True, unique=True, width=10),
        C("kind", "类型", "choice", required=True, choices=("风险", "机遇")),
        C("description", "描述", width=30),
        C("source", "来源", width=14),
        C(
            "likelihood",
            "可能性",
            "integer",
            required=True,
            hint="1（很少）–5（几乎肯定）",
            minimum=1,
            maximum=5,
        ),
        C(
            "impact",
            "影响程度",
            "integer",
            required=True,
            hint="1（轻微）–5（严重）",
            minimum=1,
            maximum=5,
        ),
        C("measure", "应对措施", width=26),
        C("contingency", "应急预案", width=20, clause="7.3.2"),
        C("owner", "责任人", width=10),
        C("planned", "计划完成日期", "date"),
        C("status", "状态", "choice", choices=("未处置", "处置中", "已关闭")),
        C("reviewed_on", "评审日期", "date"),
        C("value", "风险值", "number", engine=True),
        C("level", "等级", engine=True),
    ),
)

ISSUES = Sheet(
    "履约问题",
    "issues",
    "9.6 10.5",
    "履约问题和违约事件：原因分析、纠正措施、责任追究与补偿（9.6、10.5）。",
    id_column="issue_no",
    columns=(
        C("issue_no", "问题编号", required=True, unique=True, width=12),
        C("contract_no", "合同编号", "ref", ref="contracts", width=14),
        C("found_on", "发现日期", "date", required=True),
        C(
            "kind",
            "问题类型",
            "choice",
            required=True,
            choices=("延迟交付", "质量不达标", "款项争议", "客户投诉", "内审发现", "其他"),
        ),
        C("breach", "是否违约", "yesno", choices=YES_NO),
        C("breaching_party", "违约方", "choice", choices=("本方", "对方", "不可抗力")),
        C("description", "问题描述", width=30),
        C("root_cause", "根本原因", width=24, clause="10.5"),
        C("corrective_action", "纠正措施", width=24, clause="10.5"),
        C("accountability", "责任追究", width=20, clause="10.5"),
        C("compensation", "补偿措施", width=20, clause="10.5"),
        C("owner", "责任人", width=10),
        C("planned", "计划完成日期", "date"),
        C("closed_on", "关闭日期", "date"),
        C("status", "状态", "choice", choices=("处理中", "已关闭")),
        C("verifier", "验证人"),
        C("verified_on", "验证日期", "date"),
        C("effective", "是否有效", "yesno", choices=YES_NO),
        C(
            "impact",
            "影响评估",
            hint="10.5 c：对合同、客户和其他合同的影响",
            clause="10.5",
            width=24,
        ),
        C(
            "communication",
            "与相关方沟通",
            hint="9.6 a：何时、与谁、沟通了什么",
            clause="9.6",
            width=24,
        ),
    ),
)

DOCUMENTS = Sheet(
    "成文信息",
    "documents",
    "6.3.2 8.3",
    "手册、制度、程序、记录和外来文件的受控清单与版本（8.3）。",
    id_column="doc_no",
    columns=(
        C("doc_no", "文件编号", required=True, unique=True, width=14),
        C("name", "文件名称", required=True, width=28),
        C(
            "category",
            "文件类别",
            "choice",
            required=True,
            choices=("手册", "制度", "程序", "记录", "外来文件"),
        ),
        C("version", "版本", width=8),
        C("issued_on", "发布日期", "date"),
        C("approver", "批准人", width=10),
        C("next_review", "下次评审日期", "date"),
        C("status", "状态", "choice", required=True, choices=("现行", "作废")),
    ),
)

CONTEXT = Sheet(
    "环境与相关方",
    "context",
    "5.1 5.2",
    "内外部履约环境因素和相关方的需求与期望（5.1、5.2）。",
    id_column="context_no",
    columns=(
        C("context_no", "编号", required=True, unique=True, acceptance=False, width=10),
        C(
            "category",
            "类别",
            "choice",
            required=True,
            choices=("内部环境", "外部环境", "相关方"),
            acceptance=False,
        ),
        C("subject", "因素或相关方", required=True, acceptance=False, width=20),
        C("expectation", "需求、期望或影响", acceptance=False, width=34),
        C("response", "应对措施", acceptance=False, width=30),
        C("department", "责任部门", acceptance=False),
        C("reviewed_on", "评审日期", "date", acceptance=False),
    ),
)

ROLES = Sheet(
    "职责权限",
    "roles",
    "6.4",
    "履约管理部门/岗位的职责和权限（6.4）。",
    columns=(
        C("post", "部门或岗位", required=True, acceptance=False, width=18),
        C("person", "负责人", acceptance=False, width=10),
        C("duties", "履约职责", required=True, acceptance=False, width=40),
        C("authority", "权限", acceptance=False, width=30),
        C("appointed_on", "任命日期", "date", acceptance=False),
        C(
            "competence",
            "能力要求",
            acceptance=False,
            hint="8.1.2 b：本岗位履约所需的知识、技能和经验",
            width=30,
        ),
        C(
            "qualification",
            "资格证明",
            acceptance=False,
            hint="在岗人员满足能力要求的证据：证书、培训考核或任职评价",
            width=24,
        ),
    ),
)

TRAINING = Sheet(
    "培训记录",
    "training",
    "8.1.2",
    "履约管理相关培训及效果（8.1.2、6.4.2 e）。",
    id_column="training_no",
    columns=(
        C("training_no", "培训编号", required=True, unique=True, acceptance=False, width=12),
        C("held_on", "培训日期", "date", required=True, acceptance=False),
        C("topic", "培训主题", required=True, acceptance=False, width=28),
        C("audience", "参加对象", acceptance=False, width=18),
        C("attendees", "参加人数", "integer", acceptance=False, minimum=0),
        C("trainer", "讲师", acceptance=False, width=10),
        C(
            "result",
            "考核结果",
            "choice",
            choices=("合格", "部分合格", "不合格", "未考核"),
            acceptance=False,
        ),
    ),
)

EMERGENCY = Sheet(
    "应急预案",
    "emergency",
    "9.7",
    "履约应急预案及演练（9.7）。",
    id_column="plan_no",
    columns=(
        C("plan_no", "预案编号", required=True, unique=True, acceptance=False, width=12),
        C("name", "预案名称", required=True, acceptance=False, width=26),
        C("scenario", "适用情形", acceptance=False, width=28),
        C("issued_on", "发布日期", "date", acceptance=False),
        C("drilled_on", "最近演练日期", "date", acceptance=False),
        C("drill_result", "演练评价", acceptance=False, width=28),
        C("owner", "责任人", acceptance=False, width=10),
    ),
)

CHANGES = Sheet(
    "变更记录",
    "changes",
    "7.4",
    "影响履约的变更及其评估和审批（7.4）。",
    id_column="change_no",
    columns=(
        C("change_no", "变更编号", required=True, unique=True, acceptance=False, width=12),
        C("changed_on", "变更日期", "date", required=True, acceptance=False),
        C(
            "contract_no",
            "合同编号",
            "ref",
            ref="contracts",
            acceptance=False,
            hint="涉及某份合同时填写",
            width=14,
        ),
        C("content", "变更内容", required=True, acceptance=False, width=30),
        C("reason", "变更原因", acceptance=False, width=22),
        C("impact", "影响评估", acceptance=False, width=26),
        C("approver", "审批人", acceptance=False, width=10),
        C("status", "状态", "choice", choices=("待审批", "已实施", "已取消"), acceptance=False),
    ),
)

AUDITS = Sheet(
    "审核记录",
    "audits",
    "附录A 10.4",
    "内审、外审和管理评审的发现及整改（附录 A）。每条发现一行。",
    id_column="finding_no",
    columns=(
        C("finding_no", "记录编号", required=True, unique=True, acceptance=False, width=12),
        C(
            "audit_type",
            "审核类型",
            "choice",
            required=True,
            choices=("内审", "外审", "管理评审"),
            acceptance=False,
        ),
        C("audited_on", "审核日期", "date", required=True, acceptance=False),
        C("clause", "条款", acceptance=False, width=10),
        C(
            "finding_type",
            "发现类型",
            "choice",
            choices=("符合", "不符合", "观察项", "改进建议"),
            acceptance=False,
        ),
        C("finding", "发现描述", acceptance=False, width=34),
        C("corrective_action", "纠正措施", acceptance=False, width=26),
        C("department", "责任部门", acceptance=False),
        C("closed_on", "关闭日期", "date", acceptance=False),
        C("auditor", "审核员", acceptance=False, width=10),
        C("verifier", "验证人"),
        C("verified_on", "验证日期", "date"),
        C("effective", "是否有效", "yesno", choices=YES_NO),
    ),
)

IMPROVEMENTS = Sheet(
    "持续改进",
    "improvements",
    "11",
    "改进项目、措施和效果评价（11 持续改进）。",
    id_column="improvement_no",
    columns=(
        C("improvement_no", "改进编号", required=True, unique=True, acceptance=False, width=12),
        C("raised_on", "提出日期", "date", required=True, acceptance=False),
        C(
            "source",
            "来源",
            "choice",
            choices=("内审", "外审", "管理评审", "履约问题", "客户反馈", "风险机遇", "其他"),
            acceptance=False,
        ),
        C("content", "改进内容", required=True, acceptance=False, width=30),
        C("action", "改进措施", acceptance=False, width=28),
        C("department", "责任部门", acceptance=False),
        C("planned", "计划完成日期", "date", acceptance=False),
        C("completed_on", "完成日期", "date", acceptance=False),
        C("effect", "效果评价", acceptance=False, width=24),
        C(
            "cause",
            "原因分析",
            acceptance=False,
            hint="10.2：未达成目标或问题的原因；针对某个目标时写明目标编号",
            width=28,
        ),
    ),
)

RESOURCES = Sheet(
    "资源核查",
    "resources",
    "8.1.1 8.1.5 9.3 9.7",
    "人员、设备、物料、资金、信息系统和应急资源是否满足履约需要的定期核查（8.1.1、8.1.5、9.3、9.7 b）。",
    columns=(
        C(
            "category",
            "资源类别",
            "choice",
            required=True,
            choices=RESOURCE_CATEGORIES,
            acceptance=False,
        ),
        C("name", "名称", required=True, acceptance=False, width=24),
        C("checked_on", "核查日期", "date", required=True, acceptance=False),
        C(
            "conclusion",
            "结论",
            "choice",
            choices=("满足", "基本满足", "不满足"),
            acceptance=False,
        ),
        C("evidence", "证据", acceptance=False, hint="核查记录、台账或证书的编号", width=28),
    ),
)

REVIEW_OUTPUTS = Sheet(
    "管理评审",
    "review_outputs",
    "10.4",
    "管理评审的输出：决定事项、资源安排、责任部门、完成期限和状态（10.4）。每项决定一行。",
    id_column="output_no",
    columns=(
        C("output_no", "事项编号", required=True, unique=True, acceptance=False, width=12),
        C("reviewed_on", "评审日期", "date", required=True, acceptance=False),
        C("decision", "决定事项", required=True, acceptance=False, width=34),
        C("resources", "资源安排", acceptance=False, width=24),
        C("department", "责任部门", acceptance=False),
        C("deadline", "完成期限", "date", acceptance=False),
        C(
            "status",
            "状态",
            "choice",
            choices=("未开始", "进行中", "已完成"),
            acceptance=False,
            hint="留空视为“未开始”",
        ),
    ),
)

SHEETS: tuple[Sheet, ...] = (
    INFO,
    SETTINGS,
    OBJECTIVES,
    COMMITMENTS,
    CONTRACTS,
    MILESTONES,
    PAYMENTS,
    SUPPLIERS,
    RISKS,
    ISSUES,
    DOCUMENTS,
    CONTEXT,
    ROLES,
    TRAINING,
    EMERGENCY,
    CHANGES,
    AUDITS,
    IMPROVEMENTS,
    RESOURCES,
    REVIEW_OUTPUTS,
)

# 证据文件 (issue #10): any record may link a scan or PDF. Declared once here and added as the last
# user column of every record sheet (before the engine's columns; not the 项目/内容 sheets). `check`
# reports linked files that cannot be found, the self-assessment counts the ones that exist and the
# audit pack attaches them. Optional everywhere: a workbook without the column is not warned about.
EVIDENCE_FILE = C(
    "evidence_file",
    "证据文件",
    acceptance=False,
    hint="扫描件或 PDF 的路径（相对台账所在文件夹）或超链接；多个用“;”分隔",
    width=24,
)


def _add_evidence_column(sheet: Sheet) -> None:
    if sheet.is_keyvalue or any(c.key == EVIDENCE_FILE.key for c in sheet.columns):
        return
    cols = list(sheet.columns)
    at = len(cols)  # after the user's columns, before the trailing engine columns
    while at and cols[at - 1].engine:
        at -= 1
    cols.insert(at, EVIDENCE_FILE)
    object.__setattr__(sheet, "columns", tuple(cols))  # frozen dataclass: set once, here


for _sheet in SHEETS:
    _add_evidence_column(_sheet)

BY_KEY: dict[str, Sheet] = {s.key: s for s in SHEETS}
BY_NAME: dict[str, Sheet] = {s.name: s for s in SHEETS}

# DESIGN §2 sheets: missing one is exit 2 for every command that needs it.
CORE_SHEET_KEYS: tuple[str, ...] = (
    "info",
    "settings",
    "objectives",
    "commitments",
    "contracts",
    "milestones",
    "payments",
    "suppliers",
    "risks",
    "issues",
    "documents",
)

# Sheets the engine writes whole, and the sheet of native formulas that it never touches.
GUIDE_SHEET = "使用说明"
LIVE_SHEET = "实时指标"
DASHBOARD_SHEET = "指标看板"
ALERTS_SHEET = "预警清单"
ASSESSMENT_SHEET = "体系自评"
ENGINE_SHEETS: tuple[str, ...] = (DASHBOARD_SHEET, ALERTS_SHEET, ASSESSMENT_SHEET)


def as_json() -> dict[str, object]:
    """`lyue-xl schema --json`: the sheet/column contract, from the declarations above."""
    sheets: list[dict[str, object]] = []
    for sheet in SHEETS:
        columns: list[dict[str, object]]
        if sheet.is_keyvalue:
            columns = [
                {
                    "key": item.key,
                    "label": item.label,
                    "type": item.type,
                    "required": False,
                    "choices": [],
                    "row_item": True,
                    "hint": item.hint,
                    "default": item.default or None,
                }
                for item in sheet.items
            ]
        else:
            columns = [
                {
                    "key": c.key,
                    "label": c.label,
                    "type": c.type,
                    "required": c.required,
                    "choices": list(c.choices),
                    "unique": c.unique,
                    "ref": BY_KEY[c.ref].name if c.ref else None,
                    "engine": c.engine,
                    "hint": c.hint,
                    "clause": c.clause or None,
                    "synonyms": list(label_synonyms(sheet, c)),
                }
                for c in sheet.columns
            ]
        sheets.append(
            {
                "name": sheet.name,
                "key": sheet.key,
                "clause": sheet.clause,
                "purpose": sheet.purpose,
                "layout": "项目/内容" if sheet.is_keyvalue else "records",
                "columns": columns,
            }
        )
    return {"sheets": sheets}


# --- tolerant labels and values (issue #12): other names for the same column or value ----------
#
# A firm's own ledger, or a template whose header a user renamed, often says 合同号 for 合同编号 or
# 金额（万元） for 合同金额（元）. The reader (every command) and `lyue-xl import` match header cells
# against these names after folding (see :mod:`lyue_xl.headers`); `check` says which was taken.
# A name may appear only once per sheet (tests/test_headers.py checks it), so a header never maps
# to two columns. The labels of a sheet's own columns always win over these.

LABEL_SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "contracts": {
        "contract_no": ("合同号", "合同编码", "合同代码", "合同序号", "编号", "合同编号No"),
        "name": ("合同名", "项目名称", "合同标题", "合同内容", "名称"),
        "nature": (
            "性质",
            "合同类型",
            "合同类别",
            "收支类型",
            "收支性质",
            "类型",
            "合同种类",
            "收支方向",
            "合同方向",
        ),
        "counterparty": (
            "客户单位",
            "对方名称",
            "客户",
            "客户名称",
            "甲方",
            "甲方单位",
            "相对方单位",
            "相对方名称",
            "对方单位",
            "合同相对方",
            "签约单位",
            "签约对象",
            "合作单位",
            "对方",
        ),
        "signed_on": (
            "签约日期",
            "签订时间",
            "签约时间",
            "签署日期",
            "签订日",
            "合同签订日期",
            "合同签订时间",
            "签署时间",
        ),
        "reviewed_on": ("合同评审日期", "评审时间"),
        "review_result": ("评审结果", "合同评审结论", "评审意见"),
        "amount": (
            "合同金额",
            "金额",
            "合同额",
            "合同价款",
            "合同总额",
            "合同总价",
            "总金额",
            "合同总金额",
            "合同价",
            "合同价格",
            "含税金额",
        ),
        "planned_delivery": (
            "交货期",
            "交付期限",
            "约定交付日期",
            "计划交货日期",
            "约定交货日期",
            "合同交付日期",
            "计划完成日期",
            "履行期限",
            "交货日期",
            "计划交付时间",
            "约定交货期",
            "交货时间",
            "交付日期",
            "到期日期",
        ),
        "actual_delivery": (
            "实际交货",
            "实际交付",
            "实际交货日",
            "实际到货日期",
            "实际交货日期",
            "实际完成日期",
            "实际交付时间",
            "实交日期",
            "交付完成日期",
            "实际交货时间",
            "完成日期",
        ),
        "acceptance": ("验收结论", "验收情况", "验收", "验收状态"),
        "state": ("状态", "合同状态", "履约状态", "执行状态", "履行情况", "履约情况", "执行情况"),
        "satisfaction": ("满意度", "客户满意度评分", "满意度评分"),
        "owner": ("经办人", "业务员", "责任人", "合同负责人", "项目负责人", "承办人"),
    },
    "payments": {
        "contract_no": ("合同号", "合同编码"),
        "kind": ("收付款类型", "款项类型", "收/付", "收付"),
        "installment": ("期数", "付款期次", "收款期次"),
        "due_on": (
            "应收付款日期",
            "约定收付日期",
            "应收日期",
            "应付日期",
            "到期日",
            "约定收款日期",
            "计划收款日期",
            "应收款日期",
        ),
        "due_amount": (
            "应收付金额",
            "应收付款金额",
            "应收金额",
            "应付金额",
            "计划金额",
            "应收款",
            "应收款金额",
            "应收账款",
        ),
        "paid_on": (
            "实收付款日期",
            "实际收付日期",
            "实收日期",
            "实付日期",
            "到账日期",
            "回款日期",
            "收款日期",
        ),
        "paid_amount": (
            "实收付金额",
            "实收付款金额",
            "实收金额",
            "实付金额",
            "到账金额",
            "回款金额",
            "已收金额",
            "收款金额",
        ),
    },
    "suppliers": {
        "supplier_no": ("供应商代码", "供应商编码", "供方编号", "编号"),
        "name": ("供应商", "供方名称", "单位名称", "名称"),
        "category": ("类别", "供应品类", "供货类别"),
        "credit_checked_on": ("信用核查时间", "信用调查日期", "资信核查日期"),
        "credit_result": ("信用核查结果", "信用状况", "资信情况"),
        "core": ("是否核心供应商", "核心"),
        "agreement": ("是否签订履约保障协议", "履约保障"),
    },
}

# Units a money header may carry, "合同金额（万元）" -> ×10 000 (amount columns only).
UNIT_FACTORS: dict[str, float] = {
    "元": 1.0,
    "千元": 1_000.0,
    "万元": 10_000.0,
    "亿元": 100_000_000.0,
}

# Other words for a dropdown value: (sheet key, column key) -> {typed word: choice}.
VALUE_SYNONYMS: dict[tuple[str, str], dict[str, str]] = {
    ("contracts", "nature"): {
        "收入类": "收入性",
        "销售": "收入性",
        "销售合同": "收入性",
        "支出类": "支出性",
        "采购": "支出性",
        "采购合同": "支出性",
        "收入": "收入性",
        "收入合同": "收入性",
        "销售类": "收入性",
        "支出": "支出性",
        "支出合同": "支出性",
        "采购类": "支出性",
    },
    ("contracts", "state"): {
        "执行中": "履行中",
        "进行中": "履行中",
        "在履行": "履行中",
        "正在履行": "履行中",
        "未完成": "履行中",
        "在执行": "履行中",
        "已完成": "已履行",
        "已交付": "已履行",
        "已执行": "已履行",
        "履行完毕": "已履行",
        "履约完毕": "已履行",
        "已结束": "已履行",
        "已结清": "已履行",
        "已结算": "已履行",
        "已完结": "已履行",
        "完结": "已履行",
        "已验收": "已履行",
        "待履行": "履行中",
        "未开始": "履行中",
        "已签订": "履行中",
        "已取消": "协商解除",
        "取消": "协商解除",
        "已终止": "协商解除",
        "终止": "协商解除",
        "解除": "协商解除",
        "已解除": "协商解除",
        "本方违约": "未履行-本方违约",
        "对方违约": "未履行-对方违约",
        "不可抗力": "未履行-不可抗力",
        "争议中止": "未履行-争议中止",
        "中止": "未履行-争议中止",
    },
    ("contracts", "acceptance"): {
        "通过": "合格",
        "验收合格": "合格",
        "已验收": "合格",
        "验收不合格": "不合格",
        "未通过": "不合格",
        "未验收": "待验收",
        "验收通过": "合格",
        "待验": "待验收",
    },
    ("contracts", "review_result"): {"同意": "通过", "合格": "通过", "不同意": "不通过"},
    ("payments", "kind"): {
        "收": "收款",
        "回款": "收款",
        "应收": "收款",
        "付": "付款",
        "应付": "付款",
        "收入": "收款",
        "支出": "付款",
    },
}

# 是/否 columns: other ways of writing 是 and 否 (read, and named by `check`).
YES_FORMS: tuple[str, ...] = ("是", "Y", "YES", "TRUE", "1", "√", "✓", "✔", "对", "有")
NO_FORMS: tuple[str, ...] = ("否", "N", "NO", "FALSE", "0", "×", "✗", "✘", "X", "无", "不是")


def label_synonyms(sheet: Sheet, col: Column) -> tuple[str, ...]:
    return LABEL_SYNONYMS.get(sheet.key, {}).get(col.key, ())


def value_synonyms(sheet: Sheet, col: Column) -> dict[str, str]:
    return VALUE_SYNONYMS.get((sheet.key, col.key), {})
