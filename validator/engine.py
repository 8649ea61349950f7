"""Running the rules over a plan and turning their hits into an ordered report."""

from __future__ import annotations

from collections.abc import Callable

from validator.addressing.index import range_index
from validator.config import ConfigError, Settings
from validator.context import Context, describe
from validator.fixes.verify import verify
from validator.graph.analysis import analysis
from validator.graph.render import to_mermaid
from validator.load.document import Document, gc_paused, pointer
from validator.model import Flow, Origin, Plan, build_plan
from validator.parallel import in_child, worth_splitting
from validator.report import Finding, Location, Report
from validator.rules.registry import REGISTRY, Hit, Rule, all_rules, iter_checks
from validator.summary import flow_summaries, report_notes, site_summaries

INPUT_RULES = ("CCV100", "CCV101", "CCV102", "CCV103")


def _ignorable(plan: Plan) -> list:
    """The objects that may carry an ``ignore:`` list."""
    objects = [*plan.sites, *plan.lines(), *plan.pops, *plan.links, *plan.flows]
    if plan.exchange:
        objects.append(plan.exchange)
    return objects


def _object_ignores(plan: Plan) -> tuple[dict[str, frozenset[str]], dict[tuple, frozenset[str]]]:
    by_name: dict[str, set[str]] = {}
    by_path: dict[tuple, frozenset[str]] = {}
    for obj in _ignorable(plan):
        if obj.ignore:
            name = obj.name if isinstance(obj, Flow) else getattr(obj, "id", None)
            if name:
                by_name.setdefault(name, set()).update(obj.ignore)
            by_path[(id(obj.origin.doc), obj.origin.path)] = obj.ignore
    return {k: frozenset(v) for k, v in by_name.items()}, by_path


def check_object_ignores(plan: Plan) -> None:
    """ConfigError when a per-object ``ignore`` list names an unknown rule."""
    for obj in _ignorable(plan):
        for rule_id in sorted(obj.ignore):
            if rule_id not in REGISTRY:
                line, column = obj.origin.doc.locate((*obj.origin.path, "ignore"))
                raise ConfigError(
                    f"{obj.origin.doc.name}:{line}:{column}: unknown rule id '{rule_id}' in the "
                    f"ignore list of {describe(obj.origin.doc.data, obj.origin.path)}; "
                    "`ccv rules` lists them"
                )


def _object_hits(ctx: Context) -> list[tuple[Rule, Hit]]:
    return [(entry, hit) for entry in iter_checks("object") for hit in entry.check(ctx)]


def _input_and_graph_hits(ctx: Context) -> tuple[list[tuple[Rule, Hit]], bool]:
    hits = [(entry, hit) for entry in iter_checks("input") for hit in entry.check(ctx)]
    analysed = not any(entry.id in INPUT_RULES for entry, _ in hits)
    if analysed:
        hits += [(entry, hit) for entry in iter_checks("graph") for hit in entry.check(ctx)]
    return hits, analysed


def _portable(hits: list[tuple[Rule, Hit]], documents: list[Document]) -> list[tuple]:
    """Hits as plain tuples (documents by position), to cross a process boundary."""
    where = {id(doc): index for index, doc in enumerate(documents)}
    return [
        (e.id, h.message, tuple(h.objects), where[id(h.at.doc)], h.at.path, h.hint, h.key,
         h.position, h.severity, h.fix, h.fallback)
        for e, h in hits
    ]  # fmt: skip


def _restored(rows: list[tuple], documents: list[Document]) -> list[tuple[Rule, Hit]]:
    return [
        (REGISTRY[rule_id], Hit(message, objects, Origin(documents[doc], path), hint, key,
                                position, severity, fix, fallback))
        for rule_id, message, objects, doc, path, hint, key, position, severity, fix, fallback
        in rows
    ]  # fmt: skip


def _checked(ctx: Context) -> tuple[list[tuple[Rule, Hit]], bool, list, list, list[str]]:
    """Hits, whether the plan was analysed, site and flow summaries and notes: on a large
    plan the input, graph and summary work runs in a second process (validator.parallel)
    while this one runs the range, peering and ASN rules."""
    plan = ctx.plan

    def graph_side(portable: bool):
        hits, analysed = _input_and_graph_hits(ctx)
        summaries = (
            site_summaries(ctx, analysed),
            flow_summaries(ctx, analysed),
            report_notes(ctx, analysed),
        )
        return (_portable(hits, plan.documents) if portable else hits), analysed, summaries

    items = sum(len(site.cidrs) + len(site.lines) for site in plan.sites)
    if not worth_splitting(items):
        hits, analysed, (sites, flows, notes) = graph_side(portable=False)
        return hits + _object_hits(ctx), analysed, sites, flows, notes
    range_index(ctx)  # built once, before the fork, so both processes share it
    later = in_child(lambda: graph_side(portable=True))
    object_hits = _object_hits(ctx)
    rows, analysed, (sites, flows, notes) = later()
    return _restored(rows, plan.documents) + object_hits, analysed, sites, flows, notes


