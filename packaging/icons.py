"""Render the app icon (resources/icons/review-desk.svg) to what each platform's package
wants: a 256 px PNG (Linux desktop entry), an .ico (Windows) and an .icns (macOS), in
build/icons/. Qt's own image plugins write all three, so nothing else is needed.
Run: ``python packaging/icons.py`` (``make package`` does)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "build" / "icons"


def main() -> int:
    from PySide6.QtGui import QGuiApplication, QIcon

    QGuiApplication(sys.argv[:1])
    OUT.mkdir(parents=True, exist_ok=True)
    icon = QIcon(str(ROOT / "resources" / "icons" / "review-desk.svg"))
    image = icon.pixmap(256, 256).toImage()
    for suffix, kind in ((".png", "PNG"), (".ico", "ICO"), (".icns", "ICNS")):
        target = OUT / f"review-desk{suffix}"
        if not image.save(str(target), kind):
            print(f"could not write {target}", file=sys.stderr)
            return 1
    print(f"icons written to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
