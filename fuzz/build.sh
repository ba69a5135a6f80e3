#!/usr/bin/env bash
# Build the libFuzzer harnesses fuzz/fuzz_*.c with AddressSanitizer and UBSan, each linked
# with the C sources of the container (src/prefixcode/container/*.c) and of the core
# (src/prefixcode/_core/*.c), less the Python bindings: any file that includes Python.h,
# directly or through one of the project's own headers that does.
#
#   fuzz/build.sh [DIR]           # DIR/fuzz_decode, DIR/fuzz_roundtrip, DIR/fuzz_stream; default fuzz/build
#
# With --libfuzzer, it builds instead clang's libFuzzer as a shared library, for the
# atheris harness to load before an extension built with -fsanitize=fuzzer-no-link:
#
#   fuzz/build.sh --libfuzzer [OUTPUT]   # default fuzz/build/libfuzzer.so
set -euo pipefail
cd "$(dirname "$0")/.."
cc=${CC_FUZZ:-clang}
if [ "${1:-}" = --libfuzzer ]; then
  out=${2:-fuzz/build/libfuzzer.so}
  archive=$("$cc" -print-file-name=libclang_rt.fuzzer_no_main-x86_64.a)
  [ -f "$archive" ] || { echo "fuzz/build.sh: clang has no libFuzzer runtime ($archive)" >&2; exit 1; }
  mkdir -p "$(dirname "$out")"
  set -x
  "$cc" -shared -o "$out" -Wl,--whole-archive "$archive" -Wl,--no-whole-archive -lstdc++ -pthread
  exit 0
fi
dir=${1:-fuzz/build}
dirs=(src/prefixcode/container src/prefixcode/_core)

includes_python() { grep -Eq '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]Python\.h[>"]' "$1"; }

# the project's headers that pull in Python
py_headers=()
for h in src/prefixcode/container/*.h src/prefixcode/_core/*.h; do
  [ -e "$h" ] || continue
  if includes_python "$h"; then py_headers+=("$(basename "$h")"); fi
done

srcs=()
for f in src/prefixcode/container/*.c src/prefixcode/_core/*.c; do
  [ -e "$f" ] || continue
  if includes_python "$f"; then continue; fi
  uses_python=0
  for h in "${py_headers[@]+"${py_headers[@]}"}"; do
    if grep -Eq "#[[:space:]]*include[[:space:]]*\"([^\"]*/)?${h//./\\.}\"" "$f"; then uses_python=1; fi
  done
  [ "$uses_python" = 0 ] && srcs+=("$f")
done
if [ "${#srcs[@]}" -eq 0 ]; then
  echo "fuzz/build.sh: no C sources of the decoder under ${dirs[*]}" >&2
  exit 1
fi

libs=(-lm -pthread)
if grep -lq '<zlib\.h>' "${srcs[@]}"; then libs+=(-lz); fi

mkdir -p "$dir"
for harness in fuzz/fuzz_*.c; do
  name=$(basename "$harness" .c)
  (set -x; "$cc" -g -O1 -fno-omit-frame-pointer \
    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
    -Wall -Wextra \
    -I fuzz -I src/prefixcode/container -I src/prefixcode/_core -I src/prefixcode \
    "$harness" "${srcs[@]}" "${libs[@]}" -o "$dir/$name")
done
