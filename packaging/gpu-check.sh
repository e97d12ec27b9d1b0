#!/usr/bin/env bash
# The GPU checks (issues #3 and #4) as one prepared run on a lent NVIDIA machine that has torch,
# transformers and pytest but no network and none of DeskSeek's other packages.
#
#   here, once:  bash packaging/gpu-check.sh --fetch     # wheels the machine lacks -> .whl/
#   there:       bash packaging/gpu-check.sh             # carry .whl; ~10 minutes at most
#
# It runs tests/gpu (the probe, the CUDA order, experts-on-CPU placement when llama.cpp can
# offload, the torch engine eager/compiled on CUDA), then bench/bench_torch_gpu.py, and writes
# both logs to $OUT (the device tool's folder) or ./gpu-check-out.
set -uo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = --fetch ]; then
  # gguf is the only import of the GPU tests missing from that machine's image (Python 3.12).
  python3 -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 -d .whl "gguf==0.19.0"
  ls -la .whl
  exit
fi

out=${OUT:-gpu-check-out}
mkdir -p "$out"
export PYTHONUNBUFFERED=1
if ls .whl/*.whl >/dev/null 2>&1; then
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl || exit 1
  export PYTHONPATH=/tmp/site:$PWD
else
  export PYTHONPATH=$PWD
fi

{
  date -u
  nvidia-smi -L || true
  python3 -c 'import torch, transformers; print("torch", torch.__version__, "cuda", torch.version.cuda, "transformers", transformers.__version__); print(torch.cuda.get_device_name() if torch.cuda.is_available() else "no CUDA")'
} 2>&1 | tee "$out/machine.txt"

# The GPU tests: under 5 minutes by the issue; the cold torch.compile dominates.
timeout 280 python3 -m pytest tests/gpu -v -p no:cacheprovider -o addopts="-ra" 2>&1 | tee "$out/gpu-tests.txt"
tests=${PIPESTATUS[0]}

# Decode at batch 1, real DeepSeek-V2-Lite shapes in bf16: ours vs transformers vs the roofline.
timeout 300 python3 bench/bench_torch_gpu.py 2>&1 | tee "$out/bench-gpu.txt"
bench=${PIPESTATUS[0]}

echo "gpu tests exit $tests, bench exit $bench" | tee -a "$out/machine.txt"
[ "$tests" = 0 ] && [ "$bench" = 0 ]
