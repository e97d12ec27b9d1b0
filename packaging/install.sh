#!/usr/bin/env bash
# Put DeskSeek in the application launcher for this user (no root): a freedesktop .desktop entry,
# the icon, and a `deskseek` command in ~/.local/bin. `--uninstall` takes exactly those away.
# Neither touches your conversations or settings (~/.local/share/DeskSeek) nor this folder.
#   ./install.sh              ./install.sh --uninstall
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
entry=$data/applications/deskseek.desktop
icon=$data/icons/hicolor/scalable/apps/deskseek.svg
command=$HOME/.local/bin/deskseek

refresh() {  # launchers read their caches; the tools are optional
  command -v update-desktop-database >/dev/null && update-desktop-database -q "$data/applications" || true
  command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$data/icons/hicolor" || true
}

if [ "${1:-}" = "--uninstall" ]; then
  rm -f "$entry" "$icon"
  # The command link only if it is ours (a link into a DeskSeek folder), never someone else's file.
  if [ -L "$command" ] && [ "$(basename "$(readlink "$command")")" = deskseek ]; then rm -f "$command"; fi
  refresh
  echo "DeskSeek was removed from the launcher. Your conversations are kept in $data/DeskSeek;" \
       "delete this folder ($here) to remove the program."
  exit 0
fi
[ -x "$here/deskseek" ] || { echo "install.sh must stay in the unpacked DeskSeek folder, beside deskseek." >&2; exit 1; }
mkdir -p "$(dirname "$entry")" "$(dirname "$icon")" "$(dirname "$command")"
cp "$here/deskseek.svg" "$icon"
# The entry points at this folder: quote the path, as the Desktop Entry spec asks for spaces.
sed -e "s|^Exec=.*|Exec=\"$here/deskseek\" %F|" -e "s|^Icon=.*|Icon=deskseek|" \
  "$here/deskseek.desktop" > "$entry.part"
mv "$entry.part" "$entry"
if [ ! -e "$command" ] || [ -L "$command" ]; then ln -sfn "$here/deskseek" "$command"; fi
refresh
echo "DeskSeek is in your application launcher (and \`deskseek\` in ~/.local/bin)." \
     "Move this folder? Run ./install.sh again from its new place."
