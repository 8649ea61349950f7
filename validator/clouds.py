"""Cloud rule packs: the facts each cloud imposes on a plan, read from data files.

One YAML file per cloud lives in ``validator/data/clouds/<cloud>.yaml`` (aws, azure,
gcp, alibaba, huawei, tencent, oracle); every fact in it carries its ``source`` and,
where it is not the vendor's own documentation, ``tier: secondary``. This module turns
a file into plain dataclasses; the rule family modules (CCV207, CCV208 in ``addressing``,
CCV306 in ``peering``, CCV404 in ``asns``, CCV604 in ``capacity``, CCV704 in ``sla_fit``)
read them. ``onprem`` and ``other`` sites have no pack: they get the generic rules only.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from validator.addressing.parse import Net, parse_net
from validator.datafile import read_data

SECONDARY = " (per secondary source)"
"""Appended to a finding that rests on a fact of the secondary tier (a warning, not an error)."""

CLOUDS = ("aws", "azure", "gcp", "alibaba", "huawei", "tencent", "oracle")
"""Clouds with a rule pack."""


@dataclass(frozen=True, slots=True)
class PrefixLimit:
    """IPv4 prefix lengths a range may have: ``shortest`` (largest range) to ``longest``."""

    shortest: int | None
    longest: int | None
    source: str
    tier: str = "official"


@dataclass(frozen=True, slots=True)
class Block:
    """A block of address space with its own prefix limits (e.g. 192.168.0.0/16: /16–/28)."""

    net: Net
    text: str
    shortest: int | None
    longest: int | None
    source: str


@dataclass(frozen=True, slots=True)
class Reserved:
    """A range the cloud reserves or advises against; ``severity`` of a hit on it."""

    net: Net
    text: str
    severity: str
    reason: str
    source: str
    tier: str = "official"


@dataclass(frozen=True, slots=True)
class Exclusive:
    """Blocks of which one VPC may hold ranges of one only (AWS: 10/8, 172.16/12, …)."""

    nets: tuple[Net, ...]
    texts: tuple[str, ...]
    reason: str
    source: str

    def group_of(self, net: Net) -> int | None:
        """The position of the block holding ``net``, or None."""
        for position, block in enumerate(self.nets):
            if block.version == net.version and block.first <= net.first <= block.last:
                return position
        return None


@dataclass(frozen=True, slots=True)
class Vpc:
    """Addressing rules for the ranges a site of this cloud advertises (its VPC/VNet)."""

    prefix: PrefixLimit | None
    blocks: tuple[Block, ...]
    only_within_blocks: bool
    reserved: tuple[Reserved, ...]
    exclusive: Exclusive | None = None

    def block_of(self, net: Net) -> Block | None:
        """The block that contains ``net``, or None."""
        for block in self.blocks:
            if block.net.first <= net.first and net.last <= block.net.last:
                return block
        return None


@dataclass(frozen=True, slots=True)
class AsnRange:
    """An inclusive range of ASNs, with why it is listed.

    ``side`` (reserved ranges only): ``peer`` = refused on the other side of the session
    (the exchange, or a site whose routes reach the cloud site), ``cloud`` = never the
    cloud's own ASN, ``both``.
    """

    first: int
    last: int
    source: str
    tier: str = "official"
    reason: str | None = None
    note: str | None = None
    side: str = "both"

    def __contains__(self, asn: int) -> bool:
        return self.first <= asn <= self.last

    def text(self) -> str:
        """``64512`` or ``64512–65534``."""
        return str(self.first) if self.first == self.last else f"{self.first}–{self.last}"


@dataclass(frozen=True, slots=True)
class AsnRules:
    """The ASNs the cloud's BGP speaker uses (the site's ``asn`` for a cloud site).

    ``accepted``/``default`` hold for every interconnect type unless ``by_type`` has an
    entry for it (``partner`` or ``dedicated``: (accepted ranges, default)).
    """

    speaker: str
    accepted: tuple[AsnRange, ...]
    default: int | None
    requires_private: bool
    reserved: tuple[AsnRange, ...] = ()
    by_type: tuple[tuple[str, tuple[AsnRange, ...], int | None], ...] = ()

    def accepted_for(self, interconnect: str = "partner") -> tuple[AsnRange, ...]:
        """The ranges the cloud's side may use for an ``interconnect`` site."""
        for name, accepted, _ in self.by_type:
            if name == interconnect:
                return accepted
        return self.accepted

    def default_for(self, interconnect: str = "partner") -> int | None:
        """The cloud's default ASN for an ``interconnect`` site."""
        for name, _, default in self.by_type:
            if name == interconnect:
                return default
        return self.default

    def accepts(self, asn: int, interconnect: str = "partner") -> bool:
        """True when ``asn`` is one the cloud uses on its side (for that interconnect type)."""
        return any(asn in entry for entry in self.accepted_for(interconnect))

    def forbidding(self, asn: int) -> AsnRange | None:
        """The reserved range that keeps ``asn`` off the cloud's own side, or None."""
        return next((r for r in self.reserved if r.side != "peer" and asn in r), None)

    def reserved_for_peer(self, asn: int) -> AsnRange | None:
        """The reserved range that the cloud refuses on the other side of the session."""
        return next((r for r in self.reserved if r.side != "cloud" and asn in r), None)


