#!/bin/sh
# Adds RNN Studio to the desktop's application menu, for the current user only:
#   ./install-desktop-entry.sh                  in the bundle's folder (the bundle has a copy)
#   packaging/install-desktop-entry.sh [BUNDLE_FOLDER]     (default: dist/rnn-studio)
#   ./install-desktop-entry.sh --remove
# Writes ~/.local/share/applications/rnn-studio.desktop (its Exec line points at the
# bundle's rnn-studio program) and the icons into ~/.local/share/icons/hicolor/.
set -eu

here="$(cd "$(dirname "$0")" && pwd)"
if [ -x "$here/rnn-studio" ]; then default="$here"; else default="$here/../dist/rnn-studio"; fi
data="${XDG_DATA_HOME:-$HOME/.local/share}"
entry="$data/applications/rnn-studio.desktop"
sizes="16 32 48 64 128 256"

if [ "${1:-}" = "--remove" ]; then
    rm -f "$entry"
    for size in $sizes; do
        rm -f "$data/icons/hicolor/${size}x${size}/apps/rnn-studio.png"
    done
    rm -f "$data/icons/hicolor/scalable/apps/rnn-studio.svg"
    echo "Removed the RNN Studio menu entry."
    exit 0
fi

bundle="$(cd "${1:-$default}" 2>/dev/null && pwd)" || {
    echo "No bundle at ${1:-$default}: build it with 'make package' or give its folder." >&2
    exit 1
}
program="$bundle/rnn-studio"
[ -x "$program" ] || { echo "$program is missing or not executable." >&2; exit 1; }
icons="$bundle/_internal/resources/icons"
[ -d "$icons" ] || { echo "$icons is missing: the bundle is incomplete." >&2; exit 1; }

mkdir -p "$data/applications" "$data/icons/hicolor/scalable/apps"
for size in $sizes; do
    mkdir -p "$data/icons/hicolor/${size}x${size}/apps"
    cp "$icons/rnn-studio-$size.png" "$data/icons/hicolor/${size}x${size}/apps/rnn-studio.png"
done
cp "$icons/rnn-studio.svg" "$data/icons/hicolor/scalable/apps/rnn-studio.svg"
# Quote the program path for the Exec key (spaces are allowed inside double quotes).
sed "s|^Exec=rnn-studio|Exec=\"$program\"|" "$here/rnn-studio.desktop" > "$entry.tmp"
mv "$entry.tmp" "$entry"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$data/applications" || true
echo "RNN Studio is in the application menu ($entry)."
