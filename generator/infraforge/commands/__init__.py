"""One module per CLI command; each exposes `register(subparsers)` and `run(args) -> int`.

Command modules import the heavy stages inside `run`, so `infraforge --version` and `--help`
stay fast.
"""

COMMANDS = ("render", "explain", "validate", "fmt", "diff", "cost", "schema", "schemas")
