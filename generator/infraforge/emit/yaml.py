"""The YAML emitter the compiler uses: emit/emitter.py, walking documents with emit/walker.c when
it is built from its current source (`make native`; infraforge/native), else in plain Python.

Emitting was almost half of rendering a unit; the C walk does the same work several times faster
(measured in the commit that added it), asking emitter.py whatever its caches do not know.
"""

from __future__ import annotations

from infraforge.emit import emitter
from infraforge.native import extension

WALKER = "infraforge_emit_walker"

_native = extension(WALKER)
if _native is not None:
    _walker = _native.Walker(**emitter.walker_hooks())
    dump_document = _walker.dump_document
    dump_documents = _walker.dump_documents
else:
    dump_document = emitter.dump_document
    dump_documents = emitter.dump_documents

__all__ = ["dump_document", "dump_documents"]
