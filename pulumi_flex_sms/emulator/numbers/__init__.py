"""Numbers: Api 2010 IncomingPhoneNumbers, served at ``{base}/api/2010-04-01/...``
for ``https://api.twilio.com/2010-04-01/...``.
"""
