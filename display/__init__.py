"""The hall display page and its audio."""
