"""Finding the public key behind a verification method, and a status list behind a URL.

A correct signature only proves that *someone* holding a key signed the
credential. Who that someone is comes from resolving the verification method,
and the resolvers below are explicit about how much they prove:

- ``DidKeyResolver``: ``did:key`` is self-certifying, so the key belongs to
  that DID (``confirmed=True``). Whether the DID is the *issuer* is a separate
  check (issuer match).
- ``FragmentMultikeyResolver``: a URL like ``https://x.org/issuers/1#z6Mk...``
  carries the key in its fragment. We can check the signature against it, but
  nothing proves ``x.org`` published that key, so ``confirmed=False``.
- ``StaticKeyResolver``: keys we know for certain (our own issuers, served
  from our database by the web layer) and the test double.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from badges.credentials import keys


@dataclass
class ResolvedKey:
    """A public key plus what we know about who controls it."""

    public_key: Any
    controller: str | None
    confirmed: bool
    compromised: bool = False
    source: str = ""


@runtime_checkable
class KeyResolver(Protocol):
    def resolve(self, verification_method: str) -> ResolvedKey | None: ...


@runtime_checkable
class StatusResolver(Protocol):
    """Finds status list credentials.

    A resolver may also offer ``extra_entries(credential_id) -> list[dict]``:
    status entries the issuer keeps for a credential beyond the one OB 3.0
    lets it carry (used by the issuing service for suspension), and
    ``prepare(credential)``, called once the credential is parsed and before
    any check runs, to look up everything it names in one go.
    """

    def fetch(self, status_list_credential_url: str) -> dict[str, Any] | None: ...


class DidKeyResolver:
    """``did:key:z6Mk...`` (optionally ``#z6Mk...``): Ed25519 keys only."""

    def resolve(self, verification_method: str) -> ResolvedKey | None:
        if not isinstance(verification_method, str) or not verification_method.startswith(
                "did:key:"):
            return None
        did, _, fragment = verification_method.partition("#")
        multibase = did[len("did:key:"):]
        if fragment and fragment != multibase:
            return None  # a did:key document has exactly one method, named by its key
        try:
            public_key = keys.public_key_from_multibase(multibase)
        except ValueError:  # KeyFormatError and bad bytes: "not resolvable"
            return None
        return ResolvedKey(public_key, did, confirmed=True, source="did:key")


class FragmentMultikeyResolver:
    """``https://host/path#z6Mk...``: key from the fragment, controller unconfirmed."""

    def resolve(self, verification_method: str) -> ResolvedKey | None:
        if not isinstance(verification_method, str) or "#" not in verification_method:
            return None
        base, _, fragment = verification_method.partition("#")
        if not fragment.startswith("z6Mk") or not base.startswith(("https://", "http://")):
            return None
        try:
            public_key = keys.public_key_from_multibase(fragment)
        except ValueError:  # KeyFormatError and bad bytes: "not resolvable"
            return None
        return ResolvedKey(public_key, base, confirmed=False, source="fragment")


class ChainResolver:
    """Ask each resolver in turn; the first answer wins, so put trusted ones first."""

    def __init__(self, *resolvers: KeyResolver) -> None:
        self.resolvers = list(resolvers)

    def resolve(self, verification_method: str) -> ResolvedKey | None:
        for resolver in self.resolvers:
            found = resolver.resolve(verification_method)
            if found is not None:
                return found
        return None


class StaticKeyResolver:
    """Known keys by verification-method URL (our own issuers; tests)."""

    def __init__(self, known: dict[str, ResolvedKey] | None = None) -> None:
        self.known = dict(known or {})

    def resolve(self, verification_method: str) -> ResolvedKey | None:
        return self.known.get(verification_method)


class StaticStatusResolver:
    """Status list credentials by URL (our own lists; tests). Unknown URL → None."""

    def __init__(self, lists: dict[str, dict[str, Any]] | None = None) -> None:
        self.lists = dict(lists or {})
        self.calls: list[str] = []

    def fetch(self, status_list_credential_url: str) -> dict[str, Any] | None:
        self.calls.append(status_list_credential_url)
        return self.lists.get(status_list_credential_url)


class FetchingStatusResolver:
    """Status lists over the network through a Fetcher (off unless the fetcher is on)."""

    def __init__(self, fetcher: Any) -> None:
        self.fetcher = fetcher

    def fetch(self, status_list_credential_url: str) -> dict[str, Any] | None:
        from badges.credentials.fetch import FetchError, fetch_json

        try:
            doc = fetch_json(self.fetcher, status_list_credential_url)
        except FetchError:
            return None
        return doc if isinstance(doc, dict) else None


def default_key_resolver() -> KeyResolver:
    """What the public verifier uses when the caller passes nothing: offline methods only."""
    return ChainResolver(DidKeyResolver(), FragmentMultikeyResolver())
