from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# CI runs the same examples every time; a developer's runs keep exploring.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

import searchko

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
SHARED = ROOT.parent / "shared"


@pytest.fixture(autouse=True)
def no_user_config(tmp_path, monkeypatch):
    """The CLI reads no config file of the person running the tests."""
    monkeypatch.delenv("SEARCHKO_CONFIG", raising=False)
    monkeypatch.setattr("searchko.cli.default_config_path", lambda: tmp_path / "no-config.toml")


@pytest.fixture(scope="session")
def data_index(tmp_path_factory) -> Path:
    """An index of the sample corpus in data/, built once per test run."""
    path = tmp_path_factory.mktemp("data") / "index"
    with searchko.Index.create(path) as ix:
        ix.add(searchko.iter_documents([DATA]))
    return path


@pytest.fixture(scope="session")
def ix(data_index):
    with searchko.open_index(data_index) as index:
        yield index


@pytest.fixture
def empty_index(tmp_path):
    with searchko.Index.create(tmp_path / "index") as index:
        yield index
