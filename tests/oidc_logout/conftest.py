"""Fixtures of the logout tests: a loopback listener standing in for a relying party's
back-channel logout URI."""

from __future__ import annotations

import pytest

from tests.sessions import RPListener


@pytest.fixture
def rp_listener():
    listener = RPListener()
    yield listener
    listener.stop()
