"""Applications: Api 2010 Applications (TwiML apps), served at ``{base}/api/2010-04-01/...``
for ``https://api.twilio.com/2010-04-01/...``.
"""
