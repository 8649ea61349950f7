"""Special-purpose and private address space (data: ``validator/data/special-purpose.yaml``).

``classify(net)`` tells a range's standing in one call: special-purpose space no
network can use (CCV205), special-purpose space not meant for networks that some clouds
accept (CCV209), private space (fine), or public space (CCV206). ``classify_summary(net)``
judges a summary route (SPEC §12) by what it is, not by what it covers.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from validator.addressing.parse import Net, parse_net
from validator.datafile import read_data

UNUSABLE, PRIVATE = "unusable", "private"
DEFAULT_ROUTE = "default-route"
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
    raw = read_data("special-purpose.yaml")
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


def classify_summary(net: Net) -> tuple[str, Block | None]:
    """The standing of a summary route: a covering route is judged by what it is, not by
    the blocks it contains. (``"default-route"``, None) for 0.0.0.0/0 and ::/0 (a hub's
    default route is neither public nor special space); (``"private"``, block) inside
    private space; (``"unusable"`` or ``"reserved-purpose"``, block) when the summary lies
    inside such a block (127.0.0.0/16); else (``"public"``, None): it covers public space
    (10.0.0.0/7 covers 11.0.0.0/8). A summary that merely contains 224/4 or 127/8 (a
    0.0.0.0/1) is not special-purpose space."""
    if net.prefixlen == 0:
        return DEFAULT_ROUTE, None
    standing, block = classify(net)
    if standing in (UNUSABLE, RESERVED_PURPOSE) and block is not None:
        inside = block.net.first <= net.first and net.last <= block.net.last
        if not inside and _holds_public(net):
            return "public", None
    return standing, block


def _holds_public(net: Net) -> bool:
    """True when ``net`` holds an address outside every block of the registry (a
    224.0.0.0/3 is 224/4 and 240/4 only: no public space)."""
    end = net.first  # the next address not yet known to be in a block
    inner = sorted(
        (b.net.first, b.net.last)
        for b in registry()
        if b.net.version == net.version and net.first <= b.net.first and b.net.last <= net.last
    )
    for first, last in inner:
        if first > end:
            return True
        end = max(end, last + 1)
    return end <= net.last
