"""Who may change what: roles, the audited actions, the person (or program) making a change, the role policy.

Three roles, each with the rights of the one below: a viewer reads and exports; an editor also imports files, edits
the planned flows, saves and deletes scenarios, mapping profiles and snapshots, and reconciles the bank (matching runs,
decisions, hand matches, categorisation rules); an admin also replaces or empties the whole database (the demo, a
start from empty). The store checks the role in every function that writes (Store.actor) and audits the change under
its action, so a hidden button is never the only guard. Without a login, the dashboard and the CLI act as the OS
user, admin.
"""

from __future__ import annotations

import getpass
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from forecasting.core.errors import AccessDenied, InputError


class Role(IntEnum):
    """A role; a higher one has every right of the lower ones."""

    VIEWER = 1
    EDITOR = 2
    ADMIN = 3

    @property
    def label(self) -> str:
        """Return the role's name as settings and the audit table write it ('viewer', 'editor', 'admin')."""
        return self.name.lower()


# The changes the store records in its audit table, each named `area.verb`, and the least role that may make each.
# An import is `import.<kind>` (import_action): the file's kind says what it changed (invoices, rates, accounts...).
IMPORT = "import"  # the family of imports: may(IMPORT) is whether a role may import any file
MAPPING_SAVE = "mapping.save"
PLANNED_FLOWS_EDIT = "planned-flows.edit"
SCENARIO_SAVE = "scenario.save"
SCENARIO_DELETE = "scenario.delete"
SNAPSHOT_CREATE = "snapshot.create"
SNAPSHOT_DELETE = "snapshot.delete"
RECONCILE_RUN = "reconcile.run"
RECONCILE_ACCEPT = "reconcile.accept"
RECONCILE_REJECT = "reconcile.reject"
RECONCILE_UNDO = "reconcile.undo"
RECONCILE_MATCH = "reconcile.match"  # a match by hand
RULES_ADD = "rules.add"
RULES_EDIT = "rules.edit"  # the rules' table edited in the dashboard: rows added, changed, deleted
RULES_DELETE = "rules.delete"
REPLACE_ALL = "database.replace"
START_FROM_EMPTY = "database.empty"
NEEDED_ROLE: dict[str, Role] = {
    IMPORT: Role.EDITOR, MAPPING_SAVE: Role.EDITOR, PLANNED_FLOWS_EDIT: Role.EDITOR, SCENARIO_SAVE: Role.EDITOR,
    SCENARIO_DELETE: Role.EDITOR, SNAPSHOT_CREATE: Role.EDITOR, SNAPSHOT_DELETE: Role.EDITOR,
    RECONCILE_RUN: Role.EDITOR, RECONCILE_ACCEPT: Role.EDITOR, RECONCILE_REJECT: Role.EDITOR,
    RECONCILE_UNDO: Role.EDITOR, RECONCILE_MATCH: Role.EDITOR, RULES_ADD: Role.EDITOR, RULES_EDIT: Role.EDITOR,
    RULES_DELETE: Role.EDITOR, REPLACE_ALL: Role.ADMIN, START_FROM_EMPTY: Role.ADMIN,
}
ACTION_WORDS: dict[str, str] = {  # how a refusal names the change
    IMPORT: "import files", MAPPING_SAVE: "save column mappings", PLANNED_FLOWS_EDIT: "change the planned flows",
    SCENARIO_SAVE: "save scenarios", SCENARIO_DELETE: "delete scenarios", SNAPSHOT_CREATE: "freeze the forecast",
    SNAPSHOT_DELETE: "delete snapshots", RECONCILE_RUN: "run the bank matching",
    RECONCILE_ACCEPT: "accept bank matches", RECONCILE_REJECT: "reject bank matches",
    RECONCILE_UNDO: "undo bank matches", RECONCILE_MATCH: "match bank movements by hand",
    RULES_ADD: "add categorisation rules", RULES_EDIT: "change the categorisation rules",
    RULES_DELETE: "delete categorisation rules", REPLACE_ALL: "replace the whole database",
    START_FROM_EMPTY: "empty the database",
}


def import_action(kind: str) -> str:
    """Return the audited action of importing a file of `kind` (e.g. 'import.receivables')."""
    return f"{IMPORT}.{kind}"


def _family(action: str) -> str:
    """Return the key of NEEDED_ROLE and ACTION_WORDS for `action`: an import of any kind is an import."""
    return IMPORT if action.startswith(IMPORT + ".") else action


