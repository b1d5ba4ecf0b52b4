"""Pure rules of the hall: standard library only; time, settings and randomness are parameters."""
