"""`lyue-xl demo`: a realistic, fictional demo firm's record workbook.

豫中精工机械有限公司 is an invented 110-person maker of machined parts and non-standard equipment
in Henan. Its two years of records (mid-2024 to the as-of date) are generated from one
``random.Random(seed)``, so the same seed always gives the same workbook. The data are shaped to
show every part of the engine: all 履行状态 values, overdue and nearly-due contracts, milestones
and payments, an abnormal and an expired supplier credit check, high risks without measures,
breaches of each 违约方 (one not analysed), an overdue commitment and document review.

Every date is placed relative to ``as_of`` (T) and the period start P = 1 January of T's year, and
no actual/paid/closed date lies after T. Labels come from :mod:`lyue_xl.schema`.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from copy import copy
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from lyue_xl import schema
from lyue_xl.schema import Sheet, fold

ORG_NAME = "豫中精工机械有限公司"
DEFAULT_AS_OF = date(2026, 6, 30)

Row = dict[str, object]

# --- people ------------------------------------------------------------------------------------

TOP_MANAGER = "王建国"
PERF_MANAGER = "李红梅"
SALES = ("张伟", "刘洋", "陈静")
BUYERS = ("孙丽", "郑凯")
PRODUCTION = "赵磊"
QUALITY = "周强"
FINANCE = "吴敏"

# --- counterparties ----------------------------------------------------------------------------

# (customer, indexes into PRODUCTS it typically buys)
CUSTOMERS: tuple[tuple[str, tuple[int, ...]], ...] = (
    ("洛阳恒拓矿山机械有限公司", (4, 1, 10)),
    ("新乡华锐起重设备有限公司", (9, 1, 10)),
    ("许昌瑞达电力设备有限公司", (8, 10)),
    ("南阳威盛数控机床有限公司", (7, 1)),
    ("焦作永鑫液压科技有限公司", (2, 11)),
    ("开封中科阀门有限公司", (6, 11)),
    ("平顶山恒泰煤机装备有限公司", (4, 3, 10)),
    ("郑州德润风电设备有限公司", (5, 0)),
    ("商丘宏宇输送机械有限公司", (3, 0)),
    ("信阳明港电力工程有限公司", (8,)),
    ("驻马店市城乡供水有限公司", (11, 6)),
    ("漯河市城投热力有限公司", (11, 6, 3)),
)

# (contract subject, lowest and highest amount in 元)
PRODUCTS: tuple[tuple[str, float, float], ...] = (
    ("减速机壳体精加工", 80_000, 600_000),
    ("齿轮轴及齿轮加工", 100_000, 800_000),
    ("液压缸体机加工", 120_000, 900_000),
    ("非标带式输送设备供货", 600_000, 3_000_000),
    ("矿用刮板机链轮加工", 200_000, 1_200_000),
    ("风电法兰精加工", 500_000, 2_800_000),
    ("阀体及阀盖加工", 80_000, 500_000),
    ("机床床身及立柱加工", 300_000, 1_800_000),
    ("变电站设备支架制作", 150_000, 900_000),
    ("起重机卷筒组制作", 200_000, 1_500_000),
    ("年度备品备件供货", 100_000, 600_000),
    ("水泵泵轴及联轴器加工", 80_000, 400_000),
)

# (供应商编号, 名称, 供应类别, months since credit check, 结论, 核心, 履约保障协议)
SUPPLIERS: tuple[tuple[str, str, str, int, str, bool, bool], ...] = (
    ("GYS-001", "安阳鑫钢物资有限公司", "钢材", 2, "良好", True, True),
    ("GYS-002", "郑州中钢联贸易有限公司", "钢材", 5, "良好", True, True),
    ("GYS-003", "洛阳宏达铸造有限公司", "铸锻件", 3, "良好", True, True),
    ("GYS-004", "巩义市恒锻锻造有限公司", "铸锻件", 7, "一般", True, False),
    ("GYS-005", "洛阳精联轴承有限公司", "轴承", 4, "良好", True, True),
    ("GYS-006", "许昌开源电气有限公司", "电气元件", 6, "良好", False, False),
    ("GYS-007", "郑州华电控制设备有限公司", "电气元件", 9, "良好", False, False),
    ("GYS-008", "长葛市金工机械加工厂", "外协加工", 3, "良好", True, True),
    ("GYS-009", "禹州市众联热处理有限公司", "外协加工", 8, "一般", False, False),
    ("GYS-010", "新郑市宏远表面处理有限公司", "外协加工", 1, "异常", False, False),
    ("GYS-011", "河南顺通物流有限公司", "物流", 10, "良好", False, False),
    ("GYS-012", "许昌安达货运有限公司", "物流", 14, "良好", False, False),
    ("GYS-013", "郑州绿源包装材料有限公司", "包装", 6, "良好", False, False),
    ("GYS-014", "焦作力达液压件有限公司", "液压件", 15, "一般", False, False),
    ("GYS-015", "郑州锐锋刀具有限公司", "刀具及标准件", 5, "良好", False, False),
)

# 支出性 contracts: (供应商编号, 合同名称, low, high, scenario, window)
# window: "old" = due before the period, "period" = due in the period, else set by the scenario
PURCHASES: tuple[tuple[str, str, float, float, str, str], ...] = (
    ("GYS-001", "Q345B 钢板采购合同", 300_000, 1_200_000, "ontime", "old"),
    ("GYS-001", "45# 圆钢及钢板采购合同（2026 年一期）", 400_000, 1_500_000, "ontime", "period"),
    ("GYS-002", "42CrMo 合金圆钢采购合同", 300_000, 1_000_000, "ontime", "old"),
    ("GYS-002", "结构型材采购合同", 200_000, 800_000, "open_future", ""),
    ("GYS-003", "减速机壳体铸件采购合同", 150_000, 800_000, "ontime", "old"),
    ("GYS-003", "卷筒铸件采购合同", 150_000, 700_000, "late", "old"),
    ("GYS-003", "壳体铸件采购合同（2026 年一季度）", 150_000, 800_000, "ontime", "period"),
    ("GYS-004", "风电法兰锻件采购合同", 300_000, 1_500_000, "ontime", "period"),
    ("GYS-004", "齿轮轴锻坯采购合同", 100_000, 500_000, "late", "period"),
    ("GYS-005", "调心滚子轴承采购合同", 80_000, 500_000, "ontime", "old"),
    ("GYS-005", "圆锥滚子轴承采购合同", 80_000, 400_000, "open_soon", ""),
    ("GYS-006", "低压电器元件采购合同", 50_000, 300_000, "ontime", "period"),
    ("GYS-007", "PLC 及变频器采购合同", 80_000, 400_000, "open_overdue", ""),
    ("GYS-007", "控制柜元器件采购合同", 50_000, 300_000, "ontime", "period"),
    ("GYS-008", "箱体外协精加工合同", 60_000, 300_000, "ontime", "old"),
    ("GYS-008", "法兰外协车削加工合同", 60_000, 300_000, "late", "old"),
    ("GYS-009", "齿轮渗碳淬火外协合同", 50_000, 200_000, "late", "period"),
    ("GYS-009", "链轮调质处理外协合同", 50_000, 200_000, "defect", "period"),
    ("GYS-010", "结构件喷涂外协合同", 50_000, 200_000, "ontime", "old"),
    ("GYS-014", "液压缸密封件及液压元件采购合同", 60_000, 300_000, "ontime", "old"),
)

# 收入性 scenarios and how many contracts of each
SALES_SCENARIOS: tuple[tuple[str, int], ...] = (
    ("ontime_old", 10),
    ("ontime_period", 10),
    ("late_old", 3),
    ("late_period", 2),
    ("defect_old", 1),
    ("defect_period", 1),
    ("pending", 1),
    ("open_future", 3),
    ("open_soon", 2),
    ("open_overdue", 2),
    ("breach_self", 1),
    ("breach_other", 1),
    ("force", 1),
    ("dispute", 1),
    ("terminated", 1),
)


@dataclass
class _Contract:
    no: str
    name: str
    nature: str
    counterparty: str
    supplier_no: str
    signed: date
    planned: date
    amount: float
    scenario: str
    owner: str
    reviewed: date | None = None
    review_result: str = "通过"
    actual: date | None = None
    acceptance: str = ""
    state: str = "履行中"
    satisfaction: int | None = None
    payments: list[Row] = field(default_factory=list)
    milestones: list[Row] = field(default_factory=list)


class _Builder:
    def __init__(self, seed: int, as_of: date) -> None:
        self.rng = random.Random(seed)
        self.t = as_of
        self.p = date(as_of.year, 1, 1)  # period start
        self.s0 = as_of - timedelta(days=730)  # start of the two years of records
        self.reviewed_late: _Contract | None = None  # the 收入性 contract reviewed after signing
        self.first_open_future: _Contract | None = None  # gets an overdue key milestone
        self.disputed: _Contract | None = None  # a contract with an overdue, unpaid receipt

    # small helpers ----------------------------------------------------------------------------
    def day(self, offset: int) -> date:
        return self.t + timedelta(days=offset)

    def between(self, low: date, high: date) -> date:
        if high < low:
            low, high = high, low
        return low + timedelta(days=self.rng.randint(0, (high - low).days))

    def past(self, value: date | None) -> date | None:
        """An actual date: never after T (None when it would be)."""
        return value if value is not None and value <= self.t else None

    def money(self, low: float, high: float) -> float:
        value = math.exp(self.rng.uniform(math.log(low), math.log(high)))
        step = 1000 if value < 1_000_000 else 10_000
        return float(round(value / step) * step)

    # contracts --------------------------------------------------------------------------------
    def sales_contracts(self) -> list[_Contract]:
        rng, t, p, s0 = self.rng, self.t, self.p, self.s0
        windows: dict[str, tuple[date, date]] = {
            "ontime_old": (s0 + timedelta(days=45), p - timedelta(days=5)),
            "ontime_period": (p + timedelta(days=5), t - timedelta(days=5)),
            "late_old": (s0 + timedelta(days=60), p - timedelta(days=30)),
            "late_period": (p + timedelta(days=10), t - timedelta(days=35)),
            "defect_old": (s0 + timedelta(days=120), p - timedelta(days=40)),
            "defect_period": (p + timedelta(days=20), t - timedelta(days=50)),
            "pending": (self.day(10), self.day(20)),
            "open_future": (self.day(8), self.day(90)),
            "open_soon": (self.day(1), self.day(6)),
            "open_overdue": (self.day(-25), self.day(-3)),
            "breach_self": (p - timedelta(days=200), p - timedelta(days=120)),
            "breach_other": (p + timedelta(days=30), t - timedelta(days=60)),
            "force": (p - timedelta(days=185), p - timedelta(days=140)),
            "dispute": (p - timedelta(days=150), p - timedelta(days=60)),
            "terminated": (p + timedelta(days=20), t - timedelta(days=30)),
        }
        contracts: list[_Contract] = []
        for scenario, count in SALES_SCENARIOS:
            low, high = windows[scenario]
            for _ in range(count):
                customer, products = rng.choice(CUSTOMERS)
                product, amin, amax = PRODUCTS[rng.choice(products)]
                planned = self.between(low, high)
                lead = rng.randint(35, 120)
                if scenario.startswith("open") or scenario == "pending":
                    lead = max(lead, (planned - t).days + 30)
                signed = max(planned - timedelta(days=lead), s0 - timedelta(days=20))
                contract = _Contract(
                    no="",
                    name=f"{product}合同",
                    nature="收入性",
                    counterparty=customer,
                    supplier_no="",
                    signed=signed,
                    planned=planned,
                    amount=self.money(amin, amax),
                    scenario=scenario,
                    owner=rng.choice(SALES),
                )
                self._settle_sales(contract)
                contracts.append(contract)
        return contracts

    def _settle_sales(self, c: _Contract) -> None:
        rng = self.rng
        c.reviewed = c.signed - timedelta(days=rng.randint(1, 6))
        c.review_result = "有条件通过" if rng.random() < 0.15 else "通过"
        kind = (
            c.scenario.rsplit("_", 1)[0] if c.scenario.endswith(("_old", "_period")) else c.scenario
        )
        if kind == "ontime":
            c.actual = c.planned - timedelta(days=rng.randint(0, 10))
            c.acceptance, c.state = "合格", "已履行"
            c.satisfaction = rng.randint(90, 99)
        elif kind == "late":
            c.actual = min(c.planned + timedelta(days=rng.randint(4, 25)), self.day(-2))
            c.acceptance, c.state = "合格", "已履行"
            c.satisfaction = rng.randint(76, 87)
        elif c.scenario == "defect_old":  # accepted with a price concession
            c.actual = c.planned - timedelta(days=rng.randint(0, 5))
            c.acceptance, c.state, c.satisfaction = "不合格", "已履行", rng.randint(62, 72)
        elif c.scenario == "defect_period":  # failed acceptance, being reworked
            c.actual = c.planned - timedelta(days=rng.randint(0, 3))
            c.acceptance, c.state, c.satisfaction = "不合格", "履行中", rng.randint(60, 70)
        elif c.scenario == "pending":  # delivered early, acceptance not yet done
            c.actual = self.day(-rng.randint(1, 4))
            c.acceptance = "待验收"
        elif c.scenario == "breach_self":
            c.state = "未履行-本方违约"
        elif c.scenario == "breach_other":
            c.state = "未履行-对方违约"
        elif c.scenario == "force":
            c.state = "未履行-不可抗力"
        elif c.scenario == "dispute":
            c.state = "未履行-争议中止"
        elif c.scenario == "terminated":
            c.state = "协商解除"
        if c.actual is not None:
            c.actual = max(c.actual, c.signed + timedelta(days=10))

    def purchase_contracts(self) -> list[_Contract]:
        rng, t, p, s0 = self.rng, self.t, self.p, self.s0
        contracts: list[_Contract] = []
        for supplier_no, name, amin, amax, scenario, window in PURCHASES:
            supplier = next(s for s in SUPPLIERS if s[0] == supplier_no)
            if scenario == "open_future":
                planned = self.between(self.day(10), self.day(60))
            elif scenario == "open_soon":
                planned = self.between(self.day(2), self.day(6))
            elif scenario == "open_overdue":
                planned = self.between(self.day(-20), self.day(-6))
            elif window == "old":
                planned = self.between(s0 + timedelta(days=40), p - timedelta(days=10))
            else:
                planned = self.between(p + timedelta(days=5), t - timedelta(days=15))
            lead = rng.randint(15, 60)
            if scenario.startswith("open"):
                lead = max(lead, (planned - t).days + 20)
            signed = max(planned - timedelta(days=lead), s0 - timedelta(days=20))
            c = _Contract(
                no="",
                name=name,
                nature="支出性",
                counterparty=supplier[1],
                supplier_no=supplier_no,
                signed=signed,
                planned=planned,
                amount=self.money(amin, amax),
                scenario=scenario,
                owner=rng.choice(BUYERS),
            )
            c.reviewed = signed - timedelta(days=rng.randint(1, 4))
            c.review_result = "通过"
            if scenario == "ontime":
                c.actual = planned - timedelta(days=rng.randint(0, 5))
                c.acceptance, c.state = "合格", "已履行"
            elif scenario == "late":
                c.actual = min(planned + timedelta(days=rng.randint(3, 15)), self.day(-2))
                c.acceptance, c.state = "合格", "已履行"
            elif scenario == "defect":
                c.actual = planned - timedelta(days=rng.randint(0, 3))
                c.acceptance, c.state = "不合格", "已履行"
            if c.actual is not None:
                c.actual = max(c.actual, signed + timedelta(days=5))
            contracts.append(c)
        return contracts

    def number(self, contracts: list[_Contract], prefix: str) -> None:
        contracts.sort(key=lambda c: (c.signed, c.planned, c.name))
        seq: dict[int, int] = {}
        for c in contracts:
            seq[c.signed.year] = seq.get(c.signed.year, 0) + 1
            c.no = f"{prefix}-{c.signed.year}-{seq[c.signed.year]:03d}"

    def pick_audited(self, sales: list[_Contract]) -> None:
        """The open contract the internal audit (T-75) found reviewed only after signing.

        It was signed before the audit; it also gets an overdue 原材料到货 milestone.
        """
        chosen = min((c for c in sales if c.scenario == "open_future"), key=lambda c: c.planned)
        audit = self.day(-75)
        if chosen.signed >= audit:
            chosen.signed = audit - timedelta(days=self.rng.randint(10, 30))
        self.reviewed_late = self.first_open_future = chosen

    def review_exceptions(self, sales: list[_Contract], buys: list[_Contract]) -> None:
        """A few contracts signed without (or after, or against) the review."""
        by = {c.scenario: c for c in reversed(sales)}
        overdue = by["open_overdue"]
        overdue.review_result = "不通过"  # 交期过短, signed on the general manager's say-so
        late = self.reviewed_late
        assert late is not None
        late.reviewed = late.signed + timedelta(days=3)
        old = next(c for c in sales if c.scenario == "ontime_old")
        old.reviewed = old.signed + timedelta(days=4)  # late, but outside the period: no warning
        pby = {c.scenario: c for c in buys}
        pby["open_soon"].reviewed = pby["open_soon"].signed + timedelta(days=2)
        pby["open_future"].reviewed, pby["open_future"].review_result = None, ""
        old_buy = next(c for c in buys if c.scenario == "ontime" and c.signed < self.p)
        old_buy.reviewed, old_buy.review_result = None, ""

    # milestones -------------------------------------------------------------------------------
    def sales_milestones(self, c: _Contract) -> None:
        rng = self.rng
        lead = max((c.planned - c.signed).days, 10)
        delay = (c.actual - c.planned).days if c.actual else 0

        def at(share: float) -> date:
            return c.signed + timedelta(days=round(lead * share))

        n = rng.choice((2, 3, 4, 4))
        nodes: list[tuple[str, date, bool]] = [("合同签订", c.signed, False)]
        if n >= 3:
            nodes.append(("原材料到货", at(0.3), True))
        if n == 4:
            nodes.append(("生产完成", at(0.8), rng.random() < 0.6))
        nodes.append(("发货", c.planned, True))
        if c.actual is not None and n == 4 and rng.random() < 0.5:
            nodes.append(("验收", c.planned + timedelta(days=7), False))
        if c.actual is None:  # open or never delivered: the full production chain
            raw = at(0.3)
            if c is self.first_open_future:
                raw = min(raw, self.day(-3))
            nodes = [
                ("合同签订", c.signed, False),
                ("原材料到货", raw, True),
                ("生产完成", at(0.8), True),
                ("发货", c.planned, True),
            ]
        for name, planned, key in nodes:
            actual = self._sales_node_actual(c, name, planned, delay)
            if actual is None and c.state.startswith("未履行"):
                continue  # nodes after the failure are not recorded
            c.milestones.append(
                {
                    "contract_no": c.no,
                    "name": name,
                    "planned": planned,
                    "actual": actual,
                    "key": "是" if key else "否",
                    "owner": c.owner if name in ("合同签订", "发货", "验收") else PRODUCTION,
                }
            )

    def _sales_node_actual(self, c: _Contract, name: str, planned: date, delay: int) -> date | None:
        rng, t = self.rng, self.t
        if name == "合同签订":
            return c.signed
        if c.actual is not None:  # delivered
            if name == "发货":
                return c.actual
            if name == "验收":
                if c.acceptance == "待验收" or c.scenario == "defect_period":
                    return None
                return min(c.actual + timedelta(days=rng.randint(2, 8)), t)
            if delay > 0:
                shift = delay - rng.randint(0, 3)
            else:  # mostly on time, now and then a few days late but recovered
                shift = rng.randint(1, 4) if rng.random() < 0.15 else rng.randint(-4, 0)
            return max(min(planned + timedelta(days=shift), c.actual), c.signed)
        if planned >= t:
            return None
        if c.scenario == "open_overdue" and name in ("生产完成", "发货"):
            return None
        if name == "原材料到货" and c is self.first_open_future:
            return None
        if c.state.startswith("未履行") or c.state == "协商解除":
            # work stopped: raw material arrived, nothing later
            if name == "原材料到货":
                return self.past(planned + timedelta(days=rng.randint(0, 3)))
            return None
        shift = rng.randint(1, 3) if rng.random() < 0.15 else rng.randint(-3, 0)
        return min(planned + timedelta(days=shift), t - timedelta(days=1))

    def purchase_milestones(self, c: _Contract) -> None:
        rng, t = self.rng, self.t
        nodes: list[tuple[str, date, bool]] = [("合同签订", c.signed, False)]
        if rng.random() < 0.6 or c.scenario.startswith("open"):
            nodes.append(("发货", c.planned - timedelta(days=3), False))
        nodes.append(("验收", c.planned + timedelta(days=2), True))
        for name, planned, key in nodes:
            actual: date | None
            if name == "合同签订":
                actual = c.signed
            elif c.actual is not None:
                if name == "发货":
                    actual = max(c.actual - timedelta(days=rng.randint(2, 5)), c.signed)
                else:
                    actual = min(c.actual + timedelta(days=rng.randint(0, 3)), t)
            elif c.scenario == "open_soon" and name == "发货" and planned < t:
                actual = planned  # shipped, in transit
            else:
                actual = None
            c.milestones.append(
                {
                    "contract_no": c.no,
                    "name": name,
                    "planned": planned,
                    "actual": actual,
                    "key": "是" if key else "否",
                    "owner": c.owner if name != "验收" else QUALITY,
                }
            )

    # payments ---------------------------------------------------------------------------------
    def _paid(self, due: date) -> tuple[date | None, bool]:
        """Default settlement of an installment: paid in full a few days around its due date."""
        if due > self.t:
            return None, False
        paid = due + timedelta(days=self.rng.randint(-3, 12))
        return min(paid, self.t), True

    def _installments(
        self, c: _Contract, plan: list[tuple[str, float, date]], kind: str
    ) -> list[Row]:
        rows: list[Row] = []
        total = 0.0
        for index, (label, share, due) in enumerate(plan):
            if index == len(plan) - 1 and share > 0 and abs(sum(s for _, s, _ in plan) - 1) < 1e-9:
                amount = round(c.amount - total, 2)
            else:
                amount = round(c.amount * share, 2)
            total += amount
            paid_on, paid = self._paid(due)
            rows.append(
                {
                    "contract_no": c.no,
                    "kind": kind,
                    "installment": label,
                    "due_on": due,
                    "due_amount": amount,
                    "paid_on": paid_on,
                    "paid_amount": amount if paid else None,
                }
            )
        return rows

    def sales_payments(self, c: _Contract) -> None:
        rng = self.rng
        deliver = c.actual or c.planned
        down = c.signed + timedelta(days=rng.randint(5, 15))
        middle = c.signed + (c.planned - c.signed) / 2
        schemes: list[list[tuple[str, float, date]]] = [
            [("预付款", 0.3, down), ("尾款", 0.7, deliver + timedelta(days=30))],
            [
                ("预付款", 0.3, down),
                ("进度款", 0.4, middle),
                ("尾款", 0.3, deliver + timedelta(days=30)),
            ],
            [
                ("预付款", 0.3, down),
                ("尾款", 0.6, deliver + timedelta(days=30)),
                ("质保金", 0.1, deliver + timedelta(days=365)),
            ],
            [
                ("预付款", 0.2, down),
                ("进度款", 0.3, middle),
                ("尾款", 0.4, deliver + timedelta(days=30)),
                ("质保金", 0.1, deliver + timedelta(days=365)),
            ],
        ]
        if c.scenario == "open_soon":  # the progress payment falls due on delivery, within N days
            plan = [
                ("预付款", 0.3, down),
                ("进度款", 0.4, c.planned),
                ("尾款", 0.3, c.planned + timedelta(days=30)),
            ]
        elif c.scenario in ("breach_other", "dispute"):
            plan = [("预付款", 0.3, down), ("进度款", 0.4, middle)]
        elif c.scenario in ("breach_self", "force", "terminated"):
            plan = [("预付款", 0.3, down)]
        else:
            plan = rng.choice(schemes)
        rows = self._installments(c, plan, "收款")
        for row in rows:
            if c.scenario in ("breach_other", "dispute") and row["installment"] == "进度款":
                row["paid_on"], row["paid_amount"] = None, None  # withheld by the customer
            if c.scenario == "defect_period" and row["installment"] == "尾款":
                row["paid_on"], row["paid_amount"] = None, None  # withheld until rework passes
        c.payments = rows

    def purchase_payments(self, c: _Contract) -> None:
        rng = self.rng
        deliver = c.actual or c.planned
        down = c.signed + timedelta(days=rng.randint(3, 10))
        if c.amount < 100_000:
            plan = [("到货款", 1.0, deliver + timedelta(days=30))]
        elif rng.random() < 0.5:
            plan = [("预付款", 0.3, down), ("到货款", 0.7, deliver + timedelta(days=30))]
        else:
            plan = [
                ("预付款", 0.3, down),
                ("到货款", 0.6, deliver + timedelta(days=30)),
                ("质保金", 0.1, deliver + timedelta(days=180)),
            ]
        c.payments = self._installments(c, plan, "付款")

    def payment_exceptions(self, sales: list[_Contract], buys: list[_Contract]) -> None:
        """Partial and overdue receipts, an unpaid supplier invoice, and payments due soon."""
        t, p, rng = self.t, self.p, self.rng
        receipts = [
            r
            for c in sales
            if c.scenario in ("ontime_old", "ontime_period", "late_old", "late_period")
            for r in c.payments
            if r["paid_amount"] is not None and r["installment"] in ("进度款", "尾款")
        ]
        partial = [r for r in receipts if p <= _d(r["due_on"]) <= t - timedelta(days=10)]
        rng.shuffle(partial)
        for row in partial[:2]:  # customer paid part of the installment
            row["paid_amount"] = round(_f(row["due_amount"]) * rng.choice((0.5, 0.6, 0.8)), 2)
            row["paid_on"] = min(_d(row["due_on"]) + timedelta(days=rng.randint(0, 10)), t)
        chosen = {id(r) for r in partial[:2]}
        unpaid = [
            r
            for r in receipts
            if id(r) not in chosen
            and t - timedelta(days=90) <= _d(r["due_on"]) < t - timedelta(days=5)
        ]
        rng.shuffle(unpaid)
        for row in unpaid[:2]:  # overdue, nothing received yet
            row["paid_on"], row["paid_amount"] = None, None
        if unpaid:
            no = unpaid[0]["contract_no"]
            self.disputed = next(c for c in sales if c.no == no)
        pby = {c.scenario + c.supplier_no: c for c in buys}
        defect = pby["defectGYS-009"]
        for row in defect.payments:
            if row["installment"] in ("到货款", "质保金") and _d(row["due_on"]) <= t:
                row["paid_on"], row["paid_amount"] = None, None  # withheld pending rework
        period_buys = [c for c in buys if c.scenario == "ontime" and c.planned >= p]
        soon = period_buys[-1]
        last = soon.payments[-1]
        last["due_on"] = self.day(4)  # falls due within the warning window
        last["paid_on"], last["paid_amount"] = None, None
        partial_buy = period_buys[0]
        for row in partial_buy.payments:
            if row["installment"] == "到货款" and _d(row["due_on"]) < t:
                row["paid_amount"] = round(_f(row["due_amount"]) * 0.5, 2)  # 分两批支付
                break


Pick = Callable[..., _Contract]


def _d(value: object) -> date:
    assert isinstance(value, date)
    return value


def _f(value: object) -> float:
    assert isinstance(value, int | float)
    return float(value)


# --- the record sets -----------------------------------------------------------------------------


def _credit_code() -> str:
    """An invented, well-formed 统一社会信用代码 (GB 32100 check character)."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    body = "91411000MA47XK3Q6"
    total = sum(alphabet.index(ch) * w for ch, w in zip(body, weights, strict=True))
    return body + alphabet[(31 - total % 31) % 31]


