"""The cloud side of the interconnect rules (CCV306): a line's peering addresses against
its cloud's rules, the links and VLAN of a cloud circuit (facts in
``validator/data/clouds/``), and the oracles ``validator.fixes.suggest`` asks
(``peering_refused``, ``peering_rules``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from itertools import count

from validator.addressing.index import Endpoint
from validator.addressing.parse import BITS, Net, make_net
from validator.clouds import SECONDARY, Circuit, CloudPack, PeeringRule, pack
from validator.fixes.suggest import free_vlan, hand_out_vlan, handed_out_vlans
from validator.model import Line, Origin, Peering, Site
from validator.rules.context import Context
from validator.rules.registry import Hit
from validator.wording import Names, assign, assign_number, rename


def _generic_ok(site_net: Net | None, exchange_net: Net | None) -> bool:
    """True unless the generic peering rules (CCV301/302) report this pair."""
    if site_net is None or exchange_net is None:
        return site_net is not None or exchange_net is not None
    if site_net.version != exchange_net.version or site_net.prefixlen != exchange_net.prefixlen:
        return False
    bits = BITS[site_net.version]
    if site_net.prefixlen >= bits or site_net.first != exchange_net.first:
        return False
    if site_net.address == exchange_net.address:
        return False
    if site_net.prefixlen <= bits - 2:
        for net in (site_net, exchange_net):
            if net.address == net.first or (net.version == 4 and net.address == net.last):
                return False
    return True


def _peering_problems(
    rule_: PeeringRule, site_net: Net | None, exchange_net: Net | None
) -> list[str]:
    problems = []
    subject = site_net or exchange_net
    assert subject is not None
    if rule_.within and not any(
        w.first <= subject.first and subject.last <= w.last for w in rule_.within
    ):
        inside = " or ".join(w.network_text() for w in rule_.within)
        problems.append(f"the peering subnet {subject.network_text()} is not inside {inside}")
    if not rule_.prefix_ok(subject.prefixlen):
        problems.append(f"the peering subnet is a /{subject.prefixlen}, not {rule_.prefix_text()}")
    elif site_net is not None and exchange_net is not None:
        for end, net, host in (
            ("exchange", exchange_net, rule_.exchange_host),
            ("site", site_net, rule_.site_host),
        ):
            if host is not None and net.address - net.first != host:
                wanted = make_net(net.version, net.first + host, net.prefixlen)
                problems.append(
                    f"the {end} end uses {net.address_text()}, but must use "
                    f"{wanted.address_text()} (address {host} of the subnet)"
                )
    return problems


def vlans_by_pop(ctx: Context) -> dict[str, dict[int, list[Line]]]:
    """The lines using each VLAN on each POP, whole plan."""

    def compute() -> dict[str, dict[int, list[Line]]]:
        found: dict[str, dict[int, list[Line]]] = {}
        for line in ctx.plan.lines():
            if line.pop is not None and line.vlan is not None:
                found.setdefault(line.pop, {}).setdefault(line.vlan, []).append(line)
        return found

    return ctx.memo("peering.vlans_by_pop", compute)


def _vlan_masks(ctx: Context) -> dict[str, int]:
    """The VLANs in use on each POP as a bit mask (bit v set: VLAN v is used)."""

    def compute() -> dict[str, int]:
        return {
            pop: sum(1 << vlan for vlan in vlans if 0 <= vlan <= 4095)
            for pop, vlans in vlans_by_pop(ctx).items()
        }

    return ctx.memo("peering.vlan_masks", compute)


_USABLE_VLANS = ((1 << 4095) - 1) & ~0b11  # VLANs 2..4094 (1 is usually the native VLAN)


def _circuit_vlan(ctx: Context, links: list[Line], members: list[Line]) -> int | None:
    """A VLAN the circuit's ``links`` can all carry: free on each link's POP but for lines
    of this very circuit (``members``), and not handed out there by another suggestion
    of the run; the first link's VLAN when it is, else the next free one above it. The
    VLAN is handed out on the links' POPs (once per circuit and run). Bit masks: O(links)
    big-integer operations per call."""
    chosen: dict[int, int | None] = ctx.memo("peering.circuit_vlans", dict)
    if id(links[0]) not in chosen:
        vlan = _free_circuit_vlan(ctx, links, members)
        if vlan is not None:
            hand_out_vlan(ctx, [link.pop for link in links if link.pop is not None], vlan)
        chosen[id(links[0])] = vlan
    return chosen[id(links[0])]


def _free_circuit_vlan(ctx: Context, links: list[Line], members: list[Line]) -> int | None:
    by_pop, masks = vlans_by_pop(ctx), _vlan_masks(ctx)
    ours = {id(line) for line in members}
    taken = 0
    for link in links:
        if link.pop is None:
            continue
        for vlan in handed_out_vlans(ctx, link.pop):
            if 0 <= vlan <= 4095:
                taken |= 1 << vlan
        mask = masks.get(link.pop, 0)
        for line in members:  # a VLAN only this circuit uses on the POP is not taken
            vlan = line.vlan
            if (
                line.pop == link.pop
                and vlan is not None
                and 0 <= vlan <= 4095
                and all(id(other) in ours for other in by_pop[link.pop][vlan])
            ):
                mask &= ~(1 << vlan)
        taken |= mask
    first = links[0].vlan
    if first is not None and 1 <= first <= 4094 and not (taken >> first) & 1:
        return first
    free = _USABLE_VLANS & ~taken
    start = first + 1 if first is not None and 1 <= first < 4094 else 2
    above = free >> start << start
    chosen = above or free
    return (chosen & -chosen).bit_length() - 1 if chosen else None


def circuit_quiet(site: Site, circuit: Circuit) -> bool:
    """True when ``circuit_hits`` has nothing to say about ``site``, told without grouping
    its lines: no more lines than a circuit has links, and (where the circuit carries
    one VLAN) at most one VLAN among them."""
    lines = site.lines
    if len(lines) > circuit.links:
        return False
    if not circuit.one_vlan:
        return True
    vlans = {line.vlan for line in lines}
    vlans.discard(None)
    return len(vlans) <= 1


def circuit_hits(ctx: Context, site: Site, found: CloudPack) -> Iterator[Hit]:
    """Links of one circuit beyond the cloud's count, or with a second VLAN."""
    circuit = found.circuit
    assert circuit is not None
    links: dict[str, list[Line]] = {}
    for line in site.lines:
        links.setdefault(line.circuit or site.id, []).append(line)
    names = set(links)  # circuit names in use on the site, and those handed out below
    for name, members in links.items():
        for position, line in enumerate(members):
            label = f"line {line.id} of site {site.id} ({site.cloud}, circuit {name})"
            if position >= circuit.links:
                yield Hit(
                    f"{label} is link {position + 1} of its circuit: {circuit.reason}",
                    (line.id,),
                    line.origin,
                    _own_circuit_hint(ctx, line, name, names, circuit),
                    key=True,
                )
                continue
            first = members[0]
            if (
                circuit.one_vlan
                and position > 0
                and line.vlan is not None
                and first.vlan is not None
                and line.vlan != first.vlan
            ):
                vlan = _circuit_vlan(ctx, members[: circuit.links], members)
                if vlan == first.vlan:
                    hint = (
                        f"set {assign_number(line.names, 'vlan', vlan)} on line {line.id}, "
                        f"as on line {first.id}"
                    )
                elif vlan is not None:
                    hint = (
                        f"set {assign_number(line.names, 'vlan', vlan)} on lines {first.id} and "
                        f"{line.id} (VLAN "
                        f"{first.vlan} is taken on a POP of the circuit; {vlan} is free on both)"
                    )
                else:
                    hint = f"give lines {first.id} and {line.id} one VLAN"
                yield Hit(
                    f"{label} uses VLAN {line.vlan}, but line {first.id} of the same circuit "
                    f"uses VLAN {first.vlan}: {circuit.reason}",
                    (first.id, line.id),
                    line.origin.child("vlan"),
                    hint,
                )


