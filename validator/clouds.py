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
from importlib import resources

import yaml

from validator.addressing.parse import Net, parse_net

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
class Vpc:
    """Addressing rules for the ranges a site of this cloud advertises (its VPC/VNet)."""

    prefix: PrefixLimit | None
    blocks: tuple[Block, ...]
    only_within_blocks: bool
    reserved: tuple[Reserved, ...]

    def block_of(self, net: Net) -> Block | None:
        """The block that contains ``net``, or None."""
        for block in self.blocks:
            if block.net.first <= net.first and net.last <= block.net.last:
                return block
        return None


@dataclass(frozen=True, slots=True)
class AsnRange:
    """An inclusive range of ASNs, with why it is listed."""

    first: int
    last: int
    source: str
    tier: str = "official"
    reason: str | None = None
    note: str | None = None

    def __contains__(self, asn: int) -> bool:
        return self.first <= asn <= self.last

    def text(self) -> str:
        """``64512`` or ``64512–65534``."""
        return str(self.first) if self.first == self.last else f"{self.first}–{self.last}"


@dataclass(frozen=True, slots=True)
class AsnRules:
    """The ASNs the cloud's BGP speaker uses (the site's ``asn`` for a cloud site)."""

    speaker: str
    accepted: tuple[AsnRange, ...]
    default: int | None
    requires_private: bool
    forbidden: tuple[AsnRange, ...]

    def accepts(self, asn: int) -> bool:
        """True when ``asn`` is one the cloud uses on its side."""
        return any(asn in entry for entry in self.accepted)

    def forbidding(self, asn: int) -> AsnRange | None:
        """The forbidden range that holds ``asn``, or None."""
        return next((entry for entry in self.forbidden if asn in entry), None)


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
    """Orderable bandwidths (Mbit/s), ascending."""

    values: tuple[float, ...]
    source: str


@dataclass(frozen=True, slots=True)
class RouteLimit:
    """Prefixes the cloud accepts over one BGP session."""

    limit: int
    per_family: bool
    hard: bool
    effect: str
    source: str
    raised_limit: int | None = None
    raised_by: str | None = None
    tier: str = "official"


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
    return Vpc(prefix, blocks, bool(within.get("value")), reserved)


def _asn_range(raw: dict) -> AsnRange:
    return AsnRange(
        raw["first"],
        raw["last"],
        raw["source"],
        raw.get("tier", "official"),
        raw.get("reason"),
        raw.get("note"),
    )


def _asn(raw: dict | None) -> AsnRules | None:
    if not raw or not raw.get("accepted"):
        return None
    default = raw.get("default") or {}
    private = raw.get("requires_private") or {}
    return AsnRules(
        raw.get("speaker", "the cloud's BGP speaker"),
        tuple(_asn_range(r) for r in raw["accepted"]),
        default.get("value"),
        bool(private.get("value")),
        tuple(_asn_range(r) for r in raw.get("forbidden") or ()),
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


def _routes(raw: dict | None) -> RouteLimit | None:
    if not raw or "limit" not in raw:
        return None
    return RouteLimit(
        raw["limit"],
        bool(raw.get("per_family")),
        bool(raw.get("hard", True)),
        raw.get("effect", ""),
        raw["source"],
        raw.get("raised_limit"),
        raw.get("raised_by"),
        raw.get("tier", "official"),
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
    path = resources.files("validator").joinpath(f"data/clouds/{cloud}.yaml")
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@cache
def pack(cloud: str | None) -> CloudPack | None:
    """The rule pack of ``cloud``; None for ``onprem``, ``other`` and unknown clouds."""
    if cloud not in CLOUDS:
        return None
    raw = load_data(cloud)
    bandwidths = raw.get("bandwidths_mbps") or {}
    peering = raw.get("peering") or {}
    return CloudPack(
        cloud=cloud,
        name=raw.get("name", cloud),
        vpc=_vpc(raw.get("vpc") or {}),
        asn=_asn(raw.get("asn")),
        peering_v4=_peering(peering.get("ipv4")),
        peering_v6=_peering(peering.get("ipv6")),
        bandwidths=(
            Bandwidths(tuple(sorted(float(v) for v in bandwidths["values"])), bandwidths["source"])
            if bandwidths.get("values")
            else None
        ),
        routes=_routes(raw.get("routes")),
        redundancy=tuple(
            sorted(
                (_redundancy(r) for r in raw.get("redundancy") or ()),
                key=lambda r: -(r.when_target_at_least or 0.0),
            )
        ),
        not_accepted=_not_accepted(raw.get("routes")),
    )


def requires_private_asn(cloud: str | None) -> bool:
    """True when ``cloud``'s BGP speaker must use a private ASN (for CCV405)."""
    found = pack(cloud)
    return bool(found and found.asn and found.asn.requires_private)
