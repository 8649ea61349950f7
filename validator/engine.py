"""Running the rules over a plan and turning their hits into an ordered report.

One process, no clock, no files: the caller loads the documents and gives the settings.
"""

from __future__ import annotations

import json
from functools import partial
from typing import NamedTuple

from validator.config import ConfigError, Settings
from validator.fingerprint import fingerprint
from validator.fixes.patch import parse_pointer
from validator.fixes.verify import verify
from validator.graph.analysis import Analysis
from validator.graph.render import to_mermaid
from validator.load.document import Document, gc_paused
from validator.model import Flow, Plan, build_plan, describe, is_terraform
from validator.redaction import Redactor
from validator.report import Finding, Location, Report
from validator.rules.context import Context
from validator.rules.registry import REGISTRY, Hit, Rule, all_rules, iter_checks
from validator.summary import flow_summaries, report_notes, site_budgets, site_summaries


def _ignorable(plan: Plan) -> list:
    """The objects that carry a non-empty ``ignore:`` list (lines' peerings last)."""
    found: list = [site for site in plan.sites if site.ignore]
    peerings = []
    for site in plan.sites:
        for line in site.lines:
            if line.ignore:
                found.append(line)
            if line.peering is not None and line.peering.ignore:
                peerings.append(line.peering)
    found += [obj for kind in (plan.pops, plan.links, plan.flows) for obj in kind if obj.ignore]
    if plan.exchange and plan.exchange.ignore:
        found.append(plan.exchange)
    return found + peerings


def _object_ignores(plan: Plan) -> tuple[dict[str, frozenset[str]], dict[tuple, frozenset[str]]]:
    by_name: dict[str, set[str]] = {}
    by_path: dict[tuple, frozenset[str]] = {}
    for obj in _ignorable(plan):
        name = obj.name if isinstance(obj, Flow) else getattr(obj, "id", None)
        if name:
            by_name.setdefault(name, set()).update(obj.ignore)
        by_path[(id(obj.origin.doc), obj.origin.path)] = obj.ignore
    for origin, ignore in plan.extra_ignores:
        by_path[(id(origin.doc), origin.path)] = ignore
    return {k: frozenset(v) for k, v in by_name.items()}, by_path


def check_object_ignores(plan: Plan) -> None:
    """ConfigError when a per-object ``ignore`` list names an unknown rule."""
    lists = [(obj.origin, obj.ignore) for obj in _ignorable(plan)]
    for origin, ignore in [*lists, *plan.extra_ignores]:
        for rule_id in sorted(ignore):
            if rule_id not in REGISTRY:
                line, column = origin.doc.locate((*origin.path, "ignore"))
                owner = describe(origin.doc.data, origin.path)
                if origin.path[-1:] == ("peering",):
                    owner = f"the peering of {owner}"
                raise ConfigError(
                    f"{origin.doc.name}:{line}:{column}: unknown rule id '{rule_id}' in the "
                    f"ignore list of {owner}; `ccv rules` lists them"
                )


class Flagged(NamedTuple):
    """A hit of a check, with the rule that yielded it."""

    rule: Rule
    hit: Hit


class Checked(NamedTuple):
    """Everything the rules found in one plan, before settings and positions are applied."""

    flagged: list[Flagged]
    analysis: Analysis | None  # None when input errors kept the graph rules from running
    held_back: bool = False  # the graph rules did not run because of input errors


def _run(ctx: Context, stage: str) -> list[Flagged]:
    return [Flagged(entry, hit) for entry in iter_checks(stage) for hit in entry.check(ctx)]


def run_rules(ctx: Context) -> Checked:
    """Run every rule on ``ctx.plan``: input rules, the object rules (ranges, peering,
    ASNs), then, when the input rules found no input error, the graph rules. One process,
    in order; the range index is let go before the graph analysis is built, so the two
    never take memory at once. (The order of the hits does not matter: findings are
    sorted by a total order.)"""
    flagged = _run(ctx, "input")
    graph_ctx = ctx.graph_context()  # None when every input is a Terraform plan (SPEC §10)
    # an input error (CCV100–CCV103) keeps the graph rules away
    analysed = graph_ctx is not None and not flagged
    flagged += _run(ctx, "object")
    ctx.release()  # the object rules' analyses: the graph rules use none of them
    if analysed:
        flagged += _run(graph_ctx, "graph")  # type: ignore[arg-type]
    return Checked(
        flagged,
        graph_ctx.analysis if analysed else None,  # type: ignore[union-attr]
        graph_ctx is not None and not analysed,
    )


