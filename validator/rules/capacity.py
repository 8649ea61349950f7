"""Capacity rules (CCV601–CCV605): bandwidth estimates must fit lines and backbone (§5.1.2)."""

from __future__ import annotations

from validator.rules.registry import planned

_F = "capacity"
_G = "graph"
planned(
    "CCV601",
    "site-over-capacity",
    "error",
    "`bandwidth_mbps` of a site exceeds the sum of its lines",
    "order more line bandwidth or another line",
    stage=_G,
    family=_F,
)
planned(
    "CCV602",
    "failover-capacity",
    "warning",
    "after losing its largest line, a multi-line site cannot carry its `bandwidth_mbps`",
    "size every line so that the others carry the site when one fails",
    stage=_G,
    family=_F,
)
planned(
    "CCV603",
    "backbone-over-capacity",
    "error",
    "routed flows exceed a backbone link's `capacity_mbps`",
    "raise the link's capacity or route flows over another link",
    stage=_G,
    family=_F,
)
planned(
    "CCV605",
    "flows-exceed-site",
    "warning",
    "the flows of a site add up to more than its `bandwidth_mbps`",
    "raise the site's bandwidth_mbps or lower the flows",
    stage=_G,
    family=_F,
)
