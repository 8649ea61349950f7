"""Property test: each site's failures (the links and POPs whose single failure cuts it
off from a peer, and the peer named) agree with brute force on random backbones and
groups — whether the analysis lists them (sites on several POPs) or keeps them as the
splits and paths of its groups (sites on one node of each tree)."""

from __future__ import annotations

from ccv_test_helpers import property_examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.graph.brute import _connected, _graph
from validator.graph.backbone import BLink, build_backbone
from validator.graph.failures import Group, analyse_groups

POPS = [f"P{i}" for i in range(9)]


@st.composite
def cases(draw):
    n_pops = draw(st.integers(2, 9))
    pops = POPS[:n_pops]
    pairs = [(pops[i], pops[draw(st.integers(0, i - 1))]) for i in range(1, n_pops)]
    if draw(st.booleans()):  # a forest: several components
        pairs = [p for p in pairs if draw(st.integers(0, 5))]
    pairs += draw(st.lists(st.tuples(st.sampled_from(pops), st.sampled_from(pops)), max_size=3))
    links = [(f"l{i}", a, b) for i, (a, b) in enumerate(pairs) if a != b]
    n_sites = draw(st.integers(2, 9))
    one = st.lists(st.sampled_from(pops), min_size=1, max_size=1)
    many = st.lists(st.sampled_from(pops), min_size=1, max_size=3)
    site_pops = {
        f"s{i}": frozenset(draw(one if draw(st.integers(0, 3)) else many)) for i in range(n_sites)
    }
    names = sorted(site_pops)
    groups = [
        Group(f"g{j}", draw(st.lists(st.sampled_from(names), min_size=2, max_size=9, unique=True)))
        for j in range(draw(st.integers(1, 3)))
    ]
    return pops, links, site_pops, groups


def _cut_by_link(pops, links, a, b, link_id) -> bool:
    return _connected(_graph(pops, links), a, b) and not _connected(
        _graph(pops, links, drop_link=link_id), a, b
    )


def _cut_by_pop(pops, links, a, b, pop) -> bool:
    return _connected(_graph(pops, links), a, b) and not _connected(
        _graph(pops, links, drop_pop=pop), set(a) - {pop}, b
    )


@settings(
    max_examples=property_examples(400),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(cases())
def test_each_sites_failures_match_brute_force(case):
    _check_against_brute_force(*case)


def test_sites_on_two_far_apart_pops_match_brute_force():
    # 52 sites on both ends of a 10-POP chain cross every edge of the tree (more than
    # LOCAL_SPAN across one edge: every such site is compared at every split), beside
    # dual-homed sites on neighbouring POPs (counted per piece, on their own only where
    # their two POPs straddle a split) and one-POP sites
    pops = [f"P{i}" for i in range(10)]
    links = [(f"l{i}", pops[i], pops[i + 1]) for i in range(9)]
    site_pops = {f"w{i:02d}": frozenset({"P0", "P9"}) for i in range(52)}
    site_pops |= {f"d{i}": frozenset({pops[i], pops[i + 1]}) for i in range(0, 9, 2)}
    site_pops |= {"a": frozenset({"P3"}), "b": frozenset({"P7"})}
    near = [s for s in site_pops if not s.startswith("w")]
    groups = [Group("all", sorted(site_pops)), Group("near", sorted(near))]
    _check_against_brute_force(pops, links, site_pops, groups[1:])
    _check_against_brute_force(pops, links, site_pops, groups)


def _check_against_brute_force(pops, links, site_pops, groups) -> None:
    bb = build_backbone(pops, [BLink(i, a, b, 1.0) for i, a, b in links])
    failures = analyse_groups(bb, site_pops, groups)
    peers: dict[str, set[str]] = {s: set() for s in site_pops}
    for group in groups:
        for s in group.members:
            peers[s] |= set(group.members) - {s}
    for s, mine in site_pops.items():
        link_fail = failures.link_fail.get(s, {})
        expected = {
            link_id
            for link_id, _, _ in links
            if any(_cut_by_link(pops, links, mine, site_pops[t], link_id) for t in peers[s])
        }
        assert set(link_fail) == expected
        assert failures.link_fail.has(s) == bool(expected)
        for table in (failures.link_fail, failures.pop_fail):
            _check_listed(table, s)
        for link_id, peer in link_fail.items():
            assert peer in peers[s] and _cut_by_link(pops, links, mine, site_pops[peer], link_id)
        if len(mine) < 2:
            continue  # a lone POP's failure is the site's access, not its POP diversity
        pop_fail = failures.pop_fail.get(s, {})
        expected = {
            p
            for p in pops
            if any(
                p not in site_pops[t] and _cut_by_pop(pops, links, mine, site_pops[t], p)
                for t in peers[s]
            )
        }
        assert set(pop_fail) == expected
        assert failures.pop_fail.has(s) == bool(expected)
        for pop, peer in pop_fail.items():
            assert peer in peers[s] and pop not in site_pops[peer]
            assert _cut_by_pop(pops, links, mine, site_pops[peer], pop)


def _check_listed(table, site: str) -> None:
    """``listed`` hands out what ``get`` holds: all of it sorted, or the first few of ``iter``."""
    everything = table.get(site, {})
    assert list(table.iter(site)) == list(everything.items())  # same order, same peers
    assert table.listed(site) == (sorted(everything.items()), True)
    items, complete = table.listed(site, limit=2)
    if len(everything) <= 2:
        assert complete and items == sorted(everything.items())
    else:
        assert not complete and items == list(everything.items())[:2]
