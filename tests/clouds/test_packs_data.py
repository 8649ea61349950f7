"""The cloud data files: every fact has a source, and the loader reads them as stated."""

from __future__ import annotations

import pytest

from validator.clouds import CLOUDS, load_data, pack, requires_private_asn

_DESCRIPTIVE = {"cloud", "name", "speaker"}  # labels, not facts


def _facts_without_source(node, path="") -> list[str]:
    """Paths of mappings that state a fact (a scalar or list of scalars) but no source."""
    missing = []
    if isinstance(node, dict):
        states_fact = any(
            key not in _DESCRIPTIVE
            and (
                not isinstance(value, (dict, list))
                or (isinstance(value, list) and value and not isinstance(value[0], dict))
            )
            for key, value in node.items()
        )
        if states_fact and not node.get("source"):
            missing.append(path or "/")
        for key, value in node.items():
            missing += _facts_without_source(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            missing += _facts_without_source(value, f"{path}/{index}")
    return missing


@pytest.mark.parametrize("cloud", CLOUDS)
def test_every_fact_has_a_source(cloud):
    data = load_data(cloud)
    assert data["cloud"] == cloud
    assert _facts_without_source(data) == []


@pytest.mark.parametrize("cloud", CLOUDS)
def test_tiers_are_official_or_secondary(cloud):
    def tiers(node):
        if isinstance(node, dict):
            if "tier" in node:
                yield node["tier"]
            for value in node.values():
                yield from tiers(value)
        elif isinstance(node, list):
            for value in node:
                yield from tiers(value)

    assert set(tiers(load_data(cloud))) <= {"official", "secondary"}


def test_the_source_walk_catches_a_fact_without_source():
    assert _facts_without_source({"routes": {"limit": 100}}) == ["/routes"]
    assert _facts_without_source({"routes": {"limit": 100, "source": "x"}}) == []


@pytest.mark.parametrize("cloud", CLOUDS)
def test_every_pack_loads(cloud):
    found = pack(cloud)
    assert found is not None and found.cloud == cloud
    assert found.asn is not None and found.asn.accepted


@pytest.mark.parametrize("cloud", ["onprem", "other", "amazon", None])
def test_no_pack_for_onprem_other_and_unknown(cloud):
    assert pack(cloud) is None
    assert requires_private_asn(cloud) is False


def test_key_facts_as_the_clouds_state_them():
    aws, azure = pack("aws"), pack("azure")
    assert (aws.vpc.prefix.shortest, aws.vpc.prefix.longest) == (16, 28)
    assert aws.routes.limit == 100 and aws.routes.hard and aws.routes.per_family
    assert aws.asn.default == 64512 and aws.asn.accepts(4200000000)
    assert not aws.asn.accepts(65535)
    assert azure.asn.accepts(12076) and azure.asn.forbidding(65517) is not None
    assert azure.routes.limit == 4000 and azure.routes.raised_limit == 10000
    assert pack("huawei").routes.hard is False
    assert pack("gcp").vpc.prefix.tier == "secondary"
    assert pack("tencent").routes is None and pack("tencent").bandwidths is None
    assert requires_private_asn("aws") and not requires_private_asn("azure")
    assert not requires_private_asn("gcp")  # Partner Interconnect uses the public AS 16550
