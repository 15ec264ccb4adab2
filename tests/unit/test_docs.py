"""The documentation stays true: the module map matches the code, links lead somewhere, the README is short."""

from __future__ import annotations

import ast
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from support.readers import REPO

ROOT = REPO
README = ROOT / "README.md"
PAGES = [README, *sorted((ROOT / "docs").glob("*.md"))]


_spec = importlib.util.spec_from_file_location("module_map", ROOT / "scripts" / "module_map.py")
module_map = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(module_map)


def docstring_roles() -> dict[str, str]:
    """Every .py file under src/presskit -> the first line of its docstring, read here independently."""
    package = ROOT / "src" / "presskit"
    roles = {}
    for path in package.rglob("*.py"):
        docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        roles[path.relative_to(package).as_posix()] = docstring.strip().splitlines()[0] if docstring.strip() else ""
    return roles


def test_every_module_has_a_one_line_role():
    assert [module for module, role in sorted(docstring_roles().items()) if not role] == []


def test_module_map_lists_every_module_and_only_those():
    listed = module_map.parse((ROOT / "docs" / "architecture.md").read_text(encoding="utf-8"))
    code = docstring_roles()
    fix = "run: python scripts/module_map.py --write"
    assert sorted(set(code) - set(listed)) == [], f"modules missing from docs/architecture.md; {fix}"
    assert sorted(set(listed) - set(code)) == [], f"docs/architecture.md lists modules that do not exist; {fix}"


def test_module_map_roles_are_the_docstrings_first_lines():
    listed = module_map.parse((ROOT / "docs" / "architecture.md").read_text(encoding="utf-8"))
    code = docstring_roles()
    wrong = {module: (role, code[module]) for module, role in listed.items() if module in code and role != code[module]}
    assert wrong == {}, "roles differ from the docstrings; run: python scripts/module_map.py --write"


def test_module_map_is_exactly_what_the_script_writes():
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert module_map.render() in text, "run: python scripts/module_map.py --write"


def _anchors(page: Path) -> set[str]:
    """GitHub's heading anchors of a Markdown page: lower case, punctuation dropped, spaces as hyphens."""
    anchors, fence = set(), False
    for line in page.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            fence = not fence
        elif not fence and (m := re.match(r"#{1,6} (.*)", line)):
            anchors.add(re.sub(r"[^\w\- ]", "", m[1].strip().lower()).replace(" ", "-"))
    return anchors


def _links(page: Path) -> list[str]:
    """The targets of the page's Markdown links, outside code blocks and code spans."""
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
    text = re.sub(r"`[^`\n]*`", "", text)
    return re.findall(r"\]\(([^)\s]+)\)", text)


def test_every_relative_link_leads_to_a_file_and_heading():
    broken = []
    for page in PAGES:
        for target in _links(page):
            if re.match(r"[a-z][a-z0-9+.-]*:", target):  # https:, mailto: ...: not a file of the repository
                continue
            path, _, anchor = target.partition("#")
            file = (page.parent / path).resolve() if path else page
            if not file.exists():
                broken.append(f"{page.relative_to(ROOT)}: {target}")
            elif anchor and file.suffix == ".md" and anchor not in _anchors(file):
                broken.append(f"{page.relative_to(ROOT)}: {target} (no such heading)")
    assert broken == []


def test_every_docs_page_is_linked_from_the_readme():
    linked = {(ROOT / target.partition("#")[0]).resolve() for target in _links(README)}
    assert [page.name for page in PAGES[1:] if page not in linked] == []


def test_readme_is_short():
    assert README.stat().st_size < 12_000


def test_readme_release_example_passes_check(tmp_path):
    """The README's first YAML block is a complete release: `presskit check --strict` finds nothing in it."""
    text = README.read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(.*?)```", text, flags=re.S)[1]
    name = re.match(r"# (releases/[a-z0-9-]+\.yaml)", example)[1]
    (tmp_path / "releases").mkdir()
    (tmp_path / name).write_text(example, encoding="utf-8")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(ROOT / "assets", tmp_path / "assets")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")]))}
    result = subprocess.run(
        [sys.executable, "-m", "presskit", "check", "--strict", "--now", "2024-01-01T00:00:00+00:00"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().endswith("presskit: 1 valid release, 0 errors, 0 warnings."), result.stderr
