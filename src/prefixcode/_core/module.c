/* prefixcode._core._ext: the Python face of the C kernels. This file only parses
 * arguments, releases the GIL around the work and builds results; the work is in the
 * other files (here and in container/). Results are built as CPython's zlib module
 * builds them: a new bytes object only we hold, filled, then shortened.
 *
 * Format errors are not exceptions here: the container's functions return a status
 * tuple, which container/_format.py turns into a FormatError with its message.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "core.h"
#include "../container/format.h"
#include "../container/pfx.h"

#if defined(__linux__)
#include <sys/mman.h>
#endif

uint32_t pfx_crc32_portable(uint32_t crc, const uint8_t *data, size_t n);

/* Fresh results: large ones are advised huge pages, as numpy advises its own arrays,
 * and their pages are made present in one call (MADV_POPULATE_WRITE, Linux 5.14) rather
 * than one page fault at a time as the kernels first write them: on a virtual machine a
 * fault costs a microsecond or more. Hints only: where they fail, nothing changes. */
static void advise_fresh(void *addr, size_t n, int populate) {
#if defined(__linux__)
    uintptr_t a = ((uintptr_t)addr + 4095) & ~(uintptr_t)4095;
    uintptr_t e = ((uintptr_t)addr + n) & ~(uintptr_t)4095;
    if (e <= a) return;
#if defined(MADV_HUGEPAGE)
    if (n >= (4u << 20)) madvise((void *)a, e - a, MADV_HUGEPAGE);
#endif
    if (populate && n >= (64u << 10)) madvise((void *)a, e - a, 23 /* MADV_POPULATE_WRITE */);
#else
    (void)addr;
    (void)n;
    (void)populate;
#endif
}

/* A new bytes object of n bytes to be written (populate: all of them will be). */
static PyObject *new_bytes(Py_ssize_t n, int populate) {
    PyObject *b = PyBytes_FromStringAndSize(NULL, n);
    if (b) advise_fresh(PyBytes_AS_STRING(b), (size_t)n, populate);
    return b;
}

/* Shorten a bytes object that nobody else has seen to `size`; NULL on failure. */
static PyObject *finish_bytes(PyObject *b, Py_ssize_t size) {
    if (size != PyBytes_GET_SIZE(b) && _PyBytes_Resize(&b, size) < 0) return NULL;
    return b;
}

static int check_items(Py_buffer *v, Py_ssize_t itemsize, const char *name) {
    if (v->len % itemsize) {
        PyErr_Format(PyExc_ValueError, "%s: a buffer of %zd-byte items expected", name, itemsize);
        return -1;
    }
    return 0;
}

/* ---- Result: a bytes object under construction, never shown until finished ------- */
typedef struct {
    PyObject_HEAD PyObject *bytes; /* NULL once finished */
} ResultObject;

static void Result_dealloc(ResultObject *self) {
    Py_XDECREF(self->bytes);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *Result_new(PyTypeObject *type, PyObject *args, PyObject *kwds) {
    Py_ssize_t n;
    int populate = 0;
    static char *kwlist[] = {"size", "populate", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "n|p", kwlist, &n, &populate)) return NULL;
    if (n < 0) return PyErr_Format(PyExc_ValueError, "size must be >= 0");
    ResultObject *self = (ResultObject *)type->tp_alloc(type, 0);
    if (!self) return NULL;
    self->bytes = new_bytes(n, populate);
    if (!self->bytes) {
        Py_DECREF(self);
        return NULL;
    }
    return (PyObject *)self;
}

static int result_span(ResultObject *self, Py_ssize_t pos, Py_ssize_t n, char **at) {
    if (!self->bytes) {
        PyErr_SetString(PyExc_ValueError, "the result is finished");
        return -1;
    }
    Py_ssize_t size = PyBytes_GET_SIZE(self->bytes);
    if (pos < 0 || n < 0 || pos > size || n > size - pos) {
        PyErr_Format(PyExc_ValueError, "%zd bytes at %zd do not fit a result of %zd", n, pos, size);
        return -1;
    }
    *at = PyBytes_AS_STRING(self->bytes) + pos;
    return 0;
}

static PyObject *Result_write(ResultObject *self, PyObject *args) {
    Py_ssize_t pos;
    Py_buffer data;
    char *at;
    if (!PyArg_ParseTuple(args, "ny*", &pos, &data)) return NULL;
    if (result_span(self, pos, data.len, &at) < 0) {
        PyBuffer_Release(&data);
        return NULL;
    }
    Py_BEGIN_ALLOW_THREADS memcpy(at, data.buf, (size_t)data.len);
    Py_END_ALLOW_THREADS PyBuffer_Release(&data);
    Py_RETURN_NONE;
}

static PyObject *Result_finish(ResultObject *self, PyObject *args) {
    Py_ssize_t size;
    char *at;
    if (!PyArg_ParseTuple(args, "n", &size)) return NULL;
    if (result_span(self, 0, size, &at) < 0) return NULL;
    PyObject *b = self->bytes;
    self->bytes = NULL;
    return finish_bytes(b, size);
}

static PyObject *Result_size(ResultObject *self, void *closure) {
    (void)closure;
    return PyLong_FromSsize_t(self->bytes ? PyBytes_GET_SIZE(self->bytes) : 0);
}

static PyMethodDef Result_methods[] = {
    {"write", (PyCFunction)Result_write, METH_VARARGS, "write(pos, data): copy data to pos"},
    {"finish", (PyCFunction)Result_finish, METH_VARARGS, "finish(size) -> the first size bytes, as bytes"},
    {NULL, NULL, 0, NULL}};

static PyGetSetDef Result_getset[] = {{"size", (getter)Result_size, NULL, "bytes allocated", NULL},
                                      {NULL, NULL, NULL, NULL, NULL}};

static PyTypeObject ResultType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "prefixcode._core._ext.Result",
    .tp_basicsize = sizeof(ResultObject),
    .tp_dealloc = (destructor)Result_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Result(size, populate=False): a bytes object being written by the kernels (populate:\n"
              "all of it will be, so its pages are made present at once); finish(n) hands it over.",
    .tp_methods = Result_methods,
    .tp_getset = Result_getset,
    .tp_new = Result_new,
};

