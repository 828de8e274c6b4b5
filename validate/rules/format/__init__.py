"""Rules of the format category."""
