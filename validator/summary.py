"""The report's ``sites`` and ``flows`` sections, notes and downtime budgets: pure functions
of the graph analysis (and of the month the caller names: no clock)."""

from __future__ import annotations

from decimal import Decimal

from validator.graph.analysis import Analysis
from validator.report import Budget
from validator.sla.arithmetic import downtime_budget, month_minutes, to_decimal
from validator.sla.tables import tier, tiers

THIRTY_DAYS_MIN = 30 * 24 * 60


def site_summaries(an: Analysis | None) -> list[dict]:
    """One entry per site: id, tier, committed availability, target, lines, POPs.

    ``an`` is None when the path, capacity and tier rules did not run (the plan had
    CCV100–CCV103 errors); only with an analysis are the sections filled (SPEC §8). A site without
    lines has tier ``none`` and availability null.
    """
    if an is None:
        return []
    result = []
    for site in an.plan.sites:
        found = an.sites[site.id]
        target = an.plan.target_of(site)
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


def flow_summaries(an: Analysis | None) -> list[dict]:
    """One entry per declared flow (implied pairs are not listed, SPEC §6).

    ``path`` is [from-site, POP, …, POP, to-site] (null when the flow has no path or
    is not analysed: an end without lines, or ends in different segments);
    ``latency_ms`` is null when unknown or without path, 0 when both ends share a POP.
    """
    if an is None:
        return []
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


def report_notes(an: Analysis | None) -> list[str]:
    """Notes for ``Report.notes``: the special-scenario caveat when a site reaches it."""
    if an is None:
        return []
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


def site_budgets(sites: list[dict], month: tuple[int, int] | None = None) -> list[Budget]:
    """The downtime each site's tier allows (SPEC §3): in ``month`` (year, month) when
    given, then in a 30-day month. 99.9 % allows 43.2 min in 30 days, 44.6 in 31."""
    periods = []
    if month is not None:
        year, number = month
        periods.append((f"{year}-{number:02d}", month_minutes(year, number)))
    periods.append(("30 days", THIRTY_DAYS_MIN))
    known: dict[tuple, Decimal] = {}  # a few tiers, many sites: each budget computed once

    def budget(availability: object, minutes: int) -> Decimal:
        key = (type(availability), availability, minutes)
        found = known.get(key)
        if found is None:
            found = known[key] = to_decimal(downtime_budget(availability, minutes), 1)
        return found

    return [
        Budget(
            period,
            tuple(
                None if site.get("availability") is None else budget(site["availability"], minutes)
                for site in sites
            ),
        )
        for period, minutes in periods
    ]
