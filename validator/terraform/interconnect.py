"""Interconnect resources -> lines with peering addresses, VLANs, bandwidth and ports.

Site side / exchange side follow SPEC §10: the cloud's router is the site, the carrier's
router (the customer's side in the cloud's documentation) is the exchange.
"""

from __future__ import annotations

import ipaddress
import re

from validator.terraform import catalog
from validator.terraform.catalog import ALWAYS, IF_SET
from validator.terraform.convert import Converter, LineFacts, Ref, SiteFacts, prefix_of_mask
from validator.terraform.plan import Resource
from validator.terraform.values import KNOWN, SENSITIVE, UNKNOWN, lookup

_NEED_PEERING = "the line's peering addresses (CCV301–CCV306)"
_NEED_VLAN = "the line's VLAN (CCV307)"


def _attach(cv: Converter, res: Resource, attributes: tuple[str, ...]) -> SiteFacts | None:
    """The site of the gateway/router/circuit ``res`` names in one of ``attributes``."""
    module = cv.modules[res.address]
    local = res.address[len(module) + 1 :] if module else res.address
    for attribute in attributes:
        status, value = lookup(res, attribute)
        if status == KNOWN and isinstance(value, str) and value:
            for key in (value, value.rstrip("/").rsplit("/", 1)[-1]):
                for cloud in ("aws", "azure", "gcp", "alibaba", "oracle", "onprem"):
                    found = cv.by_id.get((cloud, key))
                    if found is not None:
                        return found
        if cv.has_config:
            refs = cv.config.references(module, local, attribute)
            if refs:
                index = ""
                target = cv.config.resolve(module, refs, index, cv.instances)
                if target is not None and target in cv.owner:
                    return cv.owner[target]
    return None


def _port(cv: Converter, res: Resource, attribute: str, *path: str | int) -> str | None:
    status, value = lookup(res, *(path or (attribute,)))
    if status == KNOWN and isinstance(value, str) and value:
        return value
    module = cv.modules[res.address]
    local = res.address[len(module) + 1 :] if module else res.address
    if cv.has_config:
        refs = cv.config.references(module, local, attribute)
        target = cv.config.resolve(module, refs, "", cv.instances) if refs else None
        if target is not None:
            return target
    return None


def _site_for(cv: Converter, res: Resource, cloud: str, found: SiteFacts | None) -> SiteFacts:
    if found is not None:
        return found
    site = cv.owner.get(res.address)
    return site if site is not None else cv.new_site(res, cloud)


def _exchange(cv: Converter, res: Resource, *path: str | int) -> None:
    status, value = lookup(res, *path)
    if status == KNOWN and value is not None:
        ref = cv.ref(res, *path)
        current = cv.facts.exchange_ref
        if current is None or res.address < current.address:
            cv.facts.exchange_asn, cv.facts.exchange_ref = value, ref
    elif status in (UNKNOWN, SENSITIVE):
        cv.unknown(res, "the exchange's ASN (CCV401–CCV406)", *path)


def _address(
    cv: Converter, res: Resource, line: LineFacts, field: str, when: str, *path: str | int
) -> None:
    status, value = lookup(res, *path)
    if status == KNOWN and isinstance(value, str) and value:
        line.peering[field] = (value, cv.ref(res, *path))
    elif status in (UNKNOWN, SENSITIVE):
        attribute = path[0] if isinstance(path[0], str) else ""
        hidden = status == SENSITIVE and _written(res, *path)  # set, but not to be read
        if when == ALWAYS or hidden or cv.counts(res, attribute, IF_SET):
            cv.unknown(res, _NEED_PEERING, *path, sensitive=status == SENSITIVE)


def _written(res: Resource, *path: str | int) -> bool:
    """True when the plan holds a value at ``path`` (whether or not ccv may read it)."""
    node: object = res.values
    for part in path:
        if isinstance(node, dict) and isinstance(part, str):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            return False
    return node is not None


def _vlan(cv: Converter, res: Resource, line: LineFacts, *path: str | int) -> None:
    status, value = lookup(res, *path)
    if status == KNOWN and type(value) is int:
        line.vlan, line.vlan_ref = value, cv.ref(res, *path)
    elif status == KNOWN and isinstance(value, str) and value.isdigit():
        line.vlan, line.vlan_ref = int(value), cv.ref(res, *path)
    elif status in (UNKNOWN, SENSITIVE):
        cv.unknown(res, _NEED_VLAN, *path)


