"""Roles and the role policy (forecasting/core/access.py): who may change what, and how a person's role is found."""

from __future__ import annotations

import pytest

from forecasting.core import access
from forecasting.core.access import Actor, Role, RolePolicy
from forecasting.core.errors import AccessDenied, InputError


def test_each_role_has_the_rights_of_the_one_below() -> None:
    viewer, editor, admin = (Actor("x@example.com", role, "dashboard") for role in Role)
    for action in (access.IMPORT, access.SCENARIO_SAVE, access.SCENARIO_DELETE, access.MAPPING_SAVE):
        assert (viewer.may(action), editor.may(action), admin.may(action)) == (False, True, True)
    assert (viewer.may(access.REPLACE_ALL), editor.may(access.REPLACE_ALL), admin.may(access.REPLACE_ALL)) == (
        False, False, True)
    assert not Actor("anonymous", None, "dashboard").may(access.IMPORT)
    assert (viewer.may(access.import_action("fx-rates")), editor.may(access.import_action("fx-rates"))) == (False, True)
    for action in (access.SNAPSHOT_CREATE, access.SNAPSHOT_DELETE, access.RECONCILE_RUN, access.RECONCILE_ACCEPT,
                   access.RECONCILE_REJECT, access.RECONCILE_UNDO, access.RECONCILE_MATCH, access.RULES_ADD,
                   access.RULES_EDIT, access.RULES_DELETE, access.PLANNED_FLOWS_EDIT):
        assert (viewer.may(action), editor.may(action)) == (False, True), action
    assert set(access.ACTION_WORDS) == set(access.NEEDED_ROLE)  # every action named in a refusal
    assert admin.may("something-unknown") and not editor.may("something-unknown")  # an unknown change needs admin


def test_a_refusal_says_who_what_and_which_role_it_needs() -> None:
    with pytest.raises(AccessDenied, match=r"^ana@example.com \(viewer\) may not import files: this needs the "
                                           r"editor role"):
        Actor("ana@example.com", Role.VIEWER, "dashboard").require(access.IMPORT)
    with pytest.raises(AccessDenied, match=r"\(editor\) may not replace the whole database: this needs the admin"):
        Actor("bob@example.com", Role.EDITOR, "dashboard").require(access.REPLACE_ALL)


def test_the_command_line_acts_as_the_os_user_with_every_right(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(access.getpass, "getuser", lambda: "marie")
    assert access.local_actor() == Actor("marie", Role.ADMIN, "cli")


POLICY = RolePolicy.from_settings({"admins": ["Chief@Example.com"], "editors": ["ana@example.com"],
                                   "viewers": ["auditor@example.com"], "claim": "groups",
                                   "claim_values": {"editor": "treasury-team", "admin": "finance-admins"},
                                   "default": "none"})


def test_the_role_comes_from_the_lists_of_addresses_whatever_their_case() -> None:
    assert POLICY.role_of("chief@example.com", {}) is Role.ADMIN
    assert POLICY.role_of("ANA@example.com", {}) is Role.EDITOR
    assert POLICY.role_of("auditor@example.com", {}) is Role.VIEWER
    assert POLICY.role_of("stranger@example.com", {}) is None  # default "none": no access
    assert POLICY.role_of(None, {}) is None


def test_the_role_comes_from_an_identity_provider_claim_the_highest_wins() -> None:
    assert POLICY.role_of("joe@example.com", {"groups": ["staff", "treasury-team"]}) is Role.EDITOR
    assert POLICY.role_of("joe@example.com", {"groups": "finance-admins"}) is Role.ADMIN
    assert POLICY.role_of("auditor@example.com", {"groups": ["treasury-team"]}) is Role.EDITOR
    # a role claim_values does not name is given by its own name
    assert POLICY.role_of("joe@example.com", {"groups": ["viewer"]}) is Role.VIEWER
    assert POLICY.role_of("joe@example.com", {"groups": ["editor"]}) is None  # editor is 'treasury-team' here


def test_without_settings_a_signed_in_person_is_a_viewer() -> None:
    policy = RolePolicy.from_settings({})
    assert policy.role_of("anyone@example.com", {"roles": ["admin"]}) is Role.VIEWER  # no claim configured
    assert RolePolicy.from_settings({"claim": "roles"}).role_of("x@example.com", {"roles": ["admin"]}) is Role.ADMIN


@pytest.mark.parametrize(("settings", "message"), [
    ({"admins": "chief@example.com"}, r"admins: expected a list of e-mail addresses"),
    ({"default": "owner"}, r"default: 'owner' is not a role; expected viewer, editor, admin or none"),
    ({"admin": ["x@example.com"]}, r"unknown setting admin"),
])
def test_a_wrong_setting_is_named(settings: dict[str, object], message: str) -> None:
    with pytest.raises(InputError, match=message):
        RolePolicy.from_settings(settings)
