"""Every setting is declared in belong/config.py with its default; the environment overrides
only the ones the README lists; no other module reads the environment."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from belong import create_app
from belong.config import ENVIRONMENT, Config
from tests.conftest import _config

ROOT = Path(__file__).resolve().parent.parent
# Settings of the libraries themselves, read with the libraries' own defaults.
LIBRARY_KEYS = {
    "WTF_CSRF_FIELD_NAME",
    "WTF_CSRF_SECRET_KEY",
    "CACHE_TYPE",
    "CACHE_REDIS_URL",
    "CACHE_KEY_PREFIX",
    "CACHE_OPTIONS",
}


def _sources():
    for path in sorted((ROOT / "belong").rglob("*.py")):
        if "migrations" not in path.parts:
            yield path, ast.parse(path.read_text(encoding="utf-8"))


def _config_keys_read(tree: ast.AST) -> set[str]:
    """Literal keys of `<...>.config[...]`, `.config.get(...)` and `.config.setdefault(...)`."""
    keys = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and _is_config(node.value):
            key = node.slice
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("get", "setdefault")
            and _is_config(node.func.value)
            and node.args
        ):
            key = node.args[0]
        else:
            continue
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            keys.add(key.value)
    return keys


def _is_config(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "config"


def test_every_setting_read_is_declared_in_config_py():
    read = set().union(*(_config_keys_read(tree) for _path, tree in _sources()))
    assert {"REDIS_URL", "PROXY_COUNT", "MAX_ANSWER_LENGTH"} <= read  # the walk finds them
    undeclared = sorted(k for k in read - LIBRARY_KEYS if not hasattr(Config, k))
    assert not undeclared, f"declare these in belong/config.py: {undeclared}"


def test_only_config_py_reads_the_environment():
    readers = sorted(
        str(path.relative_to(ROOT))
        for path, tree in _sources()
        if path.name != "config.py"
        and any(
            isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv")
            for node in ast.walk(tree)
        )
    )
    assert readers == []


def test_every_environment_override_is_in_the_readme_table():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Configuration") :]
    section = section[: section.index("\n## ")]
    listed = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", section))
    assert sorted(set(ENVIRONMENT) - listed) == []


def test_the_environment_overrides_a_setting_with_its_type(monkeypatch, migrated, templates_dir):
    monkeypatch.setenv("PROXY_COUNT", "2")
    monkeypatch.setenv("MAIL_USE_TLS", "yes")
    app = create_app(_config(migrated, templates_dir))
    assert app.config["PROXY_COUNT"] == 2
    assert app.config["MAIL_USE_TLS"] is True
    assert app.config["LOGIN_MAX_FAILURES"] == 5  # not in the environment: its default
