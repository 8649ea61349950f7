"""Topology sites claiming Terraform resources (``--merge``, SPEC §10).

A topology site lists the resources it stands for in ``terraform: [ADDRESS, …]`` (exact
addresses; a trailing ``*`` matches every address that starts with the rest, so
``module.x.aws_vpc.y[*`` and ``module.x.aws_vpc.y*`` take all instances). A claimed
network, gateway or interconnect is that site: it leaves the plan's own sites, and where
the site declares a range set, an ASN, a VLAN or peering addresses that differ from the
plan's, a drift (CCV105) names both values. A site declaring ``cidrs: []`` takes the
claimed ranges; one without ``asn`` takes the claimed ASN.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from validator.addressing.parse import parse_net
from validator.asn import parse_asn
from validator.model import Line, Origin, Plan, Site, is_terraform
from validator.wording import name as field_name


@dataclass(frozen=True, slots=True)
class Drift:
    """The topology and the plan disagree on one value (CCV105)."""

    message: str
    objects: tuple[str, ...]
    origin: Origin


def _patterns(site: Site) -> list[str]:
    raw = _declared(site).get("terraform")
    return [p for p in raw if isinstance(p, str) and p] if isinstance(raw, list) else []


def _unmatched(plan: Plan, claimants: list[tuple[Site, list[str]]]) -> None:
    """Record each claim that names no resource ccv read (a typo would claim nothing)."""
    known: list[str] = []
    for doc in plan.documents:
        facts = getattr(doc, "facts", None)
        if facts is None:
            continue
        for site in facts.sites:
            known += site.addresses
            known += [line.id.split("#", 1)[0] for line in site.lines]
        known += [subnet.address for subnet in facts.subnets]
    exact = set(known)
    for site, _ in claimants:
        raw = _declared(site).get("terraform")
        for index, pattern in enumerate(raw if isinstance(raw, list) else ()):
            if not isinstance(pattern, str) or not pattern:
                continue
            if pattern in exact or (
                pattern.endswith("*") and any(claims(pattern, a) for a in known)
            ):
                continue
            plan.unmatched_claims.append(
                (site.id, pattern, site.origin.child("terraform", index), _closest(pattern, known))
            )


def _closest(pattern: str, known: list[str]) -> list[str]:
    """The (at most three) addresses of the plans closest to a claim that names none, for
    a "did you mean"; only addresses of about the same length are compared."""
    text = pattern.rstrip("*")
    near = sorted({a for a in known if abs(len(a) - len(text)) <= 3})
    return difflib.get_close_matches(text, near, n=3, cutoff=0.8)


def claims(pattern: str, address: str) -> bool:
    """True when ``pattern`` (exact, or ending in ``*``) claims ``address``."""
    if pattern.endswith("*"):
        return address.startswith(pattern[:-1])
    return address == pattern


def _norm(text: str | None) -> str | None:
    if text is None:
        return None
    net = parse_net(text)
    if net is None:
        return text
    return f"{net.address_text()}/{net.prefixlen}"


def _range_norm(text: str | None) -> str | None:
    net = parse_net(text) if text else None
    return net.network_text() if net is not None else text


def _aliases(plan: Plan) -> dict[str, list[str]]:
    """Site and line ids of the plans -> the resource addresses they stand for."""
    found: dict[str, list[str]] = {}
    for doc in plan.documents:
        facts = getattr(doc, "facts", None)
        for site in getattr(facts, "sites", ()):
            found[site.id] = list(site.addresses)
            for line in site.lines:
                found[line.id] = [line.ref.address]
    return found


def _exchange(plan: Plan) -> None:
    topology = [d for d in plan.documents if not is_terraform(d)]
    ours = next(
        (
            d.data.get("exchange")
            for d in topology
            if isinstance(d.data, dict) and d.data.get("exchange")
        ),
        None,
    )
    if plan.exchange is not None and is_terraform(plan.exchange.origin.doc) and ours is not None:
        for doc in topology:
            if isinstance(doc.data, dict) and isinstance(doc.data.get("exchange"), dict):
                plan.exchange.asn = parse_asn(doc.data["exchange"].get("asn"))
                plan.exchange.as_override = doc.data["exchange"].get("as_override") is True
                plan.exchange.origin = Origin(doc, ("exchange",))
                break
    if plan.exchange is None or is_terraform(plan.exchange.origin.doc):
        return
    for doc in plan.documents:
        facts = getattr(doc, "facts", None)
        if facts is None or facts.exchange_asn is None:
            continue
        theirs = parse_asn(facts.exchange_asn)
        if theirs is not None and theirs != plan.exchange.asn:
            plan.drifts.append(
                Drift(
                    f"the exchange's ASN is {plan.exchange.asn} in the topology but "
                    f"{theirs} in {facts.exchange_ref.address} of {doc.name}",
                    (facts.exchange_ref.address,),
                    plan.exchange.origin.child("asn"),
                )
            )


def apply_claims(plan: Plan) -> None:
    """Fold the Terraform resources each topology site claims into that site."""
    if all(is_terraform(doc) for doc in plan.documents):
        return
    _exchange(plan)
    claimants = [(s, _patterns(s)) for s in plan.sites if not is_terraform(s.origin.doc)]
    claimants = [(s, p) for s, p in claimants if p]
    if not claimants:
        return
    _unmatched(plan, claimants)
    aliases = _aliases(plan)
    used: set[int] = set()  # topology lines already matched to a claimed interconnect
    kept: list[Site] = []
    for site in plan.sites:
        if not is_terraform(site.origin.doc):
            kept.append(site)
            continue
        names = aliases.get(site.id, [site.id])
        owner = next(
            (s for s, pats in claimants if any(claims(p, n) for p in pats for n in names)), None
        )
        if owner is not None:
            _take_site(plan, owner, site, used)
            continue
        remaining = []
        for line in site.lines:
            bases = aliases.get(line.id, [line.id.split("#", 1)[0]])
            line_owner = next(
                (s for s, pats in claimants if any(claims(p, b) for p in pats for b in bases)),
                None,
            )
            if line_owner is None:
                remaining.append(line)
            else:
                _take_line(plan, line_owner, line, used)
        site.lines = remaining
        kept.append(site)
    plan.sites = kept


def _take_site(plan: Plan, owner: Site, claimed: Site, used: set[int]) -> None:
    declared = _declared(owner)
    if claimed.cidrs:
        if "cidrs" in declared and owner.cidrs:
            ours = {_range_norm(c) for c in owner.cidrs if c}
            theirs = {_range_norm(c) for c in claimed.cidrs if c}
            if not theirs <= ours:
                plan.drifts.append(
                    Drift(
                        f"site {owner.id} declares {', '.join(c for c in owner.cidrs if c)} "
                        f"but {claimed.id} has {', '.join(c for c in claimed.cidrs if c)}",
                        (owner.id, claimed.id),
                        owner.origin.child("cidrs"),
                    )
                )
        else:
            owner.cidrs.extend(c for c in claimed.cidrs if c not in owner.cidrs)
    if claimed.asn is not None:
        if owner.asn is None and "asn" not in declared:
            owner.asn = claimed.asn
        elif owner.asn != claimed.asn:
            plan.drifts.append(
                Drift(
                    f"site {owner.id} declares ASN {owner.asn} but {claimed.id} has ASN "
                    f"{claimed.asn}"
                    + (f" ({field_name(claimed.names, 'asn')})" if claimed.names else ""),
                    (owner.id, claimed.id),
                    owner.origin.child("asn"),
                )
            )
    for line in claimed.lines:
        _take_line(plan, owner, line, used)


def _declared(site: Site) -> dict:
    node: object = site.origin.doc.data
    for part in site.origin.path:
        node = node[part] if isinstance(node, (dict, list)) else None  # type: ignore[index]
    return node if isinstance(node, dict) else {}


_FIELDS = ("site_ip", "exchange_ip", "site_ipv6", "exchange_ipv6")


def _addresses(line: Line) -> dict[str, str]:
    if line.peering is None:
        return {}
    found = {}
    for name in _FIELDS:
        value = _norm(getattr(line.peering, name))
        if value is not None:
            found[name] = value
    return found


def _take_line(plan: Plan, owner: Site, line: Line, used: set[int]) -> None:
    """Match a claimed interconnect to a line of ``owner`` not matched yet: one with one of
    its peering addresses, else one with its VLAN; report what differs (or no match)."""
    theirs = _addresses(line)
    if not theirs and line.vlan is None:
        return  # nothing known to compare (CCV104 names what is unknown)
    free = [c for c in owner.lines if id(c) not in used]
    match = next(
        (c for c in free if any(_addresses(c).get(k) == v for k, v in theirs.items())), None
    )
    if match is None and line.vlan is not None:
        match = next((c for c in free if c.vlan == line.vlan), None)
    if match is not None:
        used.add(id(match))
    address = line.id
    names = line.peering.names if line.peering is not None else None
    if match is None:
        values = ", ".join(
            [f"VLAN {line.vlan}"] * (line.vlan is not None)
            + [f"{field_name(names, k)} {v}" for k, v in theirs.items()]
        )
        plan.drifts.append(
            Drift(
                f"site {owner.id} has no line matching {address}"
                + (f" ({values})" if values else ""),
                (owner.id, address),
                owner.origin.child("lines"),
            )
        )
        return
    if line.vlan is not None and match.vlan != line.vlan:
        plan.drifts.append(
            Drift(
                f"line {match.id} of site {owner.id} declares VLAN {match.vlan} but {address} "
                f"has VLAN {line.vlan}",
                (match.id, address),
                match.origin.child("vlan"),
            )
        )
    ours = _addresses(match)
    for name, value in theirs.items():
        if name in ours and ours[name] != value:
            plan.drifts.append(
                Drift(
                    f"line {match.id} of site {owner.id} declares {name} {ours.get(name)} but "
                    f"{address} has {field_name(names, name)} {value}",
                    (match.id, address),
                    match.origin.child("peering", name) if match.peering else match.origin,
                )
            )