/* A writable destination: a Result or a writable buffer. */
typedef struct {
    Py_buffer view;
    int is_view;
    char *buf;
    Py_ssize_t len;
} dest;

static int get_dest(PyObject *obj, dest *d) {
    d->is_view = 0;
    if (PyObject_TypeCheck(obj, &ResultType)) {
        ResultObject *r = (ResultObject *)obj;
        if (!r->bytes) {
            PyErr_SetString(PyExc_ValueError, "the result is finished");
            return -1;
        }
        d->buf = PyBytes_AS_STRING(r->bytes);
        d->len = PyBytes_GET_SIZE(r->bytes);
        return 0;
    }
    if (PyObject_GetBuffer(obj, &d->view, PyBUF_WRITABLE | PyBUF_C_CONTIGUOUS) < 0) return -1;
    d->is_view = 1;
    d->buf = d->view.buf;
    d->len = d->view.len;
    return 0;
}

static void release_dest(dest *d) {
    if (d->is_view) PyBuffer_Release(&d->view);
}

/* ---- code lengths and codewords --------------------------------------------------- */
/* Lengths of sorted float64 weights into an int64 buffer: Huffman's, or with max_len > 0
   package-merge's optimal limited ones. */
static PyObject *sorted_lengths(Py_buffer *w, Py_buffer *out, int arity, int minvar, int max_len,
                                const char *name) {
    Py_ssize_t n = w->len / 8;
    int st = -2;
    if (check_items(w, 8, "w") < 0 || out->len != n * 8 || n < 2 || arity < 2 || max_len < 0) {
        if (!PyErr_Occurred()) PyErr_Format(PyExc_ValueError, "%s: bad arguments", name);
    } else {
        Py_BEGIN_ALLOW_THREADS st = max_len ? pfx_package_merge(w->buf, (size_t)n, max_len, arity, out->buf)
                                            : pfx_huffman_sorted(w->buf, (size_t)n, arity, minvar, out->buf);
        Py_END_ALLOW_THREADS
    }
    PyBuffer_Release(w);
    PyBuffer_Release(out);
    if (st == -1) return PyErr_NoMemory();
    if (st < 0) return NULL;
    Py_RETURN_NONE;
}

static PyObject *py_huffman_lengths(PyObject *m, PyObject *args) {
    (void)m;
    Py_buffer w, out;
    int arity, minvar;
    if (!PyArg_ParseTuple(args, "y*ipw*", &w, &arity, &minvar, &out)) return NULL;
    return sorted_lengths(&w, &out, arity, minvar, 0, "huffman_lengths");
}

static PyObject *py_package_merge(PyObject *m, PyObject *args) {
    (void)m;
    Py_buffer w, out;
    int max_len, arity;
    if (!PyArg_ParseTuple(args, "y*iiw*", &w, &max_len, &arity, &out)) return NULL;
    if (max_len < 1) max_len = -1; /* (refused below) */
    return sorted_lengths(&w, &out, arity, 0, max_len, "package_merge");
}

static PyObject *py_canonical_codes(PyObject *m, PyObject *args) {
    (void)m;
    Py_buffer l, out;
    if (!PyArg_ParseTuple(args, "y*w*", &l, &out)) return NULL;
    Py_ssize_t n = l.len / 8;
    int ok = check_items(&l, 8, "lengths") == 0 && out.len == n * 8;
    if (ok) {
        const int64_t *ln = l.buf;
        for (Py_ssize_t i = 0; i < n && ok; i++) ok = ln[i] >= 0 && ln[i] <= 63;
        if (ok) pfx_canonical_codes(ln, (size_t)n, out.buf);
        else PyErr_SetString(PyExc_ValueError, "canonical_codes: lengths must be 0..63");
    } else if (!PyErr_Occurred()) {
        PyErr_SetString(PyExc_ValueError, "canonical_codes: bad arguments");
    }
    PyBuffer_Release(&l);
    PyBuffer_Release(&out);
    if (!ok) return NULL;
    Py_RETURN_NONE;
}

static PyObject *py_code_lengths(PyObject *m, PyObject *args) {
    /* the container's lengths for up to 256 counts (a sequence of ints) */
    (void)m;
    PyObject *seq;
    int max_len, exact = 0;
    if (!PyArg_ParseTuple(args, "Oi|p", &seq, &max_len, &exact)) return NULL;
    PyObject *fast = PySequence_Fast(seq, "counts must be a sequence");
    if (!fast) return NULL;
    Py_ssize_t k = PySequence_Fast_GET_SIZE(fast);
    if (k > 256 || max_len < 1 || max_len > 32 || (1LL << max_len) < k) {
        Py_DECREF(fast);
        return PyErr_Format(PyExc_ValueError, "code_lengths: at most 256 counts and 2**max_len >= their number");
    }
    uint32_t counts[256];
    for (Py_ssize_t i = 0; i < k; i++) {
        unsigned long long c = PyLong_AsUnsignedLongLong(PySequence_Fast_GET_ITEM(fast, i));
        if (c == (unsigned long long)-1 && PyErr_Occurred()) {
            Py_DECREF(fast);
            return NULL;
        }
        if (c > 0xFFFFFFFFull) {
            Py_DECREF(fast);
            return PyErr_Format(PyExc_ValueError, "code_lengths: counts must be < 2**32");
        }
        counts[i] = (uint32_t)c;
    }
    Py_DECREF(fast);
    uint8_t lengths[256];
    pfx_lengths_for_counts(counts, (int)k, max_len, exact, lengths);
    return PyBytes_FromStringAndSize((const char *)lengths, k);
}

static PyObject *py_encode_lengths(PyObject *m, PyObject *args) {
    (void)m;
    Py_buffer l;
    if (!PyArg_ParseTuple(args, "y*", &l)) return NULL;
    if (l.len != 256) {
        PyBuffer_Release(&l);
        return PyErr_Format(PyExc_ValueError, "encode_lengths: 256 lengths expected");
    }
    uint8_t out[PFX_MAX_TABLE + 8];
    size_t n = pfx_encode_lengths(l.buf, out);
    PyBuffer_Release(&l);
    return PyBytes_FromStringAndSize((const char *)out, (Py_ssize_t)n);
}

