"""The layers of docs/architecture.md hold: `lint-imports` checks the contracts in pyproject.toml ([tool.importlinter]),
as CI runs it. Each ignored import there is a debt listed in docs/architecture.md under "Known layering debts"."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _contracts() -> dict[str, dict]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    return {contract["id"]: contract for contract in config["contracts"]}


def test_every_import_keeps_the_layers():
    linter = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [str(linter), "--no-cache", "--no-logo", "pyproject.toml"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, (
        f"{result.stdout}\n{result.stderr}\nAn import crosses a layer (docs/architecture.md). If it was a known debt that is "
        "now paid (an ignored import that no longer exists), remove it from pyproject.toml and from the debts listed in "
        "docs/architecture.md."
    )
    assert "0 broken" in result.stdout


def test_the_domain_contract_names_every_module_of_the_domain():
    """The domain contract lists bot/'s packages and modules one by one (the runtime and the command line, which are
    in bot/ too, stand above it): a new one must be listed, or it would escape the contract."""
    domain = {
        f"bot.{path.stem}"
        for path in (ROOT / "bot").iterdir()
        if (path.suffix == ".py" or (path / "__init__.py").exists())
        and path.stem not in ("__init__", "__main__", "runtime", "cli")
    }
    assert set(_contracts()["domain"]["source_modules"]) == domain


VOCABULARY = ("bot.nominations.stages", "bot.growth.states")
"""The domain's vocabulary modules: the words it stores, which storage's repositories name in their queries."""
SLACK_TABLES = {"storage.models -> storage.slack_tables", "storage.repositories.oauth_states -> storage.slack_tables"}
"""Slack's installation tables, declared on the project's metadata with slack_sdk's own builders (the domain's contract
ignores the import: storage's models reach a Slack library there, the domain never uses those tables)."""
ALLOWED = {f"storage.repositories.* -> {module}" for module in VOCABULARY} | SLACK_TABLES
"""Ignored imports that are rules, not debts: storage's repositories read the domain's vocabulary, leaf modules; the
tables of Slack's installation store are Slack's."""


def test_each_ignored_import_is_a_debt_listed_in_the_architecture():
    architecture = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    debts = architecture.split("## Known layering debts (issue #19)", 1)[1].split("\n## ", 1)[0]
    ignored = [line for contract in _contracts().values() for line in contract.get("ignore_imports", [])]
    assert [line for line in ignored if line not in ALLOWED and f"`{line}`" not in debts] == []
    assert [line for line in ALLOWED if f"`{line}`" not in architecture.split("## Known layering debts", 1)[0]] == []


@pytest.mark.parametrize("module", VOCABULARY)
def test_the_vocabulary_storage_may_read_imports_nothing(module):
    """storage may import the vocabulary (ALLOWED) only because it stands on nothing: no import of any kind."""
    tree = ast.parse((ROOT / (module.replace(".", "/") + ".py")).read_text(encoding="utf-8"))
    assert [node.lineno for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))] == []