def _months_before(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month + 1, min(day.day, 28))


def _labelled(sheet: Sheet, rows: list[Row]) -> list[Row]:
    """Rows keyed by the schema's column keys -> rows keyed by the sheet's labels."""
    out: list[Row] = []
    for row in rows:
        out.append({sheet.column(key).label: value for key, value in row.items()})
    return out


def _items(sheet: Sheet, values: dict[str, object]) -> list[Row]:
    labels = {item.key: item.label for item in sheet.items}
    return [{"项目": labels[key], "内容": value} for key, value in values.items()]


def build_demo_records(
    seed: int = 2025, as_of: date = DEFAULT_AS_OF
) -> dict[str, list[dict[str, object]]]:
    """The demo firm's records: sheet name -> rows keyed by the sheet's Chinese labels.

    基本信息 and 设置 are lists of ``{"项目": label, "内容": value}`` items. Deterministic for a
    given ``seed``; every date is placed relative to ``as_of``.
    """
    b = _Builder(seed, as_of)
    t, p = b.t, b.p

    sales = b.sales_contracts()
    buys = b.purchase_contracts()
    b.pick_audited(sales)
    b.number(sales, "XS")
    b.number(buys, "CG")
    b.review_exceptions(sales, buys)
    for c in sales:
        b.sales_milestones(c)
        b.sales_payments(c)
    for c in buys:
        b.purchase_milestones(c)
        b.purchase_payments(c)
    b.payment_exceptions(sales, buys)
    contracts = sorted(sales + buys, key=lambda c: (c.signed, c.no))
    by_scenario: dict[str, list[_Contract]] = {}
    for c in contracts:
        by_scenario.setdefault(
            c.scenario if c.nature == "收入性" else "buy_" + c.scenario, []
        ).append(c)

    def first(scenario: str, index: int = 0) -> _Contract:
        group = by_scenario[scenario]
        return group[min(index, len(group) - 1)]

    info = {
        "org_name": ORG_NAME,
        "credit_code": _credit_code(),
        "top_manager": TOP_MANAGER,
        "manager": f"{PERF_MANAGER}（经营管理部 履约管理岗）",
        "scope": "减速机壳体、齿轮轴、液压缸体、风电法兰等机械零部件的机加工，以及非标输送设备的设计、"
        "制造和售后服务所涉及的合同评审、采购、生产、检验、交付、收款和售后全过程；"
        "场所：许昌市建安区精工路 18 号厂区；部门：经营管理部、销售部、技术部、生产部、采购部、质检部、财务部。",
        "vision": "做中原地区交期最准、质量最稳的精密机械配套伙伴，让每一份合同都按约兑现。",
        "policy": "合同签了就要算数：签约前评审到位，不接做不到的单；履约中盯住交期、质量和款项，"
        "问题早发现、早沟通、早处置；对客户守约，对供方守信，对员工尽责；用数据说话，逐年提高履约水平。",
        "policy_date": b.day(-330),
        "address": "河南省许昌市建安区精工路 18 号",
        "staff": 112,
        "industry": "精密机械零部件加工、非标输送设备制造",
    }
    settings = {
        "period_from": p,
        "period_to": t,
        "as_of": t,
        "soon_days": 7,
        "credit_valid_months": 12,
    }

    objectives = [
        ("MB-01", "合同履约率", 0.95, "不低于", "销售部"),
        ("MB-02", "按时交付率", 0.90, "不低于", "生产部"),
        ("MB-03", "质量达标率", 0.98, "不低于", "质检部"),
        ("MB-04", "客户满意度", 90, "不低于", "销售部"),
        ("MB-05", "违约次数", 1, "不高于", "经营管理部"),
        ("MB-06", "回款率", 0.90, "不低于", "财务部"),
        ("MB-07", "节点按时完成率", 0.85, "不低于", "生产部"),
        ("MB-08", "供方按时交付率", 0.90, "不低于", "采购部"),
        ("MB-09", "问题按期关闭率", 0.90, "不低于", "经营管理部"),
        ("MB-10", "承诺兑现率", 1.0, "不低于", "经营管理部"),
    ]
    objective_rows: list[Row] = [
        {
            "objective_no": no,
            "indicator": name,
            "target": target,
            "comparison": cmp,
            "department": dept,
        }
        for no, name, target, cmp, dept in objectives
    ]

    commitments: list[Row] = [
        {
            "commitment_no": "CN-01",
            "kind": "规定性",
            "content": "依照合同约定全面、诚信地履行合同义务，不擅自变更或解除合同。",
            "basis": "《中华人民共和国民法典》合同编第五百零九条",
            "department": "经营管理部",
            "deadline": None,
            "status": "进行中",
            "evidence": "合同台账、履约评估报告（长期有效）",
        },
        {
            "commitment_no": "CN-02",
            "kind": "规定性",
            "content": "出厂产品逐批检验，检验不合格的产品不出厂、不交付。",
            "basis": "《中华人民共和国产品质量法》第十二条",
            "department": "质检部",
            "deadline": None,
            "status": "进行中",
            "evidence": "出厂检验记录、质量月报（长期有效）",
        },
        {
            "commitment_no": "CN-03",
            "kind": "规定性",
            "content": "完成全员年度安全生产培训和特种作业人员持证复审，保障生产安全。",
            "basis": "《中华人民共和国安全生产法》第二十八条",
            "department": "生产部",
            "deadline": date(t.year, 3, 31),
            "status": "已兑现",
            "evidence": f"{t.year} 年安全培训签到表及考试记录；特种作业证复审 9 人全部通过",
        },
        {
            "commitment_no": "CN-04",
            "kind": "规定性",
            "content": "喷涂及打磨工序废气、粉尘治理设施稳定运行，排放满足排污许可要求。",
            "basis": "排污许可证及《大气污染防治法》",
            "department": "生产部",
            "deadline": date(t.year - 1, 12, 31),
            "status": "已兑现",
            "evidence": f"{t.year - 1} 年度第三方监测报告（达标）",
        },
        {
            "commitment_no": "CN-05",
            "kind": "约定性",
            "content": "产品质保期 12 个月，质保期内因制造原因出现的故障免费维修或更换。",
            "basis": "销售合同通用条款第 8 条",
            "department": "销售部",
            "deadline": None,
            "status": "进行中",
            "evidence": "售后服务记录、客户回访表（长期有效）",
        },
        {
            "commitment_no": "CN-06",
            "kind": "约定性",
            "content": "客户报修 24 小时内响应，省内 48 小时内到达现场。",
            "basis": "销售合同售后服务条款；年度备件供货协议",
            "department": "销售部",
            "deadline": None,
            "status": "进行中",
            "evidence": "售后服务派工单（长期有效）",
        },
        {
            "commitment_no": "CN-07",
            "kind": "约定性",
            "content": "供方货物验收合格且发票齐全后 30 日内付款。",
            "basis": "采购合同付款条款；核心供方履约保障协议",
            "department": "财务部",
            "deadline": date(t.year - 1, 12, 31),
            "status": "已兑现",
            "evidence": f"{t.year - 1} 年度付款台账（逾期付款 0 笔）",
        },
        {
            "commitment_no": "CN-08",
            "kind": "自愿性",
            "content": "上线合同履约电子台账并完成业务人员操作培训，实现交期和回款自动预警。",
            "basis": "管理评审决议",
            "department": "经营管理部",
            "deadline": b.day(-61),
            "status": "进行中",
            "evidence": "台账已上线；生产部、采购部培训尚未完成",
        },
        {
            "commitment_no": "CN-09",
            "kind": "自愿性",
            "content": "每年开展不少于 2 次履约管理专题培训，将诚信履约纳入新员工入职教育。",
            "basis": "履约能力方针",
            "department": "经营管理部",
            "deadline": date(t.year - 1, 12, 31),
            "status": "已兑现",
            "evidence": "培训记录 PX 系列",
        },
        {
            "commitment_no": "CN-10",
            "kind": "自愿性",
            "content": "每年参加一次助学或社区公益活动，树立守信企业形象。",
            "basis": "企业社会责任计划",
            "department": "综合办公室",
            "deadline": date(t.year, 12, 31),
            "status": "未开始",
            "evidence": "",
        },
    ]

    contract_rows: list[Row] = [
        {
            "contract_no": c.no,
            "name": c.name,
            "nature": c.nature,
            "counterparty": c.counterparty,
            "supplier_no": c.supplier_no or None,
            "signed_on": c.signed,
            "reviewed_on": c.reviewed,
            "review_result": c.review_result or None,
            "amount": c.amount,
            "planned_delivery": c.planned,
            "actual_delivery": b.past(c.actual),
            "acceptance": c.acceptance or None,
            "state": c.state,
            "satisfaction": c.satisfaction,
            "owner": c.owner,
        }
        for c in contracts
    ]
    milestone_rows = [m for c in contracts for m in c.milestones]
    payment_rows = [r for c in contracts for r in c.payments]

    supplier_rows: list[Row] = []
    for no, name, category, months, result, core, agreement in SUPPLIERS:
        checked = _months_before(t, months) - timedelta(days=b.rng.randint(0, 20))
        supplier_rows.append(
            {
                "supplier_no": no,
                "name": name,
                "category": category,
                "credit_checked_on": checked,
                "credit_result": result,
                "core": "是" if core else "否",
                "agreement": "是" if agreement else "否",
            }
        )

    risk_rows = _risks(b)
    issue_rows = _issues(b, first)
    document_rows = _documents(b)

    records: dict[str, list[Row]] = {
        schema.INFO.name: _items(schema.INFO, info),
        schema.SETTINGS.name: _items(schema.SETTINGS, settings),
        schema.OBJECTIVES.name: _labelled(schema.OBJECTIVES, objective_rows),
        schema.COMMITMENTS.name: _labelled(schema.COMMITMENTS, commitments),
        schema.CONTRACTS.name: _labelled(schema.CONTRACTS, contract_rows),
        schema.MILESTONES.name: _labelled(schema.MILESTONES, milestone_rows),
        schema.PAYMENTS.name: _labelled(schema.PAYMENTS, payment_rows),
        schema.SUPPLIERS.name: _labelled(schema.SUPPLIERS, supplier_rows),
        schema.RISKS.name: _labelled(schema.RISKS, risk_rows),
        schema.ISSUES.name: _labelled(schema.ISSUES, issue_rows),
        schema.DOCUMENTS.name: _labelled(schema.DOCUMENTS, document_rows),
        schema.CONTEXT.name: _labelled(schema.CONTEXT, _context(b)),
        schema.ROLES.name: _labelled(schema.ROLES, _roles(b)),
        schema.TRAINING.name: _labelled(schema.TRAINING, _training(b)),
        schema.EMERGENCY.name: _labelled(schema.EMERGENCY, _emergency(b)),
        schema.CHANGES.name: _labelled(schema.CHANGES, _changes(b, first)),
        schema.AUDITS.name: _labelled(schema.AUDITS, _audits(b)),
        schema.IMPROVEMENTS.name: _labelled(schema.IMPROVEMENTS, _improvements(b)),
        schema.RESOURCES.name: _labelled(schema.RESOURCES, _resources(b)),
    }
    _add_review_records(b, records)
    return records


