"""The hardened reader's composing half: ruamel's C composer, then the node converter.

Kept apart from load/yaml_source.py so that ruamel is imported only when a file needs it: a
file that changed and is not on the fast path. A one-tenant render at 1,000 tenants never does.
"""

from __future__ import annotations

from ruamel.yaml.error import MarkedYAMLError, YAMLError

from infraforge.errors import Diagnostic, Position
from infraforge.load.plain import MAX_DEPTH
from infraforge.load.yaml_nodes import Converter, Rejected, composer
from infraforge.load.yaml_source import YamlDocument, might_be_deep


def compose_documents(text: str, raw: bytes,
                      file: str) -> tuple[list[YamlDocument], list[Diagnostic]]:
    """The documents of `text` (the decoded `raw` of `file`), or why there are none."""
    try:
        _check_depth(text)
        nodes = list(_COMPOSER.compose_all(text))
    except MarkedYAMLError as exc:
        return [], [_syntax_diagnostic(exc, file)]
    except (YAMLError, RecursionError) as exc:
        rule = "YAML-TOO-DEEP" if isinstance(exc, RecursionError) else "YAML-SYNTAX"
        # a syntax error met during the depth scan carries a mark; report it like the composer
        if isinstance(exc, MarkedYAMLError):
            return [], [_syntax_diagnostic(exc, file)]
        return [], [Diagnostic(rule, _first_line(exc), Position(file, 1, 1))]
    documents, diagnostics = [], []
    for index, node in enumerate(n for n in nodes if n is not None):
        converter = Converter(file)
        try:
            data = converter.convert(node, (), 0)
        except Rejected as rej:
            diagnostics.append(Diagnostic(rej.rule, rej.message, converter.pos(rej.node), rej.hint))
            continue
        document = YamlDocument(data, file, index, raw)
        # computed anyway while converting: fill the lazy attributes now
        document.__dict__.update(positions=converter.positions,
                                 key_positions=converter.key_positions)
        documents.append(document)
    return documents, diagnostics


def _check_depth(text: str) -> None:
    """Refuse pathological nesting before composing: the C composer recurses and would crash.

    Only a file that might be deep pays for the event scan (the C parser does not recurse).
    """
    if not might_be_deep(text):
        return
    depth = 0
    for event in _COMPOSER.parse(text):
        name = type(event).__name__
        if name in ("MappingStartEvent", "SequenceStartEvent"):
            depth += 1
            if depth > MAX_DEPTH:
                raise RecursionError(f"nesting deeper than {MAX_DEPTH} levels")
        elif name in ("MappingEndEvent", "SequenceEndEvent"):
            depth -= 1


def _syntax_diagnostic(exc: MarkedYAMLError, file: str) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    position = Position(file, mark.line + 1, mark.column + 1) if mark else Position(file, 1, 1)
    message = " ".join(filter(None, [exc.context, exc.problem])) or "invalid YAML"
    rule = "YAML-DUPLICATE-KEY" if "duplicate" in message else "YAML-SYNTAX"
    return Diagnostic(rule, message, position)


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or ["invalid YAML"])[0]


_COMPOSER = composer()
