"""The data files behind the rules: special-purpose registry and ASN registry."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.addressing.addr_helpers import OURS
from validator import validate
from validator.addressing.parse import parse_net
from validator.addressing.special import (
    PRIVATE,
    RESERVED_PURPOSE,
    UNUSABLE,
    classify,
    registry,
)
from validator.rules.asns import asn_class

# SPEC §12 (narrowing §8): exactly these are CCV205 …
SPEC_UNUSABLE = {
    "0.0.0.0/8", "127.0.0.0/8", "169.254.0.0/16", "224.0.0.0/4", "255.255.255.255/32",
    "::/128", "::1/128", "::ffff:0:0/96", "fe80::/10", "ff00::/8",
}  # fmt: skip
# … and these CCV209.
SPEC_RESERVED_PURPOSE = {
    "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "198.18.0.0/15", "198.51.100.0/24",
    "203.0.113.0/24", "240.0.0.0/4", "64:ff9b::/96", "100::/64", "2001::/23",
    "2001:db8::/32", "2002::/16",
}  # fmt: skip


def _key(text: str) -> tuple[int, int, int]:
    net = parse_net(text)
    return net.version, net.first, net.prefixlen


@pytest.mark.parametrize(
    ("use", "listed"), [(UNUSABLE, SPEC_UNUSABLE), (RESERVED_PURPOSE, SPEC_RESERVED_PURPOSE)]
)
def test_special_entries_are_exactly_the_spec_lists(use, listed):
    found = [b for b in registry() if b.use == use]
    spec = [parse_net(t) for t in listed]
    keys = {(b.net.version, b.net.first, b.net.prefixlen) for b in found}
    assert {_key(t) for t in listed} <= keys  # every SPEC entry is in the data
    for block in found:  # and nothing beyond them has that use
        assert any(n.version == block.net.version and n.first <= block.net.first
                   and block.net.last <= n.last for n in spec), block.text  # fmt: skip
    assert all(b.rfc.startswith("RFC") for b in registry())


def test_no_unusable_block_overlaps_private_space():
    for a in registry():
        for b in registry():
            if a.use in (UNUSABLE, RESERVED_PURPOSE) and b.use == PRIVATE:
                assert not a.net.overlaps(b.net), (a.text, b.text)


def test_classification_edges():
    assert classify(parse_net("100.64.0.0/10"))[0] == PRIVATE
    assert classify(parse_net("100.128.0.0/16"))[0] == "public"  # just past 100.64/10
    assert classify(parse_net("fc00::/7"))[0] == PRIVATE
    assert classify(parse_net("fe00::/9"))[0] == "public"
    assert classify(parse_net("10.0.0.0/7"))[0] == "public"  # half of it is public
    assert classify(parse_net("0.0.0.0/0"))[0] == UNUSABLE
    assert classify(parse_net("::ffff:10.0.0.0/104"))[0] == UNUSABLE
    assert classify(parse_net("240.1.0.0/16"))[0] == RESERVED_PURPOSE
    assert classify(parse_net("2001:db8:1::/48"))[0] == RESERVED_PURPOSE
    assert classify(parse_net("192.0.0.0/16"))[0] == RESERVED_PURPOSE  # covers 192.0.0.0/24


def test_asn_classes():
    assert asn_class(0)[0] == "CCV401"
    assert asn_class(64495)[0] == "public"
    assert [asn_class(n)[0] for n in (64496, 64511, 64512, 65534, 65535)] == [
        "CCV402", "CCV402", "private", "private", "CCV401"
    ]  # fmt: skip
    assert [asn_class(n)[0] for n in (65536, 65551, 65552)] == ["CCV402", "CCV402", "public"]
    assert [asn_class(n)[0] for n in (4199999999, 4200000000, 4294967294)] == [
        "public", "private", "private"
    ]  # fmt: skip
    assert asn_class(4294967295)[0] == "CCV401"
    assert asn_class(4294967296)[0] == "CCV401"
    assert asn_class(-1)[0] == "CCV401"


def test_bench_generator_makes_a_valid_plan(tmp_path: Path):
    root = Path(__file__).resolve().parents[2]
    out = tmp_path / "plan.json"
    subprocess.run(
        [sys.executable, str(root / "bench" / "generate.py"), "--sites", "60",
         "--ranges-per-site", "5", "--conflict-rate", "0.1", "--seed", "3", "--out", str(out)],
        check=True,
    )  # fmt: skip
    plan = json.loads(out.read_text("utf-8"))
    assert len(plan["sites"]) == 60
    report = validate(str(out))
    rules = {f.rule for f in report.findings if f.rule in OURS}
    assert not rules & {"CCV100", "CCV101", "CCV102", "CCV103"}
    # conflicts only where the generator planted them (two planted ranges of one site
    # may also overlap each other)
    assert rules <= {"CCV201", "CCV202", "CCV203"}
    assert {"CCV201", "CCV202"} <= rules
