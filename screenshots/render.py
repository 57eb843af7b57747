"""render.py — draw a tmux `capture-pane -e -p` capture (text with SGR
escapes) as a PNG: one cell per character, DejaVu Sans Mono, xterm's 256
colours. Debian packages: python3-pil, fonts-dejavu-core.
usage: /usr/bin/python3 render.py CAPTURE.ans OUT.png COLS ROWS"""
import re
import sys
import unicodedata
from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"
SIZE = 15
BG, FG = (24, 24, 27), (220, 220, 215)
BASE16 = [(0, 0, 0), (205, 49, 49), (13, 188, 121), (229, 229, 16), (36, 114, 200), (188, 63, 188),
          (17, 168, 205), (229, 229, 229), (102, 102, 102), (241, 76, 76), (35, 209, 139),
          (245, 245, 67), (59, 142, 234), (214, 112, 214), (41, 184, 219), (255, 255, 255)]


def color256(n):
    if n < 16:
        return BASE16[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return (steps[n // 36], steps[n // 6 % 6], steps[n % 6])
    v = 8 + (n - 232) * 10
    return (v, v, v)


def parse(text, cols, rows):
    grid = [[(" ", None, None, False, False, False)] * cols for _ in range(rows)]
    fg = bg = None
    bold = ul = rev = False
    for y, line in enumerate(text.split("\n")[:rows]):
        x = 0
        for tok in re.split(r"(\x1b\[[0-9;]*m)", line):
            m = re.fullmatch(r"\x1b\[([0-9;]*)m", tok)
            if m:
                ps = [int(p) if p else 0 for p in m.group(1).split(";")]
                i = 0
                while i < len(ps):
                    p = ps[i]
                    if p == 0:
                        fg = bg = None; bold = ul = rev = False
                    elif p == 1: bold = True
                    elif p == 22: bold = False
                    elif p == 4: ul = True
                    elif p == 24: ul = False
                    elif p == 7: rev = True
                    elif p == 27: rev = False
                    elif 30 <= p <= 37: fg = BASE16[p - 30]
                    elif 90 <= p <= 97: fg = BASE16[p - 90 + 8]
                    elif 40 <= p <= 47: bg = BASE16[p - 40]
                    elif 100 <= p <= 107: bg = BASE16[p - 100 + 8]
                    elif p == 39: fg = None
                    elif p == 49: bg = None
                    elif p in (38, 48) and i + 2 < len(ps) and ps[i + 1] == 5:
                        c = color256(ps[i + 2])
                        if p == 38: fg = c
                        else: bg = c
                        i += 2
                    elif p in (38, 48) and i + 4 < len(ps) and ps[i + 1] == 2:
                        c = tuple(ps[i + 2:i + 5])
                        if p == 38: fg = c
                        else: bg = c
                        i += 4
                    i += 1
                continue
            for ch in tok:
                if x >= cols:
                    break
                grid[y][x] = (ch, fg, bg, bold, ul, rev)
                x += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    return grid


def main():
    src, out, cols, rows = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    grid = parse(open(src, encoding="utf-8", errors="replace").read(), cols, rows)
    font, bfont = ImageFont.truetype(FONT, SIZE), ImageFont.truetype(BOLD, SIZE)
    cw = round(font.getlength("M"))
    ch = SIZE + 4
    pad = 10
    img = Image.new("RGB", (cols * cw + 2 * pad, rows * ch + 2 * pad), BG)
    d = ImageDraw.Draw(img)
    for y, row in enumerate(grid):
        for x, (c, fg, bg, bold, ul, rev) in enumerate(row):
            f, b = fg or FG, bg or BG
            if rev:
                f, b = b, f
            px, py = pad + x * cw, pad + y * ch
            if b != BG:
                d.rectangle([px, py, px + cw - 1, py + ch - 1], fill=b)
            if c in "─━":
                d.line([px, py + ch // 2, px + cw, py + ch // 2], fill=f)
            elif c == "│":
                d.line([px + cw // 2, py, px + cw // 2, py + ch], fill=f)
            elif c != " ":
                d.text((px, py + 1), c, font=bfont if bold else font, fill=f)
            if ul:
                d.line([px, py + ch - 2, px + cw, py + ch - 2], fill=f)
    img.save(out)


main()
