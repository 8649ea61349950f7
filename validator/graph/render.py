"""Mermaid and Graphviz DOT views of the analysed plan (``ccv graph``).

Sites (labelled with id, cloud and tier), POPs, lines and backbone links; single
points of failure (CCV504/CCV505 elements) and over-capacity links (CCV603)
highlighted, with a legend. Output is deterministic: everything is sorted by id.
"""

from __future__ import annotations

import re

from validator.graph.analysis import Analysis

TIER_COLORS = {
    "highest": "#c8e6c9",
    "dual-protected": "#dcedc8",
    "single-protected": "#fff9c4",
    "single-unprotected": "#ffcdd2",
    "none": "#eeeeee",
}
SPOF_COLOR = "#c62828"
OVER_COLOR = "#ef6c00"


def _marks(an: Analysis) -> tuple[set[str], set[str], set[str]]:
    """SPOF links, SPOF POPs and over-capacity links."""
    spof_links = {c.element for c in an.failures.cuts.values() if c.kind == "link"}
    spof_pops = {c.element for c in an.failures.cuts.values() if c.kind == "pop"}
    capacity = {link.id: link.capacity_mbps for link in an.backbone.links}
    over = {
        direction.link
        for direction, load in an.load.items()
        if capacity.get(direction.link) is not None and load > capacity[direction.link]
    }
    return spof_links, spof_pops, over


class _Ids:
    """Sanitised, unique node ids for Mermaid and DOT."""

    def __init__(self) -> None:
        self.ids: dict[tuple[str, str], str] = {}
        self.used: set[str] = set()

    def __call__(self, kind: str, name: str) -> str:
        key = (kind, name)
        if key not in self.ids:
            base = f"{kind}_" + re.sub(r"[^A-Za-z0-9_]", "_", name)
            candidate, n = base, 1
            while candidate in self.used:
                n += 1
                candidate = f"{base}_{n}"
            self.used.add(candidate)
            self.ids[key] = candidate
        return self.ids[key]


def _mm(text: str) -> str:
    """Text safe inside a quoted Mermaid label."""
    return text.replace('"', "#quot;")


def _link_label(link) -> str:
    parts = [link.id]
    if link.latency_ms is not None:
        parts.append(f"{link.latency_ms:g} ms")
    if link.capacity_mbps is not None:
        parts.append(f"{link.capacity_mbps:g} Mbps")
    return " · ".join(parts)


def _sites(an: Analysis):
    return sorted(an.plan.sites, key=lambda s: s.id)


def to_mermaid(an: Analysis) -> str:
    """The plan as a Mermaid flowchart (renders on GitHub as is)."""
    spof_links, spof_pops, over = _marks(an)
    ids = _Ids()
    name = " ".join((an.plan.name or "plan").split())  # a comment ends at a line break
    out = ["flowchart LR", f"  %% ccv graph of {name}"]
    out.append('  subgraph backbone["carrier backbone"]')
    for pop in an.backbone.pops:
        out.append(f'    {ids("pop", pop)}(("{_mm(pop)}"))')
    out.append("  end")
    for site in _sites(an):
        tier = an.sites[site.id].tier
        label = f"{site.id}<br/>{site.cloud or '?'} · {tier}"
        out.append(f'  {ids("site", site.id)}["{_mm(label)}"]')
    edges: list[str] = []
    styles: list[str] = []
    for site in _sites(an):
        for line in sorted(site.lines, key=lambda k: k.id):
            if line.pop:
                edges.append(
                    f'  {ids("site", site.id)} -.-|"{_mm(line.id)}"| {ids("pop", line.pop)}'
                )
    for link in an.backbone.links:
        index = len(edges)
        edges.append(f'  {ids("pop", link.a)} ===|"{_mm(_link_label(link))}"| {ids("pop", link.b)}')
        if link.id in over and link.id in spof_links:
            styles.append(
                f"  linkStyle {index} stroke:{OVER_COLOR},stroke-width:4px,stroke-dasharray:8 4"
            )
        elif link.id in over:
            styles.append(f"  linkStyle {index} stroke:{OVER_COLOR},stroke-width:4px")
        elif link.id in spof_links:
            styles.append(f"  linkStyle {index} stroke:{SPOF_COLOR},stroke-width:4px")
    out += edges
    out.append('  subgraph legend["legend"]')
    out.append('    legend_spof(("single point of failure"))')
    out.append('    legend_a[" "] ===|"single point of failure"| legend_b[" "]')
    out.append('    legend_c[" "] ===|"over capacity (dashed: and SPOF)"| legend_d[" "]')
    for tier_id in TIER_COLORS:
        out.append(f'    {ids("legend", tier_id)}["{tier_id}"]')
    out.append("  end")
    for tier_id, color in TIER_COLORS.items():
        out.append(f"  classDef {_cls(tier_id)} fill:{color},stroke:#555")
    out.append(f"  classDef spof fill:#ffebee,stroke:{SPOF_COLOR},stroke-width:3px")
    for tier_id in TIER_COLORS:
        members = [ids("site", s.id) for s in _sites(an) if an.sites[s.id].tier == tier_id]
        members.append(ids("legend", tier_id))
        out.append(f"  class {','.join(members)} {_cls(tier_id)}")
    out.append(
        "  class "
        + ",".join([*(ids("pop", p) for p in sorted(spof_pops)), "legend_spof"])
        + " spof"
    )
    out.append(f"  linkStyle {len(edges)} stroke:{SPOF_COLOR},stroke-width:4px")
    out.append(f"  linkStyle {len(edges) + 1} stroke:{OVER_COLOR},stroke-width:4px")
    out += styles
    return "\n".join(out) + "\n"


