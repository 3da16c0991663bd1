"""`lyue-xl forms`: printable record forms filled from the records, read back through
LibreOffice + pdftotext — the fields, the 表单编号 from 成文信息, blank lines where nothing was
recorded, one page per record; a hand-made workbook and the demo firm."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from doc_helpers import pdf_pages, pdf_text, soffice, to_pdf
from helpers import make_book, put_rows, run_cli, set_items
from lyue_xl.demo import write_demo_workbook

needs_lo = pytest.mark.skipif(soffice() is None, reason="LibreOffice 未安装")
LINE = "_" * 12
LONG = "_" * 40


def lines(text: str) -> list[str]:
    """The PDF's lines with runs of spaces folded to one (pdftotext -layout pads columns)."""
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def small_book(folder: Path) -> Path:
    path = make_book(folder, org="许昌恒远机电有限公司")
    set_items(path, "设置", {"基准日期": date(2026, 6, 30)})
    put_rows(
        path,
        "合同台账",
        [
            {
                "合同编号": "HT-1",
                "合同名称": "减速机维修合同",
                "合同性质": "收入性",
                "相对方": "洛阳重工",
                "签订日期": date(2026, 3, 2),
                "评审日期": date(2026, 3, 1),
                "评审结论": "通过",
                "合同金额（元）": 128000,
                "计划交付日期": date(2026, 5, 30),
                "负责人": "王磊",
                "评审部门": "销售部、技术部",
                "评审人": "周敏",
                "能力评估": "满足：产能可保证",
                "风险及措施": "交期紧：提前备料",
                "条款合规": "合规",
            },
            {
                "合同编号": "HT-2",
                "合同名称": "齿轮加工合同",
                "合同性质": "收入性",
                "签订日期": date(2026, 4, 2),
                "计划交付日期": date(2026, 9, 30),
            },
            {
                "合同编号": "CG-1",
                "合同名称": "钢材采购合同",
                "合同性质": "支出性",
                "供应商编号": "S-1",
                "签订日期": date(2026, 1, 5),
                "评审日期": date(2026, 1, 4),
                "计划交付日期": date(2026, 2, 1),
                "实际交付日期": date(2026, 2, 3),
                "验收结果": "合格",
                "履行状态": "已履行",
            },
            {
                "合同编号": "CG-2",
                "合同名称": "钢材采购合同二",
                "合同性质": "支出性",
                "供应商编号": "S-1",
                "签订日期": date(2026, 2, 5),
                "评审日期": date(2026, 2, 4),
                "计划交付日期": date(2026, 3, 1),
                "实际交付日期": date(2026, 3, 1),
                "验收结果": "不合格",
                "履行状态": "已履行",
            },
            {
                "合同编号": "CG-3",
                "合同名称": "钢材采购合同三",
                "合同性质": "支出性",
                "供应商编号": "S-1",
                "签订日期": date(2026, 3, 5),
                "评审日期": date(2026, 3, 4),
                "计划交付日期": date(2026, 4, 1),
                "实际交付日期": date(2026, 3, 30),
                "验收结果": "合格",
                "履行状态": "已履行",
            },
        ],
    )
    put_rows(
        path,
        "供应商",
        [
            {
                "供应商编号": "S-1",
                "供应商名称": "安阳钢材",
                "信用核查结论": "良好",
                "核心供应商": "是",
                "评价期间": "2026上半年",
                "评价人": "孙丽",
            },
            {"供应商编号": "S-2", "供应商名称": "许昌配件"},
        ],
    )
    put_rows(
        path,
        "履约问题",
        [
            {
                "问题编号": "WT-1",
                "合同编号": "HT-1",
                "发现日期": date(2026, 5, 3),
                "问题类型": "延迟交付",
                "是否违约": "是",
                "违约方": "本方",
                "问题描述": "外协延误 3 天",
                "根本原因": "外协交期未确认",
                "纠正措施": "外协纳入评审",
                "关闭日期": date(2026, 6, 1),
                "状态": "已关闭",
                "验证人": "周强",
                "验证日期": date(2026, 6, 10),
                "是否有效": "是",
                "影响评估": "仅影响本合同",
                "与相关方沟通": "5 月 3 日电话告知客户",
            },
            {"问题编号": "WT-2", "发现日期": date(2026, 6, 3), "问题类型": "客户投诉"},
        ],
    )
    put_rows(
        path,
        "培训记录",
        [
            {
                "培训编号": "PX-1",
                "培训日期": date(2026, 2, 15),
                "培训主题": "合同评审要点",
                "参加人数": 3,
                "讲师": "陈建国",
            }
        ],
    )
    put_rows(
        path,
        "应急预案",
        [
            {
                "预案编号": "YJ-1",
                "预案名称": "断供应急预案",
                "最近演练日期": date(2026, 4, 15),
                "演练评价": "48 小时内恢复供货",
            }
        ],
    )
    put_rows(
        path,
        "成文信息",
        [
            {"文件编号": "CX-01", "文件名称": "合同评审程序", "文件类别": "程序", "状态": "现行"},
            {
                "文件编号": "JL-01",
                "文件名称": "合同评审记录表",
                "文件类别": "记录",
                "版本": "A/0",
                "状态": "现行",
            },
            {"文件编号": "JL-09", "文件名称": "履约问题处理单", "文件类别": "记录", "状态": "作废"},
        ],
    )
    return path


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    folder = tmp_path_factory.mktemp("forms")
    book = small_book(folder)
    demo = write_demo_workbook(folder / "demo.xlsx")
    jobs = {
        "contracts": (book, "合同评审表", None),
        "issue": (book, "issue", "WT-2"),
        "issue_done": (book, "不符合及纠正措施报告", "WT-1"),
        "supplier": (book, "供应商评价表", "S-1"),
        "training": (book, "培训签到及考核表", None),
        "drill": (book, "drill", None),
        "demo_contract": (demo, "合同评审表", "XS-2026-005"),
    }
    docs = {}
    for name, (workbook, kind, record) in jobs.items():
        out = folder / f"{name}.docx"
        args = ["forms", workbook, "--kind", kind, "-o", out]
        if record:
            args += ["--record", record]
        code, stdout, err = run_cli(*args)
        assert code == 0, err
        assert stdout.strip() == f"已生成：{out}"
        docs[name] = out
    return {"book": book, "docs": docs, "folder": folder}


