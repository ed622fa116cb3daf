"""The window's remembered size (``ui.chrome``), read and written without a window: what a
bad ``window.json`` holds is ignored, and a resize is written once it stops."""

from __future__ import annotations

import json

import pytest

from ui.chrome import DEFAULT_SIZE, WINDOW_FILE, SizeKeeper, read_size


@pytest.mark.parametrize("content", [
    "not json", "[800, 600]", '{"width": "800", "height": 600}', '{"width": 90, "height": 600}',
    '{"width": 800}', '{"width": 800.5, "height": 600}', '{"width": 1e9, "height": 600}',
    '{"width": true, "height": 600}', "\udcff",
], ids=["garbage", "list", "string", "too-small", "no-height", "float", "huge", "bool",
        "not-utf8"])
def test_a_bad_window_file_gives_the_default_size(tmp_path, content):
    (tmp_path / WINDOW_FILE).write_bytes(content.encode("utf-8", "surrogateescape"))
    assert read_size(tmp_path) == DEFAULT_SIZE


def test_without_a_window_file_the_size_is_the_default(tmp_path):
    assert read_size(tmp_path) == DEFAULT_SIZE


def test_a_saved_size_is_read_back(tmp_path):
    SizeKeeper(tmp_path, DEFAULT_SIZE).save((900, 650))
    assert read_size(tmp_path) == (900, 650)
    assert (tmp_path / WINDOW_FILE).stat().st_mode & 0o777 == 0o600


def test_a_resize_is_written_once_it_stops(tmp_path):
    keeper = SizeKeeper(tmp_path, DEFAULT_SIZE)
    keeper.resized(700, 500)
    keeper.resized(710, 510)
    keeper.timer.join(5)
    assert json.loads((tmp_path / WINDOW_FILE).read_text()) == {"width": 710, "height": 510}


def test_an_unchanged_size_is_not_written(tmp_path):
    SizeKeeper(tmp_path, DEFAULT_SIZE).save(DEFAULT_SIZE)
    assert not (tmp_path / WINDOW_FILE).exists()
