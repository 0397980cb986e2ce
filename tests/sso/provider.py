"""The test identity provider (tests/oidc_provider/) as a process, and a person's browser at it."""

from __future__ import annotations

import os
import select
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import requests

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PASSWORD = "provider-password-42"
CLIENT_ID = "integration-decision-support"
CLIENT_SECRET = "client-secret-for-tests-only"
STARTUP_SECONDS = 60


@dataclass(frozen=True)
class OidcProvider:
    """A running provider at `base` (http://127.0.0.1:PORT)."""

    base: str

    @property
    def issuer(self) -> str:
        return f"{self.base}/o"

    def endpoint(self, path: str) -> str:
        return f"{self.issuer}/{path}"

    def user_put(self, username: str, *, groups=(), misbehaviour: str = "", **claims) -> str:
        """Create or update a person at the provider; returns their subject ("sub")."""
        response = requests.post(
            f"{self.base}/testing/users/",
            json={
                "username": username,
                "password": PASSWORD,
                "email": claims.pop("email", f"{username}@example.org"),
                "claims": {"groups": list(groups), **claims},
                "misbehaviour": misbehaviour,
            },
            timeout=10,
        )
        response.raise_for_status()
        return response.json()["sub"]

    def client_put(self, *redirect_uris: str) -> None:
        response = requests.post(
            f"{self.base}/testing/clients/",
            json={
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "redirect_uris": list(redirect_uris),
            },
            timeout=10,
        )
        response.raise_for_status()

    def authorize(self, authorize_url: str, username: str) -> str:
        """What a person's browser does at the provider: follow the authorization request,
        sign in on its login page, and come back with the redirect to our callback (returned)."""
        browser = requests.Session()
        response = browser.get(authorize_url, allow_redirects=False, timeout=10)
        assert response.status_code == 302, response.text
        login_url = urljoin(authorize_url, response.headers["Location"])
        assert login_url.startswith(f"{self.base}/accounts/login/"), login_url
        browser.get(login_url, timeout=10).raise_for_status()
        response = browser.post(
            login_url,
            data={
                "username": username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": browser.cookies["provider_csrftoken"],
            },
            headers={"Referer": login_url},
            allow_redirects=False,
            timeout=10,
        )
        assert response.status_code == 302, response.text
        response = browser.get(
            urljoin(login_url, response.headers["Location"]), allow_redirects=False, timeout=10
        )
        assert response.status_code == 302, response.text
        return response.headers["Location"]


@contextmanager
def oidc_provider_running(workdir: Path) -> Iterator[OidcProvider]:
    """Start the provider on a free port of 127.0.0.1 and stop it afterwards."""
    stderr_path = workdir / "provider.log"
    with stderr_path.open("w") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.oidc_provider.serve"],
            cwd=BASE_DIR,
            env={**os.environ, "OIDC_PROVIDER_DB": str(workdir / "provider.sqlite3")},
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )
    try:
        ready, _, _ = select.select([process.stdout], [], [], STARTUP_SECONDS)
        line = process.stdout.readline() if ready else ""
        if not line.strip().isdigit():
            raise RuntimeError(
                f"The test identity provider did not start:\n{stderr_path.read_text()}"
            )
        yield OidcProvider(base=f"http://127.0.0.1:{int(line)}")
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()
