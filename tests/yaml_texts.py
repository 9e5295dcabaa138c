"""Random YAML texts for differential tests of the two catalog readers.

`CatalogText(rng, tricky).document()` writes catalog-shaped YAML: block mappings and sequences,
plain, quoted (with escapes), block (every header) and multi-line scalars, one-line flow
collections, comments and document markers. With `tricky` its words include everything one of the
readers treats specially (anchors, tags, numbers with underscores, ...); without, it mostly stays
within what the fast path accepts, so that the readers' data get compared. `soup` strings YAML
tokens together at random for texts that are mostly broken.
"""

from __future__ import annotations

import random

WORDS = [
    "a", "b", "svc-1", "x y", "http://h:80/p", "reg.example/t/s:1.0", "a#b", "a: b", "it's", "50%",
    "0", "12", "-3", "+4", "0777", "1e3", "1.5", ".5", "0o17", "true", "False", "null", "~", "yes",
    "no", "on", "2001-12-14", "12:30:00", "1:20", "é", "😀", "-a", "?a", ":a", "a:", "a?", "x,y",
    "@a", "`a", "'q'", '"q"', "a b  c", "trailing ", " leading", "", "---", "...", "- x", "#c",
    "\\", "\\n", "|", ">", "0 3 * * *",
]
TRICKY_WORDS = ["1_0", "_1", "0b1", "0X1F", "+0x1", "*a", "&a", "!a", "!!str", ".NaN", "-.iNf",
                "%p", "[x]", "{y}", "<<", "a\tb", "\u2028"]
ESCAPES = ["", "\\n", "\\t", "\\x41", "\\u00e9", "\\U0001F600", "\\\\", '\\"', "\\ ", "\\/",
           "\\e", "\\N", "\\0", "\\L"]
TOKENS = [*WORDS, *TRICKY_WORDS, ": ", ":", "- ", "-", "? ", "---", "...", "\n", "\n", "\n  ",
          "  ", " ", "'", '"', "[", "]", "{", "}", ", ", ",", " #", "|", ">", "|-", ">+", "|2",
          "&a ", "*a", "!!str ", "\t", "\n- ", "a: ", "{a: b}", "[a, b]", "\\", "<<: "]


def soup(rng: random.Random) -> str:
    return "".join(rng.choice(TOKENS) for _ in range(rng.randint(1, 40)))


class CatalogText:
    def __init__(self, rng: random.Random, tricky: bool):
        self.rng, self.tricky = rng, tricky
        self.words = WORDS + TRICKY_WORDS if tricky else WORDS
        # words that stay plain scalars inside a one-line flow collection
        self.flow_words = [w for w in self.words if w == w.strip() and w not in ("", "---", "...")
                           and not any(c in w for c in "'\"#?|>:[]{},-")]

    def document(self) -> str:
        docs = [self.block(0, 0) for _ in range(self.rng.choice([1, 1, 1, 2, 3]))]
        return self.rng.choice(["", "", "---\n", "# head\n---\n", "--- # c\n"]) + "---\n".join(docs)

    def scalar(self, in_flow: bool = False) -> str:
        rng = self.rng
        if in_flow and not self.tricky:
            return rng.choice(self.flow_words)
        word, style = rng.choice(self.words), rng.random()
        if style < 0.5:
            return word
        if style < 0.75:
            return "'" + word.replace("'", "''") + "'"
        return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + rng.choice(ESCAPES) + '"'

    def block_scalar(self, indent: int) -> str:
        rng = self.rng
        header = rng.choice("|>") + rng.choice(["", "-", "+"]) + rng.choice(["", "", "1", "2"])
        pad, lines = " " * (indent + 2), []
        for _ in range(rng.randint(0, 5)):
            kind = rng.random()
            lines.append("" if kind < 0.2 else " " * rng.randint(1, indent + 4) if kind < 0.3
                         else pad + " " * rng.randint(1, 3) * (kind < 0.5) + rng.choice(self.words))
        return header + rng.choice(["", " # c"]) + "\n" + "".join(f"{line}\n" for line in lines)

    def multiline_plain(self, indent: int) -> str:
        rng, pad = self.rng, " " * (indent + 2)
        return rng.choice(self.words) + "\n" + "".join(
            (pad + rng.choice(self.words) if rng.random() < 0.8 else "") + "\n"
            for _ in range(rng.randint(1, 3)))

    def flow(self, depth: int = 0) -> str:
        rng, items = self.rng, []
        for index in range(rng.randint(0, 4)):
            kind = rng.random()
            items.append(self.flow(depth + 1) if kind < 0.15 and depth < 2
                         else f"k{index}: {self.scalar(True)}" if kind < 0.3
                         else self.scalar(True))
        separator = rng.choice([", ", ",", " , "])
        if rng.random() < 0.6:
            return "[" + separator.join(items) + "]"
        pairs = [item if ": " in item and item[0] not in "[{" else f"k{i}: {item}"
                 for i, item in enumerate(items)]
        return "{" + separator.join(pairs) + "}"

    def value(self, indent: int, depth: int) -> str:
        kind = self.rng.random()
        if kind < 0.45:
            return " " + self.scalar() + self.rng.choice(["", "", " # note"]) + "\n"
        if kind < 0.55:
            return " " + self.block_scalar(indent)
        if kind < 0.62:
            return " " + self.multiline_plain(indent)
        if kind < 0.75:
            return " " + self.flow() + self.rng.choice(["", " # note"]) + "\n"
        if kind < 0.78 or depth > 4:
            return "\n"
        return "\n" + self.block(indent + self.rng.choice([1, 2, 2, 4]), depth + 1)

    def block(self, indent: int, depth: int) -> str:
        rng, pad, out = self.rng, " " * indent, []
        sequence = rng.random() < 0.3
        for index in range(rng.randint(1, 5)):
            if rng.random() < 0.1:
                out.append(pad + "# comment\n")
            key = "-" if sequence else (
                rng.choice(["k", "name", "a b", "url", "x-y"]) + str(index) + ":"
                if rng.random() < 0.9 else self.scalar() + ":")
            out.append(pad + key + self.value(indent, depth))
        return "".join(out)
