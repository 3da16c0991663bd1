"""Mutation testing of the engine's pure modules: does a small change to the code fail a test?

    .venv/bin/python tools/mutate.py                      # every module, every mutant
    .venv/bin/python tools/mutate.py alerts --sample 0.5  # half of the mutants of one module
    .venv/bin/python tools/mutate.py --jobs 2 --report docs/mutation-report.txt

Mutants (one change each, made on the module's syntax tree):
comparisons (< ↔ <=, > ↔ >=, == ↔ !=, in ↔ not in, is ↔ is not), & ↔ |, and ↔ or,
integer constants ±1, min ↔ max, isna ↔ notna, ~x / not x → x, and deleted statements
(an assignment, expression or raise replaced by ``pass``).

How it runs: the parent process imports the package and the module's fast test files and runs
them once (they must pass, and their workbooks are built then and cached in memory); then each
mutant runs in a forked child that executes the mutated module into the live module object,
rebinds the names other modules imported from it, and runs the same tests with ``-x``. A
mutant is killed when a test fails (or errors, or times out). Mutants listed in
tools/mutation_equivalent.txt are equivalent (no test can tell them apart) and are counted apart.
"""

from __future__ import annotations

import argparse
import ast
import io
import os
import random
import signal
import sys
import time
import types
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src"
TESTS = REPO / "tests"

# module → the fast test files that judge it
MODULES: dict[str, tuple[str, ...]] = {
    "indicators": ("test_engine_rules.py", "test_objective_period.py"),
    "windows": ("test_engine_rules.py",),
    "definitions": ("test_engine_rules.py", "test_objective_period.py", "test_alert_catalogue.py"),
    "grading": ("test_engine_rules.py", "test_objective_period.py", "test_supplier_grading.py"),
    "alerts": ("test_alert_rules.py", "test_alert_catalogue.py"),
    "period": ("test_period.py", "test_engine_rules.py"),
    "parsing": ("test_parsing.py",),
}
EQUIVALENT_FILE = Path(__file__).with_name("mutation_equivalent.txt")
SWAP_COMPARE: dict[type, type] = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}
OP_TEXT = {
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.In: "in",
    ast.NotIn: "not in",
    ast.Is: "is",
    ast.IsNot: "is not",
}
SWAP_NAME = {"min": "max", "max": "min", "isna": "notna", "notna": "isna"}


@dataclass(frozen=True)
class Mutant:
    module: str
    index: int
    line: int
    what: str
    source: str  # the line as written

    @property
    def key(self) -> str:
        """Stable across edits elsewhere in the file: module, change and the line's text."""
        return f"{self.module} | {self.what} | {self.source}"


