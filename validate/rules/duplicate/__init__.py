"""Rules of the duplicate category."""