static PyObject *py_decode_lengths(PyObject *m, PyObject *args) {
    (void)m;
    Py_buffer t;
    if (!PyArg_ParseTuple(args, "y*", &t)) return NULL;
    uint8_t lengths[256];
    int st = pfx_decode_lengths(t.buf, (size_t)t.len, lengths);
    PyBuffer_Release(&t);
    if (st != 0) return PyLong_FromLong(st);
    return PyBytes_FromStringAndSize((const char *)lengths, 256);
}

static PyObject *py_decoding_table(PyObject *m, PyObject *args) {
    (void)m;
    Py_buffer l;
    int bits;
    if (!PyArg_ParseTuple(args, "y*i", &l, &bits)) return NULL;
    int ok = l.len <= 256 && bits >= 1 && bits <= 16;
    const uint8_t *ln = l.buf;
    for (Py_ssize_t i = 0; ok && i < l.len; i++) ok = ln[i] <= bits;
    if (!ok) {
        PyBuffer_Release(&l);
        return PyErr_Format(PyExc_ValueError, "decoding_table: at most 256 lengths of at most bits <= 16");
    }
    PyObject *out = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)2 << bits);
    if (out) pfx_decoding_table(ln, (int)l.len, bits, (uint16_t *)(void *)PyBytes_AS_STRING(out));
    PyBuffer_Release(&l);
    return out;
}

static PyObject *py_plan_log(PyObject *m, PyObject *args) {
    (void)m;
    unsigned long long c;
    if (!PyArg_ParseTuple(args, "K", &c)) return NULL;
    if (c > (1ull << 21)) return PyErr_Format(PyExc_ValueError, "plan_log: c must be <= 2**21");
    return PyLong_FromUnsignedLongLong(pfx_plan_log(c));
}

/* ---- histograms, CRC-32 ----------------------------------------------------------- */
static PyObject *py_byte_histogram(PyObject *m, PyObject *args) {
    (void)m;
    Py_buffer data, counts;
    if (!PyArg_ParseTuple(args, "y*w*", &data, &counts)) return NULL;
    if (counts.len != 256 * 8) {
        PyBuffer_Release(&data);
        PyBuffer_Release(&counts);
        return PyErr_Format(PyExc_ValueError, "byte_histogram: counts must be 256 int64");
    }
    int64_t *c = counts.buf;
    const uint8_t *p = data.buf;
    size_t n = (size_t)data.len;
    Py_BEGIN_ALLOW_THREADS while (n) {
        /* (uint32 tables: in pieces of at most 2**31 bytes) */
        size_t k = n < ((size_t)1 << 31) ? n : ((size_t)1 << 31);
        uint32_t h[256] = {0};
        pfx_byte_histogram(p, k, h);
        for (int b = 0; b < 256; b++) c[b] += h[b];
        p += k;
        n -= k;
    }
    Py_END_ALLOW_THREADS PyBuffer_Release(&data);
    PyBuffer_Release(&counts);
    Py_RETURN_NONE;
}

static PyObject *crc_common(PyObject *args, uint32_t (*fn)(uint32_t, const uint8_t *, size_t)) {
    Py_buffer data;
    unsigned int value = 0;
    if (!PyArg_ParseTuple(args, "y*|I", &data, &value)) return NULL;
    uint32_t c;
    if (data.len > 65536) {
        Py_BEGIN_ALLOW_THREADS c = fn(value, data.buf, (size_t)data.len);
        Py_END_ALLOW_THREADS
    } else {
        c = fn(value, data.buf, (size_t)data.len);
    }
    PyBuffer_Release(&data);
    return PyLong_FromUnsignedLong(c);
}

static PyObject *py_crc32(PyObject *m, PyObject *args) {
    (void)m;
    return crc_common(args, pfx_crc32);
}

static PyObject *py_crc32_portable(PyObject *m, PyObject *args) {
    (void)m;
    return crc_common(args, pfx_crc32_portable);
}

static PyObject *py_crc32_combine(PyObject *m, PyObject *args) {
    (void)m;
    unsigned int c1, c2;
    unsigned long long len2;
    if (!PyArg_ParseTuple(args, "IIK", &c1, &c2, &len2)) return NULL;
    return PyLong_FromUnsignedLong(pfx_crc32_combine(c1, c2, len2));
}

/* ---- pc.encode / pc.decode -------------------------------------------------------- */
static int int_format(Py_buffer *v, int *itemsize, int *is_signed) {
    const char *f = v->format ? v->format : "B";
    if (*f == '<' || *f == '=' || *f == '@' || *f == '!' || *f == '>') {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
        if (*f == '<') return -1;
#else
        if (*f == '>' || *f == '!') return -1;
#endif
        f++;
    }
    if (f[0] == 0 || f[1] != 0) return -1;
    switch (f[0]) {
    case 'b': case 'h': case 'i': case 'l': case 'q': case 'n': *is_signed = 1; break;
    case 'B': case 'H': case 'I': case 'L': case 'Q': case 'N': *is_signed = 0; break;
    default: return -1;
    }
    *itemsize = (int)v->itemsize;
    return (*itemsize == 1 || *itemsize == 2 || *itemsize == 4 || *itemsize == 8) ? 0 : -1;
}

