"""A phone number's type (``local``, ``mobile``, ``tollfree``: the words of the ``Type``
filter of Twilio's Numbers API), which picks the IncomingPhoneNumbers sub-list
(``Local.json``, ``Mobile.json``, ``TollFree.json``) that holds it. Pure: no store, no HTTP.
"""

from __future__ import annotations

import re

__all__ = ["NUMBER_TYPES", "TOLL_FREE_AREA_CODES", "number_type_of", "sold_as"]

#: The types of number, each with its sub-list of IncomingPhoneNumbers.
NUMBER_TYPES = ("local", "mobile", "tollfree")
#: US toll-free area codes (the NANP's 8XX service codes in use).
TOLL_FREE_AREA_CODES = frozenset({"800", "833", "844", "855", "866", "877", "888"})


def number_type_of(e164: str) -> str:
    """The type inferred from the number alone: ``tollfree`` for a NANP number in a
    toll-free area code, else ``local`` (a mobile number is not told by its digits)."""
    nanp = re.fullmatch(r"\+1([0-9]{3})[0-9]{7}", e164)
    return "tollfree" if nanp and nanp[1] in TOLL_FREE_AREA_CODES else "local"


def sold_as(number_type: str, e164: str) -> bool:
    """Whether the sub-list of ``number_type`` sells ``e164``: a NANP number is toll-free
    or not by its area code; other countries' numbers are not told apart."""
    if not e164.startswith("+1"):
        return True
    return (number_type_of(e164) == "tollfree") == (number_type == "tollfree")
