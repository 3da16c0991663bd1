"""The demo firm's workbook: it reads back clean, has what the demo promises, and is consistent."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from lyue_xl import schema
from lyue_xl.demo import ORG_NAME, build_demo_records, write_demo_workbook
from lyue_xl.workbook.reader import Records, read_records

AS_OF = date(2026, 6, 30)
T = pd.Timestamp(AS_OF)


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_demo_workbook(tmp_path_factory.mktemp("demo") / "演示.xlsx")


@pytest.fixture(scope="module")
def records(demo_path: Path) -> Records:
    return read_records(demo_path, need=[s.key for s in schema.SHEETS])


def test_reads_back_without_reader_issues(records: Records) -> None:
    assert [(i.sheet, i.row, i.column, i.reason) for i in records.issues] == []
    for sheet in schema.SHEETS:
        if not sheet.is_keyvalue:
            assert records.tables[sheet.key].present, sheet.name
            assert records.tables[sheet.key].missing == [], sheet.name


def test_info_and_settings_filled(records: Records) -> None:
    info = records.info
    assert info["org_name"] == ORG_NAME
    for key in ("credit_code", "top_manager", "manager", "scope", "vision", "policy"):
        assert isinstance(info[key], str) and info[key], key
    assert len(str(info["credit_code"])) == 18
    assert isinstance(info["policy_date"], date) and info["policy_date"] <= AS_OF
    assert records.settings == {
        "period_from": date(2026, 1, 1),
        "period_to": date(2026, 6, 30),
        "as_of": AS_OF,
        "soon_days": 7,
        "credit_valid_months": 12,
        "manual_template": None,  # 手册模板 left blank: the built-in template
        "supplier_months": 12,  # the template's defaults
        "supplier_min_deliveries": 3,
    }


def test_contract_mix(records: Records) -> None:
    contracts = records["contracts"]
    assert 50 <= len(contracts) <= 70
    natures = contracts["nature"].value_counts()
    assert 35 <= natures["收入性"] <= 45 and 15 <= natures["支出性"] <= 25
    assert set(contracts["state"]) == set(schema.PERFORMANCE_STATES)
    assert set(contracts["review_result"]) >= {"通过", "不通过"}
    late_or_missing_review = contracts["reviewed_on"].isna() | (
        contracts["reviewed_on"] > contracts["signed_on"]
    )
    assert 2 <= late_or_missing_review.sum() <= 8
    assert set(contracts["acceptance"]) >= {"合格", "不合格", "待验收"}
    assert contracts["amount"].between(50_000, 3_000_000).all()
    assert contracts["signed_on"].min() <= pd.Timestamp(2024, 7, 31)
    income = contracts[contracts["nature"] == "收入性"]
    delivered = income[income["actual_delivery"].notna()]
    assert delivered["satisfaction"].notna().sum() >= 0.8 * len(delivered)
    assert income["satisfaction"].dropna().between(60, 100).all()
    assert contracts.loc[contracts["nature"] == "支出性", "satisfaction"].isna().all()
    open_ = income[(income["state"] == "履行中") & income["actual_delivery"].isna()]
    assert (open_["planned_delivery"] < T).sum() >= 1  # overdue
    assert open_["planned_delivery"].between(T, T + pd.Timedelta(days=7)).sum() >= 1  # due soon


def test_suppliers_risks_issues_commitments(records: Records) -> None:
    suppliers = records["suppliers"]
    assert len(suppliers) == 15
    assert (suppliers["credit_result"] == "异常").sum() == 1
    expired = suppliers["credit_checked_on"] < T - pd.DateOffset(months=12)
    assert 1 <= expired.sum() <= 3
    core = suppliers[suppliers["core"]]
    assert len(core) >= 4 and (~core["agreement"]).sum() == 1

    risks = records["risks"]
    value = risks["likelihood"] * risks["impact"]
    high_open = risks[(risks["kind"] == "风险") & (value >= 15) & (risks["status"] != "已关闭")]
    assert (risks["kind"] == "风险").sum() >= 10 and (risks["kind"] == "机遇").sum() >= 3
    assert (high_open["measure"] == "").sum() == 1
    assert (high_open["contingency"] == "").sum() == 1

    issues = records["issues"]
    assert set(issues["kind"]) == set(schema.ISSUES.column("kind").choices)
    breaches = issues[issues["breach"]]
    assert set(breaches["breaching_party"]) == {"本方", "对方", "不可抗力"}
    unanalysed = (
        (breaches["root_cause"] == "")
        | (breaches["corrective_action"] == "")
        | (breaches["accountability"] == "")
    )
    assert unanalysed.sum() == 1
    analysed = breaches[~unanalysed]
    assert (analysed["compensation"] != "").all()
    assert set(issues["status"]) == {"处理中", "已关闭"}

    commitments = records["commitments"]
    assert set(commitments["kind"]) == {"规定性", "约定性", "自愿性"}
    assert commitments["deadline"].isna().any()  # 长期 commitments have no deadline
    assert ((commitments["deadline"] < T) & (commitments["status"] != "已兑现")).sum() == 1

    objectives = records["objectives"]
    assert set(objectives["indicator"]) >= {
        "合同履约率",
        "按时交付率",
        "质量达标率",
        "客户满意度",
        "违约次数",
        "回款率",
        "问题按期关闭率",
        "承诺兑现率",
        "供方按时交付率",
    }
    assert set(objectives["indicator"]) <= set(schema.INDICATOR_NAMES)


def test_documents_training_audits(records: Records) -> None:
    documents = records["documents"]
    current_policies = documents[
        (documents["category"] == "制度") & (documents["status"] == "现行")
    ]
    for word, _name in schema.REQUIRED_POLICIES:
        assert current_policies["name"].str.contains(word, regex=False).any(), word
    manual = documents[(documents["category"] == "手册") & (documents["status"] == "现行")]
    assert len(manual) == 1 and manual["approver"].iloc[0] and manual["version"].iloc[0]
    assert (documents["status"] == "作废").sum() == 1
    assert (documents["category"] == "外来文件").sum() == 1
    overdue = (documents["status"] == "现行") & (documents["next_review"] < T)
    assert overdue.sum() == 1

    year_ago = T - pd.DateOffset(months=12)
    training = records["training"]
    assert 4 <= len(training) <= 6
    assert training["held_on"].between(year_ago, T).any()
    audits = records["audits"]
    internal = audits[(audits["audit_type"] == "内审") & audits["audited_on"].between(year_ago, T)]
    assert not internal.empty
    nonconf = internal[internal["finding_type"] == "不符合"]
    assert not nonconf.empty and (nonconf["corrective_action"] != "").all()
    assert (audits["audit_type"] == "管理评审").any()
    emergency = records["emergency"]
    assert 2 <= len(emergency) <= 3 and emergency["drilled_on"].between(year_ago, T).any()
    assert set(records["roles"]["post"].str[:3]) >= {"总经理", "履约管", "销售部", "生产部"}
    assert 3 <= len(records["changes"]) <= 4
    assert 4 <= len(records["improvements"]) <= 5
    assert set(records["context"]["category"]) == {"内部环境", "外部环境", "相关方"}


def test_references_and_amounts_are_consistent(records: Records) -> None:
    contracts = records["contracts"]
    known = set(contracts["contract_no"])
    for key in ("milestones", "payments", "issues"):
        assert set(records[key]["contract_no"]) <= known, key
    changes = records["changes"]
    assert set(changes.loc[changes["contract_no"] != "", "contract_no"]) <= known
    buys = contracts[contracts["nature"] == "支出性"]
    assert (buys["supplier_no"] != "").all()
    assert set(buys["supplier_no"]) <= set(records["suppliers"]["supplier_no"])
    assert (contracts.loc[contracts["nature"] == "收入性", "supplier_no"] == "").all()

    payments = records["payments"]
    paid = payments["paid_amount"].fillna(0)
    assert (paid <= payments["due_amount"] + 1e-6).all()
    assert (payments["paid_amount"].isna() == payments["paid_on"].isna()).all()
    kinds = payments.merge(contracts[["contract_no", "nature"]], on="contract_no")
    assert ((kinds["kind"] == "收款") == (kinds["nature"] == "收入性")).all()
    totals = payments.groupby("contract_no")["due_amount"].sum()
    amounts = contracts.set_index("contract_no")["amount"]
    assert (totals <= amounts[totals.index] + 0.01).all()
    delivered = contracts[contracts["state"] == "已履行"]
    full = totals[totals.index.isin(delivered["contract_no"])]
    assert (full - amounts[full.index]).abs().max() < 0.01  # schedules add up to the contract
    partial = payments[payments["paid_amount"].notna() & (paid < payments["due_amount"])]
    assert len(partial) >= 2
    unpaid_overdue = payments[payments["paid_on"].isna() & (payments["due_on"] < T)]
    assert set(unpaid_overdue["kind"]) == {"收款", "付款"}
    soon = payments[
        payments["paid_on"].isna() & payments["due_on"].between(T, T + pd.Timedelta(days=7))
    ]
    assert set(soon["kind"]) == {"收款", "付款"}

    has_actual = contracts["actual_delivery"].notna()
    assert (
        contracts.loc[has_actual, "actual_delivery"] >= contracts.loc[has_actual, "signed_on"]
    ).all()
    per_contract = records["milestones"].groupby("contract_no").size()
    assert per_contract.between(1, 5).all() and per_contract.median() >= 2
    assert records["milestones"]["key"].any()


def test_nothing_happens_after_as_of(records: Records) -> None:
    checks = {
        "contracts": ["signed_on", "reviewed_on", "actual_delivery"],
        "milestones": ["actual"],
        "payments": ["paid_on"],
        "issues": ["found_on", "closed_on"],
        "training": ["held_on"],
        "audits": ["audited_on", "closed_on"],
        "emergency": ["drilled_on"],
        "improvements": ["completed_on"],
        "suppliers": ["credit_checked_on"],
    }
    for key, columns in checks.items():
        for column in columns:
            values = records[key][column].dropna()
            assert (values <= T).all(), (key, column, values[values > T].tolist())


def test_cells_keep_template_formats(demo_path: Path) -> None:
    book = openpyxl.load_workbook(demo_path)
    ws = book["合同台账"]
    header = {ws.cell(2, c).value: c for c in range(1, ws.max_column + 1)}
    signed = ws.cell(3, header["签订日期"])
    amount = ws.cell(3, header["合同金额（元）"])
    assert signed.is_date and signed.number_format == "yyyy-mm-dd"
    assert isinstance(amount.value, int | float) and amount.number_format == "#,##0.00"
    assert signed.font.name == "宋体"
    assert ws.data_validations.dataValidation  # the template's dropdowns survive
    info = book["基本信息"]
    assert info["B3"].value == ORG_NAME
    assert "实时指标" in book.sheetnames and "使用说明" in book.sheetnames


def test_same_seed_same_workbook_other_seed_differs(tmp_path: Path) -> None:
    first = read_records(write_demo_workbook(tmp_path / "a.xlsx", seed=7))
    second = read_records(write_demo_workbook(tmp_path / "b.xlsx", seed=7))
    other = read_records(write_demo_workbook(tmp_path / "c.xlsx", seed=8))
    for key, table in first.tables.items():
        assert_frame_equal(table.frame, second.tables[key].frame, obj=key)
    assert first.info == second.info and first.settings == second.settings
    assert not first["contracts"].equals(other["contracts"])
    assert not first["payments"].equals(other["payments"])
    assert build_demo_records(7) == build_demo_records(7)
    assert build_demo_records(7) != build_demo_records(8)


@pytest.mark.parametrize("as_of", [date(2025, 12, 31), date(2026, 3, 15)])
def test_other_as_of_dates_stay_consistent(as_of: date) -> None:
    rows = build_demo_records(2025, as_of)
    settings = {item["项目"]: item["内容"] for item in rows["设置"]}
    assert settings["基准日期"] == as_of and settings["统计开始日期"] == date(as_of.year, 1, 1)
    actual_columns = {
        "合同台账": ("实际交付日期", "签订日期"),
        "履约节点": ("实际完成日期",),
        "款项": ("实收付日期",),
        "履约问题": ("关闭日期", "发现日期"),
    }
    for sheet, labels in actual_columns.items():
        for row in rows[sheet]:
            for label in labels:
                value = row.get(label)
                assert value is None or value <= as_of, (sheet, label, row)
    states = {row["履行状态"] for row in rows["合同台账"]}
    assert states == set(schema.PERFORMANCE_STATES)


@pytest.mark.slow
def test_demo_keeps_backups_only_of_what_was_there_before(tmp_path: Path) -> None:
    from lyue_xl.demo import DEMO_WORKBOOK, run_demo

    folder = tmp_path / "示例"
    run_demo(folder)
    backups = folder / ".lyue-backup"
    stem = Path(DEMO_WORKBOOK).stem

    def workbook_backups() -> list[Path]:
        return sorted(backups.glob(f"{stem}-*.xlsx")) if backups.is_dir() else []

    assert workbook_backups() == []  # its own fresh workbook is not "an earlier version"
    # only the manual's fingerprint (what the product wrote, to protect later Word edits)
    assert not backups.is_dir() or all(p.suffix == ".sha256" for p in backups.iterdir())
    run_demo(folder)  # the first demo's workbook and documents are now the user's earlier files
    assert len(workbook_backups()) == 1
    assert len(list(backups.glob("*.docx"))) == 3