static PyObject *py_codec_pack(PyObject *m, PyObject *args) {
    (void)m;
    PyObject *msg_obj;
    Py_buffer msg, codes, lens;
    long long offset;
    if (!PyArg_ParseTuple(args, "Oy*y*L", &msg_obj, &codes, &lens, &offset)) return NULL;
    if (PyObject_GetBuffer(msg_obj, &msg, PyBUF_FORMAT | PyBUF_C_CONTIGUOUS) < 0) {
        PyBuffer_Release(&codes);
        PyBuffer_Release(&lens);
        return NULL;
    }
    PyObject *result = NULL;
    int itemsize, is_signed;
    if (int_format(&msg, &itemsize, &is_signed) < 0 || codes.len != lens.len || lens.len % 8) {
        PyErr_SetString(PyExc_ValueError, "codec_pack: a native integer array and matching tables expected");
        goto done;
    }
    size_t n = (size_t)(msg.len / itemsize), size = (size_t)(lens.len / 8);
    /* (the GIL stays held: the message may be a buffer other threads write to, and the
       packing trusts what the counting pass saw) */
    int64_t bits = pfx_codec_bits(msg.buf, n, itemsize, is_signed, lens.buf, size, offset);
    if (bits < 0) {
        result = Py_BuildValue("(OLn)", Py_None, 0LL, (Py_ssize_t)(-bits - 1));
        goto done;
    }
    PyObject *out = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)((bits + 7) / 8 + 1));
    if (!out) goto done;
    memset(PyBytes_AS_STRING(out), 0, (size_t)PyBytes_GET_SIZE(out));
    pfx_codec_pack(msg.buf, n, itemsize, is_signed, codes.buf, lens.buf, offset, (uint8_t *)PyBytes_AS_STRING(out));
    out = finish_bytes(out, (Py_ssize_t)((bits + 7) / 8));
    if (!out) goto done;
    result = Py_BuildValue("(NLn)", out, (long long)bits, (Py_ssize_t)-1);
done:
    PyBuffer_Release(&msg);
    PyBuffer_Release(&codes);
    PyBuffer_Release(&lens);
    return result;
}

static PyObject *py_codec_unpack(PyObject *m, PyObject *args) {
    (void)m;
    Py_buffer buf, table, child, leaf, values, out;
    unsigned long long nbits;
    int k;
    if (!PyArg_ParseTuple(args, "y*Kiy*y*y*y*w*", &buf, &nbits, &k, &table, &child, &leaf, &values, &out))
        return NULL;
    PyObject *result = NULL;
    int isz = (int)values.itemsize;
    if (values.len == 0) isz = 1;
    if (k < 1 || k > 16 || table.len != (Py_ssize_t)4 << k || (unsigned long long)buf.len < (nbits + 7) / 8 + 8 ||
        (isz != 1 && isz != 2 && isz != 4 && isz != 8) || out.len % isz || child.len % 8 || leaf.len % 8) {
        PyErr_SetString(PyExc_ValueError, "codec_unpack: bad arguments");
        goto done;
    }
    int status = 0;
    uint64_t start = 0, end = 0;
    size_t count;
    Py_BEGIN_ALLOW_THREADS count = pfx_codec_unpack(buf.buf, nbits, k, table.buf, child.buf, leaf.buf, values.buf,
                                                    isz, out.buf, (size_t)(out.len / isz), &status, &start, &end);
    Py_END_ALLOW_THREADS result = Py_BuildValue("(niKK)", (Py_ssize_t)count, status, (unsigned long long)start,
                                                (unsigned long long)end);
done:
    PyBuffer_Release(&buf);
    PyBuffer_Release(&table);
    PyBuffer_Release(&child);
    PyBuffer_Release(&leaf);
    PyBuffer_Release(&values);
    PyBuffer_Release(&out);
    return result;
}

/* ---- stream coders (arith.c) ------------------------------------------------------- */
/* The model's arrays (freq, cum: uint32; live: int32), checked so that the kernels may
 * trust them: live indices in range, of positive frequency, their slots tiling
 * [0, 2**freq_bits) in order. kind 0: arithmetic (precision 8..42), 1: rANS (8..62). */
static int stream_model(Py_buffer *freq, Py_buffer *cum, Py_buffer *live, int freq_bits, int kind, int precision,
                        pfx_stream_model *m) {
    int max_precision = kind ? 62 : 42;
    if ((kind != 0 && kind != 1) || precision < 8 || precision > max_precision || freq_bits != precision / 2 ||
        freq->len != cum->len || freq->len % 4 || live->len % 4 || live->len == 0 || live->len > freq->len) {
        PyErr_SetString(PyExc_ValueError, "stream coder: bad model or precision");
        return -1;
    }
    m->freq = freq->buf;
    m->cum = cum->buf;
    m->m = (size_t)(freq->len / 4);
    m->live = live->buf;
    m->nlive = (size_t)(live->len / 4);
    m->freq_bits = freq_bits;
    uint64_t next = 0;
    for (size_t j = 0; j < m->nlive; j++) {
        int32_t i = m->live[j];
        if (i < 0 || (size_t)i >= m->m || m->freq[i] == 0 || m->cum[i] != next || (j && i <= m->live[j - 1])) {
            PyErr_SetString(PyExc_ValueError, "stream coder: the live symbols do not tile the total");
            return -1;
        }
        next += m->freq[i];
    }
    if (next != (UINT64_C(1) << freq_bits)) {
        PyErr_SetString(PyExc_ValueError, "stream coder: the frequencies do not sum to the total");
        return -1;
    }
    return 0;
}

static PyObject *py_stream_encode(PyObject *mod, PyObject *args) {
    (void)mod;
    int kind, freq_bits, precision;
    Py_buffer idx, freq, cum, live;
    if (!PyArg_ParseTuple(args, "iy*y*y*y*ii", &kind, &idx, &freq, &cum, &live, &freq_bits, &precision)) return NULL;
    PyObject *result = NULL;
    pfx_stream_model m;
    if (stream_model(&freq, &cum, &live, freq_bits, kind, precision, &m) < 0 || check_items(&idx, 4, "idx") < 0)
        goto done;
    size_t n = (size_t)(idx.len / 4);
    uint64_t cap = kind ? pfx_ans_bound(n, precision) : pfx_arith_bound(n, precision);
    if (cap > (uint64_t)PY_SSIZE_T_MAX) {
        PyErr_NoMemory();
        goto done;
    }
    PyObject *out = new_bytes((Py_ssize_t)cap, 0);
    if (!out) goto done;
    uint8_t *o = (uint8_t *)PyBytes_AS_STRING(out);
    uint64_t nbits = 0;
    int64_t bad;
    Py_BEGIN_ALLOW_THREADS bad = kind ? pfx_ans_encode(idx.buf, n, &m, precision, o, &nbits)
                                      : pfx_arith_encode(idx.buf, n, &m, precision, o, &nbits);
    Py_END_ALLOW_THREADS if (bad == -2) {
        Py_DECREF(out);
        PyErr_NoMemory();
        goto done;
    }
    if (bad >= 0) {
        Py_DECREF(out);
        result = Py_BuildValue("(OKL)", Py_None, 0ULL, (long long)bad);
        goto done;
    }
    out = finish_bytes(out, (Py_ssize_t)((nbits + 7) / 8));
    if (!out) goto done;
    result = Py_BuildValue("(NKL)", out, (unsigned long long)nbits, -1LL);
done:
    PyBuffer_Release(&idx);
    PyBuffer_Release(&freq);
    PyBuffer_Release(&cum);
    PyBuffer_Release(&live);
    return result;
}