def _suppressed(entry: Rule, hit: Hit, settings: Settings, by_name, by_path) -> bool:
    if entry.id in settings.ignore or settings.severity.get(entry.id) == "off":
        return True
    if any(entry.id in by_name.get(name, ()) for name in hit.objects):
        return True
    doc_id, path = id(hit.at.doc), hit.at.path
    return any(
        entry.id in by_path.get((doc_id, path[:depth]), ()) for depth in range(len(path), -1, -1)
    )


def to_findings(hits: list[Flagged], plan: Plan, settings: Settings) -> list[Finding]:
    """Apply ignores and severity overrides, locate every hit, mask the inputs' secrets in
    every message and hint (validator.redaction), and order the findings."""
    by_name, by_path = _object_ignores(plan)
    kept = [(e, h) for e, h in hits if not _suppressed(e, h, settings, by_name, by_path)]
    wanted: dict[int, list] = {}
    for _, hit in kept:
        if hit.position is None:
            wanted.setdefault(id(hit.at.doc), []).append(hit.at.path)
        if hit.fix:  # the paths its fix replaces, in the same walk (``text_edits``)
            wanted.setdefault(id(hit.at.doc), []).extend(_replaced_paths(hit.fix))
    for doc in plan.documents:
        doc.locator.prepare(wanted.get(id(doc), []))
    redact = Redactor(secret for doc in plan.documents for secret in doc.secrets)
    findings = []
    names = [doc.name for doc in plan.documents]
    for entry, hit in kept:
        doc = hit.at.doc
        line, column = hit.position or doc.locate(hit.at.path, key=hit.key)
        objects = tuple(sorted(set(hit.objects)))
        message = redact(hit.message)  # the fingerprint too is of the masked message
        findings.append(
            Finding(
                rule=entry.id,
                name=entry.name,
                severity=settings.severity.get(entry.id, hit.severity or entry.severity),
                message=message,
                objects=objects,
                path=doc.json_pointer(hit.at.path),
                location=Location(doc.name, line, column),
                hint=redact(entry.hint if hit.hint is None else hit.hint),
                fix=hit.fix,
                fallback=hit.fallback,
                fingerprint=fingerprint(entry.id, objects, message, names),
            )
        )
    findings.sort(key=Finding.sort_key)
    return findings


