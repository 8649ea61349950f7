"""SPEC §13: every fix, applied alone, removes its finding and adds no finding — on every
example, every test fixture, the field cases and generated plans. The fixes are taken as
the rules propose them (no verification), so the suggestion code is what is tested.

The number of fixes applied is printed at the end of the module (``pytest -s``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fixes.fix_property import failures
from validator.config import Settings
from validator.engine import validate_documents
from validator.load.document import Document, InputError, load_document

ROOT = Path(__file__).resolve().parents[2]
FIELD = ROOT.parent.parent / "shared" / "field-cases"
PLANS = sorted(
    [
        *(ROOT / "examples").glob("*.yaml"),
        *(ROOT / "examples").glob("*.json"),
        *ROOT.glob("tests/*/fixtures/*.yaml"),
        *ROOT.glob("tests/*/fixtures/*.json"),
    ]
)
APPLIED: dict[str, int] = {"files": 0, "generated": 0}


@pytest.fixture(scope="module", autouse=True)
def _tally():
    yield
    print(
        f"\nfix property: {APPLIED['files']} fixes applied on examples and fixtures, "
        f"{APPLIED['generated']} on generated plans"
    )


def _document(path: Path) -> Document | None:
    try:
        return load_document(str(path))
    except InputError:
        return None


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_fix_of_every_example_and_fixture_holds(path):
    document = _document(path)
    if document is None or "CCV999" in path.read_text("utf-8"):
        pytest.skip("not a plan ccv can check (an input error by design)")
    applied, broken = failures(document)
    APPLIED["files"] += applied
    assert broken == []


def test_the_examples_carry_fixes():
    document = load_document(str(ROOT / "examples" / "typical-mistakes.yaml"))
    applied, broken = failures(document)
    assert broken == [] and applied >= 15


# --------------------------------------------------------------------------- generated

CLOUDS = ["aws", "azure", "gcp", "alibaba", "huawei", "tencent", "oracle", "onprem"]
ASNS = [64512, 64513, 65001, 64500, 23456, 12076, 45104, 64600, 3356, 16550]


@st.composite
def _range(draw) -> str:
    if draw(st.integers(0, 5)) == 0:
        return f"fd00:{draw(st.integers(0, 3))}::/{draw(st.sampled_from([48, 56, 64]))}"
    first = draw(st.sampled_from(["10", "172", "192", "100", "169", "52"]))
    second = {"10": 0, "172": 16, "192": 168, "100": 64, "169": 254, "52": 95}[first]
    third = draw(st.integers(0, 3))
    host = draw(st.sampled_from([0, 0, 0, 1]))
    length = draw(st.sampled_from([12, 15, 16, 17, 24, 29]))
    return f"{first}.{second}.{third}.{host}/{length}"


@st.composite
def _peering(draw) -> dict:
    block = draw(st.sampled_from(["169.254.0", "10.0.0", "100.64.0", "192.168.0"]))
    length = draw(st.sampled_from([29, 30, 31]))
    a = draw(st.integers(0, 9))
    b = a + draw(st.sampled_from([1, 1, 1, -1, 0, 4]))
    return {"site_ip": f"{block}.{a}/{length}", "exchange_ip": f"{block}.{max(b, 0)}/{length}"}


@st.composite
def plans(draw) -> dict:
    count = draw(st.integers(2, 5))
    pops = ["P1", "P2"]
    sites = []
    for i in range(count):
        lines = []
        for k in range(draw(st.integers(0, 2))):
            line = {
                "id": f"s{i}-l{k}",
                "pop": draw(st.sampled_from([*pops, *pops, "p1"])),  # "p1": a typo (CCV101)
                "bandwidth_mbps": draw(st.sampled_from([100, 500, 1000])),
                "vlan": draw(st.sampled_from([100, 101, 102, 4095])),
            }
            if draw(st.booleans()):
                line["peering"] = draw(_peering())
            lines.append(line)
        site = {
            "id": f"s{i}",
            "cloud": draw(st.sampled_from(CLOUDS)),
            "asn": draw(st.sampled_from(ASNS)),
            "cidrs": draw(st.lists(_range(), max_size=3)),
            "lines": lines,
        }
        if draw(st.integers(0, 3)) == 0:
            site["sla_target"] = draw(st.sampled_from([99.7, 99.9, 99.92]))
        sites.append(site)
    plan = {
        "version": 1,
        "name": "generated",
        "exchange": {"asn": draw(st.sampled_from([64600, 64512, 65001]))},
        "pops": [{"id": p} for p in pops],
        "backbone": [{"id": "p1-p2", "a": "P1", "b": "P2", "latency_ms": 5}],
        "sites": sites,
    }
    if draw(st.booleans()):
        ids = [s["id"] for s in sites]
        plan["segments"] = [
            {"id": "g0", "sites": draw(st.lists(st.sampled_from(ids), unique=True))},
            {"id": "g1", "sites": draw(st.lists(st.sampled_from(ids), unique=True))},
        ]
    return plan


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans())
def test_every_fix_of_a_generated_plan_holds(plan):
    document = load_document_from(plan)
    applied, broken = failures(document)
    APPLIED["generated"] += applied
    assert broken == []


def load_document_from(plan: dict) -> Document:
    """The plan as a JSON document named generated.json."""
    from validator.load.document import parse_document

    return parse_document("generated.json", json.dumps(plan).encode("utf-8"))


def _line(site: int, k: int, pop: str, vlan: int) -> dict:
    return {"id": f"s{site}-l{k}", "pop": pop, "bandwidth_mbps": 100, "vlan": vlan}


def test_a_vlan_fix_never_moves_the_first_user_that_reuses_name():
    """Regression (found by the generated plans): the Azure circuit s0 has one link on
    VLAN 4095; fixing it moves both links, but s0-l0 is the first user of VLAN 100 on P1
    and two lines of s1 reuse it, so the move would re-anchor their CCV307 findings."""
    plan = {
        "version": 1,
        "name": "generated",
        "exchange": {"asn": 64600},
        "pops": [{"id": "P1"}, {"id": "P2"}],
        "backbone": [{"id": "p1-p2", "a": "P1", "b": "P2", "latency_ms": 5}],
        "sites": [
            {"id": "s0", "cloud": "azure", "asn": 64512, "cidrs": [],
             "lines": [_line(0, 0, "P1", 100), _line(0, 1, "P1", 4095)]},
            {"id": "s1", "cloud": "aws", "asn": 64512, "cidrs": [],
             "lines": [_line(1, 0, "P1", 100), _line(1, 1, "P1", 100)]},
        ],
    }  # fmt: skip
    document = load_document_from(plan)
    assert failures(document)[1] == []
    findings = validate_documents([document], Settings(), merge=False).findings
    outside = [f for f in findings if f.message == "VLAN 4095 of line s0-l1 is outside 1..4094"]
    assert len(outside) == 1 and outside[0].fix is None
    assert "e.g." not in outside[0].hint
