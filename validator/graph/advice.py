"""The smallest change that lifts a site to a tier: candidates, each verified by re-running
the classification on the changed plan (CCV701's hint).

Candidates, in order: a second line on the site's own POP (when only access protection
is missing: it changes no POP set, so it costs nothing to verify), then backbone
changes — a link joining unreachable POPs, a second link beside a bridge that separates
the site from a peer, a link that bypasses a cut POP, then links that close the backbone
between the members of the site's groups into rings (tried first when the site fails on
more elements than the per-element changes tried) — then a second line on another POP
(same metro first, then backbone neighbours), and last the ring links with a second
line beside the site's own, as one change (what two steps would reach). When no single
change reaches the target, the change that removes the most failures is applied and the
search goes on (up to three changes).

Cost: a site looks at no more than :data:`~validator.graph.failures.LISTED` of its
failing elements and tries a bounded number of candidates, so the advice for S sites is
O(S) steps, not S × path length. Re-classification only re-analyses the groups the site
belongs to; a changed backbone's analysis is shared by every member of those groups
(the ring links of a group are the same for all its members); a budget of fresh
analyses and backbone builds (:data:`MAX_ANALYSES`, and work in proportion to the plan)
keeps the cost bounded and the output deterministic. Past the budget, a change that only
adds backbone links (and maybe a line beside the site's own) to a site on one POP is
still checked exactly from the plan's own bridge tree (:meth:`Advisor.quick_tier`), so
big plans keep verified hints where a ring is the answer."""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from itertools import islice

from validator.graph.analysis import Analysis, backbone_of, classify
from validator.graph.backbone import CUT_POP, Backbone, BLink, Node
from validator.graph.failures import LISTED, Failures, analyse_groups
from validator.sla.tables import tier, tiers

MAX_ANALYSES = 100
MAX_BACKBONES = 12
KEPT_BACKBONES = 4
"""What-if backbones kept in memory at once (each costs as much as the plan's own): an
evicted one is built again when needed, with the same result."""
WORK_PER_ELEMENT = 10
WORK_FLOOR = 100_000
"""The advisor's whole budget of work, in POPs, links and group members analysed or built:
WORK_PER_ELEMENT × the plan's POPs, links and sites, plus WORK_FLOOR (small plans never
reach it; on a big one the what-ifs together cost a few analyses of the plan, not
:data:`MAX_ANALYSES` of them)."""
KEPT_SUBTREES = 64
MAX_STEPS = 3
MAX_LINE_CANDIDATES = 8
MAX_ELEMENT_CANDIDATES = 8
"""Per step, the per-element backbone changes tried (a second link beside one bridge, a
link around one cut POP): each needs an analysis of its own."""


