"""The dashboard's error boundary: a treasurer reads what to do, the server's log keeps the detail.

Streamlit's own exception box is set to its generic message (`client.showErrorDetails = "none"`, .streamlit/
config.toml), so no traceback or server path reaches the browser even from a callback or a fragment; app.py runs
every page inside `friendly_errors()` so that the visitor gets a message in their language with a reference, and
whoever runs the server finds the traceback under that reference in its log.
"""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from forecasting.core.errors import CashpilotError
from pages.widgets.common import _

LOG = logging.getLogger("cashpilot.pages")
# Set to 1 by the test suite (tests/conftest.py): an unexpected exception is re-raised after it is logged, so the
# AppTest and browser tests that look for exceptions still see them (the boundary's own tests unset it).
RAISE_ENV = "CASHPILOT_RAISE_ERRORS"


def incident_reference() -> str:
    """Return a short random reference that ties the visitor's message to the server's log line."""
    return secrets.token_hex(4)


@contextmanager
def friendly_errors() -> Iterator[None]:
    """Run a page: a user error shows its own message; any other error a generic one, its detail logged."""
    try:
        yield
    except CashpilotError as error:  # a message written for the user (file, row, column, what was expected)
        st.error(str(error))
    except Exception:
        reference = incident_reference()
        LOG.exception("page failed, reference %s", reference)
        if os.environ.get(RAISE_ENV) == "1":
            raise
        st.error(_("This page could not be drawn because of an internal error. Your data is unchanged. "
                   "Try again, or give the reference {reference} to the person who runs the dashboard: "
                   "the details are in the server's log under it.", reference=reference),
                 icon=":material/error:")
