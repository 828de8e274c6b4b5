"""Rules of the missing category."""
