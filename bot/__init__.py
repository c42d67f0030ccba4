"""The newsbot front ends: the Telegram bot and the `newsbot` command line."""
