"""Nothing but desk/workflow.py writes an issue's state: a scan of the code that fails the
suite the day someone adds another writer of ``status`` or ``published_at``."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

PACKAGES = ("issues", "articles", "desk", "reader", "newsroom")
WORKFLOW = Path("desk/workflow.py")
FIELDS = {"status", "published_at"}
WRITES = {"update", "create", "get_or_create", "update_or_create", "bulk_create", "bulk_update", "save"}
# Other things with a status of their own, by the expression the code assigns through.
NOT_ISSUES = {
    Path("desk/jobs.py"): {"job.status", "job.save"},
    Path("issues/importing.py"): {"result.status"},
}


def sources() -> list[Path]:
    files = []
    for package in PACKAGES:
        files += [
            p.relative_to(ROOT) for p in (ROOT / package).rglob("*.py") if "migrations" not in p.relative_to(ROOT).parts
        ]
    return sorted(files)


def writers(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, expression) of every write of a state field the tree makes."""
    found = []
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Assign):
            targets = [t for target in node.targets for t in _flatten(target)]
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            if isinstance(target, ast.Attribute) and target.attr in FIELDS:
                found.append((node.lineno, ast.unparse(target)))
        if isinstance(node, ast.Call):
            found += _call_writes(node)
    return found


def _flatten(target: ast.expr) -> list[ast.expr]:
    if isinstance(target, ast.Tuple | ast.List):
        return [t for element in target.elts for t in _flatten(element)]
    return [target]


def _call_writes(call: ast.Call) -> list[tuple[int, str]]:
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    receiver = _shape(func.value) if isinstance(func, ast.Attribute) else ""
    named = {k.arg for k in call.keywords if k.arg}
    listed = {
        c.value
        for k in call.keywords
        if k.arg in {"update_fields", "fields"}
        for c in ast.walk(k.value)
        if isinstance(c, ast.Constant)
    }
    listed |= {c.value for a in call.args[1:] for c in ast.walk(a) if isinstance(c, ast.Constant)}
    if name == "setattr" and len(call.args) > 1 and isinstance(call.args[1], ast.Constant):
        listed.add(call.args[1].value)
    writes = name in WRITES and (named | listed) & FIELDS
    writes = writes or name == "Issue" and named & FIELDS or name == "setattr" and listed & FIELDS
    return [(call.lineno, f"{receiver}.{name}" if receiver else name)] if writes else []


def _shape(node: ast.expr) -> str:
    """``ImportJob.objects.filter(...)`` for any arguments: the receiver, told by its names."""
    if isinstance(node, ast.Call):
        return _shape(node.func) + "(...)"
    return ast.unparse(node)


def test_only_the_workflow_writes_an_issues_state():
    wrong = []
    for path in sources():
        if path == WORKFLOW:
            continue
        for line, expression in writers(ast.parse((ROOT / path).read_text(encoding="utf-8"))):
            if expression not in NOT_ISSUES.get(path, set()):
                wrong.append(f"{path}:{line}: {expression}")
    assert wrong == [], "only desk/workflow.py may write an issue's status or publication time"


def test_raw_sql_never_updates_issues():
    for path in sources():
        text = (ROOT / path).read_text(encoding="utf-8").lower()
        assert "update issues_issue" not in text and 'update "issues_issue"' not in text, path


def test_the_scan_sees_every_kind_of_write():
    """The scan itself, on code that writes the state every way it knows."""
    code = """
issue.status = Issue.Status.PUBLISHED
issue.published_at, other = now, 1
Issue.objects.filter(pk=1).update(status="published")
Issue.objects.create(publication=p, published_at=now)
Issue(status="published")
issue.save(update_fields=["status"])
Issue.objects.bulk_update(issues, ["published_at"])
setattr(issue, "status", "published")
Issue.objects.filter(status="published").count()
issue.title = "x"
"""
    assert [line for line, _ in writers(ast.parse(code))] == [2, 3, 4, 5, 6, 7, 8, 9]
    assert sources() and WORKFLOW in sources()
