"""``Fetcher.used``: whether an answer rested on anything fetched, even a refused fetch."""

from __future__ import annotations

import pytest

from badges.credentials import status_list
from badges.credentials.bench import sample_credential
from badges.credentials.fetch import Fetcher, FetchError, NullFetcher, SafeFetcher
from badges.credentials.verify import verify_input

LIST_URL = "https://skillspas.test/status/roc-x/1"


def _never(host: str, port: int) -> list[str]:
    raise AssertionError("DNS must not be consulted")


class TestSafeFetcherUsed:
    def test_a_disabled_fetcher_refuses_but_counts_as_used(self) -> None:
        fetcher = SafeFetcher(enabled=False, resolver=_never)
        assert fetcher.used is False
        with pytest.raises(FetchError) as err:
            fetcher.fetch("https://example.org/issuer")
        assert err.value.code == "disabled"
        assert fetcher.used is True

    def test_a_refused_url_counts_as_used_too(self) -> None:
        fetcher = SafeFetcher(enabled=True, resolver=_never)
        with pytest.raises(FetchError) as err:
            fetcher.fetch("http://example.org/plain-http")
        assert err.value.code == "scheme"
        assert fetcher.used is True

    def test_checking_a_url_alone_is_not_a_use(self) -> None:
        fetcher = SafeFetcher(enabled=True, resolver=lambda host, port: ["93.184.216.34"])
        fetcher.check_url("https://example.org/x")
        assert fetcher.used is False

    def test_it_still_satisfies_the_protocol(self) -> None:
        assert isinstance(SafeFetcher(), Fetcher)


class TestNullFetcherUsed:
    def test_used_follows_the_calls(self) -> None:
        fetcher = NullFetcher({"https://a.test/doc": {"id": "x"}})
        assert fetcher.used is False
        fetcher.fetch("https://a.test/doc")
        assert fetcher.used is True

    def test_a_refused_call_is_a_use(self) -> None:
        fetcher = NullFetcher()
        with pytest.raises(FetchError):
            fetcher.fetch("https://a.test/unknown")
        assert fetcher.used is True and fetcher.calls == ["https://a.test/unknown"]

    def test_it_still_satisfies_the_protocol(self) -> None:
        assert isinstance(NullFetcher(), Fetcher)

    def test_a_verification_that_fetches_its_status_list_marks_the_fetcher_used(self) -> None:
        doc = sample_credential()
        doc["credentialStatus"] = status_list.status_entry(LIST_URL, 1, "revocation")
        fetcher = NullFetcher()
        report = verify_input(doc, fetcher=fetcher)
        assert fetcher.used is True and fetcher.calls == [LIST_URL]
        assert report.check("status").status == "warning"  # refused: unreachable

    def test_a_verification_that_needs_nothing_leaves_it_unused(self) -> None:
        doc = sample_credential()
        del doc["credentialStatus"]
        fetcher = NullFetcher()
        verify_input(doc, fetcher=fetcher)
        assert fetcher.used is False
