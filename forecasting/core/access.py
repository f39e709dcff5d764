"""Who may change what: roles, the person (or program) making a change, and the role policy read from settings.

Three roles, each with the rights of the one below: a viewer reads and exports; an editor also imports files
(planned flows included) and edits the planned flows, saves and deletes scenarios and mapping profiles; an admin also
replaces or empties the whole database (the demo, a start from empty). The store checks the role in every function that writes (Store.actor),
so a hidden button is never the only guard. Without a login, the dashboard and the CLI act as the OS user, admin.
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


# The changes the store records in its audit table, and the least role that may make each.
IMPORT = "import"
SCENARIO_SAVE = "scenario-save"
SCENARIO_DELETE = "scenario-delete"
MAPPING_SAVE = "mapping-save"
PLANNED_FLOWS_EDIT = "planned-flows-edit"
REPLACE_ALL = "replace-all"
START_FROM_EMPTY = "start-from-empty"
WRITE = "write"  # any other write
NEEDED_ROLE: dict[str, Role] = {
    IMPORT: Role.EDITOR, SCENARIO_SAVE: Role.EDITOR, SCENARIO_DELETE: Role.EDITOR, MAPPING_SAVE: Role.EDITOR,
    PLANNED_FLOWS_EDIT: Role.EDITOR, WRITE: Role.EDITOR, REPLACE_ALL: Role.ADMIN, START_FROM_EMPTY: Role.ADMIN,
}
ACTION_WORDS: dict[str, str] = {  # how a refusal names the change
    IMPORT: "import files", SCENARIO_SAVE: "save scenarios", SCENARIO_DELETE: "delete scenarios",
    MAPPING_SAVE: "save column mappings", PLANNED_FLOWS_EDIT: "change the planned flows", WRITE: "change the data",
    REPLACE_ALL: "replace the whole database", START_FROM_EMPTY: "empty the database",
}


@dataclass(frozen=True)
class Actor:
    """Who makes a change: a name (an e-mail address, or the OS user), a role (None: signed out) and through what."""

    who: str
    role: Role | None
    via: str = "cli"  # 'cli' or 'dashboard'

    def may(self, action: str) -> bool:
        """Return whether this actor's role allows `action`."""
        return self.role is not None and self.role >= NEEDED_ROLE.get(action, Role.ADMIN)

    def require(self, action: str) -> None:
        """Raise AccessDenied unless this actor's role allows `action`."""
        if not self.may(action):
            role = self.role.label if self.role is not None else "not signed in"
            needed = NEEDED_ROLE.get(action, Role.ADMIN).label
            raise AccessDenied(f"{self.who} ({role}) may not {ACTION_WORDS.get(action, action)}: "
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