def _add_port(cv: Converter, line: LineFacts, port: str | None) -> None:
    if port is None:
        return
    line.pop = port
    if port not in cv.port_ids:
        cv.port_ids.add(port)
        cv.facts.ports.append((port, line.ref))


def aws_virtual_interface(cv: Converter, res: Resource) -> None:
    """``aws_dx_*_virtual_interface``: amazon_address (site), customer_address (exchange),
    vlan, bgp_asn (the exchange's ASN), address_family; bgp_auth_key is never read."""
    site = _site_for(cv, res, "aws", _attach(cv, res, ("dx_gateway_id", "vpn_gateway_id")))
    line = LineFacts(res.address, cv.ref(res))
    family = res.values.get("address_family")
    suffix = "_ipv6" if family == "ipv6" else "_ip"
    _address(cv, res, line, f"site{suffix}", IF_SET, "amazon_address")
    _address(cv, res, line, f"exchange{suffix}", IF_SET, "customer_address")
    _vlan(cv, res, line, "vlan")
    _add_port(cv, line, _port(cv, res, "connection_id"))
    _exchange(cv, res, "bgp_asn")
    site.lines.append(line)


def _two_addresses(prefix: str) -> tuple[str, str] | None:
    """(first, second) usable address of a peering prefix, each with its prefix length."""
    try:
        net = ipaddress.ip_network(prefix, strict=False)
    except ValueError:
        return None
    if net.num_addresses < 4:
        return None
    return (
        f"{net.network_address + 1}/{net.prefixlen}",
        f"{net.network_address + 2}/{net.prefixlen}",
    )


def azure_peering(cv: Converter, res: Resource, circuits: dict[str, Resource]) -> None:
    """``azurerm_express_route_circuit_peering``: the first address of each /30 is the
    customer's (here: the exchange), the second Microsoft's (the site); one VLAN for both
    links; peer_asn is the exchange's ASN; shared_key is never read."""
    circuit = _circuit(cv, res, circuits)
    if circuit is not None:
        site = cv.owner.get(circuit.address)
        if site is None:
            site = cv.new_site(circuit, "azure")
            site.asn, site.asn_ref = catalog.AZURE_ASN, cv.ref(circuit)
    else:
        site = cv.owner.get(res.address) or cv.new_site(res, "azure")
        site.asn, site.asn_ref = catalog.AZURE_ASN, cv.ref(res)
    bandwidth = None
    if circuit is not None:
        port = circuit.values.get("express_route_port_id")
        site.interconnect_types.add("dedicated" if isinstance(port, str) and port else "partner")
        mbps = circuit.values.get("bandwidth_in_mbps")
        gbps = circuit.values.get("bandwidth_in_gbps")
        if isinstance(mbps, (int, float)) and not isinstance(mbps, bool):
            bandwidth = (mbps, cv.ref(circuit, "bandwidth_in_mbps"))
        elif isinstance(gbps, (int, float)) and not isinstance(gbps, bool):
            bandwidth = (gbps * 1000, cv.ref(circuit, "bandwidth_in_gbps"))
    owner = circuit.address if circuit is not None else res.address
    for role in ("primary", "secondary"):
        line = LineFacts(f"{res.address}#{role}", cv.ref(res))
        for family, path in (
            ("", (f"{role}_peer_address_prefix",)),
            ("v6", ("ipv6", 0, f"{role}_peer_address_prefix")),
        ):
            status, value = lookup(res, *path)
            if status == KNOWN and isinstance(value, str) and value:
                pair = _two_addresses(value)
                ref = cv.ref(res, *path)
                if pair is None:
                    line.peering[f"site_ip{family}"] = (value, ref)
                else:
                    line.peering[f"exchange_ip{family}"] = (pair[0], ref)
                    line.peering[f"site_ip{family}"] = (pair[1], ref)
                for end in ("site_ip", "exchange_ip"):
                    line.forms[f"{end}{family}"] = ("prefix", None)
            elif status in (UNKNOWN, SENSITIVE) and not family:
                cv.unknown(res, _NEED_PEERING, *path)
        if not line.peering:
            continue
        _vlan(cv, res, line, "vlan_id")
        if bandwidth is not None:
            line.bandwidth_mbps, line.bandwidth_ref = bandwidth
        _add_port(cv, line, f"{owner}#{role}")
        site.lines.append(line)
    _exchange(cv, res, "peer_asn")


