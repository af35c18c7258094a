"""The tokens of a word's prefixes are the tokens of each prefix, on the fast path of folded
ASCII words as on the others."""

import pytest

from storage.blind_index import BlindIndex


@pytest.mark.parametrize("word", ["durand", "DURAND", "lefèvre", "straße", "ǆemal", "ab", "ℌugo"])
def test_prefix_tokens_are_the_tokens_of_each_prefix(word: str) -> None:
    index = BlindIndex(b"s" * 32)

    tokens = index.prefix_tokens("names", word, 3)

    expected = [index.token("names", word[:n]) for n in range(min(3, len(word)), len(word) + 1)]
    assert tokens == expected