class _Mutator(ast.NodeTransformer):
    """Walks the tree numbering every mutation point; applies the one numbered ``target``."""

    def __init__(self, target: int | None = None) -> None:
        self.target = target
        self.count = 0
        self.points: list[tuple[int, str]] = []

    def _point(self, node: ast.AST, what: str) -> bool:
        index = self.count
        self.count += 1
        self.points.append((getattr(node, "lineno", 0), what))
        return index == self.target

    # skip what is not behaviour: annotations and docstrings
    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.AST:
        node.returns = node.returns  # annotations are not visited
        node.args.defaults = [self.visit(d) for d in node.args.defaults]
        node.args.kw_defaults = [
            self.visit(d) if d is not None else None for d in node.args.kw_defaults
        ]
        node.decorator_list = [self.visit(d) for d in node.decorator_list]
        node.body = self._body(node.body)
        return node

    visit_AsyncFunctionDef = visit_FunctionDef  # type: ignore[assignment]

    def visit_ClassDef(self, node: ast.ClassDef) -> ast.AST:
        node.decorator_list = [self.visit(d) for d in node.decorator_list]
        node.body = self._body(node.body, in_class=True)
        return node

    def visit_AnnAssign(self, node: ast.AnnAssign) -> ast.AST:
        if node.value is not None:
            node.value = self.visit(node.value)
        return node

    def _body(self, body: list[ast.stmt], in_class: bool = False) -> list[ast.stmt]:
        out: list[ast.stmt] = []
        for i, stmt in enumerate(body):
            docstring = (
                i == 0 and isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)
            )
            deletable = (
                not docstring
                and not in_class
                and isinstance(stmt, ast.Assign | ast.AugAssign | ast.Expr | ast.Raise)
            )
            if deletable and self._point(stmt, "delete statement"):
                out.append(ast.copy_location(ast.Pass(), stmt))
                continue
            visited = self.visit(stmt)
            out.append(visited)  # type: ignore[arg-type]
        return out

    def visit_If(self, node: ast.If) -> ast.AST:
        node.test = self.visit(node.test)
        node.body = self._body(node.body)
        node.orelse = self._body(node.orelse)
        return node

    def visit_For(self, node: ast.For) -> ast.AST:
        node.iter = self.visit(node.iter)
        node.body = self._body(node.body)
        node.orelse = self._body(node.orelse)
        return node

    def visit_While(self, node: ast.While) -> ast.AST:
        node.test = self.visit(node.test)
        node.body = self._body(node.body)
        return node

    def visit_With(self, node: ast.With) -> ast.AST:
        node.items = [self.visit(i) for i in node.items]  # type: ignore[misc]
        node.body = self._body(node.body)
        return node

    def visit_Try(self, node: ast.Try) -> ast.AST:
        node.body = self._body(node.body)
        for handler in node.handlers:
            handler.body = self._body(handler.body)
        node.orelse = self._body(node.orelse)
        node.finalbody = self._body(node.finalbody)
        return node

    def visit_Compare(self, node: ast.Compare) -> ast.AST:
        self.generic_visit(node)
        for i, op in enumerate(node.ops):
            swap = SWAP_COMPARE.get(type(op))
            if swap is not None and self._point(
                node, f"{OP_TEXT[type(op)]} → {OP_TEXT[swap]} (#{i + 1})"
            ):
                node.ops[i] = swap()
        return node

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.op, ast.BitAnd) and self._point(node, "& → |"):
            node.op = ast.BitOr()
        elif isinstance(node.op, ast.BitOr) and self._point(node, "| → &"):
            node.op = ast.BitAnd()
        return node

    def visit_BoolOp(self, node: ast.BoolOp) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.op, ast.And) and self._point(node, "and → or"):
            node.op = ast.Or()
        elif isinstance(node.op, ast.Or) and self._point(node, "or → and"):
            node.op = ast.And()
        return node

    def visit_UnaryOp(self, node: ast.UnaryOp) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.op, ast.Invert) and self._point(node, "~x → x"):
            return node.operand
        if isinstance(node.op, ast.Not) and self._point(node, "not x → x"):
            return node.operand
        return node

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        value = node.value
        if isinstance(value, int) and not isinstance(value, bool):
            for delta in (1, -1):
                if self._point(node, f"{value} → {value + delta}"):
                    return ast.copy_location(ast.Constant(value + delta), node)
        return node

    def visit_Name(self, node: ast.Name) -> ast.AST:
        swap = SWAP_NAME.get(node.id)
        if (
            swap is not None
            and node.id in ("min", "max")
            and self._point(node, f"{node.id} → {swap}")
        ):
            return ast.copy_location(ast.Name(swap, node.ctx), node)
        return node

    def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
        self.generic_visit(node)
        swap = SWAP_NAME.get(node.attr)
        if (
            swap is not None
            and node.attr in ("isna", "notna")
            and self._point(node, f".{node.attr} → .{swap}")
        ):
            node.attr = swap
        return node


def module_path(module: str) -> Path:
    return SRC / "lyue_xl" / f"{module}.py"


def mutants_of(module: str) -> list[Mutant]:
    source = module_path(module).read_text("utf-8")
    lines = source.splitlines()
    walker = _Mutator()
    walker.visit(ast.parse(source))
    mutants = []
    seen: dict[tuple[str, str], int] = {}
    for i, (line, what) in enumerate(walker.points):
        source = lines[line - 1].strip() if line else ""
        nth = seen[(what, source)] = seen.get((what, source), 0) + 1
        mutants.append(Mutant(module, i, line, what if nth == 1 else f"{what} [{nth}]", source))
    return mutants


def mutated_code(module: str, index: int) -> types.CodeType:
    path = module_path(module)
    tree = ast.parse(path.read_text("utf-8"))
    walker = _Mutator(index)
    tree = walker.visit(tree)
    ast.fix_missing_locations(tree)
    return compile(tree, str(path), "exec")


def _install(module: str, code: types.CodeType) -> None:
    """Execute ``code`` into the live module and rebind what other modules imported from it."""
    live = sys.modules[f"lyue_xl.{module}"]
    old = dict(vars(live))
    exec(code, vars(live))
    new = vars(live)
    # functions, classes and containers made afresh (a dict of rules, a list); never numbers or
    # text, which Python shares between unrelated names
    replaced = {
        id(value): new[name]
        for name, value in old.items()
        if name in new and new[name] is not value and _rebindable(value)
    }
    for other in list(sys.modules.values()):
        if other is live or other is None:
            continue
        name = getattr(other, "__name__", "")
        if not (name.startswith("lyue_xl") or name.startswith("test_") or name == "helpers"):
            continue
        for attr, value in list(vars(other).items()):
            if id(value) in replaced:
                setattr(other, attr, replaced[id(value)])


def _rebindable(value: object) -> bool:
    if value is None or isinstance(value, int | float | str | bytes | types.ModuleType):
        return False
    return not (isinstance(value, tuple) and not value)