def _circuit(cv: Converter, res: Resource, circuits: dict[str, Resource]) -> Resource | None:
    name = res.values.get("express_route_circuit_name")
    group = res.values.get("resource_group_name")
    for circuit in circuits.values():
        values = circuit.values
        if name and values.get("name") == name and values.get("resource_group_name") == group:
            return circuit
    ident = res.values.get("express_route_circuit_id")
    for circuit in circuits.values():
        if ident and circuit.values.get("id") == ident:
            return circuit
    module = cv.modules[res.address]
    local = res.address[len(module) + 1 :] if module else res.address
    for attribute in ("express_route_circuit_name", "express_route_circuit_id"):
        refs = cv.config.references(module, local, attribute) if cv.has_config else []
        target = cv.config.resolve(module, refs, "", cv.instances) if refs else None
        if target in circuits:
            return circuits[target]
    return None


def gcp_attachment(cv: Converter, res: Resource, interfaces, peers) -> None:
    """``google_compute_interconnect_attachment``: cloud_router_ip_address (site),
    customer_router_ip_address (exchange), vlan_tag8021q, bandwidth, interconnect; the
    router interface's ip_range and the router peer's peer_ip_address/peer_asn when the
    attachment's own addresses are unknown."""
    site = _site_for(cv, res, "gcp", _attach(cv, res, ("router",)))
    kind = res.values.get("type")
    site.interconnect_types.add("dedicated" if kind in (None, "DEDICATED") else "partner")
    line = LineFacts(res.address, cv.ref(res))
    interface = _interface_of(cv, res, interfaces)
    for field, attribute in (
        ("site_ip", "cloud_router_ip_address"),
        ("exchange_ip", "customer_router_ip_address"),
    ):
        status, value = lookup(res, attribute)
        if status == KNOWN and isinstance(value, str) and value:
            line.peering[field] = (value, cv.ref(res, attribute))
    if "site_ip" not in line.peering and interface is not None:
        status, value = lookup(interface, "ip_range")
        if status == KNOWN and isinstance(value, str) and value:
            line.peering["site_ip"] = (value, cv.ref(interface, "ip_range"))
            peer = _peer_of(interface, peers)
            if peer is not None:
                state, address = lookup(peer, "peer_ip_address")
                if state == KNOWN and isinstance(address, str) and "/" in value:
                    text = f"{address}/{value.split('/', 1)[1]}"
                    line.peering["exchange_ip"] = (text, cv.ref(peer, "peer_ip_address"))
                    line.forms["exchange_ip"] = ("address", None)
                _exchange(cv, peer, "peer_asn")
    for field, attribute in (
        ("site_ip", "cloud_router_ip_address"),
        ("exchange_ip", "customer_router_ip_address"),
    ):
        if field not in line.peering and lookup(res, attribute)[0] in (UNKNOWN, SENSITIVE):
            cv.unknown(res, _NEED_PEERING, attribute)
    _vlan(cv, res, line, "vlan_tag8021q")
    status, value = lookup(res, "bandwidth")
    if status == KNOWN and isinstance(value, str) and value in catalog.GCP_BANDWIDTH_MBPS:
        line.bandwidth_mbps = catalog.GCP_BANDWIDTH_MBPS[value]
        line.bandwidth_ref = cv.ref(res, "bandwidth")
    _add_port(cv, line, _port(cv, res, "interconnect"))
    site.lines.append(line)


def _interface_of(cv: Converter, res: Resource, interfaces: list[Resource]) -> Resource | None:
    name = res.values.get("name")
    for interface in interfaces:
        value = interface.values.get("interconnect_attachment")
        if isinstance(value, str) and name and value.rstrip("/").rsplit("/", 1)[-1] == name:
            return interface
        module = cv.modules[interface.address]
        local = interface.address[len(module) + 1 :] if module else interface.address
        refs = (
            cv.config.references(module, local, "interconnect_attachment") if cv.has_config else []
        )
        if refs and cv.config.resolve(module, refs, "", cv.instances) == res.address:
            return interface
    return None


def _peer_of(interface: Resource, peers: list[Resource]) -> Resource | None:
    name = interface.values.get("name")
    router = interface.values.get("router")
    for peer in peers:
        if name and peer.values.get("interface") == name and peer.values.get("router") == router:
            return peer
    return None