static PyObject *py_stream_decode(PyObject *mod, PyObject *args) {
    (void)mod;
    int kind, freq_bits, precision;
    unsigned long long nbits;
    Py_buffer buf, freq, cum, live, out;
    if (!PyArg_ParseTuple(args, "iy*Ky*y*y*iiw*", &kind, &buf, &nbits, &freq, &cum, &live, &freq_bits, &precision,
                          &out))
        return NULL;
    PyObject *result = NULL;
    pfx_stream_model m;
    if (stream_model(&freq, &cum, &live, freq_bits, kind, precision, &m) < 0 || check_items(&out, 4, "out") < 0)
        goto done;
    if ((unsigned long long)buf.len < nbits / 8 + (nbits % 8 != 0) || (kind && nbits < (unsigned)precision - 1)) {
        PyErr_SetString(PyExc_ValueError, "stream_decode: fewer bytes than bits");
        goto done;
    }
    int status;
    uint64_t where = 0, state = 0;
    size_t n = (size_t)(out.len / 4);
    Py_BEGIN_ALLOW_THREADS status = kind ? pfx_ans_decode(buf.buf, nbits, n, &m, precision, out.buf, &where, &state)
                                         : pfx_arith_decode(buf.buf, nbits, n, &m, precision, out.buf);
    Py_END_ALLOW_THREADS if (status < 0) {
        PyErr_NoMemory();
        goto done;
    }
    result = Py_BuildValue("(iKK)", status, (unsigned long long)where, (unsigned long long)state);
done:
    PyBuffer_Release(&buf);
    PyBuffer_Release(&freq);
    PyBuffer_Release(&cum);
    PyBuffer_Release(&live);
    PyBuffer_Release(&out);
    return result;
}

/* ---- adaptive Huffman (adaptive.c) ----------------------------------------------- */
/* nkeys: the alphabet's size (1..2**24), or 0 for none; keys: uint32. */
static int check_nkeys(long long nkeys) {
    if (nkeys < 0 || nkeys > (long long)PFX_AH_MAX_ALPHABET) {
        PyErr_SetString(PyExc_ValueError, "adaptive coder: alphabet size outside 0..2**24");
        return -1;
    }
    return 0;
}

static PyObject *py_adaptive_encode(PyObject *mod, PyObject *args) {
    (void)mod;
    Py_buffer keys;
    long long nkeys;
    int vitter;
    if (!PyArg_ParseTuple(args, "y*Lp", &keys, &nkeys, &vitter)) return NULL;
    PyObject *result = NULL;
    if (check_nkeys(nkeys) < 0 || check_items(&keys, 4, "keys") < 0) goto done;
    uint8_t *out = NULL;
    uint64_t nbits = 0;
    int64_t bad;
    Py_BEGIN_ALLOW_THREADS bad = pfx_adaptive_encode(keys.buf, (size_t)(keys.len / 4), (uint32_t)nkeys, vitter, &out,
                                                     &nbits);
    Py_END_ALLOW_THREADS if (bad == -2) {
        PyErr_NoMemory();
        goto done;
    }
    if (bad >= 0) {
        result = Py_BuildValue("(OKL)", Py_None, 0ULL, (long long)bad);
        goto done;
    }
    PyObject *data = PyBytes_FromStringAndSize((const char *)out, (Py_ssize_t)((nbits + 7) / 8));
    free(out);
    if (!data) goto done;
    result = Py_BuildValue("(NKL)", data, (unsigned long long)nbits, -1LL);
done:
    PyBuffer_Release(&keys);
    return result;
}

static PyObject *py_adaptive_decode(PyObject *mod, PyObject *args) {
    (void)mod;
    Py_buffer buf, out;
    unsigned long long nbits;
    long long n, nkeys;
    int vitter;
    if (!PyArg_ParseTuple(args, "y*KLLpw*", &buf, &nbits, &n, &nkeys, &vitter, &out)) return NULL;
    PyObject *result = NULL;
    if (check_nkeys(nkeys) < 0 || check_items(&out, 4, "out") < 0) goto done;
    if ((unsigned long long)buf.len < nbits / 8 + (nbits % 8 != 0)) {
        PyErr_SetString(PyExc_ValueError, "adaptive_decode: fewer bytes than bits");
        goto done;
    }
    int status;
    size_t count = 0;
    uint64_t where = 0;
    uint32_t bad_key = 0;
    uint64_t want = n < 0 ? PFX_AH_UNTIL_END : (uint64_t)n;
    Py_BEGIN_ALLOW_THREADS status = pfx_adaptive_decode(buf.buf, nbits, want, (size_t)(out.len / 4), (uint32_t)nkeys,
                                                        vitter, out.buf, &count, &where, &bad_key);
    Py_END_ALLOW_THREADS if (status == PFX_AH_NOMEM) {
        PyErr_NoMemory();
        goto done;
    }
    result = Py_BuildValue("(inKI)", status, (Py_ssize_t)count, (unsigned long long)where, (unsigned int)bad_key);
done:
    PyBuffer_Release(&buf);
    PyBuffer_Release(&out);
    return result;
}

/* ---- the container ---------------------------------------------------------------- */
static int check_level(int level) {
    if (level < 1 || level > 9) {
        PyErr_Format(PyExc_ValueError, "level must be 1..9, got %d", level);
        return -1;
    }
    return 0;
}