def _pytest(files: tuple[str, ...], extra: tuple[str, ...] = ()) -> int:
    import pytest

    args = [str(TESTS / f) for f in files]
    sink = io.StringIO()
    with redirect_stdout(sink), redirect_stderr(sink):
        return int(
            pytest.main([*args, "-q", "-p", "no:cacheprovider", "-p", "no:randomly", *extra])
        )


def _run_child(mutant: Mutant, files: tuple[str, ...]) -> int:
    """In a forked child: install the mutant and run the tests (exit 0 = it survived)."""
    try:
        _install(mutant.module, mutated_code(mutant.module, mutant.index))
    except Exception:
        return 1  # a mutant that cannot even load is killed
    return 0 if _pytest(files, ("-x",)) == 0 else 1


def load_equivalent() -> dict[str, str]:
    """key → why, from tools/mutation_equivalent.txt (``key  # why`` lines)."""
    found: dict[str, str] = {}
    if EQUIVALENT_FILE.exists():
        for line in EQUIVALENT_FILE.read_text("utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                key, _, why = line.partition("  # ")
                found[key.strip()] = why.strip()
    return found


def run_module(
    module: str, sample: float, jobs: int, timeout: float, seed: int, log: io.TextIOBase
) -> dict[str, object]:
    files = MODULES[module]
    started = time.monotonic()
    if _pytest(files) != 0:
        raise SystemExit(f"{module}: the tests fail without any mutant; fix them first")
    baseline = time.monotonic() - started
    mutants = mutants_of(module)
    if sample < 1:
        rng = random.Random(f"{seed}-{module}")
        mutants = sorted(rng.sample(mutants, round(len(mutants) * sample)), key=lambda m: m.index)
    equivalent = load_equivalent()
    survived: list[Mutant] = []
    excluded: list[Mutant] = []
    killed = 0
    running: dict[int, tuple[Mutant, float]] = {}
    queue = [m for m in mutants if m.key not in equivalent]
    excluded = [m for m in mutants if m.key in equivalent]
    limit = max(timeout, 10 * baseline)

    def reap(block: bool) -> None:
        nonlocal killed
        while running:
            pid, status = os.waitpid(-1, 0 if block else os.WNOHANG)
            if pid == 0:
                break
            mutant, _ = running.pop(pid)
            code = os.waitstatus_to_exitcode(status)
            if code == 0:
                survived.append(mutant)
                log.write(f"SURVIVED {mutant.key}  (line {mutant.line})\n")
                log.flush()
            else:
                killed += 1
            if block:
                return
        now = time.monotonic()
        for pid, (_, began) in list(running.items()):
            if now - began > limit:
                os.kill(pid, signal.SIGKILL)

    for done, mutant in enumerate(queue):
        if done and done % 25 == 0:
            log.write(f"{module}: {done}/{len(queue)} run, {len(survived)} survived so far\n")
            log.flush()
        while len(running) >= jobs:
            reap(block=False)
            time.sleep(0.02)
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                code = _run_child(mutant, files)
            finally:
                os._exit(code)
        running[pid] = (mutant, time.monotonic())
    while running:
        reap(block=False)
        time.sleep(0.02)
    tested = killed + len(survived)
    return {
        "module": module,
        "mutants": len(mutants),
        "equivalent": len(excluded),
        "killed": killed,
        "survived": survived,
        "score": killed / tested if tested else 1.0,
        "seconds": time.monotonic() - started,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("modules", nargs="*", default=list(MODULES), choices=list(MODULES))
    parser.add_argument("--sample", type=float, default=1.0, help="share of mutants to run (0..1)")
    parser.add_argument("--jobs", type=int, default=1, help="mutants run at once (forked)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per mutant (min)")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--list", action="store_true", help="only list the mutants")
    parser.add_argument("--report", type=Path, help="also write the summary to this file")
    args = parser.parse_args(argv)
    sys.path[:0] = [str(SRC), str(TESTS)]
    if args.list:
        for module in args.modules:
            for m in mutants_of(module):
                print(f"{m.index:4} line {m.line:4}  {m.key}")
        return 0
    os.chdir(REPO)
    results = []
    for module in args.modules:
        result = run_module(module, args.sample, args.jobs, args.timeout, args.seed, sys.stderr)
        results.append(result)
        print(_line(result), flush=True)
    summary = "\n".join(_line(r) for r in results)
    details = "\n".join(
        f"  survived: {m.key}  (line {m.line})" for r in results for m in r["survived"]
    )
    if args.report:
        args.report.write_text(summary + "\n" + details + "\n", "utf-8")
    print(details)
    return 0


def _line(r: dict[str, object]) -> str:
    survived = r["survived"]
    assert isinstance(survived, list)
    score = r["score"]
    assert isinstance(score, float)
    return (
        f"{r['module']:<12} {r['mutants']:4} mutants, {r['equivalent']:3} equivalent, "
        f"{r['killed']:4} killed, {len(survived):3} survived: {score:6.1%} "
        f"({r['seconds']:.0f} s)"
    )


if __name__ == "__main__":
    raise SystemExit(main())
