"""The engine's only door to the network, closed by default.

Verification of someone else's credential may need remote documents (an
issuer profile, an OB 2.0 hosted assertion, a status list). Fetching a URL
chosen by an uploader is a server-side request forgery risk: it could reach
the database, the cloud metadata endpoint (169.254.169.254) or an intranet.
``SafeFetcher`` therefore:

- is disabled unless constructed with ``enabled=True``;
- speaks https only, on URLs without credentials in them;
- resolves the host once, refuses loopback, private, link-local, reserved,
  multicast and unspecified addresses (and IPv6 forms that embed an IPv4:
  6to4, Teredo, NAT64, IPv4-compatible), and connects to *that* IP (so a DNS
  answer cannot change between check and use: no rebinding);
- follows at most a few redirects, re-checking each hop;
- stops after ``timeout`` seconds and ``max_bytes`` bytes.

Callers depend on the ``Fetcher`` protocol; tests use ``NullFetcher``.
"""

from __future__ import annotations

import http.client
import ipaddress
import json
import socket
import ssl
import time
from collections.abc import Callable
from typing import Any, Protocol, runtime_checkable
from urllib.parse import urljoin, urlsplit

from .errors import BilingualError

MAX_REDIRECTS = 3


class FetchError(BilingualError):
    """A refused or failed fetch. ``code`` is stable; messages are for people."""



@runtime_checkable
class Fetcher(Protocol):
    """Anything that can fetch a URL's bytes or raise FetchError.

    ``used`` says whether it was asked for anything: an answer that rests on a
    fetched document may change when that document does.
    """

    used: bool

    def fetch(self, url: str, *, accept: str = "application/json") -> bytes: ...


def fetch_json(fetcher: Fetcher, url: str) -> Any:
    """Fetch and parse JSON; a parse failure is a FetchError like any other."""
    body = fetcher.fetch(url, accept="application/ld+json, application/json")
    try:
        return json.loads(body)
    except (ValueError, RecursionError, UnicodeDecodeError) as exc:
        raise FetchError("bad_json", f"{url} gaf geen geldige JSON terug.",
                         f"{url} did not return valid JSON.") from exc


# IPv6 ranges that carry an IPv4 address (or a tunnel to one) inside them: 6to4,
# Teredo, NAT64 (well-known and local-use), IPv4-compatible and SIIT-translated. A
# fetch to one could reach a private IPv4 through a relay, so they are refused whole,
# whatever IPv4 they embed; no issuer publishes its documents only there.
_IPV4_CARRIERS = tuple(ipaddress.IPv6Network(n) for n in (
    "2002::/16", "2001::/32", "64:ff9b::/96", "64:ff9b:1::/48", "::/96", "::ffff:0:0:0/96"))


def is_public_address(address: str) -> bool:
    """True only for globally routable unicast addresses.

    IPv4-mapped IPv6 (``::ffff:a.b.c.d``) is judged by its IPv4; every other IPv6
    form that embeds or tunnels to an IPv4 (see ``_IPV4_CARRIERS``) is refused.
    """
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        elif any(ip in network for network in _IPV4_CARRIERS):
            return False
    return not (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved
                or ip.is_multicast or ip.is_unspecified) and ip.is_global


Resolver = Callable[[str, int], list[str]]


