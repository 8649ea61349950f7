"""Capacity rules (CCV601–CCV605): bandwidth estimates must fit lines and backbone (§5.1.2)."""

from __future__ import annotations

import bisect
from collections.abc import Iterator

from validator.clouds import pack
from validator.fixes.patch import replace
from validator.model import Site
from validator.rules.capacity_hints import line_change, lines_carry
from validator.rules.context import Context
from validator.rules.registry import Hit, rule

_G = "graph"


def _mbps(value: float) -> str:
    return f"{value:g} Mbps"


def _measured_sites(ctx: Context) -> list[Site]:
    """Sites with lines and a ``bandwidth_mbps`` (the others get no capacity checks), in
    plan order; once per run for CCV601, CCV602 and CCV605."""

    def compute() -> list[Site]:
        site_pops = ctx.analysis.site_pops
        return [
            site
            for site in ctx.plan.sites
            if site.bandwidth_mbps is not None and site.id in site_pops
        ]

    return ctx.memo("capacity.measured", compute)


def _short_sites(ctx: Context) -> tuple[list[Site], list[Site]]:
    """(the measured sites whose lines carry less than their ``bandwidth_mbps`` (CCV601),
    the multi-line sites whose lines carry it but not after losing the largest line
    (CCV602)), in plan order. One pass over the lines for both rules; the rules build
    their messages for these few sites alone."""

    def compute() -> tuple[list[Site], list[Site]]:
        over: list[Site] = []
        failover: list[Site] = []
        for site in _measured_sites(ctx):
            sizes = [line.bandwidth_mbps or 0 for line in site.lines]
            total = sum(sizes)
            if site.bandwidth_mbps > total:
                over.append(site)
            elif len(sizes) > 1 and site.bandwidth_mbps > total - max(sizes):
                failover.append(site)
        return over, failover

    return ctx.memo("capacity.short", compute)


@rule(
    "CCV601",
    "site-over-capacity",
    "error",
    "`bandwidth_mbps` of a site exceeds the sum of its lines",
    "order more line bandwidth or another line",
    stage=_G,
)
def check_site_over_capacity(ctx: Context) -> Iterator[Hit]:
    """The site's planned peak (`bandwidth_mbps`) must fit the lines it has.

    Compares the site's `bandwidth_mbps` with the sum of its lines' `bandwidth_mbps`.
    A site without `bandwidth_mbps` gets no capacity checks.

    Failing: `bandwidth_mbps: 2000` with one line of 750.

    Passing (near miss): `bandwidth_mbps: 1500` with two lines of 750 (exactly full).
    """
    for site in _short_sites(ctx)[0]:
        total = sum(line.bandwidth_mbps or 0 for line in site.lines)
        if site.bandwidth_mbps > total:
            yield Hit(
                f"site {site.id} plans {_mbps(site.bandwidth_mbps)} but its lines carry "
                f"{_mbps(total)} in all",
                (site.id,),
                site.origin.child("bandwidth_mbps"),
                **_capacity_remedy(ctx, site),
            )


@rule(
    "CCV602",
    "failover-capacity",
    "warning",
    "after losing its largest line, a multi-line site cannot carry its `bandwidth_mbps`",
    "size every line so that the others carry the site when one fails",
    stage=_G,
)
def check_failover_capacity(ctx: Context) -> Iterator[Hit]:
    """A protected site must still carry its traffic when one line fails.

    For a site with two or more lines, the lines left after losing the largest one
    must together carry the site's `bandwidth_mbps`. (A site that already fails
    CCV601 is not reported again here.)

    Failing: `bandwidth_mbps: 1000` with lines of 1000 and 500 (500 left).

    Passing (near miss): two lines of 1000 each.
    """
    for site in _short_sites(ctx)[1]:
        if len(site.lines) < 2:
            continue
        sizes = [line.bandwidth_mbps or 0 for line in site.lines]
        total = sum(sizes)
        if site.bandwidth_mbps > total:
            continue  # CCV601 already says it
        largest = max(range(len(sizes)), key=lambda i: (sizes[i], -i))
        left = total - sizes[largest]
        if site.bandwidth_mbps > left:
            lost = site.lines[largest]
            yield Hit(
                f"site {site.id} plans {_mbps(site.bandwidth_mbps)}; after losing line "
                f"{lost.id} ({_mbps(sizes[largest])}) its other lines carry {_mbps(left)}",
                (site.id,),
                site.origin.child("bandwidth_mbps"),
                **_capacity_remedy(ctx, site),
            )