# --- the narrative sheets ------------------------------------------------------------------------


def _risks(b: _Builder) -> list[Row]:
    rng = b.rng
    reviewed = b.day(-rng.randint(20, 40))
    rows: list[tuple[str, str, str, str, int, int, str, str, str, int, str]] = [
        # 编号, 类型, 描述, 来源, 可能性, 影响程度, 应对措施, 应急预案, 责任人, 计划(天), 状态
        (
            "FX-01",
            "风险",
            "钢材价格短期大幅上涨，已签固定价合同成本超支",
            "外部环境/市场",
            4,
            4,
            "与两家核心钢材供方签订季度锁价协议；报价有效期缩短为 15 天；关键钢材保持 2 周安全库存",
            "启用备选钢材供方，必要时与客户协商调价条款",
            "孙丽",
            60,
            "处置中",
        ),
        (
            "FX-02",
            "风险",
            "热处理、喷涂外协厂交期不稳，拖累整机交付",
            "供应商履约",
            4,
            4,
            "外协件排产预留 5 天缓冲；每周跟踪外协进度；开发第二家热处理外协厂",
            "",
            "郑凯",
            45,
            "处置中",
        ),
        (
            "FX-03",
            "风险",
            "五轴加工中心突发故障，风电法兰订单停产",
            "内部环境/设备",
            3,
            5,
            "执行预防性维护计划，关键备件常备；操作工持证上岗",
            "按 YJ-01《关键设备故障应急预案》转外协加工并通知客户",
            "赵磊",
            90,
            "处置中",
        ),
        (
            "FX-04",
            "风险",
            "两家大客户回款周期拉长，流动资金紧张影响原材料采购",
            "财务/客户",
            4,
            4,
            "",
            "申请银行流动资金授信备用",
            "吴敏",
            30,
            "未处置",
        ),
        (
            "FX-05",
            "风险",
            "销售为抢订单接受过短交期，评审流于形式",
            "合同评审",
            3,
            4,
            "交期短于标准周期的合同须生产部会签；评审记录纳入月度检查",
            "交期确实无法满足时提前与客户协商分批交付",
            "张伟",
            30,
            "处置中",
        ),
        (
            "FX-06",
            "风险",
            "数控技工流失，关键工序无人可顶",
            "人力资源",
            2,
            4,
            "关键岗位 AB 角培养；技能津贴与履约考核挂钩",
            "临时借调兄弟单位技工",
            "王建国",
            120,
            "处置中",
        ),
        (
            "FX-07",
            "风险",
            "客户图纸频繁变更，导致返工和延期",
            "客户需求",
            3,
            3,
            "图纸变更须书面确认并同步调整交期；纳入变更记录",
            "按变更重新排产并书面告知新交期",
            "陈静",
            60,
            "处置中",
        ),
        (
            "FX-08",
            "风险",
            "汛期暴雨造成厂区停电、道路中断",
            "外部环境/自然",
            2,
            5,
            "配置 500kW 备用发电机；汛前检查排水设施",
            "按 YJ-03《极端天气停产应急预案》执行",
            "赵磊",
            -30,
            "已关闭",
        ),
        (
            "FX-09",
            "风险",
            "单一铸件供方依赖，供方停产即断供",
            "供应商履约",
            4,
            4,
            "已开发第二家铸件供方并完成样件认证",
            "启用第二供方",
            "孙丽",
            -90,
            "已关闭",
        ),
        (
            "FX-10",
            "风险",
            "外协供方信用恶化（经营异常、涉诉）导致交付中断",
            "合作方调查",
            3,
            4,
            "每年核查合作方信用；异常供方暂停新订单",
            "转移订单至合格供方",
            "孙丽",
            45,
            "处置中",
        ),
        (
            "FX-11",
            "风险",
            "批量质量问题引发客户索赔",
            "质量",
            2,
            5,
            "首件检验和过程巡检；关键尺寸 100% 检测",
            "启动召回和返修，按合同协商赔偿",
            "周强",
            90,
            "处置中",
        ),
        (
            "FX-12",
            "风险",
            "履约档案记录不全，发生纠纷时举证困难",
            "内审发现",
            3,
            2,
            "按《履约档案管理制度》每月归档检查",
            "",
            "李红梅",
            30,
            "处置中",
        ),
        (
            "JY-01",
            "机遇",
            "风电法兰订单增长，可扩大精加工产能",
            "市场",
            4,
            4,
            "评估新增一台立式车床的投资回报",
            "",
            "王建国",
            120,
            "处置中",
        ),
        (
            "JY-02",
            "机遇",
            "上线数字化排产和履约台账，提前发现交期风险",
            "技术",
            3,
            3,
            "Excel 履约台账先行，运行半年后评估 MES 选型",
            "",
            "李红梅",
            90,
            "处置中",
        ),
        (
            "JY-03",
            "机遇",
            "本地化采购缩短供货周期、降低运输成本",
            "供应链",
            3,
            3,
            "优先开发许昌、郑州周边合格供方",
            "",
            "孙丽",
            180,
            "未处置",
        ),
        (
            "JY-04",
            "机遇",
            "取得履约能力管理体系认证，投标时获得信用加分",
            "外部环境/政策",
            4,
            3,
            "按 Q/QJC 002—2025 建立体系并申请认证",
            "",
            "李红梅",
            60,
            "处置中",
        ),
    ]
    out: list[Row] = []
    for no, kind, desc, source, like, impact, measure, contingency, owner, days, status in rows:
        out.append(
            {
                "risk_no": no,
                "kind": kind,
                "description": desc,
                "source": source,
                "likelihood": like,
                "impact": impact,
                "measure": measure or None,
                "contingency": contingency or None,
                "owner": owner,
                "planned": b.day(days),
                "status": status,
                "reviewed_on": reviewed,
            }
        )
    return out


