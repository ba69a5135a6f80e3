"""The README shows what the code prints today (its Python examples run as doctests)."""

from __future__ import annotations

import re
from pathlib import Path

from prefixcode.cli import main

REPO = Path(__file__).resolve().parent.parent


def test_readme_weather_table_is_what_the_command_prints(capsys):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```text\n(the weather station.*?)```", readme, re.S)
    assert block, "README lost its weather-station table"
    assert main(["weather"]) == 0
    printed = capsys.readouterr().out.splitlines()
    shown = block.group(1).strip().splitlines()
    assert len(shown) >= 6
    for line in shown:
        assert line in printed, f"README line not printed by 'prefixcode weather': {line!r}"


def test_readme_quick_start_runs_the_weather_experiment_and_the_tests():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "pip install . && .venv/bin/prefixcode weather" in readme
    test_cmd = readme.split("<!-- test-command -->\n", 1)[1].splitlines()[0]
    assert 'pip install -e ".[dev]"' in test_cmd and "pytest" in test_cmd
