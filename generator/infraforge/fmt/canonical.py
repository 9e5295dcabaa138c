"""The canonical layout, produced with ruamel.yaml's round-trip mode (which keeps comments).

Style: 2-space mappings, sequences indented by 4 with the dash at 2 (the example catalog's
style), no re-wrapping of long lines, flow collections kept as written. A string is quoted,
always with double quotes, only when it must be: when a YAML 1.2 *or* YAML 1.1 reader (the Go
toolchain) would read it as something else (`"on"`, `"1.10"`, `"0777"`), or when it holds an
indicator character (`"CC-[0-9]{4}"`, `"0 1 * * *"`). Key order is keyorder.py's job.
"""

from __future__ import annotations

import io
import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.emitter import RoundTripEmitter
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.resolver import VersionedResolver

from infraforge.fmt.keyorder import order_keys

STR_TAG = "tag:yaml.org,2002:str"
INDICATORS = frozenset("[]{}*&!#|>%")
# A bare `---` after leading comments: ruamel drops comments that precede the first document
# marker, and the canonical form has no leading marker anyway.
_LEADING_MARKER = re.compile(r"\A((?:[ \t]*(?:#[^\n]*)?\n)*)---[ \t]*\n")
_YAML_11 = VersionedResolver(version=(1, 1))


def needs_quotes(value: str) -> bool:
    if _YAML_11.resolve(ScalarNode, value, (True, False)) != STR_TAG:
        return True
    return any(ch in INDICATORS for ch in value)


class CanonicalRepresenter(RoundTripRepresenter):
    def represent_plain_str(self, data: str) -> Any:
        return self.represent_scalar(STR_TAG, data, style='"' if needs_quotes(data) else None)


CanonicalRepresenter.add_representer(str, CanonicalRepresenter.represent_plain_str)


class CanonicalEmitter(RoundTripEmitter):
    def choose_scalar_style(self) -> Any:
        # where ruamel falls back to single quotes, the catalog's style is double quotes
        style = super().choose_scalar_style()
        return '"' if style == "'" else style


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Representer = CanonicalRepresenter
    yaml.Emitter = CanonicalEmitter
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 100_000  # never re-wrap an author's lines
    yaml.preserve_quotes = False
    return yaml


def canonical_text(text: str) -> str:
    """`text` (already checked by the hardened loader) in canonical layout."""
    yaml = _yaml()
    documents = list(yaml.load_all(_LEADING_MARKER.sub(r"\1", text, count=1)))
    out = io.StringIO()
    yaml.dump_all(documents, out)
    return order_keys(out.getvalue())
