"""Cloud rule packs applied to lines and sites (CCV604, CCV704); facts in validator/data/clouds/."""

from __future__ import annotations

from validator.rules.registry import planned

_F = "cloud_packs"
_G = "graph"
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