def _scalar_text(value: object, quote: str, fmt: str) -> str | None:
    """``value`` written as the scalar it replaces (same quoting), or None."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None
    if fmt == "json":
        return json.dumps(value, ensure_ascii=False)
    if not isinstance(value, str):
        return str(value)
    if quote == '"':
        return json.dumps(value, ensure_ascii=False)
    if quote == "'":
        return "'" + value.replace("'", "''") + "'"
    return value


def _replaced_paths(ops: list[dict]) -> list[tuple]:
    """The document paths the ``replace`` operations of a fix point at."""
    return [
        tuple(int(t) if t.isdigit() else t for t in parse_pointer(op["path"]))
        for op in ops
        if op["op"] == "replace"
    ]


def _locate_fix_paths(findings: list[Finding], by_name: dict[str, Document]) -> None:
    """Let each document's locator find every path the fixes replace in one walk of its
    text (a walk per fix costs the whole text each time: quadratic on large plans)."""
    wanted: dict[str, list[tuple]] = {}
    for finding in findings:
        if finding.fix and finding.location is not None:
            wanted.setdefault(finding.location.file, []).extend(_replaced_paths(finding.fix))
    for name, paths in wanted.items():
        doc = by_name.get(name)
        prepare = getattr(doc.locator, "prepare", None) if doc is not None else None
        if prepare is not None:
            prepare(paths)


def text_edits(doc: Document, ops: list[dict]) -> list[tuple[int, int, int, int, str]] | None:
    """The fix ``ops`` as replacements of spans of ``doc``'s text, or None when one of
    them is not the replacement of a scalar the loader located."""
    span_of = getattr(doc.locator, "span", None)
    if span_of is None:
        return None
    edits = []
    for op in ops:
        if op["op"] != "replace":
            return None
        path = tuple(int(t) if t.isdigit() else t for t in parse_pointer(op["path"]))
        found = span_of(path)
        if found is None:
            return None
        (line, column), (end_line, end_column), quote = found
        text = _scalar_text(op["value"], quote, doc.format)
        if text is None:
            return None
        edits.append((line, column, end_line, end_column, text))
    return edits


class PlanReport(NamedTuple):
    """The report sections of one plan."""

    findings: list[Finding]
    sites: list[dict]
    flows: list[dict]
    notes: list[str]
    analysis: Analysis | None


def check_documents(
    documents: list[Document], settings: Settings, verify_fixes: bool = True
) -> PlanReport:
    """Validate ``documents`` as one plan: findings, site and flow summaries, report notes
    and (when the plan could be analysed) its graph analysis.

    ``verify_fixes``: withdraw every fix that, applied alone, would not remove its finding
    or would add another (``validator.fixes.verify``; SPEC §13)."""
    plan = build_plan(documents)
    check_object_ignores(plan)
    flagged, an, held_back = run_rules(Context(plan))
    findings = to_findings(flagged, plan, settings)
    if verify_fixes and not any(is_terraform(doc) for doc in documents):
        # what one re-check costs: the ranges and lines, and the backbone it analyses
        items = sum(len(site.cidrs) + len(site.lines) + 1 for site in plan.sites)
        items += len(plan.pops) + len(plan.links) + len(plan.flows)
        verify(documents, findings, lambda docs: recheck(docs, settings), items)
    by_name = {doc.name: doc for doc in documents}
    _locate_fix_paths(findings, by_name)
    for finding in findings:
        doc = by_name.get(finding.location.file) if finding.location else None
        if finding.fix and (doc is None or is_terraform(doc)):
            finding.fix = None  # fixes edit topology files, not Terraform's output (the hint
            # keeps its value: change it in the Terraform code)
        elif finding.fix and doc is not None:
            finding.edits = text_edits(doc, finding.fix)
    notes = report_notes(an)
    if held_back:
        notes += _silenced_input_errors(flagged, findings)
    return PlanReport(findings, site_summaries(an), flow_summaries(an), notes, an)


def _silenced_input_errors(flagged: list[Flagged], findings: list[Finding]) -> list[str]:
    """A note when input errors kept the graph rules away but settings or ignore lists
    hide every one of them: without it the report would pass a plan nothing checked."""
    shown = {f.rule for f in findings}
    held = sorted({f.rule.id for f in flagged if f.rule.stage == "input"})
    if any(rule_id in shown for rule_id in held):
        return []
    return [
        f"the path, capacity and SLA rules did not run: the plan has input errors "
        f"({', '.join(held)}) that the settings or ignore lists hide; run without them "
        "to see the errors"
    ]


def recheck(documents: list[Document], settings: Settings) -> list[Finding]:
    """The findings of ``documents`` as one plan, fixes not verified (to verify them).

    Only which findings arise is compared, so the rules skip their costly hints (CCV701's
    search for a verified change)."""
    plan = build_plan(documents)
    return to_findings(run_rules(Context(plan, hints=False)).flagged, plan, settings)


def validate_documents(
    documents: list[Document],
    settings: Settings,
    merge: bool,
    month: tuple[int, int] | None = None,
    verify_fixes: bool = True,
) -> Report:
    """The report for ``documents``: one merged plan, or each document on its own.

    ``settings`` are applied as given (nothing is read from disk); the sites' downtime
    budgets are for a 30-day month and, when ``month`` (year, month) is given, for it.
    ``verify_fixes=False`` leaves the rules' fixes unchecked (the property tests do).
    """
    settings.check(r.id for r in all_rules())
    report = Report(inputs=[doc.name for doc in documents])
    groups = [documents] if merge or len(documents) == 1 else [[doc] for doc in documents]
    for group in groups:
        with gc_paused():
            found = check_documents(group, settings, verify_fixes)
        if len(groups) > 1:
            for entry in (*found.sites, *found.flows):
                entry["input"] = group[0].name
        report.findings.extend(found.findings)
        report.sites.extend(found.sites)
        report.flows.extend(found.flows)
        report.notes.extend(n for n in found.notes if n not in report.notes)
        if found.analysis is not None:
            report.diagrams.append(partial(to_mermaid, found.analysis))
    report.findings.sort(key=Finding.sort_key)
    report.budgets = site_budgets(report.sites, month)
    return report
