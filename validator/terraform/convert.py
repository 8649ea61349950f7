"""Terraform resources -> the plan's sites, ranges, subnets, ASNs and lines (SPEC §10).

The result is a topology-shaped view (``{"sites": [...]}``, the shape the model reads)
plus, for every value in it, the resource and attribute it came from (``Ref``), so a
finding locates the resource's object in the plan file and its JSON pointer names the
attribute. Only the attributes listed in ``validator.terraform.catalog`` are copied;
sensitive values never are (``values.lookup``).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from validator.addressing.parse import parse_net
from validator.asn import parse_asn
from validator.load.types import Path_
from validator.terraform import catalog
from validator.terraform.address import module_of, split_address, strip_key
from validator.terraform.catalog import ALWAYS
from validator.terraform.config import Configuration
from validator.terraform.plan import Resource, read_resources
from validator.terraform.values import KNOWN, SENSITIVE, UNKNOWN, lookup


@dataclass(frozen=True, slots=True)
class Ref:
    """Where a value comes from: the resource's object and the attribute under its values."""

    address: str
    resource_path: Path_
    values_path: Path_
    attribute: tuple[str | int, ...] = ()

    @property
    def pointer_path(self) -> Path_:
        """The path of the attribute in the plan file (the resource's values without one)."""
        return (*self.values_path, *self.attribute) if self.attribute else self.resource_path

    def attribute_text(self) -> str:
        """``bgp[0].asn``-style name of the attribute."""
        text = ""
        for part in self.attribute:
            text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
        return text


@dataclass(slots=True)
class UnknownValue:
    """A value a rule needs that the plan does not give (unknown until apply, or sensitive)."""

    ref: Ref
    need: str
    sensitive: bool = False


@dataclass(slots=True)
class SubnetFacts:
    """A subnet: its network site (None when not in the plan) and its ranges."""

    address: str
    network: str | None
    cloud: str
    cidrs: list[str] = field(default_factory=list)
    refs: list[Ref] = field(default_factory=list)
    ref: Ref | None = None


@dataclass(slots=True)
class LineFacts:
    """An interconnect link: peering addresses, VLAN, bandwidth, port."""

    id: str
    ref: Ref
    pop: str | None = None
    vlan: int | None = None
    vlan_ref: Ref | None = None
    bandwidth_mbps: float | None = None
    bandwidth_ref: Ref | None = None
    peering: dict[str, tuple[str, Ref]] = field(default_factory=dict)
    # how the plan writes a peering field when not as address/prefix length: field ->
    # ("address", the mask attribute or None) or ("prefix", None) (model.SourceName)
    forms: dict[str, tuple[str, str | None]] = field(default_factory=dict)


@dataclass(slots=True)
class SiteFacts:
    """A network (or a gateway/circuit standing alone) and what the plan says about it."""

    id: str
    cloud: str
    ref: Ref
    region: str | None = None
    asn: object = None
    asn_ref: Ref | None = None
    cidrs: list[str] = field(default_factory=list)
    cidr_refs: list[Ref] = field(default_factory=list)
    lines: list[LineFacts] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)
    unknown_families: set[int] = field(default_factory=set)
    interconnect_types: set[str] = field(default_factory=set)  # "partner" / "dedicated"

    def add_range(self, text: str, ref: Ref) -> None:
        """Add a range once (two addresses of one network may both name it)."""
        if text not in self.cidrs:
            self.cidrs.append(text)
            self.cidr_refs.append(ref)


@dataclass
class PlanFacts:
    """Everything the plan file says, ready for the model."""

    sites: list[SiteFacts] = field(default_factory=list)
    subnets: list[SubnetFacts] = field(default_factory=list)
    unknowns: list[UnknownValue] = field(default_factory=list)
    exchange_asn: object = None
    exchange_ref: Ref | None = None
    ports: list[tuple[str, Ref]] = field(default_factory=list)

    def topology(self, name: str) -> dict:
        """The topology-shaped view of the plan that ``validator.model`` builds from."""
        sites = []
        for site in self.sites:
            entry: dict = {"id": site.id, "cloud": site.cloud, "cidrs": list(site.cidrs)}
            if site.region:
                entry["region"] = site.region
            if site.asn is not None:
                entry["asn"] = site.asn
            if site.interconnect_types == {"dedicated"} or _vpn_router(site):
                entry["interconnect"] = "dedicated"
            if site.lines:
                entry["lines"] = [_line_entry(line) for line in site.lines]
            sites.append(entry)
        view: dict = {"version": 1, "name": name, "sites": sites}
        if self.ports:
            view["pops"] = [{"id": port} for port, _ in self.ports]
        if self.exchange_asn is not None:
            view["exchange"] = {"asn": self.exchange_asn}
        return view


