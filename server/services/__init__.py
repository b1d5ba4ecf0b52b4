"""Use cases: one function each, taking a session and a context; commit once, then publish."""
