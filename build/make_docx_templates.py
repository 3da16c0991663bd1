"""Build the Word templates of ``docx_templates/`` reproducibly (python-docx + lxml).

    /work/venv/bin/python build/make_docx_templates.py [OUT_DIR]

The templates are docxtpl files (Jinja2 tags inside real Word documents): a firm may restyle them
in Word, and this script is their reviewable source. The variables each template uses are the
contract with ``src/lyue_xl/documents/*.py`` (checked before every rendering).
Running it twice gives byte-identical files.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

from docx.enum.text import WD_ALIGN_PARAGRAPH  # noqa: E402
from docx_kit import Col, TemplateDoc  # noqa: E402

from lyue_xl import schema  # noqa: E402

OUT = HERE.parent / "docx_templates"

# --- shared tables -----------------------------------------------------------------------------

INDICATOR_COLS = [
    Col("指标", "{{ r.name }}", 3.4),
    Col("本期实际值", "{{ r.value }}", 2.3),
    Col("计算依据", "{{ r.basis }}", 4.3),
    Col("目标", "{{ r.target }}", 2.6),
    Col("达成情况", "{{ r.achieved }}", 1.8),
    Col("单位", "{{ r.unit }}", 1.6),
]

OBJECTIVE_COLS = [
    Col("目标编号", "{{ r.no }}", 1.8),
    Col("指标", "{{ r.indicator }}", 3.2),
    Col("目标值", "{{ r.target }}", 2.6),
    Col("实际值", "{{ r.actual }}", 2.2),
    Col("达成情况", "{{ r.achieved }}", 1.8),
    Col("责任部门", "{{ r.department }}", 2.4),
    Col("适用年度", "{{ r.year }}", 2.0),
]

SUPPLIER_COLS = [
    Col("编号", "{{ r.no }}", 1.3),
    Col("供应商名称", "{{ r.name }}", 3.0),
    Col("类别", "{{ r.category }}", 1.3),
    Col("信用核查", "{{ r.credit }}", 2.2),
    Col("核心/协议", "{{ r.core }}", 1.7),
    Col("交付次数", "{{ r.deliveries }}", 1.1),
    Col("按时交付率", "{{ r.on_time }}", 1.5),
    Col("质量合格率", "{{ r.quality }}", 1.5),
    Col("评分", "{{ r.score }}", 1.3),
    Col("等级", "{{ r.grade }}", 1.1),
]

RISK_COLS = [
    Col("编号", "{{ r.no }}", 1.3),
    Col("类型", "{{ r.kind }}", 1.2),
    Col("描述", "{{ r.description }}", 3.0),
    Col("可能性×影响", "{{ r.score }}", 1.8),
    Col("等级", "{{ r.level }}", 1.1),
    Col("应对措施", "{{ r.measure }}", 2.9),
    Col("应急预案", "{{ r.contingency }}", 1.8),
    Col("状态", "{{ r.status }}", 1.5),
    Col("责任人", "{{ r.owner }}", 1.4),
]

BREACH_COLS = [
    Col("问题编号", "{{ r.no }}\n{{ r.contract }}\n{{ r.found_on }}", 2.1),
    Col("类型/违约方", "{{ r.kind }}\n{{ r.party }}", 1.7),
    Col("问题描述", "{{ r.description }}", 2.8),
    Col("根本原因", "{{ r.root_cause }}", 2.5),
    Col("纠正措施", "{{ r.corrective_action }}", 2.5),
    Col("责任追究与补偿", "{{ r.remedy }}", 2.8),
    Col("状态", "{{ r.status }}", 1.6),
]

ALERT_COLS = [
    Col("等级", "{{ r.level }}", 1.1),
    Col("预警", "{{ r.title }}", 2.6),
    Col("记录", "{{ r.where }}", 3.0),
    Col("说明", "{{ r.message }}", 7.7),
    Col("条款", "{{ r.clause }}", 1.6),
]

MONTHLY_COLS = [
    Col("月份", "{{ r.month }}", 2.0),
    Col("到期合同", "{{ r.due }}", 2.0),
    Col("合同履约率", "{{ r.fulfillment }}", 3.0),
    Col("按时交付率", "{{ r.on_time }}", 3.0),
    Col("质量达标率", "{{ r.quality }}", 3.0),
    Col("回款率", "{{ r.collection }}", 3.0),
]

BREAKDOWN_COLS = [
    Col("{{ b.title }}", "{{ r.group }}", 4.4),
    Col("到期合同", "{{ r.due }}", 1.8),
    Col("已履行", "{{ r.fulfilled }}", 1.7),
    Col("按时交付", "{{ r.on_time }}", 1.7),
    Col("合同履约率", "{{ r.fulfillment }}", 2.1),
    Col("按时交付率", "{{ r.on_time_rate }}", 2.1),
    Col("合同金额（元）", "{{ r.amount }}", 2.2),
]


def _cover_rows_report() -> list[tuple[str, str]]:
    return [
        ("统计期间：", "{{ period_from }} 至 {{ period_to }}"),
        ("基准日期：", "{{ as_of }}"),
        ("数据来源：", "{{ source_file }}"),
        ("编制日期：", "{{ generated_on }}"),
    ]


# --- 履约管理手册 ---------------------------------------------------------------------------------

# (standard clause, its title, the manual's section, the record sheets that hold the evidence)
XREF: list[tuple[str, str, str, str]] = [
    ("1", "范围", "1", "基本信息"),
    ("2", "规范性引用文件", "2.1", "—"),
    ("3", "术语与定义", "2.2", "—"),
    ("4.1", "履约能力管理", "3.1", "—"),
    ("4.2", "体系运行方法", "3.2", "—"),
    ("5.1", "履约环境分析", "4.1、4.2", "环境与相关方"),
    ("5.2", "相关方需求和期望", "4.3", "环境与相关方"),
    ("5.3", "履约愿景和目标", "4.4", "基本信息、履约目标"),
    ("5.4", "体系范围", "4.5", "基本信息"),
    ("5.5", "体系所需过程", "4.6", "成文信息"),
    ("6.1", "领导作用 总则", "5.1", "审核记录（管理评审）"),
    ("6.2", "确认履约能力方针", "5.2", "基本信息"),
    ("6.3.1", "履约目标要求", "5.3", "履约目标"),
    ("6.3.2", "相关履约管理制度", "5.4", "成文信息"),
    ("6.3.3", "相关制度", "5.4", "成文信息、培训记录"),
    ("6.4", "履约管理部门/岗位职责和权限", "5.5", "职责权限"),
    ("7.1", "确立履约目标及相关制度要求", "6.1", "履约目标"),
    ("7.2", "组织承诺及其要求", "6.2", "承诺"),
    ("7.3", "应对风险和机遇要求", "6.3", "风险机遇"),
    ("7.4", "应对变更要求", "6.4", "变更记录"),
    ("8.1.1", "资源 基本要求", "7.1", "—"),
    ("8.1.2", "人员及能力", "7.2", "培训记录、职责权限"),
    ("8.1.3", "信息基础设施", "7.3", "全部记录表"),
    ("8.1.4", "过程运行环境", "7.4", "环境与相关方"),
    ("8.1.5", "资源核查和评估", "7.1", "审核记录"),
    ("8.1.6", "组织知识", "7.4", "培训记录、成文信息"),
    ("8.2", "信息交流与控制", "7.5", "履约问题、环境与相关方"),
    ("8.3", "成文信息", "7.6", "成文信息"),
    ("9.1", "管理实现 总体要求", "8.1", "承诺"),
    ("9.2", "合同评审", "8.2", "合同台账"),
    ("9.3", "资源调配", "8.3", "合同台账、款项"),
    ("9.4", "进度监控", "8.4", "合同台账、履约节点"),
    ("9.5", "供应商履约管理", "8.5", "供应商、合同台账"),
    ("9.6", "履约问题处置", "8.6", "履约问题"),
    ("9.7", "应急准备和响应", "8.7", "应急预案"),
    ("10.1", "履约过程检查", "9.1", "预警清单、审核记录"),
    ("10.2", "履约结果评估", "9.2", "履约目标、指标看板"),
    ("10.3", "风险与机遇分析", "9.3", "风险机遇"),
    ("10.4", "履约能力评估", "9.4", "指标看板、体系自评"),
    ("10.5", "违约处置与改进", "9.5", "履约问题"),
    ("11.1", "持续改进 总体要求", "10.1", "持续改进"),
    ("11.2", "改进机制", "10.2", "持续改进、履约问题"),
    ("附录 A", "履约能力管理体系审核", "11", "审核记录"),
]

INDICATOR_DEFS: list[tuple[str, str, str]] = [
    (
        "合同履约率",
        "统计期内到期应当履行的收入性合同中，已履行且实际交付日期不晚于基准日期的份数占比",
        "合同台账",
    ),
    ("合同履约率（金额）", "同上，按合同金额加权", "合同台账"),
    (
        "按时交付率",
        "统计期内到期的收入性合同中，实际交付日期不晚于计划交付日期的份数占比",
        "合同台账",
    ),
    ("质量达标率", "统计期内交付并已验收的收入性合同中，验收合格的份数占比", "合同台账"),
    ("客户满意度", "统计期内交付的收入性合同客户满意度评分的平均值（分）", "合同台账"),
    ("违约次数", "统计期内发现的本方违约事件数", "履约问题"),
    ("回款率", "统计期内到期的应收款中按期实际收回的金额占比", "款项"),
    ("逾期应收金额", "基准日期前到期而尚未收回的应收款金额（元）", "款项"),
    ("节点按时完成率", "统计期内到期的履约节点中按计划完成的占比", "履约节点"),
    ("供方按时交付率", "统计期内到期的支出性合同中供应商按时交付的占比", "合同台账"),
    ("问题按期关闭率", "统计期内计划完成的履约问题中按期关闭的占比", "履约问题"),
    ("承诺兑现率", "统计期内到期的承诺中已兑现的占比", "承诺"),
    ("未关闭高风险数", "风险值不低于 15 且尚未关闭的风险项数", "风险机遇"),
]


def _draft_mark_on_every_page(d: TemplateDoc) -> None:
    """「草稿，未受控」in the page header of every page (the cover's first-page header included)
    while the manual has no complete 现行 手册 row; ``draft_mark`` is "" once it is controlled."""
    section = d.doc.sections[0]
    section.header.paragraphs[0].add_run("{{ draft_mark }}")
    first = section.first_page_header.paragraphs[0]
    first.style = d.doc.styles["Header"]
    first.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    first.add_run("{{ draft_mark }}")


def make_manual(path: Path) -> None:
    d = TemplateDoc("履约管理手册", chapter_page_break=True)
    d.cover(
        "履约管理手册",
        [
            ("文件编号：", "{{ doc_no }}"),
            ("版　　本：", "{{ version }}"),
            ("发布日期：", "{{ issued_on }}"),
            ("实施日期：", "{{ effective_on }}"),
            ("批 准 人：", "{{ approver }}"),
            ("受控状态：", "{{ control_status }}"),
        ],
        subtitle="依据 Q/QJC 002—2025《履约能力管理体系 要求》编制",
    )
    _draft_mark_on_every_page(d)
    d.toc()

    d.h(1, "手册发布令")
    d.p(
        "为规范本公司的合同履约活动，稳定并持续提升履约能力，本公司依据 Q/QJC 002—2025"
        "《履约能力管理体系 要求》，结合自身的产品、服务和管理实际，建立履约能力管理体系，"
        "编制本《履约管理手册》。"
    )
    d.p(
        "本手册阐明了本公司的履约能力方针、履约目标、组织机构与职责，以及合同评审、进度监控、"
        "供应商管理、问题处置、检查分析和持续改进的具体做法，是本公司履约管理工作的纲领性文件。"
        "全体员工应认真学习并遵照执行，各相关方可据此了解本公司的履约承诺。"
    )
    d.p("本手册自 {{ effective_on }} 起实施。")
    d.p("最高管理者：{{ top_manager }}　　　　日期：{{ issued_on }}", align="right")

    # 1
    d.h(1, "1 范围")
    d.h(2, "1.1 适用范围")
    d.p(
        "本手册适用于{{ org_name }}（统一社会信用代码：{{ credit_code }}）的履约能力管理体系，"
        "覆盖以下产品、服务和活动：{{ scope }}。"
    )
    d.tag("{%p if industry %}")
    d.p("本公司的主要产品和服务为：{{ industry }}。")
    d.tag("{%p endif %}")
    d.tag("{%p if address %}")
    d.p("体系覆盖的经营场所：{{ address }}。")
    d.tag("{%p endif %}")
    d.p(
        "体系覆盖本公司全部收入性合同（本公司向客户交付产品和服务）和支出性合同（供应商向本公司"
        "交付产品和服务），以及与之相关的承诺、款项、履约节点、供应商、风险和履约问题。"
    )
    d.h(2, "1.2 手册的编制与管理")
    d.p(
        "本手册由履约管理负责人（{{ manager }}）组织编制，经最高管理者批准后发布。手册的版本、"
        "发布日期和下次评审日期登记在《履约管理台账》的「成文信息」表中；内容与实际做法不一致、"
        "标准或法规变化、组织机构调整时，应及时修订并重新批准。"
    )

    # 2
    d.h(1, "2 引用文件和术语")
    d.h(2, "2.1 引用文件")
    d.bullet("Q/QJC 002—2025《履约能力管理体系 要求》")
    d.bullet("GB/T 19000《质量管理体系 基础和术语》、GB/T 19001《质量管理体系 要求》")
    d.bullet("GB/T 35770《合规管理体系 要求及使用指南》")
    d.h(2, "2.2 术语")
    d.p("本手册使用 Q/QJC 002—2025 的术语。为便于理解，本公司对常用术语作如下说明：")
    d.static_table(
        [Col("术语", "", 3.2), Col("本公司的理解", "", 12.8)],
        [
            (
                "履约能力",
                "按合同约定和对外承诺，按时、按质交付产品和服务的综合能力，包括资源保障、进度控制和质量达标。",
            ),
            ("履约能力方针", "由最高管理者正式发布的本公司履约工作的总体意图和方向（见 5.2）。"),
            (
                "履约目标",
                "依据方针确定的、可测量的履约结果要求，如合同履约率、按时交付率（见 5.3）。",
            ),
            ("承诺", "本公司对法规义务、合同约定和自愿事项所作的、需要跟踪兑现的表态（见 6.2）。"),
            (
                "相关方",
                "其需求和期望影响本公司履约过程或结果的客户、供应商、员工、监管机构和股东等。",
            ),
            ("收入性合同", "本公司作为履约方、向客户交付产品或服务的合同。"),
            ("支出性合同", "供应商作为履约方、向本公司交付产品或服务的合同。"),
            (
                "应当履行 / 实际履行",
                "统计期内计划交付日期已到的合同为应当履行；其中已履行并完成交付的为实际履行。",
            ),
            ("风险值", "可能性（1–5）与影响程度（1–5）的乘积：≥ 15 为高，8–14 为中，≤ 7 为低。"),
        ],
    )

    # 3
    d.h(1, "3 原则和运行方法")
    d.h(2, "3.1 管理原则")
    d.p("本公司按以下原则开展履约管理：")
    for text in (
        "以相关方为关注焦点：把客户对质量、交期、价格和售后的要求作为履约工作的出发点。",
        "领导带头：最高管理者亲自确定方针和目标，提供资源，并定期评审体系的有效性。",
        "专人负责：由履约管理负责人统筹履约管理，不另设机构，职责融入现有部门和岗位。",
        "全员参与：销售、生产、采购、质检、财务等岗位都承担相应的履约职责。",
        "过程方法：把承诺识别、合同评审、履行跟踪、结果评价和改进作为相互关联的过程来管理。",
        "循证决策：依据台账数据和指标作判断，减少凭经验拍板。",
        "关系管理：与客户、供应商建立以守约为基础的长期合作关系。",
        "持续改进：根据内外部变化和检查结果不断提高履约水平。",
    ):
        d.bullet(text)
    d.h(2, "3.2 PDCA 运行方式")
    d.p(
        "本公司的履约管理按“策划—实施—检查—处置”循环运行，并与现有的质量、财务和合同管理衔接，不改变现行组织架构："
    )
    d.static_table(
        [Col("阶段", "", 2.4), Col("本公司的做法", "", 9.6), Col("主要记录", "", 4.0)],
        [
            (
                "策划（P）",
                "分析环境和相关方，确定方针、目标、制度和承诺，识别风险和机遇并制定应对措施。",
                "基本信息、履约目标、承诺、风险机遇",
            ),
            (
                "实施（D）",
                "合同签订前评审，按合同调配资源，跟踪履约节点，管理供应商和款项。",
                "合同台账、履约节点、款项、供应商",
            ),
            (
                "检查（C）",
                "每月统计履约指标，处理预警，定期开展内部审核和履约能力评估。",
                "指标看板、预警清单、审核记录",
            ),
            (
                "处置（A）",
                "对问题和违约分析根本原因，落实纠正措施、责任追究和补偿，推动改进。",
                "履约问题、持续改进",
            ),
        ],
    )

    # 4
    d.h(1, "4 组织环境")
    d.p(
        "本公司每年至少一次（以及发生重大变化时）识别影响履约的内外部因素和相关方的需求，"
        "结果登记在「环境与相关方」表中，作为确定目标、承诺和风险应对的输入。"
    )
    d.h(2, "4.1 内部环境")
    d.p(
        "内部环境重点评估履约认知和文化、培训与考核、治理结构、财务保障和自身履约能力水平。当前识别的内部因素："
    )
    ctx_cols = [
        Col("编号", "{{ r.no }}", 1.5),
        Col("因素或相关方", "{{ r.subject }}", 3.2),
        Col("需求、期望或影响", "{{ r.expectation }}", 5.0),
        Col("应对措施", "{{ r.response }}", 4.4),
        Col("责任部门", "{{ r.department }}", 1.9),
    ]
    d.loop_table(ctx_cols, "context_internal", empty="尚未登记内部环境因素")
    d.h(2, "4.2 外部环境")
    d.p(
        "外部环境重点评估法律法规和技术规范、客户和供方的期望、监管要求、行业约束、同业竞争以及经济和社会环境。当前识别的外部因素："
    )
    d.loop_table(ctx_cols, "context_external", empty="尚未登记外部环境因素")
    d.h(2, "4.3 相关方需求和期望")
    d.p("本公司的主要相关方及其对履约的需求和期望：")
    d.loop_table(ctx_cols, "parties", empty="尚未登记相关方")
    d.h(2, "4.4 履约愿景和目标")
    d.p("本公司的履约愿景：{{ vision }}")
    d.p("围绕这一愿景，本公司制定年度履约目标并分解到各部门（见 5.3）。")
    d.h(2, "4.5 体系范围")
    d.p(
        "本公司履约能力管理体系的范围：{{ scope }}。范围内的全部履约承诺登记在「承诺」表中（见 6.2）。"
    )
    d.h(2, "4.6 体系过程")
    d.p("本公司确定的履约管理过程、输入输出和主要记录如下，过程之间按合同生命周期顺序衔接：")
    d.static_table(
        [
            Col("过程", "", 2.8),
            Col("输入", "", 3.8),
            Col("输出", "", 3.8),
            Col("责任", "", 2.2),
            Col("记录表", "", 3.4),
        ],
        [
            (
                "承诺识别",
                "法规、合同条款、相关方期望",
                "承诺清单及兑现期限",
                "履约管理负责人",
                "承诺",
            ),
            (
                "合同评审",
                "客户需求、产能、交期、条款",
                "评审结论，必要时修改条款",
                "销售负责人",
                "合同台账",
            ),
            (
                "资源调配",
                "已签合同、履约计划",
                "人员、物料、资金安排",
                "生产/采购/财务",
                "合同台账、款项",
            ),
            (
                "进度监控",
                "履约计划、关键节点",
                "节点完成情况、预警",
                "合同负责人",
                "履约节点、预警清单",
            ),
            ("供应商管理", "采购需求、信用信息", "信用核查、评分和等级", "采购负责人", "供应商"),
            (
                "问题处置",
                "延迟、质量、投诉、违约",
                "原因、纠正、追责、补偿",
                "责任部门",
                "履约问题",
            ),
            (
                "检查评估",
                "台账数据、审核发现",
                "指标、自评、评估报告",
                "履约管理负责人",
                "指标看板、体系自评",
            ),
            ("持续改进", "评估结果、反馈建议", "改进项目及效果", "各部门", "持续改进"),
        ],
    )

    # 5
    d.h(1, "5 领导作用")
    d.h(2, "5.1 最高管理者的职责")
    d.p("最高管理者（{{ top_manager }}）对履约能力管理体系负总责，具体做到：")
    for text in (
        "制定并发布履约能力方针和目标，使其与公司经营方向和相关方要求一致；",
        "把履约要求写进公司的管理制度和岗位职责；",
        "保证履约所需的人员、资金、设备和信息工具；",
        "推动各部门协作，鼓励员工报告履约问题；",
        "每年至少主持一次管理评审，研究解决履约中的重大问题。",
    ):
        d.bullet(text)
    d.h(2, "5.2 履约能力方针")
    d.p("本公司的履约能力方针（{{ policy_date }} 发布）：")
    d.p("{{ policy }}", style="Normal", align="center")
    d.p(
        "方针为制定履约目标提供框架，由最高管理者在管理评审中评审其适宜性。方针发布后向全体员工"
        "传达，传达情况记录在「培训记录」或「成文信息」中。"
    )
    d.h(2, "5.3 履约目标")
    d.p("本公司的履约目标可测量、可核查，由最高管理者签署发布，并按统计期间考核。目标如下：")
    d.loop_table(
        [
            Col("目标编号", "{{ r.no }}", 2.0),
            Col("指标", "{{ r.indicator }}", 3.8),
            Col("目标值", "{{ r.target }}", 3.4),
            Col("责任部门", "{{ r.department }}", 3.4),
            Col("适用年度", "{{ r.year }}", 3.4),
        ],
        "objectives",
        empty="尚未设定履约目标",
    )
    d.p("各指标的计算方法见 9.2；目标的实际达成情况由《履约评估报告》按期报告。")
    d.h(2, "5.4 履约管理制度")
    d.p(
        "为使目标落地，本公司建立并执行以下履约管理制度，均由最高管理者签署发布，并与内控、合规和风险管理制度衔接："
    )
    d.loop_table(
        [
            Col("序号", "{{ r.item }}", 1.2),
            Col("制度", "{{ r.name }}", 5.6),
            Col("文件编号", "{{ r.doc_no }}", 2.6),
            Col("版本", "{{ r.version }}", 1.6),
            Col("发布日期", "{{ r.issued_on }}", 2.4),
            Col("状态", "{{ r.status }}", 2.6),
        ],
        "policies",
    )
    d.p(
        "制度发布后，由履约管理负责人组织相关人员学习，确保知晓和理解；执行中发现的问题作为修订"
        "依据。"
    )
    d.h(2, "5.5 职责和权限")
    d.p(
        "本公司指定 {{ manager }} 为履约管理负责人，直接向最高管理者报告，主导履约目标与制度的制定和"
        "修订，建立承诺识别、履行跟踪、兑现评价和改进机制，评价承诺与能力的匹配，核查履约过程并"
        "处置履约风险，组织履约培训，保障履约管理所需资源。各部门和岗位的职责如下："
    )
    d.loop_table(
        [
            Col("部门或岗位", "{{ r.post }}", 2.8),
            Col("负责人", "{{ r.person }}", 1.8),
            Col("履约职责", "{{ r.duties }}", 7.0),
            Col("权限", "{{ r.authority }}", 4.4),
        ],
        "roles",
        empty="尚未登记职责权限",
    )

    # 6
    d.h(1, "6 策划")
    d.h(2, "6.1 履约目标和制度的策划")
    d.p(
        "本公司在制定年度经营计划时同步确定履约目标：目标覆盖产品和服务的质量、安全、售后要求，"
        "法定义务和投诉响应，与方针协调并可测量。业务发生重大变化、发生重大质量安全事故、相关方"
        "提出新要求或法规调整时，及时调整目标和制度。"
    )
    d.h(2, "6.2 承诺")
    d.p(
        "本公司把对外作出的承诺逐条登记在「承诺」表中，明确依据、责任部门和兑现期限，并跟踪兑现"
        "状态和证据；兑现情况由《履约评估报告》按期报告。"
    )
    commit_cols = [
        Col("编号", "{{ r.no }}", 1.6),
        Col("承诺内容", "{{ r.content }}", 7.4),
        Col("依据", "{{ r.basis }}", 4.0),
        Col("责任部门", "{{ r.department }}", 3.0),
    ]
    d.h(3, "6.2.1 规定性承诺")
    d.p(
        "本公司遵守与履约有关的法律法规、行业规章和监管要求，承诺合规经营、公平竞争、保障员工权益和安全生产："
    )
    d.loop_table(commit_cols, "commitments_prescribed", empty="尚未登记规定性承诺")
    d.h(3, "6.2.2 约定性承诺")
    d.p("本公司履行合同约定和相关方普遍期望的责任，承诺提供合格的产品和服务、如实宣传、响应投诉：")
    d.loop_table(commit_cols, "commitments_agreed", empty="尚未登记约定性承诺")
    d.h(3, "6.2.3 自愿性承诺")
    d.p("本公司基于长远发展自愿作出的承诺：")
    d.loop_table(commit_cols, "commitments_voluntary", empty="尚未登记自愿性承诺")
    d.h(2, "6.3 风险和机遇")
    d.p(
        "本公司根据环境分析和相关方需求识别履约风险和机遇，登记在「风险机遇」表中。风险按可能性"
        "（1–5）和影响程度（1–5）评分，风险值 = 可能性 × 影响程度：15 分及以上为高风险，8–14 分为"
        "中风险，7 分及以下为低风险。高风险必须有应对措施和应急预案，并指定责任人和完成期限；"
        "措施的有效性在风险评审和管理评审中评价；风险登记和处置情况由《履约评估报告》按期报告。"
    )
    d.h(2, "6.4 变更管理")
    d.p(
        "影响履约的变更（合同条款、交付计划、关键人员、供应商、工艺或场地的变化）在实施前评估其"
        "目的和后果、对体系完整性的影响、资源是否可得以及职责是否需要重新分配，经审批后实施，"
        "登记在「变更记录」表中。非预期的变更发生后，评审其后果并采取措施减轻不利影响。"
    )

    # 7
    d.h(1, "7 支持")
    d.h(2, "7.1 资源")
    d.p(
        "本公司在年度预算中安排履约所需的人员、设备、资金和信息工具，评估现有资源的能力和不足，"
        "确定需从外部获得的资源。资源是否满足需要，在合同评审（8.2）和管理评审（10.3）中核查，"
        "核查日期、结论和证据登记在「资源核查」表中。"
    )
    d.h(2, "7.2 人员能力与培训")
    d.p(
        "各岗位的履约职责和能力要求见 5.5。本公司每年制定履约培训计划，内容包括本手册、履约管理"
        "制度、合同评审要点和风险识别方法，培训及考核结果登记在「培训记录」表中；岗位能力要求和"
        "在岗人员的资格证明登记在「职责权限」表中。"
    )
    d.h(2, "7.3 信息基础设施与履约台账")
    d.p(
        "作为小型组织，本公司不单独建设专用系统，而是使用《履约管理台账》（Excel 工作簿）实现合同"
        "管理、服务过程控制、款项统计与预警、记录查询和基础统计。台账中的记录表如下，各表的填写"
        "规则见工作簿中的「使用说明」："
    )
    d.static_table(
        [Col("记录表", "", 3.0), Col("条款", "", 2.4), Col("用途", "", 10.6)],
        [(s.name, s.clause, s.purpose) for s in schema.SHEETS],
    )
    d.p(
        "台账每周更新，据此计算指标、列出预警清单（临近预警天数为 {{ soon_days }} 天），并编制"
        "履约评估报告和审核资料。选择供应商和客户时，通过国家企业信用信息公示系统、"
        "“信用中国”等公开渠道和评价报告核查对方的履约信用。"
    )
    d.h(2, "7.4 运行环境和组织知识")
    d.p(
        "本公司为履约提供适宜的工作场所和氛围，识别影响履约的社会、心理等因素。合同评审经验、"
        "典型履约问题及其处理方法、供应商评价结果作为组织知识，通过培训和成文信息在内部共享，"
        "需求变化时及时补充。"
    )
    d.h(2, "7.5 信息交流")
    d.p(
        "本公司规定履约信息的内部传递和对外沟通：合同负责人每周汇报履约进度；预警和问题当天通报"
        "责任人；最高管理者可随时查阅全部台账。对外，及时接收法规、监管部门和行业协会的要求，"
        "收集客户、供应商的反馈和投诉，发生履约问题时主动向相关方说明原因和解决方案。信息应真实、"
        "可追溯，并遵守信息安全和个人信息保护要求。"
    )
    d.h(2, "7.6 成文信息")
    d.p(
        "体系的成文信息包括本手册、履约管理制度、程序、记录和外来文件。文件注明编号、名称、版本和"
        "发布日期，经批准后发布；修订时更新版本号，作废文件标识后撤出使用现场。记录以电子台账为主，"
        "定期备份，防止丢失和误改。当前受控文件清单："
    )
    d.loop_table(
        [
            Col("文件编号", "{{ r.no }}", 2.6),
            Col("文件名称", "{{ r.name }}", 5.0),
            Col("类别", "{{ r.category }}", 1.4),
            Col("版本", "{{ r.version }}", 1.4),
            Col("发布日期", "{{ r.issued_on }}", 2.2),
            Col("批准人", "{{ r.approver }}", 1.6),
            Col("下次评审", "{{ r.next_review }}", 1.8),
        ],
        "documents",
        empty="尚未登记受控文件",
    )

    # 8
    d.h(1, "8 管理实现")
    d.h(2, "8.1 总体要求")
    d.p(
        "本公司为每类产品和服务明确质量、安全和售后要求，遵守法定义务，及时响应投诉举报，"
        "并把这些要求写入合同评审要点、作业规范和验收标准中，作为履约的实施准则。"
    )
    d.h(2, "8.2 合同评审")
    d.p(
        "所有合同在签订前评审，评审日期不得晚于签订日期。销售、生产、采购、财务等相关部门共同评审："
        "本公司是否有能力满足合同要求（产能、技术、交期）；潜在的履约风险及应对措施（成本、交付"
        "周期、付款条件）；合同条款是否合规、可执行。评审结论为“通过”“有条件通过”或“不通过”，"
        "“不通过”的合同不得签订；有条件通过的，条件落实后方可签订。评审日期和结论登记在「合同台账」中。"
    )
    d.h(2, "8.3 资源调配")
    d.p(
        "合同签订后，合同负责人编制履约计划，生产部门安排人员和设备，采购部门保障原材料和外购件，"
        "财务部门预留采购、生产和物流资金。资源不足时提前报告，必要时与客户协商调整交付计划。"
    )
    d.h(2, "8.4 进度监控")
    d.p(
        "每份合同设定关键履约节点（如原材料到货、生产完成、发货、验收），登记在「履约节点」表中。"
        "合同负责人对比计划与实际进度，关键节点重点监控。台账按基准日期自动判断：计划交付或节点"
        "日期前 {{ soon_days }} 天内发出临近预警，超过计划日期未完成的发出逾期预警，责任人须在当周"
        "说明原因并采取措施。应收款、应付款同样按期跟踪。"
    )
    d.h(2, "8.5 供应商履约管理")
    d.p(
        "本公司对供应商实行信用核查和分级管理。新供应商合作前核查信用，之后每 {{ credit_months }} 个月"
        "复核一次；核查结论为“异常”的供应商暂停合作。按该供应商近 {{ supplier_months }} 个月"
        "（截至基准日期；设定了统计开始日期时为统计期间）到期或验收的支出性合同，计算按时交付率和"
        "质量合格率，综合评分为两项中有数据者的平均值 × 100。期内到期或验收的合同（交付次数）少于 "
        "{{ supplier_min_deliveries }} 次的供应商样本不足，暂不评级；其余按下表分级，D 级的"
        "处理措施结合交付次数和原因确定（交付次数较少时先约谈核实、跟踪后续交付）："
    )
    d.static_table(
        [Col("等级", "", 2.0), Col("条件", "", 6.0), Col("管理措施", "", 8.0)],
        [
            ("A", "综合评分 ≥ 90", "优先合作，可适当减少来料检验频次"),
            ("B", "75 ≤ 综合评分 < 90", "正常合作，跟踪改进"),
            ("C", "60 ≤ 综合评分 < 75", "限期整改，加严检验，控制采购份额"),
            ("D", "综合评分 < 60，或信用核查结论为“异常”", "暂停新订单，整改验证合格后方可恢复"),
            (
                "未评",
                "交付次数少于 {{ supplier_min_deliveries }} 次（样本不足）",
                "保持信用核查，跟踪交付，样本足够后评价",
            ),
        ],
    )
    d.p("核心供应商必须签订履约保障协议，明确违约责任和应急措施。")
    d.h(2, "8.6 履约问题处置")
    d.p(
        "发生延迟交付、质量不达标、款项争议或客户投诉等问题时，责任部门当天登记到「履约问题」表，"
        "及时与相关方沟通原因和解决方案，采取加急生产、更换批次等补救措施减少损失；问题关闭前须"
        "记录原因和纠正措施，并纳入后续改进。问题应在计划完成日期前关闭，逾期未关闭的列入预警。"
    )
    d.h(2, "8.7 应急准备和响应")
    d.p(
        "针对自然灾害、供应链中断、关键设备故障等突发情况，本公司制定应急预案，明确应急小组和职责，"
        "储备备用供应商和应急资源（核查结果登记在「资源核查」表中），定期演练并记录演练评价。"
        "发生紧急情况时立即启动预案，优先保障关键客户和关键节点的履约。现行应急预案："
    )
    d.loop_table(
        [
            Col("预案编号", "{{ r.no }}", 2.4),
            Col("预案名称", "{{ r.name }}", 4.6),
            Col("适用情形", "{{ r.scenario }}", 6.6),
            Col("责任人", "{{ r.owner }}", 2.4),
        ],
        "emergency_plans",
        empty="尚未登记应急预案",
    )

    # 9
    d.h(1, "9 检查与分析")
    d.h(2, "9.1 履约过程检查")
    d.p(
        "履约管理负责人每月检查合同执行、资源使用和进度控制情况，处理预警清单中的事项，记录偏差及"
        "原因；发现的系统性问题转入持续改进。"
    )
    d.h(2, "9.2 履约结果评估")
    d.p("本公司用以下指标衡量履约结果，统计期间默认为基准日期所在年度的 1 月 1 日至基准日期：")
    d.static_table(
        [Col("指标", "", 3.2), Col("计算方法", "", 10.4), Col("数据来源", "", 2.4)],
        INDICATOR_DEFS,
    )
    d.p(
        "分母为零的比例指标记为“无数据”，不按 0 或 100% 处理。每个统计期结束后编制《履约评估报告》，"
        "对照目标评价达成情况，分析未达标的原因并制定改进措施。"
    )
    d.h(2, "9.3 风险与机遇分析")
    d.p(
        "每季度评审一次风险机遇登记表，结合原材料价格、政策和客户需求变化更新评分和应对措施；"
        "同时识别新技术应用、供应链优化等改进机遇。"
    )
    d.h(2, "9.4 履约能力评估")
    d.p(
        "每年结合内外部检查结果、指标和体系自评，对照标准逐条评估整体履约能力（包括应对复杂订单和"
        "突发情况的能力），必要时委托第三方机构独立评估。"
    )
    d.h(2, "9.5 违约处置")
    d.p(
        "发生违约事件时，本公司：分析根本原因，按《内外部履约责任追究制度》追究相关责任；制定纠正"
        "措施防止再次发生；评估违约对相关方的影响，采取赔偿、重新履约等补偿或修复措施。原因、措施、"
        "追责和补偿均记录在「履约问题」表中，缺项的违约事件列入高等级预警。"
    )

    # 10
    d.h(1, "10 持续改进")
    d.h(2, "10.1 改进要求")
    d.p(
        "本公司依据检查结果识别履约流程中的薄弱环节（如审批效率低、信息传递滞后），借鉴同行的良好"
        "做法引入适用的工具和方法，并在每年的目标中提出更高的要求。"
    )
    d.h(2, "10.2 改进机制")
    d.p(
        "改进建议来自客户投诉、员工建议、内外部审核、履约问题和风险评审，登记在「持续改进」表中；"
        "评估可行性后制定计划、指定责任部门和完成日期，跟踪效果，把有效的做法写入制度或本手册。"
    )
    d.h(2, "10.3 管理评审")
    d.p(
        "最高管理者每年至少主持一次管理评审。评审输入包括：以往措施的落实情况、内外部环境和相关方"
        "的变化、履约指标及趋势、审核结果、客户满意度、供应商绩效、风险应对措施的有效性和改进机会；"
        "评审输出为改进决定和资源安排，记录在「审核记录」表中（审核类型：管理评审）。"
    )

    # 11
    d.h(1, "11 体系审核")
    d.h(2, "11.1 内部审核")
    d.p(
        "本公司每年至少开展一次内部审核，由经过培训、与被审核工作无直接责任的人员实施，检查："
        "方针和目标是否适宜；合同评审、资源调配、风险控制等过程是否有效；履约数据是否真实、分析"
        "是否深入；问题应对措施是否有效。审核发现、纠正措施和关闭日期登记在「审核记录」表中。"
    )
    d.h(2, "11.2 外部审核")
    d.p(
        "接受认证机构审核时，履约管理负责人用台账生成审核资料包（条款核查表、指标与目标、抽样记录"
        "和证据摘录），配合审核员抽样，审核发现按内部审核发现同样处理。"
    )

    d.h(1, "附录 A 条款对照表")
    d.p("下表列出 Q/QJC 002—2025 各条款在本手册中的对应章节及保存证据的记录表：", style="Normal")
    d.static_table(
        [
            Col("标准条款", "", 2.0),
            Col("条款标题", "", 5.6),
            Col("本手册章节", "", 2.6),
            Col("记录表", "", 5.8),
        ],
        XREF,
    )
    d.note(
        "本手册的修订按 1.2 进行；手册的版本、发布日期和批准人以「成文信息」中的登记为准。"
        "统计数据、风险和承诺的兑现情况不在本手册中，见按期编制的《履约评估报告》。"
    )
    d.save(path)


# --- 履约评估报告 --------------------------------------------------------------------------------


def _indicators_section(d: TemplateDoc, heading: str) -> None:
    d.h(1, heading)
    d.p(
        "下表列出本期各项履约指标的实际值及其与目标的比较。比例指标的分母为零时记为“无数据”；"
        "目标按统计期间的实际值判断达成情况。"
    )
    d.loop_table(INDICATOR_COLS, "indicator_rows")
    d.p(
        "本期目标达成情况：达成 {{ achieved_count }} 项，未达成 {{ missed_count }} 项，无数据 {{ nodata_count }} 项。"
    )


def make_report(path: Path) -> None:
    d = TemplateDoc("履约评估报告")
    d.cover(
        "履约评估报告", _cover_rows_report(), subtitle="（依据 Q/QJC 002—2025 第 10.2、10.4 条）"
    )
    d.toc()
    d.h(1, "1 评估期间和范围")
    d.p("统计期间：{{ period_label }}。")
    d.p(
        "本报告依据《履约管理台账》（{{ source_file }}）中的记录编制，覆盖本期到期或发生的全部"
        "收入性、支出性合同及相关的履约节点、款项、供应商、风险和履约问题。本期台账共有合同 "
        "{{ contract_count }} 份，其中本期到期应当履行的收入性合同 {{ due_count }} 份。"
    )
    _indicators_section(d, "2 履约指标与目标")
    d.h(2, "2.1 到期未履行合同的原因")
    d.p(
        "本期应当履行的收入性合同 {{ due_count }} 份，实际履行 {{ fulfilled_count }} 份，到期未履行 {{ unfulfilled_total }} 份，原因如下："
    )
    d.loop_table(
        [
            Col("原因", "{{ r.reason }}", 6.0),
            Col("合同份数", "{{ r.count }}", 3.0),
            Col("占到期合同", "{{ r.share }}", 3.0),
        ],
        "unfulfilled_rows",
    )
    d.h(1, "3 月度趋势")
    d.image("chart_trend", "图 1　月度合同履约率与按时交付率")
    d.loop_table(MONTHLY_COLS, "monthly_rows")
    d.h(1, "4 分类分析")
    d.p(
        "按相对方、负责人和合同性质统计本期到期合同的履约情况；收入性合同（本公司履约）和"
        "支出性合同（供应商履约）分表统计："
    )
    d.tag("{%p for b in breakdowns %}")
    d.plain("表：按{{ b.title }}统计")
    d.loop_table(BREAKDOWN_COLS, "b.rows")
    d.tag("{%p endfor %}")
    d.h(1, "5 供应商履约评价")
    d.p("{{ supplier_summary }}")
    d.image("chart_grades", "图 2　供应商等级分布")
    d.loop_table(SUPPLIER_COLS, "supplier_rows", empty="尚未登记供应商")
    d.tag("{%p if supplier_note %}")
    d.p("{{ supplier_note }}")
    d.tag("{%p endif %}")
    d.h(1, "6 风险与机遇")
    d.p("{{ risk_summary }}")
    d.image("chart_risks", "图 3　未关闭风险的风险矩阵")
    d.loop_table(RISK_COLS, "risk_rows", empty="没有未关闭的风险")
    d.tag("{%p if risk_note %}")
    d.p("{{ risk_note }}")
    d.tag("{%p endif %}")
    d.h(1, "7 预警汇总")
    _alerts_section(d)
    d.h(1, "8 违约与履约问题处置")
    d.p("{{ issue_summary }}")
    d.loop_table(BREACH_COLS, "issue_rows", empty="本期没有履约问题")
    d.tag("{%p if issue_note %}")
    d.p("{{ issue_note }}")
    d.tag("{%p endif %}")
    d.h(1, "9 结论与改进措施")
    d.h(2, "9.1 结论")
    d.bullets("conclusions", "{{ x }}")
    d.h(2, "9.2 改进措施")
    d.bullets("actions", "{{ x }}")
    d.p(
        "编制：{{ manager }}　　　　审批：{{ top_manager }}　　　　日期：{{ generated_on }}",
        style="Normal",
        align="right",
    )
    d.save(path)


# --- 管理评审输入报告 ----------------------------------------------------------------------------


def _alerts_section(d: TemplateDoc, summary: bool = True) -> None:
    """Warnings by type and level, then the first of each type (the full list: 预警清单)."""
    if summary:
        d.p("{{ alert_summary }}")
    d.loop_table(
        [
            Col("预警类型", "{{ r.title }}", 5.0),
            Col("等级", "{{ r.level }}", 2.0),
            Col("条款", "{{ r.clause }}", 2.0),
            Col("数量", "{{ r.count }}", 2.0),
        ],
        "alert_groups",
        empty="本期没有预警",
    )
    d.tag("{%p if alert_note %}")
    d.p("{{ alert_note }}")
    d.tag("{%p endif %}")
    d.loop_table(ALERT_COLS, "alert_rows", empty="没有预警")


def make_review_input(path: Path) -> None:
    d = TemplateDoc("管理评审输入报告")
    d.cover(
        "管理评审输入报告",
        _cover_rows_report(),
        subtitle="（依据 Q/QJC 002—2025 第 6.1 e)、10.4、11 条）",
    )
    d.toc()
    d.h(1, "1 评审范围")
    d.p(
        "本报告为最高管理者主持的管理评审提供输入，统计期间：{{ period_label }}。数据取自《履约管理"
        "台账》（{{ source_file }}），由履约管理负责人 {{ manager }} 整理。"
    )
    d.h(1, "2 以往措施的落实情况")
    d.p("{{ improvement_summary }}")
    d.loop_table(
        [
            Col("改进编号", "{{ r.no }}", 1.8),
            Col("来源", "{{ r.source }}", 1.6),
            Col("改进内容", "{{ r.content }}", 4.0),
            Col("责任部门", "{{ r.department }}", 1.8),
            Col("计划完成", "{{ r.planned }}", 2.0),
            Col("完成日期", "{{ r.completed_on }}", 2.0),
            Col("状态", "{{ r.status }}", 1.4),
            Col("效果评价", "{{ r.effect }}", 1.4),
        ],
        "improvement_rows",
        empty="没有登记改进项目",
    )
    d.p("{{ audit_action_summary }}")
    d.p("{{ review_output_summary }}")
    d.loop_table(
        [
            Col("事项编号", "{{ r.no }}", 1.8),
            Col("评审日期", "{{ r.reviewed_on }}", 2.0),
            Col("决定事项", "{{ r.decision }}", 4.2),
            Col("资源安排", "{{ r.resources }}", 2.4),
            Col("责任部门", "{{ r.department }}", 1.8),
            Col("完成期限", "{{ r.deadline }}", 2.0),
            Col("状态", "{{ r.status }}", 1.8),
        ],
        "review_output_rows",
        empty="没有未完成的管理评审决定事项",
    )
    d.h(1, "3 内外部环境和相关方的变化")
    d.p("{{ context_summary }}")
    d.loop_table(
        [
            Col("编号", "{{ r.no }}", 1.4),
            Col("类别", "{{ r.category }}", 1.8),
            Col("因素或相关方", "{{ r.subject }}", 3.0),
            Col("需求、期望或影响", "{{ r.expectation }}", 4.2),
            Col("应对措施", "{{ r.response }}", 3.6),
            Col("评审日期", "{{ r.reviewed_on }}", 2.0),
        ],
        "context_rows",
        empty="没有登记环境和相关方",
    )
    d.p("本期影响履约的变更：")
    d.loop_table(
        [
            Col("变更编号", "{{ r.no }}", 1.8),
            Col("日期", "{{ r.changed_on }}", 2.0),
            Col("合同", "{{ r.contract_no }}", 1.8),
            Col("变更内容", "{{ r.content }}", 3.8),
            Col("影响评估", "{{ r.impact }}", 3.4),
            Col("审批人", "{{ r.approver }}", 1.4),
            Col("状态", "{{ r.status }}", 1.8),
        ],
        "change_rows",
        empty="本期没有变更",
    )
    _indicators_section(d, "4 履约指标及趋势")
    d.image("chart_trend", "图 1　月度合同履约率与按时交付率")
    d.loop_table(MONTHLY_COLS, "monthly_rows")
    d.p("预警情况：{{ alert_summary }}")
    _alerts_section(d, summary=False)
    d.h(1, "5 审核结果")
    d.p("{{ audit_summary }}")
    d.loop_table(
        [
            Col("记录编号", "{{ r.no }}", 1.8),
            Col("类型/日期", "{{ r.audit_type }}\n{{ r.audited_on }}", 2.0),
            Col("条款", "{{ r.clause }}", 1.2),
            Col("发现类型", "{{ r.finding_type }}", 1.6),
            Col("发现描述", "{{ r.finding }}", 4.2),
            Col("纠正措施", "{{ r.corrective_action }}", 3.2),
            Col("状态", "{{ r.status }}", 2.0),
        ],
        "audit_rows",
        empty="本期没有审核记录",
    )
    d.h(1, "6 客户满意度和投诉")
    d.p("{{ satisfaction_summary }}")
    d.loop_table(BREACH_COLS, "complaint_rows", empty="本期没有客户投诉")
    d.tag("{%p if complaint_note %}")
    d.p("{{ complaint_note }}")
    d.tag("{%p endif %}")
    d.h(1, "7 供应商绩效")
    d.p("{{ supplier_summary }}")
    d.loop_table(SUPPLIER_COLS, "supplier_rows", empty="尚未登记供应商")
    d.tag("{%p if supplier_note %}")
    d.p("{{ supplier_note }}")
    d.tag("{%p endif %}")
    d.h(1, "8 风险应对措施的有效性")
    d.p("{{ risk_summary }}")
    d.loop_table(
        [
            Col("编号", "{{ r.no }}", 1.4),
            Col("描述", "{{ r.description }}", 3.8),
            Col("风险值/等级", "{{ r.value }} / {{ r.level }}", 1.8),
            Col("应对措施", "{{ r.measure }}", 3.6),
            Col("计划完成", "{{ r.planned }}", 2.0),
            Col("状态", "{{ r.status }}", 1.4),
            Col("评价", "{{ r.effect }}", 2.0),
        ],
        "risk_action_rows",
        empty="没有登记风险",
    )
    d.tag("{%p if risk_note %}")
    d.p("{{ risk_note }}")
    d.tag("{%p endif %}")
    d.h(1, "9 改进机会")
    d.bullets("opportunities", "{{ x }}")
    d.h(1, "10 建议的评审输出")
    d.p(
        "请最高管理者在评审中就以下事项作出决定，并将决定登记到「管理评审」表（决定事项、资源安排、"
        "责任部门、完成期限、状态），改进项目同时登记到「持续改进」表："
    )
    d.bullets("decisions", "{{ x }}")
    d.save(path)


# --- 审核资料包 -----------------------------------------------------------------------------------


def make_audit_index(path: Path) -> None:
    d = TemplateDoc("审核资料包")
    d.cover(
        "审核资料包",
        _cover_rows_report(),
        subtitle="（Q/QJC 002—2025 附录 A 履约能力管理体系审核）",
    )
    d.toc()
    d.h(1, "1 受审核组织")
    d.static_table(
        [Col("项目", "", 4.0), Col("内容", "", 12.0)],
        [
            ("组织名称", "{{ org_name }}"),
            ("统一社会信用代码", "{{ credit_code }}"),
            ("最高管理者", "{{ top_manager }}"),
            ("履约管理负责人", "{{ manager }}"),
            ("体系范围", "{{ scope }}"),
            ("履约能力方针", "{{ policy }}"),
            ("统计期间", "{{ period_label }}"),
        ],
    )
    d.h(1, "2 资料清单")
    d.p("本资料包依据《履约管理台账》自动生成，各文件的内容如下：")
    d.loop_table(
        [
            Col("序号", "{{ r.no }}", 1.4),
            Col("文件", "{{ r.name }}", 5.6),
            Col("内容", "{{ r.content }}", 9.0),
        ],
        "files",
    )
    d.h(1, "3 自评概况")
    d.p("{{ readiness_summary }}")
    d.loop_table(
        [Col("自评结论", "{{ r.status }}", 4.0), Col("条款数", "{{ r.count }}", 3.0)],
        "status_counts",
    )
    d.p("{{ alert_summary }}")
    d.h(1, "4 审核抽样建议")
    d.bullets("sampling_hints", "{{ x }}")
    d.save(path)


def make_audit_checklist(path: Path) -> None:
    d = TemplateDoc("条款核查表")
    d.cover(
        "条款核查表", _cover_rows_report(), subtitle="（逐条款自评：证据来源、结论、差距与建议）"
    )
    d.toc()
    d.h(1, "1 说明")
    d.p(
        "本表按 Q/QJC 002—2025 的条款逐条列出本公司的证据来源（台账记录表、记录数和示例编号）、"
        "自评结论（符合 / 部分符合 / 不符合 / 不适用 / 需人工确认）以及差距和改进建议；需人工确认的条款"
        "只能由文件或面谈证明，不计入就绪度。{{ readiness_summary }}"
    )
    d.h(1, "2 条款核查")
    d.loop_table(
        [
            Col("条款", "{{ r.number }}\n{{ r.title }}", 2.4),
            Col("要求", "{{ r.requirement }}", 3.8),
            Col("证据来源", "{{ r.evidence }}", 3.9),
            Col("自评结论", "{{ r.status }}", 1.5),
            Col("差距与建议", "{{ r.gap }}", 4.4),
        ],
        "results",
        empty="没有自评结果",
    )
    d.h(1, "3 需要整改的条款")
    d.loop_table(
        [
            Col("条款", "{{ r.number }}", 1.6),
            Col("条款标题", "{{ r.title }}", 3.6),
            Col("自评结论", "{{ r.status }}", 1.8),
            Col("差距与建议", "{{ r.gap }}", 9.0),
        ],
        "gaps",
        empty="所有条款均为符合或不适用",
    )
    d.save(path)


def make_audit_records(path: Path) -> None:
    d = TemplateDoc("指标与抽样记录")
    d.cover("指标与抽样记录", _cover_rows_report(), subtitle="（审核员抽样用的记录汇编）")
    d.toc()
    _indicators_section(d, "1 履约指标与目标")
    d.h(2, "1.1 履约目标")
    d.loop_table(OBJECTIVE_COLS, "objective_rows", empty="尚未设定履约目标")
    d.h(1, "2 合同评审记录")
    d.p("{{ review_summary }}")
    d.loop_table(
        [
            Col("合同编号", "{{ r.no }}", 1.9),
            Col("合同名称", "{{ r.name }}", 3.4),
            Col("性质", "{{ r.nature }}", 1.2),
            Col("相对方", "{{ r.counterparty }}", 2.6),
            Col("签订日期", "{{ r.signed_on }}", 1.9),
            Col("评审日期", "{{ r.reviewed_on }}", 1.9),
            Col("评审结论", "{{ r.review_result }}", 1.4),
            Col("评审核查", "{{ r.check }}", 1.7),
        ],
        "contract_rows",
        empty="台账中没有合同",
    )
    d.h(1, "3 供应商评价与分级")
    d.p("{{ supplier_summary }}")
    d.loop_table(SUPPLIER_COLS, "supplier_rows", empty="尚未登记供应商")
    d.h(1, "4 风险机遇登记")
    d.p("{{ risk_summary }}")
    d.loop_table(RISK_COLS, "risk_rows", empty="尚未登记风险机遇")
    d.h(1, "5 违约事件与纠正措施")
    d.p("{{ issue_summary }}")
    d.loop_table(BREACH_COLS, "issue_rows", empty="没有履约问题记录")
    d.h(1, "6 培训记录")
    d.loop_table(
        [
            Col("培训编号", "{{ r.no }}", 1.9),
            Col("日期", "{{ r.held_on }}", 2.0),
            Col("培训主题", "{{ r.topic }}", 4.6),
            Col("参加对象", "{{ r.audience }}", 3.0),
            Col("人数", "{{ r.attendees }}", 1.2),
            Col("讲师", "{{ r.trainer }}", 1.5),
            Col("考核", "{{ r.result }}", 1.8),
        ],
        "training_rows",
        empty="没有培训记录",
    )
    d.h(1, "7 受控文件清单")
    d.loop_table(
        [
            Col("文件编号", "{{ r.no }}", 2.4),
            Col("文件名称", "{{ r.name }}", 4.6),
            Col("类别", "{{ r.category }}", 1.4),
            Col("版本", "{{ r.version }}", 1.2),
            Col("发布日期", "{{ r.issued_on }}", 2.0),
            Col("批准人", "{{ r.approver }}", 1.4),
            Col("下次评审", "{{ r.next_review }}", 2.0),
            Col("状态", "{{ r.status }}", 1.0),
        ],
        "document_rows",
        empty="没有受控文件",
    )
    d.h(1, "8 审核记录（内审、外审和管理评审）")
    d.loop_table(
        [
            Col("记录编号", "{{ r.no }}", 1.8),
            Col("类型/日期", "{{ r.audit_type }}\n{{ r.audited_on }}", 2.0),
            Col("条款", "{{ r.clause }}", 1.2),
            Col("发现类型", "{{ r.finding_type }}", 1.6),
            Col("发现描述", "{{ r.finding }}", 4.2),
            Col("纠正措施", "{{ r.corrective_action }}", 3.2),
            Col("状态", "{{ r.status }}", 2.0),
        ],
        "audit_rows",
        empty="没有审核记录",
    )
    d.save(path)


def make_forms(path: Path) -> None:
    """Record forms (lyue-xl forms): one form per element of ``forms``, a page break between."""
    from docx_kit import COVER_TEXT, NOTE

    d = TemplateDoc("履约管理记录")
    d.doc.sections[0].different_first_page_header_footer = False  # no cover: every page alike
    d.tag("{%p for f in forms %}")
    d.p("{{ org_name }}", style=COVER_TEXT)
    d.p("{{ f.title }}", style=COVER_TEXT)
    d.p("表单编号：{{ f.code }}　　记录编号：{{ f.record }}　　条款：{{ f.clause }}", align="right")
    d.loop_table(
        [
            Col("项目", "{{ r.l1 }}", 2.8),
            Col("内容", "{{ r.v1 }}", 5.2),
            Col("项目", "{{ r.l2 }}", 2.8),
            Col("内容", "{{ r.v2 }}", 5.2),
        ],
        "f.pairs",
    )
    d.tag("{%p if f.long %}")
    d.loop_table([Col("项目", "{{ r.label }}", 3.6), Col("内容", "{{ r.value }}", 12.4)], "f.long")
    d.tag("{%p endif %}")
    d.tag("{%p if f.has_signin %}")
    d.plain("参加人员签到及考核：")
    d.loop_table(
        [
            Col("序号", "{{ r.no }}", 1.2),
            Col("姓名", "", 3.0),
            Col("部门/岗位", "", 3.6),
            Col("本人签到", "", 3.2),
            Col("考核成绩", "", 2.4),
            Col("备注", "", 2.6),
        ],
        "f.signin",
    )
    d.tag("{%p endif %}")
    d.tag("{%p for s in f.signatures %}")
    d.plain("{{ s }}")
    d.tag("{%p endfor %}")
    d.p("注：空白处请手工填写。", style=NOTE)
    d.tag("{%p if not loop.last %}")
    d.page_break()
    d.tag("{%p endif %}")
    d.tag("{%p endfor %}")
    d.save(path)


def _kit_doc(title: str) -> TemplateDoc:
    from docx_kit import COVER_TEXT

    d = TemplateDoc(title)
    d.doc.sections[0].different_first_page_header_footer = False  # no cover: every page alike
    d.p("{{ org_name }}", style=COVER_TEXT)
    d.p(title, style=COVER_TEXT)
    return d


def make_audit_plan(path: Path) -> None:
    """内审资料 01: the year's plan covering every clause of chapters 4–11 and Annex A."""
    d = _kit_doc("{{ year }} 年度内部审核计划")
    d.static_table(
        [Col("项目", "", 3.0), Col("内容", "", 13.0)],
        [
            (
                "审核目的",
                "检查履约能力管理体系是否符合 Q/QJC 002—2025 和本公司规定，是否有效运行。",
            ),
            ("审核范围", "{{ scope }}"),
            ("审核依据", "Q/QJC 002—2025；本公司履约管理手册、制度和程序；适用的法律法规和合同。"),
            ("审核方式", "按下表月份分次审核，每次覆盖所列条款；查阅记录、现场询问和观察。"),
            ("审核组长", "{{ line }}"),
            ("审核员", "{{ long_line }}"),
        ],
    )
    d.loop_table(
        [
            Col("条款", "{{ r.number }}", 1.6),
            Col("标题", "{{ r.title }}", 4.6),
            Col("计划时间", "{{ r.month }}", 2.6),
            Col("受审部门", "{{ r.department }}", 2.6),
            Col("审核员", "{{ r.auditor }}", 2.4),
            Col("完成情况", "", 2.2),
        ],
        "plan_rows",
    )
    d.plain("编制：{{ line }}　　日期：______年____月____日")
    d.plain("批准：{{ line }}　　日期：______年____月____日")
    d.save(path)


def make_audit_kit_checklist(path: Path) -> None:
    """内审资料 02: per clause, the requirement, the question and the sampled records."""
    d = _kit_doc("内部审核检查表")
    d.plain("审核日期：{{ line }}　　审核员：{{ line }}　　受审部门：{{ line }}")
    d.tag("{%p for c in items %}")
    d.h(2, "{{ c.number }}　{{ c.title }}")
    d.plain("要求：{{ c.requirement }}")
    d.plain("提问：{{ c.question }}")
    d.plain("抽样来源：{{ c.source }}")
    d.loop_table(
        [
            Col("抽样记录", "{{ r.record }}", 5.6),
            Col("抽样理由", "{{ r.why }}", 3.2),
            Col("审核证据", "", 4.8),
            Col("结论", "", 2.4),
        ],
        "c.samples",
    )
    d.tag("{%p endfor %}")
    d.p(
        "结论栏填写：符合 / 不符合 / 观察项 / 改进建议；不符合的另填《内审不符合报告》。",
        style="说明文字",
    )
    d.save(path)


def make_audit_report(path: Path) -> None:
    """内审资料 04: the report; its findings table has the columns of 审核记录."""
    d = _kit_doc("内部审核报告")
    d.static_table(
        [Col("项目", "", 3.0), Col("内容", "", 13.0)],
        [
            ("审核日期", "{{ line }}"),
            ("审核组", "{{ long_line }}"),
            ("受审部门", "{{ long_line }}"),
            ("审核范围", "{{ scope }}"),
            ("审核依据", "Q/QJC 002—2025；本公司履约管理手册、制度和程序。"),
        ],
    )
    d.plain("一、审核概况")
    d.plain("{{ long_line }}")
    d.plain("二、审核发现（各栏与台账「审核记录」表相同）")
    d.loop_table(
        [
            Col("记录编号", "{{ r.no }}", 2.0),
            Col("审核日期", "", 1.8),
            Col("条款", "", 1.2),
            Col("发现类型", "", 1.6),
            Col("发现描述", "", 3.8),
            Col("纠正措施", "", 2.8),
            Col("责任部门", "", 1.6),
            Col("审核员", "", 1.2),
        ],
        "report_rows",
    )
    d.p(
        "审核结束后，把发现逐条填入《审核记录（填写后粘贴到台账）》工作簿，复制到台账「审核记录」表末尾；"
        "刷新后计入体系自评和年度内审提醒。",
        style="说明文字",
    )
    d.plain("三、审核结论")
    d.plain("{{ long_line }}")
    d.plain("审核组长：{{ line }}　　日期：______年____月____日")
    d.plain("最高管理者：{{ line }}　　日期：______年____月____日")
    d.save(path)


def make_policy_draft(path: Path) -> None:
    """A draft 制度 (lyue-xl policy-drafts): marked 草稿, sections written from the records."""
    from docx_kit import COVER_TEXT, NOTE

    d = TemplateDoc("{{ title }}（草稿）")
    d.doc.sections[0].different_first_page_header_footer = False  # no cover: every page alike
    d.p("草　稿", style=COVER_TEXT)
    d.p("（发布并在成文信息中登记为现行制度之前，不作为执行依据）", style=NOTE, align="center")
    d.p("{{ org_name }}", style=COVER_TEXT)
    d.p("{{ title }}", style=COVER_TEXT)
    d.static_table(
        [Col("项目", "", 2.4), Col("内容", "", 5.6), Col("项目", "", 2.4), Col("内容", "", 5.6)],
        [
            ("文件编号", "{{ line }}", "版本", "{{ line }}"),
            ("编制", "{{ line }}", "审核", "{{ line }}"),
            ("批准", "{{ line }}", "发布日期", "{{ line }}"),
        ],
    )
    d.tag("{%p for s in sections %}")
    d.h(2, "{{ s.heading }}")
    d.tag("{%p for x in s.paragraphs %}")
    d.p("{{ x }}")
    d.tag("{%p endfor %}")
    d.tag("{%p if s.has_table %}")
    d.loop_table([Col("事项", "{{ r.item }}", 4.6), Col("要求", "{{ r.text }}", 11.4)], "s.table")
    d.tag("{%p endif %}")
    d.tag("{%p endfor %}")
    d.save(path)


TEMPLATES = {
    "manual.docx": make_manual,
    "report.docx": make_report,
    "review_input.docx": make_review_input,
    "audit_index.docx": make_audit_index,
    "audit_checklist.docx": make_audit_checklist,
    "audit_records.docx": make_audit_records,
    "forms.docx": make_forms,
    "audit_plan.docx": make_audit_plan,
    "audit_kit_checklist.docx": make_audit_kit_checklist,
    "audit_report.docx": make_audit_report,
    "policy_draft.docx": make_policy_draft,
}


def build(out: Path = OUT) -> list[Path]:
    written = []
    for name, make in TEMPLATES.items():
        target = out / name
        make(target)
        written.append(target)
    return written


if __name__ == "__main__":
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    for path in build(folder):
        print(path)
