"""The notebooks run top to bottom in a fresh kernel (each checks its own numbers)."""

from __future__ import annotations

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("matplotlib")

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
NAMES = ["weather_station.ipynb", "coding_efficiency.ipynb", "compress_messages.ipynb",
         "zarr_and_dask.ipynb", "close_to_entropy.ipynb"]
# the extras a notebook needs beyond nbclient and matplotlib: without them it is skipped
NEEDS = {"zarr_and_dask.ipynb": ("zarr.codecs.numcodecs", "numcodecs", "dask.array", "distributed")}


@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs(name):
    for module in NEEDS.get(name, ()):
        pytest.importorskip(module)
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    assert any(cell.cell_type == "markdown" for cell in nb.cells)
    client = nbclient.NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}
    )
    client.execute()  # raises CellExecutionError on the first failing cell
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs)     # pictures
    assert any("text/html" in o.get("data", {}) for o in outputs)     # tables


def test_committed_notebooks_carry_their_outputs():
    for name in NAMES:
        nb = nbformat.read(NOTEBOOKS / name, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert code and all(c.execution_count is not None for c in code), name
