"""Check the benchmark tables inside markdown documentation.

`read_tables(text_or_path)` is the stable Python entry point (see CONTRACT.md); the rest
of the package is the `validate` command's machinery.
"""

__version__ = "0.1.0"
__all__ = ["read_tables", "__version__"]


def read_tables(text_or_path):
    """The markdown tables of a document, in order; see `validate.reader.read_tables`."""
    from validate.reader import read_tables as _read_tables

    return _read_tables(text_or_path)
