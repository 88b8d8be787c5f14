"""Accounts: the default account, other accounts and their API keys, who is who
(HTTP Basic credentials), and the emulator's settings. No Twilio endpoint of its
own: accounts and keys come from the command line and seeds.
"""
