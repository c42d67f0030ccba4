"""The `newsbot` command line: `commands` (the typer app and its entry point), `chat` (the
interactive session taking the bot's inputs) and `plaintext` (how results look in a terminal).
"""