@dataclass(frozen=True, slots=True)
class PeeringRule:
    """One rule on a line's peering addresses of one IP family.

    ``allowed=False``: the customer may not set these addresses at all. ``within``: the
    subnet must lie in one of these ranges. ``prefixes`` or ``shortest``/``longest``:
    allowed prefix lengths. ``site_host``/``exchange_host``: which address of the subnet
    (1 = first after the network address) each end must use.
    """

    allowed: bool
    within: tuple[Net, ...]
    prefixes: frozenset[int] | None
    shortest: int | None
    longest: int | None
    site_host: int | None
    exchange_host: int | None
    reason: str
    hint: str | None
    source: str
    tier: str = "official"

    def prefix_ok(self, prefixlen: int) -> bool:
        """True when ``prefixlen`` is an allowed peering prefix length."""
        if self.prefixes is not None and prefixlen not in self.prefixes:
            return False
        if self.shortest is not None and prefixlen < self.shortest:
            return False
        return not (self.longest is not None and prefixlen > self.longest)

    def prefix_text(self) -> str:
        """The allowed prefix lengths in words: ``/29 or /30``, ``/28 to /31``."""
        if self.prefixes is not None:
            return " or ".join(f"/{p}" for p in sorted(self.prefixes))
        return f"/{self.shortest} to /{self.longest}"


@dataclass(frozen=True, slots=True)
class Bandwidths:
    """Orderable bandwidths (Mbit/s), ascending, of one interconnect type."""

    values: tuple[float, ...]
    source: str
    interconnect: str = "partner"


@dataclass(frozen=True, slots=True)
class RouteAddon:
    """An add-on that raises a route limit: its name in a plan (``addons:``) and new limits."""

    name: str
    limits: tuple[tuple[int, int], ...]  # (IP version, prefixes)
    text: str
    source: str


@dataclass(frozen=True, slots=True)
class RouteLimit:
    """Prefixes the cloud accepts over one BGP session, per IP family (4 and 6)."""

    limits: tuple[tuple[int, int], ...]  # (IP version, prefixes); a family not listed: no limit
    hard: bool
    effect: str
    source: str
    raised_by: str | None = None
    addons: tuple[RouteAddon, ...] = ()
    tier: str = "official"

    def limit(self, version: int, addons: frozenset[str] | tuple = ()) -> int | None:
        """The limit for IP ``version``, raised by any of the site's ``addons``."""
        base = dict(self.limits).get(version)
        for addon in self.addons:
            if addon.name in addons:
                raised = dict(addon.limits).get(version)
                if raised is not None and (base is None or raised > base):
                    base = raised
        return base

    def raising(self, version: int, count: int) -> RouteAddon | None:
        """An add-on whose limit for ``version`` would hold ``count`` prefixes, or None."""
        for addon in self.addons:
            raised = dict(addon.limits).get(version)
            if raised is not None and count <= raised:
                return addon
        return None


@dataclass(frozen=True, slots=True)
class Circuit:
    """How the cloud's circuits are built: ``links`` per circuit, one VLAN for all of them."""

    links: int
    one_vlan: bool
    reason: str
    source: str


@dataclass(frozen=True, slots=True)
class NotAccepted:
    """Prefixes the cloud refuses to learn exactly as written (they must be split)."""

    nets: tuple[Net, ...]
    reason: str
    source: str


@dataclass(frozen=True, slots=True)
class Redundancy:
    """Redundancy the cloud requires or recommends, optionally from an SLA target up."""

    name: str
    kind: str
    text: str
    source: str
    min_lines: int = 1
    min_pops: int = 1
    min_lines_per_pop: int = 1
    when_target_at_least: float | None = None
    tier: str = "official"

    def applies(self, target: float | None) -> bool:
        """True when the requirement applies to a site needing ``target`` (None: no target)."""
        if self.when_target_at_least is None:
            return True
        return target is not None and target >= self.when_target_at_least


@dataclass(frozen=True, slots=True)
class CloudPack:
    """Everything ccv knows about one cloud; a section is None when its facts are unsourced."""

    cloud: str
    name: str
    vpc: Vpc
    asn: AsnRules | None
    peering_v4: tuple[PeeringRule, ...]
    peering_v6: tuple[PeeringRule, ...]
    bandwidths: Bandwidths | None
    routes: RouteLimit | None
    redundancy: tuple[Redundancy, ...]
    not_accepted: NotAccepted | None = None
    dedicated_bandwidths: Bandwidths | None = None
    circuit: Circuit | None = None

    def bandwidths_for(self, interconnect: str = "partner") -> Bandwidths | None:
        """The orderable bandwidths of an ``interconnect`` site (None: unsourced)."""
        return self.dedicated_bandwidths if interconnect == "dedicated" else self.bandwidths


