"""Text files (README.md per app directory, the tree's README) from Jinja2 templates.

Templates are the platform's own; catalog values only arrive as data. The environment is
sandboxed and strict anyway, so a template typo fails loudly instead of rendering blank.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

TEMPLATES = Path(__file__).with_name("templates")


@cache
def _environment() -> SandboxedEnvironment:
    return SandboxedEnvironment(
        loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined, autoescape=False,
        keep_trailing_newline=True, trim_blocks=False, lstrip_blocks=False,
        auto_reload=False)  # the templates ship with the package: no stat per render


def render_text(template: str, **context: Any) -> str:
    return _environment().get_template(template).render(**context)


def app_readme(*, title: str, summary: str, environment: str, namespace: str, project: str,
               object_count: int, sources: list[str], explain_commands: list[str]) -> str:
    return render_text("app-readme.md.j2", title=title, summary=summary, environment=environment,
                       namespace=namespace, project=project, object_count=object_count,
                       sources=sources, explain_commands=explain_commands)
