"""The one definition of "a URL with credentials", shared by resources, providers, policies."""

from __future__ import annotations

import pytest

from pulumi_flex_sms.urls import has_credentials, mask_credentials, mask_credentials_in_text


@pytest.mark.parametrize(
    ("url", "has", "masked"),
    [
        (
            "https://bot:hunter2@Hooks.Example.com:8443/in",
            True,
            "https://***:***@Hooks.Example.com:8443/in",
        ),
        ("https://token@hooks.example.com/x?y=1", True, "https://***:***@hooks.example.com/x?y=1"),
        ("https://hooks.example.com/a@b", False, "https://hooks.example.com/a@b"),
        ("https://hooks.example.com/sms", False, "https://hooks.example.com/sms"),
        ("http://u:p@[::1", True, "***"),  # does not parse: assume the worst
        ("", False, ""),
        (None, False, None),
    ],
)
def test_detect_and_mask(url: object, has: bool, masked: object) -> None:
    assert has_credentials(url) is has
    assert mask_credentials(url) == masked


def test_mask_and_fallback_are_chosen_by_the_caller() -> None:
    assert mask_credentials("https://u:p@h.example/x", mask="***") == "https://***@h.example/x"
    assert mask_credentials("http://u:p@[::1", unparseable="<bad>") == "<bad>"


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("https://bot:hunter2@h.example/x", "https://***:***@h.example/x"),
        ("['https://bot:hunter2@h.example']", "['https://***:***@h.example']"),
        ("ftp://u:secret@h", "ftp://***:***@h"),
        ("http://u:secret@[::1", "http://***:***@[::1"),  # unparseable: masked all the same
        ("http://u:p@ss@h.example/", "http://***:***@h.example/"),  # the last '@' ends it
        ("https:/\t/u:secret@h", "https://***:***@h"),  # urlsplit drops the tab
        ("https://h.example/a@b", "https://h.example/a@b"),  # '@' in the path: not user info
        ("mailto:x@y", "mailto:x@y"),
        ("no url here", "no url here"),
    ],
)
def test_mask_credentials_in_any_text(text: str, masked: str) -> None:
    assert mask_credentials_in_text(text) == masked
