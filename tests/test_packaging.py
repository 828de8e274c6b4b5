"""The wheel carries every module, the templates and the built-in schemas."""

from __future__ import annotations

import tomllib

from conftest import REPO


def test_every_subpackage_is_listed_for_the_wheel():
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(REPO).parts) for p in (REPO / "validate").rglob("__init__.py")}
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"
    assert "validate.builtin_schemas" in listed


def test_readme_test_command_is_what_ci_runs():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("```bash\n", 1)[1].split("```", 1)[0].splitlines()
    assert len(block) == 2 and block[0].endswith("validate raw/*.md")
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "sed -n 2p" in ci and "README.md" in ci
