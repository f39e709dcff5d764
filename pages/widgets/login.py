"""The login's pages and controls: sign-in page, no-access page, the account in the sidebar, the role's notice."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from forecasting.core.access import Role
from forecasting.core.errors import InputError
from pages.widgets.common import _
from pages.widgets.identity import current_actor, login_configured


def role_name(role: Role | None) -> str:
    """Return a role's name in the visitor's language."""
    if role is Role.ADMIN:
        return _("admin")
    if role is Role.EDITOR:
        return _("editor")
    if role is Role.VIEWER:
        return _("viewer")
    return _("no access")


def _providers() -> list[str]:
    """Return the named identity providers of [auth] ([auth.entra], [auth.google]...); [] when [auth] holds one."""
    section = st.secrets["auth"]
    return [name for name, value in section.items() if isinstance(value, Mapping) and "client_id" in value]


def _sign_in() -> None:
    """Draw the only page an anonymous visitor sees: what this is, and the button that signs in."""
    st.title("cashpilot")
    st.write(_("Sign in to see the cash forecast and the company's receivables and payables."))
    providers = _providers()
    for provider in providers or [None]:
        label = _("Sign in with {provider}", provider=provider) if provider else _("Sign in")
        st.button(label, type="primary", icon=":material/login:", on_click=st.login,
                  args=(provider,) if provider else (), key=f"login_{provider or 'default'}")


def _no_access() -> None:
    """Draw the page of a signed-in person whom the role settings give no role."""
    st.title("cashpilot")
    st.warning(_("{who} has no access to this dashboard: ask its administrator to give this address a role.",
                 who=current_actor().who))
    st.button(_("Sign out"), on_click=st.logout, icon=":material/logout:", key="logout_no_access")


def admitted() -> bool:
    """Return True when the visitor may see the dashboard; else draw the sign-in or no-access page alone."""
    if not login_configured():
        return True
    try:
        actor = current_actor()
    except InputError as error:  # the role settings are wrong: say which, show nothing else
        st.error(str(error))
        return False
    if actor.role is not None:
        return True
    page = st.Page(_sign_in if actor.who == "anonymous" else _no_access, title=_("Sign in"),
                   icon=":material/login:")
    st.navigation([page], position="hidden").run()
    return False


def account_panel() -> None:
    """Show, in the sidebar, who is signed in with which role, and the sign-out button (with a login only)."""
    if not login_configured():
        return
    actor = current_actor()
    st.caption(_("Signed in as {who} ({role})", who=actor.who, role=role_name(actor.role)))
    st.button(_("Sign out"), on_click=st.logout, icon=":material/logout:", key="logout")


def read_only_notice(what: str) -> None:
    """Say in one line that this visitor's role is read-only and `what` (translated) needs more, instead of its control."""
    st.caption(":material/lock: " + _("Your role ({role}) is read-only (read and export): {what} needs the editor "
                                      "role.", role=role_name(current_actor().role), what=what))
