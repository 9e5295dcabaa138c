"""The YAML emitter the compiler uses: emit/emitter.py, as its compiled twin when one was built
from its current source (`make native`; infraforge/native), else as plain Python.

Emitting is half of rendering a unit, and the twin does it 1.5x faster with the same code. With
the twin, the Python module is not even imported (its regular expressions cost 10 ms).
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from infraforge.native import twin

EMITTER = "infraforge.emit.emitter"

_emitter: ModuleType | None = twin(EMITTER, str(Path(__file__).with_name("emitter.py")))
if _emitter is None:
    from infraforge.emit import emitter as _emitter

dump_document = _emitter.dump_document
dump_documents = _emitter.dump_documents

__all__ = ["dump_document", "dump_documents"]