@rule(
    "CCV603",
    "backbone-over-capacity",
    "error",
    "routed flows exceed a backbone link's `capacity_mbps`",
    "raise the link's capacity or route flows over another link",
    stage=_G,
)
def check_backbone_over_capacity(ctx: Context) -> Iterator[Hit]:
    """Flows routed over a backbone link must fit its `capacity_mbps`, in each direction.

    Every declared flow with `bandwidth_mbps` is routed on its best path (lowest
    latency, then fewest links, then POP ids) and loads each link of it in the
    direction from → to. A link is over capacity when one direction carries more than
    `capacity_mbps`. Implied pairs carry no bandwidth.

    Failing: `hkg1-sin1` with `capacity_mbps: 1000` carrying dc-hk→gcp-fra (800) and
    aws-hk→gcp-fra (400) from HKG1 to SIN1: 1200 Mbps.

    Passing (near miss): the same flows in opposite directions (800 one way, 400 the
    other), or `capacity_mbps: 1200`.
    """
    an = ctx.analysis
    links = {k.id: k for k in ctx.plan.links}
    busiest: dict[str, float] = {}
    for (link_id, _a, _b), load in an.load.items():
        busiest[link_id] = max(busiest.get(link_id, 0), load)
    for direction, load in sorted(an.load.items()):
        link_id, a, b = direction
        link = links[link_id]
        if link.capacity_mbps is None or load <= link.capacity_mbps:
            continue
        flows = sorted(an.load_flows[direction])
        yield Hit(
            f"backbone link {link_id} carries {_mbps(load)} from {a} to {b}, over its "
            f"capacity_mbps {_mbps(link.capacity_mbps)}; flows: {', '.join(flows)}",
            (link_id, *flows),
            link.origin.child("capacity_mbps"),
            f"raise capacity_mbps of {link_id} to {busiest[link_id]:g} or more (its load in "
            "the busier direction), or route flows over another link",
            fix=[replace(link.origin.child("capacity_mbps"), _number(busiest[link_id]))],
            fallback=f"raise capacity_mbps of {link_id}, or route flows over another link",
        )


@rule(
    "CCV605",
    "flows-exceed-site",
    "warning",
    "the flows of a site add up to more than its `bandwidth_mbps`",
    "raise the site's bandwidth_mbps or lower the flows",
    stage=_G,
)
def check_flows_exceed_site(ctx: Context) -> Iterator[Hit]:
    """What a site sends, and separately what it receives, must fit its `bandwidth_mbps`.

    Sums the `bandwidth_mbps` of the analysed flows leaving the site and, separately,
    of those arriving at it (flows crossing segments or touching a site without
    lines are not analysed).

    Failing: dc-hk with `bandwidth_mbps: 1000` sending 800 to gcp-fra and 400 to
    azure-sg (1200 out).

    Passing (near miss): the same site sending 800 and receiving 400 (each direction
    fits 1000).
    """
    sent, received = _site_flows(ctx)
    for site in _measured_sites(ctx):
        if site.id not in sent and site.id not in received and site.bandwidth_mbps >= 0:
            continue  # no flows: nothing to exceed
        for verb, table in (("sends", sent), ("receives", received)):
            flows = table.get(site.id, [])
            total = sum(f.bandwidth_mbps for f in flows)
            if total > site.bandwidth_mbps:
                names = sorted(f.name for f in flows)
                yield Hit(
                    f"site {site.id} {verb} {_mbps(total)} in flows ({', '.join(names)}), "
                    f"more than its bandwidth_mbps {_mbps(site.bandwidth_mbps)}",
                    (site.id,),
                    site.origin.child("bandwidth_mbps"),
                    **_raise_remedy(ctx, site),
                )


def _site_flows(ctx: Context) -> tuple[dict[str, list], dict[str, list]]:
    """The analysed flows with a bandwidth, by sending site and by receiving site."""
    sent: dict[str, list] = {}
    received: dict[str, list] = {}
    for result in ctx.analysis.flows:
        flow = result.flow
        if result.status in ("no-line", "crosses") or not flow.bandwidth_mbps:
            continue
        sent.setdefault(flow.source, []).append(flow)
        received.setdefault(flow.target, []).append(flow)
    return sent, received


def _flow_peak(ctx: Context, site_id: str) -> float:
    """The larger of what a site sends and receives in flows (Mbps): CCV605's floor."""
    sent, received = _site_flows(ctx)
    return max(
        sum(f.bandwidth_mbps for f in sent.get(site_id, [])),
        sum(f.bandwidth_mbps for f in received.get(site_id, [])),
    )


def _number(value: float) -> int | float:
    """``value`` as the document would write it: an integer when it is whole."""
    return int(value) if float(value).is_integer() else value


def _sizes_fix(change) -> list[dict]:
    return [replace(line.origin.child("bandwidth_mbps"), _number(v)) for line, v in change.raises]


def _capacity_remedy(ctx: Context, site) -> dict:
    """Hint, and fix when the first suggestion only raises existing lines (CCV601/602)."""
    hint = _capacity_hint(ctx, site)
    change = line_change(site, site.bandwidth_mbps, ctx.plan)
    if change is None or not change.raises or not hint.startswith(change.text):
        return {"hint": hint}
    return {
        "hint": hint,
        "fix": _sizes_fix(change),
        "fallback": f"give site {site.id} more or larger lines, sized so the others still "
        f"carry {_mbps(site.bandwidth_mbps)} when one fails",
    }