def _issues(b: _Builder, first: Pick) -> list[Row]:
    t, rng = b.t, b.rng

    def c(scenario: str, index: int = 0) -> _Contract:
        return first(scenario, index)

    def after(day: date, low: int, high: int) -> date:
        return min(day + timedelta(days=rng.randint(low, high)), t)

    rows: list[Row] = []

    def add(
        contract: _Contract,
        found: date,
        kind: str,
        breach: str,
        party: str,
        desc: str,
        cause: str,
        action: str,
        blame: str,
        compensation: str,
        owner: str,
        plan_days: int,
        closed_days: int | None,
    ) -> None:
        found = min(found, t)
        planned = found + timedelta(days=plan_days)
        closed = min(found + timedelta(days=closed_days), t) if closed_days is not None else None
        rows.append(
            {
                "issue_no": "",
                "contract_no": contract.no,
                "found_on": found,
                "kind": kind,
                "breach": breach,
                "breaching_party": party or None,
                "description": desc,
                "root_cause": cause or None,
                "corrective_action": action or None,
                "accountability": blame or None,
                "compensation": compensation or None,
                "owner": owner,
                "planned": planned,
                "closed_on": closed,
                "status": "已关闭" if closed else "处理中",
                # a closed breach's corrective action, verified by the 履约管理岗 ten days on
                "verifier": PERF_MANAGER if breach == "是" and action and closed else None,
                "verified_on": min(closed + timedelta(days=10), t)
                if breach == "是" and action and closed
                else None,
                "effective": "是" if breach == "是" and action and closed else None,
            }
        )

    late_p = c("late_period")
    add(
        late_p,
        late_p.planned + timedelta(days=1),
        "延迟交付",
        "是",
        "本方",
        f"{late_p.name}未能按约定日期交货，延误 {(late_p.actual - late_p.planned).days if late_p.actual else 0} 天。",
        "热处理外协延误，排产计划未预留缓冲期，且延误苗头出现时未及时预警。",
        "外协件排产预留 5 天缓冲；每周五召开交期例会；交期风险提前 7 天书面告知客户。",
        "生产计划员通报批评并扣当月绩效 300 元；生产部部长书面检讨。",
        "按合同支付逾期违约金并赠送一套易损件。",
        PRODUCTION,
        20,
        15,
    )
    late_o = c("late_old")
    add(
        late_o,
        late_o.planned - timedelta(days=3),
        "延迟交付",
        "否",
        "",
        "因客户图纸变更，交期顺延，双方签订补充协议。",
        "客户在生产开始后变更关键尺寸。",
        "图纸变更须书面确认并同步调整交期。",
        "",
        "",
        "陈静",
        10,
        16,
    )
    overdue = c("open_overdue")
    add(
        overdue,
        overdue.planned + timedelta(days=1),
        "延迟交付",
        "否",
        "",
        f"{overdue.name}已过约定交期仍未发货，生产完成节点滞后。",
        "签约时交期评审不通过仍签订，产能不足。",
        "增加周末班次，分两批发货；与客户协商确认新交期。",
        "",
        "",
        PRODUCTION,
        30,
        None,
    )
    defect = c("defect_period")
    found = after(defect.actual or defect.planned, 1, 5)
    add(
        defect,
        found,
        "质量不达标",
        "否",
        "",
        "客户验收发现部分零件内孔尺寸超差。",
        "刀具磨损补偿未及时调整，首件检验后的巡检间隔过长。",
        "返修超差件；巡检间隔由 2 小时缩短为 1 小时；关键尺寸 100% 检测。",
        "",
        "",
        QUALITY,
        (b.day(15) - found).days,
        None,
    )
    buy_defect = c("buy_defect")
    add(
        buy_defect,
        after(buy_defect.actual or buy_defect.planned, 1, 3),
        "质量不达标",
        "是",
        "对方",
        "外协调质件硬度不合格，整批退回返工。",
        "供方热处理炉温控仪表失准，未按期校准。",
        "退货返工；进货检验硬度抽检比例提高到 20%；要求供方提交校准证书。",
        "按外协合同扣罚供方当批加工费 10%，供方评级下调。",
        "供方承担返工和往返运输费用。",
        QUALITY,
        20,
        18,
    )
    dispute = c("dispute")
    add(
        dispute,
        dispute.planned - timedelta(days=20),
        "款项争议",
        "否",
        "",
        "客户以设计变更为由拒付进度款，合同履行中止。",
        "合同未明确设计变更引起的费用和交期调整方式。",
        "发函确认变更内容和费用，申请商会调解；今后合同增加变更计价条款。",
        "",
        "",
        "刘洋",
        45,
        None,
    )
    receivable = b.disputed or c("ontime_period")
    add(
        receivable,
        b.day(-25),
        "款项争议",
        "否",
        "",
        "客户对尾款扣减金额有异议，尚未支付。",
        "验收时对包装破损责任认定不一致。",
        "提供发货照片和物流签收单，与客户对账。",
        "",
        "",
        FINANCE,
        45,
        None,
    )
    complaint = c("ontime_old")
    add(
        complaint,
        after(complaint.actual or complaint.planned, 3, 10),
        "客户投诉",
        "否",
        "",
        "客户反映到货包装箱破损，个别零件表面磕碰。",
        "包装防护等级不够，长途运输未加固。",
        "改用加厚木箱并加防震垫；物流合同增加破损赔偿条款。",
        "",
        "更换磕碰零件并承担运费。",
        "陈静",
        15,
        12,
    )
    complaint2 = c("ontime_period", 1)
    found = min(after(complaint2.actual or complaint2.planned, 3, 10), b.day(-30))
    add(
        complaint2,
        found,
        "客户投诉",
        "否",
        "",
        "客户反映售后报修后 3 天才有人到场，超出承诺的 48 小时。",
        "售后人员同时派往两地，无备岗安排。",
        "建立售后 AB 角和省内片区值班表。",
        "",
        "",
        "张伟",
        10,
        21,
    )
    audit = b.reviewed_late
    assert audit is not None
    add(
        audit,
        b.day(-75),
        "内审发现",
        "否",
        "",
        f"内审抽查发现 {audit.no} 在签订后才完成合同评审。",
        "销售为赶订单先签后审，评审流程缺少签约前的硬性控制。",
        "合同用印前由经营管理部核对评审记录；修订合同评审程序。",
        "",
        "",
        PERF_MANAGER,
        30,
        None,
    )
    self_breach = c("breach_self")
    add(
        self_breach,
        self_breach.planned - timedelta(days=5),
        "其他",
        "是",
        "本方",
        "关键工序设备长期故障，无法在约定期限内完成生产，合同未能履行。",
        "设备预防性维护未落实，缺少备用加工能力。",
        "建立设备点检和预防性维护计划；与两家外协厂签订应急加工协议。",
        "设备主管扣季度绩效；生产副总在管理评审会上作检查。",
        "退还预付款并按合同支付违约金，协助客户另寻供方。",
        PRODUCTION,
        30,
        40,
    )
    force = c("force")
    add(
        force,
        force.planned - timedelta(days=10),
        "其他",
        "是",
        "不可抗力",
        "特大暴雨致厂区停电停产 6 天，道路中断，合同无法按期履行。",
        "极端天气，属不可抗力；备用电源不足。",
        "购置 500kW 备用发电机；修订极端天气应急预案并演练。",
        "经评审属不可抗力，不追究个人责任。",
        "及时书面通知客户并提供证明，协商解除未履行部分，退还相应预付款。",
        PRODUCTION,
        30,
        25,
    )
    other = c("breach_other")
    found = other.planned + timedelta(days=3)
    add(
        other,
        found,
        "其他",
        "是",
        "对方",
        "客户未按约支付进度款，且拒绝接收已完工的部分产品，合同无法继续履行。",
        "",
        "",
        "",
        "",
        "刘洋",
        (b.day(10) - found).days,
        None,
    )
    rows.sort(key=lambda r: _d(r["found_on"]))
    per_year: dict[int, int] = {}
    for row in rows:
        year = _d(row["found_on"]).year
        per_year[year] = per_year.get(year, 0) + 1
        row["issue_no"] = f"WT-{year}-{per_year[year]:02d}"
    return rows


