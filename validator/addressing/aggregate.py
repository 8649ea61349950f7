"""Prefix arithmetic on integers: exact merging, covering supernets, one-integer keys.

Pure functions of their arguments, shared by the rules that count or aggregate the
prefixes a site learns (CCV207, CCV208). Blocks are ``(first, prefixlen)`` pairs of
one IP version; ``BITS[version]`` is the address width.
"""

from __future__ import annotations

from validator.addressing.parse import BITS, Net, make_net


def merge_blocks(version: int, blocks: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The fewest CIDR blocks ``(first, prefixlen)`` covering exactly ``blocks``.

    Sorts the blocks, joins touching and overlapping spans, then cuts each span into
    the largest aligned blocks. O(n log n) for n blocks (plus the output, at most
    2·width blocks per span). Same result as ``netaddr.cidr_merge``.
    """
    bits = BITS[version]
    spans = sorted((first, first + (1 << (bits - plen)) - 1) for first, plen in blocks)
    merged: list[list[int]] = []
    for first, last in spans:
        if merged and first <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], last)
        else:
            merged.append([first, last])
    result = []
    for first, last in merged:
        while first <= last:
            size = (first & -first) if first else 1 << bits
            while size > last - first + 1:
                size >>= 1
            result.append((first, bits - size.bit_length() + 1))
            first += size
    return result


def covering_supernets(
    keys: list[tuple[int, int, int]], version: int, budget: int
) -> list[tuple[int, int, int]]:
    """Merged supernets ``(version, first, prefixlen)`` covering ``keys`` in ``budget`` blocks.

    ``keys`` are ``(version, first, prefixlen)`` of one version. Every block is cut to the
    longest common prefix length whose merged cover still fits ``budget`` (binary search
    over the length: O(n log n · log width)).
    """
    bits = BITS[version]
    low, high = 0, bits

    def cover(length: int) -> set[tuple[int, int]]:
        result = set()
        for _, first, plen in keys:
            cut = min(length, plen)
            result.add(((first >> (bits - cut)) << (bits - cut), cut))
        return result

    while low < high:  # the largest length whose cover fits
        middle = (low + high + 1) // 2
        if len(merge_blocks(version, list(cover(middle)))) <= budget:
            low = middle
        else:
            high = middle - 1
    return [(version, first, plen) for first, plen in merge_blocks(version, list(cover(low)))]


def prefix_key(net: Net) -> int:
    """One integer per distinct network: first address, prefix length and a version bit.

    ``prefix_key(a) == prefix_key(b)`` exactly when ``a`` and ``b`` name the same
    network (host bits ignored). O(1).
    """
    return ((net.first << 8 | net.prefixlen) << 1) | (net.version == 6)


def key_prefix(key: int) -> tuple[int, int, int]:
    """``(version, first, prefixlen)`` of a :func:`prefix_key`. O(1)."""
    return (6 if key & 1 else 4, key >> 9, (key >> 1) & 255)


def aggregate_within(
    keys: list[tuple[int, int, int]], limit: int
) -> tuple[list[tuple[int, int, int]], bool]:
    """The fewest prefixes ``(version, first, prefixlen)`` to advertise for ``keys``.

    Returns ``(prefixes, True)`` when the exact merge fits ``limit``; otherwise covering
    supernets that fit, IPv6 taking at most half the budget when IPv4 shares it, and
    False. O(n log n · log width) for n keys.
    """
    merged = [
        (version, first, plen)
        for version in (4, 6)
        for first, plen in merge_blocks(version, [(f, p) for v, f, p in keys if v == version])
    ]
    if len(merged) <= limit:
        return merged, True
    merged, budget = [], limit
    v4 = [k for k in keys if k[0] == 4]
    for version in (6, 4):
        group = [k for k in keys if k[0] == version]
        if not group:
            continue
        share = budget if version == 4 or not v4 else max(1, budget // 2)
        part = covering_supernets(group, version, share)
        merged.extend(part)
        budget -= len(part)
    return merged, False


def with_prefix(net: Net, prefixlen: int) -> Net:
    """The network of ``prefixlen`` starting at ``net``'s first address. O(1)."""
    return make_net(net.version, net.first, prefixlen)
