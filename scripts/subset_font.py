#!/usr/bin/env python3
"""Makes assets/fonts/NotoSansSC-parkcast.otf: Noto Sans SC Regular (SIL OFL 1.1) cut down to
the characters parkcast can draw, so the binary can embed it.

Kept: ASCII, Latin-1, general punctuation and symbols, all of GB2312, CJK punctuation and
full-width forms, and every character in seeds/ and src/ (so rare hanzi such as 甪 stay).
The name table is kept, so the licence notice stays inside the font.

Usage: pip install fonttools; pip download --no-deps pylopdf-fonts-zh-cn (it ships the full
NotoSansSC-Regular.otf); python3 scripts/subset_font.py PATH/TO/NotoSansSC-Regular.otf
"""
import pathlib
import sys

from fontTools import subset

root = pathlib.Path(__file__).resolve().parent.parent
chars = set()
chars.update(chr(c) for c in range(0x20, 0x7F))
chars.update(chr(c) for c in range(0xA0, 0x100))
chars.update(chr(c) for c in range(0x2000, 0x2070))  # general punctuation
chars.update(chr(c) for c in range(0x2190, 0x2200))  # arrows
chars.update(chr(c) for c in range(0x2200, 0x2300))  # mathematical operators (≥ ≤ ×)
chars.update(chr(c) for c in range(0x3000, 0x3040))  # CJK symbols and punctuation
chars.update(chr(c) for c in range(0xFF00, 0xFFF0))  # full-width forms
for hi in range(0xA1, 0xF8):
    for lo in range(0xA1, 0xFF):
        try:
            chars.add(bytes([hi, lo]).decode("gb2312"))
        except UnicodeDecodeError:
            pass
for folder in ("seeds", "src", "scenarios"):
    for path in (root / folder).rglob("*"):
        if path.is_file() and path.suffix in {".csv", ".toml", ".rs", ".md"}:
            chars.update(path.read_text(encoding="utf-8"))
chars = {c for c in chars if c.isprintable() or c == " "}

options = subset.Options()
options.name_IDs = ["*"]
options.name_languages = ["*"]
options.layout_features = ["*"]
options.notdef_outline = True
font = subset.load_font(sys.argv[1], options)
subsetter = subset.Subsetter(options)
subsetter.populate(text="".join(sorted(chars)))
subsetter.subset(font)
out = root / "assets" / "fonts" / "NotoSansSC-parkcast.otf"
subset.save_font(font, str(out), options)
print(f"{out}: {out.stat().st_size} bytes, {len(chars)} characters requested")
