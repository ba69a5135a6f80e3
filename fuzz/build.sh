#!/usr/bin/env bash
# Build the libFuzzer harness fuzz/fuzz_decode.c with AddressSanitizer and UBSan, linked
# with the C sources of the container (src/prefixcode/container/*.c) and of the core
# (src/prefixcode/_core/*.c), less the Python bindings: any file that includes Python.h,
# directly or through one of the project's own headers that does.
#
#   fuzz/build.sh [OUTPUT]        # default fuzz/build/fuzz_decode; needs clang (libFuzzer)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-fuzz/build/fuzz_decode}
cc=${CC_FUZZ:-clang}
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

mkdir -p "$(dirname "$out")"
set -x
"$cc" -g -O1 -fno-omit-frame-pointer \
  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
  -Wall -Wextra \
  -I src/prefixcode/container -I src/prefixcode/_core -I src/prefixcode \
  fuzz/fuzz_decode.c "${srcs[@]}" "${libs[@]}" -o "$out"