@dataclass(frozen=True)
class Change:
    """One change to the plan: a line of the site on ``pop``, backbone ``links``, or both."""

    text: str
    pop: str | None = None
    links: tuple[tuple[str, str], ...] = ()
    expensive: bool = False  # needs an analysis of its own (a line on a new POP)


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
    """What-if classification of single sites on changed plans, with caches and a budget.

    Failure analysis depends only on POP sets and the backbone, so a change that keeps
    the site's POPs (a second line on the same POP) reuses the plan's analysis, and the
    analysis of a changed backbone is shared by every member of the same groups. Fresh
    analyses and backbone builds are capped (:data:`MAX_ANALYSES`, :data:`MAX_BACKBONES`);
    past the cap the rule falls back to its generic hint, deterministically.
    """

    def __init__(self, an: Analysis) -> None:
        self.an = an
        self.backbones: set[tuple] = {()}  # every link set built so far (the budget counts them)
        self._kept: dict[tuple, Backbone] = {(): an.backbone}  # the last few, most recent last
        self.analyses = 0
        self.work = 0
        plan = an.plan
        self.max_work = (
            WORK_PER_ELEMENT * (len(plan.pops) + len(plan.links) + len(plan.sites)) + WORK_FLOOR
        )
        self.shared: dict[tuple, Failures] = {}
        self.metro = {p.id: p.metro for p in an.plan.pops}
        self._memo: dict[tuple, object] = {}  # ring links per backbone and groups
        self._subtrees: dict[tuple, list | None] = {}  # the last few, most recent last
        self._others: dict[tuple, list[str]] = {}
        self._counts: dict[int, tuple[Failures, int]] = {}  # for the site being advised
        self._sorted_pops: list[str] | None = None
        self._by_metro: dict[str, list[str]] | None = None
        lists: dict[str, list[int]] = {}
        for index, group in enumerate(an.groups):
            for member in set(group.members):
                lists.setdefault(member, []).append(index)
        self.site_groups = {member: tuple(found) for member, found in lists.items()}

    def _spent(self) -> bool:
        return self.analyses >= MAX_ANALYSES or self.work >= self.max_work

    def _pressed(self) -> bool:
        """Past half the budget: prefer cheap changes over the per-site expensive ones."""
        return self.analyses >= MAX_ANALYSES // 2 or self.work >= self.max_work // 2

    def _analyse(self, bb: Backbone, site_pops: dict, groups: list) -> Failures:
        """A fresh analysis of ``groups``, charged to the budget by what it walked (the
        budget is checked before each analysis, so it is overrun by one at most)."""
        self.analyses += 1
        failures = analyse_groups(bb, site_pops, groups)
        self.work += len(bb.pops) + len(bb.links) + len(groups) + failures.visited
        return failures

    def _backbone(self, links: tuple[tuple[str, str], ...]) -> Backbone | None:
        """The plan's backbone plus ``links``; None when it must be built and the budget
        is spent (a build costs as much as an analysis and counts as one)."""
        key = tuple(sorted(links))
        kept = self._kept
        if key in kept:
            kept[key] = kept.pop(key)  # most recently used last
            return kept[key]
        if self._spent() or (key not in self.backbones and len(self.backbones) >= MAX_BACKBONES):
            return None
        extra = tuple(BLink(f"+{a}--{b}#{i}", a, b) for i, (a, b) in enumerate(key))
        if key in self.backbones:  # built before and evicted: built again, and charged
            self.analyses += 1
        self.backbones.add(key)
        kept[key] = backbone_of(self.an.plan, extra)
        self.work += len(kept[key].pops) + len(kept[key].links)
        if len(kept) > KEPT_BACKBONES:  # drop the least recently used what-if, never the plan's
            del kept[next(k for k in kept if k)]
        return kept[key]

    def evaluate(
        self, site: str, state: _State, want: str | None = None
    ) -> tuple[str, Failures] | None:
        """Tier of ``site`` and its failures in the changed plan ``state``.

        When that needs a fresh analysis and the budget is spent: the tier from
        :meth:`quick_tier` if it reaches ``want`` (the failures then empty: a site that
        reaches its target needs no more changes), else None.
        """
        found = self._evaluate(site, state)
        if found is None and want is not None:
            reached = self.quick_tier(site, state)
            if reached is not None and _rank(reached) >= _rank(want):
                return reached, Failures()
        return found

    def quick_tier(self, site: str, state: _State) -> str | None:
        """The tier of a one-POP ``site`` after backbone links are added, from the plan's
        own bridge tree, without a new backbone or analysis; None where it cannot say.

        A bridge stays a bridge unless an added link joins its two sides, that is unless
        it lies on the bridge-tree path between the link's ends; added links inside one
        component make no new bridge. Every bridge on the subtree joining a group's
        members (each on one node of the tree) separates two of them, so a member fails
        exactly when one of those is left. With one POP the site cannot be `highest`, so
        POP failures do not change its tier. O(subtree of its groups + added paths).
        """
        an = self.an
        if state.pops != an.sites[site].pops or len(state.pops) != 1 or not state.links:
            return None
        if site in an.failures.unreachable:
            return None
        bb = an.backbone
        (pop,) = state.pops
        comp = bb.component[pop]
        links = tuple(sorted(state.links))
        if any(bb.component[a] != comp or bb.component[b] != comp for a, b in links):
            return None
        subtree = self._subtree(self.site_groups.get(site, ()), comp)
        if subtree is None:
            return None
        forest, ecc = bb.bridge_forest, bb.ecc
        covered = {e for a, b in links for e in forest.path_elements(ecc[a], ecc[b])}
        if any(e not in covered for e in subtree):
            return "single-unprotected"
        return "dual-protected" if state.lines >= 2 else "single-protected"

    def _subtree(self, indices: tuple, comp: int) -> list | None:
        """Bridges on the subtree of the bridge tree joining the members of groups
        ``indices`` — each separates two members of one group, one of them the site all
        the groups share; None when a member has POPs on several nodes or outside
        component ``comp``. The last :data:`KEPT_SUBTREES` are kept (a segment's is
        shared by its members; one per site with declared flows would be sites × path)."""
        kept = self._subtrees
        if indices in kept:
            kept[indices] = kept.pop(indices)  # most recently used last
            return kept[indices]
        bb = self.an.backbone
        nodes = set()
        found: list | None = None
        groups, site_pops = self.an.groups, self.an.site_pops
        for member in {m for i in indices for m in groups[i].members}:
            pops = site_pops[member]
            mine = {bb.ecc[p] for p in pops}
            if len(mine) != 1 or any(bb.component[p] != comp for p in pops):
                break
            nodes |= mine
        else:
            found = bb.bridge_forest.steiner_elements(nodes)
        kept[indices] = found
        if len(kept) > KEPT_SUBTREES:
            del kept[next(iter(kept))]
        return found

    def _evaluate(self, site: str, state: _State) -> tuple[str, Failures] | None:
        links = tuple(sorted(state.links))
        indices = self.site_groups.get(site, ())
        groups = [self.an.groups[i] for i in indices]
        site_pops = self.an.site_pops
        if state.pops == self.an.sites[site].pops:
            key = (links, indices)
            if key not in self.shared:
                if links:
                    if self._spent():
                        return None
                    bb = self._backbone(links)
                    if bb is None:
                        return None
                    self.shared[key] = self._analyse(bb, site_pops, groups)
                else:
                    self.shared[key] = self.an.failures
            failures = self.shared[key]
        else:
            if self._spent():
                return None
            bb = self._backbone(links)
            if bb is None:
                return None
            # only the members of the site's groups are read: no copy of every site's POPs
            changed = {m: site_pops[m] for g in groups for m in g.members}
            changed[site] = state.pops
            failures = self._analyse(bb, changed, groups)
        has_peer = self.an.sites[site].has_peer
        return classify(state.lines, state.pops, has_peer, site, failures)[0], failures

    def _ring(self, bb: Backbone, links: tuple, indices: tuple, kind: str, comp: int) -> tuple:
        """Links that close the backbone between the members of groups ``indices`` (their
        POPs in backbone component ``comp``) into rings, each ``((a, b), member_a,
        member_b)``.

        The members' nodes in the bridge tree (``kind`` "link") or the block-cut tree
        ("pop") span a subtree; its m leaves, in depth-first order, are joined i-th to
        (i + m//2)-th, ceil(m/2) links, after which no single bridge of that subtree is
        left (Eswaran and Tarjan, "Augmentation problems", SIAM J. Comput. 5(4), 1976).
        Empty when more than :data:`MAX_STEPS` links would be needed or nothing spans.
        Cached per backbone and groups: every member of one segment shares it. O(k log k +
        size of the subtree) for k member POPs.
        """
        key = ("ring", links, indices, kind, comp)
        found = self._memo.get(key)
        if found is not None:
            return found  # type: ignore[return-value]
        forest, node_of = (bb.bridge_forest, bb.ecc) if kind == "link" else (bb.bc_forest, bb.bc)
        on: dict = {}  # node -> (smallest POP on it, the smallest member there)
        site_pops, component, groups = self.an.site_pops, bb.component, self.an.groups
        for member in sorted({m for i in indices for m in groups[i].members}):
            for pop in site_pops.get(member, ()):
                if component[pop] != comp:
                    continue
                node = node_of[pop]
                if node not in on or pop < on[node][0]:
                    on[node] = (pop, member)
        found = ()
        if len(on) >= 2:
            nodes, _, children = forest.virtual_tree(on)
            leaves = [v for v in nodes if not children[v]]
            if len(children[nodes[0]]) == 1:  # a top with one branch is a member's node: a leaf
                leaves.insert(0, nodes[0])
            half = len(leaves) // 2
            count = (len(leaves) + 1) // 2
            if count <= MAX_STEPS:
                found = tuple(
                    (_pair(on[leaves[i]][0], on[leaves[i + half]][0]),)
                    + _ends(on[leaves[i]], on[leaves[i + half]])
                    for i in range(count)
                )
        self._memo[key] = found
        return found

    def _ring_change(self, bb: Backbone, site: str, state: _State, kind: str) -> Change | None:
        """One change adding the ring links of the subtree that joins ``site`` to the
        members of all its groups (at most :data:`MAX_STEPS` links), or None."""
        pops = sorted(state.pops)
        if not pops:
            return None
        comp = bb.component[pops[0]]
        indices = self.site_groups.get(site, ())
        ring = self._ring(bb, tuple(sorted(state.links)), indices, kind, comp)
        fresh = {pair: (a, b) for pair, a, b in ring if pair not in state.links}
        if not fresh:
            return None
        parts = []
        for (a, b), (x, y) in sorted(fresh.items()):
            if y == site:  # named from the site's own end
                a, b, x, y = b, a, y, x
            parts.append(f"{a}–{b} (from POP {a} of {x} to POP {b} of {y})")
        if len(parts) == 1:
            text = f"add a backbone link {parts[0]}, closing the backbone between them into a ring"
        else:
            text = (
                f"add backbone links {', '.join(parts[:-1])} and {parts[-1]}, closing the "
                "backbone between those sites into rings"
            )
        return Change(text, links=tuple(sorted(fresh)))

    def _other_pops(self, bb: Backbone, state: _State) -> list[str]:
        """Up to :data:`MAX_LINE_CANDIDATES` POPs for a line on another POP: same metro
        first, then backbone neighbours, then the rest, each by id.

        Looks only at the first few POPs of each metro, each neighbour list and the whole
        list (cached per backbone and POP set), so a site costs O(its POPs), not O(POPs).
        """
        key = (tuple(sorted(state.links)), state.pops)
        found = self._others.get(key)
        if found is not None:
            return found
        if self._sorted_pops is None:
            self._sorted_pops = sorted(bb.pops)
            by_metro: dict[str, list[str]] = {}
            for pop in self._sorted_pops:
                if self.metro.get(pop):
                    by_metro.setdefault(self.metro[pop], []).append(pop)
            self._by_metro = by_metro
        width = MAX_LINE_CANDIDATES + len(state.pops)
        metro = self.metro
        near = {m for m in (metro.get(p) for p in state.pops) if m}
        neighbours = {n for p in state.pops for n in bb.neighbours(p)}
        pool = set(self._sorted_pops[:width])
        for m in near:
            pool.update(self._by_metro[m][:width])  # type: ignore[index]
        for p in state.pops:
            pool.update(heapq.nsmallest(width, bb.neighbours(p)))
        found = heapq.nsmallest(
            MAX_LINE_CANDIDATES,
            (p for p in pool if p not in state.pops),
            key=lambda p: (metro.get(p) not in near, p not in neighbours, p),
        )
        self._others[key] = found
        return found

    def _candidates(self, site: str, state: _State, failures: Failures, want: str):
        bb = self._backbone(state.links)
        pops = sorted(state.pops)
        needs_line = _rank(want) >= _rank("dual-protected") and (
            state.lines < 2 or (want == "highest" and len(state.pops) < 2)
        )
        if needs_line and want != "highest":
            yield Change(
                f"add a second line to site {site} on POP {pops[0]} (beside its line there)",
                pop=pops[0],
            )
        if bb is None:
            return
        kinds = ("link", "pop") if want == "highest" else ("link",)
        rings = [c for c in (self._ring_change(bb, site, state, k) for k in kinds) if c]
        fixes = _link_fixes(bb, site, state, failures, self.an.site_pops)
        if rings and self._count(failures, site) > MAX_ELEMENT_CANDIDATES:
            # more failing elements than per-element changes would try: one of those
            # cannot reach the target alone; the rings lift every member of the groups
            if site in failures.unreachable:  # the first fix joins the site's island
                yield from (Change(text, links=(pair,)) for text, pair in islice(fixes, 1))
            yield from rings
        else:
            for text, pair in islice(fixes, MAX_ELEMENT_CANDIDATES):
                yield Change(text, links=(pair,))
            yield from rings
        if needs_line:
            for pop in self._other_pops(bb, state):
                yield Change(
                    f"add a second line to site {site} on POP {pop}, another POP than "
                    f"{', '.join(pops)}",
                    pop=pop,
                    expensive=True,
                )
        if needs_line and want != "highest":
            # what two steps would reach (the ring, then a line beside the site's one),
            # as one change: checked at once, even when the budget is spent
            for ring in rings:
                yield Change(
                    f"{ring.text}; and add a second line to site {site} on POP {pops[0]} "
                    "(beside its line there)",
                    pop=pops[0],
                    links=ring.links,
                )

    def _count(self, failures: Failures, site: str) -> int:
        """The site's failures, each table counted up to ``LISTED + 1`` (O(LISTED)); kept
        per analysis while one site is advised (its candidates share analyses)."""
        held = self._counts.get(id(failures))
        if held is None:
            count = (
                (site in failures.unreachable)
                + sum(1 for _ in islice(failures.link_fail.iter(site), LISTED + 1))
                + sum(1 for _ in islice(failures.pop_fail.iter(site), LISTED + 1))
            )
            held = self._counts[id(failures)] = (failures, count)  # the object kept: its id
        return held[1]

    def advise(self, site: str, target: float) -> str | None:
        """The verified smallest change text, or None when none is found within the budget."""
        self._counts = {}
        want = needed_tier(target)
        if want is None:
            return None
        result = self.an.sites[site]
        state = _State(result.pops, len(result.site.lines), ())
        start = self.evaluate(site, state)
        if start is None:
            return None
        current, failures = start
        steps: list[str] = []
        for _ in range(MAX_STEPS):
            best = None
            baseline = (_rank(current), -self._count(failures, site))
            for change in self._candidates(site, state, failures, want):
                if change.expensive and best is not None and best[0] > baseline and self._pressed():
                    continue
                changed = _apply(state, change)
                outcome = self.evaluate(site, changed, want)
                if outcome is None:
                    continue
                reached, after = outcome
                if _rank(reached) >= _rank(want):
                    steps.append(change.text)
                    return "; and ".join(steps) + (
                        f": the site then reaches {reached} ({tier(reached).availability:g} %)"
                    )
                score = (_rank(reached), -self._count(after, site))
                if best is None or score > best[0]:
                    best = (score, change, changed, after)
            if best is None or best[0] <= baseline:
                return None
            _, change, state, failures = best
            steps.append(change.text)
            outcome = self.evaluate(site, state)
            if outcome is None:
                return None
            current = outcome[0]
        return None


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def _ends(x: tuple[str, str], y: tuple[str, str]) -> tuple[str, str]:
    """The members at the two ends of a ring link, in the order of its POPs."""
    return (x[1], y[1]) if x[0] <= y[0] else (y[1], x[1])


def _apply(state: _State, change: Change) -> _State:
    pops, lines = state.pops, state.lines
    if change.pop is not None:
        pops, lines = pops | {change.pop}, lines + 1
    return _State(pops, lines, (*state.links, *change.links))


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
    links = bb.link_by_id
    for link_id, _peer in failures.link_fail.listed(site)[0]:
        link = links[link_id]
        yield from once(
            f"back up backbone link {link_id} with a second link between {link.a} and {link.b}",
            link.a,
            link.b,
        )
    for pop, peer in failures.pop_fail.listed(site)[0]:
        here = [p for p in mine if p != pop]
        there = [p for p in sorted(site_pops[peer]) if p != pop]
        if here and there:
            yield from once(
                f"add a backbone link {here[0]}–{there[0]} (from POP {here[0]} of {site} to "
                f"POP {there[0]} of {peer}, around POP {pop})",
                here[0],
                there[0],
            )
        neighbours = sorted(bb.neighbours(pop))
        forest = bb.bc_forest
        node = Node(CUT_POP, pop)
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
