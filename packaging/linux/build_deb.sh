#!/usr/bin/env bash
# Build dist/review-desk_<version>_<arch>.deb from the PyInstaller folder in dist/review-desk:
# the app in /opt/review-desk, `review-desk` on the PATH, a desktop entry and its icon.
set -euo pipefail
cd "$(dirname "$0")/../.."

version="$(.venv/bin/python -c 'from app import __version__; print(__version__)')"
arch="$(dpkg --print-architecture)"
root="build/deb/review-desk_${version}_${arch}"
rm -rf "$root"
mkdir -p "$root/DEBIAN" "$root/opt" "$root/usr/bin" "$root/usr/share/applications" \
         "$root/usr/share/icons/hicolor/256x256/apps"
cp -a dist/review-desk "$root/opt/review-desk"
ln -s /opt/review-desk/review-desk "$root/usr/bin/review-desk"
cp build/icons/review-desk.png "$root/usr/share/icons/hicolor/256x256/apps/review-desk.png"
cat > "$root/usr/share/applications/review-desk.desktop" <<DESKTOP
[Desktop Entry]
Type=Application
Name=Review Desk
Comment=Approve, edit or reject what the lead automation wants to send
Exec=/opt/review-desk/review-desk
Icon=review-desk
Terminal=false
Categories=Office;Network;
StartupWMClass=review-desk
DESKTOP
size_kb="$(du -sk "$root/opt" | cut -f1)"
cat > "$root/DEBIAN/control" <<CONTROL
Package: review-desk
Version: ${version}
Architecture: ${arch}
Maintainer: Review Desk <desk@example.com>
Installed-Size: ${size_kb}
Depends: libegl1, libgl1, libfontconfig1, libxkbcommon-x11-0, libxcb-cursor0, libxcb-icccm4, libxcb-image0, libxcb-keysyms1, libxcb-randr0, libxcb-render-util0, libxcb-shape0, libxcb-xinerama0, libxcb-xkb1, libdbus-1-3
Section: misc
Priority: optional
Description: Review desk for an agency's lead-lifecycle automation
 Reviewers approve, edit or reject the notes, messages and CRM handoffs the
 automation drafts before anything reaches a client, a lead or a CRM.
CONTROL
dpkg-deb --root-owner-group --build "$root" "dist/review-desk_${version}_${arch}.deb" >/dev/null
echo "dist/review-desk_${version}_${arch}.deb"
