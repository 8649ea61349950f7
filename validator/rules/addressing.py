"""Address range rules (CCV201–CCV208): VPC/VNet ranges must not conflict (agreement §5.1.1)."""

from __future__ import annotations

from validator.rules.registry import planned

_F = "addressing"
planned(
    "CCV201",
    "cidr-overlap",
    "error",
    "ranges of two sites that meet overlap",
    "move one site to a free range of the same size",
    family=_F,
)
planned(
    "CCV202",
    "cidr-duplicate",
    "error",
    "two sites that meet advertise the identical range",
    "give one of the sites a free range of the same size",
    family=_F,
)
planned(
    "CCV203",
    "cidr-self-overlap",
    "warning",
    "one site lists overlapping or duplicate ranges",
    "list each range once; drop ranges contained in another of the same site",
    family=_F,
)
planned(
    "CCV204",
    "cidr-host-bits",
    "error",
    "a range has host bits set (`10.0.0.1/16`); hint gives the network",
    "write the network address of the range",
    family=_F,
)
planned(
    "CCV205",
    "cidr-special-purpose",
    "error",
    "a range lies in special-purpose space not usable for a VPC",
    "use private space: 10/8, 172.16/12, 192.168/16, 100.64/10 or fc00::/7",
    family=_F,
)
planned(
    "CCV206",
    "cidr-public",
    "warning",
    "a range outside private space (RFC 1918, RFC 6598, fc00::/7)",
    "use private space unless you own this public range",
    family=_F,
)
