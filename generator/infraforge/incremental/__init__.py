"""Incremental compilation: content-hash caches of parsed files and rendered units.

The cache lives in `.infraforge-cache/` (git-ignored, safe to delete). Nothing in it is trusted
without a hash check: entries are keyed by the SHA-256 of the bytes they were computed from,
and the whole cache is keyed by a fingerprint of the generator's own source, so a new
InfraForge version (or any edit to it) starts from a cold cache.
"""
