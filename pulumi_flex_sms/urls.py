"""Credentials in URLs (``https://user:pass@host/...``): detect them, mask them.

One definition for the resources (which make such URLs secret), the providers
(which mask ones set outside Pulumi on refresh), the models (which never echo
them in errors) and the policies (which check they are secret). Standard
library only, so every one of them can import it.
"""

from __future__ import annotations

import re
from typing import Any, TypeVar, overload
from urllib.parse import urlsplit, urlunsplit

__all__ = ["has_credentials", "mask_credentials", "mask_credentials_in_text"]

# From '//' (urlsplit drops tabs and newlines, so they may sit between the slashes) to the
# last '@' before the authority ends at '/', '?' or '#', as urlsplit reads user info.
_USERINFO_IN_TEXT = re.compile(r"/[\t\r\n]*/[^/?#]*@")

_T = TypeVar("_T")


def has_credentials(url: Any) -> bool:
    """True when a URL carries user info; an unparseable one with an '@' counts too."""
    if not isinstance(url, str) or "@" not in url:
        return False
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return True  # cannot tell: assume the worst
    return parts.username is not None or parts.password is not None


@overload
def mask_credentials(url: str, mask: str = ..., unparseable: str = ...) -> str: ...
@overload
def mask_credentials(url: _T, mask: str = ..., unparseable: str = ...) -> _T: ...
def mask_credentials(url: object, mask: str = "***:***", unparseable: str = "***") -> object:
    """The URL with its user info replaced by ``mask``; any other value unchanged.

    The host part is kept as written (case, port); ``unparseable`` stands in for a
    value with an '@' that does not parse as a URL.
    """
    if not isinstance(url, str) or "@" not in url:
        return url
    try:
        parts = urlsplit(url)
    except ValueError:
        return unparseable
    if parts.username is None and parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"{mask}@{host}"))


def mask_credentials_in_text(text: str, mask: str = "***:***") -> str:
    """Every URL user info anywhere in ``text`` replaced by ``mask``: for error messages.

    Unlike :func:`mask_credentials` it needs no parseable URL: it finds ``//...@``
    wherever it is (a list's ``repr``, a sentence, a URL that does not parse),
    and masks a little too much rather than too little.
    """
    if "@" not in text:
        return text
    return _USERINFO_IN_TEXT.sub(f"//{mask}@", text)