def _cls(tier_id: str) -> str:
    return "tier_" + tier_id.replace("-", "_")


def _dq(text: str) -> str:
    """A double-quoted DOT string."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return '"' + escaped + '"'


def to_dot(an: Analysis) -> str:
    """The plan as a Graphviz DOT graph (``dot -Tpng``)."""
    spof_links, spof_pops, over = _marks(an)
    out = [
        f"graph {_dq(an.plan.name or 'plan')} {{",
        "  rankdir=LR;",
        '  graph [fontname="Helvetica" fontsize=11];',
        '  node [fontname="Helvetica" fontsize=10];',
        '  edge [fontname="Helvetica" fontsize=9];',
        '  subgraph cluster_backbone { label="carrier backbone"; style=dashed;',
    ]
    for pop in an.backbone.pops:
        attrs = "shape=circle"
        if pop in spof_pops:
            attrs += f' style=filled fillcolor="#ffebee" color="{SPOF_COLOR}" penwidth=3'
        out.append(f"    {_dq('pop:' + pop)} [{attrs} label={_dq(pop)}];")
    out.append("  }")
    for site in _sites(an):
        tier = an.sites[site.id].tier
        label = f"{site.id}\n{site.cloud or '?'}\n{tier}"
        out.append(
            f'  {_dq("site:" + site.id)} [shape=box style="rounded,filled" '
            f'fillcolor="{TIER_COLORS.get(tier, "#ffffff")}" label={_dq(label)}];'
        )
    for site in _sites(an):
        for line in sorted(site.lines, key=lambda k: k.id):
            if line.pop:
                out.append(
                    f"  {_dq('site:' + site.id)} -- {_dq('pop:' + line.pop)} "
                    f"[style=dashed label={_dq(line.id)}];"
                )
    for link in an.backbone.links:
        attrs = f"label={_dq(_link_label(link).replace(' · ', chr(10)))} penwidth=2"
        if link.id in over and link.id in spof_links:
            attrs += f' color="{OVER_COLOR}:{SPOF_COLOR}" penwidth=4'
        elif link.id in over:
            attrs += f' color="{OVER_COLOR}" penwidth=4'
        elif link.id in spof_links:
            attrs += f' color="{SPOF_COLOR}" penwidth=4'
        out.append(f"  {_dq('pop:' + link.a)} -- {_dq('pop:' + link.b)} [{attrs}];")
    rows = "".join(
        f'<TR><TD BGCOLOR="{color}">{tier_id}</TD></TR>' for tier_id, color in TIER_COLORS.items()
    )
    rows += (
        f'<TR><TD><FONT COLOR="{SPOF_COLOR}"><B>red: single point of failure</B></FONT></TD></TR>'
        f'<TR><TD><FONT COLOR="{OVER_COLOR}"><B>orange: over capacity</B></FONT></TD></TR>'
    )
    out.append(
        f'  "legend" [shape=plaintext label=<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="2">'
        f"<TR><TD><B>legend</B></TD></TR>{rows}</TABLE>>];"
    )
    out.append("}")
    return "\n".join(out) + "\n"


RENDERERS = {"mermaid": to_mermaid, "dot": to_dot}
