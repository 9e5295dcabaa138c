"""The deletion budget: a change may not quietly delete prod Applications, or many at once.

ArgoCD deletes an Application (and, with pruning, what it deployed) when its generator element
disappears; a bad merge or a typo in a tenant list can do that to hundreds. So a diff that
deletes any prod Application, or more than `spec.limits.maxDeletedApplications` in all, is an
error unless the change is approved with `--allow-delete` (CI maps a PR label to it). The limit
is the lower of base's and head's, so a change cannot raise its own budget.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from infraforge.diff.preview import DELETE, AppChange

PROD = "prod"


@dataclass(frozen=True)
class DeletionBudget:
    limit: int
    deleted: tuple[str, ...]  # env/name of every Application the change deletes
    prod: tuple[str, ...]     # the prod ones among them
    allowed: bool             # --allow-delete was given

    @property
    def breached(self) -> bool:
        return bool(self.prod) or len(self.deleted) > self.limit

    @property
    def blocking(self) -> bool:
        return self.breached and not self.allowed

    def message(self) -> str:
        reasons = []
        if self.prod:
            reasons.append(f"it deletes {len(self.prod)} prod Application(s): "
                           + ", ".join(self.prod))
        if len(self.deleted) > self.limit:
            reasons.append(f"it deletes {len(self.deleted)} Applications, more than the "
                           f"limit of {self.limit} (spec.limits.maxDeletedApplications)")
        verdict = ("allowed by --allow-delete" if self.allowed else
                   "refused; if this is intended, re-run with --allow-delete (in CI: add the "
                   "PR label infraforge/allow-delete)")
        return "deletion budget exceeded: " + "; ".join(reasons) + f" - {verdict}"


def deletion_budget(changes: Iterable[AppChange], limits: Iterable[int],
                    allowed: bool) -> DeletionBudget:
    deleted = [c.app for c in changes if c.action == DELETE]
    names = tuple(f"{app.environment}/{app.name}" for app in deleted)
    prod = tuple(f"{app.environment}/{app.name}" for app in deleted if app.environment == PROD)
    return DeletionBudget(min(limits), names, prod, allowed)
