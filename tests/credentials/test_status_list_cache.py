"""Decoded status lists are remembered by their encoded text: a new list (a bit set since)
is read anew, the same text gives the same answer, and unreadable lists stay errors."""

from __future__ import annotations

import copy

import pytest

from badges.credentials import status_list as sl

LIST_URL = "https://skillspas.test/status/roc-x/1"
ISSUER = "https://skillspas.test/issuers/roc-x"


@pytest.fixture(autouse=True)
def empty_cache(monkeypatch: pytest.MonkeyPatch) -> dict:
    cache: dict = {}
    monkeypatch.setattr(sl, "_decoded_lists", cache)
    return cache


def _list(*set_bits: int, purpose: str = "revocation") -> dict:
    bits = sl.new_bitstring()
    for index in set_bits:
        sl.set_bit(bits, index)
    return sl.status_list_credential(LIST_URL, ISSUER, purpose, bits, "2026-01-01T00:00:00Z")


class TestDecodedListCache:
    def test_a_new_list_with_a_bit_set_gives_the_new_answer(self, empty_cache) -> None:
        before = _list()
        assert sl.read_status(before, 7, "revocation") is False
        after = _list(7)  # the same URL, republished after a revocation
        assert after["credentialSubject"]["encodedList"] != \
            before["credentialSubject"]["encodedList"]
        assert sl.read_status(after, 7, "revocation") is True
        assert sl.read_status(before, 7, "revocation") is False  # the old text: the old answer
        assert len(empty_cache) == 2

    def test_the_same_encoded_list_gives_the_same_answer_from_the_cache(
            self, empty_cache, monkeypatch: pytest.MonkeyPatch) -> None:
        listed = _list(3, 131_071)
        assert sl.read_status(listed, 3, "revocation") is True
        assert len(empty_cache) == 1

        def no_decoding(*args, **kwargs):
            raise AssertionError("decoded again instead of read from the cache")

        monkeypatch.setattr(sl, "decode_bitstring", no_decoding)
        same_text = copy.deepcopy(listed)  # another object, the same encodedList
        assert [sl.read_status(same_text, i, "revocation") for i in (2, 3, 4, 131_071)] == [
            False, True, False, True]

    def test_checks_other_than_the_bits_still_run_on_a_cached_list(self) -> None:
        listed = _list(3)
        assert sl.read_status(listed, 3, "revocation") is True
        with pytest.raises(sl.StatusListError) as err:
            sl.read_status(listed, 3, "suspension")
        assert err.value.code == "STATUS_VERIFICATION_ERROR"
        with pytest.raises(sl.StatusListError) as err:
            sl.read_status(listed, sl.STATUS_LIST_SIZE, "revocation")
        assert err.value.code == "RANGE_ERROR"
        suspension = _list(3, purpose="suspension")  # equal bits, equal text, other purpose
        assert suspension["credentialSubject"]["encodedList"] == \
            listed["credentialSubject"]["encodedList"]
        assert sl.read_status(suspension, 3, "suspension") is True

    def test_an_unreadable_list_is_refused_every_time(self, empty_cache) -> None:
        broken = _list()
        broken["credentialSubject"]["encodedList"] = "u" + "A" * 40  # base64url, not gzip
        for _ in range(2):
            with pytest.raises(sl.StatusListError) as err:
                sl.read_status(broken, 1, "revocation")
            assert err.value.code == "STATUS_LIST_DECODE_ERROR"
        assert empty_cache == {}

    def test_the_cached_bits_cannot_be_changed_through_a_caller(self, empty_cache) -> None:
        listed = _list()
        sl.read_status(listed, 0, "revocation")
        (cached,) = empty_cache.values()
        assert isinstance(cached, bytes)  # immutable: no caller can set a bit in the cache
        assert sl.read_status(copy.deepcopy(listed), 0, "revocation") is False
