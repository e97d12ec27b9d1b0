#!/usr/bin/env bash
# Build llama-cpp-python once into a wheelhouse keyed by its version and build flags.
#
# Why not plain `pip install`: llama-cpp-python ships only source, and pip's wheel cache ignores
# CMAKE_ARGS, so a wheel built once with other flags is silently reused. And the default build
# uses -march=native, which on some virtual machines enables AMX kernels that crash in
# ggml_backend_amx_mul_mat; we build for AVX2 instead, which runs on any x86-64 CPU since 2013.
# Usage: build-llama-wheel.sh PYTHON  -> prints the wheel's path
set -euo pipefail
python=${1:?python interpreter}
version=0.3.36
if [ -n "${DESKSEEK_LLAMA_CMAKE_ARGS:-}" ]; then
  cmake_args=$DESKSEEK_LLAMA_CMAKE_ARGS
elif [ "$(uname -m)" = x86_64 ]; then
  cmake_args="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON"
else
  cmake_args="-DGGML_NATIVE=ON"
fi
key=$(printf '%s %s %s' "$version" "$cmake_args" "$("$python" -c 'import sys; print(sys.version_info[:2])')" | sha256sum | cut -c1-12)
house=${XDG_CACHE_HOME:-$HOME/.cache}/deskseek/wheels/$key
wheel=$(ls "$house"/llama_cpp_python-*.whl 2>/dev/null | head -n 1 || true)
if [ -z "$wheel" ]; then
  mkdir -p "$house"
  echo "Building llama-cpp-python $version ($cmake_args); this takes minutes on a small machine..." >&2
  CMAKE_ARGS="$cmake_args" CMAKE_BUILD_PARALLEL_LEVEL=$(nproc) \
    "$python" -m pip wheel --no-cache-dir --no-deps -q -w "$house" "llama-cpp-python==$version" >&2
  wheel=$(ls "$house"/llama_cpp_python-*.whl | head -n 1)
fi
echo "$wheel"