def _net(text: str) -> Net:
    net = parse_net(text)
    if net is None:
        raise ValueError(f"bad range in cloud data: {text!r}")
    return net


def _vpc(raw: dict) -> Vpc:
    prefix_raw = raw.get("prefix")
    prefix = (
        PrefixLimit(
            prefix_raw.get("shortest"),
            prefix_raw.get("longest"),
            prefix_raw["source"],
            prefix_raw.get("tier", "official"),
        )
        if prefix_raw
        else None
    )
    blocks = tuple(
        Block(_net(b["range"]), b["range"], b.get("shortest"), b.get("longest"), b["source"])
        for b in raw.get("blocks") or ()
    )
    within = raw.get("only_within_blocks") or {}
    reserved = tuple(
        Reserved(
            _net(r["range"]),
            r["range"],
            r.get("severity", "error"),
            " ".join(r["reason"].split()),
            r["source"],
            r.get("tier", "official"),
        )
        for r in raw.get("reserved") or ()
    )
    exclusive_raw = raw.get("exclusive")
    exclusive = (
        Exclusive(
            tuple(_net(t) for t in exclusive_raw["ranges"]),
            tuple(exclusive_raw["ranges"]),
            " ".join(exclusive_raw["reason"].split()),
            exclusive_raw["source"],
        )
        if exclusive_raw
        else None
    )
    return Vpc(prefix, blocks, bool(within.get("value")), reserved, exclusive)


def _asn_range(raw: dict) -> AsnRange:
    return AsnRange(
        raw["first"],
        raw["last"],
        " ".join(raw["source"].split()),
        raw.get("tier", "official"),
        raw.get("reason"),
        raw.get("note"),
        raw.get("side", "both"),
    )


def _asn(raw: dict | None) -> AsnRules | None:
    if not raw:
        return None
    default = (raw.get("default") or {}).get("value")
    by_type = tuple(
        (
            name,
            tuple(_asn_range(r) for r in raw[name]["accepted"]),
            raw[name].get("default", default),
        )
        for name in ("partner", "dedicated")
        if raw.get(name)
    )
    accepted = tuple(_asn_range(r) for r in raw.get("accepted") or ())
    if not accepted and by_type:
        accepted = by_type[0][1]  # the partner rules stand for an unknown type
    if not accepted:
        return None
    private = raw.get("requires_private") or {}
    return AsnRules(
        raw.get("speaker", "the cloud's BGP speaker"),
        accepted,
        default,
        bool(private.get("value")),
        tuple(_asn_range(r) for r in raw.get("reserved") or ()),
        by_type,
    )


def _peering(rules: list | None) -> tuple[PeeringRule, ...]:
    result = []
    for raw in rules or ():
        prefixes = raw.get("prefixes")
        result.append(
            PeeringRule(
                allowed=raw.get("allowed", True),
                within=tuple(_net(text) for text in raw.get("within") or ()),
                prefixes=frozenset(prefixes) if prefixes else None,
                shortest=raw.get("shortest"),
                longest=raw.get("longest"),
                site_host=raw.get("site_host"),
                exchange_host=raw.get("exchange_host"),
                reason=" ".join(raw["reason"].split()),
                hint=" ".join(raw["hint"].split()) if raw.get("hint") else None,
                source=raw["source"],
                tier=raw.get("tier", "official"),
            )
        )
    return tuple(result)


def _family_limits(raw: dict) -> tuple[tuple[int, int], ...]:
    return tuple((v, raw[f"ipv{v}"]) for v in (4, 6) if raw.get(f"ipv{v}") is not None)


def _routes(raw: dict | None) -> RouteLimit | None:
    if not raw or not _family_limits(raw):
        return None
    addons = tuple(
        RouteAddon(a["name"], _family_limits(a), a.get("text", a["name"]), a["source"])
        for a in raw.get("addons") or ()
    )
    return RouteLimit(
        _family_limits(raw),
        bool(raw.get("hard", True)),
        raw.get("effect", ""),
        " ".join(raw["source"].split()),
        raw.get("raised_by"),
        addons,
        raw.get("tier", "official"),
    )


def _bandwidths(raw: dict | None, interconnect: str) -> Bandwidths | None:
    entry = (raw or {}).get(interconnect) or {}
    if not entry.get("values"):
        return None
    values = tuple(sorted(float(v) for v in entry["values"]))
    return Bandwidths(values, " ".join(entry["source"].split()), interconnect)


