"""A Terraform plan as an input document: the plan's view, located in the plan's text.

The document's ``data`` is the topology-shaped view of the plan (``convert.PlanFacts``);
its locator and JSON pointers translate every path into that view back to the plan
file: a finding is located at the resource's object and its ``path`` names the
attribute (``/planned_values/root_module/child_modules/0/resources/3/values/cidr_block``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from validator.load.terraform import FORMAT
from validator.load.types import Document, Locator, Path_, pointer
from validator.terraform.convert import PlanFacts, Ref, convert


class PlanLocator:
    """Positions of view paths: the position of the resource object each value came from."""

    def __init__(self, inner: Locator, facts: PlanFacts, extra: list[Ref]) -> None:
        self._inner = inner
        self._facts = facts
        self._extra = extra

    def ref(self, path: Path_) -> Ref | None:
        """The plan reference behind a view path, or None (the top level)."""
        facts = self._facts
        if not path:
            return None
        head = path[0]
        index = path[1] if len(path) > 1 else None
        if head == "x-ref" and isinstance(index, int) and 0 <= index < len(self._extra):
            return self._extra[index]
        if head == "exchange":
            return facts.exchange_ref
        if head == "pops" and isinstance(index, int) and 0 <= index < len(facts.ports):
            return facts.ports[index][1]
        if head != "sites" or not isinstance(index, int) or not 0 <= index < len(facts.sites):
            return None
        site = facts.sites[index]
        rest = path[2:]
        if not rest or rest[0] in ("id", "cloud", "region"):
            return site.ref
        if rest[0] == "asn":
            return site.asn_ref or site.ref
        if rest[0] == "cidrs":
            if len(rest) > 1 and isinstance(rest[1], int) and 0 <= rest[1] < len(site.cidr_refs):
                return site.cidr_refs[rest[1]]
            return site.ref
        if rest[0] == "lines" and len(rest) > 1 and isinstance(rest[1], int):
            if not 0 <= rest[1] < len(site.lines):
                return site.ref
            line = site.lines[rest[1]]
            what = rest[2] if len(rest) > 2 else None
            if what == "vlan":
                return line.vlan_ref or line.ref
            if what == "bandwidth_mbps":
                return line.bandwidth_ref or line.ref
            if what == "peering" and len(rest) > 3 and rest[3] in line.peering:
                return line.peering[rest[3]][1]
            return line.ref
        return site.ref

    def value(self, path: Path_) -> tuple[int, int] | None:
        """Line and column of the resource object behind ``path``."""
        ref = self.ref(tuple(path))
        if ref is None:
            return self._inner.value(()) if not path else None
        return self._inner.value(ref.resource_path)

    def key(self, path: Path_) -> tuple[int, int] | None:
        """Plans have no keys a finding points at; the value's position serves."""
        return None

    def prepare(self, paths) -> None:
        """Find the positions of many paths in one walk of the plan text."""
        wanted = []
        for path in paths:
            ref = self.ref(tuple(path))
            if ref is not None:
                wanted.append(ref.resource_path)
        prepare = getattr(self._inner, "prepare", None)
        if prepare is not None:
            prepare(wanted)


