"""Collection rules for the whole repository (doctests run from src/, tests from tests/)."""

collect_ignore = ["src/prefixcode/__main__.py", "bench", "notebooks", "docs"]