def _documents(b: _Builder) -> list[Row]:
    issued = b.day(-330)
    rows: list[tuple[str, str, str, str, date, str, date | None, str]] = [
        ("YZ/SC-01", "履约管理手册", "手册", "A/1", issued, TOP_MANAGER, b.day(35), "现行"),
        ("YZ/ZD-01", "履约管理岗位责任制度", "制度", "A/0", issued, TOP_MANAGER, b.day(35), "现行"),
        ("YZ/ZD-02", "履约档案管理制度", "制度", "A/0", issued, TOP_MANAGER, b.day(35), "现行"),
        (
            "YZ/ZD-03",
            "合作方履约情况调查管理制度",
            "制度",
            "A/0",
            issued,
            TOP_MANAGER,
            b.day(35),
            "现行",
        ),
        (
            "YZ/ZD-04",
            "合同（招投标）履约管理制度",
            "制度",
            "A/1",
            b.day(-150),
            TOP_MANAGER,
            b.day(215),
            "现行",
        ),
        ("YZ/ZD-05", "履约过程风险管控制度", "制度", "A/0", issued, TOP_MANAGER, b.day(35), "现行"),
        (
            "YZ/ZD-06",
            "内外部履约责任追究制度",
            "制度",
            "A/0",
            issued,
            TOP_MANAGER,
            b.day(35),
            "现行",
        ),
        (
            "YZ/GL-07",
            "合同管理办法（2019 版）",
            "制度",
            "2019",
            b.day(-2200),
            TOP_MANAGER,
            None,
            "作废",
        ),
        ("YZ/CX-01", "合同评审程序", "程序", "A/1", b.day(-150), PERF_MANAGER, b.day(215), "现行"),
        (
            "YZ/CX-02",
            "供应商评价与分级程序",
            "程序",
            "A/0",
            b.day(-395),
            PERF_MANAGER,
            b.day(-30),
            "现行",
        ),
        (
            "YZ/CX-03",
            "履约问题处置与纠正措施程序",
            "程序",
            "A/0",
            issued,
            PERF_MANAGER,
            b.day(35),
            "现行",
        ),
        (
            "YZ/CX-04",
            "内部审核与管理评审程序",
            "程序",
            "A/0",
            issued,
            PERF_MANAGER,
            b.day(35),
            "现行",
        ),
        ("YZ/JL-01", "合同评审记录表", "记录", "A/0", issued, PERF_MANAGER, b.day(35), "现行"),
        ("YZ/JL-02", "合作方信用核查表", "记录", "A/0", issued, PERF_MANAGER, b.day(35), "现行"),
        ("YZ/JL-03", "履约问题处理单", "记录", "A/0", issued, PERF_MANAGER, b.day(35), "现行"),
        (
            "WB-01",
            "Q/QJC 002—2025《履约能力管理体系 要求》",
            "外来文件",
            "2025",
            date(2025, 7, 20),
            PERF_MANAGER,
            None,
            "现行",
        ),
    ]
    return [
        {
            "doc_no": no,
            "name": name,
            "category": category,
            "version": version,
            "issued_on": issued_on,
            "approver": approver,
            "next_review": next_review,
            "status": status,
        }
        for no, name, category, version, issued_on, approver, next_review, status in rows
    ]


