"""Parsing ranges and interface addresses into integers, fast.

A plan may hold a million ranges; building a netaddr object for each costs more than
the rest of the check. IPv4 text is parsed with a regular expression into integers
(the common case); IPv6 goes through netaddr. Rules compare integers, and use
netaddr (``Net.network``) only to print or to compute suggestions.
"""

from __future__ import annotations

import re
import socket
from typing import NamedTuple

import netaddr

_V4 = re.compile(r"^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})/(\d{1,2})$")
BITS = {4: 32, 6: 128}
"""Address width of each IP version."""
_BITS = BITS


class Net(NamedTuple):
    """A range or an interface address as written: ``address/prefixlen``.

    ``first``..``last`` is the network the prefix names (host bits cleared);
    ``address`` keeps the written address, so ``address != first`` means host bits
    were set (a range error, but the normal case for an interface address).
    """

    version: int
    address: int
    prefixlen: int
    first: int
    last: int

    @property
    def host_bits(self) -> bool:
        """True when the written address is not the network address."""
        return self.address != self.first

    def network_text(self) -> str:
        """The network in CIDR notation, e.g. ``10.0.0.0/16``."""
        return cidr_text(self.version, self.first, self.prefixlen)

    def address_text(self) -> str:
        """The written address without its prefix length, normalised."""
        return str(netaddr.IPAddress(self.address, self.version))

    def overlaps(self, other: Net) -> bool:
        """True when both are of one IP version and share an address."""
        return (
            self.version == other.version and self.first <= other.last and other.first <= self.last
        )


def cidr_text(version: int, first: int, prefixlen: int) -> str:
    """``first/prefixlen`` in CIDR notation (IPv4 formatted directly: it is printed often)."""
    if version == 4:
        return f"{first >> 24}.{(first >> 16) & 255}.{(first >> 8) & 255}.{first & 255}/{prefixlen}"
    return str(netaddr.IPNetwork((first, prefixlen), version=6))


def make_net(version: int, address: int, prefixlen: int) -> Net:
    """A Net from integers."""
    host = _BITS[version] - prefixlen
    first = (address >> host) << host
    return Net(version, address, prefixlen, first, first | ((1 << host) - 1))


_pton = socket.inet_pton
_AF4, _AF6 = socket.AF_INET, socket.AF_INET6
_from_bytes = int.from_bytes
_new = tuple.__new__
_LENGTHS = {str(n): n for n in range(129)}  # plain decimal prefix lengths, no leading zero
_HOST4 = [(1 << (32 - n)) - 1 for n in range(33)]
_HOST6 = [(1 << (128 - n)) - 1 for n in range(129)]


def parse_net(text: str) -> Net | None:
    """``"10.0.0.0/16"`` -> Net; None when ``text`` is not address/prefixlen of IPv4 or IPv6.

    The fast path hands the address to the C ``inet_pton``; whatever it refuses (or an
    unusual prefix length such as ``/016``) takes the original path (regular expression
    for IPv4, netaddr for IPv6), so the result is the same for every input, only sooner
    for the ordinary ones.
    """
    address, _, length = text.partition("/")
    prefixlen = _LENGTHS.get(length)
    if prefixlen is not None:
        try:
            if ":" in address:
                value = _from_bytes(_pton(_AF6, address), "big")
                host = _HOST6[prefixlen]
                first = value & ~host if value & host else value
                return _new(Net, (6, value, prefixlen, first, first | host))
            if prefixlen <= 32:
                value = _from_bytes(_pton(_AF4, address), "big")
                host = _HOST4[prefixlen]
                first = value & ~host if value & host else value  # one int when equal
                return _new(Net, (4, value, prefixlen, first, first | host))
        except OSError:
            pass
    return _parse_slow(text)


def _parse_slow(text: str) -> Net | None:
    match = _V4.match(text)
    if match:
        a, b, c, d, length = (int(g) for g in match.groups())
        if a > 255 or b > 255 or c > 255 or d > 255 or length > 32:
            return None
        return make_net(4, (a << 24) | (b << 16) | (c << 8) | d, length)
    if ":" not in text or "/" not in text:
        return None
    address, _, length = text.partition("/")
    if not length.isdigit() or int(length) > 128:
        return None
    try:
        parsed = netaddr.IPAddress(address, 6)
    except (netaddr.AddrFormatError, ValueError):
        return None
    return make_net(6, int(parsed), int(length))