def _own_circuit_hint(
    ctx: Context, line: Line, name: str, names: set[str], circuit: Circuit
) -> str:
    """The hint for a link beyond its circuit's count: a circuit of its own, named once
    per site (``names``: the names in use, the new one added), with a VLAN free on its
    POP when another line there uses its VLAN (out of its circuit, the VLAN it shared
    with its circuit's links would be a CCV307), and the new circuit's other link."""
    spare = next(f"{name}-{n}" for n in count(2) if f"{name}-{n}" not in names)
    names.add(spare)
    vlan, change = line.vlan, ""
    if line.pop is not None and vlan is not None:
        users = vlans_by_pop(ctx).get(line.pop, {}).get(vlan, [])
        if len(users) > 1 or vlan in handed_out_vlans(ctx, line.pop):
            free = free_vlan(ctx, [line.pop], vlan)
            if free is not None:
                vlan, change = free, f", {assign_number(line.names, 'vlan', free)}"
    same = f", VLAN {vlan}" if vlan is not None else ""
    return (
        f"give line {line.id} a circuit of its own (circuit: {spare}{change}) with its other "
        f"link (a line with circuit: {spare} on a second port{same}), or remove line "
        f"{line.id}; a circuit has {circuit.links} links"
    )


Remedy = Callable[[Line, PeeringRule, "Net | None", "Net | None"], dict]
"""``remedy(line, rule, site_net, exchange_net)``: the hint (and fix, fallback) of a CCV306
finding of ``line`` against ``rule`` as ``Hit`` keywords
(``validator.rules.peering_hints.cloud_fix``)."""