def _system_resolve(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to a pre-checked IP while TLS still verifies the real host name."""

    def __init__(self, host: str, ip: str, port: int, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._pinned_ip = ip

    def connect(self) -> None:
        sock = socket.create_connection((self._pinned_ip, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


class SafeFetcher:
    """The production fetcher; see the module docstring for the rules it enforces."""

    def __init__(self, enabled: bool = False, timeout: float = 5, max_bytes: int = 2_000_000,
                 *, resolver: Resolver | None = None) -> None:
        self.enabled = enabled
        self.timeout = timeout
        self.max_bytes = max_bytes
        self._resolve = resolver or _system_resolve
        self.used = False  # asked for anything: what it answered may change later

    def check_url(self, url: str) -> tuple[str, int, str, str]:
        """(host, port, path, ip) for an allowed URL; FetchError otherwise. No I/O but DNS."""
        try:
            parts = urlsplit(url)
            port = parts.port or 443
        except ValueError as exc:
            raise FetchError("bad_url", "Ongeldige URL.", "Invalid URL.") from exc
        if parts.scheme != "https":
            raise FetchError("scheme", "Alleen https-adressen worden opgehaald.",
                             "Only https URLs are fetched.")
        if not parts.hostname or parts.username or parts.password:
            raise FetchError("bad_url", "De URL heeft geen geldige host.",
                             "The URL has no valid host.")
        host = parts.hostname
        try:
            addresses = self._resolve(host, port)
        except (OSError, UnicodeError) as exc:
            raise FetchError("dns", f"De naam {host} kon niet worden opgezocht.",
                             f"The name {host} could not be resolved.") from exc
        if not addresses:
            raise FetchError("dns", f"De naam {host} heeft geen adres.",
                             f"The name {host} has no address.")
        # Every answer must be public: otherwise an attacker mixes one public and
        # one private record and waits for the connection to pick the private one.
        if not all(is_public_address(a) for a in addresses):
            raise FetchError("private_address",
                             f"{host} wijst naar een intern of gereserveerd adres.",
                             f"{host} points to an internal or reserved address.")
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        return host, port, path, addresses[0]

    def fetch(self, url: str, *, accept: str = "application/json") -> bytes:
        self.used = True
        if not self.enabled:
            raise FetchError("disabled", "Ophalen van externe documenten staat uit.",
                             "Fetching remote documents is disabled.")
        for _ in range(MAX_REDIRECTS + 1):
            host, port, path, ip = self.check_url(url)
            status, location, body = self._get(host, port, path, ip, accept)
            if status in (301, 302, 303, 307, 308) and location:
                url = urljoin(url, location)
                continue
            if status != 200:
                raise FetchError("http_status", f"{url} antwoordde met status {status}.",
                                 f"{url} answered with status {status}.")
            return body
        raise FetchError("redirects", "Te veel doorverwijzingen.", "Too many redirects.")

    def _get(self, host: str, port: int, path: str, ip: str,
             accept: str) -> tuple[int, str | None, bytes]:
        conn = _PinnedHTTPSConnection(host, ip, port, self.timeout)
        try:
            conn.request("GET", path, headers={"Accept": accept, "User-Agent": "Skillspas/1"})
            response = conn.getresponse()
            declared = response.getheader("Content-Length")
            if declared and declared.isdigit() and int(declared) > self.max_bytes:
                raise FetchError("too_large", "Het document is te groot.",
                                 "The document is too large.")
            return response.status, response.getheader("Location"), self._read(response)
        except (OSError, http.client.HTTPException) as exc:
            raise FetchError("network", f"Ophalen van {host} mislukte.",
                             f"Fetching from {host} failed.") from exc
        finally:
            conn.close()

    def _read(self, response: http.client.HTTPResponse) -> bytes:
        """Read under a total deadline, not just a per-recv timeout (slow-drip servers)."""
        deadline = time.monotonic() + self.timeout
        body = bytearray()
        while True:
            if time.monotonic() > deadline:
                raise FetchError("timeout", "Het ophalen duurde te lang.", "The fetch timed out.")
            chunk = response.read(65536)
            if not chunk:
                return bytes(body)
            body += chunk
            if len(body) > self.max_bytes:
                raise FetchError("too_large", "Het document is te groot.",
                                 "The document is too large.")


class NullFetcher:
    """Test double: serves canned documents, refuses everything else, records calls."""

    def __init__(self, documents: dict[str, bytes | str | dict[str, Any] | list[Any]] | None = None) -> None:
        self.documents = dict(documents or {})
        self.calls: list[str] = []

    @property
    def used(self) -> bool:
        return bool(self.calls)

    def fetch(self, url: str, *, accept: str = "application/json") -> bytes:
        self.calls.append(url)
        if url not in self.documents:
            raise FetchError("disabled", "Ophalen van externe documenten staat uit.",
                             "Fetching remote documents is disabled.")
        value = self.documents[url]
        if isinstance(value, bytes):
            return value
        if isinstance(value, str):
            return value.encode("utf-8")
        return json.dumps(value).encode("utf-8")