@dataclass(frozen=True)
class Actor:
    """Who makes a change: a name (an e-mail address, or the OS user), a role (None: signed out) and through what."""

    who: str
    role: Role | None
    via: str = "cli"  # 'cli' or 'dashboard'

    def may(self, action: str) -> bool:
        """Return whether this actor's role allows `action`."""
        return self.role is not None and self.role >= NEEDED_ROLE.get(_family(action), Role.ADMIN)

    def require(self, action: str) -> None:
        """Raise AccessDenied unless this actor's role allows `action`."""
        if not self.may(action):
            role = self.role.label if self.role is not None else "not signed in"
            needed = NEEDED_ROLE.get(_family(action), Role.ADMIN).label
            raise AccessDenied(f"{self.who} ({role}) may not {ACTION_WORDS.get(_family(action), action)}: "
                               f"this needs the {needed} role; ask an administrator of the dashboard")


def local_actor(via: str = "cli") -> Actor:
    """Return the OS user running this process, admin: the CLI, and the dashboard when it has no login."""
    try:
        who = getpass.getuser()
    except (KeyError, OSError):  # a container user without a passwd entry
        who = "unknown"
    return Actor(who=who, role=Role.ADMIN, via=via)


def _emails(value: Any, setting: str) -> frozenset[str]:
    """Return a settings list of e-mail addresses, lower-cased; raise InputError for anything else."""
    if value is None:
        return frozenset()
    if isinstance(value, str) or not isinstance(value, Iterable) or not all(isinstance(v, str) for v in value):
        raise InputError(f"secrets.toml [cashpilot.roles] {setting}: expected a list of e-mail addresses, "
                         f'e.g. {setting} = ["ana@example.com"], found {value!r}')
    return frozenset(v.strip().lower() for v in value)


def _role(value: Any, setting: str) -> Role | None:
    """Return a role named in settings ('viewer', 'editor', 'admin'; 'none' or absent: None)."""
    if value is None or str(value).lower() == "none":
        return None
    try:
        return Role[str(value).upper()]
    except KeyError:
        raise InputError(f"secrets.toml [cashpilot.roles] {setting}: {value!r} is not a role; expected viewer, "
                         "editor, admin or none") from None


@dataclass(frozen=True)
class RolePolicy:
    """How a signed-in person's role is found: lists of e-mail addresses, else an identity-provider claim, else a default."""

    admins: frozenset[str] = frozenset()
    editors: frozenset[str] = frozenset()
    viewers: frozenset[str] = frozenset()
    claim: str | None = None  # e.g. "roles" or "groups": a text or a list of texts in the identity token
    claim_values: Mapping[Role, str] = field(default_factory=lambda: {r: r.label for r in Role})
    default: Role | None = Role.VIEWER  # a signed-in person found nowhere above (None: no access)

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> RolePolicy:
        """Return the policy of a [cashpilot.roles] settings table; raise InputError on a wrong setting."""
        known = {"admins", "editors", "viewers", "claim", "claim_values", "default"}
        unknown = sorted(set(settings) - known)
        if unknown:
            raise InputError(f"secrets.toml [cashpilot.roles]: unknown setting {', '.join(unknown)}; expected "
                             f"{', '.join(sorted(known))}")
        values = dict(settings.get("claim_values") or {})
        claim_values = {r: str(values.get(r.label, r.label)) for r in Role}
        return cls(admins=_emails(settings.get("admins"), "admins"),
                   editors=_emails(settings.get("editors"), "editors"),
                   viewers=_emails(settings.get("viewers"), "viewers"),
                   claim=str(settings["claim"]) if settings.get("claim") else None,
                   claim_values=claim_values,
                   default=_role(settings.get("default", "viewer"), "default"))

    def role_of(self, email: str | None, claims: Mapping[str, Any]) -> Role | None:
        """Return the role of a signed-in person: the highest their address or their claim gives, else the default."""
        address = (email or "").strip().lower()
        found = [role for role, people in ((Role.ADMIN, self.admins), (Role.EDITOR, self.editors),
                                           (Role.VIEWER, self.viewers)) if address and address in people]
        if self.claim is not None:
            value = claims.get(self.claim)
            given = {value} if isinstance(value, str) else set(map(str, value)) if isinstance(value, Iterable) else set()
            found += [role for role, name in self.claim_values.items() if name in given]
        return max(found) if found else self.default
