"""The house's layers, read from the import statements of every module of poster_app.

    engine    poster_app/layout/          never imports anything of the app, nor Flask
    base      files, config, extensions, phrasebook, photos, cache, connections, jobs,
              campaign_zip, logs, engine_messages
    records   models, rendering, blobs    (rendering: the app's only door to the engine)
    services  storage, queries, campaigns, database, archive, integrity, commands
    web       poster_app/web/             blueprints (one per feature) and their helpers
    entry     app (create_app), __init__, cli (the `poster` command)

A module may import its own layer and the layers below it, never one above. Inside web/, a
blueprint never imports another blueprint, except `auth` for its `editor_required` guard;
what two blueprints share lives in a helper (forms, labels, responses, formatting, …) or
below web/. Only rendering.py (and the `poster` command) call the engine's planner and
renderers; the rest of the app takes values (Spec, SpecError, languages, sizes) from
`poster_app.layout` itself.

When this fails, the message says what to do; don't add an exception for your module.
"""

from __future__ import annotations

import ast
import sys
from functools import cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "poster_app"
LAYERS = ["engine", "base", "records", "services", "web", "entry"]
TOP_LEVEL = {
    "files": "base",
    "cache": "base",
    "connections": "base",
    "jobs": "base",
    "campaign_zip": "base",
    "config": "base",
    "extensions": "base",
    "phrasebook": "base",
    "photos": "base",
    "contact_sheet": "base",
    "slogan_languages": "base",
    "throttle": "base",
    "addresses": "base",
    "logs": "base",
    "engine_messages": "base",
    "models": "records",
    "rendering": "records",
    "blobs": "records",
    "images": "records",
    "storage": "services",
    "queries": "services",
    "logins": "services",
    "campaigns": "services",
    "database": "services",
    "archive": "services",
    "integrity": "services",
    "commands": "services",
    "app": "entry",
    "__init__": "entry",
    "cli": "entry",
}
GUARD = "poster_app.web.auth"  # the one blueprint others may import (editor_required)
ENGINE_DOORS = {"poster_app.rendering", "poster_app.cli"}
ENGINE_CALLS = {"plan", "render_png", "render_pdf", "render_tiles"}
WEB_ONLY = ("flask", "flask_babel", "flask_wtf", "flask_sqlalchemy", "flask_migrate", "wtforms")
SHARED_HOMES = (
    "web/forms.py (forms), web/labels.py (names of languages and sizes), web/responses.py "
    "(responses, URLs), web/formatting.py (dates, countries), or below web/: queries.py "
    "(questions to the records), storage.py (saving banners and files), rendering.py (the "
    "engine)"
)


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def layer(module: str) -> str | None:
    """The layer of a poster_app module, or None for one this test doesn't know."""
    if module == "poster_app.layout" or module.startswith("poster_app.layout."):
        return "engine"
    if module == "poster_app.web" or module.startswith("poster_app.web."):
        return "web"
    if module == "poster_app":
        return "entry"
    return TOP_LEVEL.get(module.split(".")[1])


@cache
def is_blueprint(module: str) -> bool:
    path = MODULES.get(module)
    return (
        path is not None
        and module.startswith("poster_app.web.")
        and "Blueprint(" in path.read_text(encoding="utf-8")
    )


def imports(module: str) -> list[tuple[int, str, list[str]]]:
    """(line, imported module, names taken from it) for every import in the module, wherever
    it sits (functions included), relative imports made absolute."""
    return list(_imports(module))


