"""Property tests: the sweeps find exactly what a brute-force pairwise check finds.

(Repeated peering addresses and identical peering subnets count against their first
use, so that k copies give k - 1 findings; the reference below says so explicitly.)"""

from __future__ import annotations

import ipaddress
from collections import Counter

from ccv_test_helpers import bare_site, property_examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from validator import validate
from validator.addressing.index import RANGE, SUBNET, SUMMARY, Entry, contained_pairs
from validator.addressing.parse import _parse_slow, parse_net


def _v4(draw_int: int, prefixlen: int) -> str:
    return f"{ipaddress.IPv4Address((10 << 24) + draw_int)}/{prefixlen}"


def _v6(draw_int: int, prefixlen: int) -> str:
    return f"{ipaddress.IPv6Address((0xFD << 120) + draw_int)}/{prefixlen}"


@st.composite
def ranges(draw):
    if draw(st.booleans()):
        return _v4(draw(st.integers(0, 1023)), draw(st.integers(21, 28)))
    return _v6(draw(st.integers(0, 1023)), draw(st.integers(117, 124)))


@st.composite
def peerings(draw):
    base = draw(st.integers(0, 1023))
    prefixlen = draw(st.sampled_from([28, 29, 30, 31]))
    other = base + draw(st.integers(-3, 3))
    return {
        "site_ip": _v4(base, prefixlen),
        "exchange_ip": _v4(max(other, 0), prefixlen),
    }


@st.composite
def plans(draw):
    count = draw(st.integers(1, 6))
    ids = [f"s{i}" for i in range(count)]
    sites = []
    for i, site_id in enumerate(ids):
        lines = [
            {"id": f"{site_id}-l{k}", "pop": "P", "bandwidth_mbps": 10, "peering": draw(peerings())}
            for k in range(draw(st.integers(0, 2)))
        ]
        sites.append(
            {
                "id": site_id,
                "cloud": "onprem",
                "asn": 64512 + i,
                "cidrs": draw(st.lists(ranges(), max_size=4)),
                "lines": lines,
            }
        )
    segments = [
        {"id": f"g{k}", "sites": draw(st.lists(st.sampled_from(ids), max_size=count, unique=True))}
        for k in range(draw(st.integers(0, 3)))
    ]
    plan = {
        "version": 1,
        "name": "random",
        "exchange": {"asn": 64600},
        "pops": [{"id": "P"}],
        "sites": sites,
    }
    if segments:
        plan["segments"] = segments
    return plan


def _segments(plan: dict) -> dict[str, set[str]]:
    member: dict[str, set[str]] = {s["id"]: set() for s in plan["sites"]}
    for segment in plan.get("segments", []):
        for site_id in segment["sites"]:
            member[site_id].add(segment["id"])
    return {k: (v or {"default"}) for k, v in member.items()}


def _net(text: str):
    return ipaddress.ip_network(text, strict=False)


def _brute(plan: dict) -> Counter:
    segments = _segments(plan)
    expected: Counter = Counter()
    flat = [
        (i, j, site["id"], _net(text))
        for i, site in enumerate(plan["sites"])
        for j, text in enumerate(site["cidrs"])
    ]
    for a in range(len(flat)):
        for b in range(a + 1, len(flat)):
            (i, _, id_a, net_a), (k, m, id_b, net_b) = flat[a], flat[b]
            if net_a.version != net_b.version or not net_a.overlaps(net_b):
                continue
            later = f"/sites/{k}/cidrs/{m}"
            if i == k:
                expected[("CCV203", (id_a,), later)] += 1
            elif segments[id_a] & segments[id_b]:
                rule = "CCV202" if net_a == net_b else "CCV201"
                expected[(rule, tuple(sorted((id_a, id_b))), later)] += 1
    lines = []
    for i, site in enumerate(plan["sites"]):
        for k, line in enumerate(site["lines"]):
            subnets = {}
            for field in ("site_ip", "exchange_ip"):
                subnets.setdefault(_net(line["peering"][field]), field)
            addresses = {ipaddress.ip_interface(v).ip for v in line["peering"].values()}
            lines.append((i, k, site["id"], line["id"], subnets, addresses))
    for i, k, site_id, line_id, subnets, _ in lines:
        for subnet, field in subnets.items():
            for other in plan["sites"]:
                if not segments[site_id] & segments[other["id"]]:
                    continue
                for text in other["cidrs"]:
                    if _net(text).version == 4 and subnet.overlaps(_net(text)):
                        path = f"/sites/{i}/lines/{k}/peering/{field}"
                        expected[("CCV305", tuple(sorted((line_id, other["id"]))), path)] += 1
    # CCV303: each reuse of an address, against the first line using it.
    first_user: dict = {}
    reused: set = set()
    for line in lines:
        for address in sorted(line[5]):
            first = first_user.setdefault(address, line)
            if first is not line:
                reused.add(tuple(sorted((first[3], line[3]))))
    for pair in reused:
        expected[("CCV303", pair)] += 1
    # CCV304: overlapping subnets of lines sharing no address; identical subnets count
    # against the first line with that subnet, nested ones against the first outer one.
    first_with: dict = {}
    for line in lines:
        for subnet in line[4]:
            first_with.setdefault(subnet, line)

    def counts(x, lx, y, ly) -> bool:
        if x == y:
            return first_with[x] in (lx, ly)
        outer, outer_line = (x, lx) if x.supernet_of(y) else (y, ly)
        return first_with[outer] is outer_line

    for a in range(len(lines)):
        for b in range(a + 1, len(lines)):
            la, lb = lines[a], lines[b]
            if la[5] & lb[5]:
                continue
            if any(x.overlaps(y) and counts(x, la, y, lb) for x in la[4] for y in lb[4]):
                expected[("CCV304", tuple(sorted((la[3], lb[3]))))] += 1
    return expected