static PyObject *py_compress(PyObject *m, PyObject *args) {
    (void)m;
    Py_buffer data;
    int level = PFX_DEFAULT_LEVEL;
    if (!PyArg_ParseTuple(args, "y*|i", &data, &level)) return NULL;
    if (check_level(level) < 0) {
        PyBuffer_Release(&data);
        return NULL;
    }
    PyObject *out = new_bytes((Py_ssize_t)pfx_compress_bound((size_t)data.len), 0);
    if (!out) {
        PyBuffer_Release(&data);
        return NULL;
    }
    size_t size;
    Py_BEGIN_ALLOW_THREADS size = pfx_compress(data.buf, (size_t)data.len, (uint8_t *)PyBytes_AS_STRING(out), level);
    Py_END_ALLOW_THREADS PyBuffer_Release(&data);
    return finish_bytes(out, (Py_ssize_t)size);
}

static PyObject *py_compress_bound(PyObject *m, PyObject *args) {
    (void)m;
    Py_ssize_t n;
    if (!PyArg_ParseTuple(args, "n", &n)) return NULL;
    if (n < 0) return PyErr_Format(PyExc_ValueError, "compress_bound: n must be >= 0");
    return PyLong_FromSize_t(pfx_compress_bound((size_t)n));
}

static PyObject *py_encode_chunk(PyObject *m, PyObject *args) {
    /* encode_chunk(data, start, stop) -> (blocks, crc) for data[start:stop] (<= MAX_BLOCK) */
    (void)m;
    Py_buffer data;
    Py_ssize_t start, stop;
    int level = PFX_DEFAULT_LEVEL;
    if (!PyArg_ParseTuple(args, "y*nn|i", &data, &start, &stop, &level)) return NULL;
    if (check_level(level) < 0) {
        PyBuffer_Release(&data);
        return NULL;
    }
    if (start < 0 || stop < start || stop > data.len || stop - start > (Py_ssize_t)PFX_MAX_BLOCK) {
        PyBuffer_Release(&data);
        return PyErr_Format(PyExc_ValueError, "encode_chunk: bad range %zd..%zd", start, stop);
    }
    size_t n = (size_t)(stop - start);
    PyObject *out = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)pfx_chunk_bound(n));
    if (!out) {
        PyBuffer_Release(&data);
        return NULL;
    }
    size_t size;
    uint32_t crc;
    const uint8_t *p = (const uint8_t *)data.buf + start;
    Py_BEGIN_ALLOW_THREADS size = pfx_encode_chunk(p, n, (uint8_t *)PyBytes_AS_STRING(out), level);
    crc = pfx_crc32(0, p, n);
    Py_END_ALLOW_THREADS PyBuffer_Release(&data);
    out = finish_bytes(out, (Py_ssize_t)size);
    if (!out) return NULL;
    return Py_BuildValue("(Nk)", out, (unsigned long)crc);
}

static PyObject *report(pfx_report *r, PyObject *value) {
    /* (status, pos, stored, computed, value) */
    return Py_BuildValue("(inKKN)", r->status, (Py_ssize_t)r->pos, (unsigned long long)r->stored,
                         (unsigned long long)r->computed, value);
}

static PyObject *py_member_size(PyObject *m, PyObject *args) {
    (void)m;
    Py_buffer blob;
    Py_ssize_t pos;
    if (!PyArg_ParseTuple(args, "y*n", &blob, &pos)) return NULL;
    pfx_report r;
    uint64_t total = 0;
    if (pos < 0) pos = blob.len + 1;
    Py_BEGIN_ALLOW_THREADS pfx_member_size(blob.buf, (size_t)blob.len, (size_t)pos, &total, &r);
    Py_END_ALLOW_THREADS PyBuffer_Release(&blob);
    return report(&r, PyLong_FromUnsignedLongLong(total));
}

static PyObject *py_decompress(PyObject *m, PyObject *args) {
    /* decompress(blob, pos, max_size) -> (status, pos, stored, computed, bytes or None):
       one member; max_size < 0 for no limit */
    (void)m;
    Py_buffer blob;
    Py_ssize_t pos;
    long long max_size;
    if (!PyArg_ParseTuple(args, "y*nL", &blob, &pos, &max_size)) return NULL;
    pfx_report r;
    uint64_t total = 0;
    if (pos < 0) pos = blob.len + 1;
    const uint8_t *src = blob.buf;
    size_t n = (size_t)blob.len;
    int st;
    Py_BEGIN_ALLOW_THREADS st = pfx_member_size(src, n, (size_t)pos, &total, &r);
    Py_END_ALLOW_THREADS if (st != PFX_OK) {
        PyBuffer_Release(&blob);
        return report(&r, Py_NewRef(Py_None));
    }
    if (max_size >= 0 && total > (uint64_t)max_size) {
        PyBuffer_Release(&blob);
        r.status = PFX_E_LIMIT;
        r.pos = (size_t)pos;
        r.stored = total;
        r.computed = (uint64_t)max_size;
        return report(&r, Py_NewRef(Py_None));
    }
    if (total > (uint64_t)PY_SSIZE_T_MAX) {
        PyBuffer_Release(&blob);
        return PyErr_NoMemory();
    }
    PyObject *out = new_bytes((Py_ssize_t)total, 1);
    if (!out) {
        PyBuffer_Release(&blob);
        return NULL;
    }
    size_t written;
    Py_BEGIN_ALLOW_THREADS st = pfx_member_decode(src, n, (size_t)pos, (uint8_t *)PyBytes_AS_STRING(out),
                                                  (size_t)total, &written, &r);
    Py_END_ALLOW_THREADS PyBuffer_Release(&blob);
    if (st != PFX_OK) {
        Py_DECREF(out);
        return report(&r, Py_NewRef(Py_None));
    }
    return report(&r, out);
}

