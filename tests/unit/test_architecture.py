"""The package's structure, checked from its source: no import cycle, short modules, docstrings, layering."""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

from support.readers import REPO

PACKAGE = REPO / "src" / "presskit"
MAX_LINES = 400
# The only function-local imports: each one deliberate, and commented where it is made.
LOCAL_IMPORTS = {
    ("cli.py", "*"),  # the fork server starts before the rest of presskit is imported (see cli.py)
    ("sources/contacts.py", "phonenumbers"),  # import cost: only when a phone number is read
    ("build/plan.py", "importlib"),  # importlib.metadata: import cost, only for the templates' fingerprint
    ("sources/photos.py", "PIL"),  # ImageOps, ImageCms: only when a photo is converted
    ("renderers/photocredits.py", "pyexiv2"),  # libexiv2: only when a photo is published
    ("commands/serve.py", "watchfiles"),  # only `presskit serve` watches files
    ("build/progress.py", "rich.console"),  # only a terminal gets a progress bar
    ("build/progress.py", "rich.progress"),
}
# Imports that break the layering: none. A new one must be justified here, with the work that removes it.
LAYERING_TO_FIX: set[tuple[str, str]] = set()


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name)."""
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


@cache
def tree(name: str) -> ast.Module:
    return ast.parse(modules()[name].read_text(encoding="utf-8"))


def relative(name: str) -> str:
    """A module's path inside the package, as the rules below name it (site/view.py)."""
    return modules()[name].relative_to(PACKAGE).as_posix()


def imports(name: str) -> list[tuple[str, ast.stmt]]:
    """Every module an import statement of `name` names (anywhere in it), with the statement.

    `from presskit.x import y` names presskit.x and, when y is a submodule, presskit.x.y too.
    """
    found = []
    is_package = modules()[name].name == "__init__.py"
    for node in ast.walk(tree(name)):
        if isinstance(node, ast.Import):
            found += [(alias.name, node) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name.split(".")
                anchor = anchor[: len(anchor) - node.level + (1 if is_package else 0)]
                base = ".".join(anchor + ([base] if base else []))
            found.append((base, node))
            found += [(f"{base}.{alias.name}", node) for alias in node.names if f"{base}.{alias.name}" in modules()]
    return found


def internal_graph() -> dict[str, set[str]]:
    return {
        name: {target for target, _ in imports(name) if target in modules() and target != name} for name in modules()
    }


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle as a list of modules (first == last), or [] when there is none."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                return path[path.index(target) :] + [target]
            if target not in state and (cycle := visit(target)):
                return cycle
        path.pop()
        state[node] = 2
        return []

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return []


def test_the_graph_sees_submodules_and_relative_imports():
    graph = internal_graph()
    assert "presskit.sources.releases" in graph["presskit.sources.load"]  # from presskit.sources import releases
    assert "presskit.cli" in graph["presskit.__main__"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_no_import_cycle():
    cycle = find_cycle(internal_graph())
    assert not cycle, "import cycle: " + " -> ".join(cycle)


def test_no_module_over_the_line_limit():
    too_long = {}
    for name, path in modules().items():
        lines = len(path.read_bytes().splitlines())
        if lines > MAX_LINES:
            too_long[relative(name)] = lines
    assert not too_long, f"modules over {MAX_LINES} lines: {too_long}"


def test_every_module_says_what_it_is_in_one_sentence():
    wrong = {}
    for name in modules():
        docstring = ast.get_docstring(tree(name))
        first = docstring.split("\n", 1)[0].strip() if docstring else ""
        if not first.endswith(".") or re.search(r"[.!?]\s+[A-Z]", first[:-1]):
            wrong[relative(name)] = first or "(no docstring)"
    assert not wrong, f"a module's docstring must open with one sentence on one line: {wrong}"


def test_imports_inside_functions_are_the_deliberate_ones():
    local = set()
    for name in modules():
        for node in ast.walk(tree(name)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for inner in ast.walk(node):
                    if isinstance(inner, (ast.Import, ast.ImportFrom)) and inner is not node:
                        for target, _ in imports_of(inner):
                            if (relative(name), "*") not in LOCAL_IMPORTS:
                                local.add((relative(name), target))
    assert local <= LOCAL_IMPORTS, f"imports inside functions: {sorted(local - LOCAL_IMPORTS)}"


def imports_of(node: ast.Import | ast.ImportFrom) -> list[tuple[str, ast.stmt]]:
    if isinstance(node, ast.Import):
        return [(alias.name, node) for alias in node.names]
    return [(("." * node.level) + (node.module or ""), node)]


def layer(name: str) -> str:
    """The sub-package a module belongs to (text, sources, ...), or its own file name at the top."""
    return relative(name).split("/")[0]


def in_package(target: str, *packages: str) -> bool:
    return any(target == p or target.startswith(p + ".") for p in packages)


def violations() -> list[str]:
    found = []
    for name in modules():
        where = relative(name)
        for target, node in imports(name):
            if not in_package(target, "presskit", "weasyprint", "docx", "feedgen"):
                continue
            internal = target in modules()
            other = layer(target) if internal and target != "presskit" else None
            rule = None
            if where.startswith("text/") and in_package(target, "presskit") and other != "text":
                rule = "text/ imports nothing of presskit outside text/"
            elif where.startswith("sources/") and other in ("site", "renderers", "build", "commands"):
                rule = "sources/ does not import site/, renderers/, build/ or commands/"
            elif where.startswith("site/") and (
                other in ("build", "commands") or in_package(target, "weasyprint", "docx")
            ):
                rule = "site/ imports neither WeasyPrint nor python-docx, nor build/ or commands/"
            elif in_package(target, "weasyprint") and not re.fullmatch(r"renderers/pdf\w*\.py", where):
                rule = "only renderers/pdf*.py import WeasyPrint"
            elif in_package(target, "docx") and not re.fullmatch(r"renderers/docx\w*\.py", where):
                rule = "only renderers/docx*.py import python-docx"
            elif in_package(target, "feedgen") and where != "site/feed.py":
                rule = "only site/feed.py imports feedgen"
            if rule and (where, target) not in LAYERING_TO_FIX:
                found.append(f"{where}:{node.lineno} imports {target}: {rule}")
    return sorted(set(found))


def test_layers():
    found = violations()
    assert not found, "layering:\n" + "\n".join(found)
