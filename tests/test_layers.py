"""The layers only look down: models, templating and document never import services or views."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "belong"
LOWER = ("belong.models", "belong.templating", "belong.document")
HIGHER = ("belong.services", "belong.views")


def _within(name: str, packages: tuple[str, ...]) -> bool:
    return any(name == package or name.startswith(package + ".") for package in packages)


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _package_of(path: Path) -> str:
    module = _module_name(path)
    return module if path.name == "__init__.py" else module.rpartition(".")[0]


def imported(source: str, package: str) -> set[str]:
    """Every module the source imports, at its top or inside a function, relative ones resolved
    from `package`, the package the source belongs to."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def test_a_lower_layer_never_imports_a_higher_one():
    lower = [p for p in PACKAGE.rglob("*.py") if _within(_module_name(p), LOWER)]
    assert len(lower) > 20  # the walk finds the layers' modules
    offending = {
        f"{_module_name(path)} imports {name}"
        for path in lower
        for name in imported(path.read_text(encoding="utf-8"), _package_of(path))
        if _within(name, HIGHER)
    }
    assert not offending, sorted(offending)


def test_the_check_sees_every_kind_of_import():
    """`from belong import services`, `import belong.views.x`, relative and late imports count."""
    source = "from .. import services\ndef f():\n    import belong.views.steps\n"
    assert {"belong.services", "belong.views.steps"} <= imported(source, "belong.document")
