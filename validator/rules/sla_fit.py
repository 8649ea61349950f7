"""SLA rules (CCV701–CCV703): the protection each site gets must give the SLA it needs.

CCV704: the redundancy the site's cloud requires or recommends (facts in data/clouds/).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from validator.clouds import pack
from validator.fixes.patch import replace
from validator.graph.advice import Advisor, needed_tier
from validator.rules.capacity_hints import new_line_text
from validator.rules.context import Context
from validator.rules.registry import Hit, rule
from validator.sla.tables import tier, tiers

_G = "graph"


@rule(
    "CCV701",
    "sla-unreachable",
    "error",
    "the site's `sla_target` exceeds its tier's committed availability",
    "add protection: a second line on another POP, or a backbone link that removes the "
    "single point of failure",
    stage=_G,
)
def check_sla_unreachable(ctx: Context) -> Iterator[Hit]:
    """The protection tier a site really gets must commit the availability it needs.

    The tier is computed from the graph (SPEC §3): `highest` (99.99, a special-scenario
    commitment), `dual-protected` (99.95), `single-protected` (99.9),
    `single-unprotected` (99.5). The site's target is its `sla_target`, else the
    top-level one of its own file (with `--merge`, one team's default does not apply to
    another file's sites); without any target nothing is checked, and a target equal to the
    tier's availability is met. The hint names the smallest change that reaches the
    target — a second line (on which POP), a second link beside a named bridge, a link
    that bypasses a named POP, links that close the backbone between the site's peers
    into a ring — verified by classifying the changed plan again.

    Failing: `sla_target: 99.95` on a site with one line (at best `single-protected`,
    99.9). Hint: "add a second line to site aws-hk on POP HKG1 …".

    Passing (near miss): the same site with a second line on the same POP and a
    backbone without a bridge towards its peers (`dual-protected`, 99.95 = target).
    """
    an = ctx.analysis
    plan = ctx.plan
    advisor: Advisor | None = None  # built for the first site that needs advice
    for site in plan.sites:
        target = plan.target_of(site)
        if target is None:
            continue
        result = an.sites[site.id]
        if result.tier == "none":
            continue
        committed = tier(result.tier).availability
        if target <= committed:
            continue
        default = ctx.plan.default_target(site)
        at = (
            site.origin.child("sla_target")
            if site.sla_target is not None or default is None
            else default[1]
        )
        want = needed_tier(target)
        if want is None:
            best = tiers()[-1]
            hint = (
                f"no tier commits {target:g} %; the best is {best.id} ({best.availability:g} %)"
                f": set sla_target of {site.id} to {best.availability:g} or lower"
            )
        else:
            advice = None
            if ctx.hints:  # fix verification only compares findings: no search then
                advisor = advisor or Advisor(an)
                advice = advisor.advise(site.id, target)
            hint = (
                _concrete(ctx, site, advice) if advice else _generic_hint(an, site.id, want, target)
            )
        yield Hit(
            f"site {site.id} needs {target:g} % but its protection is {result.tier}, which "
            f"commits {committed:g} %",
            (site.id,),
            at,
            hint,
        )


_SECOND_LINE = re.compile(r"add a second line to site (\S+) on POP (\S+?)(?=[ ,:;]|$)")


def _concrete(ctx: Context, site, advice: str) -> str:
    """The advice with what its new objects need to be valid where they go (SPEC §13).

    A new line gets a size the site's cloud sells that keeps CCV601/CCV602 clean and a
    VLAN free on its POP (CCV307); a new backbone link is told to carry its own id and
    ``latency_ms`` (CCV102, CCV508), values the plan's author alone knows.
    """
    text = _SECOND_LINE.sub(
        lambda m: m.group(0) + new_line_text(ctx.plan, site, m.group(2)), advice
    )
    if "backbone link" in text:
        text += "; give a new backbone link its own id, latency_ms and capacity_mbps"
    return text


def _generic_hint(an, site_id: str, want: str, target: float) -> str:
    """The hint when no verified change was found: what the tier needs, naming the culprits."""
    parts = []
    if want in ("dual-protected", "highest") and len(an.sites[site_id].site.lines) < 2:
        parts.append("a second line" + (" on another POP" if want == "highest" else ""))
    links = an.failures.link_fail.listed(site_id)[0]
    if links:
        parts.append(f"a second link beside backbone link {links[0][0]}")
    pops = an.failures.pop_fail.listed(site_id)[0]
    if want == "highest" and pops:
        parts.append(f"a backbone link that bypasses POP {pops[0][0]}")
    if site_id in an.failures.unreachable:
        parts.append(f"a backbone path to {an.failures.unreachable[site_id]}")
    needs = "; ".join(parts) or "more protection"
    return f"{site_id} needs {want} for {target:g} %: add {needs}"


@rule(
    "CCV702",
    "sla-nonstandard-target",
    "warning",
    "`sla_target` is not one of 99.5, 99.9, 99.95, 99.99",
    "use a committed availability: 99.5, 99.9, 99.95 or 99.99",
    stage=_G,
)
def check_nonstandard_target(ctx: Context) -> Iterator[Hit]:
    """`sla_target` should be an availability the agreement commits.

    The agreement commits 99.5, 99.9, 99.95 and 99.99 % (SLA annex, art. 2.2(1)).
    Reported once where the value is written: the top-level default or the site's
    own, not once per site inheriting it. The hint names the committed value just
    above (the tier you need to order).

    Failing: `sla_target: 99.7`. Passing (near miss): `sla_target: 99.9`.
    """
    committed = sorted(t.availability for t in tiers())

    def redundancy_unchanged(value: float, new: float, sites) -> bool:
        """No cloud asks for more redundancy at ``new`` than at ``value`` (CCV704)."""
        for site in sites:
            found = pack(site.cloud)
            for need in found.redundancy if found else ():
                if need.applies(new) and not need.applies(value):
                    return False
        return True

    def hint(value: float, at, sites=()) -> dict:
        above = [a for a in committed if a >= value]
        if above and not redundancy_unchanged(value, float(above[0]), sites):
            return {
                "hint": f"use a committed availability: {above[0]:g} (the next one up from "
                f"{value:g}); the site's cloud then asks for more redundancy (CCV704)"
            }
        if above:
            # Raising a target to the next committed value never newly exceeds a tier:
            # the tiers' availabilities are the committed values themselves.
            return {
                "hint": f"use a committed availability: {above[0]:g} (the next one up from "
                f"{value:g})",
                "fix": [replace(at, float(above[0]))],
            }
        return {"hint": f"use a committed availability: {committed[-1]:g} is the highest"}

    for value, origin in ctx.plan.sla_defaults.values():
        if value in committed:
            continue
        yield Hit(
            f"the default sla_target {value:g} is not a committed availability "
            f"({', '.join(f'{a:g}' for a in committed)})",
            tuple(
                s.id for s in ctx.plan.sites if s.sla_target is None and s.origin.doc is origin.doc
            ),
            origin,
            **hint(
                value,
                origin,
                [s for s in ctx.plan.sites if s.sla_target is None and s.origin.doc is origin.doc],
            ),
        )
    for site in ctx.plan.sites:
        if site.sla_target is not None and site.sla_target not in committed:
            yield Hit(
                f"sla_target {site.sla_target:g} of site {site.id} is not a committed "
                f"availability ({', '.join(f'{a:g}' for a in committed)})",
                (site.id,),
                site.origin.child("sla_target"),
                **hint(site.sla_target, site.origin.child("sla_target"), [site]),
            )


@rule(
    "CCV703",
    "dual-without-backbone",
    "warning",
    "a multi-line site falls to `single-unprotected` because its backbone is not protected",
    "add backbone links so no single link failure separates the site from its peers",
    stage=_G,
)
def check_dual_without_backbone(ctx: Context) -> Iterator[Hit]:
    """Two lines buy nothing when one backbone link can still cut the site off.

    A site with two or more lines is `dual-protected` only when its backbone is
    protected too; otherwise it falls to `single-unprotected` (99.5 %). The message
    names the bridge (or the missing path) that costs the protection.

    Failing: a site with lines on HKG1 and HKG2 whose peer sits on FRA1, reached only
    through the single link `hkg2-fra1`.

    Passing (near miss): a second link between the HKG POPs and FRA1.
    """
    an = ctx.analysis
    for site in ctx.plan.sites:
        result = an.sites[site.id]
        if result.tier != "single-unprotected" or len(site.lines) < 2:
            continue
        failures = an.failures
        links = failures.link_fail.listed(site.id)[0]
        if site.id in failures.unreachable:
            peer = failures.unreachable[site.id]
            why = f"it has no backbone path to {peer}"
            hint = f"add backbone links joining the POPs of {site.id} and {peer}"
        elif links:
            link_id, peer = links[0]
            why = f"a failure of backbone link {link_id} separates it from {peer}"
            hint = f"back up backbone link {link_id} with a second link between its two sides"
        else:  # pragma: no cover - a multi-line site with a protected backbone is dual
            continue
        yield Hit(
            f"site {site.id} has {len(site.lines)} lines but is single-unprotected: {why}",
            (site.id,),
            site.origin.child("lines"),
            hint,
        )


# --------------------------------------------------------------------------- CCV704
@rule(
    "CCV704",
    "cloud-redundancy",
    "warning",
    "the site's cloud requires or recommends redundancy the plan lacks (e.g. ExpressRoute "
    "primary + secondary links)",
    "add the redundant line the cloud asks for",
    stage=_G,
)
def check_cloud_redundancy(ctx: Context) -> Iterator[Hit]:
    """A cloud site should have the redundancy its cloud requires or recommends.

    - Azure ExpressRoute requires both links of the circuit (primary and secondary):
      "you must set up both BGP sessions for our availability SLA to be valid" — at
      least 2 lines.
    - Google Cloud recommends a pair of VLAN attachments, one per edge availability
      domain — at least 2 lines.
    - AWS's resiliency models: Maximum Resiliency (target 99.99) has two connections
      at each of two locations — 2 lines on each of 2 POPs; High Resiliency (target
      99.9 or more) one connection at each of two locations — lines on 2 POPs; even
      Development and Test uses 2 connections — at least 2 lines.
    - Alibaba: from target 99.95, two access points and two circuits (lines on 2
      POPs); from 99.99, four circuits on two access points.
    - Huawei strongly recommends dual connections to different access points — lines
      on 2 POPs.

    The target is the site's `sla_target` or its file's top-level one. A carrier POP stands for the
    cloud location it reaches. Tencent and Oracle publish no sourced requirement.
    A site without lines is CCV501's.

    Where the cloud builds circuits of a fixed number of links (Azure ExpressRoute: a
    primary and a secondary), each `circuit` of the site (default: the site's id) is
    checked too once the site as a whole has enough lines: a circuit with one link is
    reported at that line.

    Failing: an Azure site with one line. Passing near-miss: the same site with a
    primary and a secondary line.
    """
    plan = ctx.plan
    for site in plan.sites:
        found = pack(site.cloud)
        if found is None or not found.redundancy or not site.lines:
            continue
        target = plan.target_of(site)
        per_pop: dict[str, int] = {}  # lines per POP (a plain dict: a Counter costs more)
        for line in site.lines:
            if line.pop:
                per_pop[line.pop] = per_pop.get(line.pop, 0) + 1
        lines = len(site.lines)
        for need in found.redundancy:
            if not need.applies(target):
                continue
            if lines >= need.min_lines and len(per_pop) >= need.min_pops:
                strong_pops = sum(1 for n in per_pop.values() if n >= need.min_lines_per_pop)
                if strong_pops >= need.min_pops:
                    continue
            yield Hit(
                _redundancy_message(site, found.name, need.kind, need.text, lines, per_pop),
                (site.id,),
                site.origin.child("lines"),
                _redundancy_hint(need, lines, per_pop),
                key=True,
            )
            break
        else:
            if found.circuit is not None:
                yield from _short_circuits(site, found)


def _short_circuits(site, found) -> Iterator[Hit]:
    """Circuits of a site with fewer links than the cloud builds them with."""
    circuit = found.circuit
    links: dict[str, list] = {}
    for line in site.lines:
        links.setdefault(line.circuit or site.id, []).append(line)
    for name, members in links.items():
        if len(members) >= circuit.links:
            continue
        first = members[0]
        yield Hit(
            f"circuit {name} of site {site.id} has {len(members)} link(s) ({first.id}); "
            f"{found.name} requires more: {circuit.reason}",
            (first.id, site.id),
            first.origin,
            f"add the circuit's other link: a line with circuit: {name} (on a second port, "
            f"same VLAN{f' {first.vlan}' if first.vlan is not None else ''})",
            key=True,
        )


def _redundancy_message(site, name, kind, text, lines, per_pop) -> str:
    pops = ", ".join(sorted(per_pop)) or "no POP"
    has = f"{lines} line{'s' if lines != 1 else ''} on {pops}"
    verb = "requires" if kind == "required" else "recommends"
    return f"site {site.id} has {has}; {name} {verb} more: {text}"


def _redundancy_hint(need, lines, per_pop) -> str:
    wanted = []
    if need.min_pops > 1:
        if need.min_lines_per_pop > 1:
            wanted.append(f"{need.min_lines_per_pop} lines on each of {need.min_pops} POPs")
        else:
            wanted.append(f"lines on at least {need.min_pops} different POPs")
    if need.min_lines > max(lines, 1) or not wanted:
        wanted.insert(0, f"at least {need.min_lines} lines")
    target = (
        f" for a target of {need.when_target_at_least}"
        if need.when_target_at_least is not None
        else ""
    )
    return f"add lines so the site has {' and '.join(wanted)} ({need.name}{target})"
