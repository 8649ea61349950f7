"""Address ranges and interface addresses: parsing, and the indexes rules share.

- ``parse``: ``parse_net(text) -> Net`` (integers; IPv4 by regex, IPv6 by netaddr).
- ``special``: the IANA special-purpose registries and private space (data file).
- ``index``: the shared range index, the overlap sweep and the free-space finder.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from validator.context import Context
    from validator.rules.registry import Hit


def malformed_addresses(ctx: Context) -> Iterator[Hit]:
    """CCV100 hits for ranges and peering addresses that look like CIDR but do not parse.

    The schema's pattern only checks the characters (``10.0.0.300/16`` passes it);
    this reports such a value once, at the value, so range rules can skip it.
    """
    from validator.addressing.index import range_index
    from validator.context import object_at
    from validator.rules.registry import Hit

    index = range_index(ctx)
    for at, text, what in index.malformed:
        found = object_at(at.doc.data, at.path)
        objects = (found[-1][1],) if found else ()
        if what == "range":
            hint = "write a network with its prefix length, e.g. 10.10.0.0/16 or fd00:10::/48"
        else:
            hint = "write an interface address with its prefix length, e.g. 169.254.10.1/30"
        yield Hit(
            f"{text} is not a valid IPv4 or IPv6 {what} (address/prefix length)",
            objects,
            at,
            hint,
        )
