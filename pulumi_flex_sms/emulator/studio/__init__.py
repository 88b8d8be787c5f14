"""Studio v2: Flows, enough for address configurations to reference; served at
``{base}/studio/v2/...`` for ``https://studio.twilio.com/v2/...``.
"""
