"""Stage 5: put a rendered tree on disk atomically, writing only what changed."""
