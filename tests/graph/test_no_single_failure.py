"""A backbone in one piece with no bridge and no cut POP (a ring, a mesh) loses no
connection to any single link or POP failure: ``analyse_groups`` skips the failure
search there (validator.graph.failures). Checked against brute force on random rings
with chords, with sites on any POPs and declared flows."""

from __future__ import annotations

from ccv_test_helpers import property_examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.graph.plans import plan
from tests.graph.test_properties import _expected
from validator import validate
from validator.graph.analysis import backbone_of
from validator.load.document import parse_document
from validator.model import build_plan

POPS = ["P0", "P1", "P2", "P3", "P4", "P5", "P6"]


@st.composite
def ring_plans(draw):
    n_pops = draw(st.integers(3, 7))
    pops = POPS[:n_pops]
    ring = [(pops[i], pops[(i + 1) % n_pops]) for i in range(n_pops)]
    chords = draw(st.lists(st.tuples(st.sampled_from(pops), st.sampled_from(pops)), max_size=4))
    pairs = ring + [(a, b) for a, b in chords if a != b]
    links = [(f"l{i}", a, b) for i, (a, b) in enumerate(pairs)]
    sites = {
        f"s{i}": draw(st.lists(st.sampled_from(pops), min_size=1, max_size=3))
        for i in range(draw(st.integers(2, 6)))
    }
    flows = None
    if draw(st.booleans()):
        ids = list(sites)
        flows = draw(
            st.lists(
                st.tuples(st.sampled_from(ids), st.sampled_from(ids)).filter(
                    lambda ends: ends[0] != ends[1]
                ),
                min_size=1,
                max_size=4,
            )
        )
    return pops, links, sites, None, flows


@settings(
    max_examples=property_examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(ring_plans())
def test_a_ring_with_chords_loses_nothing_to_one_failure(case):
    pops, links, sites, segments, flows = case
    data = plan(pops, links, sites, segments, flows)
    report = validate(data)
    tiers, link_cuts, pop_cuts = _expected(pops, links, sites, segments, flows)
    assert link_cuts == {} and pop_cuts == {}  # what the shortcut relies on
    assert {s["id"]: s["tier"] for s in report.sites} == tiers
    assert not [f for f in report.findings if f.rule in ("CCV504", "CCV505")]


def test_the_shortcut_applies_to_a_ring_and_not_to_a_chain():
    import json

    ring = plan(["A", "B", "C"], [("l0", "A", "B"), ("l1", "B", "C"), ("l2", "C", "A")], {})
    chain = plan(["A", "B", "C"], [("l0", "A", "B"), ("l1", "B", "C")], {})
    for data, expected in ((ring, True), (chain, False)):
        doc = parse_document("plan.json", json.dumps(data).encode())
        bb = backbone_of(build_plan([doc]))
        one_piece = len(set(bb.component.values())) <= 1
        assert (not bb.bridges and not bb.cut_pops and one_piece) is expected
