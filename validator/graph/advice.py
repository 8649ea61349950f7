"""The smallest change that lifts a site to a tier: candidates, each verified by re-running
the classification on the changed plan (CCV701's hint).

Candidates, smallest first: a second line (on the same POP when only access protection
is missing, else on another POP: same metro first, then backbone neighbours), a second
link beside a bridge that separates the site from a peer, a link that bypasses a cut
POP, a link joining unreachable POPs. When no single change reaches the target, the
change that removes the most failures is applied and the search goes on (up to three
changes). Re-classification only re-analyses the groups the site belongs to; changed
backbones are built once and cached. A global budget keeps the cost bounded.
"""

from __future__ import annotations

from dataclasses import dataclass

from validator.graph.analysis import Analysis, backbone_of, classify
from validator.graph.backbone import Backbone, BLink
from validator.graph.failures import Failures, analyse_groups
from validator.sla.tables import tier, tiers

MAX_EVALUATIONS = 400
MAX_STEPS = 3
MAX_LINE_CANDIDATES = 8


@dataclass(frozen=True)
class Change:
    """One change to the plan: a line of the site on ``pop``, or a backbone ``link``."""

    text: str
    pop: str | None = None
    link: tuple[str, str] | None = None


@dataclass
class _State:
    pops: frozenset[str]
    lines: int
    links: tuple[tuple[str, str], ...]


def needed_tier(target: float) -> str | None:
    """The weakest tier whose committed availability meets ``target`` (None: none does)."""
    for entry in tiers():
        if entry.availability >= target:
            return entry.id
    return None


def _rank(tier_id: str) -> int:
    ids = [t.id for t in tiers()]
    return ids.index(tier_id) if tier_id in ids else -1


class Advisor:
    """What-if classification of single sites on changed plans, with caches and a budget."""

    def __init__(self, an: Analysis) -> None:
        self.an = an
        self.backbones: dict[tuple, Backbone] = {(): an.backbone}
        self.evaluations = 0

    def _backbone(self, links: tuple[tuple[str, str], ...]) -> Backbone:
        key = tuple(sorted(links))
        if key not in self.backbones:
            extra = tuple(BLink(f"+{a}--{b}#{i}", a, b) for i, (a, b) in enumerate(key))
            self.backbones[key] = backbone_of(self.an.plan, extra)
        return self.backbones[key]

    def evaluate(self, site: str, state: _State) -> tuple[str, Failures]:
        """Tier of ``site`` and its failures in the changed plan ``state``."""
        self.evaluations += 1
        bb = self._backbone(state.links)
        site_pops = dict(self.an.site_pops)
        site_pops[site] = state.pops
        groups = [g for g in self.an.groups if site in g.members]
        failures = analyse_groups(bb, site_pops, groups)
        has_peer = self.an.sites[site].has_peer
        return classify(state.lines, state.pops, has_peer, site, failures)[0], failures

    def _candidates(self, site: str, state: _State, failures: Failures, want: str):
        an = self.an
        bb = self._backbone(state.links)
        pops = sorted(state.pops)
        metro = {p.id: p.metro for p in an.plan.pops}
        if _rank(want) >= _rank("dual-protected") and (
            state.lines < 2 or (want == "highest" and len(state.pops) < 2)
        ):
            others = [p for p in bb.pops if p not in state.pops]
            near = {m for m in (metro.get(p) for p in pops) if m}
            neighbours = {n for p in pops for n in bb.graph.neighbors(p)}
            others.sort(key=lambda p: (metro.get(p) not in near, p not in neighbours, p))
            order = ([] if want == "highest" else pops[:1]) + others[:MAX_LINE_CANDIDATES]
            for pop in order:
                where = (
                    f"on POP {pop} (beside its line there)"
                    if pop in state.pops
                    else f"on POP {pop}, another POP than {', '.join(pops)}"
                )
                yield Change(f"add a second line to site {site} {where}", pop=pop)
        for text, pair in _link_fixes(bb, site, state, failures, an.site_pops):
            yield Change(text, link=pair)

    def advise(self, site: str, target: float) -> str | None:
        """The verified smallest change text, or None when the budget is spent or none works."""
        want = needed_tier(target)
        if want is None:
            return None
        result = self.an.sites[site]
        state = _State(result.pops, len(result.site.lines), ())
        current, failures = self.evaluate(site, state)
        steps: list[str] = []
        for _ in range(MAX_STEPS):
            best = None
            for change in self._candidates(site, state, failures, want):
                if self.evaluations >= MAX_EVALUATIONS:
                    return None
                changed = _apply(state, change)
                reached, after = self.evaluate(site, changed)
                if _rank(reached) >= _rank(want):
                    steps.append(change.text)
                    return "; and ".join(steps) + (
                        f": the site then reaches {reached} ({tier(reached).availability:g} %)"
                    )
                score = (_rank(reached), -_count(after))
                if best is None or score > best[0]:
                    best = (score, change, changed, after)
            if best is None or best[0] <= (_rank(current), -_count(failures)):
                return None
            _, change, state, failures = best
            steps.append(change.text)
            current = self.evaluate(site, state)[0]
        return None


def _count(failures: Failures) -> int:
    return (
        len(failures.unreachable)
        + sum(len(v) for v in failures.link_fail.values())
        + sum(len(v) for v in failures.pop_fail.values())
    )


def _apply(state: _State, change: Change) -> _State:
    if change.pop is not None:
        return _State(state.pops | {change.pop}, state.lines + 1, state.links)
    return _State(state.pops, state.lines, (*state.links, change.link))


def _link_fixes(bb: Backbone, site: str, state: _State, failures: Failures, site_pops):
    """Backbone changes that remove one of the site's failures: (text, (a, b))."""
    mine = sorted(state.pops)
    seen: set[tuple[str, str]] = set()

    def once(text: str, a: str, b: str):
        key = tuple(sorted((a, b)))
        if a != b and key not in seen:
            seen.add(key)
            yield text, key

    witness = failures.unreachable.get(site)
    if witness is not None:
        other = sorted(site_pops[witness])[0]
        yield from once(
            f"add a backbone link between {mine[0]} and {other} so {site} reaches {witness}",
            mine[0],
            other,
        )
    links = {k.id: k for k in bb.links}
    for link_id, _peer in sorted(failures.link_fail.get(site, {}).items()):
        link = links[link_id]
        yield from once(
            f"back up backbone link {link_id} with a second link between {link.a} and {link.b}",
            link.a,
            link.b,
        )
    for pop, peer in sorted(failures.pop_fail.get(site, {}).items()):
        here = [p for p in mine if p != pop]
        there = [p for p in sorted(site_pops[peer]) if p != pop]
        if here and there:
            yield from once(
                f"add a backbone link {here[0]}–{there[0]} (from POP {here[0]} of {site} to "
                f"POP {there[0]} of {peer}, around POP {pop})",
                here[0],
                there[0],
            )
        neighbours = sorted(bb.graph.neighbors(pop)) if pop in bb.graph else []
        forest = bb.bc_forest
        node = ("p", pop)
        if node in forest.elements and len(neighbours) >= 2:
            by_piece: dict = {}
            for n in neighbours:
                by_piece.setdefault(forest.piece(bb.bc[n], node), n)
            firsts = sorted(by_piece.values())
            for i in range(len(firsts) - 1):
                yield from once(
                    f"add a backbone link {firsts[i]}–{firsts[i + 1]} that bypasses POP {pop}",
                    firsts[i],
                    firsts[i + 1],
                )
