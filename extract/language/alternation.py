"""A pattern for a long list of words, built as a trie of their characters."""
from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["alternation"]


def alternation(words: Iterable[str]) -> str:
    """A pattern matching any of `words` literally, the longest where several match at one place:
    what `"|".join(map(re.escape, sorted(words, key=len, reverse=True)))` matches, and in the
    same order when what follows it fails, but with the words' shared beginnings written once.

    The regex engine tries an alternation's branches one by one at every place it could
    start, so a list of hundreds of names costs hundreds of tries there; the trie costs one
    try per character. For a caseless pattern, give the words in one case (lower).

    >>> alternation(["team", "teams", "tea"])
    'tea(?:m(?:s)?)?'
    """
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here
    return _branches(trie)


def _branches(node: dict) -> str:
    """The pattern of the words below one trie node: its longer words (every branch) before the
    word that ends at the node (the greedy `?` tries the branches first)."""
    branches = [re.escape(char) + _branches(child) for char, child in node.items() if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" not in node:
        return body
    return f"(?:{body})?" if len(branches) == 1 else body + "?"
