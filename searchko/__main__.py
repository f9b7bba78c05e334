"""`python -m searchko` is the `searchko` command."""

from .cli import app

app(prog_name="searchko")