def line_peering_hits(
    site: Site,
    line: Line,
    found: CloudPack,
    ends: Sequence[Endpoint],
    remedy: Remedy | None = None,
) -> list[Hit]:
    """CCV306 findings of one ``line`` of ``site`` against its cloud's peering address
    rules ``found`` (IPv4 and IPv6): addresses it may not set, subnet, prefix, host
    positions. ``ends``: the line's parsed peering addresses (``RangeIndex.endpoints``;
    an address that does not parse is CCV100's, and its family is not checked here).
    ``remedy``: what a finding suggests (without it, the cloud's pair in words, not
    checked against the rest of the plan).

    A list, not a generator: called for every line, nearly always with nothing to say."""
    peering = line.peering
    assert peering is not None
    hits: list[Hit] = []
    if found.peering_v4 and (peering.site_ip is not None or peering.exchange_ip is not None):
        _family_hits(hits, site, line, ends, found.peering_v4, ("site_ip", "exchange_ip"), remedy)
    if found.peering_v6 and (peering.site_ipv6 is not None or peering.exchange_ipv6 is not None):
        fields = ("site_ipv6", "exchange_ipv6")
        _family_hits(hits, site, line, ends, found.peering_v6, fields, remedy)
    return hits


def _family_hits(
    hits: list[Hit],
    site: Site,
    line: Line,
    ends: Sequence[Endpoint],
    rules: tuple[PeeringRule, ...],
    fields: tuple[str, str],
    remedy: Remedy | None,
) -> None:
    """Append to ``hits`` the CCV306 findings of one address family of ``line``
    (``fields``: site and exchange field, one of them written) against ``rules``."""
    site_field, exchange_field = fields
    peering = line.peering
    assert peering is not None
    site_text = getattr(peering, site_field)
    exchange_text = getattr(peering, exchange_field)
    site_net = exchange_net = None
    for end in ends:
        if end.field == site_field:
            site_net = end.net
        elif end.field == exchange_field:
            exchange_net = end.net
    parsed = (not site_text or site_net is not None) and (
        not exchange_text or exchange_net is not None
    )
    # An address of the other IP version in these fields (169.254.0.1/30 as site_ipv6):
    # the family's rules do not apply to it (they would ask an IPv4 subnet to be a /126).
    version = 4 if site_field == "site_ip" else 6
    if (site_net is not None and site_net.version != version) or (
        exchange_net is not None and exchange_net.version != version
    ):
        parsed = False
    for entry in rules:
        if not entry.allowed:
            hits.append(
                Hit(
                    f"{_label(site, line)} sets its IPv6 peering addresses: {entry.reason}",
                    (line.id,),
                    _at(peering, site_text, site_field),
                    rename(peering.names, entry.hint) if entry.hint else None,
                    key=True,
                )
            )
            continue
        if not parsed or not _generic_ok(site_net, exchange_net):
            continue
        problems = _peering_problems(entry, site_net, exchange_net)
        if problems:
            suffix = SECONDARY if entry.tier == "secondary" else ""
            if entry.hint:
                found = {"hint": rename(peering.names, entry.hint)}
            elif remedy is not None:
                found = remedy(line, entry, site_net, exchange_net)
            else:
                found = {"hint": _peering_hint(entry, site_net, exchange_net, peering.names)}
            hits.append(
                Hit(
                    f"{_label(site, line)}: {'; '.join(problems)} ({entry.reason}){suffix}",
                    (line.id,),
                    _at(peering, site_text, site_field),
                    severity="warning" if entry.tier == "secondary" else None,
                    **found,
                )
            )