def _context(b: _Builder) -> list[Row]:
    reviewed = b.day(-65)
    rows = [
        (
            "HJ-01",
            "内部环境",
            "履约意识",
            "销售重签单、轻评审，部分员工把交期当作弹性目标。",
            "方针宣贯、履约培训和交期考核。",
            "经营管理部",
        ),
        (
            "HJ-02",
            "内部环境",
            "产能与设备",
            "五轴加工中心和大型立车为瓶颈设备，故障直接影响交期。",
            "预防性维护、外协应急加工协议。",
            "生产部",
        ),
        (
            "HJ-03",
            "内部环境",
            "资金状况",
            "应收账款占营收约 35%，回款慢时影响采购。",
            "回款周报和逾期应收预警。",
            "财务部",
        ),
        (
            "HJ-04",
            "外部环境",
            "法律法规",
            "《民法典》合同编、《产品质量法》、《安全生产法》对履约和质量提出要求。",
            "每半年识别一次适用法规并更新承诺。",
            "经营管理部",
        ),
        (
            "HJ-05",
            "外部环境",
            "市场与竞争",
            "本地同类机加工企业多，客户以交期和质量择优，价格竞争激烈。",
            "以准时交付和质量稳定作为差异化优势。",
            "销售部",
        ),
        (
            "HJ-06",
            "外部环境",
            "原材料市场",
            "钢材、铸锻件价格波动明显。",
            "锁价协议和安全库存。",
            "采购部",
        ),
        (
            "HJ-07",
            "外部环境",
            "信用监管",
            "政府采购和国企招标越来越看重企业信用和履约记录。",
            "申请履约能力认证，维护信用记录。",
            "经营管理部",
        ),
        (
            "XG-01",
            "相关方",
            "客户",
            "质量合格、按时交付、价格合理、售后及时。",
            "合同评审、交期跟踪、售后 24 小时响应。",
            "销售部",
        ),
        (
            "XG-02",
            "相关方",
            "供应商",
            "合作稳定、按时付款、需求提前沟通。",
            "季度需求预测、验收后 30 日内付款。",
            "采购部",
        ),
        (
            "XG-03",
            "相关方",
            "员工",
            "职责清楚、有培训、有激励。",
            "岗位责任制度、培训计划、履约绩效奖。",
            "综合办公室",
        ),
        (
            "XG-04",
            "相关方",
            "监管机构",
            "质量、安全、环保合规。",
            "合规义务清单和年度自查。",
            "经营管理部",
        ),
        (
            "XG-05",
            "相关方",
            "股东",
            "履约稳定带来经营效益和市场信誉。",
            "管理评审通报履约指标。",
            "总经理",
        ),
    ]
    return [
        {
            "context_no": no,
            "category": category,
            "subject": subject,
            "expectation": expectation,
            "response": response,
            "department": dept,
            "reviewed_on": reviewed,
        }
        for no, category, subject, expectation, response, dept in rows
    ]


def _roles(b: _Builder) -> list[Row]:
    appointed = b.day(-340)
    rows = [
        (
            "总经理",
            TOP_MANAGER,
            "批准履约能力方针、目标和制度；提供资源；主持管理评审。",
            "制度批准权、重大合同签约权、责任追究最终决定权",
        ),
        (
            "履约管理岗（经营管理部）",
            PERF_MANAGER,
            "组织制定、修订履约目标和制度；维护履约台账；每月统计指标和预警；组织培训、内审和问题跟踪。",
            "要求各部门提供履约信息；对不符合提出整改要求；向总经理直接报告",
        ),
        (
            "销售部",
            SALES[0],
            "组织合同评审；跟踪客户合同交付和回款；处理客户投诉和满意度调查。",
            "合同谈判权；对交期过短的订单提出暂缓签订",
        ),
        (
            "生产部",
            PRODUCTION,
            "按合同排产并跟踪关键节点；设备维护；延误时提前预警。",
            "生产调度权；外协加工申请权",
        ),
        (
            "采购部",
            BUYERS[0],
            "供方选择、信用核查和评价；签订采购合同和履约保障协议；跟踪到货。",
            "供方准入和暂停建议权",
        ),
        (
            "质检部",
            QUALITY,
            "进货、过程和出厂检验；组织不合格品处置和质量问题分析。",
            "不合格品停止放行权",
        ),
        ("财务部", FINANCE, "应收应付统计，回款和付款预警；违约金和补偿款核算。", "付款审核权"),
    ]
    competence = {
        "总经理": ("熟悉本单位业务和履约管理体系要求", "任职文件"),
        "履约管理岗（经营管理部）": (
            "熟悉 Q/QJC 002—2025、合同法律和台账使用",
            "内审员证书；PX-05 考核合格",
        ),
        "销售部": ("掌握合同评审要点和常见履约风险", "PX-01 考核合格"),
        "生产部": ("能按合同排产并识别交期风险", "岗位任职评价"),
        "采购部": ("能做供方信用核查和履约评价", "PX-06 考核合格"),
        "质检部": ("持检验员资格，熟悉产品标准", "检验员资格证"),
        "财务部": ("熟悉应收应付管理和违约金核算", "会计专业技术资格证"),
    }
    return [
        {
            "post": post,
            "person": person,
            "duties": duties,
            "authority": authority,
            "appointed_on": appointed,
            "competence": competence[post][0],
            "qualification": competence[post][1],
        }
        for post, person, duties, authority in rows
    ]


