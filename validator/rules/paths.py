"""Path rules (CCV501–CCV509): every required flow needs a path over lines, POPs and backbone."""

from __future__ import annotations

from collections.abc import Iterator

from validator.fixes.patch import add
from validator.graph.failures import Piece
from validator.model import DEFAULT_SEGMENT, Origin, Plan, Site
from validator.rules.capacity_hints import new_line_text
from validator.rules.context import Context
from validator.rules.registry import Hit, rule
from validator.rules.segment_hints import clash

_G = "graph"


def _pop_origin(ctx: Context, pop_id: str) -> Origin:
    by_id = ctx.memo("paths.pop_origin", lambda: _first_by_id(ctx.plan.pops))
    return by_id[pop_id]


def _link_origin(ctx: Context, link_id: str) -> Origin:
    by_id = ctx.memo("paths.link_origin", lambda: _first_by_id(ctx.plan.links))
    return by_id[link_id]


def _segment_origin(ctx: Context, segment_id: str) -> Origin:
    by_id = ctx.memo("paths.segment_origin", lambda: _first_by_id(ctx.plan.segments))
    return by_id.get(segment_id) or Origin(ctx.documents[0], ("sites",))


def _first_by_id(objects) -> dict[str, Origin]:
    """Origin of the first object with each id (later duplicates are CCV102's business)."""
    found: dict[str, Origin] = {}
    for obj in objects:
        found.setdefault(obj.id, obj.origin)
    return found


def _groups_text(pieces: list[Piece], shown: int = 8) -> str:
    """``[a, b] | [c]``; a long group shows its first sites and its size."""

    def one(piece: Piece) -> str:
        if piece.count <= shown:
            return "[" + ", ".join(piece.first) + "]"
        return "[" + ", ".join(piece.first[:shown]) + f", … {piece.count} sites]"

    return " | ".join(one(p) for p in pieces)


@rule(
    "CCV501",
    "site-no-line",
    "error",
    "a site has no access line",
    "add a line from the site to a POP",
    stage=_G,
)
def check_site_no_line(ctx: Context) -> Iterator[Hit]:
    """Every site needs at least one access line to a carrier POP.

    A site without lines is left out of the path, capacity and tier analysis (its
    tier is `none`) and is nobody's peer, so this is the only finding it gets.

    Failing: `- {id: ali-sh, cloud: alibaba, asn: 45104, cidrs: [10.9.0.0/16], lines: []}`

    Passing (near miss): the same site with
    `lines: [{id: ali-sh-1, pop: SHA1, bandwidth_mbps: 100}]`.
    """
    an = ctx.analysis
    near = None
    for site in ctx.plan.sites:
        if site.id not in an.site_pops:
            if near is None:  # the first POP by id, found once (not once per site)
                near = [min(p.id for p in ctx.plan.pops)] if ctx.plan.pops else []
            hint = (
                f"add a line from site {site.id} to a POP, e.g. to {near[0]}"
                + new_line_text(ctx.plan, site, near[0])
                if near
                else f"add a POP and a line from site {site.id} to it"
            )
            yield Hit(
                f"site {site.id} has no access line, so it reaches nothing",
                (site.id,),
                site.origin.child("lines") if "lines" in _keys(site) else site.origin,
                hint,
            )


def _keys(site) -> set:
    doc = site.origin.doc.data
    node = doc
    for part in site.origin.path:
        node = node[part]
    return set(node) if isinstance(node, dict) else set()


@rule(
    "CCV502",
    "no-path",
    "error",
    "a required flow has no path",
    "add a backbone link that joins the two sites' POPs",
    stage=_G,
)
def check_no_path(ctx: Context) -> Iterator[Hit]:
    """Every required flow needs a path: site → line → POP → backbone → POP → line → site.

    With declared `flows`, each flow is checked and named. Without them every pair of
    sites that share a segment is required; the pairs are not listed one by one:
    the finding names the groups of sites (one per backbone island they reach) that
    cannot reach each other.

    Failing: sites on POPs HKG1 and FRA1 with a flow between them and no backbone
    link joining HKG1 and FRA1 (directly or through other POPs).

    Passing (near miss): add `{id: hkg1-fra1, a: HKG1, b: FRA1, latency_ms: 180}`.
    """
    an = ctx.analysis
    if an.declared:
        for result in an.flows:
            if result.status != "no-path":
                continue
            flow = result.flow
            src = sorted(an.site_pops[flow.source])
            dst = sorted(an.site_pops[flow.target])
            yield Hit(
                f"flow {flow.name} has no path: no backbone route joins the POPs of "
                f"{flow.source} ({', '.join(src)}) and of {flow.target} ({', '.join(dst)})",
                (flow.name, flow.source, flow.target),
                flow.origin,
                f"add a backbone link between {src[0]} and {dst[0]} (or any chain of links "
                "joining the two sites' POPs), each with its own id and latency_ms",
            )
        return
    for group, pieces in an.failures.disconnected:
        cut = sorted({s for s in group.members if s in an.failures.unreachable})
        yield Hit(
            f"sites of segment {group.label} fall into {len(pieces)} groups with no path "
            f"between them: {_groups_text([Piece(len(p), p) for p in pieces])}",
            cut,
            _segment_origin(ctx, group.label),
            "add backbone links joining the POPs of these groups",
        )


