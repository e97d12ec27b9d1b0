#!/usr/bin/env bash
# Unpack a built archive into a temporary folder and run its self-test as a user's machine would:
# no virtualenv on PATH, PYTHONPATH unset, HOME a fresh folder, no display.
#   bash packaging/app-self-test.sh dist/DeskSeek-<version>-linux-x86_64.tar.gz
set -euo pipefail
archive=$(realpath "${1:?archive}")
where=$(mktemp -d)
trap 'rm -rf "$where"' EXIT
tar -C "$where" -xzf "$archive"
mkdir -p "$where/home"
env -i HOME="$where/home" PATH=/usr/bin:/bin LANG=C.UTF-8 \
  "$where/DeskSeek/deskseek" --self-test
