"""Prefix arithmetic on integers: exact merging, covering supernets, one-integer keys.

Pure functions of their arguments, shared by the rules that count or aggregate the
prefixes a site learns (CCV207, CCV208). Blocks are ``(first, prefixlen)`` pairs of
one IP version; ``BITS[version]`` is the address width.
"""

from __future__ import annotations

from validator.addressing.parse import BITS, Net


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