@rule(
    "CCV503",
    "latency-budget",
    "error",
    "a flow's path latency exceeds its `max_latency_ms`",
    "add a shorter backbone link, or raise the flow's budget",
    stage=_G,
)
def check_latency_budget(ctx: Context) -> Iterator[Hit]:
    """The best path of a flow (lowest total latency) must fit its `max_latency_ms`.

    The latency of a flow is the sum of `latency_ms` of the backbone links on its best
    path (0 when both ends share a POP). When a link on the path has no latency, the
    links that have one already give a lower bound: exceeding the budget with it is
    reported too (and CCV508 says the figure is incomplete).

    Failing: `{from: dc-hk, to: gcp-fra, max_latency_ms: 150}` where the best path is
    HKG1 → SIN1 → FRA1 (32 + 160 = 192 ms).

    Passing (near miss): the same flow with `max_latency_ms: 200`.
    """
    an = ctx.analysis
    by_id = {k.id: k for k in ctx.plan.links}
    for result in an.flows:
        flow, route = result.flow, result.route
        if route is None or flow.max_latency_ms is None:
            continue
        known = round(sum(float(by_id[i].latency_ms or 0.0) for i in route.links), 6)
        if known <= flow.max_latency_ms:
            continue
        over = "at least " if route.latency_ms is None else ""
        path = " -> ".join(route.pops)
        yield Hit(
            f"flow {flow.name} takes {over}{known:g} ms on its best path {path}, over its "
            f"budget max_latency_ms {flow.max_latency_ms:g} ms",
            (flow.name,),
            flow.origin.child("max_latency_ms"),
            f"raise max_latency_ms to {known:g} or more, or add a backbone link between "
            f"{route.pops[0]} and {route.pops[-1]} with its own id and a latency_ms of at "
            f"most {flow.max_latency_ms:g}",
        )


def _cut_message(kind: str, element: str, cut, declared: bool) -> str:
    what = f"backbone link {element}" if kind == "link" else f"POP {element}"
    if declared:
        flows = ", ".join(cut.flows)
        if cut.flow_count > len(cut.flows):
            more = cut.flow_count - len(cut.flows)
            return f"a failure of {what} cuts {cut.flow_count} flows: {flows} and {more} more"
        noun = "flow" if cut.flow_count == 1 else "flows"
        return f"a failure of {what} cuts {noun} {flows}"
    parts = [f"segment {label}: {_groups_text(pieces)}" for label, pieces in sorted(cut.pieces)]
    return f"a failure of {what} cuts these sites off from peers they must reach: " + "; ".join(
        parts
    )


@rule(
    "CCV504",
    "spof-link",
    "warning",
    "one backbone link failure cuts a required flow",
    "add a backbone link that bypasses the named link",
    stage=_G,
)
def check_spof_link(ctx: Context) -> Iterator[Hit]:
    """No single backbone link should carry every path of a required flow.

    Found with bridges: a link is a single point of failure for a flow exactly when it
    is a bridge of the backbone (two parallel links with distinct ids are not bridges)
    separating the POPs of one end from those of the other. One finding per link,
    naming the flows it cuts (or, without declared flows, the groups of sites it cuts
    apart in each segment). A finding names at most eight flows and eight sites of a
    group, then counts the rest (`cuts 734 flows: a->b, … and 726 more`); its objects
    are the link and the first eight cut-off sites by id, so a report stays the size of
    the backbone, not of flows × path length.

    Failing: backbone `HKG1 — SIN1 — FRA1` as a chain; the flow dc-hk (HKG1) → gcp-fra
    (FRA1) is cut by either link.

    Passing (near miss): a ring, with a third link `FRA1 — HKG1`: no link is a bridge.
    """
    yield from _cuts(ctx, "link")


