"""`infraforge schemas sync` over real HTTP (a loopback server serving the offline store)."""

from __future__ import annotations

import functools
import hashlib
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from infraforge.check.schema_lock import build_lock, read_lock
from validate_helpers import CORPUS, STORE

TAMPERED = "crds/keda.sh/scaledobject_v1alpha1.json"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    tamper: bool = False

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if self.tamper and self.path.endswith(TAMPERED):
            body = b'{"type": "object"}'  # a mirror serving something else than the pin
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()


@contextmanager
def mirror(tamper: bool = False) -> Iterator[str]:
    handler = type("Handler", (_Quiet,), {"tamper": tamper})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(STORE)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def digest_tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_the_committed_lock_pins_the_offline_store():
    assert read_lock() == build_lock(STORE)


def test_sync_fetches_the_pinned_set_and_validate_can_use_it(run_cli, tmp_path):
    dest = tmp_path / "schemas"
    with mirror() as url:
        first = run_cli("schemas", "sync", "--dest", str(dest), "--from", url)
        again = run_cli("schemas", "sync", "--dest", str(dest), "--from", url)
    assert first.code == 0, first.err
    assert digest_tree(dest) == {e["path"]: e["sha256"] for e in read_lock()["files"]}
    assert "0 fetched" in again.err
    result = run_cli("-C", str(tmp_path), "validate", "--tree", str(CORPUS / "good"),
                     "--engine", "fast", "--no-cache", "--schema-store", str(dest),
                     "--format", "json")
    assert '"SCHEMA-' not in result.out


def test_a_hash_mismatch_fails_and_leaves_the_destination_alone(run_cli, tmp_path):
    dest = tmp_path / "schemas"
    with mirror() as url:
        assert run_cli("schemas", "sync", "--dest", str(dest), "--from", url).code == 0
    (dest / TAMPERED).write_text("locally damaged")  # forces a re-fetch of that one file
    before = digest_tree(dest)
    with mirror(tamper=True) as url:
        result = run_cli("schemas", "sync", "--dest", str(dest), "--from", url)
    assert result.code == 1
    assert f"{TAMPERED}: sha256" in result.err
    assert digest_tree(dest) == before


def test_sync_without_a_mirror_is_a_usage_error(run_cli, tmp_path, monkeypatch):
    monkeypatch.delenv("INFRAFORGE_SCHEMA_MIRROR", raising=False)
    assert run_cli("schemas", "sync", "--dest", str(tmp_path / "s")).code == 2
