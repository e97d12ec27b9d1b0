"""Replace OpenCV's video and AVIF libraries in a built app by small stand-ins, and drop what only
they needed.  python packaging/stub_opencv_video.py build/app-dist/DeskSeek

Why: opencv-python-headless links FFmpeg (libavcodec, libavformat, libavutil, libswscale, and through
them libaom, libvpx, libdav1d, libswresample, libdrm, OpenSSL 1.1) and libavif into cv2 itself, so
cv2 will not import without them: 18 MB of the gzipped archive. DeskSeek uses OpenCV only through
rapidocr's image arithmetic on arrays it is given (resize, contours, perspective warps): never
VideoCapture/VideoWriter, never cv2.imread/imwrite of an AVIF file. Each stand-in carries the same
name, the same symbol versions and every function cv2 imports from the real one; a call to any of
them (which DeskSeek never makes) prints what happened and aborts, instead of misbehaving.
`deskseek --self-test` (its OCR check) and tests/packaging run OCR through the stubbed cv2.

Needs readelf and a C compiler (cc), as the llama.cpp wheel build does; without a compiler the
real libraries stay and the build says so.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# The libraries cv2 links that DeskSeek never calls, by the start of their file names.
STUBBED = ("libavcodec-", "libavformat-", "libavutil-", "libswscale-", "libavif-")


def imports(elf: Path) -> list[tuple[str, str]]:
    """(symbol, version or "") of each function `elf` imports."""
    out = subprocess.run(["readelf", "--dyn-syms", "-W", str(elf)], capture_output=True, text=True,
                         check=True).stdout
    found = []
    for line in out.splitlines():
        cols = line.split()
        if len(cols) >= 8 and cols[6] == "UND" and cols[3] in ("FUNC", "NOTYPE") and cols[7]:
            name, _, version = cols[7].partition("@")
            found.append((name, version.lstrip("@").split(" ")[0]))
    return found


def needed(elf: Path) -> set[str]:
    out = subprocess.run(["readelf", "-d", str(elf)], capture_output=True, text=True).stdout
    return set(re.findall(r"\(NEEDED\)\s+Shared library: \[(.+?)\]", out))


def stub(real: Path, symbols: list[tuple[str, str]], work: Path) -> None:
    """Compile a stand-in for `real` (same soname) defining `symbols`, over `real`."""
    c = work / f"{real.name}.c"
    body = ['#include <stdio.h>', '#include <stdlib.h>',
            f'static void gone(const char *f) {{ fprintf(stderr, "DeskSeek: %s is not part of this '
            f'app ({real.name} is a stand-in: OpenCV video and AVIF are left out)\\n", f); abort(); }}']
    body += [f'void {name}(void) {{ gone("{name}"); }}' for name, _ in symbols]
    c.write_text("\n".join(body) + "\n")
    cmd = ["cc", "-shared", "-fPIC", "-O1", "-s", f"-Wl,-soname,{real.name}", "-o", str(work / real.name), str(c)]
    versions = sorted({v for _, v in symbols if v})
    if versions:
        script = work / f"{real.name}.map"
        script.write_text("".join(
            f"{v} {{ global: {' '.join(n + ';' for n, w in symbols if w == v)} }};\n" for v in versions))
        cmd.insert(1, f"-Wl,--version-script,{script}")
    subprocess.run(cmd, check=True)
    shutil.copyfile(work / real.name, real)


def main(app: Path) -> int:
    internal = app / "_internal"
    cv2 = next(internal.glob("cv2/cv2*.so"))
    libs = internal / "opencv_python_headless.libs"
    if shutil.which("cc") is None:
        print("stub_opencv_video: no C compiler (cc): OpenCV's video libraries stay in the app", file=sys.stderr)
        return 0
    wanted = imports(cv2)
    with tempfile.TemporaryDirectory() as work:
        for real in sorted(libs.iterdir()):
            if not real.name.startswith(STUBBED):
                continue
            prefix = real.name.split("-")[0]
            own = [(n, v) for n, v in wanted
                   if (v and v.lower().startswith(prefix))
                   or (not v and prefix == "libavif" and n.startswith("avif"))]
            stub(real, own, Path(work))
    # Now drop each bundled OpenCV library no remaining binary links (aom, vpx, dav1d, OpenSSL ...).
    while True:
        elves = [p for p in internal.rglob("*.so*") if p.is_file() and not p.is_symlink()]
        linked = set().union(*(needed(p) for p in elves))
        unused = [p for p in libs.iterdir() if p.name not in linked]
        if not unused:
            break
        for lib in unused:
            lib.unlink()
            top = internal / lib.name  # PyInstaller's link to it at the top of _internal
            if top.is_symlink():
                top.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