@rule(
    "CCV505",
    "spof-pop",
    "warning",
    "one POP failure cuts a required flow",
    "add a backbone path that avoids the named POP",
    stage=_G,
)
def check_spof_pop(ctx: Context) -> Iterator[Hit]:
    """No single transit POP should carry every path of a required flow.

    Found with articulation points (the block-cut tree). Only transit POPs are
    reported: a POP on which neither end of the cut flow has a line. The POPs a site
    hangs on are what its tier already describes. Like CCV504, a finding names at most
    eight flows and eight sites of a group and counts the rest; its objects are the POP
    and the first eight cut-off sites.

    Failing: backbone `HKG1 — SIN1 — FRA1`; the flow between sites on HKG1 and FRA1
    is cut when SIN1 fails.

    Passing (near miss): add a link `HKG1 — FRA1`, or the same flow from a site that
    has a line on SIN1 (then SIN1 is its own POP, not transit).
    """
    yield from _cuts(ctx, "pop")


def _cuts(ctx: Context, kind: str) -> Iterator[Hit]:
    an = ctx.analysis
    for cut in sorted(an.failures.cuts.values(), key=lambda c: (c.kind, c.element)):
        if cut.kind != kind:
            continue
        element = cut.element
        at = _link_origin(ctx, element) if kind == "link" else _pop_origin(ctx, element)
        if kind == "link":
            link = an.backbone.link_by_id[element]
            hint = (
                f"add a second backbone link between the two sides of {element} "
                f"(e.g. another {link.a}–{link.b} link with its own id, or a link that "
                "joins the two sides through other POPs)"
            )
        else:
            hint = f"add a backbone link that bypasses POP {element} between its neighbours"
        yield Hit(
            _cut_message(kind, element, cut, an.declared),
            (element, *cut.sites),
            at,
            hint,
        )


@rule(
    "CCV506",
    "unused-object",
    "info",
    "a POP or backbone link no path uses",
    "remove it from the plan, or connect it",
    stage=_G,
)
def check_unused(ctx: Context) -> Iterator[Hit]:
    """A POP or backbone link that no path between sites can use.

    A POP that carries lines is used; any other POP or link is used when it lies on
    some simple path between two POPs that carry lines (failover paths count). In
    block-cut-tree terms: the blocks on the subtree spanning the POPs with lines are
    used; every other POP and link is not.

    Failing: POP TYO1 with no line, joined only by `hkg1-tyo1` to the rest: neither
    TYO1 nor the link lies between two POPs with lines.

    Passing (near miss): a site with a line on TYO1, or TYO1 on a ring between
    two POPs with lines (it then carries failover paths).
    """
    an = ctx.analysis
    for pop in ctx.plan.pops:
        if pop.id not in an.used_pops:
            # its links go with it: a link to a removed POP names nothing (CCV101)
            ends = [k.id for k in ctx.plan.links if pop.id in (k.a, k.b)]
            also = f" with its backbone links {', '.join(ends)}" if ends else ""
            yield Hit(
                f"POP {pop.id} carries no line and lies on no path between POPs with lines",
                (pop.id,),
                pop.origin,
                f"remove POP {pop.id}{also} from the plan, or connect a site to it",
            )
    for link in ctx.plan.links:
        if link.id not in an.used_links:
            yield Hit(
                f"backbone link {link.id} ({link.a}–{link.b}) lies on no path between POPs "
                "with lines",
                (link.id,),
                link.origin,
                f"remove link {link.id} from the plan, or connect sites beyond it",
            )


@rule(
    "CCV507",
    "site-isolated",
    "info",
    "a site has no peer: no flow and no segment mate",
    "add a flow or put the site in a segment with others",
    stage=_G,
)
def check_isolated(ctx: Context) -> Iterator[Hit]:
    """A site with lines but nobody to reach.

    Its peers are the other ends of the flows it takes part in (when flows are
    declared; flows crossing segments and flows to sites without lines do not count),
    or else the sites with lines it shares a segment with. A site without a peer is
    classified from its lines alone (backbone protection holds vacuously).

    Failing: a site alone in segment `lab`, with no flows declared.

    Passing (near miss): add a second site to `lab`.
    """
    an = ctx.analysis
    for site in ctx.plan.sites:
        result = an.sites[site.id]
        if site.id not in an.site_pops or result.has_peer:
            continue
        if an.declared:
            why = "no flow to or from a site with lines in a shared segment"
            hint = f"add a flow between {site.id} and a site it must reach"
        else:
            segments = ", ".join(ctx.plan.segments_by_site[site.id])
            why = f"no other site with lines shares its segment ({segments})"
            hint = f"put {site.id} in a segment with the sites it must reach, or add a flow"
        yield Hit(f"site {site.id} has no peer: {why}", (site.id,), site.origin, hint)


