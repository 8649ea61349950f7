"""Property tests: the fast tier / SPOF computation (bridge tree, block-cut tree, grouped
counts) agrees with brute force (remove each link / each POP, test connectivity) on
random small plans, with implied pairs (segments) and with declared flows."""

from __future__ import annotations

import itertools

from ccv_test_helpers import property_examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.graph.brute import brute
from tests.graph.plans import plan
from validator import validate

POPS = ["P0", "P1", "P2", "P3", "P4", "P5", "P6"]


@st.composite
def random_plans(draw):
    n_pops = draw(st.integers(3, 7))
    pops = POPS[:n_pops]
    pairs = draw(st.lists(st.tuples(st.sampled_from(pops), st.sampled_from(pops)), max_size=10))
    if draw(st.booleans()):  # a random tree first: bridges and cut POPs abound
        tree = [(pops[i], pops[draw(st.integers(0, i - 1))]) for i in range(1, n_pops)]
        pairs = tree + pairs[:3]
    pairs = [(a, b) for a, b in pairs if a != b]  # a link to itself is CCV101
    links = [(f"l{i}", a, b) for i, (a, b) in enumerate(pairs)]
    n_sites = draw(st.integers(2, 6))
    sizes = st.sampled_from([0, 1, 1, 1])
    sites = {
        f"s{i}": draw(st.lists(st.sampled_from(pops), min_size=draw(sizes), max_size=3))
        for i in range(n_sites)
    }
    site_ids = list(sites)
    mode = draw(st.sampled_from(["default", "segments", "flows"]))
    segments = flows = None
    if mode == "segments":
        segments = {
            f"g{j}": draw(st.lists(st.sampled_from(site_ids), min_size=1, max_size=4, unique=True))
            for j in range(draw(st.integers(1, 3)))
        }
    elif mode == "flows":
        flows = draw(
            st.lists(
                st.tuples(st.sampled_from(site_ids), st.sampled_from(site_ids)).filter(
                    lambda ends: ends[0] != ends[1]  # a flow to itself is CCV101
                ),
                min_size=1,
                max_size=6,
            )
        )
    return pops, links, sites, segments, flows


def _expected(pops, links, sites, segments, flows):
    site_pops = {s: frozenset(p) for s, p in sites.items() if p}
    site_lines = {s: len(p) for s, p in sites.items()}
    membership = {
        s: {g for g, m in (segments or {}).items() if s in m} or {"default"} for s in sites
    }
    pairs = set()
    if flows:
        for a, b in flows:
            if a != b and a in site_pops and b in site_pops and membership[a] & membership[b]:
                pairs.add(tuple(sorted((a, b))))
    else:
        for a, b in itertools.combinations(sorted(site_pops), 2):
            if membership[a] & membership[b]:
                pairs.add((a, b))
    tiers, link_cuts, pop_cuts = brute(pops, links, site_pops, site_lines, sorted(pairs))
    for s in sites:
        tiers.setdefault(s, "none")
    return tiers, link_cuts, pop_cuts


@settings(
    max_examples=property_examples(600), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(random_plans())
def test_fast_analysis_matches_brute_force(case):
    pops, links, sites, segments, flows = case
    report = validate(plan(pops, links, sites, segments, flows))
    assert not [f for f in report.findings if f.rule in ("CCV100", "CCV101", "CCV102")]
    tiers, link_cuts, pop_cuts = _expected(pops, links, sites, segments, flows)
    assert {s["id"]: s["tier"] for s in report.sites} == tiers
    links_found = {}
    pops_found = {}
    for f in report.findings:
        if f.rule == "CCV504":
            element = next(o for o in f.objects if o.startswith("l"))
            links_found[element] = set(f.objects) - {element}
        if f.rule == "CCV505":
            element = next(o for o in f.objects if o.startswith("P"))
            pops_found[element] = set(f.objects) - {element}
    assert links_found == link_cuts
    assert pops_found == pop_cuts


def _brute_path(pops, links, a_pops, b_pops):
    import networkx as nx

    shared = sorted(set(a_pops) & set(b_pops))
    if shared:
        return [shared[0]]
    weight: dict[frozenset, float] = {}
    graph = nx.Graph()
    graph.add_nodes_from(pops)
    for _, a, b, latency in links:
        if a != b:
            key = frozenset((a, b))
            weight[key] = min(weight.get(key, latency), latency)
            graph.add_edge(a, b)
    best = None
    for a in set(a_pops):
        for b in set(b_pops):
            for path in nx.all_simple_paths(graph, a, b):
                total = sum(weight[frozenset(e)] for e in zip(path, path[1:], strict=False))
                label = (total, len(path), tuple(path))
                best = label if best is None or label < best else best
    return list(best[2]) if best else None


@settings(
    max_examples=property_examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(
    st.integers(2, 6).flatmap(
        lambda n: st.tuples(
            st.just(POPS[:n]),
            st.lists(
                st.tuples(
                    st.sampled_from(POPS[:n]), st.sampled_from(POPS[:n]), st.integers(0, 5)
                ).filter(lambda link: link[0] != link[1]),  # a link to itself is CCV101
                max_size=9,
            ),
            st.lists(st.sampled_from(POPS[:n]), min_size=1, max_size=2),
            st.lists(st.sampled_from(POPS[:n]), min_size=1, max_size=2),
        )
    )
)
def test_best_path_matches_brute_force(case):
    pops, raw_links, a_pops, b_pops = case
    links = [(f"l{i}", a, b, float(w)) for i, (a, b, w) in enumerate(raw_links)]
    data = plan(pops, links, {"x": a_pops, "y": b_pops}, flows=[("x", "y")])
    (flow,) = validate(data).flows
    expected = _brute_path(pops, links, a_pops, b_pops)
    assert flow["path"] == (["x", *expected, "y"] if expected else None)


def _brute_unused(pops, links, sites):
    """POPs and links on no simple path between two distinct POPs with lines."""
    import networkx as nx

    graph = nx.MultiGraph()
    graph.add_nodes_from(pops)
    for link_id, a, b in links:
        if a != b:
            graph.add_edge(a, b, key=link_id)
    terminals = sorted({p for site_pops in sites.values() for p in site_pops})
    used_pops, used_links = set(terminals), set()
    for i, u in enumerate(terminals):
        for v in terminals[i + 1 :]:
            for path in nx.all_simple_edge_paths(graph, u, v):
                for a, b, key in path:
                    used_pops.update((a, b))
                    used_links.add(key)
    return (
        sorted(p for p in pops if p not in used_pops),
        sorted(k for k, _, _ in links if k not in used_links),
    )


@settings(
    max_examples=property_examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(random_plans())
def test_unused_objects_match_brute_force(case):
    pops, links, sites, segments, flows = case
    report = validate(plan(pops, links, sites, segments, flows))
    found = [f.objects[0] for f in report.findings if f.rule == "CCV506"]
    unused_pops, unused_links = _brute_unused(pops, links, sites)
    assert sorted(o for o in found if o.startswith("P")) == unused_pops
    assert sorted(o for o in found if o.startswith("l")) == unused_links
