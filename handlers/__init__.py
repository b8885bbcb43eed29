"""One module per capability; each exposes plain async handlers for the command table."""