def _label(site: Site, line: Line) -> str:
    """How a CCV306 finding names the line: ``line L of site S (cloud)``."""
    return f"line {line.id} of site {site.id} ({site.cloud})"


def _at(peering: Peering, site_text: str | None, site_field: str) -> Origin:
    """Where a CCV306 finding of one address family is located: the site end when it is
    written, else the exchange end."""
    field = site_field if site_text is not None else site_field.replace("site", "exchange")
    return peering.origin.child(field)


def peering_target(
    entry: PeeringRule, site_net: Net | None, exchange_net: Net | None
) -> tuple[Net, Net, bool]:
    """(site end, exchange end, stays) the cloud's ``entry`` asks of a line that wrote
    ``site_net``/``exchange_net`` (one may be None): the allowed prefix length nearest the
    written one, the cloud's host positions (else the first two hosts; a /31 or /127 both
    addresses). ``stays``: the subnet holds the written one or lies inside it; False when
    the written one is outside the space the cloud allows (then the start of that space).
    Not checked against the rest of the plan (``peering_hints.cloud_fix`` does that)."""
    subject = site_net or exchange_net
    assert subject is not None
    prefixlen = subject.prefixlen
    if not entry.prefix_ok(prefixlen):
        if entry.prefixes:
            prefixlen = min(sorted(entry.prefixes), key=lambda p: abs(p - subject.prefixlen))
        else:
            low = entry.shortest if entry.shortest is not None else 0
            high = entry.longest if entry.longest is not None else BITS[subject.version]
            prefixlen = max(low, min(high, prefixlen))
    base = subject.first
    stays = True
    if entry.within and not any(w.first <= base <= w.last for w in entry.within):
        base, stays = entry.within[0].first, False
    net = make_net(subject.version, base, prefixlen)
    site_host = entry.site_host or 1
    exchange_host = entry.exchange_host or (2 if site_host == 1 else 1)
    if prefixlen == BITS[subject.version] - 1:
        site_host, exchange_host = 0, 1
    site_addr = make_net(net.version, net.first + site_host, prefixlen)
    exchange_addr = make_net(net.version, net.first + exchange_host, prefixlen)
    return site_addr, exchange_addr, stays


def pair_words(site_addr: Net, exchange_addr: Net, names: Names = None) -> str:
    """A CCV306 hint naming a pair: ``use a /30 such as site A, exchange B`` (a topology),
    or the pair assigned as the input writes it (``names``, validator.wording)."""
    prefixlen = site_addr.prefixlen
    site_text = f"{site_addr.address_text()}/{prefixlen}"
    exchange_text = f"{exchange_addr.address_text()}/{prefixlen}"
    if names:
        suffix = "" if site_addr.version == 4 else "v6"
        pair = [(f"site_ip{suffix}", site_text), (f"exchange_ip{suffix}", exchange_text)]
        return f"use a /{prefixlen}: {assign(names, [p for p in pair if p[0] in names])}"
    return f"use a /{prefixlen} such as site {site_text}, exchange {exchange_text}"


def _peering_hint(
    entry: PeeringRule, site_net: Net | None, exchange_net: Net | None, names: Names = None
) -> str:
    site_addr, exchange_addr, _ = peering_target(entry, site_net, exchange_net)
    return pair_words(site_addr, exchange_addr, names)


def peering_refused(site: Site, site_net: Net, exchange_net: Net) -> bool:
    """True when the peering rules of ``site``'s cloud (CCV306) refuse this address pair:
    the oracle a suggested pair must pass."""
    for entry in peering_rules(site.cloud, site_net.version):
        if not entry.allowed or _peering_problems(entry, site_net, exchange_net):
            return True
    return False


def peering_rules(cloud: str | None, version: int) -> tuple[PeeringRule, ...]:
    """The peering address rules of ``cloud`` for IP ``version`` (empty without a pack)."""
    found = pack(cloud)
    if found is None:
        return ()
    return found.peering_v4 if version == 4 else found.peering_v6
