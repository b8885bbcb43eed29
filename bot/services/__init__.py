"""Every product rule, one module per capability.

Handlers (and the scheduler's jobs) call these; they use repositories in `bot/storage/`
for rows, and say what must follow the commit through the `Effects` they return.
"""
