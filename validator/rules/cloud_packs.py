"""Cloud rule packs (CCV207, CCV208, CCV306, CCV404, CCV604, CCV704): facts in data/clouds/."""

from __future__ import annotations

from validator.rules.registry import planned

_F = "cloud_packs"
_G = "graph"
planned(
    "CCV207",
    "cidr-cloud-limit",
    "error",
    "a range breaks the site's cloud rules (prefix length limits, ranges that cloud reserves)",
    "pick a range of a size and place the site's cloud allows",
    family=_F,
)
planned(
    "CCV306",
    "peering-cloud-rule",
    "error",
    "peering addressing breaks the cloud's rules",
    "follow the cloud's peering address rules",
    family=_F,
)
planned(
    "CCV404",
    "asn-cloud-rule",
    "error",
    "an ASN the site's cloud forbids or does not use",
    "use an ASN the site's cloud accepts",
    family=_F,
)
planned(
    "CCV208",
    "route-limit",
    "error",
    "a site would learn more prefixes over one BGP session than its cloud accepts per session",
    "aggregate the advertised ranges so the count fits the cloud's limit",
    family=_F,
)
planned(
    "CCV604",
    "bandwidth-not-orderable",
    "warning",
    "a line's bandwidth is not a capacity the site's cloud sells",
    "order a bandwidth the cloud sells",
    stage=_G,
    family=_F,
)
planned(
    "CCV704",
    "cloud-redundancy",
    "warning",
    "the site's cloud requires or recommends redundancy the plan lacks",
    "add the redundant line the cloud asks for",
    stage=_G,
    family=_F,
)
