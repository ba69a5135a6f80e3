"""Built-in data of prefixcode: small distributions and sample messages.

Installed as the package ``prefixcode.data``; read with :func:`prefixcode.datasets.load`.
See ``README.md`` in this folder for each file's source and licence.
"""
