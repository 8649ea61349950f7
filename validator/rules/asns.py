"""ASN rules (CCV401–CCV406): AS numbers must be valid, usable and free of conflicts.

The special ranges (RFC 1930, 5398, 6793, 6996, 7300, 7607) live in
``validator/data/asn-registry.yaml``. Site and exchange ASNs arrive as asplain
integers (``validator.asn.parse_asn`` reads 64512, "AS64512" and asdot "1.10").
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from operator import attrgetter
from typing import NamedTuple

from validator import clouds
from validator.addressing.index import merged_intervals
from validator.clouds import CloudPack, asn_refusal, pack, peer_asn_refusal
from validator.datafile import read_data
from validator.fixes.suggest import fixed_asn
from validator.model import Origin, Site
from validator.rules.asns_hints import (
    PRIVATE_HINT,
    accepted_asn_hint,
    free_private_asn,
    peer_reserved,
    site_asn_fix,
    split_asn_fix,
    subject_fix,
    such_as,
)
from validator.rules.context import Context
from validator.rules.registry import Hit, rule
from validator.wording import name as field_name


@dataclass(frozen=True, slots=True)
class AsnRange:
    """A special ASN range of the registry."""

    first: int
    last: int
    name: str
    rfc: str
    rule: str  # CCV401, CCV402 or "private"

    def describe(self) -> str:
        """``AS_TRANS, RFC 6793``."""
        return f"{self.name}, {self.rfc}"


@cache
def _registry() -> tuple[int, tuple[AsnRange, ...]]:
    raw = read_data("asn-registry.yaml")
    ranges = tuple(
        sorted(
            (
                AsnRange(r["first"], r["last"], r["name"], r["rfc"], r["rule"])
                for r in raw["ranges"]
            ),
            key=lambda r: r.first,
        )
    )
    return raw["max_asn"], ranges


@cache
def _firsts() -> list[int]:
    return [r.first for r in _registry()[1]]


def asn_range(asn: int) -> AsnRange | None:
    """The special range holding ``asn``, or None (an ordinary public ASN)."""
    _, ranges = _registry()
    i = bisect.bisect_right(_firsts(), asn) - 1
    if i >= 0 and ranges[i].first <= asn <= ranges[i].last:
        return ranges[i]
    return None


def asn_class(asn: int) -> tuple[str, str]:
    """(``"CCV401"``/``"CCV402"``/``"private"``/``"public"``, why) for ``asn``."""
    maximum, _ = _registry()
    if asn < 0 or asn > maximum:
        return "CCV401", f"outside 0..{maximum}"
    found = asn_range(asn)
    if found is None:
        return "public", "a public ASN"
    return found.rule, found.describe()


def requires_private_asn(cloud: str | None) -> bool:
    """Whether sites of ``cloud`` must use a private ASN (CCV405): the cloud pack's word
    (``validator/data/clouds/<cloud>.yaml``), never for ``onprem`` and ``other`` (SPEC §8)."""
    if cloud in (None, "onprem", "other"):
        return False
    return clouds.requires_private_asn(cloud)


class Subject(NamedTuple):
    """An ASN of the plan as the ASN rules see it, classified once."""

    asn: int
    objects: tuple[str, ...]  # the site's id, or () for the exchange
    at: Origin  # where the value is written
    who: str  # "the exchange" or "site ID", for messages
    cloud: str | None  # the site's cloud
    kind: str  # "CCV401", "CCV402", "public" or "private" (asn_class)
    why: str  # the registry's reason for the class


def _written(at: Origin) -> object:
    """The value as the plan writes it at ``at`` (None when it is not there)."""
    node = at.doc.data
    for part in at.path:
        try:
            node = node[part]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _subjects(ctx: Context) -> list[Subject]:
    """The exchange's and every site's ASN, classified once for all ASN rules; left out
    are ordinary private ASNs and a site's public ASN where its cloud does not require a
    private one (no rule has anything to say about either: CCV405 only reads a public
    ASN where a private one is expected). Each distinct ASN is classified once."""

    def compute() -> list[Subject]:
        found: list[Subject] = []
        exchange = ctx.plan.exchange
        if exchange is not None and exchange.asn is not None:
            kind, why = asn_class(exchange.asn)
            found.append(
                Subject(
                    exchange.asn, (), exchange.origin.child("asn"), "the exchange", None, kind, why
                )
            )
        classes: dict[int, tuple[str, str]] = {}
        private_wanted: dict[str | None, bool] = {}  # requires_private_asn per cloud
        for site in ctx.plan.sites:
            asn = site.asn
            if asn is None or 64512 <= asn <= 65534 or 4200000000 <= asn <= 4294967294:
                continue  # private (RFC 6996): nothing to say
            if asn not in classes:
                classes[asn] = asn_class(asn)
            kind, why = classes[asn]
            if kind == "public":
                cloud = site.cloud
                if cloud not in private_wanted:
                    private_wanted[cloud] = requires_private_asn(cloud)
                if not private_wanted[cloud]:
                    continue  # a public ASN where the cloud allows one: nothing to say
            found.append(
                Subject(
                    asn,
                    (site.id,),
                    site.origin.child("asn"),
                    f"site {site.id}",
                    site.cloud,
                    kind,
                    why,
                )
            )
        return found

    return ctx.memo("asns.subjects", compute)


@rule(
    "CCV401",
    "asn-invalid",
    "error",
    "ASN 0, 23456, 65535, 4294967295, or out of range",
    PRIVATE_HINT,
)
def check_asn_invalid(ctx: Context) -> Iterator[Hit]:
    """An ASN must be usable on a BGP session: not 0 (RFC 7607), not 23456 (AS_TRANS,
    RFC 6793), not 65535 or 4294967295 (RFC 7300), and within 0..4294967295 (asdot
    parts at most 65535). Applies to sites and to the exchange.

    Failing: `asn: 23456`, `asn: "1.70000"`.
    Passes: `asn: 64512`, `asn: "64086.59905"` (= 4200000001).
    """
    for found in _subjects(ctx):
        if found.kind == "CCV401":
            written = _written(found.at)
            if found.asn == -1 and isinstance(written, str):  # parse_asn's asdot sentinel
                shown, why = f'asdot ASN "{written.strip()}"', "each part at most 65535"
            else:
                shown, why = f"ASN {found.asn}", found.why
            yield Hit(
                f"{found.who} uses {shown} ({why}), which BGP cannot use",
                found.objects,
                found.at,
                **subject_fix(ctx, found.at, PRIVATE_HINT),
            )


@rule(
    "CCV402",
    "asn-reserved",
    "error",
    "documentation ASN (64496–64511, 65536–65551)",
    "documentation ASNs are for examples; " + PRIVATE_HINT,
)
def check_asn_reserved(ctx: Context) -> Iterator[Hit]:
    """ASNs 64496–64511 and 65536–65551 are reserved for documentation (RFC 5398):
    they appear in examples, and a plan that uses one was copied from one. Applies to
    sites and to the exchange.

    Failing: `asn: 64500`.
    Passes: `asn: 64512` (the first private ASN).
    """
    for found in _subjects(ctx):
        if found.kind == "CCV402":
            yield Hit(
                f"{found.who} uses documentation ASN {found.asn} ({found.why})",
                found.objects,
                found.at,
                **subject_fix(
                    ctx, found.at, "documentation ASNs are for examples; " + PRIVATE_HINT
                ),
            )


_ASN, _CLOUD = attrgetter("asn"), attrgetter("cloud")


@rule(
    "CCV403",
    "asn-duplicate",
    "error",
    "two sites that meet share an ASN and `exchange.as_override` is not set (AS-path loop "
    "prevention drops the routes); warning when it is set",
    "give each site its own ASN, or set exchange.as_override: true",
)
def check_asn_duplicate(ctx: Context) -> Iterator[Hit]:
    """Sites that meet must not share an ASN: BGP drops a route whose AS path already
    holds the receiver's own ASN (AS-path loop prevention), so two sites with one ASN
    never learn each other's ranges. `exchange.as_override: true` makes the carrier
    replace the site's ASN in the path with its own, which lets the routes through;
    the finding is then a warning (loop detection is lost for those sites). One
    finding per shared ASN, naming every site that shares it with a site it meets,
    located at the second such site. Sites in disjoint segments may share an ASN.

    Failing: `aws-hk` and `gcp-fra` both `asn: 65001`, in one segment.
    Passes: the same, with the two sites in disjoint segments.
    """
    plan = ctx.plan
    segments = plan.segments_by_site
    # Only an ASN written more than once can be shared: counted in C first, so the
    # sites are grouped for those ASNs alone (most ASNs are one site's).
    asns = list(map(_ASN, plan.sites))
    repeated = {asn for asn, n in Counter(asns).items() if n > 1 and asn is not None and asn >= 0}
    groups: dict[int, list] = {}
    for site, asn in zip(plan.sites, asns, strict=True):
        if asn in repeated:
            groups.setdefault(asn, []).append(site)
    override = plan.exchange is not None and plan.exchange.as_override
    for asn, sites in groups.items():
        if len({s.id for s in sites}) < 2:
            continue
        # The sites that share a segment with another site of the group: each segment's
        # first site is remembered, and any other site in it joins the sharing with it.
        first_in: dict[str, str] = {}
        sharing = set()
        for site in sites:
            for segment in segments.get(site.id, ()):
                first = first_in.setdefault(segment, site.id)
                if first != site.id:
                    sharing.add(first)
                    sharing.add(site.id)
        if not sharing:
            continue
        named = [s for s in sites if s.id in sharing]
        second = named[1] if len(named) > 1 else named[0]
        ids = sorted(sharing)
        fixed = [s for s in named if fixed_asn(s) == asn]
        fix = None if override else split_asn_fix(ctx, named, fixed)
        if fix is not None:
            changes = ", ".join(f"{value} for site {site_id}" for site_id, value in fix[1])
            hint = (
                f"BGP drops routes whose AS path already holds the receiver's ASN (AS-path "
                f"loop prevention): give each site its own private ASN, e.g. {changes}"
            )
        elif len({s.id for s in fixed}) > 1:
            clouds_ = sorted({s.cloud or "" for s in fixed})
            hint = (
                f"{' and '.join(clouds_)} fix their side's ASN at {asn}, so the sites cannot "
                "change it: set exchange.as_override: true so the carrier rewrites AS "
                f"{asn} in the AS path (AS-path loop prevention drops the routes otherwise)"
            )
        elif override:
            hint = (
                f"as_override is set, so the carrier rewrites AS {asn} in the paths and the "
                "routes pass AS-path loop prevention; give each site its own private ASN "
                "to keep loop detection"
            )
        else:
            hint = (
                f"BGP drops routes whose AS path already holds the receiver's ASN (AS-path "
                f"loop prevention), so sites with AS {asn} never learn each other's ranges: "
                "give each site its own private ASN (64512–65534, 4200000000–4294967294), "
                "or set exchange.as_override: true so the carrier rewrites the AS path"
            )
        yield Hit(
            f"sites {', '.join(ids)} share ASN {asn}",
            ids,
            second.origin.child("asn"),
            hint,
            severity="warning" if override else None,
            fix=fix[0] if fix is not None else None,
            fallback="give each site its own ASN, or set exchange.as_override: true",
        )


@rule(
    "CCV405",
    "asn-public",
    "warning",
    "a public ASN where a private one is expected",
    "use a private ASN unless you own this public one",
)
def check_asn_public(ctx: Context) -> Iterator[Hit]:
    """The exchange's ASN, and the ASN of a site whose cloud requires a private ASN,
    should be private (64512–65534, 4200000000–4294967294; RFC 6996): a public ASN
    belongs to someone, and its routes may be filtered or confused with theirs.
    Never for `onprem` and `other` sites, and never on top of CCV401/CCV402.

    Failing: `exchange: {asn: 3356}`.
    Passes: `exchange: {asn: 64600}`.
    """
    for found in _subjects(ctx):
        if found.objects and not requires_private_asn(found.cloud):
            continue
        if found.kind == "public":
            default = (
                f"use a private ASN (64512–65534 or 4200000000–4294967294, RFC 6996) "
                f"unless you own AS {found.asn}"
            )
            # A site's cloud requires a private ASN: definite. The exchange's ASN may be
            # one the carrier owns: no fix.
            yield Hit(
                f"{found.who} uses public ASN {found.asn} where a private one is expected",
                found.objects,
                found.at,
                **(subject_fix(ctx, found.at, default) if found.objects else {"hint": default}),
            )


@rule(
    "CCV406",
    "asn-exchange-clash",
    "error",
    "a site's ASN equals the exchange ASN",
    "give the site an ASN other than the exchange's",
)
def check_exchange_clash(ctx: Context) -> Iterator[Hit]:
    """A site must not use the exchange's ASN: the eBGP session between them would be
    iBGP (or refused), and routes from the exchange would look like the site's own.

    Failing: `exchange: {asn: 64600}` and a site with `asn: 64600`.
    Passes: the site on `asn: 64601`.
    """
    exchange = ctx.plan.exchange
    if exchange is None or exchange.asn is None:
        return
    for site in ctx.plan.sites:
        if site.asn is not None and site.asn == exchange.asn:
            fixed = fixed_asn(site)
            if fixed is None:
                default = f"give site {site.id} a private ASN other than {exchange.asn}"
            elif fixed == exchange.asn:
                default = (
                    f"{site.cloud} fixes its side's ASN at {fixed}: give the exchange another ASN"
                )
            else:
                default = f"set asn to {fixed}"
            yield Hit(
                f"site {site.id} uses the exchange's ASN {site.asn}",
                (site.id,),
                site.origin.child("asn"),
                **site_asn_fix(ctx, site, default),
            )


Bounds = tuple[tuple[int, int], ...]
"""Inclusive (first, last) ASN ranges."""


def _within(asn: int, bounds: Bounds) -> bool:
    """True when ``asn`` lies in one of ``bounds`` (a handful of ranges: a plain loop)."""
    for first, last in bounds:  # noqa: SIM110 (any() over a generator: twice the time)
        if first <= asn <= last:
            return True
    return False


def _quiet_asns() -> Callable[[str | None, str], tuple[Bounds, Bounds] | None]:
    """For a cloud and an interconnect type: (the ranges the cloud accepts as its own
    ASN, the ranges it keeps off its own side), as plain integer pairs; None without a
    pack or ASN rules. An ASN in the first and not in the second is one CCV404 has
    nothing to say about (``AsnRules.accepts`` and ``AsnRules.forbidding``), decided per
    site without a method call per range. Worked out once per (cloud, interconnect)."""
    known: dict[tuple[str | None, str], tuple[Bounds, Bounds] | None] = {}

    def limits(cloud: str | None, interconnect: str) -> tuple[Bounds, Bounds] | None:
        key = (cloud, interconnect)
        if key not in known:
            found = pack(cloud)
            if found is None or found.asn is None:
                known[key] = None
            else:
                rules = found.asn
                known[key] = (
                    tuple((r.first, r.last) for r in rules.accepted_for(interconnect)),
                    tuple((r.first, r.last) for r in rules.reserved if r.side != "peer"),
                )
        return known[key]

    return limits


# --------------------------------------------------------------------------- CCV404
@rule(
    "CCV404",
    "asn-cloud-rule",
    "error",
    "an ASN the site's cloud forbids or does not use",
    "use an ASN the site's cloud accepts",
)
def check_asn_cloud(ctx: Context) -> Iterator[Hit]:
    """A cloud site's `asn` is the ASN of the cloud's BGP speaker: it must be one the cloud
    uses, for the site's `interconnect` type (default `partner`).

    - AWS (Direct Connect gateway / virtual private gateway): a private ASN,
      64512–65534 or 4200000000–4294967294 (default 64512).
    - Azure ExpressRoute: always 12076.
    - Google Cloud Router: 16550 for Partner Interconnect (the default); a private ASN
      (RFC 6996) for Dedicated Interconnect (`interconnect: dedicated`), where 16550 is
      refused.
    - Alibaba Cloud: 45104 by default, or a custom ASN of the customer's choice except
      65025, which Alibaba reserves.
    - Huawei Cloud: 64512 by default, or a private ASN of the customer's choice
      (64512–65534, 4200000000–4294967294).
    - Tencent Cloud: 45090. Oracle (commercial realm): 31898.

    The other side of the session too: the exchange's ASN (the peer ASN of every cloud
    site) and the ASN of every site that meets a cloud site (its routes reach the cloud
    site with that ASN in the AS path) must not be one the cloud reserves for itself:
    Azure 65515–65520, 8074, 8075 and 12076; AWS 7224, 9059, 10124, 17493; Alibaba
    65025 and 45104; Huawei 64512 ("reserved for Direct Connect"). Such a finding names
    the ASN's owner (a site; the exchange has no id) and the cloud site, and is located
    at the ASN to change (with a free private ASN to take). It is reported even where
    CCV403 or CCV406 also fires (an exchange or an on-premises router on Microsoft's
    12076): those say two ASNs clash, this one that the cloud refuses the value. A site
    of the same cloud using that cloud's own ASN (two Azure VNets on 12076) is not
    reported.

    Values the generic rules report (0, 23456, 65535, 4294967295, documentation ASNs,
    out of range) are left to CCV401/CCV402, and a public ASN where the cloud requires a
    private one to CCV405: one mistake, one finding.

    Failing: `{id: azure-sg, cloud: azure, asn: 65010, …}` (Microsoft's side is 12076);
    `exchange: {asn: 65515}` with an Azure site; a GCP site (partner) with `asn: 65001`.
    Passing near-miss: `{id: azure-sg, cloud: azure, asn: 12076, …}`; `exchange: {asn:
    64600}`; the GCP site with `asn: 16550`, or `interconnect: dedicated` and 65001.
    """
    quiet = _quiet_asns()
    for site in ctx.plan.sites:
        asn = site.asn
        if asn is None:
            continue
        limits = quiet(site.cloud, site.interconnect)
        if limits is None:
            continue  # no pack, or a pack without ASN rules
        accepted, forbidden = limits
        if _within(asn, accepted) and not _within(asn, forbidden):
            continue  # the common case, decided without building a message
        found = pack(site.cloud)
        assert found is not None and found.asn is not None
        if asn_class(asn)[0] in ("CCV401", "CCV402"):
            continue  # the generic ASN rules report it
        rules = found.asn
        if rules.requires_private and asn_class(asn)[0] == "public":
            continue  # CCV405 reports a public ASN where the cloud requires a private one
        problem = asn_refusal(site.cloud, asn, site.interconnect)
        if problem is not None:
            yield Hit(
                f"site {site.id} ({site.cloud}) uses ASN {asn}; {problem}",
                (site.id,),
                site.origin.child("asn"),
                **site_asn_fix(
                    ctx,
                    site,
                    accepted_asn_hint(found, site.interconnect, field_name(site.names, "asn")),
                ),
            )
    yield from _peer_asn_hits(ctx)


def _peer_asn_hits(ctx: Context) -> Iterator[Hit]:
    """ASNs on the other side of a cloud site's session that its cloud reserves.

    Such ASNs are rare: each site's ASN is first tested against the reserved ranges of
    the plan's reserving clouds merged into a few intervals (one bisection per site);
    only an ASN inside one is looked at per cloud, once per (ASN, site's cloud), and the
    cloud sites by segment are gathered only when one is found."""
    plan = ctx.plan
    guarding = _guarding_packs()
    present = set(map(_CLOUD, plan.sites))
    reserving = sorted(cloud for cloud in guarding if cloud in present)
    if not reserving:
        return
    guarded_sites: list[tuple[Site, CloudPack]] = []

    def guarded() -> list[tuple[Site, CloudPack]]:
        """The sites of a cloud that reserves ASNs, with its pack, in plan order."""
        if not guarded_sites:
            guarded_sites.extend(
                (site, guarding[site.cloud]) for site in plan.sites if site.cloud in guarding
            )
        return guarded_sites

    exchange = plan.exchange
    if exchange is not None and exchange.asn is not None:
        refusing = {c for c in reserving if peer_asn_refusal(c, exchange.asn)}
        for site, found in guarded() if refusing else ():
            if site.cloud not in refusing:
                continue
            reserved = peer_asn_refusal(site.cloud, exchange.asn)
            if reserved is None:
                continue
            yield Hit(
                f"the exchange uses ASN {exchange.asn}, the peer ASN of site {site.id} "
                f"({site.cloud}); {found.name} refuses it: {reserved.reason} "
                f"({reserved.text()})",
                (site.id,),
                exchange.origin.child("asn"),
                f"give the exchange an ASN {found.name} accepts as a peer"
                + such_as(free_private_asn(ctx, "")),
            )
    segments = plan.segments_by_site
    by_segment: dict[tuple[str, str], list[tuple[Site, CloudPack]]] = {}
    bounds = sorted((r.first, r.last) for cloud in reserving for r in peer_reserved(cloud))
    firsts, lasts = merged_intervals([b[0] for b in bounds], [b[1] for b in bounds])
    refusals: dict[tuple[int, str | None], list[tuple[str, clouds.AsnRange]]] = {}
    for other in plan.sites:
        asn = other.asn
        if asn is None:
            continue
        place = bisect.bisect_right(firsts, asn) - 1
        if place < 0 or asn > lasts[place]:
            continue  # in no reserved range: the common case
        key = (asn, other.cloud)
        if key not in refusals:
            refusals[key] = [
                (cloud, reserved)
                for cloud in reserving
                # a site of the same cloud uses that cloud's own ASN
                if cloud != other.cloud and (reserved := peer_asn_refusal(cloud, asn)) is not None
            ]
        if refusals[key] and not by_segment:
            for site, found in guarded():
                for segment in segments.get(site.id, ()):
                    by_segment.setdefault((segment, site.cloud or ""), []).append((site, found))
        for cloud, reserved in refusals[key]:
            met = {
                site.id: (site, found)
                for segment in segments.get(other.id, ())
                for site, found in by_segment.get((segment, cloud), ())
            }
            for site, found in met.values():
                yield Hit(
                    f"site {other.id} uses ASN {other.asn}, which reaches site {site.id} "
                    f"({site.cloud}) in the AS path of its routes; {found.name} reserves it: "
                    f"{reserved.reason} ({reserved.text()})",
                    (other.id, site.id),
                    other.origin.child("asn"),
                    f"give site {other.id} an ASN outside {reserved.text()}"
                    + such_as(free_private_asn(ctx, other.id, other)),
                )


@cache
def _guarding_packs() -> dict[str, CloudPack]:
    """The clouds that reserve ASNs for themselves, with their packs."""
    found = {cloud: pack(cloud) for cloud in clouds.CLOUDS}
    return {cloud: p for cloud, p in found.items() if p is not None and p.asn and p.asn.reserved}
