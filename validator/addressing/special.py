"""Special-purpose and private address space (data: ``validator/data/special-purpose.yaml``).

``classify(net)`` tells a range's standing in one call: special-purpose space no
network can use (CCV205), special-purpose space not meant for networks that some clouds
accept (CCV209), private space (fine), or public space (CCV206).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from validator.addressing.parse import Net, parse_net

UNUSABLE, PRIVATE = "unusable", "private"
RESERVED_PURPOSE = "reserved-purpose"


@dataclass(frozen=True, slots=True)
class Block:
    """One registry entry: its network, name, RFC and what ccv does with it."""

    net: Net
    text: str
    name: str
    rfc: str
    use: str

    def describe(self) -> str:
        """``169.254.0.0/16 (Link Local, RFC 3927)``."""
        return f"{self.text} ({self.name}, {self.rfc})"


@cache
def registry() -> tuple[Block, ...]:
    """Every entry of the data file, IPv4 then IPv6, as written."""
    raw = yaml.safe_load(
        resources.files("validator").joinpath("data/special-purpose.yaml").read_text("utf-8")
    )
    blocks = []
    for family in ("ipv4", "ipv6"):
        for entry in raw[family]:
            net = parse_net(entry["prefix"])
            if net is None:  # pragma: no cover - the data file is tested
                raise ValueError(f"special-purpose.yaml: bad prefix {entry['prefix']}")
            blocks.append(Block(net, net.network_text(), entry["name"], entry["rfc"], entry["use"]))
    return tuple(blocks)


@cache
def _by_use(version: int, use: str) -> tuple[Block, ...]:
    # Largest first, so a range is described by the widest entry it meets.
    found = [b for b in registry() if b.net.version == version and b.use == use]
    return tuple(sorted(found, key=lambda b: (b.net.prefixlen, b.net.first)))


def private_blocks(version: int) -> tuple[Block, ...]:
    """Private blocks of ``version`` (10/8, 172.16/12, 192.168/16, 100.64/10; fc00::/7)."""
    return _by_use(version, PRIVATE)


_TEN_FIRST, _TEN_LAST = 10 << 24, (11 << 24) - 1


def classify(net: Net) -> tuple[str, Block | None]:
    """(``"unusable"``, block) when ``net`` lies in or covers special-purpose space no
    network can use; (``"reserved-purpose"``, block) when it lies in or covers space not
    meant for networks (documentation, benchmarking, 240/4 …); (``"private"``, block)
    when it lies inside private space; else (``"public"``, None). Uses the network the
    range names (host bits cleared)."""
    first, last = net.first, net.last
    if net.version == 4 and first >= _TEN_FIRST and last <= _TEN_LAST:
        return PRIVATE, None  # the common case, decided without a loop
    # No unusable block overlaps a private one (tests check the data), so a range
    # inside private space is private, whatever else.
    for block in _by_use(net.version, PRIVATE):
        if block.net.first <= first and last <= block.net.last:
            return PRIVATE, block
    for use in (UNUSABLE, RESERVED_PURPOSE):
        for block in _by_use(net.version, use):
            if block.net.first <= last and first <= block.net.last:
                return use, block
    return "public", None
