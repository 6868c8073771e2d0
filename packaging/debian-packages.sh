#!/bin/sh
# Installs the Debian/Ubuntu packages RNN Studio needs that are missing, and nothing else.
#   packaging/debian-packages.sh test   what headless tests need (Qt offscreen, a real font)
#   packaging/debian-packages.sh run    that, plus what a real window (xcb) needs
# Silent when everything is there, so a second `make test` does no install work.
set -eu

TEST_PACKAGES="python3 python3-venv libgl1 libegl1 libglib2.0-0 libfontconfig1 libxkbcommon0 \
libdbus-1-3 fonts-dejavu-core"
WINDOW_PACKAGES="libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 \
libxcb-render-util0 libxcb-render0 libxcb-shape0 libxcb-util1 libxcb-xkb1 xvfb xauth"

case "${1:-test}" in
    test) wanted="$TEST_PACKAGES" ;;
    run) wanted="$TEST_PACKAGES $WINDOW_PACKAGES" ;;
    *) echo "usage: $0 test|run" >&2; exit 2 ;;
esac

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "Not a Debian/Ubuntu system: make sure the equivalents of these are installed:" >&2
    echo "  $wanted" >&2
    exit 0
fi

missing=""
for package in $wanted; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed"; then
        missing="$missing $package"
    fi
done
[ -z "$missing" ] && exit 0

echo "Installing missing system packages:$missing"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "Run as root or install sudo, then retry." >&2; exit 1; }
    sudo="sudo"
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