def alibaba_vbr(cv: Converter, res: Resource) -> None:
    """``alicloud_express_connect_virtual_border_router``: local_gateway_ip (site),
    peer_gateway_ip (exchange) with the dotted peering_subnet_mask, vlan_id,
    physical_connection_id (the port), bandwidth."""
    site = _site_for(cv, res, "alibaba", None)
    line = LineFacts(res.address, cv.ref(res))
    status, mask = lookup(res, "peering_subnet_mask")
    prefix = prefix_of_mask(mask) if status == KNOWN and isinstance(mask, str) else None
    if status in (UNKNOWN, SENSITIVE):
        cv.unknown(res, _NEED_PEERING, "peering_subnet_mask")
    for field, attribute in (("site_ip", "local_gateway_ip"), ("exchange_ip", "peer_gateway_ip")):
        state, value = lookup(res, attribute)
        if state == KNOWN and isinstance(value, str) and value:
            text = value if "/" in value or prefix is None else f"{value}/{prefix}"
            line.peering[field] = (text, cv.ref(res, attribute))
            if text != value:
                line.forms[field] = ("address", "peering_subnet_mask")
        elif state in (UNKNOWN, SENSITIVE):
            cv.unknown(res, _NEED_PEERING, attribute)
    _vlan(cv, res, line, "vlan_id")
    status, value = lookup(res, "bandwidth")
    if status == KNOWN and isinstance(value, (int, float)) and not isinstance(value, bool):
        line.bandwidth_mbps, line.bandwidth_ref = value, cv.ref(res, "bandwidth")
    _add_port(cv, line, _port(cv, res, "physical_connection_id"))
    site.lines.append(line)


_SHAPE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([MG])bps\s*$", re.IGNORECASE)


def oci_virtual_circuit(cv: Converter, res: Resource) -> None:
    """``oci_core_virtual_circuit``: each ``cross_connect_mappings`` entry is a link:
    oracle_bgp_peering_ip(v6) (site), customer_bgp_peering_ip(v6) (exchange), vlan,
    cross_connect_or_cross_connect_group_id (the port); customer_asn (or the older
    customer_bgp_asn) is the exchange's ASN; Oracle's side is AS 31898."""
    site = _site_for(cv, res, "oracle", None)
    if res.values.get("type", "PRIVATE") == "PRIVATE" and site.asn is None:
        site.asn, site.asn_ref = catalog.ORACLE_ASN, cv.ref(res)
    bandwidth = None
    shape = res.values.get("bandwidth_shape_name")
    match = _SHAPE.match(shape) if isinstance(shape, str) else None
    if match:
        amount = float(match.group(1)) * (1000 if match.group(2).upper() == "G" else 1)
        bandwidth = (
            int(amount) if amount.is_integer() else amount,
            cv.ref(res, "bandwidth_shape_name"),
        )
    mappings = res.values.get("cross_connect_mappings")
    for index, mapping in enumerate(mappings if isinstance(mappings, list) else ()):
        if not isinstance(mapping, dict):
            continue
        line = LineFacts(
            f"{res.address}#mapping{index}", cv.ref(res, "cross_connect_mappings", index)
        )
        for field, key in (
            ("site_ip", "oracle_bgp_peering_ip"),
            ("exchange_ip", "customer_bgp_peering_ip"),
            ("site_ipv6", "oracle_bgp_peering_ipv6"),
            ("exchange_ipv6", "customer_bgp_peering_ipv6"),
        ):
            _address(cv, res, line, field, IF_SET, "cross_connect_mappings", index, key)
        _vlan(cv, res, line, "cross_connect_mappings", index, "vlan")
        if bandwidth is not None:
            line.bandwidth_mbps, line.bandwidth_ref = bandwidth
        port = mapping.get("cross_connect_or_cross_connect_group_id")
        _add_port(cv, line, port if isinstance(port, str) and port else None)
        site.lines.append(line)
    for key in ("customer_asn", "customer_bgp_asn"):
        if res.values.get(key) is not None or lookup(res, key)[0] == UNKNOWN:
            _exchange(cv, res, key)
            break


def read(cv: Converter, by_type: dict[str, list[Resource]]) -> None:
    """Add the lines of every interconnect resource to its site."""
    for rtype in catalog.AWS_VIRTUAL_INTERFACES:
        for res in by_type.get(rtype, ()):
            aws_virtual_interface(cv, res)
    circuits = {r.address: r for r in by_type.get("azurerm_express_route_circuit", ())}
    for res in by_type.get("azurerm_express_route_circuit_peering", ()):
        azure_peering(cv, res, circuits)
    interfaces = by_type.get("google_compute_router_interface", [])
    peers = by_type.get("google_compute_router_peer", [])
    for res in by_type.get("google_compute_interconnect_attachment", ()):
        gcp_attachment(cv, res, interfaces, peers)
    for res in by_type.get("alicloud_express_connect_virtual_border_router", ()):
        alibaba_vbr(cv, res)
    for res in by_type.get("oci_core_virtual_circuit", ()):
        oci_virtual_circuit(cv, res)


__all__ = ["read", "Ref"]