@rule(
    "CCV508",
    "latency-unknown",
    "info",
    "a flow with `max_latency_ms` crosses a link without `latency_ms`",
    "give the link its committed latency_ms",
    stage=_G,
)
def check_latency_unknown(ctx: Context) -> Iterator[Hit]:
    """A flow's latency budget cannot be checked when its path has links without latency.

    A link without `latency_ms` counts 0 when the best path is chosen and makes the
    flow's latency unknown.

    Failing: `{from: a, to: b, max_latency_ms: 40}` over `{a: HKG1, b: SIN1}` (no
    `latency_ms`).

    Passing (near miss): the link with `latency_ms: 32`, or the flow without a budget.
    """
    an = ctx.analysis
    for result in an.flows:
        flow, route = result.flow, result.route
        if route is None or flow.max_latency_ms is None or not route.unknown_links:
            continue
        links = ", ".join(route.unknown_links)
        yield Hit(
            f"the latency of flow {flow.name} is unknown: its path crosses {links} without "
            "latency_ms",
            (flow.name, *route.unknown_links),
            flow.origin.child("max_latency_ms"),
            f"give backbone link {route.unknown_links[0]} its committed latency_ms",
        )


@rule(
    "CCV509",
    "flow-crosses-segments",
    "error",
    "a flow joins two sites that share no segment",
    "put both sites in one segment, or remove the flow",
    stage=_G,
)
def check_flow_crosses(ctx: Context) -> Iterator[Hit]:
    """A flow between sites in different routing domains can never be routed.

    Segments are routing domains: two sites reach each other only when they share
    one. Such a flow gets this finding and no further analysis.

    Failing: `{from: ali-dev, to: dc-frankfurt}` where ali-dev is only in `dev` and
    dc-frankfurt only in `prod`.

    Passing (near miss): a flow from `shared-svc`, which is in both segments.
    """
    by_site = ctx.plan.segments_by_site
    for flow in ctx.plan.flows:
        if flow.source not in by_site or flow.target not in by_site:
            continue
        if not ctx.plan.sites_meet(flow.source, flow.target):
            a = ", ".join(by_site[flow.source])
            b = ", ".join(by_site[flow.target])
            yield Hit(
                f"flow {flow.name} joins {flow.source} (segments {a}) and {flow.target} "
                f"(segments {b}), which share no segment",
                (flow.name, flow.source, flow.target),
                flow.origin,
                **_join_remedy(ctx.plan, flow.source, flow.target),
            )


def _join_remedy(plan: Plan, source: str, target: str) -> dict:
    """Which site to add to which segment so the flow's sites meet (CCV509).

    A site listed in no segment is in ``default`` only while it is listed nowhere, so it is
    never the one moved; a segment is suggested only when the site joining it clashes
    with none of its members (ranges, summaries, peering subnets, ASN; see
    :func:`validator.rules.segment_hints.clash`), else the hint names no segment.
    """
    sites: dict[str, Site] = {site.id: site for site in plan.sites}
    by_site = plan.segments_by_site
    members = plan.segment_members
    for joiner, host in ((target, source), (source, target)):
        if by_site[joiner] == (DEFAULT_SEGMENT,):
            continue
        for segment in by_site[host]:
            if segment == DEFAULT_SEGMENT:
                continue
            others = [sites[m] for m in members.get(segment, []) if m != joiner]
            if not any(clash(sites[joiner], other) for other in others):
                found = next(g for g in plan.segments if g.id == segment)
                return {
                    "hint": f"add {joiner} to segment {segment} (beside {host}), or remove the "
                    "flow",
                    "fix": [add(found.origin.child("sites", len(found.sites)), joiner)],
                    "fallback": f"put {source} and {target} in one segment, or remove the flow",
                }
    hint = (
        f"no segment of {source} or {target} can take the other without a range or ASN "
        "clash (CCV202/CCV403): change the clashing range or ASN before joining them, or "
        "remove the flow"
    )
    return {"hint": hint}
