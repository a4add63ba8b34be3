"""Shared pytest fixtures and settings."""

import pytest
from hypothesis import settings

# Property-based tests (hypothesis) try 25 random cases each, with no time
# limit per case, derived from a fixed seed so every run is the same.
settings.register_profile("nnlib", max_examples=25, deadline=None, derandomize=True,
                          print_blob=True)
settings.load_profile("nnlib")


@pytest.fixture(autouse=True)
def private_progress_file(tmp_path, monkeypatch):
    """Exercise checks that pass record progress; keep the tests' records out of ~/.nnlib."""
    monkeypatch.setenv("NNLIB_PROGRESS_FILE", str(tmp_path / "progress.json"))
