"""Input rules (CCV100–CCV103): the plan must be well-formed before anything else is trusted."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from itertools import chain
from operator import attrgetter

from validator.asn import parse_asn
from validator.fixes.patch import replace
from validator.model import Origin, is_terraform, object_at
from validator.rules.context import Context
from validator.rules.registry import Hit, rule
from validator.rules.site_keys import site_key_hits
from validator.rules.terraform_checks import drift_hits, unknown_value_hits, unmatched_claim_hits


def _names(data: object, path) -> tuple[str, ...]:
    found = object_at(data, path)
    return (found[-1][1],) if found else ()


@rule(
    "CCV100",
    "schema",
    "error",
    "input violates the topology schema (one finding per violation)",
    "correct the value as the message says; `ccv schema` prints the format",
    stage="input",
)
def check_schema(ctx: Context) -> Iterator[Hit]:
    """The input must follow the topology format, version 1 (`ccv schema`).

    Every violation is reported, not only the first: missing required keys, values of
    the wrong type, unknown keys (with a "did you mean"; keys beginning with `x-` are
    free for your own data), values outside an enumeration (`cloud`), and a `version`
    other than 1. A file that is empty, or whose top level is not a mapping, is one
    violation. Value ranges that a rule owns (VLAN → CCV307, ASN ranges → CCV401) and
    uniqueness (CCV102) are left to those rules, so one mistake gives one finding.

    Keys that depend on the site's cloud are checked here too: an `addons` name the
    site's cloud does not know (its data file's `routes.addons`; the hint lists them),
    and `interconnect` or a line's `circuit` on an `onprem` or `other` site.

    Failing:

        version: 1
        name: demo
        exchange: {asn: 64600}
        sites:
          - {id: aws-hk, cloud: amazon, asn: 64512, cidrs: 10.10.0.0/16}

    (`cloud` must be one of aws, azure, …; `cidrs` must be a list.)
    """
    from validator.schema import violations  # jsonschema: only when a plan is checked

    for doc in ctx.documents:
        if is_terraform(doc):  # read by validator.terraform, not a topology
            continue
        origin = Origin(doc, ())
        if doc.empty:
            yield Hit(
                "the file is empty; a topology is a mapping",
                (),
                origin,
                "start from `ccv schema` or an example in examples/",
            )
            continue
        if doc.extra_documents:
            yield Hit(
                f"the file holds {doc.extra_documents + 1} YAML documents; a topology is one",
                (),
                origin,
                "put each plan in its own file, or remove the '---' separators",
            )
        for violation in violations(doc.data):
            yield Hit(
                violation.message,
                _names(doc.data, violation.path),
                Origin(doc, violation.path),
                violation.hint,
                key=violation.key,
            )
    yield from _malformed_addresses(ctx)
    yield from site_key_hits(ctx)


def _malformed_addresses(ctx: Context) -> Iterator[Hit]:
    """CCV100 hits for ranges and peering addresses that look like CIDR but do not parse.

    The schema's pattern only checks the characters (``10.0.0.300/16`` passes it);
    this reports such a value once, at the value, so range rules can skip it.
    """
    for found in ctx.ranges.malformed:
        source_of = getattr(found.at.doc, "source_of", None)  # a Terraform plan's value
        source = source_of(found.at.path) if source_of is not None else None
        if found.what == "range":
            hint = "write a network with its prefix length, e.g. 10.10.0.0/16 or fd00:10::/48"
        else:
            hint = "write an interface address with its prefix length, e.g. 169.254.10.1/30"
        message = f"{found.text} is not a valid IPv4 or IPv6 {found.what} (address/prefix length)"
        if source is not None:
            message, hint = _malformed_plan_value(found.text, found.what, source)
        yield Hit(
            message,
            _names(found.at.doc.data, found.at.path),
            found.at,
            hint,
        )


def _malformed_plan_value(text: str, what: str, source) -> tuple[str, str]:
    """Message and hint for a malformed value of a Terraform plan, in the plan's terms:
    its resource and attribute, the value as the plan writes it (``model.SourceName``)."""
    label = f"{source.resource}: {source.attribute}"
    if source.form == "address":
        written = text.split("/", 1)[0]
        return (
            f"{label} {written} is not a valid IPv4 address",
            f"write an IPv4 address, e.g. {source.attribute.rsplit('.', 1)[-1]} = "
            '"169.254.10.1"'
            + (f" (the prefix length goes in {source.mask})" if source.mask else ""),
        )
    if source.form == "prefix":
        return (
            f"{label} {text} is not a valid IPv4 or IPv6 prefix (network/prefix length)",
            f"write the peering subnet, e.g. {source.attribute.rsplit('.', 1)[-1]} = "
            '"192.168.100.128/30"',
        )
    if what == "range":
        return (
            f"{label} {text} is not a valid IPv4 or IPv6 range (network/prefix length)",
            f"write a network with its prefix length, e.g. {source.attribute.rsplit('.', 1)[-1]}"
            ' = "10.10.0.0/16"',
        )
    return (
        f"{label} {text} is not a valid IPv4 or IPv6 address (address/prefix length)",
        "write an interface address with its prefix length, e.g. "
        f'{source.attribute.rsplit(".", 1)[-1]} = "169.254.10.1/30"',
    )


_ID, _POP, _MEMBERS = attrgetter("id"), attrgetter("pop"), attrgetter("sites")


def _any_unknown(names: Iterable[str | None], known: set[str], blank: str | None) -> bool:
    """True when a name among ``names`` other than ``blank`` (what names nothing) is not
    in ``known``. A set difference built in C: the loops that locate and report unknown
    names run only when there is one (a plan usually has none)."""
    unknown = set(names) - known
    unknown.discard(blank)
    return bool(unknown)


@rule(
    "CCV101",
    "unknown-reference",
    "error",
    "a reference names no defined object",
    "define the object, or correct the id to one that exists",
    stage="input",
)
def check_references(ctx: Context) -> Iterator[Hit]:
    """Every reference must name a defined object: a line's `pop`, a backbone link's `a`
    and `b`, a segment's `sites`, a flow's `from` and `to`; with `--merge`, each address a
    site claims in `terraform:` must name a resource of the merged Terraform plans. The
    two ends of a flow (of a backbone link) must name two different sites (POPs): a flow
    `{from: a, to: a}` is reported here, not later as a site without a peer.

    The finding names the referencing object; the hint lists the closest defined ids.

    Failing:

        pops: [{id: HKG1}]
        backbone: [{a: HKG1, b: SIN1}]      # SIN1 is not a POP
    """
    plan = ctx.plan
    pops = set(map(_ID, plan.pops))
    sites = set(map(_ID, plan.sites))

    def hit(kind: str, name: str, owner: str, origin: Origin, known: set[str], role: str):
        close = difflib.get_close_matches(name, sorted(known), n=3, cutoff=0.5)
        suggestion = f"did you mean {', '.join(close)}? " if close else ""
        section = "pops" if kind == "POP" else "sites"
        default = f"{suggestion}define {kind} '{name}' under {section}, or use a defined id"
        # One clearly closest id (a typo, a case slip): the fix uses it. The plan's other
        # checks start once the input is clean, so the engine's verification decides.
        best = _definite_match(name, known)
        if best:
            return Hit(
                f"{role} names {kind} '{name}', which is not defined",
                (owner,),
                origin,
                f"did you mean {best}? write '{best}' (or define {kind} '{name}' under {section})",
                fix=[replace(origin, best)],
                fallback=default,
            )
        return Hit(f"{role} names {kind} '{name}', which is not defined", (owner,), origin, default)

    lines = plan.lines()
    for line in lines if _any_unknown(map(_POP, lines), pops, None) else ():
        if line.pop is not None and line.pop not in pops:
            yield hit(
                "POP",
                line.pop,
                line.id,
                line.origin.child("pop"),
                pops,
                f"line {line.id} of site {line.site}",
            )
    for link in plan.links:
        for end in ("a", "b"):
            name = getattr(link, end)
            if name not in pops:
                yield hit(
                    "POP",
                    name,
                    link.id,
                    link.origin.child(end),
                    pops,
                    f"backbone link {link.id} end '{end}'",
                )
    members = chain.from_iterable(map(_MEMBERS, plan.segments))
    for segment in plan.segments if _any_unknown(members, sites, "") else ():
        for index, member in enumerate(segment.sites):
            if member and member not in sites:  # an empty one is CCV100's
                yield hit(
                    "site",
                    member,
                    segment.id,
                    segment.origin.child("sites", index),
                    sites,
                    f"segment {segment.id}",
                )
    for flow in plan.flows:
        for end, name in (("from", flow.source), ("to", flow.target)):
            if name not in sites:
                yield hit(
                    "site",
                    name,
                    flow.name,
                    flow.origin.child(end),
                    sites,
                    f"flow {flow.name} '{end}'",
                )
    yield from _same_ends(plan)
    yield from unmatched_claim_hits(plan)


def _same_ends(plan) -> Iterator[Hit]:
    """A flow and a backbone link join two different objects: one that names the same
    site (POP) at both ends is a mistake, not a path to check."""
    for flow in plan.flows:
        if flow.source == flow.target:
            yield Hit(
                f"flow {flow.name} 'to' names its own 'from' site {flow.source}: a flow must "
                "join two different sites",
                (flow.name,),
                flow.origin.child("to"),
                f"set 'to' to the site {flow.source} sends to, or remove the flow",
            )
    for link in plan.links:
        if link.a == link.b:
            yield Hit(
                f"backbone link {link.id} 'b' names its own 'a' POP {link.a}: a backbone link "
                "must join two different POPs",
                (link.id,),
                link.origin.child("b"),
                f"set 'b' to the POP the link reaches from {link.a}, or remove the link",
            )


def _folded(text: str) -> str:
    return "".join(c for c in text.lower() if c not in "-_ .")


def _definite_match(name: str, known: set[str]) -> str | None:
    """The one defined id that ``name`` is a slip of: the same but for letter case or
    separators, or two neighbouring characters swapped (``HGK1`` for ``HKG1``). A name
    one character away from several ids, or from a sibling (``dc-b`` next to ``dc-a``),
    is no slip but perhaps a missing object: no match."""
    folded = _folded(name)
    found = {k for k in known if _folded(k) == folded}
    if not found:
        swaps = {name[:i] + name[i + 1] + name[i] + name[i + 2 :] for i in range(len(name) - 1)} - {
            name
        }
        found = {k for k in known if k in swaps}
    return next(iter(found)) if len(found) == 1 else None


@rule(
    "CCV102",
    "duplicate-id",
    "error",
    "two objects of one kind share an id",
    "give every object of a kind its own id",
    stage="input",
)
def check_duplicate_ids(ctx: Context) -> Iterator[Hit]:
    """Identifiers are unique within their kind: sites, lines (across all sites), POPs,
    backbone links and segments. Each repetition after the first is reported where it
    is written.

    A backbone link without an `id` is named `A--B` from its ends as written, so two
    unnamed parallel links between the same POPs collide; name them to keep both.

    Failing:

        backbone:
          - {a: HKG1, b: SIN1}
          - {a: HKG1, b: SIN1}     # both are "HKG1--SIN1"
    """
    plan = ctx.plan
    kinds = (
        ("site", plan.sites),
        ("line", plan.lines()),
        ("POP", plan.pops),
        ("link", plan.links),
        ("segment", plan.segments),
    )
    for kind, objects in kinds:
        if len(set(map(_ID, objects))) == len(objects):
            continue  # no id repeats: the common case, one set per kind (built in C)
        first: dict[str, object] = {}
        for obj in objects:
            ident = obj.id
            if ident not in first:
                first[ident] = obj
                continue
            written = getattr(obj, "id_written", True)
            at = obj.origin.child("id") if written else obj.origin
            earlier = first[ident].origin  # type: ignore[attr-defined]
            line, _ = earlier.doc.locate(earlier.path)
            place = f"{earlier.doc.name}:{line}"
            hint = f"rename one of them; the first {kind} '{ident}' is at {place}"
            if kind == "link" and not written:
                hint = (
                    f"parallel links need ids of their own: add `id:` to each "
                    f"(the first is at {place})"
                )
            yield Hit(f"{kind} id '{ident}' is already used (first at {place})", (ident,), at, hint)


@rule(
    "CCV103",
    "duplicate-key",
    "error",
    "a mapping repeats a key (YAML and JSON loaders would silently keep the last)",
    "keep one of the two keys; merge their values if both matter",
    stage="input",
)
def check_duplicate_keys(ctx: Context) -> Iterator[Hit]:
    """A mapping must not repeat a key. Ordinary YAML and JSON loaders keep the last
    value without a word, so half of what you wrote would silently vanish; ccv reports
    the repetition (and, like those loaders, uses the last value for the other checks).

    Failing:

        - id: aws-hk
          cidrs: [10.10.0.0/16]
          cidrs: [10.11.0.0/16]     # the first list would be lost
    """
    for doc in ctx.documents:
        for dup in doc.duplicate_keys:
            key = dup.path[-1]
            where = ""
            parents = object_at(doc.data, dup.path[:-1])
            if parents:
                where = f" in {parents[-1][0]} {parents[-1][1]}"
            first = f" (first on line {dup.first[0]})" if dup.first else ""
            yield Hit(
                f"key '{key}' is repeated{where}{first}; only the last value would be kept",
                _names(doc.data, dup.path[:-1]),
                Origin(doc, dup.path),
                key=True,
                position=dup.second,
            )


@rule(
    "CCV104",
    "value-unknown",
    "info",
    "a value a rule needs is known only after apply (or is sensitive), so it is not checked",
    "check again once the value is known (terraform show -json on the state after apply), "
    "or set it in the configuration",
)
def check_value_unknown(ctx: Context) -> Iterator[Hit]:
    """A Terraform plan leaves some values unknown until apply (`after_unknown`): a new
    subnet's `vpc_id`, a range taken from IPAM, the addresses Google assigns to an
    interconnect attachment. ccv never guesses them: each value a rule needs and cannot
    have is reported once, naming the resource address and the attribute, and the rule
    skips it — it is neither a conflict nor a pass. Values the plan marks sensitive are
    treated the same way: ccv reads no sensitive value.

    A value the cloud assigns unless the configuration sets it (a new VPC's
    `ipv6_cidr_block`) counts only when the configuration sets it. Where the network of
    a subnet is unknown, ccv first follows the configuration's references and the
    module's only network of that cloud; CCV104 is for what is left.

    Reported: `aws_vpc.main` with `cidr_block = aws_vpc_ipam_preview_next_cidr.x.cidr`
    (unknown in the plan): "aws_vpc.main: cidr_block is known only after apply".
    """
    yield from unknown_value_hits(ctx.plan)


@rule(
    "CCV105",
    "terraform-drift",
    "error",
    "a topology site and the Terraform resource it claims disagree on a range, ASN, VLAN "
    "or peering address",
    "make the topology (the order) and the Terraform code agree; the message names both values",
)
def check_terraform_drift(ctx: Context) -> Iterator[Hit]:
    """With `--merge`, a topology site claims Terraform resources with
    `terraform: [ADDRESS, …]` (a trailing `*` matches instances). The claimed network's
    ranges, ASN and interconnects (VLAN, peering addresses) are the site's; where the
    site declares them too and they differ, the order and the code disagree: one of the
    two will be wrong once the connection is ordered. The finding names both values.
    A VIF's `bgp_asn` (and the other interconnects' peer ASNs) must be the exchange's.

    Failing (topology and `aws.json` merged):

        sites:
          - id: aws-hk
            terraform: [module.net.aws_vpc.main]   # cidr_block 10.20.0.0/16 in the plan
            cidrs: [10.10.0.0/16]
    """
    yield from drift_hits(ctx.plan)


@rule(
    "CCV106",
    "merge-conflict",
    "error",
    "files merged into one plan disagree on a plan-wide value (the exchange's ASN or as_override)",
    "make the value the same in every file of the merged plan; the message names both files",
)
def check_merge_conflict(ctx: Context) -> Iterator[Hit]:
    """With `--merge`, the topology files form one plan with one exchange (the carrier's
    virtual router): `exchange.asn`, and `exchange.as_override` where both files write
    it, must be the same in every file. Without this rule the first file would silently
    win. Reported in each later file that disagrees, naming both values and both files.
    `name` may differ (each team names its own file), and a top-level `sla_target` is
    the default of its own file's sites only, so neither conflicts. A Terraform plan's
    exchange facts are compared with the topology by CCV105.

    Failing (merged): `exchange: {asn: 64600}` in carrier.yaml and
    `exchange: {asn: 64601}` in dc.yaml. Passing (near miss): both `asn: 64600`, one
    file with `as_override: true` and the other without it.
    """
    first: dict[str, tuple[object, str]] = {}
    for doc in ctx.documents:
        exchange = doc.data.get("exchange") if isinstance(doc.data, dict) else None
        if is_terraform(doc) or not isinstance(exchange, dict):
            continue
        written = {"asn": parse_asn(exchange.get("asn"))}
        if isinstance(exchange.get("as_override"), bool):
            written["as_override"] = exchange["as_override"]
        for key, value in written.items():
            if value is None:
                continue
            if key not in first:
                first[key] = (value, doc.name)
                continue
            earlier, where = first[key]
            if value != earlier:
                shown, was = (str(v).lower() for v in (value, earlier))
                yield Hit(
                    f"exchange.{key} is {shown} in {doc.name} but {was} in {where}: the "
                    "files of one merged plan share one exchange",
                    (),
                    Origin(doc, ("exchange", key)),
                    f"set exchange.{key} to the same value in {doc.name} and {where}",
                )
