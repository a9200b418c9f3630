"""SafeFetcher refusals (no test here touches the network) and the NullFetcher double."""

from __future__ import annotations

import pytest

from badges.credentials.fetch import (
    Fetcher,
    FetchError,
    NullFetcher,
    SafeFetcher,
    fetch_json,
    is_public_address,
)


def _resolver(*addresses: str):
    def resolve(host: str, port: int) -> list[str]:
        return list(addresses)
    return resolve


def _never(host: str, port: int) -> list[str]:
    raise AssertionError("DNS must not be consulted")


def test_disabled_by_default() -> None:
    fetcher = SafeFetcher(resolver=_never)
    with pytest.raises(FetchError) as err:
        fetcher.fetch("https://example.org/issuer")
    assert err.value.code == "disabled"
    assert err.value.message_nl and err.value.message_en


@pytest.mark.parametrize("url", ["http://example.org/x", "ftp://example.org/x", "file:///etc/passwd",
                                 "gopher://x", "//example.org/x", "example.org"])
def test_https_only(url: str) -> None:
    with pytest.raises(FetchError) as err:
        SafeFetcher(enabled=True, resolver=_never).fetch(url)
    assert err.value.code == "scheme"


def test_credentials_in_url_refused() -> None:
    with pytest.raises(FetchError) as err:
        SafeFetcher(enabled=True, resolver=_never).fetch("https://user:pw@example.org/")
    assert err.value.code == "bad_url"


@pytest.mark.parametrize("address", [
    "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "0.0.0.0",  # noqa: S104
    "100.64.0.1", "224.0.0.1", "240.0.0.1", "255.255.255.255", "::1", "fe80::1", "fc00::1",
    "::ffff:127.0.0.1", "::ffff:10.0.0.1", "ff02::1", "::", "192.0.2.1", "198.18.0.1",
])
def test_private_and_reserved_addresses_refused(address: str) -> None:
    assert not is_public_address(address)
    fetcher = SafeFetcher(enabled=True, resolver=_resolver(address))
    with pytest.raises(FetchError) as err:
        fetcher.fetch("https://internal.example/")
    assert err.value.code == "private_address"


def test_one_private_answer_poisons_the_lookup() -> None:
    fetcher = SafeFetcher(enabled=True, resolver=_resolver("93.184.215.14", "10.0.0.5"))
    with pytest.raises(FetchError) as err:
        fetcher.check_url("https://mixed.example/")
    assert err.value.code == "private_address"


def test_public_address_is_pinned_without_connecting() -> None:
    fetcher = SafeFetcher(enabled=True, resolver=_resolver("93.184.215.14"))
    assert fetcher.check_url("https://example.org:8443/a?b=1") == (
        "example.org", 8443, "/a?b=1", "93.184.215.14")
    assert is_public_address("2606:4700::1111")


def test_dns_failure_is_a_fetch_error() -> None:
    def broken(host: str, port: int) -> list[str]:
        raise OSError("no such host")
    with pytest.raises(FetchError) as err:
        SafeFetcher(enabled=True, resolver=broken).fetch("https://nowhere.invalid/")
    assert err.value.code == "dns"


def test_null_fetcher_double() -> None:
    fetcher = NullFetcher({"https://a.test/doc": {"id": "x"}, "https://a.test/raw": b"{}"})
    assert isinstance(fetcher, Fetcher)
    assert isinstance(SafeFetcher(), Fetcher)
    assert fetch_json(fetcher, "https://a.test/doc") == {"id": "x"}
    assert fetcher.fetch("https://a.test/raw") == b"{}"
    with pytest.raises(FetchError):
        fetcher.fetch("https://a.test/other")
    assert fetcher.calls == ["https://a.test/doc", "https://a.test/raw", "https://a.test/other"]
    with pytest.raises(FetchError) as err:
        fetch_json(NullFetcher({"https://a.test/bad": b"{nope"}), "https://a.test/bad")
    assert err.value.code == "bad_json"


@pytest.mark.parametrize("address", [
    "2002:7f00:1::1",          # 6to4 around 127.0.0.1
    "2002:a00:1::1",           # 6to4 around 10.0.0.1
    "2002:5db8:d70e::1",       # 6to4 around a public IPv4: the whole prefix is refused
    "2001:0:4136:e378:8000:63bf:f5ff:fffe",  # Teredo (client 10.0.0.1 obfuscated)
    "2001::1",                 # Teredo, anything in 2001::/32
    "64:ff9b::7f00:1",         # NAT64 well-known prefix around 127.0.0.1
    "64:ff9b::a9fe:a9fe",      # NAT64 around 169.254.169.254
    "64:ff9b::5db8:d70e",      # NAT64 around a public IPv4: refused as well
    "64:ff9b:1::a00:1",        # local-use NAT64 prefix
    "::127.0.0.1",             # IPv4-compatible (deprecated)
    "::10.0.0.1",
    "::ffff:0:a00:1",          # SIIT IPv4-translated
    "::ffff:169.254.169.254",  # IPv4-mapped
    "fe80::1%eth0",            # link-local with a zone
])
def test_ipv6_addresses_that_embed_ipv4_refused(address: str) -> None:
    assert not is_public_address(address)
    fetcher = SafeFetcher(enabled=True, resolver=_resolver(address))
    with pytest.raises(FetchError) as err:
        fetcher.check_url("https://tunnel.example/")
    assert err.value.code == "private_address"


@pytest.mark.parametrize("address", ["2606:4700::1111", "2a00:1450:4001:82b::200e",
                                     "::ffff:93.184.215.14", "93.184.215.14"])
def test_ordinary_public_addresses_still_allowed(address: str) -> None:
    assert is_public_address(address)
