"""Plain data and pure rules. No I/O, no Qt, no SQL."""