def _raise_remedy(ctx: Context, site) -> dict:
    """Hint, and fix raising bandwidth_mbps (with the lines when they must follow) (CCV605)."""
    hint = _raise_hint(ctx, site)
    peak = _flow_peak(ctx, site.id)
    sizes = [line.bandwidth_mbps or 0 for line in site.lines]
    ops = [replace(site.origin.child("bandwidth_mbps"), _number(peak))]
    if not lines_carry(peak, sizes):
        change = line_change(site, peak, ctx.plan)
        if change is None or not change.raises:
            return {"hint": hint}
        ops += _sizes_fix(change)
    return {
        "hint": hint,
        "fix": ops,
        "fallback": f"raise bandwidth_mbps of {site.id} and its lines, or lower the flows",
    }


def _capacity_hint(ctx: Context, site) -> str:
    """How to make the lines of ``site`` carry its bandwidth_mbps (CCV601, CCV602).

    Every size named is orderable for the site's cloud and leaves CCV601, CCV602 and
    CCV605 clean; without such a size the hint names no value.
    """
    need = site.bandwidth_mbps
    sizes = [line.bandwidth_mbps or 0 for line in site.lines]
    change = line_change(site, need, ctx.plan)
    parts = [f"{change.text} so the lines of {site.id} carry {_mbps(need)}"] if change else []
    total = sum(sizes)
    keep = total if len(sizes) < 2 else total - max(sizes)
    if keep > 0 and lines_carry(keep, sizes) and keep >= _flow_peak(ctx, site.id):
        parts.append(f"lower its bandwidth_mbps to {_mbps(keep)}")
    if not parts:
        return (
            f"give site {site.id} more or larger lines, sized so the others still carry "
            f"{_mbps(need)} when one fails"
        )
    if len(sizes) >= 2:
        parts[0] += " even when one line fails"
    return ", or ".join(parts)


def _raise_hint(ctx: Context, site) -> str:
    """How to give ``site`` the bandwidth its flows need (CCV605), lines included."""
    peak = _flow_peak(ctx, site.id)
    sizes = [line.bandwidth_mbps or 0 for line in site.lines]
    raise_to = f"raise bandwidth_mbps of {site.id} to {peak:g}"
    if lines_carry(peak, sizes):
        return f"{raise_to}, or lower the flows"
    change = line_change(site, peak, ctx.plan)
    if change is None:
        return f"{raise_to} and give it lines that carry that, or lower the flows"
    return f"{raise_to} and {change.text}, or lower the flows"


# --------------------------------------------------------------------------- CCV604
@rule(
    "CCV604",
    "bandwidth-not-orderable",
    "warning",
    "a line's bandwidth is not a capacity the site's cloud sells",
    "order a bandwidth the cloud sells",
    stage=_G,
)
def check_bandwidth_orderable(ctx: Context) -> Iterator[Hit]:
    """A line's `bandwidth_mbps` should be a capacity the site's cloud sells.

    The values follow the site's `interconnect` (default `partner`):

    - AWS Direct Connect: hosted (partner) 50, 100, 200, 300, 400, 500 Mbps, 1, 2, 5,
      10, 25 Gbps; dedicated 1, 10, 100, 400 Gbps.
    - Azure ExpressRoute: through a provider 50, 100, 200, 500 Mbps, 1, 2, 5, 10 Gbps;
      ExpressRoute Direct (dedicated) 1, 2, 5, 10, 40, 100 Gbps.
    - Google Cloud VLAN attachments: Partner Interconnect 50, 100, 200, 300, 400,
      500 Mbps, 1, 2, 5, 10, 20, 50 Gbps; Dedicated Interconnect also 100 and 400 Gbps.

    Alibaba, Huawei, Tencent and Oracle publish no list the data could be sourced
    from, so their lines are not checked. The hint names the nearest capacities below
    and above.

    Failing: a line of an AWS site with `bandwidth_mbps: 750`.
    Passing near-miss: `bandwidth_mbps: 500` or `1000`.
    """
    exact_values: dict[tuple[str | None, str], frozenset[float]] = {}  # per cloud, interconnect
    for site in ctx.plan.sites:
        found = pack(site.cloud)
        orderable = None if found is None else found.bandwidths_for(site.interconnect)
        if found is None or orderable is None:
            continue
        values = orderable.values
        key = (site.cloud, site.interconnect)
        if key not in exact_values:
            exact_values[key] = frozenset(values)
        exact = exact_values[key]
        for line in site.lines:
            bandwidth = line.bandwidth_mbps
            if bandwidth is None or bandwidth in exact:
                continue  # a value of the list as written: the common case, one lookup
            if any(abs(bandwidth - v) < 1e-6 for v in values):
                continue
            place = bisect.bisect_left(values, bandwidth)
            near = []
            if place > 0:
                near.append(f"{_mbit_s(values[place - 1])} below")
            if place < len(values):
                near.append(f"{_mbit_s(values[place])} above")
            yield Hit(
                f"line {line.id} of site {site.id} has {_mbit_s(bandwidth)}, which "
                f"{found.name} does not sell ({site.interconnect} interconnect)",
                (line.id,),
                line.origin.child("bandwidth_mbps"),
                f"order {' or '.join(near)}",
            )


def _mbit_s(value: float) -> str:
    number = int(value) if float(value).is_integer() else value
    return f"{number} Mbit/s"