static PyObject *py_decompress_into(PyObject *m, PyObject *args) {
    /* decompress_into(blob, pos, out, out_pos=0) -> (status, pos, stored, computed,
       written): one member, into out[out_pos:] (a Result or a writable buffer) */
    (void)m;
    Py_buffer blob;
    Py_ssize_t pos, out_pos = 0;
    PyObject *dst_obj;
    if (!PyArg_ParseTuple(args, "y*nO|n", &blob, &pos, &dst_obj, &out_pos)) return NULL;
    dest d;
    if (get_dest(dst_obj, &d) < 0) {
        PyBuffer_Release(&blob);
        return NULL;
    }
    if (out_pos < 0 || out_pos > d.len) {
        PyBuffer_Release(&blob);
        release_dest(&d);
        return PyErr_Format(PyExc_ValueError, "decompress_into: out_pos outside the output");
    }
    pfx_report r;
    uint64_t total = 0;
    size_t written = 0, room = (size_t)(d.len - out_pos);
    if (pos < 0) pos = blob.len + 1;
    int st;
    Py_BEGIN_ALLOW_THREADS st = pfx_member_size(blob.buf, (size_t)blob.len, (size_t)pos, &total, &r);
    if (st == PFX_OK && total > (uint64_t)room) {
        r.status = st = PFX_E_LIMIT;
        r.pos = (size_t)pos;
        r.stored = total;
        r.computed = (uint64_t)room;
    } else if (st == PFX_OK) {
        pfx_member_decode(blob.buf, (size_t)blob.len, (size_t)pos, (uint8_t *)d.buf + out_pos, (size_t)total,
                          &written, &r);
    }
    Py_END_ALLOW_THREADS PyBuffer_Release(&blob);
    release_dest(&d);
    return report(&r, PyLong_FromSize_t(r.status == PFX_OK ? written : 0));
}

static PyObject *py_scan(PyObject *m, PyObject *args) {
    /* scan(blob, pos, step) -> (status, pos, stored, computed, splits): walks the block
       headers from pos (after a header) to the end marker; splits lists (offset, output
       offset) at the first block boundary past each multiple of `step` output bytes, and
       last (end marker offset, total), or, when a block is cut short or damaged, (its
       offset, the output before it). At most total / step + 3 entries. */
    (void)m;
    Py_buffer blob;
    Py_ssize_t pos;
    unsigned long long step;
    if (!PyArg_ParseTuple(args, "y*nK", &blob, &pos, &step)) return NULL;
    if (step == 0) step = 1;
    PyObject *splits = PyList_New(0);
    if (!splits) {
        PyBuffer_Release(&blob);
        return NULL;
    }
    pfx_report r = {PFX_OK, 0, 0, 0};
    const uint8_t *src = blob.buf;
    size_t n = (size_t)blob.len;
    uint64_t out = 0, next = 0;
    pfx_block b;
    if (pos < 0 || (size_t)pos > n) pos = (Py_ssize_t)n;
    for (;;) {
        int st = pfx_parse_block(src, n, (size_t)pos, &b);
        if (st != PFX_OK) {
            r.status = st;
            r.pos = (size_t)pos;
            /* (the last entry says where the blocks read in full end) */
            PyObject *t = Py_BuildValue("(nK)", pos, (unsigned long long)out);
            if (!t || PyList_Append(splits, t) < 0) {
                Py_XDECREF(t);
                Py_DECREF(splits);
                PyBuffer_Release(&blob);
                return NULL;
            }
            Py_DECREF(t);
            break;
        }
        if (b.kind == PFX_BLOCK_END || out >= next) {
            PyObject *t = Py_BuildValue("(nK)", pos, (unsigned long long)out);
            if (!t || PyList_Append(splits, t) < 0) {
                Py_XDECREF(t);
                Py_DECREF(splits);
                PyBuffer_Release(&blob);
                return NULL;
            }
            Py_DECREF(t);
            next = out + step;
        }
        if (b.kind == PFX_BLOCK_END) {
            r.pos = (size_t)pos;
            break;
        }
        out += b.n;
        pos = (Py_ssize_t)b.next;
    }
    PyBuffer_Release(&blob);
    return report(&r, splits);
}

static PyObject *py_decode_blocks(PyObject *m, PyObject *args) {
    /* decode_blocks(blob, pos, stop, dst, dst_pos, cap) -> (status, pos, stored, computed,
       (written, crc)): blocks from pos up to the boundary `stop` (or the end marker) into
       dst[dst_pos:dst_pos + cap]; dst a Result or a writable buffer */
    (void)m;
    Py_buffer blob;
    Py_ssize_t pos, stop, dpos, cap;
    PyObject *dst_obj;
    if (!PyArg_ParseTuple(args, "y*nnOnn", &blob, &pos, &stop, &dst_obj, &dpos, &cap)) return NULL;
    dest d;
    if (get_dest(dst_obj, &d) < 0) {
        PyBuffer_Release(&blob);
        return NULL;
    }
    if (pos < 0 || stop < pos || stop > blob.len || dpos < 0 || cap < 0 || dpos > d.len || cap > d.len - dpos) {
        PyBuffer_Release(&blob);
        release_dest(&d);
        return PyErr_Format(PyExc_ValueError, "decode_blocks: bad range");
    }
    pfx_report r;
    size_t written = 0;
    uint32_t crc = 0;
    Py_BEGIN_ALLOW_THREADS pfx_decode_blocks(blob.buf, (size_t)blob.len, (size_t)pos, (size_t)stop,
                                             (uint8_t *)d.buf + dpos, (size_t)cap, &written, &crc, &r);
    Py_END_ALLOW_THREADS PyBuffer_Release(&blob);
    release_dest(&d);
    return report(&r, Py_BuildValue("(nk)", (Py_ssize_t)written, (unsigned long)crc));
}

