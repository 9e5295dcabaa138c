from infraforge.cli import run

run()
