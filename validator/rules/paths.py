"""Path rules (CCV501–CCV509): every required flow needs a path over lines, POPs and backbone."""

from __future__ import annotations

from validator.rules.registry import planned

_F = "paths"
_G = "graph"
planned(
    "CCV501",
    "site-no-line",
    "error",
    "a site has no access line",
    "add a line from the site to a POP",
    stage=_G,
    family=_F,
)
planned(
    "CCV502",
    "no-path",
    "error",
    "a required flow has no path",
    "add a backbone link that joins the two sites' POPs",
    stage=_G,
    family=_F,
)
planned(
    "CCV503",
    "latency-budget",
    "error",
    "a flow's path latency exceeds its `max_latency_ms`",
    "add a shorter backbone link, or raise the flow's budget",
    stage=_G,
    family=_F,
)
planned(
    "CCV504",
    "spof-link",
    "warning",
    "one backbone link failure cuts a required flow",
    "add a backbone link that bypasses the named link",
    stage=_G,
    family=_F,
)
planned(
    "CCV505",
    "spof-pop",
    "warning",
    "one POP failure cuts a required flow",
    "add a backbone path that avoids the named POP",
    stage=_G,
    family=_F,
)
planned(
    "CCV506",
    "unused-object",
    "info",
    "a POP or backbone link no path uses",
    "remove it from the plan, or connect it",
    stage=_G,
    family=_F,
)
planned(
    "CCV507",
    "site-isolated",
    "info",
    "a site has no peer: no flow and no segment mate",
    "add a flow or put the site in a segment with others",
    stage=_G,
    family=_F,
)
planned(
    "CCV508",
    "latency-unknown",
    "info",
    "a flow with `max_latency_ms` crosses a link without `latency_ms`",
    "give the link its committed latency_ms",
    stage=_G,
    family=_F,
)
planned(
    "CCV509",
    "flow-crosses-segments",
    "error",
    "a flow joins two sites that share no segment",
    "put both sites in one segment, or remove the flow",
    stage=_G,
    family=_F,
)
