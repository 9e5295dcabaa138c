"""One result object for every output format: the semantic diff plus what it means.

`build_report` runs the analyses over the two rendered sides (object matching, ApplicationSet
preview, blast radius, deletion budget, cost delta); the formatters only read the report.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from fractions import Fraction

from infraforge.cost.estimate import estimate
from infraforge.diff.blast import BlastRadius, blast_radius, shared_changes
from infraforge.diff.budget import DeletionBudget, deletion_budget
from infraforge.diff.documents import Location
from infraforge.diff.match import ADDED, REMOVED, RENAMED, ObjectChange, compare_trees
from infraforge.diff.preview import CHANGE, CREATE, DELETE, AppKey, Preview, preview
from infraforge.diff.sides import Sides
from infraforge.model.prices import Prices

EXIT_SAME, EXIT_CHANGED, EXIT_ERROR = 0, 1, 2
SIGN = {ADDED: "+", REMOVED: "-"}  # changed and moved are "~"; renamed, see `kinds`


@dataclass(frozen=True)
class CostDelta:
    currency: str
    units: tuple[tuple[str, str, Fraction, Fraction], ...]  # env, tenant, before, after

    @property
    def delta(self) -> Fraction:
        return sum((after - before for *_, before, after in self.units), Fraction(0))


@dataclass(frozen=True)
class DiffReport:
    base: str
    head: str
    objects: tuple[ObjectChange, ...]
    other_files: tuple[tuple[str, str], ...]
    preview: Preview
    blast: BlastRadius
    budget: DeletionBudget
    cost: CostDelta
    notes: tuple[str, ...]

    @property
    def has_changes(self) -> bool:
        return bool(self.objects or self.preview.changes)

    @property
    def exit_code(self) -> int:
        if self.budget.blocking:
            return EXIT_ERROR
        return EXIT_CHANGED if self.has_changes else EXIT_SAME

    def apps(self) -> dict[str, list[AppKey]]:
        """Applications to create, change (definition or deployed content) and delete."""
        by_action: dict[str, list[AppKey]] = {CREATE: [], CHANGE: [], DELETE: []}
        for change in self.preview.changes:
            by_action[change.action].append(change.app.key)
        directories = self.preview.by_directory()
        for change in self.objects:
            app = directories.get(change.location.directory)
            if app is not None and app.key in self.preview.base and app.key in self.preview.head:
                by_action[CHANGE].append(app.key)
        return {action: sorted(set(keys)) for action, keys in by_action.items()}

    def kinds(self) -> dict[str, Counter[str]]:
        """Per kind, how many objects are created (+), changed (~) and deleted (-).

        A rename is a replacement for Kubernetes (the name is the identity): it counts as
        one delete and one create, as a plan's "-/+" does."""
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for change in self.objects:
            for sign in ("+", "-") if change.action == RENAMED else (
                    SIGN.get(change.action, "~"),):
                counts[change.identity.kind][sign] += 1
        return dict(sorted(counts.items()))

    def by_location(self) -> dict[Location, list[ObjectChange]]:
        grouped: dict[Location, list[ObjectChange]] = defaultdict(list)
        for change in self.objects:
            grouped[change.location].append(change)
        return dict(sorted(grouped.items()))


def build_report(sides: Sides, allow_delete: bool) -> DiffReport:
    base, head = sides.base, sides.head
    trees = compare_trees(base.files, head.files, canonical=base.canonical and head.canonical)
    apps = preview(base.files, head.files)
    shared = shared_changes(base.shared_inputs, head.shared_inputs, sides.generator_changes)
    limits = [side.platform.limits.maxDeletedApplications for side in (base, head)
              if side.platform is not None]
    prices = head.platform.prices if head.platform is not None else Prices()
    return DiffReport(
        base=base.label, head=head.label, objects=trees.objects, other_files=trees.other_files,
        preview=apps, blast=blast_radius(trees.objects, base.files, head.files, shared),
        budget=deletion_budget(apps.changes, limits, allow_delete),
        cost=cost_delta(base.files, head.files, prices), notes=_notes(sides) + apps.notes)


def cost_delta(base: dict, head: dict, prices: Prices) -> CostDelta:
    """The estimate of the files that differ, before and after, at head's prices."""
    changed = [p for p in base.keys() | head.keys() if base.get(p) != head.get(p)]
    before = estimate(base, prices, changed).by_unit()
    after = estimate(head, prices, changed).by_unit()
    units = []
    for key in sorted(before.keys() | after.keys()):
        old = before[key].total if key in before else Fraction(0)
        new = after[key].total if key in after else Fraction(0)
        if old != new:
            units.append((*key, old, new))
    return CostDelta(prices.currency, tuple(units))


def _notes(sides: Sides) -> tuple[str, ...]:
    if not sides.generator_changes:
        return ()
    count = len(sides.generator_changes)
    if sides.own_generator:
        return ((f"generator/ differs ({count} file(s)): base was rendered with its own "
                "generator, so template changes are part of this diff"),)
    return ((f"generator/ differs ({count} file(s)); both sides were rendered with head's "
            "generator, so only catalog changes show; pass --base-generator to include the "
            "generator's own effect"),)
