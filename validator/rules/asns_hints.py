"""Hints and fixes of the ASN rules (CCV401–CCV406): a new ASN for a site that clears
its findings (the ASN its cloud fixes, its cloud's default, else a free private one from
``validator.fixes.suggest``), new ASNs for sites sharing one, and the words of a cloud's
accepted ASNs (``validator/data/clouds/``). Used by ``validator.rules.asns`` only."""

from __future__ import annotations

from validator.clouds import CloudPack, asn_refusal, pack, peer_asn_refusal
from validator.fixes.patch import replace
from validator.fixes.suggest import asn_free_for, default_asn, fixed_asn, free_asn
from validator.model import Origin, Site, is_terraform
from validator.rules.context import Context

PRIVATE_HINT = "use a private ASN: 64512–65534 or 4200000000–4294967294 (RFC 6996)"


def site_asn_fix(ctx: Context, site: Site, default: str) -> dict:
    """Hint and fix giving ``site`` an ASN that clears its ASN findings: the ASN its cloud
    fixes (when no site it meets uses it), else a free private ASN its cloud accepts
    (``validator.fixes.suggest``). Without one, the ``default`` hint and no fix. A site
    read from a Terraform plan gets the ``default`` hint, in the plan's own attribute
    names: a plan is changed in its configuration, not by a patch of the plan."""
    if is_terraform(site.origin.doc):
        return {"hint": default}
    at = site.origin.child("asn")
    plan = ctx.plan
    groups: dict = ctx.memo("asns.shared_groups", dict)
    if site.asn not in groups:
        by_asn = ctx.memo("asns.sites_by_asn", lambda: _sites_by_asn(plan))
        groups[site.asn] = _shared_group(plan, by_asn.get(site.asn, []))
    group = groups[site.asn]
    if site.id in group and len(group) > 2:
        return {"hint": default}  # the change would reshape their CCV403, not end it
    fixed = fixed_asn(site)
    if fixed is not None:
        if fixed == site.asn or not asn_free_for(ctx, site, fixed):
            return {"hint": default}
        return {
            "hint": f"set asn to {fixed}: {site.cloud} uses that ASN on its side",
            "fix": [replace(at, fixed)],
            "fallback": default,
        }
    preferred = default_asn(ctx, site)
    if preferred is not None:
        return {
            "hint": f"set asn to {preferred}, the default of {site.cloud}",
            "fix": [replace(at, preferred)],
            "fallback": default,
        }
    asn = free_asn(ctx, site)
    if asn is None:
        return {"hint": default}
    return {
        "hint": f"{default}: e.g. {asn} (private, and no site and not the exchange uses it)",
        "fix": [replace(at, asn)],
        "fallback": default,
    }


def _shared_group(plan, same: list[Site]) -> set[str]:
    """Ids of the sites among ``same`` (one ASN) that share a segment with another of them:
    the sites one CCV403 finding names."""
    per_segment: dict[str, set[str]] = {}
    for other in same:
        for segment in plan.segments_by_site.get(other.id, ()):
            per_segment.setdefault(segment, set()).add(other.id)
    return {i for members in per_segment.values() if len(members) > 1 for i in members}


def _sites_by_asn(plan) -> dict[int | None, list[Site]]:
    found: dict[int | None, list[Site]] = {}
    for site in plan.sites:
        found.setdefault(site.asn, []).append(site)
    return found


def _sites_by_path(ctx: Context) -> dict:
    return ctx.memo(
        "asns.sites_by_path", lambda: {s.origin.child("asn").path: s for s in ctx.plan.sites}
    )


def subject_fix(ctx: Context, at: Origin, default: str) -> dict:
    """The fix for a site's ASN finding (none for the exchange: the carrier assigns it)."""
    site = _sites_by_path(ctx).get(at.path)
    return {"hint": default} if site is None else site_asn_fix(ctx, site, default)


def split_asn_fix(ctx: Context, named: list, fixed: list) -> tuple[list[dict], list] | None:
    """New ASNs for all sites of a shared ASN but one (a site whose cloud fixes the ASN
    keeps it): (JSON Patch, [(site id, ASN)]), or None when two of them cannot change."""
    if len({s.id for s in fixed}) > 1:
        return None
    keep = fixed[0] if fixed else named[0]
    ops, changes = [], []
    for site in named:
        if site.id == keep.id:
            continue
        asn = free_asn(ctx, site)
        if asn is None:
            return None
        ops.append(replace(site.origin.child("asn"), asn))
        changes.append((site.id, asn))
    return (ops, changes) if ops else None


def such_as(asn: int | None) -> str:
    """The tail ", such as ASN (…)" naming a suggested ASN; empty when there is none."""
    if asn is None:
        return ""
    return f", such as {asn} (private, used by no site, reserved by no cloud of the plan)"


def free_private_asn(ctx: Context, owner: str, site=None) -> int | None:
    """A private ASN for ``owner`` (a site id, or "" for the exchange) that no site and not
    the exchange uses, no cloud of the plan reserves on its peers' side, the owner's own
    cloud accepts (``site``), and no other suggestion took: the smallest from 64513
    (64512 is AWS's and Huawei's default)."""
    chosen: dict[str, int | None] = ctx.memo("asns.suggested", dict)
    if owner not in chosen:
        own = (site.cloud, site.interconnect) if site is not None else (None, "partner")
        plan = ctx.plan
        taken = {site.asn for site in plan.sites} | set(chosen.values())
        if plan.exchange is not None:
            taken.add(plan.exchange.asn)
        clouds = {site.cloud for site in plan.sites if site.cloud}
        chosen[owner] = next(
            (
                asn
                for asn in range(64513, 65535)
                if asn not in taken
                and all(peer_asn_refusal(c, asn) is None for c in clouds)
                and asn_refusal(own[0], asn, own[1]) is None
            ),
            None,
        )
    return chosen[owner]


def peer_reserved(cloud: str) -> tuple:
    """The ASN ranges ``cloud`` reserves on the peer's side (``validator/data/clouds/``)."""
    found = pack(cloud)
    if found is None or found.asn is None:
        return ()
    return tuple(r for r in found.asn.reserved if r.side != "cloud")


def accepted_asn_hint(found: CloudPack, interconnect: str = "partner", field: str = "asn") -> str:
    """The hint naming the ASNs ``found``'s cloud accepts for ``interconnect`` (its default
    first where it has one), written as ``field``."""
    rules = found.asn
    assert rules is not None
    accepted = rules.accepted_for(interconnect)
    default = rules.default_for(interconnect)
    ranges = [r for r in accepted if r.first != r.last]
    singles = [r for r in accepted if r.first == r.last]
    if not ranges:
        notes = [f"{r.first} ({r.note})" for r in singles if r.note and r.first != default]
        extra = f", or {', '.join(notes)}" if notes else ""
        return f"set {field} to {default if default is not None else singles[0].first}{extra}"
    if default is not None and not any(default in r for r in ranges):
        return f"set {field} to {default} (the default), or to an ASN in " + " or ".join(
            r.text() for r in ranges
        )
    text = " or ".join(r.text() for r in ranges)
    parts = [f"set {field} to a private ASN in {text}"]
    if default is not None and any(default in r for r in ranges):
        parts.append(f"(default {default})")
    for single in singles:
        parts.append(f"or {single.first}" + (f" ({single.note})" if single.note else ""))
    return " ".join(parts)
