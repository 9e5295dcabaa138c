"""The YAML emitter the compiler uses: the walk over each document is emit/walker.c when it is
built from its current source (`make native`; infraforge/native), else emit/walk.py; how each
key and scalar is written is emit/scalars.py's either way.

Emitting was almost half of rendering a unit; the C walk does the same work several times faster
(measured in the commit that added it).
"""

from __future__ import annotations

from infraforge.emit import scalars, walk
from infraforge.native import extension

WALKER = "infraforge_emit_walker"

_native = extension(WALKER)
if _native is not None:
    _walker = _native.Walker(**scalars.walker_hooks())
    dump_document = _walker.dump_document
    dump_documents = _walker.dump_documents
else:
    dump_document = walk.dump_document
    dump_documents = walk.dump_documents

__all__ = ["dump_document", "dump_documents"]
