"""Reporters: how results reach people (terminal) and machines (json, sarif, junit, github)."""
