"""The fast schema path reports exactly what plain jsonschema reports, in the same order."""

from __future__ import annotations

import jsonschema
from ccv_test_helpers import property_examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from validator.schema import compile_vouch, schema_errors, topology_schema

PLAIN = jsonschema.Draft202012Validator(topology_schema())

KEYS = [
    "id", "cloud", "asn", "cidrs", "lines", "pop", "bandwidth_mbps", "vlan", "peering",
    "site_ip", "exchange_ip", "site_ipv6", "auth_key", "ignore", "description", "x-owner",
    "region", "sla_target", "metro", "a", "b", "latency_ms", "capacity_mbps", "sites",
    "from", "to", "max_latency_ms", "as_override", "bogus", 1,
]  # fmt: skip

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 70000),
    st.integers(),  # beyond 64 bits too
    st.dates(),  # YAML reads 2024-01-01 as a date: no JSON value
    st.floats(allow_nan=True, allow_infinity=False, width=32),
    st.sampled_from(
        ["aws", "onprem", "amazon", "", "HKG1", "10.0.0.0/16", "10.0.0.300/16", "fd00::/48",
         "AS65000", "64086.59905", "1.2.3", "CCV206", "ccv206", "x", "99.9",
         "CCV206\n", "10.0.0.0/16\n", "AS65000\n", "\ud800"]
    ),
)  # fmt: skip
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(KEYS), inner, max_size=5),
    ),
    max_leaves=25,
)


@st.composite
def documents(draw):
    """Mostly well-formed topologies with random damage, plus the odd wild value."""
    if draw(st.integers(0, 9)) == 0:
        return draw(values)
    site = {
        "id": draw(st.sampled_from(["a", "b", ""])),
        "cloud": draw(st.sampled_from(["aws", "onprem", "amazon"])),
        "asn": draw(st.one_of(st.integers(0, 70000), st.sampled_from(["AS1", "1.2", 1.5]))),
        "cidrs": draw(st.lists(st.sampled_from(["10.0.0.0/16", "fd00::/48", "x", 5]), max_size=3)),
    }
    if draw(st.booleans()):
        site["lines"] = [
            {
                "id": "l",
                "pop": draw(st.sampled_from(["HKG1", ""])),
                "bandwidth_mbps": draw(st.sampled_from([100, 0, -1, 1.5, "1G"])),
                "vlan": draw(st.sampled_from([100, 1.0, "100", True])),
                "peering": draw(
                    st.dictionaries(
                        st.sampled_from(["site_ip", "exchange_ip", "auth_key", "x-n", "bad"]),
                        st.sampled_from(["169.254.1.1/30", "1.1.1.1", 7]),
                        max_size=3,
                    )
                ),
            }
        ]
    doc = {
        "version": draw(st.sampled_from([1, 2, 1.0, "1"])),
        "name": draw(st.sampled_from(["n", "", 3])),
        "exchange": {"asn": draw(st.sampled_from([64600, "AS64600", None]))},
        "sites": [site] * draw(st.integers(0, 3)),
    }
    for _ in range(draw(st.integers(0, 3))):  # random damage anywhere at the top
        doc[draw(st.sampled_from(KEYS + ["pops", "backbone", "flows", "segments"]))] = draw(values)
    return doc


def _shape(errors) -> list:
    """The errors as comparable data; jsonschema's own crash (a non-string key meets a
    patternProperties regex) must then happen on both paths alike."""
    try:
        return [
            (list(e.absolute_path), e.validator, e.message, list(e.absolute_schema_path))
            for e in errors
        ]
    except TypeError as exc:
        return [("TypeError", str(exc))]


@settings(
    max_examples=property_examples(400), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(documents())
def test_fast_path_reports_the_same_violations_as_jsonschema(doc):
    assert _shape(schema_errors(doc)) == _shape(PLAIN.iter_errors(doc))


@settings(max_examples=property_examples(300), deadline=None)
@given(values)
def test_the_fast_validator_never_vouches_for_an_invalid_instance(value):
    sites_schema = topology_schema()["properties"]["sites"]["items"]
    if compile_vouch(sites_schema)(value):
        assert list(jsonschema.Draft202012Validator(sites_schema).iter_errors(value)) == []
