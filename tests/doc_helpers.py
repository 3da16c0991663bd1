"""A small firm's record workbook for the document tests, made by the product itself
(``new_workbook``) and filled by header labels; and LibreOffice conversion helpers."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
import unicodedata
import zipfile
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

import openpyxl

from lyue_xl.workbook.template import new_workbook

ORG = "郑州启明机电设备有限公司"
POLICY = "诚信守约，按期优质交付；持续改进，让每一份合同都算数。"
AS_OF = date(2026, 6, 30)
CONTROL_MARK = "CTRLMARK"  # replaced by XML-escaped control characters in the xlsx


def _fold(label: object) -> str:
    return "".join(unicodedata.normalize("NFKC", str(label)).split())


def _fill(
    path: Path,
    data: Mapping[str, Sequence[Mapping[str, object]]],
    items: Mapping[str, Mapping[str, object]],
) -> None:
    book = openpyxl.load_workbook(path)
    by_fold = {_fold(ws.title): ws for ws in book.worksheets}
    for sheet, values in items.items():
        ws = by_fold[_fold(sheet)]
        wanted = {_fold(k): v for k, v in values.items()}
        for row in ws.iter_rows(min_row=1, max_row=ws.max_row):
            for cell in row:
                key = _fold(cell.value) if isinstance(cell.value, str) else None
                if key in wanted:
                    ws.cell(row=cell.row, column=cell.column + 1).value = wanted.pop(key)
                    break
        assert not wanted, (sheet, wanted)
    for sheet, rows in data.items():
        ws = by_fold[_fold(sheet)]
        labels = {_fold(label) for row in rows for label in row}
        for header in ws.iter_rows(min_row=1, max_row=30):
            found = {
                _fold(c.value): c.column
                for c in header
                if isinstance(c.value, str) and _fold(c.value) in labels
            }
            if len(found) == len(labels):
                start = header[0].row + 1
                break
        else:
            raise KeyError((sheet, labels))
        for offset, values in enumerate(rows):
            for label, value in values.items():
                if value is not None:
                    cell = ws.cell(row=start + offset, column=found[_fold(label)])
                    cell.value = value
                    if isinstance(value, date):
                        cell.number_format = "yyyy-mm-dd"
    book.save(path)


def _inject_controls(path: Path) -> None:
    """Turn CONTROL_MARK into the escaped control characters a foreign tool may have written."""
    temp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            blob = src.read(info.filename)
            if info.filename.endswith(".xml"):
                blob = blob.replace(CONTROL_MARK.encode(), b"_x0007__x001B_")
            dst.writestr(info, blob)
    os.replace(temp, path)


def D(m: int, d: int, y: int = 2026) -> date:  # noqa: N802
    return date(y, m, d)


def small_firm(folder: Path, name: str = "台账.xlsx") -> Path:
    """20 income contracts due in 2026 H1 (19 fulfilled, 18 on time), 5 supplier contracts,
    4 suppliers (A, C, D by credit, 未评), risks, breaches, documents (责任追究制度 missing)."""
    path = new_workbook(folder / name, ORG)
    contracts = []
    for i in range(1, 21):
        due = D((i - 1) // 4 + 1, 10 + (i % 4) * 4)
        late = i in (5, 14)
        contracts.append(
            {
                "合同编号": f"HT-2026-{i:03d}",
                "合同名称": f"数控机床维保服务合同{i}",
                "合同性质": "收入性",
                "相对方": ["洛阳重工股份有限公司", "开封精密制造有限公司", "新乡电机厂"][i % 3],
                "签订日期": D((i - 1) // 4 + 1, 1) if i != 12 else D(3, 1),
                "评审日期": D((i - 1) // 4 + 1, 1) if i != 12 else D(3, 5),
                "评审结论": "通过",
                "合同金额（元）": 50000 + 2500 * i,
                "计划交付日期": due,
                "实际交付日期": None if i == 7 else (D(due.month, due.day + 3) if late else due),
                "验收结果": "待验收" if i == 7 else ("不合格" if i == 9 else "合格"),
                "履行状态": "未履行-本方违约" if i == 7 else "已履行",
                "客户满意度": None if i == 7 else 80 + (i % 5) * 4,
                "负责人": ["王磊", "李娜"][i % 2],
            }
        )
    for j, (sup, late) in enumerate(
        [("S-01", False), ("S-01", False), ("S-02", True), ("S-02", False), ("S-03", False)],
        start=1,
    ):
        contracts.append(
            {
                "合同编号": f"CG-2026-{j:03d}",
                "合同名称": f"轴承采购合同{j}",
                "合同性质": "支出性",
                "相对方": {
                    "S-01": "洛阳轴承有限公司",
                    "S-02": "郑州钢材贸易有限公司",
                    "S-03": "许昌配件商行",
                }[sup],
                "供应商编号": sup,
                "签订日期": D(j, 2),
                "评审日期": D(j, 1),
                "评审结论": "通过",
                "合同金额（元）": 20000 * j,
                "计划交付日期": D(j, 20),
                "实际交付日期": D(j, 27) if late else D(j, 18),
                "验收结果": "不合格" if sup == "S-02" and late else "合格",
                "履行状态": "已履行",
                "负责人": "赵强",
            }
        )
    data: dict[str, list[dict[str, object]]] = {
        "合同台账": contracts,
        "履约节点": [
            {
                "合同编号": "HT-2026-001",
                "节点名称": "备件到货",
                "计划完成日期": D(1, 5),
                "实际完成日期": D(1, 5),
                "关键节点": "是",
                "负责人": "王磊",
            },
            {
                "合同编号": "HT-2026-007",
                "节点名称": "现场调试",
                "计划完成日期": D(2, 20),
                "关键节点": "是",
                "负责人": "李娜",
            },
        ],
        "款项": [
            {
                "合同编号": f"HT-2026-{i:03d}",
                "收付类型": "收款",
                "期次": "1",
                "应收付日期": D((i - 1) // 4 + 1, 25),
                "应收付金额（元）": 50000 + 2500 * i,
                "实收付日期": None if i == 3 else D((i - 1) // 4 + 1, 25),
                "实收付金额（元）": None if i == 3 else 50000 + 2500 * i,
            }
            for i in range(1, 21)
        ],
        "供应商": [
            {
                "供应商编号": "S-01",
                "供应商名称": "洛阳轴承有限公司",
                "供应类别": "轴承",
                "信用核查日期": D(1, 5),
                "信用核查结论": "良好",
                "核心供应商": "是",
                "履约保障协议": "是",
            },
            {
                "供应商编号": "S-02",
                "供应商名称": "郑州钢材贸易有限公司",
                "供应类别": "钢材",
                "信用核查日期": D(1, 5),
                "信用核查结论": "一般",
                "核心供应商": "否",
                "履约保障协议": "否",
            },
            {
                "供应商编号": "S-03",
                "供应商名称": "许昌配件商行",
                "供应类别": "配件",
                "信用核查日期": D(2, 1),
                "信用核查结论": "异常",
                "核心供应商": "否",
                "履约保障协议": "否",
            },
            {
                "供应商编号": "S-04",
                "供应商名称": "南阳电缆有限公司",
                "供应类别": "电缆",
                "信用核查日期": D(3, 1),
                "信用核查结论": "良好",
                "核心供应商": "是",
                "履约保障协议": "否",
            },
        ],
        "风险机遇": [
            {
                "编号": "R-01",
                "类型": "风险",
                "描述": "主要钢材价格大幅上涨",
                "来源": "外部环境",
                "可能性": 4,
                "影响程度": 4,
                "应对措施": "与两家钢材供应商签订锁价协议",
                "应急预案": "",
                "责任人": "赵强",
                "计划完成日期": D(7, 31),
                "状态": "处置中",
                "评审日期": D(4, 1),
            },
            {
                "编号": "R-02",
                "类型": "风险",
                "描述": "关键技术人员流失",
                "来源": "内部环境",
                "可能性": 2,
                "影响程度": 4,
                "应对措施": "建立技术骨干 AB 角",
                "应急预案": "外聘技术顾问",
                "责任人": "王磊",
                "计划完成日期": D(5, 31),
                "状态": "已关闭",
                "评审日期": D(4, 1),
            },
            {
                "编号": "R-03",
                "类型": "风险",
                "描述": "客户付款延迟",
                "来源": "相关方",
                "可能性": 3,
                "影响程度": 3,
                "应对措施": "合同约定分期付款",
                "应急预案": "启动催收程序",
                "责任人": "李娜",
                "计划完成日期": D(8, 31),
                "状态": "处置中",
                "评审日期": D(4, 1),
            },
            {
                "编号": "O-01",
                "类型": "机遇",
                "描述": "开展远程运维服务",
                "来源": "市场",
                "可能性": 3,
                "影响程度": 2,
                "应对措施": "试点两家客户",
                "责任人": "王磊",
                "状态": "未处置",
            },
        ],
        "履约问题": [
            {
                "问题编号": "WT-001",
                "合同编号": "HT-2026-007",
                "发现日期": D(2, 21),
                "问题类型": "延迟交付",
                "是否违约": "是",
                "违约方": "本方",
                "问题描述": "备件未到导致调试延误" + CONTROL_MARK,
                "根本原因": "备件采购计划未与合同节点联动",
                "纠正措施": "采购计划纳入合同评审",
                "责任追究": "扣减项目负责人季度绩效",
                "补偿措施": "免费延长保修三个月",
                "责任人": "李娜",
                "计划完成日期": D(3, 31),
                "关闭日期": D(3, 28),
                "状态": "已关闭",
            },
            {
                "问题编号": "WT-002",
                "合同编号": "HT-2026-009",
                "发现日期": D(3, 12),
                "问题类型": "质量不达标",
                "是否违约": "是",
                "违约方": "本方",
                "问题描述": "<主轴>振动超标 & 返工",
                "根本原因": "装配工艺未更新",
                "纠正措施": "",
                "责任追究": "",
                "责任人": "王磊",
                "计划完成日期": D(4, 30),
                "状态": "处理中",
            },
            {
                "问题编号": "WT-003",
                "合同编号": "HT-2026-010",
                "发现日期": D(4, 2),
                "问题类型": "客户投诉",
                "是否违约": "否",
                "问题描述": "服务响应慢",
                "根本原因": "值班安排不足",
                "纠正措施": "增设周末值班",
                "责任人": "王磊",
                "计划完成日期": D(4, 30),
                "关闭日期": D(4, 20),
                "状态": "已关闭",
            },
        ],
        "成文信息": [
            {
                "文件编号": "QM-LY-01",
                "文件名称": "履约管理手册",
                "文件类别": "手册",
                "版本": "B/1",
                "发布日期": D(1, 2),
                "批准人": "陈建国",
                "下次评审日期": D(12, 31),
                "状态": "现行",
            },
            {
                "文件编号": "ZD-01",
                "文件名称": "履约管理岗位责任制度",
                "文件类别": "制度",
                "版本": "A/0",
                "发布日期": D(1, 2),
                "批准人": "陈建国",
                "下次评审日期": D(12, 31),
                "状态": "现行",
            },
            {
                "文件编号": "ZD-02",
                "文件名称": "履约档案管理制度",
                "文件类别": "制度",
                "版本": "A/0",
                "发布日期": D(1, 2),
                "批准人": "陈建国",
                "下次评审日期": D(12, 31),
                "状态": "现行",
            },
            {
                "文件编号": "ZD-03",
                "文件名称": "合作方履约情况调查管理制度",
                "文件类别": "制度",
                "版本": "A/0",
                "发布日期": D(1, 2),
                "批准人": "陈建国",
                "下次评审日期": D(12, 31),
                "状态": "现行",
            },
            {
                "文件编号": "ZD-04",
                "文件名称": "合同履约管理制度",
                "文件类别": "制度",
                "版本": "A/1",
                "发布日期": D(1, 2),
                "批准人": "陈建国",
                "下次评审日期": D(5, 31),
                "状态": "现行",
            },
            {
                "文件编号": "ZD-05",
                "文件名称": "履约过程风险管控制度",
                "文件类别": "制度",
                "版本": "A/0",
                "发布日期": D(1, 2),
                "批准人": "陈建国",
                "下次评审日期": D(12, 31),
                "状态": "现行",
            },
        ],
        "承诺": [
            {
                "承诺编号": "CN-01",
                "承诺类型": "规定性",
                "承诺内容": "遵守《民法典》合同编，依法履行合同义务",
                "依据": "民法典",
                "责任部门": "综合部",
                "兑现期限": "长期",
                "兑现状态": "进行中",
                "兑现证据": "合同台账",
            },
            {
                "承诺编号": "CN-02",
                "承诺类型": "约定性",
                "承诺内容": "报修后 4 小时内响应、24 小时内到场",
                "依据": "维保合同第 5 条",
                "责任部门": "服务部",
                "兑现期限": D(6, 30),
                "兑现状态": "已兑现",
                "兑现证据": "服务记录",
            },
            {
                "承诺编号": "CN-03",
                "承诺类型": "自愿性",
                "承诺内容": "每年组织一次客户开放日",
                "依据": "公司年度计划",
                "责任部门": "销售部",
                "兑现期限": D(5, 31),
                "兑现状态": "未兑现",
            },
        ],
        "履约目标": [
            {
                "目标编号": "MB-01",
                "指标": "合同履约率",
                "目标值": 0.95,
                "比较方式": "不低于",
                "责任部门": "销售部",
            },
            {
                "目标编号": "MB-02",
                "指标": "按时交付率",
                "目标值": "95%",
                "比较方式": "不低于",
                "责任部门": "服务部",
            },
            {
                "目标编号": "MB-03",
                "指标": "客户满意度",
                "目标值": 85,
                "比较方式": "不低于",
                "责任部门": "服务部",
            },
            {
                "目标编号": "MB-04",
                "指标": "违约次数",
                "目标值": 0,
                "比较方式": "不高于",
                "责任部门": "综合部",
            },
            {
                "目标编号": "MB-05",
                "指标": "节点按时完成率",
                "目标值": 0.9,
                "比较方式": "不低于",
                "责任部门": "服务部",
            },
        ],
        "环境与相关方": [
            {
                "编号": "HJ-01",
                "类别": "内部环境",
                "因素或相关方": "技术人员结构",
                "需求、期望或影响": "高级技师不足，影响复杂设备交付",
                "应对措施": "内部培养与外聘结合",
                "责任部门": "综合部",
                "评审日期": D(1, 10),
            },
            {
                "编号": "HJ-02",
                "类别": "外部环境",
                "因素或相关方": "钢材价格",
                "需求、期望或影响": "价格波动影响成本和交期",
                "应对措施": "锁价采购",
                "责任部门": "采购部",
                "评审日期": D(1, 10),
            },
            {
                "编号": "XG-01",
                "类别": "相关方",
                "因素或相关方": "客户",
                "需求、期望或影响": "按时交付、快速响应",
                "应对措施": "服务承诺公开",
                "责任部门": "服务部",
                "评审日期": D(1, 10),
            },
        ],
        "职责权限": [
            {
                "部门或岗位": "总经理",
                "负责人": "陈建国",
                "履约职责": "批准方针、目标和制度，主持管理评审",
                "权限": "资源调配决定权",
            },
            {
                "部门或岗位": "履约管理岗",
                "负责人": "周敏",
                "履约职责": "维护履约台账，跟踪预警，组织内审和培训",
                "权限": "督办各部门履约问题",
            },
        ],
        "培训记录": [
            {
                "培训编号": "PX-01",
                "培训日期": D(2, 15),
                "培训主题": "履约管理手册宣贯",
                "参加对象": "全体员工",
                "参加人数": 36,
                "讲师": "周敏",
                "考核结果": "合格",
            },
            {
                "培训编号": "PX-02",
                "培训日期": D(5, 10),
                "培训主题": "合同评审要点",
                "参加对象": "销售部、服务部",
                "参加人数": 12,
                "讲师": "陈建国",
                "考核结果": "合格",
            },
        ],
        "应急预案": [
            {
                "预案编号": "YJ-01",
                "预案名称": "关键备件断供应急预案",
                "适用情形": "核心供应商停产或物流中断",
                "发布日期": D(1, 2),
                "最近演练日期": D(4, 15),
                "演练评价": "备用供应商 48 小时内供货",
                "责任人": "赵强",
            },
        ],
        "变更记录": [
            {
                "变更编号": "BG-01",
                "变更日期": D(3, 3),
                "合同编号": "HT-2026-012",
                "变更内容": "交付日期顺延两周",
                "变更原因": "客户场地未就绪",
                "影响评估": "不影响其他合同",
                "审批人": "陈建国",
                "状态": "已实施",
            },
        ],
        "审核记录": [
            {
                "记录编号": "SH-01",
                "审核类型": "内审",
                "审核日期": D(5, 20),
                "条款": "9.2",
                "发现类型": "不符合",
                "发现描述": "HT-2026-012 先签订后评审",
                "纠正措施": "重申先评审后签订",
                "责任部门": "销售部",
                "关闭日期": D(6, 10),
                "审核员": "周敏",
            },
            {
                "记录编号": "SH-02",
                "审核类型": "内审",
                "审核日期": D(5, 20),
                "条款": "6.3.2",
                "发现类型": "观察项",
                "发现描述": "责任追究制度尚未发布",
                "纠正措施": "起草制度",
                "责任部门": "综合部",
                "审核员": "周敏",
            },
        ],
        "持续改进": [
            {
                "改进编号": "GJ-01",
                "提出日期": D(3, 30),
                "来源": "履约问题",
                "改进内容": "备件采购与合同节点联动",
                "改进措施": "合同评审表增加备件清单",
                "责任部门": "采购部",
                "计划完成日期": D(4, 30),
                "完成日期": D(4, 25),
                "效果评价": "有效",
            },
            {
                "改进编号": "GJ-02",
                "提出日期": D(5, 25),
                "来源": "内审",
                "改进内容": "制定责任追究制度",
                "责任部门": "综合部",
                "计划完成日期": D(6, 15),
            },
        ],
    }
    items = {
        "基本信息": {
            "统一社会信用代码": "91410100MA0000001X",
            "最高管理者": "陈建国",
            "履约管理负责人": "周敏",
            "体系范围": "数控机床维修保养服务及备件供应",
            "履约愿景": "成为中原地区最守约的设备服务商",
            "履约能力方针": POLICY,
            "方针发布日期": D(1, 2),
        },
        "设置": {"统计开始日期": D(1, 1), "统计结束日期": D(6, 30), "基准日期": AS_OF},
    }
    _fill(path, data, items)
    _inject_controls(path)
    return path


# --- LibreOffice -------------------------------------------------------------------------------


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


_PROFILE: Path | None = None


def lo_profile() -> Path:
    """One LibreOffice profile per test process (each pytest-xdist worker has its own), made on
    the first conversion and removed at exit: a first start in an empty profile costs seconds."""
    global _PROFILE
    if _PROFILE is None:
        _PROFILE = Path(tempfile.mkdtemp(prefix="lo-docs-"))
        atexit.register(shutil.rmtree, _PROFILE, True)
    return _PROFILE


def to_pdf(files: Sequence[Path], folder: Path) -> list[Path]:
    """Convert .docx files to PDF in one LibreOffice run (this process's profile, timeout).
    Pass every document a test module needs in one call: each run starts LibreOffice anew."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            soffice() or "soffice",
            f"-env:UserInstallation={lo_profile().as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            *map(str, files),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    out = [folder / (Path(f).stem + ".pdf") for f in files]
    missing = [p for p in out if not p.exists()]
    assert not missing, missing
    return out


def pdf_text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, timeout=60
    ).stdout.decode("utf-8")


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run(
        ["pdfinfo", str(pdf)], check=True, capture_output=True, timeout=60
    ).stdout.decode()
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def pdf_png(pdf: Path, prefix: Path, first: int = 1, last: int = 3) -> list[Path]:
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", "-f", str(first), "-l", str(last), str(pdf), str(prefix)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return sorted(prefix.parent.glob(prefix.name + "*.png"))


def run_cli(*args: object) -> tuple[int, str, str]:
    """``python -m lyue_xl ARGS`` in a subprocess: (exit code, stdout, stderr), UTF-8."""
    import sys

    src = Path(__file__).resolve().parents[1] / "src"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(src), env.get("PYTHONPATH", "")]))
    env["PYTHONIOENCODING"] = "utf-8"
    done = subprocess.run(
        [sys.executable, "-m", "lyue_xl", *map(str, args)],
        capture_output=True,
        env=env,
        timeout=300,
    )
    return (
        done.returncode,
        done.stdout.decode("utf-8", "replace"),
        done.stderr.decode("utf-8", "replace"),
    )
