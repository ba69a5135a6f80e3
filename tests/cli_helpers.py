"""What the tests of the command share: the text its file tests compress (the `work`
fixture of conftest.py puts it in a.txt of a fresh working folder)."""

TEXT = b"it was the best of times, it was the worst of times; " * 200 + bytes(range(256))