@cache
def _imports(module: str) -> tuple[tuple[int, str, list[str]], ...]:
    """imports(), each module parsed once per test process (the sources do not change while
    the tests run; every rule below reads every module, some once per import)."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names = [alias.name for alias in node.names]
            # `from . import rendering`: each name that is a module is an import of it.
            submodules = [n for n in names if f"{target}.{n}" in MODULES]
            found += [(node.lineno, f"{target}.{n}", []) for n in submodules]
            if len(submodules) < len(names):
                found.append((node.lineno, target, [n for n in names if n not in submodules]))
    return tuple(found)


def app_imports():
    for module in MODULES:
        for line, target, names in imports(module):
            yield module, f"{MODULES[module].relative_to(PACKAGE.parent)}:{line}", target, names


def test_every_module_has_a_layer():
    unknown = sorted(m for m in MODULES if layer(m) is None)
    assert not unknown, (
        f"{unknown}: put each new module of poster_app/ in one layer of TOP_LEVEL in "
        f"{Path(__file__).name} (see its docstring) — the lowest layer whose modules it needs"
    )


def test_no_module_imports_a_layer_above_its_own():
    wrong = []
    for module, where, target, _names in app_imports():
        if not target.startswith("poster_app") or layer(target) is None:
            continue
        mine, theirs = layer(module), layer(target)
        if LAYERS.index(theirs) > LAYERS.index(mine):
            wrong.append(
                f"{where}: {module} ({mine}) imports {target} ({theirs}). Move what it needs "
                f"down to the {mine} layer or below (for the web: {SHARED_HOMES}), or pass it "
                "in as a parameter."
            )
    assert not wrong, "\n".join(wrong)


def test_the_engine_imports_nothing_of_the_app_nor_flask():
    wrong = []
    for module, where, target, _names in app_imports():
        if layer(module) != "engine":
            continue
        if target.split(".")[0] in WEB_ONLY or target in ("sqlalchemy", "werkzeug"):
            wrong.append(f"{where}: the engine imports {target}; it never imports Flask")
        elif target.startswith("poster_app") and layer(target) != "engine":
            wrong.append(
                f"{where}: the engine imports {target}. The engine takes its settings and "
                "limits as parameters (read them in config.py, pass them in from rendering.py "
                "or cli.py)."
            )
    assert not wrong, "\n".join(wrong)


def test_blueprints_do_not_import_one_another():
    wrong = []
    for module, where, target, _names in app_imports():
        if is_blueprint(module) and is_blueprint(target) and target not in (module, GUARD):
            wrong.append(
                f"{where}: the blueprint {module} imports the blueprint {target}. Blueprints "
                f"import only {GUARD} (editor_required); move what they share to {SHARED_HOMES}."
            )
    assert not wrong, "\n".join(wrong)


def test_only_rendering_calls_the_engine():
    wrong = []
    for module, where, target, names in app_imports():
        if layer(module) == "engine" or module in ENGINE_DOORS:
            continue
        if target.startswith("poster_app.layout.") or ENGINE_CALLS & set(names):
            wrong.append(
                f"{where}: {module} imports {target} {sorted(ENGINE_CALLS & set(names))}. "
                "Plan and render through poster_app/rendering.py (add a function there if "
                "needed); take values (Spec, SpecError, languages, sizes) from poster_app.layout."
            )
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(
    ("module", "target", "rule"),
    [
        (
            "poster_app.storage",
            "poster_app.web.banners",
            test_no_module_imports_a_layer_above_its_own,
        ),
        ("poster_app.web.api", "poster_app.web.gallery", test_blueprints_do_not_import_one_another),
        (
            "poster_app.layout.png",
            "poster_app.config",
            test_the_engine_imports_nothing_of_the_app_nor_flask,
        ),
        ("poster_app.web.banners", "poster_app.layout.png", test_only_rendering_calls_the_engine),
    ],
)
def test_each_rule_catches_a_wrong_import(monkeypatch, module, target, rule):
    """The rules above would fail on the imports they forbid (so they are not vacuous)."""
    real = imports

    def with_one_more(name):
        extra = [(1, target, [])] if name == module else []
        return real(name) + extra

    monkeypatch.setattr(sys.modules[__name__], "imports", with_one_more)
    with pytest.raises(AssertionError, match=target.replace(".", r"\.")):
        rule()
