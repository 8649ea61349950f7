"""Whether two sites may meet: the test behind a segment suggestion (SPEC §13).

Two sites that share a segment must not overlap in address space (their ranges,
summaries or line peering subnets: CCV201/CCV202/CCV210/CCV305) and must not share an
ASN (CCV403). A suggestion to put sites in one segment is only made when this holds.
"""

from __future__ import annotations

from collections.abc import Iterator

from netaddr import AddrFormatError, IPNetwork

from validator.model import Site


def _networks(site: Site) -> Iterator[IPNetwork]:
    texts = [*site.cidrs, *site.summaries]
    for line in site.lines:
        peering = line.peering
        if peering is not None:
            texts += [
                peering.site_ip,
                peering.exchange_ip,
                peering.site_ipv6,
                peering.exchange_ipv6,
            ]
    for text in texts:
        if not isinstance(text, str):
            continue
        try:
            yield IPNetwork(text).cidr
        except (AddrFormatError, ValueError, TypeError):
            continue


def clash(a: Site, b: Site) -> bool:
    """True when sites ``a`` and ``b`` would conflict if they met (shared ASN or overlap)."""
    if a.asn is not None and a.asn == b.asn:
        return True
    theirs = list(_networks(b))
    for net in _networks(a):
        for other in theirs:
            if net.version == other.version and (
                net.first <= other.last and other.first <= net.last
            ):
                return True
    return False
