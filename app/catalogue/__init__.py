"""The practice standards catalogue: data files, validation, storage and search."""