@pytest.fixture(scope="module")
def texts(made: dict[str, object]) -> dict[str, str]:
    if soffice() is None:
        pytest.skip("LibreOffice 未安装")
    docs: dict[str, Path] = made["docs"]  # type: ignore[assignment]
    folder: Path = made["folder"]  # type: ignore[assignment]
    pdfs = to_pdf(list(docs.values()), folder / "pdf")
    out = {name: pdf_text(pdf) for name, pdf in zip(docs, pdfs, strict=True)}
    out["pages:contracts"] = str(pdf_pages(pdfs[0]))
    return out


@needs_lo
def test_contract_review_forms_one_page_each(texts: dict[str, str]) -> None:
    text = texts["contracts"]
    assert texts["pages:contracts"] == "5"  # every contract, a page each
    got = lines(text)
    assert got.count("许昌恒远机电有限公司") == 5
    assert got.count("合同评审表") == 5
    # the registered 记录 (not the 程序 of the same words) gives the form's number
    assert "表单编号：JL-01（版本 A/0） 记录编号：HT-1 条款：9.2" in got
    for expected in (
        "合同编号 HT-1 合同性质 收入性",
        "合同名称 减速机维修合同 相对方 洛阳重工",
        "合同金额（元） 128,000.00 负责人 王磊",
        "签订日期 2026-03-02 计划交付日期 2026-05-30",
        "评审日期 2026-03-01 评审结论 通过",
        "评审部门 销售部、技术部 评审人 周敏",
        "能力评估（9.2 a） 满足：产能可保证",
        "风险及措施（9.2 b） 交期紧：提前备料",
        "条款合规（9.2 c） 合规",
    ):
        assert expected in got, expected
    # HT-2 was never reviewed: blank lines to fill in by hand, never 无 / 未填写
    sec = lines(text.split("记录编号：HT-2")[1].split("记录编号：CG-1")[0])
    assert f"相对方 {LINE}" in " ".join(sec)
    assert f"评审日期 {LINE} 评审结论 {LINE}" in sec
    assert f"评审部门 {LINE} 评审人 {LINE}" in sec
    assert f"能力评估（9.2 a） {LONG}" in sec
    assert f"条款合规（9.2 c） {LONG}" in sec
    assert "未填写" not in text and "（无）" not in text
    assert got.count(f"评审人（签字）：{LINE} 日期：______年____月____日") == 5


