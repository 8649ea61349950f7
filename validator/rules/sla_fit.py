"""SLA rules (CCV701–CCV704): the protection each site gets must give the SLA it needs."""

from __future__ import annotations

from validator.rules.registry import planned

_F = "sla_fit"
_G = "graph"
planned(
    "CCV701",
    "sla-unreachable",
    "error",
    "the site's `sla_target` exceeds its tier's committed availability",
    "add protection: a second line on another POP, or a backbone link that removes the "
    "single point of failure",
    stage=_G,
    family=_F,
)
planned(
    "CCV702",
    "sla-nonstandard-target",
    "warning",
    "`sla_target` is not one of 99.5, 99.9, 99.95, 99.99",
    "use a committed availability: 99.5, 99.9, 99.95 or 99.99",
    stage=_G,
    family=_F,
)
planned(
    "CCV703",
    "dual-without-backbone",
    "warning",
    "a multi-line site falls to `single-unprotected` because its backbone is not protected",
    "add backbone links so no single link failure separates the site from its peers",
    stage=_G,
    family=_F,
)