def _circuit(raw: dict | None) -> Circuit | None:
    if not raw:
        return None
    return Circuit(
        raw["links"], bool(raw.get("one_vlan")), " ".join(raw["reason"].split()), raw["source"]
    )


def _not_accepted(raw: dict | None) -> NotAccepted | None:
    entry = (raw or {}).get("not_accepted")
    if not entry:
        return None
    nets = tuple(_net(text) for text in entry["ranges"])
    return NotAccepted(nets, " ".join(entry["reason"].split()), entry["source"])


def _redundancy(raw: dict) -> Redundancy:
    return Redundancy(
        raw["name"],
        raw.get("kind", "recommended"),
        " ".join(raw["text"].split()),
        raw["source"],
        raw.get("min_lines", 1),
        raw.get("min_pops", 1),
        raw.get("min_lines_per_pop", 1),
        raw.get("when_target_at_least"),
        raw.get("tier", "official"),
    )


def load_data(cloud: str) -> dict:
    """The raw data file of ``cloud`` (FileNotFoundError when there is none)."""
    return read_data(f"clouds/{cloud}.yaml")  # type: ignore[return-value]


@cache
def pack(cloud: str | None) -> CloudPack | None:
    """The rule pack of ``cloud``; None for ``onprem``, ``other`` and unknown clouds."""
    if cloud not in CLOUDS:
        return None
    raw = load_data(cloud)
    bandwidths = raw.get("bandwidths_mbps")
    peering = raw.get("peering") or {}
    return CloudPack(
        cloud=cloud,
        name=raw.get("name", cloud),
        vpc=_vpc(raw.get("vpc") or {}),
        asn=_asn(raw.get("asn")),
        peering_v4=_peering(peering.get("ipv4")),
        peering_v6=_peering(peering.get("ipv6")),
        bandwidths=_bandwidths(bandwidths, "partner"),
        routes=_routes(raw.get("routes")),
        redundancy=tuple(
            sorted(
                (_redundancy(r) for r in raw.get("redundancy") or ()),
                key=lambda r: -(r.when_target_at_least or 0.0),
            )
        ),
        not_accepted=_not_accepted(raw.get("routes")),
        dedicated_bandwidths=_bandwidths(bandwidths, "dedicated"),
        circuit=_circuit(raw.get("circuit")),
    )


def requires_private_asn(cloud: str | None) -> bool:
    """True when ``cloud``'s BGP speaker must use a private ASN (for CCV405)."""
    found = pack(cloud)
    return bool(found and found.asn and found.asn.requires_private)


# Pure questions about one cloud's rules, for the rules and for anything that suggests a
# value (a fix must be one the cloud accepts): no plan needed.


def asn_refusal(cloud: str | None, asn: int, interconnect: str = "partner") -> str | None:
    """Why ``cloud`` refuses ``asn`` as its own side's ASN for an ``interconnect`` site
    (a clause such as "the ASN of … is 16550"), or None when it accepts it or has no
    pack. ASN validity in general (0, 23456, documentation ASNs) is not judged here."""
    found = pack(cloud)
    if found is None or found.asn is None:
        return None
    rules = found.asn
    reserved = rules.forbidding(asn)
    if reserved is not None:
        return f"{found.name} reserves it: {reserved.reason or 'reserved'} ({reserved.text()})"
    if rules.accepts(asn, interconnect):
        return None
    uses = " or ".join(r.text() for r in rules.accepted_for(interconnect))
    kind = f" of a {interconnect} interconnect" if rules.by_type else ""
    return f"the ASN of {rules.speaker}{kind} is {uses}"


def peer_asn_refusal(cloud: str | None, asn: int) -> AsnRange | None:
    """The range ``cloud`` reserves for itself that holds ``asn``, when ``asn`` is on the
    other side of a session with that cloud (the exchange, or a site whose routes reach
    the cloud site); None when the cloud accepts it or has no pack."""
    found = pack(cloud)
    if found is None or found.asn is None:
        return None
    return found.asn.reserved_for_peer(asn)


def orderable_bandwidths(cloud: str | None, interconnect: str = "partner") -> tuple[float, ...]:
    """The bandwidths (Mbit/s) ``cloud`` sells for an ``interconnect`` site; empty when
    unsourced or without a pack (then any bandwidth is accepted)."""
    found = pack(cloud)
    orderable = None if found is None else found.bandwidths_for(interconnect)
    return () if orderable is None else orderable.values


def route_limit(
    cloud: str | None, version: int, addons: frozenset[str] = frozenset()
) -> int | None:
    """Prefixes of IP ``version`` a site of ``cloud`` with ``addons`` accepts per BGP
    session; None when the cloud publishes no limit."""
    found = pack(cloud)
    if found is None or found.routes is None:
        return None
    return found.routes.limit(version, addons)
