"""Field names in findings and hints, in the language of the input the object came from.

A topology's object is named by its keys (``site_ip``, ``vlan``, ``asn``) and a hint
assigns them in YAML (``site_ip: 169.254.10.1/30``). An object read from a Terraform
plan carries the plan's attribute for each field (``model.SourceName``), so its findings
name ``amazon_address`` and its hints assign in HCL
(``amazon_address = "169.254.10.1/30"``): a suggestion valid where it goes.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping

from validator.model import SourceName

Names = Mapping[str, SourceName] | None


def name(names: Names, field: str) -> str:
    """What the input calls ``field`` (``amazon_address``; ``site_ip`` for a topology)."""
    found = names.get(field) if names else None
    if found is None:
        return field
    return found.attribute if found.resource is None else f"{found.resource}.{found.attribute}"


def assign(names: Names, values: list[tuple[str, str]]) -> str:
    """``values`` (field, address/prefix text) written as the input writes them:
    ``site_ip: 169.254.10.1/30 and exchange_ip: 169.254.10.2/30`` for a topology,
    ``amazon_address = "169.254.10.1/30" and customer_address = "169.254.10.2/30"`` for a
    plan; fields that one attribute holds (an Azure peering prefix) become that one
    attribute's value, the subnet of both ends."""
    parts: list[str] = []
    done: set[str] = set()
    for field, text in values:
        found = names.get(field) if names else None
        if found is None:
            parts.append(f"{field}: {text}")
            continue
        label = name(names, field)
        if label in done:
            continue
        done.add(label)
        block, _, label = found.attribute.rpartition(".")
        places = [f"in {block}"] if block else []
        if found.resource:
            places.append(f"of {found.resource}")
        where = " ".join(places)
        if found.form == "prefix":
            try:
                value = str(ipaddress.ip_interface(text).network)
            except ValueError:
                value = text
        elif found.form == "address":
            value, _, length = text.partition("/")
            if found.mask and found.mask not in done and length.isdigit() and ":" not in value:
                done.add(found.mask)
                mask = ipaddress.IPv4Network(f"0.0.0.0/{length}").netmask
                parts.append(f'{label} = "{value}"')
                label, value = found.mask, str(mask)
        else:
            value = text
        parts.append(f'{label} = "{value}"' + (f" ({where})" if where else ""))
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def rename(names: Names, text: str) -> str:
    """``text`` (a hint from the facts) with the topology's peering field names replaced
    by the input's."""
    if not names or not text:
        return text
    for field in ("exchange_ipv6", "site_ipv6", "exchange_ip", "site_ip"):
        if field in names:
            text = text.replace(field, name(names, field))
    return text


def assign_number(names: Names, field: str, value: int) -> str:
    """``vlan: 401`` for a topology, ``vlan_id = 401`` for a plan."""
    found = names.get(field) if names else None
    if found is None:
        return f"{field}: {value}"
    block, _, label = found.attribute.rpartition(".")
    return f"{label} = {value}" + (f" (in {block})" if block else "")
