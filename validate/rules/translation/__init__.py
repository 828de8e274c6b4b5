"""Rules of the translation category."""