@settings(
    max_examples=property_examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(plans())
def test_sweep_finds_exactly_the_pairwise_overlaps(plan):
    report = validate(plan)
    got: Counter = Counter()
    for f in report.findings:
        if f.rule in ("CCV201", "CCV202", "CCV203", "CCV305"):
            got[(f.rule, f.objects, f.path)] += 1
        elif f.rule in ("CCV303", "CCV304"):
            got[(f.rule, f.objects)] += 1
    assert got == _brute(plan)


@settings(max_examples=property_examples(500), deadline=None)
@given(
    st.one_of(
        st.text(alphabet="0123456789abcdef:./٠x", max_size=45),
        st.builds(
            lambda a, n: f"{ipaddress.ip_address(a)}/{n}",
            st.one_of(st.integers(0, 2**32 - 1), st.integers(2**32, 2**128 - 1)),
            st.integers(0, 140),
        ),
    )
)
def test_fast_parse_equals_the_original_path(text):
    assert parse_net(text) == _parse_slow(text)


_ANYWHERE = [
    (10 << 24, 8),
    (172 << 24 | 16 << 16, 12),
    (192 << 24 | 168 << 16, 16),
    (100 << 24 | 64 << 16, 10),
    (168 << 24 | 63 << 16, 16),
    (199 << 24 | 36 << 16, 16),
]


@st.composite
def site_ranges(draw):
    """A site's ranges across private and cloud-reserved space, IPv4 and IPv6."""
    found = []
    for _ in range(draw(st.integers(1, 6))):
        if draw(st.integers(0, 4)) == 0:
            found.append(parse_net(_v6(draw(st.integers(0, 1 << 20)), draw(st.integers(40, 64)))))
            continue
        base, length = draw(st.sampled_from(_ANYWHERE))
        prefixlen = draw(st.integers(max(length, 8), 32))
        offset = draw(st.integers(0, (1 << (32 - length)) - 1))
        found.append(parse_net(f"{ipaddress.IPv4Address(base + offset)}/{prefixlen}"))
    return found


@settings(max_examples=property_examples(300), deadline=None)
@given(
    site_ranges(),
    st.sampled_from(["aws", "azure", "gcp", "alibaba", "huawei", "tencent", "oracle"]),
)
def test_a_site_passed_whole_has_no_range_the_cloud_check_reports(nets, cloud):
    """CCV207 skips a site at once when ``_all_plain`` says every range is plain: that
    must never hide a range the cloud's range check (one range at a time) reports."""
    from validator.clouds import pack
    from validator.rules.addressing import _all_plain
    from validator.rules.addressing_cloud import cidr_hits, vpc_shape

    found = pack(cloud)
    low, high, simple, reserved = vpc_shape(found)
    site = bare_site(cloud)
    if _all_plain(nets, found.vpc, (low, high) if simple else None, reserved):
        for position, net in enumerate(nets):
            assert not list(cidr_hits(site, position, net, found)), (cloud, net)


def test_an_ordinary_site_is_passed_whole_and_one_in_reserved_space_is_not():
    from validator.clouds import pack
    from validator.rules.addressing import _all_plain
    from validator.rules.addressing_cloud import vpc_shape

    nets = [parse_net("10.1.0.0/16"), parse_net("10.2.0.0/24"), parse_net("fd00:1::/48")]
    for cloud in ("aws", "tencent"):
        found = pack(cloud)
        low, high, simple, reserved = vpc_shape(found)
        bounds = (low, high) if simple else None
        assert _all_plain(nets, found.vpc, bounds, reserved)
    found = pack("alibaba")  # 100.64.0.0/10 is reserved in Alibaba Cloud VPCs
    low, high, simple, reserved = vpc_shape(found)
    assert not _all_plain([parse_net("100.64.1.0/24")], found.vpc, (low, high), reserved)


_BLOCKS = st.lists(
    st.tuples(st.integers(0, 63), st.integers(2, 6), st.sampled_from([RANGE, SUBNET, SUMMARY])),
    max_size=40,
)


@settings(max_examples=property_examples(300), deadline=None)
@given(_BLOCKS)
def test_pairs_apart_are_the_pairs_less_those_of_two_subnets(blocks):
    # contained_pairs(..., apart=SUBNET) keeps two stacks so that thousands of identical
    # peering subnets cost nothing; it must yield what the one-stack sweep yields, in
    # the same order, without the subnet-subnet pairs
    entries = []
    for n, (start, prefixlen, kind) in enumerate(blocks):
        size = 1 << (6 - prefixlen)
        first = start - start % size
        entries.append(Entry(first, prefixlen, first + size - 1, kind, n, n))
    entries.sort(key=lambda e: (e.first, e.prefixlen))
    every = list(contained_pairs(entries))
    assert list(contained_pairs(entries, apart=SUBNET)) == [
        (a, b) for a, b in every if not (a.kind == SUBNET and b.kind == SUBNET)
    ]
