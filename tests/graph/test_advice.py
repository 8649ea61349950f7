"""The SLA advisor's quick check (``Advisor.quick_tier``: the tier of a one-POP site
after backbone links are added, read off the plan's own bridge tree) agrees with a full
re-analysis of the changed backbone, on random backbones (forests with extra links),
sites on one or several POPs, segments or declared flows, and one to three added links.
"""

from __future__ import annotations

import json

from ccv_test_helpers import property_examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.graph.plans import plan
from validator.graph.advice import Advisor, _State
from validator.graph.analysis import analyse_plan
from validator.load.document import parse_document
from validator.model import build_plan

POPS = [f"P{i}" for i in range(9)]


@st.composite
def changed_plans(draw):
    n = draw(st.integers(2, 9))
    pops = POPS[:n]
    pairs = [(pops[i], pops[draw(st.integers(0, i - 1))]) for i in range(1, n)]
    if draw(st.booleans()):  # several backbone islands
        pairs = [p for p in pairs if draw(st.integers(0, 4))]
    pairs += draw(st.lists(st.tuples(st.sampled_from(pops), st.sampled_from(pops)), max_size=2))
    links = [(f"l{i}", a, b) for i, (a, b) in enumerate(pairs) if a != b]
    count = draw(st.integers(2, 6))
    sites = {
        f"s{i}": draw(st.lists(st.sampled_from(pops), min_size=1, max_size=3)) for i in range(count)
    }
    flows = None
    if draw(st.booleans()):
        ids = list(sites)
        ends = st.tuples(st.sampled_from(ids), st.sampled_from(ids))
        flows = draw(st.lists(ends.filter(lambda e: e[0] != e[1]), min_size=1, max_size=4))
    added = draw(
        st.lists(
            st.tuples(st.sampled_from(pops), st.sampled_from(pops)).filter(lambda e: e[0] != e[1]),
            min_size=1,
            max_size=3,
        )
    )
    extra = draw(st.integers(0, 1))  # a second line beside the site's own
    return plan(pops, links, sites, None, flows), added, extra


@settings(
    max_examples=property_examples(400),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(changed_plans())
def test_quick_tier_agrees_with_a_full_reanalysis(case):
    data, added, extra = case
    doc = parse_document("plan.json", json.dumps(data).encode())
    analysis = analyse_plan(build_plan([doc]))
    for site, result in analysis.sites.items():
        if not result.pops:
            continue
        state = _State(result.pops, len(result.site.lines) + extra, tuple(added))
        quick = Advisor(analysis).quick_tier(site, state)
        if quick is None:
            continue  # it may decline (several POPs, islands); it must never be wrong
        full = Advisor(analysis).evaluate(site, state)
        assert full is not None and quick == full[0], (site, state, quick, full)


def test_quick_tier_answers_for_a_site_on_a_chain():
    pops = [f"P{i}" for i in range(6)]
    links = [(f"l{i}", pops[i], pops[i + 1]) for i in range(5)]
    data = plan(pops, links, {"a": ["P0", "P0"], "b": ["P5"], "c": ["P2"]})
    analysis = analyse_plan(build_plan([parse_document("p.json", json.dumps(data).encode())]))
    advisor = Advisor(analysis)
    ring = _State(frozenset({"P0"}), 2, (("P0", "P5"),))
    half = _State(frozenset({"P0"}), 2, (("P0", "P3"),))
    assert advisor.quick_tier("a", ring) == "dual-protected"
    assert advisor.quick_tier("a", half) == "single-unprotected"  # l3 and l4 are left
    assert advisor.quick_tier("b", _State(frozenset({"P5"}), 1, (("P0", "P5"),))) == (
        "single-protected"
    )
    assert advisor.analyses == 0  # no backbone built, nothing re-analysed
