"""The plan as plain objects, built tolerantly from loaded documents.

A schema violation does not stop the other checks (SPEC §8), so the builder keeps
every object it can: a field of the wrong type becomes None, an entry that is not a
mapping is skipped, and every object remembers where it was written (``origin``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from validator.asn import parse_asn
from validator.load.document import Document, Path_
from validator.load.terraform import FORMAT as TERRAFORM

DEFAULT_SEGMENT = "default"


@dataclass(frozen=True, slots=True)
class Origin:
    """Where an object was written: its document and its path in that document."""

    doc: Document
    path: Path_

    def child(self, *parts: str | int) -> Origin:
        """The origin of a node below this one."""
        return Origin(self.doc, (*self.path, *parts))


def _num(value: object) -> float | int | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _ignore(raw: dict) -> frozenset[str]:
    values = raw.get("ignore")
    if not isinstance(values, list):
        return _NO_IGNORE
    return frozenset(v.upper() for v in values if isinstance(v, str)) or _NO_IGNORE


@dataclass(slots=True)
class Exchange:
    """The carrier-side virtual router."""

    asn: int | None
    as_override: bool
    ignore: frozenset[str]
    origin: Origin


@dataclass(slots=True)
class Pop:
    """A carrier POP."""

    id: str
    metro: str | None
    ignore: frozenset[str]
    origin: Origin


@dataclass(slots=True)
class Link:
    """A backbone link between POPs ``a`` and ``b`` (undirected)."""

    id: str
    a: str
    b: str
    latency_ms: float | None
    capacity_mbps: float | None
    ignore: frozenset[str]
    origin: Origin
    id_written: bool = True


@dataclass(frozen=True, slots=True)
class SourceName:
    """How an input that is not a topology names a field (a Terraform plan's attribute),
    so findings and hints speak the input's language (``validator.wording``).

    ``attribute`` is the input's name (``amazon_address``, ``bgp[0].asn``); ``resource``
    the resource that holds it when that is not the object's own (a Cloud Router peer);
    ``form`` how the value is written there: ``cidr`` (address/prefix length),
    ``address`` (the address alone, its prefix length in another attribute) or
    ``prefix`` (the peering subnet, from which both ends' addresses follow); ``mask``
    the attribute with the prefix length as a dotted mask, for the ``address`` form."""

    attribute: str
    resource: str | None = None
    form: str = "cidr"
    mask: str | None = None


@dataclass(slots=True)
class Peering:
    """BGP interconnect addressing of a line; values are the written strings.
    ``names``: the input's name of each field (None for a topology)."""

    site_ip: str | None
    exchange_ip: str | None
    site_ipv6: str | None
    exchange_ipv6: str | None
    site_origin: Origin  # the origin of its line's site
    position: int  # its line's position in the site's ``lines``
    names: Mapping[str, SourceName] | None = None
    ignore: frozenset[str] = frozenset()  # its own ``ignore:`` list

    @property
    def origin(self) -> Origin:
        """Where the peering is written: the ``peering`` key of its line (built when asked)."""
        return self.site_origin.child("lines", self.position, "peering")


@dataclass(slots=True)
class Line:
    """An access line from ``site`` to ``pop``."""

    id: str
    site: str
    pop: str | None
    bandwidth_mbps: float | None
    vlan: int | None
    peering: Peering | None
    ignore: frozenset[str]
    site_origin: Origin  # the origin of its site
    position: int  # its position in the site's ``lines``
    circuit: str | None = None  # the cloud circuit this line is a link of (default: site id)
    names: Mapping[str, SourceName] | None = None  # e.g. vlan -> vlan_id

    @property
    def origin(self) -> Origin:
        """Where the line is written (built when asked: a plan has many lines, and only
        the few with a finding need it)."""
        return self.site_origin.child("lines", self.position)


@dataclass(slots=True)
class Site:
    """A customer site. ``cidrs`` and ``summaries`` keep list positions: a non-string
    entry is None. ``interconnect`` is ``partner`` unless the site says ``dedicated``;
    ``addons`` are the cloud add-ons the site declares (e.g. ``expressroute-premium``)."""

    id: str
    cloud: str | None
    region: str | None
    asn: int | None
    cidrs: list[str | None]
    bandwidth_mbps: float | None
    sla_target: float | None
    lines: list[Line]
    ignore: frozenset[str]
    origin: Origin
    summaries: Sequence[str | None] = ()
    interconnect: str = "partner"
    addons: frozenset[str] = frozenset()
    names: Mapping[str, SourceName] | None = None  # e.g. asn -> bgp[0].asn


@dataclass(slots=True)
class Segment:
    """A routing domain and its member site ids."""

    id: str
    sites: list[str]
    origin: Origin


@dataclass(slots=True)
class Flow:
    """A traffic intent from one site to another."""

    source: str
    target: str
    bandwidth_mbps: float | None
    max_latency_ms: float | None
    ignore: frozenset[str]
    origin: Origin

    @property
    def name(self) -> str:
        """The flow's name in findings: ``from->to``."""
        return f"{self.source}->{self.target}"


@dataclass(slots=True)
class Subnet:
    """A subnet a Terraform plan creates in network ``network`` (a site id)."""

    address: str
    network: str
    cloud: str
    cidrs: list[str]
    origins: list[Origin]
    origin: Origin
    network_cidrs: list[str]
    network_unknown: frozenset[int]  # IP versions of the network's ranges unknown until apply


@dataclass(slots=True)
class Unknown:
    """A value a rule needs that a Terraform plan does not give (SPEC §10): known only
    after apply, or sensitive (ccv reads no sensitive value)."""

    address: str
    attribute: str
    need: str
    sensitive: bool
    origin: Origin


@dataclass
class Plan:
    """Everything the rules look at, from one or several merged documents."""

    documents: list[Document]
    name: str | None = None
    sla_defaults: dict[int, tuple[float, Origin]] = field(default_factory=dict)
    """Each input's top-level ``sla_target`` and where it is written, keyed by
    ``id(document)``: the default of that input's own sites only (docs/usage.md)."""
    exchange: Exchange | None = None
    pops: list[Pop] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    sites: list[Site] = field(default_factory=list)
    flows: list[Flow] = field(default_factory=list)
    subnets: list[Subnet] = field(default_factory=list)
    unknowns: list[Unknown] = field(default_factory=list)
    drifts: list = field(default_factory=list)
    # (site id, claimed address, where, the closest addresses of the plans)
    unmatched_claims: list[tuple[str, str, Origin, list[str]]] = field(default_factory=list)

    def default_target(self, site: Site) -> tuple[float, Origin] | None:
        """The top-level ``sla_target`` of the input ``site`` is written in, and its origin."""
        return self.sla_defaults.get(id(site.origin.doc))

    def target_of(self, site: Site) -> float | None:
        """The availability (percent) ``site`` needs: its own ``sla_target``, else the
        top-level one of its own input; None when neither is written."""
        if site.sla_target is not None:
            return site.sla_target
        default = self.sla_defaults.get(id(site.origin.doc))
        return None if default is None else default[0]

    def lines(self) -> list[Line]:
        """Every line of every site, in input order."""
        return [line for site in self.sites for line in site.lines]

    @cached_property
    def extra_ignores(self) -> list[tuple[Origin, frozenset[str]]]:
        """The ``ignore:`` lists no model object carries (:func:`unmodelled_ignores`),
        found once. Build the plan completely before asking."""
        return list(unmodelled_ignores(self.documents))

    @cached_property
    def segments_by_site(self) -> dict[str, tuple[str, ...]]:
        """Segment ids of every site; a site listed in no segment is in ``default``.

        Computed once: build the plan completely before asking.
        """
        member: dict[str, list[str]] = {}
        for segment in self.segments:
            for site_id in segment.sites:
                ids = member.setdefault(site_id, [])
                if segment.id not in ids:
                    ids.append(segment.id)
        return {s.id: tuple(member.get(s.id, (DEFAULT_SEGMENT,))) for s in self.sites}

    @cached_property
    def segment_members(self) -> dict[str, list[str]]:
        """Site ids of every segment (``default`` when it has members), segments sorted by id."""
        groups: dict[str, list[str]] = {}
        for site_id, segment_ids in self.segments_by_site.items():
            for segment_id in segment_ids:
                groups.setdefault(segment_id, []).append(site_id)
        return dict(sorted(groups.items()))

    def sites_meet(self, a: str, b: str) -> bool:
        """True when sites ``a`` and ``b`` share a segment (SPEC §3)."""
        segments = self.segments_by_site
        return bool(set(segments.get(a, ())) & set(segments.get(b, ())))


def _list(raw: dict, key: str) -> list:
    value = raw.get(key)
    return value if isinstance(value, list) else []


def unmodelled_ignores(documents: list[Document]) -> Iterator[tuple[Origin, frozenset[str]]]:
    """The ``ignore:`` lists the model's objects do not carry, with where each is written:
    a document's top level (it covers every finding located in that document) and each
    segment (a line's ``peering`` carries its own: ``Peering.ignore``). Empty lists are
    left out. Linear in the segments."""
    for doc in documents:
        data = doc.data
        if not isinstance(data, dict):
            continue
        where: list[tuple[Path_, dict]] = [((), data)]
        where += [(("segments", i), raw) for i, raw in enumerate(_list(data, "segments"))]
        for path, raw in where:
            if isinstance(raw, dict) and "ignore" in raw and _ignore(raw):
                yield Origin(doc, path), _ignore(raw)


def _build_peering(raw: object, site_origin: Origin, position: int) -> Peering | None:
    if not isinstance(raw, dict):
        return None
    get = raw.get
    site_ip, exchange_ip = get("site_ip"), get("exchange_ip")
    site_ipv6, exchange_ipv6 = get("site_ipv6"), get("exchange_ipv6")
    return Peering(  # _str() written out: a plan has hundreds of thousands of peerings
        site_ip if isinstance(site_ip, str) and site_ip else None,
        exchange_ip if isinstance(exchange_ip, str) and exchange_ip else None,
        site_ipv6 if isinstance(site_ipv6, str) and site_ipv6 else None,
        exchange_ipv6 if isinstance(exchange_ipv6, str) and exchange_ipv6 else None,
        site_origin,
        position,
        ignore=_ignore(raw) if "ignore" in raw else _NO_IGNORE,
    )


_ONLY_STR = {str}


def _strings(value: object) -> list[str | None]:
    """A list of strings as written; a non-string entry becomes None (positions kept)."""
    if not isinstance(value, list):
        return []
    if not value or set(map(type, value)) == _ONLY_STR:  # at C speed: no generator
        return value
    return [v if isinstance(v, str) else None for v in value]


_NO_IGNORE: frozenset[str] = frozenset()


def _build_site(raw: dict, origin: Origin) -> Site | None:
    site_id = raw.get("id")
    if not isinstance(site_id, str) or not site_id:
        return None
    cidrs = _strings(raw.get("cidrs"))
    lines = []
    lines_raw = raw.get("lines")
    no_ignore = _NO_IGNORE
    for index, line_raw in enumerate(lines_raw if isinstance(lines_raw, list) else ()):
        if not isinstance(line_raw, dict):
            continue
        get = line_raw.get
        line_id = get("id")
        if type(line_id) is not str or not line_id:
            continue
        pop, vlan, peering, circuit = get("pop"), get("vlan"), get("peering"), get("circuit")
        # positional, in the order of Line's fields (a plan has hundreds of thousands)
        lines.append(
            Line(
                line_id,
                site_id,
                _str(pop),
                _num(get("bandwidth_mbps")),
                vlan if type(vlan) is int else None,
                None if peering is None else _build_peering(peering, origin, index),
                _ignore(line_raw) if "ignore" in line_raw else no_ignore,
                origin,
                index,
                circuit if type(circuit) is str and circuit else site_id,
            )
        )
    cloud = raw.get("cloud")
    return Site(
        id=site_id,
        cloud=cloud if isinstance(cloud, str) else None,
        region=_str(raw.get("region")),
        asn=parse_asn(raw.get("asn")),
        cidrs=cidrs,
        bandwidth_mbps=_num(raw.get("bandwidth_mbps")),
        sla_target=_num(raw.get("sla_target")),
        lines=lines,
        ignore=_ignore(raw) if "ignore" in raw else _NO_IGNORE,
        origin=origin,
        summaries=_strings(raw["summaries"]) if "summaries" in raw else (),
        interconnect="dedicated" if raw.get("interconnect") == "dedicated" else "partner",
        addons=_addons(raw["addons"]) if "addons" in raw else _NO_ADDONS,
    )


_NO_ADDONS: frozenset[str] = frozenset()


def _addons(value: object) -> frozenset[str]:
    if not isinstance(value, list):
        return _NO_ADDONS
    return frozenset(a for a in value if isinstance(a, str))


def _add_document(plan: Plan, doc: Document) -> None:
    data = doc.data
    if not isinstance(data, dict):
        return
    root = Origin(doc, ())
    if plan.name is None:
        plan.name = _str(data.get("name"))
    target = _num(data.get("sla_target"))
    if target is not None:  # the default of this input's own sites, not of the merged plan
        plan.sla_defaults[id(doc)] = (target, root.child("sla_target"))
    exchange = data.get("exchange")
    if isinstance(exchange, dict) and plan.exchange is None:
        plan.exchange = Exchange(
            asn=parse_asn(exchange.get("asn")),
            as_override=exchange.get("as_override") is True,
            ignore=_ignore(exchange),
            origin=root.child("exchange"),
        )
    for index, raw in enumerate(_list(data, "pops")):
        if isinstance(raw, dict) and _str(raw.get("id")):
            plan.pops.append(
                Pop(raw["id"], _str(raw.get("metro")), _ignore(raw), root.child("pops", index))
            )
    for index, raw in enumerate(_list(data, "backbone")):
        if not isinstance(raw, dict):
            continue
        a, b = _str(raw.get("a")), _str(raw.get("b"))
        if a is None or b is None:
            continue
        link_id = _str(raw.get("id"))
        plan.links.append(
            Link(
                id=link_id or f"{a}--{b}",
                a=a,
                b=b,
                latency_ms=_num(raw.get("latency_ms")),
                capacity_mbps=_num(raw.get("capacity_mbps")),
                ignore=_ignore(raw),
                origin=root.child("backbone", index),
                id_written=link_id is not None,
            )
        )
    for index, raw in enumerate(_list(data, "segments")):
        if not isinstance(raw, dict):
            continue
        members = [s for s in _list(raw, "sites") if isinstance(s, str)]
        segment_id = _str(raw.get("id")) or f"segment-{index}"
        plan.segments.append(Segment(segment_id, members, root.child("segments", index)))
    for index, raw in enumerate(_list(data, "sites")):
        if isinstance(raw, dict):
            site = _build_site(raw, root.child("sites", index))
            if site is not None:
                plan.sites.append(site)
    for index, raw in enumerate(_list(data, "flows")):
        if not isinstance(raw, dict):
            continue
        source, target_site = _str(raw.get("from")), _str(raw.get("to"))
        if source is None or target_site is None:
            continue
        plan.flows.append(
            Flow(
                source=source,
                target=target_site,
                bandwidth_mbps=_num(raw.get("bandwidth_mbps")),
                max_latency_ms=_num(raw.get("max_latency_ms")),
                ignore=_ignore(raw),
                origin=root.child("flows", index),
            )
        )


def build_plan(documents: list[Document]) -> Plan:
    """Build one Plan from ``documents`` (several when inputs are merged)."""
    if any(is_terraform(doc) for doc in documents):
        from validator.terraform.document import plan_document

        documents = [plan_document(d) if is_terraform(d) else d for d in documents]
        if len(documents) > 1:
            _qualify(documents)
    plan = Plan(documents=list(documents))
    for doc in documents:
        _add_document(plan, doc)
        add_to_plan = getattr(doc, "add_to_plan", None)
        if add_to_plan is not None:  # a Terraform plan (validator.terraform.document)
            add_to_plan(plan)
    if any(is_terraform(doc) for doc in documents):
        from validator.terraform.merge import apply_claims

        apply_claims(plan)
    return plan


def _qualify(documents: list[Document]) -> None:
    """Merged inputs: a plan's ids that an earlier input uses get the plan's name as a
    prefix (validator.terraform.document.PlanDocument.qualify)."""
    taken: set[str] = set()
    lines: set[str] = set()
    ports: set[str] = set()
    for doc in documents:
        if is_terraform(doc):
            continue
        data = doc.data if isinstance(doc.data, dict) else {}
        for raw in _list(data, "sites"):
            if isinstance(raw, dict) and isinstance(raw.get("id"), str):
                taken.add(raw["id"])
                lines.update(
                    ln["id"]
                    for ln in _list(raw, "lines")
                    if isinstance(ln, dict) and isinstance(ln.get("id"), str)
                )
        ports.update(
            p["id"]
            for p in _list(data, "pops")
            if isinstance(p, dict) and isinstance(p.get("id"), str)
        )
    for doc in documents:
        if is_terraform(doc):
            doc.qualify(taken, lines, ports)  # type: ignore[attr-defined]


def is_terraform(doc: Document) -> bool:
    """True for a Terraform plan or state input."""
    return doc.format == TERRAFORM


# --------------------------------------------------------------- naming objects by path

_KINDS = {
    "sites": "site",
    "lines": "line",
    "pops": "POP",
    "backbone": "link",
    "segments": "segment",
    "flows": "flow",
}


def object_at(data: object, path: Path_) -> list[tuple[str, str, Path_]]:
    """The identifiable objects along ``path``, outermost first: (kind, id, path).

    ``object_at(data, ("sites", 1, "lines", 0, "vlan"))`` gives the site and the line.
    A backbone link without an id is named ``A--B``; a flow ``from->to``.
    """
    found: list[tuple[str, str, Path_]] = []
    node = data
    for depth, part in enumerate(path):
        if isinstance(node, dict):
            node = node.get(part) if isinstance(part, str) else None
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            kind = _KINDS.get(path[depth - 1]) if depth else None
            if kind and isinstance(node, dict):
                name = _name_of(kind, node)
                if name:
                    found.append((kind, name, tuple(path[: depth + 1])))
        else:
            break
    return found


def _name_of(kind: str, node: dict) -> str | None:
    ident = node.get("id")
    if isinstance(ident, str) and ident:
        return ident
    if kind == "link" and isinstance(node.get("a"), str) and isinstance(node.get("b"), str):
        return f"{node['a']}--{node['b']}"
    if kind == "flow" and isinstance(node.get("from"), str) and isinstance(node.get("to"), str):
        return f"{node['from']}->{node['to']}"
    return None


def describe(data: object, path: Path_) -> str:
    """A reader's name for the node at ``path``: ``line aws-hk-1 of site aws-hk``."""
    objects = object_at(data, path)
    if not objects:  # a top-level key, or the exchange and the keys below it
        if not path:
            return "the top level"
        return "the exchange" if path[0] == "exchange" else "the plan"
    parts = [f"{kind} {name}" for kind, name, _ in reversed(objects)]
    return " of ".join(parts)
