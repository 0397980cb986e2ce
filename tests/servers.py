"""Real servers for tests about what the web tier does when its dependencies misbehave.

`SilentListener` accepts TCP connections and never answers (a hung or partitioned Redis or
PostgreSQL); `Gunicorn` runs the production settings module in a gunicorn process, so what is
tested is what a deployment runs, configured by its environment alone.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SilentListener:
    """Accepts every connection, reads nothing, writes nothing, until closed."""

    def __init__(self) -> None:
        self._server = socket.socket()
        self._server.bind(("127.0.0.1", 0))
        self._server.listen(64)
        self.port = self._server.getsockname()[1]
        self._accepted: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                self._accepted.append(self._server.accept()[0])
            except OSError:  # closed
                return

    @property
    def accepted(self) -> int:
        return len(self._accepted)

    def close(self) -> None:
        self._server.close()
        for peer in self._accepted:
            peer.close()


def shared_database_url() -> str:
    """The URL of the test database this process uses (PostgreSQL)."""
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Gunicorn:
    """`gunicorn integration.wsgi` on a free port with the production settings module.

    `env` adds to a production-like environment (DEBUG off, plain HTTP allowed so the test
    needs no TLS). Requests through `get`/`post` carry a generous timeout: a bound that turns a
    hang into a failure, not a measured assertion.
    """

    CLIENT_TIMEOUT = 30  # gunicorn's worker timeout is 60 s: a hung request fails before that

    def __init__(self, *, tmp_path: Path, secret_key: str, env: dict[str, str]) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tmp_path / f"gunicorn-{self.port}.log"
        inherited = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "CELERY_", "SECURE_"))
        }
        self.env = inherited | {
            "DJANGO_SETTINGS_MODULE": "integration.settings",
            "DEBUG": "0",
            "SECRET_KEY": secret_key,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "STATIC_MANIFEST": "0",
            "VAR_DIR": str(tmp_path / "var"),
            **env,
        }
        self.process: subprocess.Popen | None = None

    def start(self) -> Gunicorn:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "integration.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "1",
                "--threads",
                "4",
                "--timeout",
                "60",
                "--error-logfile",
                str(self.log),
            ],
            cwd=ROOT,
            env=self.env,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn exited: {self.log.read_text()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.2)
        raise AssertionError(f"gunicorn did not listen within 60 s: {self.log.read_text()}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)

    def get(self, path: str, **kwargs) -> requests.Response:
        return requests.get(self.url + path, timeout=self.CLIENT_TIMEOUT, **kwargs)

    def post(self, path: str, **kwargs) -> requests.Response:
        return requests.post(self.url + path, timeout=self.CLIENT_TIMEOUT, **kwargs)