static PyMethodDef methods[] = {
    {"huffman_lengths", py_huffman_lengths, METH_VARARGS,
     "huffman_lengths(w, arity, min_variance, out): lengths of sorted float64 weights into int64 out"},
    {"package_merge", py_package_merge, METH_VARARGS,
     "package_merge(w, max_length, arity, out): optimal limited lengths of sorted weights"},
    {"canonical_codes", py_canonical_codes, METH_VARARGS,
     "canonical_codes(lengths, out): canonical codewords (uint64) of int64 lengths"},
    {"code_lengths", py_code_lengths, METH_VARARGS, "code_lengths(counts, max_len) -> bytes: the container's rule"},
    {"encode_lengths", py_encode_lengths, METH_VARARGS, "encode_lengths(256 lengths) -> the block's table"},
    {"decode_lengths", py_decode_lengths, METH_VARARGS, "decode_lengths(table) -> 256 lengths, or a status < 0"},
    {"decoding_table", py_decoding_table, METH_VARARGS, "decoding_table(lengths, bits) -> uint16 entries, length | symbol << 8"},
    {"plan_log", py_plan_log, METH_VARARGS, "plan_log(c) -> the planner's LOG(c)"},
    {"byte_histogram", py_byte_histogram, METH_VARARGS, "byte_histogram(data, counts): add to 256 int64 counts"},
    {"crc32", py_crc32, METH_VARARGS, "crc32(data, value=0) -> CRC-32 (zlib's)"},
    {"crc32_portable", py_crc32_portable, METH_VARARGS, "crc32 by tables alone"},
    {"crc32_combine", py_crc32_combine, METH_VARARGS, "crc32_combine(crc1, crc2, len2) -> CRC of the concatenation"},
    {"codec_pack", py_codec_pack, METH_VARARGS, "codec_pack(msg, codes, lens, offset) -> (bytes, nbits, bad)"},
    {"codec_unpack", py_codec_unpack, METH_VARARGS,
     "codec_unpack(buf, nbits, k, table, child, leaf, values, out) -> (count, status, start, end)"},
    {"stream_encode", py_stream_encode, METH_VARARGS,
     "stream_encode(kind, idx, freq, cum, live, freq_bits, precision) -> (bytes, nbits, bad)"},
    {"stream_decode", py_stream_decode, METH_VARARGS,
     "stream_decode(kind, buf, nbits, freq, cum, live, freq_bits, precision, out) -> (status, where, state)"},
    {"adaptive_encode", py_adaptive_encode, METH_VARARGS,
     "adaptive_encode(keys, nkeys, vitter) -> (bytes, nbits, bad)"},
    {"adaptive_decode", py_adaptive_decode, METH_VARARGS,
     "adaptive_decode(buf, nbits, n, nkeys, vitter, out) -> (status, count, where, key); n < 0: to the end"},
    {"compress", py_compress, METH_VARARGS, "compress(data, level=6) -> one member, on this thread"},
    {"compress_bound", py_compress_bound, METH_VARARGS, "compress_bound(n) -> the largest member of n bytes"},
    {"encode_chunk", py_encode_chunk, METH_VARARGS, "encode_chunk(data, start, stop, level=6) -> (blocks, crc)"},
    {"member_size", py_member_size, METH_VARARGS, "member_size(blob, pos) -> (status, pos, stored, computed, size)"},
    {"decompress", py_decompress, METH_VARARGS, "decompress(blob, pos, max_size) -> (status, pos, s, c, bytes)"},
    {"decompress_into", py_decompress_into, METH_VARARGS,
     "decompress_into(blob, pos, out, out_pos=0) -> (..., written)"},
    {"scan", py_scan, METH_VARARGS, "scan(blob, pos, step) -> (status, pos, s, c, splits)"},
    {"decode_blocks", py_decode_blocks, METH_VARARGS,
     "decode_blocks(blob, pos, stop, dst, dst_pos, cap) -> (status, pos, s, c, (written, crc))"},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef moduledef = {PyModuleDef_HEAD_INIT, "_ext",
                                       "prefixcode's C kernels (private: no public names).", -1, methods,
                                       NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__ext(void) {
    pfx_init();
    if (PyType_Ready(&ResultType) < 0) return NULL;
    PyObject *mod = PyModule_Create(&moduledef);
    if (!mod) return NULL;
    Py_INCREF(&ResultType);
    if (PyModule_AddObject(mod, "Result", (PyObject *)&ResultType) < 0) {
        Py_DECREF(&ResultType);
        Py_DECREF(mod);
        return NULL;
    }
    struct {
        const char *name;
        long value;
    } consts[] = {{"VERSION", PFX_VERSION},
                  {"HEADER_SIZE", PFX_HEADER_SIZE},
                  {"TRAILER_SIZE", PFX_TRAILER_SIZE},
                  {"MAX_BLOCK", PFX_MAX_BLOCK},
                  {"CODE_BITS", PFX_CODE_BITS},
                  {"META_BITS", PFX_META_BITS},
                  {"MAX_TABLE", PFX_MAX_TABLE},
                  {"UNIT", PFX_UNIT},
                  {"TABLE_PRICE", PFX_TABLE_PRICE},
                  {"DEFAULT_LEVEL", PFX_DEFAULT_LEVEL},
                  {"BLOCK_END", PFX_BLOCK_END},
                  {"BLOCK_RAW", PFX_BLOCK_RAW},
                  {"BLOCK_RUN", PFX_BLOCK_RUN},
                  {"BLOCK_CODED", PFX_BLOCK_CODED},
                  {"OK", PFX_OK},
                  {"TRUNCATED", PFX_TRUNCATED},
                  {"E_MAGIC", PFX_E_MAGIC},
                  {"E_VERSION", PFX_E_VERSION},
                  {"E_FLAGS", PFX_E_FLAGS},
                  {"E_BLOCK_TYPE", PFX_E_BLOCK_TYPE},
                  {"E_VARINT", PFX_E_VARINT},
                  {"E_BLOCK_LENGTH", PFX_E_BLOCK_LENGTH},
                  {"E_TABLE_SIZE", PFX_E_TABLE_SIZE},
                  {"E_TABLE", PFX_E_TABLE},
                  {"E_STREAM_SIZES", PFX_E_STREAM_SIZES},
                  {"E_STREAM", PFX_E_STREAM},
                  {"E_LENGTH", PFX_E_LENGTH},
                  {"E_CRC", PFX_E_CRC},
                  {"E_LIMIT", PFX_E_LIMIT}};
    for (size_t i = 0; i < sizeof consts / sizeof consts[0]; i++)
        if (PyModule_AddIntConstant(mod, consts[i].name, consts[i].value) < 0) {
            Py_DECREF(mod);
            return NULL;
        }
    if (PyModule_AddStringConstant(mod, "MAGIC", PFX_MAGIC) < 0) {
        Py_DECREF(mod);
        return NULL;
    }
    return mod;
}
