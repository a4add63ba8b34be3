"""Shared pytest fixtures."""

import pytest


@pytest.fixture(autouse=True)
def private_progress_file(tmp_path, monkeypatch):
    """Exercise checks that pass record progress; keep the tests' records out of ~/.nnlib."""
    monkeypatch.setenv("NNLIB_PROGRESS_FILE", str(tmp_path / "progress.json"))