def _suppressed(entry: Rule, hit: Hit, settings: Settings, by_name, by_path) -> bool:
    if entry.id in settings.ignore or settings.severity.get(entry.id) == "off":
        return True
    if any(entry.id in by_name.get(name, ()) for name in hit.objects):
        return True
    doc_id, path = id(hit.at.doc), hit.at.path
    return any(
        entry.id in by_path.get((doc_id, path[:depth]), ()) for depth in range(len(path), -1, -1)
    )


def to_findings(hits: list[tuple[Rule, Hit]], plan: Plan, settings: Settings) -> list[Finding]:
    """Apply ignores and severity overrides, locate every hit, and order the findings."""
    by_name, by_path = _object_ignores(plan)
    kept = [(e, h) for e, h in hits if not _suppressed(e, h, settings, by_name, by_path)]
    wanted: dict[int, list] = {}
    for _, hit in kept:
        if hit.position is None:
            wanted.setdefault(id(hit.at.doc), []).append(hit.at.path)
    for doc in plan.documents:
        doc.locator.prepare(wanted.get(id(doc), []))
    findings = []
    for entry, hit in kept:
        doc = hit.at.doc
        line, column = hit.position or doc.locate(hit.at.path, key=hit.key)
        findings.append(
            Finding(
                rule=entry.id,
                name=entry.name,
                severity=settings.severity.get(entry.id, hit.severity or entry.severity),
                message=hit.message,
                objects=tuple(sorted(set(hit.objects))),
                path=pointer(hit.at.path),
                location=Location(doc.name, line, column),
                hint=entry.hint if hit.hint is None else hit.hint,
                fix=hit.fix,
                fallback=hit.fallback,
            )
        )
    findings.sort(key=Finding.sort_key)
    return findings


def check_documents(
    documents: list[Document], settings: Settings, verify_fixes: bool = True
) -> tuple[list[Finding], list, list, list[str], Callable[[], str] | None]:
    """Validate ``documents`` as one plan: findings, site and flow summaries, report notes,
    and (when the plan could be analysed) a function drawing its Mermaid diagram.

    ``verify_fixes``: withdraw every fix that, applied alone, would not remove its finding
    or would add another (``validator.fixes.verify``; SPEC §13)."""
    plan = build_plan(documents)
    check_object_ignores(plan)
    ctx = Context(plan)
    hits, analysed, sites, flows, notes = _checked(ctx)
    findings = to_findings(hits, plan, settings)
    if verify_fixes:
        items = sum(len(site.cidrs) + len(site.lines) + 1 for site in plan.sites)
        verify(documents, findings, lambda docs: recheck(docs, settings), items)
    return (
        findings,
        sites,
        flows,
        notes,
        (lambda: to_mermaid(analysis(ctx))) if analysed else None,
    )


def recheck(documents: list[Document], settings: Settings) -> list[Finding]:
    """The findings of ``documents`` as one plan, fixes not verified (used to verify them)."""
    plan = build_plan(documents)
    ctx = Context(plan)
    hits = _object_hits(ctx) + _input_and_graph_hits(ctx)[0]
    return to_findings(hits, plan, settings)


def validate_documents(
    documents: list[Document], settings: Settings, merge: bool, verify_fixes: bool = True
) -> Report:
    """The report for ``documents``: one merged plan, or each document on its own.
    ``verify_fixes=False`` leaves the rules' fixes unchecked (the property tests do)."""
    settings.check(r.id for r in all_rules())
    report = Report(inputs=[doc.name for doc in documents])
    groups = [documents] if merge or len(documents) == 1 else [[doc] for doc in documents]
    for group in groups:
        with gc_paused():
            findings, sites, flows, notes, diagram = check_documents(group, settings, verify_fixes)
        if len(groups) > 1:
            for entry in (*sites, *flows):
                entry["input"] = group[0].name
        report.findings.extend(findings)
        report.sites.extend(sites)
        report.flows.extend(flows)
        report.notes.extend(n for n in notes if n not in report.notes)
        if diagram:
            report.diagrams.append(diagram)
    report.findings.sort(key=Finding.sort_key)
    return report
