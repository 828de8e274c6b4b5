"""Rules of the capacity category."""
