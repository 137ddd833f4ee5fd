"""The code type-checks: mypy over bot/, handlers/, storage/ and messages/ with the settings of pyproject.toml
([tool.mypy]) reports no error, as CI runs it (issue #19)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from mypy import api

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.xdist_group("types")  # one mypy at a time in a run: it takes a core and half a gigabyte for a while
def test_mypy_finds_no_error(monkeypatch):
    monkeypatch.chdir(ROOT)  # mypy reads [tool.mypy] (the packages, the plugins) from the pyproject.toml here
    # The incremental cache beside the code, where a developer's own `mypy` keeps it: a second run checks what changed.
    stdout, stderr, status = api.run(["--config-file", "pyproject.toml", "--cache-dir", os.fspath(ROOT / ".mypy_cache")])
    assert status == 0, f"{stdout}\n{stderr}\nmypy found errors (run .venv/bin/mypy to see them where you work)."
    assert stdout.startswith("Success: no issues found"), stdout