@dataclass
class PlanDocument(Document):
    """A ``terraform show -json`` input; ``data`` is its topology-shaped view."""

    facts: PlanFacts = field(default_factory=PlanFacts)
    extra: list[Ref] = field(default_factory=list)

    def json_pointer(self, path: Path_) -> str:
        """The JSON pointer of the plan attribute behind a view path."""
        ref = self.locator.ref(tuple(path)) if isinstance(self.locator, PlanLocator) else None
        return pointer(ref.pointer_path) if ref is not None else pointer(())

    def source_of(self, path: Path_):
        """The plan's name of the value at view ``path``: a ``model.SourceName`` whose
        ``resource`` is the address holding it, or None where no attribute is behind it."""
        from validator.model import SourceName

        ref = self.locator.ref(tuple(path)) if isinstance(self.locator, PlanLocator) else None
        if ref is None or not ref.attribute:
            return None
        form: tuple[str, str | None] = ("cidr", None)
        if len(path) == 6 and path[0] == "sites" and path[2] == "lines" and path[4] == "peering":
            site, line = path[1], path[3]
            if isinstance(site, int) and isinstance(line, int):
                form = self.facts.sites[site].lines[line].forms.get(str(path[5]), form)
        return SourceName(ref.attribute_text(), ref.address, form[0], form[1])

    def origin_of(self, ref: Ref):
        """An Origin (this document, a view path) that locates ``ref``."""
        from validator.model import Origin

        self.extra.append(ref)
        return Origin(self, ("x-ref", len(self.extra) - 1))

    def qualify(self, taken: set[str], taken_lines: set[str], ports: set[str]) -> None:
        """Give the ids this plan shares with an input merged before it (``taken``) the
        input's name as a prefix (``aws-dr.json:module.vpc.aws_vpc.this[0]``): two
        workspaces may use one address for two networks; ``taken_lines`` likewise for line
        ids. A port (a POP of the view) seen before is the same port and is dropped here.
        Adds this plan's ids to the sets."""
        view_sites = self.data["sites"]
        renamed: dict[str, str] = {}
        for index, site in enumerate(self.facts.sites):
            if site.id in taken:
                renamed[site.id] = f"{self.name}:{site.id}"
                site.id = view_sites[index]["id"] = renamed[site.id]
            taken.add(site.id)
            for pos, line in enumerate(site.lines):
                if line.id in taken_lines:
                    line.id = view_sites[index]["lines"][pos]["id"] = f"{self.name}:{line.id}"
                taken_lines.add(line.id)
        for subnet in self.facts.subnets:
            if subnet.network in renamed:
                subnet.network = renamed[subnet.network]
        if self.facts.ports:
            kept = [(port, ref) for port, ref in self.facts.ports if port not in ports]
            ports.update(port for port, _ in self.facts.ports)
            self.facts.ports[:] = kept
            if kept:
                self.data["pops"] = [{"id": port} for port, _ in kept]
            else:
                self.data.pop("pops", None)

    def add_to_plan(self, plan) -> None:
        """Add the plan's subnets and unknown values to the model (``validator.model``)."""
        from validator.model import Subnet, Unknown

        networks = {site.id: site for site in self.facts.sites}
        for subnet in self.facts.subnets:
            network = networks.get(subnet.network) if subnet.network else None
            if network is None:
                continue
            plan.subnets.append(
                Subnet(
                    subnet.address,
                    subnet.network,
                    subnet.cloud,
                    list(subnet.cidrs),
                    [self.origin_of(ref) for ref in subnet.refs],
                    self.origin_of(subnet.ref) if subnet.ref else self.origin_of(subnet.refs[0]),
                    network.cidrs,
                    frozenset(network.unknown_families),
                )
            )
        self._name_fields(plan)
        for item in self.facts.unknowns:
            plan.unknowns.append(
                Unknown(
                    item.ref.address,
                    item.ref.attribute_text(),
                    item.need,
                    item.sensitive,
                    self.origin_of(item.ref),
                )
            )

    def _name_fields(self, plan) -> None:
        """Give the model's sites and lines of this plan the plan's attribute names of
        their fields (``model.SourceName``), so findings speak the plan's language."""
        from validator.model import SourceName

        def source(ref: Ref, owner: str, form=("cidr", None)) -> SourceName:
            resource = ref.address if ref.address != owner else None
            return SourceName(ref.attribute_text(), resource, form[0], form[1])

        for site in plan.sites:
            path = site.origin.path
            if site.origin.doc is not self or len(path) != 2 or path[0] != "sites":
                continue
            facts = self.facts.sites[path[1]]
            if facts.asn_ref is not None and facts.asn_ref.attribute:
                site.names = {"asn": source(facts.asn_ref, facts.ref.address)}
            for line in site.lines:
                position = line.origin.path[-1]
                if not isinstance(position, int) or not 0 <= position < len(facts.lines):
                    continue
                found = facts.lines[position]
                owner = found.ref.address
                if found.vlan_ref is not None:
                    line.names = {"vlan": source(found.vlan_ref, owner)}
                if line.peering is not None and found.peering:
                    line.peering.names = {
                        key: source(ref, owner, found.forms.get(key, ("cidr", None)))
                        for key, (_, ref) in found.peering.items()
                    }


def plan_document(doc: Document) -> PlanDocument:
    """The PlanDocument of a loaded Terraform input (``doc.data`` is the plan's JSON, its
    locator the plan text's): the data becomes the plan's topology-shaped view."""
    if isinstance(doc, PlanDocument):
        return doc
    facts = convert(doc.data if isinstance(doc.data, dict) else {})
    locator = PlanLocator(doc.locator, facts, [])
    document = PlanDocument(doc.name, facts.topology(doc.name), FORMAT, locator, facts=facts)
    document.secrets = doc.secrets  # the plan's secrets (validator.redaction), for the report
    locator._extra = document.extra
    return document
