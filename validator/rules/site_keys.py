"""CCV100 hits for site keys whose meaning depends on the site's cloud (SPEC §12).

``addons`` must be add-ons the site's cloud knows (``routes.addons`` of its file in
``validator/data/clouds/``); ``interconnect`` and a line's ``circuit`` describe how a
cloud site is connected, so an ``onprem`` or ``other`` site has neither. Each mistake is
one finding at the value, with a hint that names what the cloud knows.
"""

from __future__ import annotations

from collections.abc import Iterator

from validator.clouds import CLOUDS, pack
from validator.model import Site
from validator.rules.context import Context
from validator.rules.registry import Hit

_NOT_CLOUDS = ("onprem", "other")


def known_addons(cloud: str | None) -> tuple[str, ...]:
    """Names of the add-ons ``cloud`` knows (``routes.addons`` in its data file), in file
    order; () for a cloud with none and for ``onprem``/``other``."""
    found = pack(cloud) if cloud in CLOUDS else None
    if found is None or found.routes is None:
        return ()
    return tuple(addon.name for addon in found.routes.addons)


def _all_addons() -> str:
    named = [f"{name} ({cloud})" for cloud in CLOUDS for name in known_addons(cloud)]
    return ", ".join(named)


def _raw(site: Site) -> dict | None:
    """The site's mapping as written (None for a site read from a Terraform plan)."""
    node: object = site.origin.doc.data
    for part in site.origin.path:
        try:
            node = node[part]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            return None
    return node if isinstance(node, dict) else None


def site_key_hits(ctx: Context) -> Iterator[Hit]:
    """CCV100 hits: an add-on the site's cloud does not know, and ``interconnect`` or a
    line's ``circuit`` on a site that is not in a cloud.

    A cloud site is looked up in its document only when it declares add-ons: the model
    keeps every string of a site's ``addons`` list (``Site.addons``), and entries that
    are not strings are the schema's, so a site without is skipped (nearly all)."""
    for site in ctx.plan.sites:
        if not site.addons and site.cloud not in _NOT_CLOUDS:
            continue
        raw = _raw(site)
        if raw is None:
            continue
        yield from _addon_hits(site, raw)
        if site.cloud not in _NOT_CLOUDS:
            continue  # a cloud site, or a cloud the schema refuses (CCV100 already)
        if raw.get("interconnect") in ("partner", "dedicated"):  # else the schema's
            yield Hit(
                f"site {site.id} ({site.cloud}) has interconnect: {raw['interconnect']}; "
                "interconnect says how the carrier connects a cloud site",
                (site.id,),
                site.origin.child("interconnect"),
                f"remove interconnect from site {site.id}, or set its cloud",
            )
        lines = raw.get("lines")
        for position, line in enumerate(lines if isinstance(lines, list) else ()):
            if isinstance(line, dict) and isinstance(line.get("circuit"), str) and line["circuit"]:
                yield Hit(
                    f"line {line.get('id', position)} of site {site.id} ({site.cloud}) names "
                    f"circuit {line['circuit']!r}; circuit names the cloud circuit a line "
                    "is a link of",
                    (site.id,),
                    site.origin.child("lines", position, "circuit"),
                    "remove circuit from the line (keep your own circuit id in x-circuit)",
                )


def _addon_hits(site: Site, raw: dict) -> Iterator[Hit]:
    addons = raw.get("addons")
    if not isinstance(addons, list) or site.cloud not in (*CLOUDS, *_NOT_CLOUDS):
        return  # not a list, or no known cloud: the schema says so
    known = known_addons(site.cloud)
    for position, name in enumerate(addons):
        if not isinstance(name, str) or not name or name in known:
            continue
        if known:
            hint = f"{site.cloud} add-ons ccv knows: {', '.join(known)}; remove {name}"
        elif site.cloud in CLOUDS:
            hint = f"remove {name}: ccv knows no {site.cloud} add-on that changes a rule"
        else:
            hint = f"remove {name}: add-ons belong to cloud sites ({_all_addons()})"
        whose = f"an add-on of {site.cloud}" if site.cloud in CLOUDS else "for a cloud site"
        yield Hit(
            f"site {site.id} ({site.cloud}) declares add-on {name!r}, which is not {whose}",
            (site.id,),
            site.origin.child("addons", position),
            hint,
        )
