"""A real OpenID Provider for the tests: tests/oidc_provider/server.mjs (panva's oidc-provider).

``running_provider`` starts it on a free loopback port with one client whose
callback URLs are given, and stops it afterwards. ``sign_in`` plays the person
at the provider over HTTP (for the Flask test client); browser tests fill in the
same small form in Chromium.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import requests

SERVER = Path(__file__).resolve().parent / "oidc_provider" / "server.mjs"
CLIENT_ID = "skillspas-test"
CLIENT_SECRET = "a-test-secret-for-the-local-provider"


@dataclass
class OpenIDProvider:
    issuer: str

    def config(self, label: str = "eduID") -> dict[str, str]:
        """One entry of ``OIDC_PROVIDERS`` for an app that signs in here."""
        return {"issuer": self.issuer, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                "label": label, "scope": "openid email profile"}

    def sign_in(self, authorize_url: str, sub: str, email: str = "", *, verified: bool = True,
                name: str = "", schac: str = "", tamper_nonce: bool = False,
                deny: bool = False) -> str:
        """Go through the provider's sign-in page; return the URL it sends the browser back to."""
        with requests.Session() as http:
            page = http.get(authorize_url, timeout=10)
            page.raise_for_status()
            interaction = page.url  # /interaction/<uid>
            form = {"sub": sub, "email": email, "name": name, "schac_home_organization": schac}
            if verified:
                form["email_verified"] = "1"
            if tamper_nonce:
                form["tamper_nonce"] = "1"
            action = f"{interaction}/deny" if deny else f"{interaction}/login"
            response = http.post(action, data=form, allow_redirects=False, timeout=10)
            # The provider resumes the authorization, then redirects to the client.
            while response.status_code in (302, 303):
                location = urljoin(response.url, response.headers["Location"])
                if not location.startswith(self.issuer):
                    return location
                response = http.get(location, allow_redirects=False, timeout=10)
            raise AssertionError(f"the provider did not send us back: {response.status_code} "
                                 f"{response.text[:300]}")


@contextmanager
def running_provider(redirect_uris: list[str], **defaults: str) -> Iterator[OpenIDProvider]:
    """Start the provider; ``defaults`` (sub, email, name, schac) prefill its sign-in page."""
    env = {**os.environ, "OIDC_PORT": "0", "OIDC_CLIENT_ID": CLIENT_ID,
           "OIDC_CLIENT_SECRET": CLIENT_SECRET, "OIDC_REDIRECT_URIS": " ".join(redirect_uris),
           **{f"OIDC_DEFAULT_{k.upper()}": v for k, v in defaults.items()}}
    proc = subprocess.Popen(["node", str(SERVER)], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: lines.put(proc.stdout.readline() if proc.stdout else ""),
                     daemon=True).start()
    try:
        try:
            first = lines.get(timeout=30)
        except queue.Empty:
            first = ""
        if not first:
            proc.kill()
            err = proc.stderr.read() if proc.stderr else ""
            raise RuntimeError(f"the test OpenID Provider did not start (run "
                               f"scripts/install-test-tools): {err[-2000:]}")
        yield OpenIDProvider(json.loads(first)["issuer"])
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        for pipe in (proc.stdout, proc.stderr):
            if pipe is not None:
                pipe.close()
