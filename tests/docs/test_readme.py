"""The README stays true to the code: every setting and every advertised endpoint is
documented, and the Quick start has exactly the two commands."""

import re
from pathlib import Path

import pytest

from app.config import SETTINGS

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", [setting.name for setting in SETTINGS])
def test_every_setting_is_in_the_readme(name):
    assert f"`{name}`" in README


def test_every_advertised_endpoint_is_in_the_readme(live_server):
    document = live_server.get("/.well-known/openid-configuration").json()
    for key in live_server.app.registry.endpoints():
        path = document[key][len(live_server.issuer):]
        assert f"`{path}`" in README or f"`{path} " in README, key


def test_quick_start_has_exactly_two_commands():
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    commands = [line for line in block.splitlines() if line.strip()]
    assert len(commands) == 2
    assert commands[1].startswith("bash build/test.sh")
