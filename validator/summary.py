"""The report's ``sites`` and ``flows`` sections, built from the plan and its graph analysis."""

from __future__ import annotations

from validator.context import Context
from validator.graph.analysis import analysis
from validator.sla.tables import tier, tiers


def site_summaries(ctx: Context, analysed: bool) -> list[dict]:
    """One entry per site: id, tier, committed availability, target, lines, POPs.

    ``analysed`` is True when the path, capacity and tier rules ran (the plan had no
    CCV100–CCV103 errors); only then are the sections filled (SPEC §8). A site without
    lines has tier ``none`` and availability null.
    """
    if not analysed:
        return []
    an = analysis(ctx)
    result = []
    for site in ctx.plan.sites:
        found = an.sites[site.id]
        target = site.sla_target if site.sla_target is not None else ctx.plan.sla_target
        result.append(
            {
                "id": site.id,
                "tier": found.tier,
                "availability": None if found.tier == "none" else tier(found.tier).availability,
                "target": target,
                "lines": len(site.lines),
                "pops": sorted({line.pop for line in site.lines if line.pop}),
            }
        )
    return result


def flow_summaries(ctx: Context, analysed: bool) -> list[dict]:
    """One entry per declared flow (implied pairs are not listed, SPEC §6).

    ``path`` is [from-site, POP, …, POP, to-site] (null when the flow has no path or
    is not analysed: an end without lines, or ends in different segments);
    ``latency_ms`` is null when unknown or without path, 0 when both ends share a POP.
    """
    if not analysed:
        return []
    an = analysis(ctx)
    result = []
    for found in an.flows:
        flow, route = found.flow, found.route
        entry: dict = {
            "from": flow.source,
            "to": flow.target,
            "path": [flow.source, *route.pops, flow.target] if route else None,
            "latency_ms": route.latency_ms if route else None,
        }
        if flow.bandwidth_mbps is not None:
            entry["bandwidth_mbps"] = flow.bandwidth_mbps
        result.append(entry)
    return result


def report_notes(ctx: Context, analysed: bool) -> list[str]:
    """Notes for ``Report.notes``: the special-scenario caveat when a site reaches it."""
    if not analysed:
        return []
    an = analysis(ctx)
    notes = []
    for entry in tiers():
        if not entry.special_scenario:
            continue
        sites = sorted(s for s, r in an.sites.items() if r.tier == entry.id)
        if sites:
            notes.append(
                f"{entry.id} ({entry.availability:g} %) is a special-scenario commitment "
                f"({entry.clause}); agree it with the carrier for: {', '.join(sites)}"
            )
    return notes