@needs_lo
def test_nonconformity_report_blank_and_filled(texts: dict[str, str]) -> None:
    blank = lines(texts["issue"])
    assert "不符合及纠正措施报告" in blank
    assert f"表单编号：{LINE} 记录编号：WT-2 条款：9.6 10.5" in blank  # JL-09 is 作废
    assert f"问题编号 WT-2 合同编号 {LINE}" in blank
    assert "发现日期 2026-06-03 问题类型 客户投诉" in blank
    assert f"是否违约 否 违约方 {LINE}" in blank  # a blank 是/否 reads 否 (DESIGN §2)
    assert f"影响评估（10.5 c） {LONG}" in blank
    assert f"与相关方沟通（9.6 a） {LONG}" in blank
    assert f"措施验证 验证人：{LINE} 验证日期：{LINE} 是否有效：{LINE}" in blank
    done = lines(texts["issue_done"])
    for expected in (
        "是否违约 是 违约方 本方",
        "影响评估（10.5 c） 仅影响本合同",
        "与相关方沟通（9.6 a） 5 月 3 日电话告知客户",
        "根本原因 外协交期未确认",
        f"责任追究 {LONG}",
        "措施验证 验证人：周强 验证日期：2026-06-10 是否有效：是",
    ):
        assert expected in done, expected


@needs_lo
def test_supplier_evaluation_carries_the_computed_rates_and_grade(texts: dict[str, str]) -> None:
    got = lines(texts["supplier"])
    # S-1: 3 contracts due; CG-1 late (2 of 3 on time); CG-2 不合格 (2 of 3 passed)
    for expected in (
        "供应商编号 S-1 供应商名称 安阳钢材",
        "核心供应商 是",
        "评价期间 2026上半年 评价人 孙丽",
        "按时交付率 66.7% 质量合格率 66.7%",
        "综合评分 66.67 等级 C",
        "交付次数 3 次",
    ):
        # pdftotext may put a space between digits and CJK: compare without spaces
        assert any(expected.replace(" ", "") in line.replace(" ", "") for line in got), expected
    assert "记录编号：S-2" not in texts["supplier"]
    # the grade's grounds and the window, in words (compared without spaces and line breaks)
    flat = "".join(texts["supplier"].split())
    for expected in (
        "评级说明近12个月3次交付（到期3次中延期1次，验收3次中不合格1次），综合评分66.67分，"
        "评为C级；建议：请限期整改，加严检验",
        "评价期间为近12个月（2025-07-01至2026-06-30）：",
        "期内到期或验收的合同少于3次的不评级（未评，样本不足）",
    ):
        assert expected in flat, expected


@needs_lo
def test_training_sign_in_rows_and_drill_record(texts: dict[str, str]) -> None:
    got = lines(texts["training"])
    assert "培训签到及考核表" in got
    assert "培训编号 PX-1 培训日期 2026-02-15" in got
    assert f"考核结果 {LINE} 考核方式 {LINE}" in got
    assert "序号 姓名 部门/岗位 本人签到 考核成绩 备注" in got
    numbered = [line for line in got if line in ("1", "2", "3", "4")]
    assert numbered == ["1", "2", "3"]  # one sign-in row per 参加人数
    drill = lines(texts["drill"])
    assert "应急演练记录" in drill
    assert "预案编号 YJ-1 预案名称 断供应急预案" in drill
    assert "演练评价 48 小时内恢复供货" in drill
    assert f"演练过程 {LONG}" in drill
    assert f"演练负责人（签字）：{LINE} 日期：______年____月____日" in drill


@needs_lo
def test_demo_contract_review_form(texts: dict[str, str]) -> None:
    got = lines(texts["demo_contract"])
    assert "豫中精工机械有限公司" in got
    assert "表单编号：YZ/JL-01（版本 A/0） 记录编号：XS-2026-005 条款：9.2" in got
    assert "评审部门 销售部、技术部、生产部、财务部 评审人 李红梅" in got
    assert "评审日期 2026-03-20 评审结论 通过" in got


def test_unknown_kind_or_record_is_exit_2(tmp_path: Path) -> None:
    book = small_book(tmp_path)
    code, _, err = run_cli("forms", book, "--kind", "报价单")
    assert code == 2
    assert err.strip() == (
        "错误：不认识的表单种类“报价单”；--kind 可选：合同评审表（contract）、供应商评价表（supplier）、"
        "不符合及纠正措施报告（issue）、培训签到及考核表（training）、应急演练记录（drill）。"
    )
    code, _, err = run_cli("forms", book, "--kind", "合同评审表", "--record", "HT-9")
    assert code == 2
    assert err.strip() == (
        "错误：「合同台账」中没有编号为“HT-9”的记录；可选的合同编号：HT-1、HT-2、CG-1、CG-2、CG-3。"
    )
    empty = make_book(tmp_path, "空.xlsx")
    code, _, err = run_cli("forms", empty, "--kind", "演练")
    assert code == 2 and "「应急预案」中还没有记录" in err
    code, _, err = run_cli("forms", book, "--kind", "合同评审表", "-o", book)
    assert code == 2 and "就是台账本身" in err
    assert not list(tmp_path.glob("*.docx"))
