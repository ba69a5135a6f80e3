"""The optional integrations: numcodecs, zarr v3, Dask (and a real cluster), fsspec.

Each test skips when its extra is not installed (``pip install -e ".[zarr,dask,fsspec]"``).
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time

import numpy as np
import pytest

import prefixcode as pc

ALICE = pc.datasets.load_bytes("alice.txt")


def arrays() -> list[np.ndarray]:
    rng = np.random.default_rng(14)
    return [
        np.frombuffer(ALICE, dtype=np.uint8),
        (rng.normal(0, 300, (64, 80))).astype(np.int16),
        rng.normal(280, 8, (3, 40, 50)).astype(np.float32),
        np.arange(1000, dtype=np.float64)[::-1].copy(),
        np.zeros(0, dtype=np.int32),
        np.array([7], dtype=np.uint64),
    ]


# -- import cost ------------------------------------------------------------------------
def test_import_prefixcode_imports_no_extra():
    code = ("import sys, prefixcode as pc; pc.compress(b'x'); "
            "print(sorted(m for m in ('numpy', 'dask', 'zarr', 'numcodecs', 'fsspec', 'distributed') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# -- numcodecs ----------------------------------------------------------------------------
@pytest.fixture
def numcodecs():
    return pytest.importorskip("numcodecs")


@pytest.mark.parametrize("a", arrays(), ids=lambda a: f"{a.dtype}{a.shape}")
def test_numcodec_round_trip_of_any_buffer(numcodecs, a):
    from prefixcode.numcodecs import PrefixCodec

    codec = PrefixCodec()
    blob = codec.encode(a)
    assert isinstance(blob, bytes) and blob[:4] == b"PFXC"
    assert codec.decode(blob) == a.tobytes()
    assert pc.decompress(blob) == a.tobytes()  # one ordinary container
    for buf in (a.tobytes(), bytearray(a.tobytes()), memoryview(a)):
        assert codec.encode(buf) == blob
    out = np.empty_like(a)
    assert codec.decode(blob, out=out) is out
    assert out.tobytes() == a.tobytes()
    raw = bytearray(a.nbytes)  # out of another type: its memory is filled
    assert codec.decode(memoryview(blob), out=raw) is raw and bytes(raw) == a.tobytes()


def test_numcodec_config_round_trip_and_registry(numcodecs):
    from numcodecs.registry import entries

    from prefixcode.numcodecs import PrefixCodec

    # the entry point, as installed (numcodecs loads it on first get_codec)
    assert entries["prefixcode"].load() is PrefixCodec
    codec = PrefixCodec(level=2, threads=3)
    config = codec.get_config()
    assert config == {"id": "prefixcode", "level": 2, "threads": 3}
    assert json.loads(json.dumps(config)) == config
    assert numcodecs.get_codec(config) == codec
    assert PrefixCodec.from_config({"level": 2, "threads": 3}) == codec
    assert PrefixCodec().get_config() == {"id": "prefixcode", "level": 6, "threads": 1}
    assert repr(codec) == "PrefixCodec(level=2, threads=3)"
    assert codec.encode(ALICE) == pc.compress(ALICE, level=2)


def test_numcodec_entry_point_without_importing_prefixcode(numcodecs):
    code = ("import numcodecs; c = numcodecs.get_codec({'id': 'prefixcode', 'level': 9}); "
            "print(type(c).__module__, c.decode(c.encode(b'abc' * 50)) == b'abc' * 50)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["prefixcode.numcodecs", "True"]


def test_numcodec_errors(numcodecs):
    from prefixcode.numcodecs import PrefixCodec

    codec = PrefixCodec()
    for bad in ({"level": 0}, {"level": "6"}, {"threads": 0}, {"threads": None}, {"threads": 2.0}):
        with pytest.raises(pc.PrefixCodeError, match=r"argument '(level|threads)'"):
            PrefixCodec(**bad)
    with pytest.raises(pc.PrefixCodeError, match="argument 'config'"):
        PrefixCodec.from_config({"id": "prefixcode", "lvl": 3})
    with pytest.raises(pc.PrefixCodeError, match="argument 'id' must be 'prefixcode'"):
        PrefixCodec.from_config({"id": "zlib", "level": 3})
    with pytest.raises(pc.PrefixCodeError, match="argument 'buf' must be a contiguous buffer"):
        codec.encode(np.arange(100)[::2])
    with pytest.raises(pc.PrefixCodeError, match="argument 'buf'"):
        codec.encode(np.array(["a", None], dtype=object))
    blob = codec.encode(ALICE)
    with pytest.raises(pc.FormatError):
        codec.decode(blob[:-1])
    with pytest.raises(pc.FormatError, match="limit"):
        codec.decode(blob, out=bytearray(len(ALICE) - 1))
    with pytest.raises(pc.FormatError, match="original's size"):
        codec.decode(blob, out=bytearray(len(ALICE) + 1))
    with pytest.raises(pc.PrefixCodeError, match="argument 'out' must be a writable"):
        codec.decode(blob, out=bytes(len(ALICE)))
    with pytest.raises(ValueError):  # a PrefixCodeError is the ValueError numcodecs users catch
        codec.decode(b"not a container")


def test_numcodec_in_a_zarr_v2_array_behind_a_shuffle(numcodecs, tmp_path):
    zarr = pytest.importorskip("zarr")
    from prefixcode.numcodecs import PrefixCodec

    a = arrays()[2]
    z = zarr.create_array(store=str(tmp_path / "v2"), shape=a.shape, chunks=(1, 20, 50), dtype=a.dtype,
                          zarr_format=2, filters=[numcodecs.Shuffle(elementsize=4)],
                          compressors=PrefixCodec(level=7))
    z[:] = a
    meta = json.loads((tmp_path / "v2" / ".zarray").read_text())
    assert meta["compressor"] == {"id": "prefixcode", "level": 7, "threads": 1}
    assert zarr.open_array(str(tmp_path / "v2"))[:].tobytes() == a.tobytes()


# -- zarr v3 ----------------------------------------------------------------------------
@pytest.fixture
def zarr():
    return pytest.importorskip("zarr")


def test_zarr_codec_round_trip_and_metadata(zarr, tmp_path):
    from prefixcode.zarr import PrefixCodec

    a = arrays()[1]
    path = str(tmp_path / "a.zarr")
    z = zarr.create_array(store=path, shape=a.shape, chunks=(32, 32), dtype=a.dtype,
                          compressors=PrefixCodec(level=9))
    z[:] = a
    meta = json.loads((tmp_path / "a.zarr" / "zarr.json").read_text())
    assert {"name": "prefixcode", "configuration": {"level": 9}} in meta["codecs"]
    chunk = (tmp_path / "a.zarr" / "c" / "0" / "0").read_bytes()
    assert chunk[:4] == b"PFXC" and len(pc.decompress(chunk)) == 32 * 32 * 2
    assert zarr.open_array(path)[:].tobytes() == a.tobytes()
    # the dict form names it too (as xarray's encoding may)
    z2 = zarr.create_array(store={}, shape=(10,), dtype="uint8", compressors={"name": "prefixcode"})
    assert z2.compressors == (PrefixCodec(),)


@pytest.mark.filterwarnings("ignore:Numcodecs codecs are not in the Zarr version 3 specification")
def test_zarr_codec_behind_a_byte_shuffle(zarr):
    shuffle = pytest.importorskip("zarr.codecs.numcodecs").Shuffle
    from prefixcode.zarr import PrefixCodec

    a = arrays()[2]
    plain = zarr.create_array(store={}, shape=a.shape, chunks=a.shape, dtype=a.dtype,
                              compressors=PrefixCodec())
    shuffled = zarr.create_array(store={}, shape=a.shape, chunks=a.shape, dtype=a.dtype,
                                 compressors=[shuffle(elementsize=4), PrefixCodec()])
    plain[:] = a
    shuffled[:] = a
    assert shuffled[:].tobytes() == a.tobytes()
    assert shuffled.nbytes_stored() < 0.85 * plain.nbytes_stored()


def test_zarr_codec_found_through_its_entry_point(zarr, tmp_path):
    from prefixcode.zarr import PrefixCodec

    path = str(tmp_path / "b.zarr")
    z = zarr.create_array(store=path, shape=(3000,), chunks=(1000,), dtype="uint8",
                          compressors=PrefixCodec())
    z[:] = np.frombuffer(ALICE[:3000], dtype=np.uint8)
    code = ("import sys, zarr; z = zarr.open_array(sys.argv[1]); "
            "print(type(z.compressors[0]).__module__, bytes(z[:]) == open(sys.argv[2], 'rb').read()[:3000])")
    alice = tmp_path / "alice"
    alice.write_bytes(ALICE)
    out = subprocess.run([sys.executable, "-c", code, path, str(alice)], capture_output=True, text=True,
                         check=True)
    assert out.stdout.split() == ["prefixcode.zarr", "True"]


def test_zarr_codec_dict_round_trip_and_errors(zarr):
    from prefixcode.zarr import PrefixCodec

    codec = PrefixCodec(level=3)
    assert PrefixCodec.from_dict(codec.to_dict()) == codec
    assert PrefixCodec.from_dict({"name": "prefixcode"}) == PrefixCodec()
    assert PrefixCodec() != codec and hash(PrefixCodec(level=3)) == hash(codec)
    with pytest.raises(pc.PrefixCodeError, match="argument 'level'"):
        PrefixCodec(level=10)
    with pytest.raises(pc.PrefixCodeError, match="argument 'configuration'"):
        PrefixCodec.from_dict({"name": "prefixcode", "configuration": {"threads": 4}})
    with pytest.raises(ValueError):
        PrefixCodec.from_dict({"name": "gzip", "configuration": {}})


def test_zarr_damaged_chunk_is_a_format_error(zarr, tmp_path):
    from prefixcode.zarr import PrefixCodec

    path = tmp_path / "d.zarr"
    z = zarr.create_array(store=str(path), shape=(5000,), chunks=(5000,), dtype="uint8",
                          compressors=PrefixCodec())
    z[:] = np.frombuffer(ALICE[:5000], dtype=np.uint8)
    chunk = path / "c" / "0"
    data = bytearray(chunk.read_bytes())
    data[len(data) // 2] ^= 0x10
    chunk.write_bytes(bytes(data))
    with pytest.raises(pc.FormatError):
        zarr.open_array(str(path))[:]


# -- Dask -------------------------------------------------------------------------------
@pytest.fixture
def dask_array():
    return pytest.importorskip("dask.array")


@pytest.mark.parametrize("dtype", ["uint8", "int8", "int16", "uint32", "int64", "bool"])
@pytest.mark.parametrize("shape, chunks", [((1000,), 64), ((40, 50), (7, 9)), ((6, 7, 8), (2, 3, 5))])
def test_dask_histogram_of_arrays(dask_array, dtype, shape, chunks):
    from prefixcode.dask import histogram

    rng = np.random.default_rng(len(shape))
    a = rng.integers(-(2**40), 2**40, size=shape) % (2 if dtype == "bool" else 300) - 20
    a = a.astype(dtype)
    x = dask_array.from_array(a, chunks=chunks)
    ref = pc.Distribution.from_bytes(a.tobytes()) if dtype == "uint8" else \
        pc.Distribution.from_samples(a.ravel().tolist())
    for split_every in (None, 2, 100):
        d = histogram(x, split_every=split_every)
        assert d.symbols == ref.symbols
        assert all(type(s) is type(r) for s, r in zip(d.symbols, ref.symbols))
        assert d.counts.tolist() == ref.counts.tolist()
        np.testing.assert_array_equal(d.probs, ref.probs)


def test_dask_histogram_of_a_bag_and_the_tools_on_it(dask_array):
    import dask
    import dask.bag as db

    from prefixcode.dask import histogram

    words = ALICE.decode("ascii", "replace").split()
    with dask.config.set(scheduler="sync"):
        d = histogram(db.from_sequence(words, npartitions=7), split_every=2)
        mixed = histogram(db.from_sequence([1, "a", (2, 3), "a", None], npartitions=2))
    ref = pc.Distribution.from_samples(words)
    assert d.symbols == ref.symbols and d.counts.tolist() == ref.counts.tolist()
    assert mixed.to_dict() == {1: 0.2, "a": 0.4, (2, 3): 0.2, None: 0.2}
    code = pc.huffman(d)
    assert code.expected_length(d) == pytest.approx(pc.huffman(ref).expected_length(ref))
    assert pc.analyze(d, code).entropy == pytest.approx(pc.entropy(ref))
    # bytes: the same entropy as the whole text's
    x = dask_array.from_array(np.frombuffer(ALICE, dtype=np.uint8), chunks=1000)
    assert pc.entropy(histogram(x)) == pytest.approx(pc.entropy(ALICE), rel=1e-12)


def test_dask_histogram_errors(dask_array):
    import dask
    import dask.bag as db

    from prefixcode.dask import histogram

    with pytest.raises(pc.PrefixCodeError, match="not of dtype float32"):
        histogram(dask_array.ones(10, dtype="float32"))
    with pytest.raises(pc.PrefixCodeError, match="non-empty"):
        histogram(dask_array.zeros(0, dtype="int16"))
    with pytest.raises(pc.PrefixCodeError, match="non-empty"), dask.config.set(scheduler="sync"):
        histogram(db.from_sequence([], npartitions=1))
    with pytest.raises(pc.PrefixCodeError, match="a Dask array or a Dask bag"):
        histogram(np.arange(10))
    with pytest.raises(pc.PrefixCodeError, match="hashable"), dask.config.set(scheduler="sync"):
        histogram(db.from_sequence([[1], [2]], npartitions=1))


def test_dask_to_zarr_and_back_on_a_local_cluster_of_processes(tmp_path):
    """The worked example of docs/integrations.md: a Dask array written through the codec to
    a zarr store by two worker processes, read back by them, every byte checked."""
    da = pytest.importorskip("dask.array")
    pytest.importorskip("zarr")
    distributed = pytest.importorskip("distributed")
    from prefixcode.dask import histogram
    from prefixcode.zarr import PrefixCodec

    started = time.monotonic()
    rng = np.random.default_rng(7)
    lat = np.linspace(-90, 90, 361, dtype=np.float32)[:, None]
    field = 288 - 30 * np.sin(np.radians(lat)) ** 2 + rng.normal(0, 0.5, (361, 720))
    a = np.round(field, 2).astype(np.float32)  # a temperature grid (K), to 0.01 K
    path = str(tmp_path / "t2m.zarr")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=":0", worker_dashboard_address=":0",
                                  death_timeout=20) as cluster, \
            distributed.Client(cluster, timeout=20) as client:
        pids = set(client.run(os.getpid, wait=True).values())
        assert len(pids) == 2 and os.getpid() not in pids
        x = da.from_array(a, chunks=(91, 180))
        da.to_zarr(x, path, mode="w", compressors=[PrefixCodec(level=6)])
        back = da.from_zarr(path)
        got = back.compute(timeout=30)
        assert got.dtype == a.dtype and got.tobytes() == a.tobytes()
        assert bool((back == x).all().compute(timeout=30))
        d = histogram(back.map_blocks(lambda b: b.view(np.uint8), dtype=np.uint8))
        assert d.counts.tolist() == pc.histogram(a.tobytes()).tolist()
    chunks = [p for p in (tmp_path / "t2m.zarr" / "c").rglob("*") if p.is_file()]
    assert len(chunks) == 4 * 4 and all(p.read_bytes()[:4] == b"PFXC" for p in chunks)
    assert time.monotonic() - started < 60


# -- fsspec -------------------------------------------------------------------------------
@pytest.fixture
def fsspec():
    fsspec = pytest.importorskip("fsspec")
    import prefixcode.fsspec  # noqa: F401  (registers "pfx")

    return fsspec


def test_fsspec_compression_by_name_and_suffix(fsspec, tmp_path):
    assert "pfx" in fsspec.available_compressions()
    path = str(tmp_path / "alice.txt.pfx")
    with fsspec.open(path, "wb", compression="infer") as f:
        f.write(ALICE[:1000])
        f.write(ALICE[1000:])
    with open(path, "rb") as f:
        assert pc.decompress(f.read()) == ALICE
    with fsspec.open(path, "rb", compression="pfx") as f:
        assert f.read(10) == ALICE[:10] and f.read() == ALICE[10:]
    with fsspec.open(path, "rt", compression="infer", encoding="ascii", errors="replace") as f:
        expected = io.TextIOWrapper(io.BytesIO(ALICE), encoding="ascii", errors="replace")
        assert f.readline() == expected.readline() and f.read() == expected.read()
    # any container reads the same
    plain = tmp_path / "plain.pfx"
    plain.write_bytes(pc.compress(b"x" * 10_000))
    with fsspec.open(str(plain), "rb", compression="infer") as f:
        assert f.read() == b"x" * 10_000


def test_fsspec_errors(fsspec, tmp_path):
    from prefixcode.fsspec import open_pfx

    bad = tmp_path / "bad.pfx"
    bad.write_bytes(pc.compress(ALICE)[:-3])
    with pytest.raises(pc.FormatError), fsspec.open(str(bad), "rb", compression="infer") as f:
        f.read()
    with open(bad, "rb") as raw, pytest.raises(pc.PrefixCodeError, match="argument 'mode'"):
        open_pfx(raw, mode="r+b")
    # appending adds a member: the file reads back as the concatenation
    path = str(tmp_path / "log.pfx")
    for part in (b"one\n", b"two\n"):
        with fsspec.open(path, "ab", compression="infer") as f:
            f.write(part)
    with fsspec.open(path, "rb", compression="infer") as f:
        assert f.read() == b"one\ntwo\n"


def test_xarray_encoding_names_the_codec(zarr, tmp_path):
    xr = pytest.importorskip("xarray")
    from prefixcode.zarr import PrefixCodec

    t = np.round(np.random.default_rng(3).normal(280, 5, (40, 60)), 1).astype(np.float32)
    ds = xr.Dataset({"t2m": (("lat", "lon"), t)})
    path = str(tmp_path / "t.zarr")
    ds.to_zarr(path, encoding={"t2m": {"compressors": [PrefixCodec(level=9)]}}, zarr_format=3,
               consolidated=False)
    meta = json.loads((tmp_path / "t.zarr" / "t2m" / "zarr.json").read_text())
    assert {"name": "prefixcode", "configuration": {"level": 9}} in meta["codecs"]
    back = xr.open_zarr(path, consolidated=False)
    assert back["t2m"].values.tobytes() == t.tobytes()
