"""Every limit the emulator enforces on what clients send it, in one place.

Each bounds the memory or CPU one request can cost, so that no input (however
large, deep or malformed) gets a 500 or grows the process without bound. Twilio
documents none of these numbers for its REST API; where a framework documents a
default for the same job, that value is used and cited. docs/emulator.md
("Security model") lists them for users.
"""

from __future__ import annotations

__all__ = [
    "JOURNAL_MAX_BYTES",
    "JOURNAL_MAX_VALUES",
    "JOURNAL_VALUE_CHARS",
    "MAX_BODY_BYTES",
    "MAX_DOCUMENT_DEPTH",
    "MAX_DOCUMENT_NODES",
    "MAX_FAULTS",
    "MAX_FAULT_RETRY_AFTER",
    "MAX_FAULT_SECONDS",
    "MAX_FAULT_TIMES",
    "MAX_FORM_FIELDS",
    "MAX_GLOB_CHARS",
    "MAX_JSON_INTEGER",
    "MAX_MESSAGE_CHARS",
]

#: Request body, Twilio API and control endpoints alike: Starlette's own default
#: for one form part (``Request.form(max_part_size=1024 * 1024)``). Larger bodies
#: are answered 413 with Twilio's code 20413 "Request Entity Too Large"
#: (https://www.twilio.com/docs/api/errors/20413) before they are read.
MAX_BODY_BYTES = 1024 * 1024

#: Parameters in one form body: Starlette's default ``Request.form(max_fields=1000)``.
MAX_FORM_FIELDS = 1000

#: Nesting of a JSON/YAML document (seed, fault, Studio ``Definition``): the
#: default ``MaxDepth`` of .NET's System.Text.Json. A Studio flow is ~8 deep.
MAX_DOCUMENT_DEPTH = 64

#: Values in one document once YAML aliases and merge keys are expanded, so a
#: "billion laughs" seed is refused instead of expanded (a seed of 20,000 phone
#: numbers is about 60,000).
MAX_DOCUMENT_NODES = 100_000

#: Integers in documents: the range RFC 8259 section 6 calls interoperable.
MAX_JSON_INTEGER = 2**53 - 1

#: A journaled form/query value is cut to this many characters (the cut is marked).
JOURNAL_VALUE_CHARS = 1024

#: Values (counting each repeat of a parameter) kept per form or query in the journal.
JOURNAL_MAX_VALUES = 100

#: The whole journal, as JSON: the oldest entries go first once it is exceeded,
#: whatever ``--journal-size`` says.
JOURNAL_MAX_BYTES = 32 * 1024 * 1024

#: A path glob (fault ``path``, journal ``?path=`` filter).
MAX_GLOB_CHARS = 1024

#: Faults: how many may be registered, how often one may fire, how long a
#: ``delay`` may hold a request (longer than any sensible client timeout), how
#: long a ``Retry-After`` may ask a client to wait (a day), and a message's length.
MAX_FAULTS = 1000
MAX_FAULT_TIMES = 1_000_000
MAX_FAULT_SECONDS = 600.0
MAX_FAULT_RETRY_AFTER = 86_400.0
MAX_MESSAGE_CHARS = 1024