def _resources(b: _Builder) -> list[Row]:
    """资源核查: the yearly resource review (管理评审 input) and the emergency stock check."""
    checked = b.day(-62)
    rows = [
        ("人员", "生产和检验人员配置", checked, "满足", "人员花名册及岗位资格一览表"),
        ("设备", "数控车床、热处理炉", checked, "基本满足", "设备点检记录 SB-2026-05"),
        ("物料", "主要钢材和外购件库存", checked, "满足", "库存月报 KC-2026-04"),
        ("资金", "流动资金和授信额度", checked, "满足", "财务月报 CW-2026-04"),
        ("应急资源", "备用发电机和备用外协厂", b.day(-45), "满足", "应急物资检查表 YJ-2026-01"),
    ]
    return [
        {"category": c, "name": n, "checked_on": d, "conclusion": r, "evidence": e}
        for c, n, d, r, e in rows
    ]


def _training(b: _Builder) -> list[Row]:
    rows = [
        (
            "PX-01",
            -600,
            "合同评审要点与常见履约风险",
            "销售部、生产部、采购部",
            18,
            SALES[0],
            "合格",
        ),
        ("PX-02", -420, "《民法典》合同编与违约责任", "中层以上管理人员", 14, "外聘律师", "合格"),
        (
            "PX-03",
            -300,
            "Q/QJC 002—2025 标准解读与体系文件宣贯",
            "全体管理人员",
            26,
            "外聘咨询师",
            "合格",
        ),
        (
            "PX-04",
            -150,
            "履约台账录入与预警处理",
            "各部门台账录入人员",
            9,
            PERF_MANAGER,
            "部分合格",
        ),
        ("PX-05", -95, "内部审核员培训", "内审员", 5, "外聘咨询师", "合格"),
        ("PX-06", -40, "供方履约评价与信用核查实务", "采购部、质检部", 7, BUYERS[0], "合格"),
    ]
    return [
        {
            "training_no": no,
            "held_on": b.day(days),
            "topic": topic,
            "audience": audience,
            "attendees": attendees,
            "trainer": trainer,
            "result": result,
        }
        for no, days, topic, audience, attendees, trainer, result in rows
    ]


def _emergency(b: _Builder) -> list[Row]:
    return [
        {
            "plan_no": "YJ-01",
            "name": "关键设备故障应急预案",
            "scenario": "瓶颈设备故障预计停机超过 24 小时，影响在制合同交期",
            "issued_on": b.day(-330),
            "drilled_on": b.day(-120),
            "drill_result": "2 小时内完成外协转移和客户通知，预案有效；补充了外协厂联系人清单。",
            "owner": PRODUCTION,
        },
        {
            "plan_no": "YJ-02",
            "name": "供应链中断应急预案",
            "scenario": "核心供方停产、断供或信用异常，关键材料无法按期到货",
            "issued_on": b.day(-330),
            "drilled_on": b.day(-55),
            "drill_result": "桌面推演：备选供方 3 天内可供货，需提前签订框架协议。",
            "owner": BUYERS[0],
        },
        {
            "plan_no": "YJ-03",
            "name": "极端天气停产应急预案",
            "scenario": "暴雨、暴雪等导致停电、停产或道路中断",
            "issued_on": b.day(-380),
            "drilled_on": b.day(-365 - 20),
            "drill_result": "备用发电机 15 分钟内启动；排水泵位置需调整。",
            "owner": PRODUCTION,
        },
    ]


def _changes(b: _Builder, first: Pick) -> list[Row]:
    late_o = first("late_old")
    terminated = first("terminated")
    return [
        {
            "change_no": "BG-01",
            "changed_on": min(late_o.planned - timedelta(days=2), b.t),
            "contract_no": late_o.no,
            "content": "客户变更关键尺寸，交期顺延，签订补充协议。",
            "reason": "客户设计变更",
            "impact": "需重新编程和采购部分材料，产能可承受；交期顺延。",
            "approver": TOP_MANAGER,
            "status": "已实施",
        },
        {
            "change_no": "BG-02",
            "changed_on": b.day(-340),
            "contract_no": None,
            "content": "设立经营管理部履约管理岗，由李红梅兼任，统一归口履约台账。",
            "reason": "建立履约能力管理体系",
            "impact": "职责重新分配，各部门需按月提交履约信息。",
            "approver": TOP_MANAGER,
            "status": "已实施",
        },
        {
            "change_no": "BG-03",
            "changed_on": b.day(-100),
            "contract_no": None,
            "content": "新增禹州第二家热处理外协供方，分流热处理订单。",
            "reason": "原外协厂交期和质量不稳定",
            "impact": "需完成样件认证和信用核查；短期采购成本略增。",
            "approver": TOP_MANAGER,
            "status": "已实施",
        },
        {
            "change_no": "BG-04",
            "changed_on": min(terminated.planned - timedelta(days=20), b.t),
            "contract_no": terminated.no,
            "content": "经双方协商解除合同，预付款冲抵已发生的材料费用。",
            "reason": "客户项目取消",
            "impact": "已采购材料转用于其他订单，损失可控。",
            "approver": TOP_MANAGER,
            "status": "已实施",
        },
    ]


def _audits(b: _Builder) -> list[Row]:
    audit = b.day(-75)
    review = b.day(-60)
    rows = [
        (
            "SH-01",
            "内审",
            audit,
            "6.3.2",
            "符合",
            "六项履约管理制度均已由总经理签署发布并在车间、办公室公示。",
            "",
            "经营管理部",
            None,
            "李红梅",
        ),
        (
            "SH-02",
            "内审",
            audit,
            "9.2",
            "不符合",
            "抽查 10 份合同，1 份在签订后才完成评审。",
            "合同用印前核对评审记录；修订合同评审程序。",
            "销售部",
            None,
            "李红梅",
        ),
        (
            "SH-03",
            "内审",
            audit,
            "9.5",
            "不符合",
            "1 家核心锻件供方未签订履约保障协议。",
            "限期签订协议；未签前控制订单量。",
            "采购部",
            None,
            "李红梅",
        ),
        (
            "SH-08",
            "内审",
            audit,
            "7.2",
            "不符合",
            "自愿性承诺“台账上线及全员培训”已过期限未兑现。",
            "补充生产部、采购部培训，完成后关闭。",
            "经营管理部",
            None,
            "李红梅",
        ),
        (
            "SH-04",
            "内审",
            audit,
            "8.3",
            "观察项",
            "供应商评价与分级程序已到评审期尚未评审。",
            "",
            "经营管理部",
            None,
            "李红梅",
        ),
        (
            "SH-05",
            "内审",
            audit,
            "8.1.2",
            "符合",
            "培训计划按期实施，记录完整。",
            "",
            "综合办公室",
            None,
            "李红梅",
        ),
        (
            "SH-09",
            "内审",
            audit,
            "4.1 5.1 5.2",
            "符合",
            "手册写明了八项原则的落实方式；环境因素和相关方已登记并在一年内评审。",
            "",
            "经营管理部",
            None,
            "李红梅",
        ),
        (
            "SH-10",
            "内审",
            audit,
            "10.2",
            "观察项",
            "目标达成情况按月统计，但部分未达成目标尚未分析原因。",
            "",
            "经营管理部",
            None,
            "李红梅",
        ),
        (
            "SH-11",
            "内审",
            audit,
            "11.2",
            "符合",
            "改进项有措施和计划完成日期，已完成的有效果评价。",
            "",
            "经营管理部",
            None,
            "李红梅",
        ),
        (
            "SH-06",
            "管理评审",
            review,
            "10.4",
            "改进建议",
            "上半年合同履约率、按时交付率未达目标，主要原因是外协延误和接单交期过短。",
            "加强交期评审和外协管理，纳入持续改进。",
            "总经理",
            None,
            TOP_MANAGER,
        ),
        (
            "SH-07",
            "管理评审",
            review,
            "6.3.1",
            "符合",
            "履约目标可测量、已分解到部门，方针仍然适宜。",
            "",
            "总经理",
            None,
            TOP_MANAGER,
        ),
    ]
    return [
        {
            "finding_no": no,
            "audit_type": kind,
            "audited_on": day,
            "clause": clause,
            "finding_type": finding_type,
            "finding": finding,
            "corrective_action": action or None,
            "department": dept,
            "closed_on": b.past(closed),
            "auditor": auditor,
        }
        for no, kind, day, clause, finding_type, finding, action, dept, closed, auditor in rows
    ]


