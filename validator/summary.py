"""The report's ``sites`` and ``flows`` sections, built from the plan (and its graph)."""

from __future__ import annotations

from validator.context import Context


def site_summaries(ctx: Context, analysed: bool) -> list[dict]:
    """One entry per site: id, number of lines and the POPs they reach.

    ``analysed`` is True when the path, capacity and tier rules ran (the plan had no
    CCV100–CCV103 errors); only then are the sections filled (SPEC §8).
    """
    if not analysed:
        return []
    result = []
    for site in ctx.plan.sites:
        pops = sorted({line.pop for line in site.lines if line.pop})
        result.append({"id": site.id, "lines": len(site.lines), "pops": pops})
    return result


def flow_summaries(ctx: Context, analysed: bool) -> list[dict]:
    """One entry per declared flow (implied pairs are not listed, SPEC §6)."""
    if not analysed:
        return []
    return [{"from": flow.source, "to": flow.target} for flow in ctx.plan.flows]
