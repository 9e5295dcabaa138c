"""Where kubeconform's YAML reading and ours may disagree about what a scalar is.

We read with yaml-rs (YAML 1.2 resolution, loosely); kubeconform v0.7.0 decodes each document
with sigs.k8s.io/yaml v1.4.0 (its go.mod), i.e. its fork of go-yaml v2.4, and converts the
result to JSON. go-yaml v2 types a *plain* scalar in `resolve` (resolve.go) by its first byte:
- exact words (its resolveMap): y Y yes Yes YES on On ON true True TRUE -> true; n N no No NO
  off Off OFF false False FALSE -> false; "" ~ null Null NULL -> null; .nan .NaN .NAN and
  [+-].inf/.Inf/.INF -> float; `<<` -> merge key;
- first byte `.`: strconv.ParseFloat;
- first byte a digit, `+` or `-`: a timestamp if it starts `YYYY-` and parses in one of four
  layouts (kept as a string when decoded into interface{}, but we count it as typed); else,
  with every `_` removed: strconv.ParseInt(s, 0, 64) (Go syntax: sign, then 0x/0o/0b, a
  leading 0 meaning octal, or decimal), ParseUint, a float matching
  `^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$`, or `0b`/`-0b` binary.
Quoted scalars are always strings there, and our data does not say whether a scalar was quoted.
So a string that go-yaml would type when plain, and that yaml-rs reads plain as a string too
(`yes`, `on`, `0b1_0`, `2024-01-02`), may be a bool, number or date to kubeconform: such a
document must be judged on its own (`ambiguous`).

The other way round, a number yaml-rs read may have been spelled so that go-yaml reads another
value: `017` is 17 to yaml-rs and octal 15 to go-yaml. Its spelling is only in the text, and
so are tags (`!!int "017"`), anchors and aliases: `text_traps` finds them there, generously.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from infraforge.check.documents import load_document

_WORDS = frozenset({
    "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE",
    "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF", "", "~", "null", "Null",
    "NULL", ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf",
    "-.Inf", "-.INF", "<<"})
# Go's integer syntax for ParseInt/ParseUint with base 0 (underscores already removed), the
# float regex above, and the `0b`/`-0b` branch (ParseInt of the rest in base 2 takes a sign).
_GO_NUMBER = re.compile(r"[-+]?(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|[0-9]+)"
                        r"|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
                        r"|-?0b[-+]?[01]+")
_DATE_START = re.compile(r"[0-9]{4}-")  # parseTimestamp's quick check; any layout counts
_DOT_NUMBER = re.compile(r"\.[0-9]")  # ParseFloat of a `.`-led plain scalar: a superset
_SIGN_OR_DIGIT = frozenset("+-0123456789")

# A number spelled with a leading zero (`017`, `-017`, `0_17`) that is not inside a word; found by
# its literal `0` first, the context checked behind it, so a large tree is scanned in C quickly.
_LEADING_ZERO = re.compile(r"0[0-9_](?<![\w.]0[0-9_])(?<![\w.][-+]0[0-9_])")
_NODE_START = frozenset(":,[{\n\r")


def text_traps(text: str) -> Iterator[int]:
    """Where `text` may spell a number with a leading zero or hold a tag, anchor or alias
    (`!`, `&`, `*` where a node starts). Inside quoted strings or block text this finds false
    alarms, which only cost a document its class."""
    yield from (match.start() for match in _LEADING_ZERO.finditer(text))
    for char in "!&*":
        at = text.find(char)
        while at >= 0:
            if _starts_node(text, at):
                yield at
            at = text.find(char, at + 1)


def _starts_node(text: str, at: int) -> bool:
    before = at - 1
    while before >= 0 and text[before] in " \t":
        before -= 1
    if before < 0 or text[before] in _NODE_START:
        return True
    return text[before] in "-?" and (before == 0 or text[before - 1] in " \t\n")


def go_types_plain(text: str) -> bool:
    """Whether go-yaml v2 would read `text`, written plain, as something other than a string
    (a superset: when unsure, yes)."""
    if text in _WORDS:
        return True
    head = text[:1]
    if head == ".":
        return bool(_DOT_NUMBER.match(text))
    if head in _SIGN_OR_DIGIT and head:
        return bool(_DATE_START.match(text) or _GO_NUMBER.fullmatch(text.replace("_", "")))
    return False


def _we_read_plain_as_string(text: str) -> bool:
    try:
        return isinstance(load_document(f"k: {text}\n").get("k"), str)
    except (ValueError, AttributeError):
        return True  # not something we can tell: count it as ambiguous


AMBIGUITY: dict[str, bool] = {}  # string -> ambiguous(string), filled as strings are met


def ambiguous(text: str) -> bool:
    """Whether a string we read might be a bool, number or date to kubeconform (it is, if the
    scalar was plain). Memoised: rendered trees repeat their strings a great deal."""
    found = AMBIGUITY.get(text)
    if found is None:
        found = AMBIGUITY[text] = go_types_plain(text) and _we_read_plain_as_string(text)
    return found
