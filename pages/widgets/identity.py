"""Who is using the dashboard: the optional login (st.login, OpenID Connect) and the role it gives.

Without an [auth] section in .streamlit/secrets.toml the dashboard has no login and runs as before: every visitor
acts as the OS user running the server, admin (README, "Deploying for a team", says to keep it on localhost then).
With one, a visitor must sign in with the identity provider; their role comes from [cashpilot.roles]
(forecasting/core/access.py). The role travels with the store (get_store): every function that writes checks it,
and the pages draw a write control only for a role that may use it (`can`).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from forecasting.core import access
from forecasting.core.access import Actor, RolePolicy


def login_configured() -> bool:
    """Return whether secrets.toml configures a login (an [auth] section)."""
    return bool(st.secrets.load_if_toml_exists() and "auth" in st.secrets)


def role_policy() -> RolePolicy:
    """Return the role policy of secrets.toml's [cashpilot.roles] (InputError, said to the visitor, when wrong)."""
    settings: Any = st.secrets.get("cashpilot", {}).get("roles", {})
    return RolePolicy.from_settings(settings.to_dict() if hasattr(settings, "to_dict") else dict(settings))


def current_actor() -> Actor:
    """Return who this session acts as: the OS user (admin) without a login, else the signed-in person and role."""
    if not login_configured():
        return access.local_actor(via="dashboard")
    if not st.user.is_logged_in:
        return Actor(who="anonymous", role=None, via="dashboard")
    claims = st.user.to_dict()
    email = str(claims.get("email") or "") or None
    who = email or str(claims.get("sub") or "unknown")
    return Actor(who=who, role=role_policy().role_of(email, claims), via="dashboard")


def can(action: str) -> bool:
    """Return whether this session's role allows `action` (forecasting.core.access): draw its control only then."""
    return current_actor().may(action)