def _improvements(b: _Builder) -> list[Row]:
    rows = [
        (
            "GJ-01",
            -300,
            "履约问题",
            "延迟交付多因外协延误",
            "外协件排产预留缓冲期，建立外协周进度表",
            "生产部",
            -240,
            -245,
            "外协延误次数由每季度 4 次降到 1 次",
        ),
        (
            "GJ-02",
            -200,
            "客户反馈",
            "到货包装破损投诉",
            "改用加厚木箱和防震包装标准",
            "生产部",
            -170,
            -175,
            "此后未再收到包装破损投诉",
        ),
        (
            "GJ-03",
            -75,
            "内审",
            "合同先签后审",
            "用印前核对评审记录，修订合同评审程序",
            "销售部",
            -30,
            None,
            "",
        ),
        (
            "GJ-04",
            -60,
            "管理评审",
            "交期和回款预警依赖人工",
            "上线 Excel 履约台账，自动计算指标和预警",
            "经营管理部",
            -10,
            -12,
            "逾期事项可在周例会前自动列出",
        ),
        (
            "GJ-05",
            -40,
            "风险机遇",
            "热处理供方单一",
            "开发并认证第二家热处理外协厂",
            "采购部",
            30,
            None,
            "",
        ),
    ]
    causes = {
        "GJ-01": "MB-02 按时交付率未达成：外协件排产没有缓冲期，外协延误直接造成交付延期",
        "GJ-02": "木箱强度不足，长途运输中受压破损",
        "GJ-03": "合同用印前没有核对评审记录",
    }
    return [
        {
            "improvement_no": no,
            "raised_on": b.day(raised),
            "source": source,
            "content": content,
            "action": action,
            "department": dept,
            "planned": b.day(planned),
            "completed_on": b.day(done) if done is not None else None,
            "effect": effect or None,
            "cause": causes.get(no),
        }
        for no, raised, source, content, action, dept, planned, done, effect in rows
    ]


# --- writing the workbook ------------------------------------------------------------------------


def write_demo_workbook(path: Path, seed: int = 2025, as_of: date = DEFAULT_AS_OF) -> Path:
    """Create the demo workbook at ``path`` from the template and fill every record sheet."""
    from openpyxl import load_workbook

    from lyue_xl.workbook.template import (
        AMOUNT_FMT,
        DATE_FMT,
        FIRST_DATA_ROW,
        HEADER_ROW,
        LONG_TEXT_WIDTH,
        new_workbook,
    )

    path = Path(path)
    records = build_demo_records(seed, as_of)
    new_workbook(path, ORG_NAME, force=True)
    book = load_workbook(path)
    for sheet in schema.SHEETS:
        rows = records.get(sheet.name, [])
        ws = book[sheet.name]
        if sheet.is_keyvalue:
            label_rows = {
                fold(ws.cell(r, 1).value): r
                for r in range(FIRST_DATA_ROW, ws.max_row + 1)
                if isinstance(ws.cell(r, 1).value, str)
            }
            for item in rows:
                cell = ws.cell(label_rows[fold(item["项目"])], 2)
                value = item["内容"]
                cell.value = value
                if isinstance(value, date):
                    cell.number_format = DATE_FMT
                elif isinstance(value, str):
                    _fit_height(ws, cell.row, [(value, _width(ws, 2))])
            continue
        header = {
            fold(ws.cell(HEADER_ROW, c).value): c
            for c in range(1, ws.max_column + 1)
            if ws.cell(HEADER_ROW, c).value
        }
        column_styles = {}
        for dim in ws.column_dimensions.values():
            if dim.min is None or dim.max is None:
                continue
            for index in range(dim.min, dim.max + 1):
                column_styles[index] = dim
        types = {col.label: col.type for col in sheet.columns}
        widths = {col.label: col.width for col in sheet.columns if col.type == "text"}
        for offset, row in enumerate(rows):
            for label, value in row.items():
                if value is None or value == "":
                    continue
                cell = ws.cell(FIRST_DATA_ROW + offset, header[fold(label)])
                dim = column_styles.get(cell.column)
                if dim is not None and dim.has_style:
                    cell._style = copy(dim._style)
                cell.value = value
                kind = types[label]
                if kind == "date" and cell.number_format != DATE_FMT:
                    cell.number_format = DATE_FMT
                elif kind == "amount" and cell.number_format != AMOUNT_FMT:
                    cell.number_format = AMOUNT_FMT
                elif kind == "target" and isinstance(value, float) and value <= 1:
                    cell.number_format = "0%"
            wrapped = [
                (str(value), _width(ws, header[fold(label)]))
                for label, value in row.items()
                if isinstance(value, str) and widths.get(label, 0) >= LONG_TEXT_WIDTH
            ]
            _fit_height(ws, FIRST_DATA_ROW + offset, wrapped)
    book.save(path)
    return path


def _width(ws: Any, column: int) -> float:
    """The width of 1-based ``column`` (openpyxl keeps a run of equal columns as one entry)."""
    for dim in ws.column_dimensions.values():
        if dim.min is not None and dim.max is not None and dim.min <= column <= dim.max:
            return float(dim.width or 10)
    return 10.0


def _fit_height(ws: Any, row: int, cells: list[tuple[str, float]]) -> None:
    """Rows of long text written here get their height (LibreOffice does not grow them)."""
    from lyue_xl.workbook.template import wrapped_height

    height = wrapped_height(cells)
    if height and height > (ws.row_dimensions[row].height or 0):
        ws.row_dimensions[row].height = height


DEMO_WORKBOOK = f"{ORG_NAME}-履约管理台账.xlsx"


def run_demo(folder: Path, progress: Callable[[str], None] | None = None) -> list[str]:
    """`lyue-xl demo`: the demo firm's workbook, refreshed, with every document beside it.

    Returns the lines to show the user (what was written where).
    """
    from lyue_xl.errors import LyueError
    from lyue_xl.refresh import refresh

    say = progress or (lambda _message: None)
    folder = Path(folder).resolve()
    if folder.exists() and not folder.is_dir():
        raise LyueError(f"“{folder}”是一个文件，不是文件夹；请换一个输出文件夹。")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / DEMO_WORKBOOK
    say("生成示例企业台账")
    write_demo_workbook(path)  # an earlier demo workbook (perhaps edited) is backed up here
    say("刷新指标、预警和体系自评")
    from lyue_xl.workbook.safe_write import BACKUP_DIR

    backups = path.parent / BACKUP_DIR
    before = set(backups.glob(f"{path.stem}-*{path.suffix}")) if backups.is_dir() else set()
    result = refresh(path, progress=progress)
    # the copy refresh keeps is of the file written a moment ago: nothing of the user's
    for fresh in set(backups.glob(f"{path.stem}-*{path.suffix}")) - before:
        fresh.unlink(missing_ok=True)
    lines = [
        f"示例企业台账：{path}",
        f"  {len(result.analysis.alerts)} 条预警，体系自评就绪度 "
        f"{result.analysis.assessment.readiness_text}",
    ]
    from lyue_xl.documents import DOCUMENT_KINDS, write_document

    for kind, label in DOCUMENT_KINDS.items():
        say(f"生成{label}")
        lines.append(f"{label}：{write_document(kind, result.analysis, None)}")
    return lines


# --- issue 11: contract-review content, evaluations, verification, management review ---------


def _add_review_records(b: _Builder, records: dict[str, list[Row]]) -> None:
    """Fill the 9.2 a–c review fields, 评价期间/评价人, the verification of closed problems and
    findings, and the 管理评审 outputs (additive: no random draw, so nothing else moves)."""
    risks = (
        "原材料价格波动：与钢材供应商签订季度锁价协议",
        "交期偏紧：关键工序排产前置，外协备选两家",
        "客户付款能力一般：预付 30%，发货前收清进度款",
    )
    for i, row in enumerate(records[schema.CONTRACTS.name]):
        if row.get("评审日期") is None:
            continue  # never reviewed: the form shows blank lines to fill
        income = row["合同性质"] == "收入性"
        rejected = row.get("评审结论") == "不通过"
        row["评审部门"] = "销售部、技术部、生产部、财务部" if income else "采购部、质检部、财务部"
        large = _f(row.get("合同金额（元）") or 0) >= 1_000_000
        row["评审人"] = TOP_MANAGER if large else PERF_MANAGER
        if i % 7 == 3:
            continue  # reviewed, but the content was not written down
        row["能力评估"] = (
            "不满足：现有产能无法在约定期限内交付" if rejected else "满足：设备、人员和交期可保证"
        )
        row["风险及措施"] = risks[i % len(risks)]
        row["条款合规"] = "合规" if i % 5 else "合规；违约金比例偏高，已协商降至 5%"
    period = f"{b.p.year}年{b.p.month}月—{b.t.month}月"
    suppliers = records[schema.SUPPLIERS.name]
    for row in suppliers[:-1]:
        row["评价期间"] = period
        row["评价人"] = BUYERS[0]
    for row in records[schema.ISSUES.name]:
        if row.get("是否违约") == "是":
            row["影响评估"] = (
                f"影响合同 {row.get('合同编号') or '—'} 的交付和客户满意度，未波及其他合同"
            )
            row["与相关方沟通"] = (
                f"{_d(row['发现日期']).isoformat()} 电话告知客户并书面确认处理方案"
            )
        if row.get("关闭日期") is not None:
            row["验证人"] = QUALITY
            row["验证日期"] = row["关闭日期"]
            row["是否有效"] = "是"
    for row in records[schema.AUDITS.name]:
        if row.get("关闭日期") is not None:
            row["验证人"] = PERF_MANAGER
            row["验证日期"] = row["关闭日期"]
            row["是否有效"] = "是"
    review = b.day(-60)
    outputs = [
        (
            "PS-01",
            "外协加工纳入合同评审：接单前书面确认外协厂交期",
            "备选外协厂 2 家",
            "生产部",
            b.day(-10),
            "进行中",
        ),
        (
            "PS-02",
            "经营管理部增配一名履约管理员，负责台账和预警跟踪",
            "人员编制 1 名，年度费用约 9 万元",
            "经营管理部",
            b.day(30),
            "进行中",
        ),
        (
            "PS-03",
            "下半年合同履约率目标保持 95%、按时交付率目标保持 90%",
            "",
            "经营管理部",
            b.day(-45),
            "已完成",
        ),
        ("PS-04", "修订《合同评审程序》，增加外协交期确认栏", "", "销售部", b.day(20), "未开始"),
    ]
    records[schema.REVIEW_OUTPUTS.name] = _labelled(
        schema.REVIEW_OUTPUTS,
        [
            {
                "output_no": no,
                "reviewed_on": review,
                "decision": decision,
                "resources": resources or None,
                "department": department,
                "deadline": deadline,
                "status": status,
            }
            for no, decision, resources, department, deadline, status in outputs
        ],
    )