def _vpn_router(site: SiteFacts) -> bool:
    """A Google Cloud Router no interconnect attachment of the plan uses, on an ASN that
    Partner Interconnect does not accept (it needs 16550, gcp.yaml): it serves Cloud VPN
    or a Dedicated Interconnect (both take a private ASN), not a Partner attachment, so
    its ASN is checked as Dedicated's; as Partner's, a router that is right would fail."""
    if site.cloud != "gcp" or site.interconnect_types or site.asn is None:
        return False
    from validator.clouds import pack  # the cloud's facts (validator/data/clouds/gcp.yaml)

    found = pack("gcp")
    rules = found.asn if found is not None else None
    asn = parse_asn(site.asn)
    return rules is not None and asn is not None and not rules.accepts(asn, "partner")


def _line_entry(line: LineFacts) -> dict:
    entry: dict = {"id": line.id}
    if line.pop:
        entry["pop"] = line.pop
    if line.vlan is not None:
        entry["vlan"] = line.vlan
    if line.bandwidth_mbps is not None:
        entry["bandwidth_mbps"] = line.bandwidth_mbps
    if line.peering:
        entry["peering"] = {name: text for name, (text, _) in line.peering.items()}
    return entry


def _local(address: str, module: str) -> str:
    return address[len(module) + 1 :] if module else address


def _steps(address: str) -> list[str]:
    return address.split(".") if '"' not in address else split_address(address)


def _resource_module(address: str) -> str:
    return module_of(address)


def _index_of(local: str) -> str:
    last = _steps(local)[-1]
    cut = last.find("[")
    return last[cut:] if cut >= 0 else ""


