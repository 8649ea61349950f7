"""The free-space finder's intervals: merged_intervals against a plain loop."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from validator.addressing.index import RANGE, Entry, merged_intervals


def _loop(entries: list[Entry]) -> tuple[list[int], list[int]]:
    starts: list[int] = []
    ends: list[int] = []
    for entry in entries:
        if ends and entry.first <= ends[-1] + 1:
            ends[-1] = max(ends[-1], entry.last)
        else:
            starts.append(entry.first)
            ends.append(entry.last)
    return starts, ends


blocks = st.lists(st.tuples(st.integers(0, 255), st.integers(24, 32)), max_size=40)


@given(blocks)
def test_merged_intervals_are_those_of_the_plain_loop(found):
    entries = []
    for position, (third, prefixlen) in enumerate(found):
        size = 1 << (32 - prefixlen)
        first = (third * 37) // size * size  # aligned, often nested or adjacent
        entries.append(Entry(first, prefixlen, first + size - 1, RANGE, 0, position))
    entries.sort(key=lambda e: (e.first, e.prefixlen))
    assert merged_intervals([e.first for e in entries], [e.last for e in entries]) == _loop(entries)


@given(blocks)
def test_the_blocks_found_overlapping_are_those_a_pairwise_check_finds(found):
    """The sweeps look only at blocks ``_overlapping`` returns: it must miss none."""
    from validator.addressing.index import _overlapping
    from validator.addressing.parse import make_net

    nets = [make_net(4, (third * 37) % 1024, prefixlen) for third, prefixlen in found]
    nets.sort(key=lambda n: (n.first, n.prefixlen))
    pairwise = {
        id(a) for a in nets for b in nets if a is not b and a.first <= b.last and b.first <= a.last
    }
    assert _overlapping(nets) == pairwise
