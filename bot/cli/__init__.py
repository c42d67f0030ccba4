"""The `newsbot` command line: `running` (the typer app, its options, errors and interrupts),
`commands` (loading and reading the news, the entry point), `feeds` and `maintenance` (more
commands on the same app), `chat` (the interactive session taking the bot's inputs) and
`plaintext` (how results look in a terminal).
"""