class Converter:
    """One pass over a plan's resources, building PlanFacts."""

    def __init__(self, data: dict) -> None:
        self.resources = read_resources(data, catalog.WANTED)
        self.config = Configuration(data.get("configuration"))
        self.has_config = isinstance(data.get("configuration"), dict)
        self.facts = PlanFacts()
        self.instances: dict[tuple[str, str], list[str]] = {}
        self.modules: dict[str, str] = {}
        for res in self.resources:
            module = _resource_module(res.address)
            self.modules[res.address] = module
            local = _local(res.address, module)
            self.instances.setdefault((module, strip_key(local)), []).append(res.address)
        self.owner: dict[str, SiteFacts] = {}  # address -> the site it belongs to
        self.by_id: dict[tuple[str, str], SiteFacts] = {}
        self.networks_in_module: dict[tuple[str, str], list[SiteFacts]] = {}
        self.port_ids: set[str] = set()

    # -- helpers ------------------------------------------------------------------
    def ref(self, res: Resource, *attribute: str | int) -> Ref:
        """Where ``attribute`` of ``res`` stands in the plan file."""
        return Ref(res.address, res.path, res.values_path, attribute)

    def counts(self, res: Resource, attribute: str, when: str) -> bool:
        """Whether an unknown ``attribute`` of ``res`` is a value a rule needs."""
        if when == ALWAYS:
            return True
        enablers = catalog.ENABLERS.get((res.type, attribute))
        if enablers is not None:
            return any(res.values.get(flag) not in (None, False, "") for flag in enablers)
        if not self.has_config:
            return False
        module = self.modules[res.address]
        return self.config.configured(module, _local(res.address, module), attribute)

    def unknown(self, res: Resource, need: str, *attribute: str | int, sensitive=False) -> None:
        """Record a value a rule needs that the plan does not give (CCV104): unknown until
        apply, or sensitive (told, or marked so at ``attribute``)."""
        sensitive = sensitive or (bool(attribute) and lookup(res, *attribute)[0] == SENSITIVE)
        self.facts.unknowns.append(UnknownValue(self.ref(res, *attribute), need, sensitive))

    def texts(self, res: Resource, attribute: str, when: str, need: str) -> list[tuple[str, Ref]]:
        """The range strings of ``attribute`` (a string, a list, or GCP's secondary ranges)."""
        status, value = lookup(res, attribute)
        if status == SENSITIVE:
            if res.values.get(attribute) is not None or when == ALWAYS:
                self.unknown(res, need, attribute, sensitive=True)
            return []
        if status == UNKNOWN:
            if self.counts(res, attribute, when):
                self.unknown(res, need, attribute)
            return []
        if status != KNOWN:
            return []
        if isinstance(value, str):
            return [(value, self.ref(res, attribute))] if value else []
        found = []
        if isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, dict) and attribute == "secondary_ip_range":
                    state, text = lookup(res, attribute, index, "ip_cidr_range")
                    if state == KNOWN and isinstance(text, str):
                        found.append((text, self.ref(res, attribute, index, "ip_cidr_range")))
                    continue
                state, text = lookup(res, attribute, index)
                if state == KNOWN and isinstance(text, str) and text:
                    found.append((text, self.ref(res, attribute, index)))
                elif state == UNKNOWN:
                    self.unknown(res, need, attribute, index)
        return found

    def link(self, res: Resource, attribute: str, cloud: str) -> tuple[SiteFacts | None, bool]:
        """The network ``res`` names in ``attribute``; (None, True) when unknown until apply."""
        status, value = lookup(res, attribute)
        if status == KNOWN and isinstance(value, str) and value:
            found = self._by_value(res, cloud, value)
            if found is not None:
                return found, False
        module = self.modules[res.address]
        local = _local(res.address, module)
        if self.has_config:
            refs = self.config.references(module, local, attribute)
            if refs:
                target = self.config.resolve(module, refs, _index_of(local), self.instances)
                if target is not None and target in self.owner:
                    return self.owner[target], False
        if status in (UNKNOWN, SENSITIVE) or (status == KNOWN and not value):
            only = self.networks_in_module.get((module, cloud), [])
            if len(only) == 1:
                return only[0], False
            return None, status in (UNKNOWN, SENSITIVE)
        return None, False

    def _by_value(self, res: Resource, cloud: str, value: str) -> SiteFacts | None:
        found = self.by_id.get((cloud, value))
        if found is None and cloud == "gcp":
            found = self.by_id.get((cloud, value.rstrip("/").rsplit("/", 1)[-1]))
        if found is None and cloud == "azure":
            group = res.values.get("resource_group_name")
            found = self.by_id.get((cloud, f"{group}/{value}"))
        return found

    def new_site(self, res: Resource, cloud: str) -> SiteFacts:
        """A new site for ``res``, with its address as id."""
        site = SiteFacts(res.address, cloud, self.ref(res), addresses=[res.address])
        self.facts.sites.append(site)
        self.owner[res.address] = site
        return site

    # -- passes ---------------------------------------------------------------------
    def run(self) -> PlanFacts:
        """Networks first, then what adds ranges, subnets, ASNs and interconnects to them."""
        by_type: dict[str, list[Resource]] = {}
        for res in self.resources:
            by_type.setdefault(res.type, []).append(res)
        for rtype, spec in catalog.NETWORKS.items():
            for res in by_type.get(rtype, ()):
                self.network(res, spec)
        for rtype, spec in catalog.RANGES.items():
            for res in by_type.get(rtype, ()):
                self.range_of(res, spec)
        for rtype, spec in catalog.SUBNETS.items():
            cloud = _cloud_of(rtype)
            for res in by_type.get(rtype, ()):
                self.subnet(res, spec, cloud)
        for rtype, spec in catalog.ASNS.items():
            for res in by_type.get(rtype, ()):
                self.asn_carrier(res, spec)
        from validator.terraform import interconnect

        interconnect.read(self, by_type)
        return self.facts

    def network(self, res: Resource, spec: catalog.Network) -> None:
        """A network container: a site (or, with a cloud id seen before, that site)."""
        ident = res.values.get("id")
        site = None
        if isinstance(ident, str) and ident:
            site = self.by_id.get((spec.cloud, ident))
        if site is not None:  # the same cloud network at a second address
            site.addresses.append(res.address)
            self.owner[res.address] = site
        else:
            site = self.new_site(res, spec.cloud)
            module = self.modules[res.address]
            self.networks_in_module.setdefault((module, spec.cloud), []).append(site)
            if spec.region:
                region = res.values.get(spec.region)
                site.region = region if isinstance(region, str) and region else None
        for key in spec.ids:
            value = res.values.get(key)
            if isinstance(value, str) and value:
                if spec.cloud == "azure" and key == "name":
                    value = f"{res.values.get('resource_group_name')}/{value}"
                self.by_id.setdefault((spec.cloud, value), site)
        for attribute, when in spec.ranges:
            before = len(self.facts.unknowns)
            for text, ref in self.texts(res, attribute, when, "the network's ranges"):
                site.add_range(text, ref)
            if len(self.facts.unknowns) > before:  # a range of it is unknown (or sensitive)
                site.unknown_families.add(6 if "ipv6" in attribute else 4)
        if spec.cloud == "azure":
            self.inline_subnets(res, site)
        if spec.cloud == "gcp" and lookup(res, "auto_create_subnetworks") == (KNOWN, True):
            site.add_range(catalog.GCP_AUTO_MODE_RANGE, self.ref(res, "auto_create_subnetworks"))

    def inline_subnets(self, res: Resource, site: SiteFacts) -> None:
        """An Azure VNet's inline ``subnet`` blocks."""
        blocks = res.values.get("subnet")
        if not isinstance(blocks, list):
            return
        for index, block in enumerate(blocks):
            if not isinstance(block, dict):
                continue
            name = block.get("name") if isinstance(block.get("name"), str) else str(index)
            subnet = SubnetFacts(
                f"{res.address} subnet {name}", site.id, "azure", ref=self.ref(res, "subnet", index)
            )
            for key in ("address_prefixes", "address_prefix"):
                status, value = lookup(res, "subnet", index, key)
                if status != KNOWN:
                    continue
                items = value if isinstance(value, list) else [value]
                for pos, text in enumerate(items):
                    at = (key, pos) if isinstance(value, list) else (key,)
                    if (
                        isinstance(text, str)
                        and text
                        and lookup(res, "subnet", index, *at)[0] == KNOWN
                    ):
                        subnet.cidrs.append(text)
                        subnet.refs.append(self.ref(res, "subnet", index, *at))
            if subnet.cidrs:
                self.facts.subnets.append(subnet)

    def range_of(self, res: Resource, spec: catalog.RangeOf) -> None:
        """A resource adding ranges to a network (a CIDR block association)."""
        cloud = _cloud_of(res.type)
        site, unknown = self.link(res, spec.link, cloud)
        if site is None:
            if unknown:
                self.unknown(res, "the network these ranges belong to", spec.link)
            return
        self.owner[res.address] = site
        for attribute, when in spec.ranges:
            for text, ref in self.texts(res, attribute, when, "the network's ranges"):
                site.add_range(text, ref)

    def subnet(self, res: Resource, spec: catalog.Subnet, cloud: str) -> None:
        """A subnet of a network (for Google Cloud, also the network's ranges)."""
        site, unknown = self.link(res, spec.link, cloud)
        subnet = SubnetFacts(res.address, site.id if site else None, cloud, ref=self.ref(res))
        for attribute, when in spec.ranges:
            for text, ref in self.texts(res, attribute, when, "the subnet's ranges"):
                subnet.cidrs.append(text)
                subnet.refs.append(ref)
        if site is None:
            if unknown and subnet.cidrs:
                self.unknown(res, "the network the subnet belongs to (CCV211)", spec.link)
            if not spec.also_network:
                return
        if spec.also_network and site is not None:
            self.owner[res.address] = site
            for text, ref in zip(subnet.cidrs, subnet.refs, strict=True):
                if not _overlaps_any(text, site.cidrs):
                    site.add_range(text, ref)
        if subnet.cidrs and site is not None:
            self.facts.subnets.append(subnet)

    def asn_carrier(self, res: Resource, spec: catalog.AsnCarrier) -> None:
        """A gateway or router with an ASN: its network's ASN, else a site of its own."""
        status, value = lookup(res, *spec.asn)
        asn = parse_asn(value) if status == KNOWN else None
        if status in (UNKNOWN, SENSITIVE):
            self.unknown(res, "the ASN (CCV401–CCV406)", *spec.asn, sensitive=status == SENSITIVE)
        site = self.link(res, spec.link, spec.cloud)[0] if spec.link else None
        if site is not None and (asn is None or site.asn is None or parse_asn(site.asn) == asn):
            if asn is not None and site.asn is None:
                site.asn, site.asn_ref = value, self.ref(res, *spec.asn)
            owner = site
        else:
            owner = self.new_site(res, spec.cloud)
            if asn is not None:
                owner.asn, owner.asn_ref = value, self.ref(res, *spec.asn)
            region = res.values.get("region")
            owner.region = region if isinstance(region, str) and region else None
        self.owner[res.address] = owner
        for key in ("id", "name", "self_link"):
            ident = res.values.get(key)
            if isinstance(ident, str) and ident:
                self.by_id.setdefault((spec.cloud, ident), owner)


def _cloud_of(rtype: str) -> str:
    prefix = rtype.split("_", 1)[0]
    return {
        "aws": "aws",
        "azurerm": "azure",
        "google": "gcp",
        "alicloud": "alibaba",
        "huaweicloud": "huawei",
        "tencentcloud": "tencent",
        "oci": "oracle",
    }.get(prefix, "other")


def _overlaps_any(text: str, others: list[str]) -> bool:
    net = parse_net(text)
    if net is None:
        return False
    for other in others:
        o = parse_net(other)
        if (
            o is not None
            and o.version == net.version
            and o.first <= net.last
            and net.first <= o.last
        ):
            return True
    return False


def prefix_of_mask(mask: str) -> int | None:
    """Prefix length of a dotted IPv4 mask (``255.255.255.252`` -> 30); None if not a mask."""
    try:
        return ipaddress.IPv4Network(f"0.0.0.0/{mask}").prefixlen
    except ValueError:
        return None


def convert(data: dict) -> PlanFacts:
    """Read a ``terraform show -json`` document into PlanFacts."""
    return Converter(data).run()
