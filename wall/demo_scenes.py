"""Drawn illustrations for the demo photos: simple shapes and gradients, Pillow only."""

from __future__ import annotations

import functools
import math
import random
from collections.abc import Callable, Sequence
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFont

Color = tuple[int, ...]
Font = ImageFont.FreeTypeFont | ImageFont.ImageFont

WIDTH, HEIGHT = 1200, 800
SUPERSAMPLE = 2
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
ORANGE: Color = (245, 124, 0)
TYRE: Color = (38, 40, 46)
SKIN: tuple[Color, ...] = ((241, 194, 160), (198, 134, 96), (141, 85, 54), (224, 172, 128))
HAIR: tuple[Color, ...] = ((45, 34, 28), (110, 70, 40), (20, 20, 24), (200, 160, 90))


@functools.lru_cache(maxsize=64)
def load_font(size: int, bold: bool = True) -> Font:
    """Return DejaVu Sans at the given size if installed, else Pillow's default font."""
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    try:
        return ImageFont.truetype(str(FONT_DIR / name), size)
    except OSError:
        return ImageFont.load_default(size=size)


class Pen:
    """Draw in 1200x800 coordinates on a supersampled RGB canvas (alpha fills blend)."""

    def __init__(self) -> None:
        self.s = SUPERSAMPLE
        self.img = Image.new("RGB", (WIDTH * self.s, HEIGHT * self.s), (255, 255, 255))
        self.d = ImageDraw.Draw(self.img, "RGBA")

    def _pts(self, pts: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
        return [(x * self.s, y * self.s) for x, y in pts]

    def scale_box(self, box: Sequence[float]) -> tuple[float, float, float, float]:
        """Scale a box to canvas pixels."""
        x0, y0, x1, y1 = box
        return (x0 * self.s, y0 * self.s, x1 * self.s, y1 * self.s)

    def rect(self, box: Sequence[float], fill: Color, radius: float = 0,
             outline: Color | None = None, width: int = 0) -> None:
        """Fill a (rounded) rectangle."""
        self.d.rounded_rectangle(self.scale_box(box), radius * self.s, fill=fill,
                                 outline=outline, width=width * self.s)

    def ellipse(self, box: Sequence[float], fill: Color | None,
                outline: Color | None = None, width: int = 0) -> None:
        """Fill an ellipse."""
        self.d.ellipse(self.scale_box(box), fill=fill, outline=outline, width=width * self.s)

    def circle(self, cx: float, cy: float, r: float, fill: Color | None,
               outline: Color | None = None, width: int = 0) -> None:
        """Fill a circle."""
        self.ellipse((cx - r, cy - r, cx + r, cy + r), fill, outline, width)

    def poly(self, pts: Sequence[tuple[float, float]], fill: Color) -> None:
        """Fill a polygon."""
        self.d.polygon(self._pts(pts), fill=fill)

    def line(self, pts: Sequence[tuple[float, float]], fill: Color, width: int) -> None:
        """Draw a polyline with rounded joints."""
        self.d.line(self._pts(pts), fill=fill, width=width * self.s, joint="curve")

    def text(self, xy: tuple[float, float], s: str, size: int, fill: Color) -> None:
        """Draw centred bold text."""
        self.d.text((xy[0] * self.s, xy[1] * self.s), s, fill=fill,
                    font=load_font(size * self.s), anchor="mm")

    def text_width(self, s: str, size: int) -> float:
        """Return the width of bold text in scene coordinates."""
        return self.d.textlength(s, font=load_font(size * self.s)) / self.s

    def gradient(self, box: Sequence[int], top: Color, bottom: Color) -> None:
        """Paint a vertical gradient."""
        x0, y0, x1, y1 = (int(v * self.s) for v in box)
        size = (x1 - x0, y1 - y0)
        column = Image.linear_gradient("L").resize((1, size[1]), Image.Resampling.BILINEAR)
        mask = column.resize(size, Image.Resampling.NEAREST)
        band = Image.composite(Image.new("RGB", size, bottom[:3]),
                               Image.new("RGB", size, top[:3]), mask)
        self.img.paste(band, (x0, y0))

    def glow(self, cx: float, cy: float, r: float, color: Color, strength: int = 160) -> None:
        """Add a soft radial light."""
        size = int(2 * r * self.s)
        mask = Image.radial_gradient("L").resize((size, size), Image.Resampling.BILINEAR)
        mask = mask.point([max(0, 255 - v * 2) * strength // 255 for v in range(256)])
        self.img.paste(Image.new("RGB", (size, size), color[:3]),
                       (int((cx - r) * self.s), int((cy - r) * self.s)), mask)

    def beam(self, x: float, y: float, length: float, right: bool, color: Color) -> None:
        """Add a light cone from (x, y) that fades out over its length."""
        w, h = int(length * self.s), int(length * 0.42 * self.s)
        tip = 0 if right else w
        cone = Image.new("L", (w, h), 0)
        ImageDraw.Draw(cone).polygon([(tip, h / 2), (w - tip, 0), (w - tip, h)], fill=150)
        ramp = Image.linear_gradient("L").transpose(Image.Transpose.ROTATE_90)
        ramp = ramp.resize((w, 1), Image.Resampling.BILINEAR)
        ramp = ramp.resize((w, h), Image.Resampling.NEAREST)
        mask = ImageChops.multiply(cone, ImageChops.invert(ramp) if right else ramp)
        x0 = x * self.s if right else x * self.s - w
        at = (int(x0), int(y * self.s - h / 2))
        self.img.paste(Image.new("RGB", (w, h), color[:3]), at, mask)

    def result(self) -> Image.Image:
        """Return the anti-aliased 1200x800 image."""
        return self.img.reduce(self.s)


def shade(c: Color, k: float) -> Color:
    """Darken (k<1) or lighten (k>1) a colour."""
    if k <= 1:
        return tuple(int(v * k) for v in c[:3])
    return tuple(int(v + (255 - v) * (k - 1)) for v in c[:3])


def car(p: Pen, x: float, ground: float, length: float, body: Color,
        right: bool = True, lights: bool = False,
        glass: tuple[Color, Color] = ((190, 220, 240), (170, 205, 230))) -> None:
    """Draw a side-view hatchback whose wheels touch `ground`, starting at x."""
    L = length

    def fx(t: float) -> float:
        return x + (t if right else 1 - t) * L

    r = 0.105 * L
    top = ground - 0.36 * L
    p.ellipse((x + 0.04 * L, ground - 0.03 * L, x + 0.96 * L, ground + 0.03 * L), (0, 0, 0, 60))
    p.poly([(fx(0.20), top + 4), (fx(0.33), ground - 0.53 * L), (fx(0.66), ground - 0.53 * L),
            (fx(0.84), top + 4)], shade(body, 0.9))
    p.poly([(fx(0.25), top + 2), (fx(0.35), ground - 0.49 * L), (fx(0.48), ground - 0.49 * L),
            (fx(0.48), top + 2)], glass[0])
    p.poly([(fx(0.51), top + 2), (fx(0.51), ground - 0.49 * L), (fx(0.645), ground - 0.49 * L),
            (fx(0.78), top + 2)], glass[1])
    p.rect((x, top, x + L, ground - 0.07 * L), body, radius=0.07 * L)
    p.rect((x + 0.02 * L, top + 0.1 * L, x + 0.98 * L, top + 0.125 * L), shade(body, 1.25), 4)
    p.line([(fx(0.5), top + 4), (fx(0.5), ground - 0.1 * L)], shade(body, 0.75), 2)
    p.rect((fx(0.56) - 0.03 * L, top + 0.05 * L, fx(0.56) + 0.03 * L, top + 0.07 * L),
           shade(body, 0.7), 3)
    front, back = (0.95, 0.01) if right else (0.01, 0.95)
    for t, lamp in ((front, (255, 240, 190)), (back, (220, 40, 40))):
        p.rect((x + t * L, top + 0.05 * L, x + (t + 0.04) * L, top + 0.1 * L), lamp, 4)
    if lights:
        p.beam(fx(1.0), top + 0.075 * L, 1.1 * L, right, (255, 236, 180))
    for t in (0.2, 0.8):
        cx, cy = fx(t), ground - r
        p.circle(cx, cy, r * 1.18, shade(body, 0.6))
        p.circle(cx, cy, r, TYRE)
        p.circle(cx, cy, r * 0.58, (200, 204, 212))
        p.circle(cx, cy, r * 0.2, (120, 124, 132))


def person(p: Pen, cx: float, feet: float, h: float, shirt: Color, i: int,
           back: bool = False) -> None:
    """Draw a simple standing figure of height h; i picks skin and hair."""
    skin, hair = SKIN[i % len(SKIN)], HAIR[(i * 3 + 1) % len(HAIR)]
    hr = 0.13 * h
    head_y = feet - h + hr
    p.rect((cx - 0.2 * h, head_y + hr * 1.1, cx + 0.2 * h, feet), shirt, radius=0.14 * h)
    p.rect((cx - 0.03 * h, head_y + hr * 0.8, cx + 0.03 * h, head_y + hr * 1.3), shade(skin, 0.9))
    p.circle(cx, head_y, hr, hair if back else skin)
    if not back:
        cap = (cx - hr * 1.05, head_y - hr * 1.1, cx + hr * 1.05, head_y + hr * 0.5)
        p.d.chord(p.scale_box(cap), 180, 360, fill=hair)
        for dx in (-0.35, 0.35):
            p.circle(cx + dx * hr, head_y + 0.05 * hr, 0.08 * hr, (40, 30, 30))
        p.d.arc(p.scale_box((cx - 0.4 * hr, head_y + 0.1 * hr, cx + 0.4 * hr, head_y + 0.6 * hr)),
                20, 160, fill=(120, 50, 50), width=2 * p.s)


def tyre_stack(p: Pen, x: float, base: float, w: float, count: int) -> None:
    """Draw a stack of tyres lying flat, seen from the front."""
    th = 0.32 * w
    for k in range(count):
        y = base - (k + 1) * th
        p.rect((x, y, x + w, y + th), TYRE, radius=th * 0.35)
        for j in range(1, 8):
            tx = x + j * w / 8
            p.line([(tx, y + th * 0.2), (tx, y + th * 0.8)], (58, 60, 68), 3)
    y = base - count * th
    p.ellipse((x, y - th * 0.45, x + w, y + th * 0.45), (52, 54, 60))
    p.ellipse((x + w * 0.26, y - th * 0.2, x + w * 0.74, y + th * 0.2), (22, 22, 26))


def screen(p: Pen, box: Sequence[float], seed: int) -> None:
    """Draw a wall screen showing social-wall cards."""
    x0, y0, x1, y1 = box
    p.rect((x0 - 10, y0 - 10, x1 + 10, y1 + 10), (25, 27, 34), 10)
    p.gradient((int(x0), int(y0), int(x1), int(y1)), (28, 40, 70), (14, 20, 38))
    pal = [(245, 124, 0), (41, 182, 246), (102, 187, 106), (236, 64, 122), (171, 71, 188)]
    ch = (y1 - y0 - 40) / 3
    for k in range(3):
        cy = y0 + 12 + k * (ch + 8)
        p.rect((x0 + 12, cy, x1 - 12, cy + ch), (250, 250, 252), 10)
        p.circle(x0 + 40, cy + 28, 16, pal[(seed + k) % len(pal)])
        p.rect((x0 + 64, cy + 18, x0 + 64 + (x1 - x0) * 0.35, cy + 28), (60, 64, 80), 4)
        for j, frac in enumerate((0.8, 0.65 - 0.1 * ((seed + k) % 2))):
            ly = cy + 48 + j * 18
            if ly + 8 < cy + ch - 6:
                p.rect((x0 + 30, ly, x0 + 30 + (x1 - x0 - 60) * frac, ly + 8), (170, 176, 190), 4)


def flag_line(p: Pen, y: float, colors: Sequence[Color]) -> None:
    """Draw a string of bunting flags across the image."""
    p.line([(0, y), (WIDTH / 2, y + 40), (WIDTH, y)], (90, 90, 90), 2)
    for k in range(16):
        fx0 = k * 75 + 10
        sag = 40 * (1 - abs(fx0 + 25 - WIDTH / 2) / (WIDTH / 2))
        p.poly([(fx0, y + sag), (fx0 + 50, y + sag), (fx0 + 25, y + sag + 50)],
               colors[k % len(colors)])


def hills(p: Pen, base: float, amp: float, color: Color, phase: float) -> None:
    """Draw a rolling hill silhouette from y=base down to the bottom edge."""
    pts = [(float(x), base - amp * (0.6 + 0.4 * math.sin(x / 170 + phase)) *
            (0.7 + 0.3 * math.sin(x / 61 + phase * 2))) for x in range(0, WIDTH + 20, 20)]
    p.poly([(0, HEIGHT), *pts, (WIDTH, HEIGHT)], color)


def road(p: Pen, y: float, h: float, dash: Color = (250, 250, 250),
         tarmac: Color = (66, 70, 78)) -> None:
    """Draw a straight horizontal road with a dashed centre line."""
    p.rect((0, y, WIDTH, y + h), tarmac)
    p.rect((0, y, WIDTH, y + 6), (120, 124, 130))
    for x in range(0, WIDTH, 110):
        p.rect((x + 20, y + h / 2 - 4, x + 80, y + h / 2 + 4), dash, 3)


def tree(p: Pen, x: float, base: float, h: float, green: Color) -> None:
    """Draw a lollipop tree."""
    p.rect((x - h * 0.05, base - h * 0.45, x + h * 0.05, base), (110, 78, 50), 3)
    p.circle(x, base - h * 0.62, h * 0.3, green)
    p.circle(x - h * 0.1, base - h * 0.7, h * 0.16, shade(green, 1.2))


def cloud(p: Pen, x: float, y: float, s: float, color: Color = (255, 255, 255, 220)) -> None:
    """Draw a puffy cloud."""
    for dx, dy, r in ((0, 0, 40), (45, -20, 50), (95, 0, 38), (45, 12, 42)):
        p.circle(x + dx * s, y + dy * s, r * s, color)


Scene = Callable[[Pen], None]
SCENES: dict[str, Scene] = {}


def scene(name: str) -> Callable[[Scene], Scene]:
    """Register a scene drawing function under a name."""
    def wrap(fn: Scene) -> Scene:
        SCENES[name] = fn
        return fn
    return wrap


def _ceiling_lights(p: Pen, xs: Sequence[float], color: Color = (255, 246, 220)) -> None:
    """Draw ceiling lamps with a soft glow."""
    for x in xs:
        p.glow(x, 20, 150, color, 120)
        p.rect((x - 70, 0, x + 70, 14), (250, 250, 245), 4)


def _sign(p: Pen, cx: float, cy: float, text: str, size: int) -> None:
    """Draw an orange brand sign sized to its text."""
    w = p.text_width(text, size) + size * 1.4
    p.rect((cx - w / 2, cy - size * 0.9, cx + w / 2, cy + size * 0.9), ORANGE, size * 0.3)
    p.text((cx, cy), text, size, (255, 255, 255))


@scene("workshop")
def _workshop(p: Pen) -> None:
    p.gradient((0, 0, WIDTH, 560), (222, 228, 236), (184, 192, 204))
    p.gradient((0, 560, WIDTH, HEIGHT), (128, 134, 144), (84, 88, 98))
    for x in range(-400, WIDTH + 400, 160):
        p.line([(WIDTH / 2 + (x - WIDTH / 2) * 0.4, 560), (x, HEIGHT)], (110, 116, 126), 2)
    p.rect((0, 555, WIDTH, 565), (250, 200, 40))
    _ceiling_lights(p, (250, 600, 950))
    _sign(p, 600, 95, "ATELIER VELOCIA", 34)
    p.rect((50, 170, 310, 430), (236, 238, 242), 8, (150, 156, 168), 3)
    for k in range(4):
        x = 80 + k * 60
        p.rect((x, 195, x + 14, 300), (60, 64, 76), 5)
        p.circle(x + 7, 198, 14, None, (60, 64, 76), 6)
    for k in range(3):
        p.rect((85 + k * 75, 330, 135 + k * 75, 345), (220, 60, 50), 5)
        p.rect((105 + k * 75, 345, 115 + k * 75, 410), (90, 94, 104), 3)
    for x in (370, 880):
        p.rect((x, 230, x + 44, 600), (96, 102, 116), 6)
        p.rect((x, 230, x + 44, 262), ORANGE, 6)
    p.rect((392, 430, 904, 446), (70, 74, 86), 6)
    p.ellipse((400, 585, 900, 615), (0, 0, 0, 50))
    car(p, 405, 430, 490, (41, 121, 255))
    p.rect((170, 470, 320, 600), (214, 48, 49), 8)
    for y in (500, 535, 570):
        p.line([(185, y), (305, y)], (150, 30, 30), 3)
    tyre_stack(p, 990, 610, 140, 4)


@scene("tyres")
def _tyres(p: Pen) -> None:
    p.gradient((0, 0, WIDTH, 600), (250, 238, 218), (232, 208, 178))
    p.gradient((0, 600, WIDTH, HEIGHT), (160, 130, 108), (110, 88, 72))
    _ceiling_lights(p, (200, 600, 1000), (255, 236, 200))
    _sign(p, 600, 80, "VELOCIA · PNEUS", 32)
    for k, n in enumerate((5, 6, 4, 6, 5, 3, 6, 5)):
        tyre_stack(p, 30 + k * 145, 610, 120, n)
    for k, n in enumerate((3, 4, 2, 4)):
        tyre_stack(p, 30 + k * 205, 790, 165, n)
    cx, cy, r = 1030, 620, 160
    p.ellipse((cx - r, cy + r - 20, cx + r, cy + r + 20), (0, 0, 0, 60))
    p.circle(cx, cy, r, TYRE)
    for a in range(0, 360, 12):
        t = math.radians(a)
        p.line([(cx + math.cos(t) * r * 0.83, cy + math.sin(t) * r * 0.83),
                (cx + math.cos(t) * r * 0.98, cy + math.sin(t) * r * 0.98)], (62, 64, 72), 5)
    p.circle(cx, cy, r * 0.58, (206, 210, 218))
    for a in range(0, 360, 72):
        t = math.radians(a)
        p.line([(cx, cy), (cx + math.cos(t) * r * 0.5, cy + math.sin(t) * r * 0.5)],
               (150, 156, 166), 16)
    p.circle(cx, cy, r * 0.14, (120, 126, 136))


@scene("lobby")
def _lobby(p: Pen) -> None:
    p.gradient((0, 0, WIDTH, 600), (240, 236, 230), (214, 206, 198))
    p.gradient((0, 600, WIDTH, HEIGHT), (178, 136, 98), (122, 88, 60))
    for y in (640, 690, 750):
        p.line([(0, y), (WIDTH, y)], (150, 110, 78), 2)
    _ceiling_lights(p, (270, 600, 930))
    p.text((600, 95), "VELOCIA DAYS", 44, ORANGE)
    for k in range(3):
        x0 = 95 + k * 350
        screen(p, (x0, 160, x0 + 310, 440), k)
    for x in (40, 1160):
        p.rect((x - 30, 520, x + 30, 600), (120, 90, 70), 6)
        for dx, dy, r in ((0, -40, 45), (-25, -5, 35), (25, -5, 35), (0, -90, 30)):
            p.circle(x + dx, 520 + dy, r, (76, 150, 84))
    for k, cx in enumerate((230, 420, 700, 930)):
        person(p, cx, 880, 330, (60 + 30 * k, 70, 110 - 10 * k), k, back=True)


@scene("ev-charging")
def _ev_charging(p: Pen) -> None:
    p.gradient((0, 0, WIDTH, 520), (110, 184, 240), (214, 236, 250))
    cloud(p, 140, 110, 1.0)
    cloud(p, 620, 70, 0.7)
    hills(p, 520, 60, (120, 178, 120), 1.0)
    p.gradient((0, 520, WIDTH, HEIGHT), (120, 126, 136), (86, 90, 100))
    for x in range(-100, WIDTH, 260):
        p.line([(x + 60, 540), (x, 790)], (240, 240, 240), 6)
    p.ellipse((760, 630, 960, 660), (0, 0, 0, 60))
    p.rect((790, 260, 920, 645), (244, 246, 250), 18)
    p.rect((790, 260, 920, 300), (46, 184, 114), 18)
    p.rect((812, 320, 898, 400), (30, 36, 48), 8)
    p.rect((822, 370, 878, 386), (46, 184, 114), 4)
    p.text((855, 344), "150 kW", 16, (230, 240, 240))
    p.poly([(862, 420), (832, 480), (856, 480), (846, 530), (884, 462), (860, 462), (876, 420)],
           (46, 184, 114))
    car(p, 150, 690, 560, (38, 166, 154))
    pts = [((1 - t) ** 2 * 800 + 2 * t * (1 - t) * 700 + t * t * 646,
            (1 - t) ** 2 * 560 + 2 * t * (1 - t) * 720 + t * t * 528)
           for t in (i / 40 for i in range(41))]
    p.line(pts, (30, 32, 38), 14)
    p.rect((632, 506, 660, 532), (30, 32, 38), 6)
    p.rect((400, 130, 620, 200), (255, 255, 255, 230), 20)
    p.rect((420, 150, 580, 180), (220, 226, 232), 6)
    p.rect((420, 150, 548, 180), (46, 184, 114), 6)
    p.rect((582, 158, 592, 172), (220, 226, 232), 2)


@scene("keynote")
def _keynote(p: Pen) -> None:
    p.gradient((0, 0, WIDTH, HEIGHT), (30, 24, 52), (8, 8, 16))
    p.rect((290, 60, 910, 420), (12, 12, 20), 10)
    p.gradient((300, 70, 900, 410), (44, 66, 120), (22, 32, 64))
    p.rect((300, 70, 900, 120), ORANGE)
    p.text((600, 95), "VELOCIA · 2026", 28, (255, 255, 255))
    for k, h in enumerate((90, 140, 200, 250)):
        p.rect((400 + k * 110, 380 - h, 470 + k * 110, 380), (120 + k * 30, 190, 255 - k * 20), 6)
    p.poly([(560, 0), (640, 0), (760, 600), (440, 600)], (255, 240, 200, 38))
    p.rect((0, 560, WIDTH, 620), (60, 48, 70))
    p.rect((0, 556, WIDTH, 566), (110, 90, 120))
    p.glow(600, 560, 220, (255, 236, 190), 90)
    p.rect((700, 440, 770, 560), (80, 60, 90), 6)
    person(p, 600, 560, 200, (40, 60, 96), 1)
    for row, (feet, h, step) in enumerate(((760, 140, 90), (830, 180, 120), (930, 250, 170))):
        shade_k = 0.5 + 0.25 * row
        off = (row % 2) * step / 2
        for k in range(-1, WIDTH // step + 2):
            col = shade((60, 54, 80), shade_k)
            person(p, k * step + off, feet, h, col, k + row, back=True)


@scene("coffee")
def _coffee(p: Pen) -> None:
    p.gradient((0, 0, WIDTH, 480), (130, 88, 64), (80, 52, 40))
    for x in (260, 940):
        p.line([(x, 0), (x, 110)], (40, 30, 26), 3)
        p.glow(x, 150, 160, (255, 214, 150), 150)
        p.poly([(x - 50, 150), (x - 20, 100), (x + 20, 100), (x + 50, 150)], (40, 36, 34))
    p.gradient((0, 480, WIDTH, HEIGHT), (188, 136, 90), (134, 92, 58))
    for y in (540, 620, 720):
        p.line([(0, y), (WIDTH, y)], (160, 112, 72), 2)
    for cx, cy, s, col in ((400, 560, 1.0, (250, 250, 248)), (790, 620, 1.15, ORANGE)):
        p.ellipse((cx - 170 * s, cy + 60 * s, cx + 170 * s, cy + 130 * s), (0, 0, 0, 50))
        p.ellipse((cx - 160 * s, cy + 50 * s, cx + 160 * s, cy + 120 * s), (246, 246, 244))
        p.circle(cx + 115 * s, cy - 10 * s, 45 * s, None, col, int(16 * s))
        p.poly([(cx - 110 * s, cy - 90 * s), (cx + 110 * s, cy - 90 * s),
                (cx + 85 * s, cy + 80 * s), (cx - 85 * s, cy + 80 * s)], col)
        p.ellipse((cx - 85 * s, cy + 55 * s, cx + 85 * s, cy + 100 * s), col)
        p.ellipse((cx - 110 * s, cy - 115 * s, cx + 110 * s, cy - 65 * s), shade(col, 0.92))
        p.ellipse((cx - 98 * s, cy - 110 * s, cx + 98 * s, cy - 72 * s), (150, 94, 54))
        hx, hy, cream = cx, cy - 94 * s, (246, 226, 200)
        p.ellipse((hx - 44 * s, hy - 14 * s, hx + 2 * s, hy + 8 * s), cream)
        p.ellipse((hx - 2 * s, hy - 14 * s, hx + 44 * s, hy + 8 * s), cream)
        p.poly([(hx - 43 * s, hy - 1 * s), (hx + 43 * s, hy - 1 * s), (hx, hy + 15 * s)], cream)
        for dx in (-45, 0, 45):
            sx = cx + dx * s
            p.line([(sx + 12 * math.sin(t / 5 + dx), cy - 135 * s - t * 4) for t in range(30)],
                   (168, 124, 100), 5)
    p.ellipse((950, 700, 1170, 770), (246, 246, 244))
    for k in (0, 4, 1, 3, 2):
        t = math.radians(200 + k * 35)
        p.circle(1060 + math.cos(t) * 60, 730 + math.sin(t) * 40, 34 - abs(k - 2) * 7,
                 (222, 160, 74), (176, 112, 44), 3)


@scene("test-drive")
def _test_drive(p: Pen) -> None:
    p.gradient((0, 0, WIDTH, 600), (84, 164, 232), (206, 232, 250))
    p.glow(980, 150, 200, (255, 250, 210), 200)
    p.circle(980, 150, 62, (255, 236, 140))
    cloud(p, 120, 120, 0.9)
    cloud(p, 520, 200, 0.6)
    hills(p, 470, 120, (132, 192, 122), 0.3)
    hills(p, 560, 80, (92, 160, 92), 2.0)
    for x, h in ((140, 170), (230, 130), (1060, 190)):
        tree(p, x, 600, h, (56, 128, 70))
    p.rect((0, 600, WIDTH, HEIGHT), (100, 168, 92))
    road(p, 620, 120)
    for k in range(4):
        y = 560 + k * 22
        p.line([(250 - k * 40, y), (350 - k * 20, y)], (255, 255, 255, 160), 6)
    car(p, 380, 700, 440, ORANGE)


@scene("team")
def _team(p: Pen) -> None:
    p.gradient((0, 0, WIDTH, HEIGHT), (255, 244, 230), (250, 214, 178))
    p.text((600, 110), "VELOCIA", 120, (255, 255, 255))
    p.rect((0, 640, WIDTH, HEIGHT), (232, 190, 150))
    shirts = (ORANGE, (44, 62, 100), (230, 100, 20), (60, 130, 180), (245, 140, 30))
    for k in range(5):
        person(p, 230 + k * 185, 700, 380, shirts[k % 5], k + 2)
    for k in range(4):
        person(p, 320 + k * 185, 830, 380, shirts[(k + 2) % 5], k + 5)


@scene("kids-corner")
def _kids_corner(p: Pen) -> None:
    p.gradient((0, 0, WIDTH, 520), (255, 240, 190), (255, 216, 160))
    bright = ((229, 57, 53), (30, 136, 229), (253, 216, 53), (67, 160, 71), (171, 71, 188))
    flag_line(p, 30, bright)
    mat = ((120, 200, 240), (250, 170, 190), (160, 220, 140), (255, 220, 120))
    for r in range(5):
        for c in range(13):
            p.rect((c * 100 - 20, 520 + r * 60, c * 100 + 80, 580 + r * 60), mat[(r + c) % 4])
    p.ellipse((120, 570, 1080, 790), None, (90, 90, 100), 26)
    p.ellipse((120, 570, 1080, 790), None, (255, 255, 255), 3)
    for x, y in ((80, 210), (160, 160), (1040, 180), (1120, 230)):
        p.line([(x, y + 60), (x + 10, y + 260)], (120, 120, 120), 2)
        p.ellipse((x - 45, y - 60, x + 45, y + 60), bright[(x // 80) % 5])
        p.ellipse((x - 25, y - 40, x - 5, y - 10), (255, 255, 255, 110))
    p.rect((580, 300, 596, 560), (80, 80, 90), 4)
    p.rect((556, 200, 620, 330), (40, 40, 48), 12)
    for k, col in enumerate(((229, 57, 53), (253, 216, 53), (67, 160, 71))):
        p.circle(588, 225 + k * 40, 15, col if k == 2 else shade(col, 0.5))
    for x, ground, col, right in ((220, 640, bright[0], True), (700, 690, bright[1], False),
                                  (420, 780, bright[2], True), (860, 790, bright[4], False)):
        car(p, x, ground, 210, col, right)
    for x, y in ((160, 720), (1040, 650), (620, 600)):
        p.poly([(x - 30, y), (x + 30, y), (x, y - 80)], ORANGE)
        p.poly([(x - 17, y - 35), (x + 17, y - 35), (x + 11, y - 50), (x - 11, y - 50)],
               (255, 255, 255))


@scene("quiz")
def _quiz(p: Pen) -> None:
    p.gradient((0, 0, WIDTH, HEIGHT), (84, 36, 140), (28, 10, 60))
    rnd = random.Random(7)
    for _ in range(90):
        x, y = rnd.uniform(0, WIDTH), rnd.uniform(0, 560)
        col = rnd.choice(((255, 215, 64), (255, 99, 132), (54, 162, 235), (75, 192, 120)))
        p.rect((x, y, x + 14, y + 8), col, 2)
    p.rect((140, 50, 1060, 560), (18, 12, 36), 16)
    p.text((600, 100), "QUIZ VELOCIA DAYS", 40, (255, 255, 255))
    p.rect((190, 140, 1010, 250), (255, 255, 255), 14)
    p.text((560, 195), "Question 4 / 20", 40, (40, 30, 70))
    p.circle(940, 195, 40, ORANGE)
    p.text((940, 195), "20", 34, (255, 255, 255))
    tiles = (((229, 57, 53), "A"), ((30, 136, 229), "B"), ((230, 170, 20), "C"),
             ((67, 160, 71), "D"))
    for k, (col, label) in enumerate(tiles):
        x0, y0 = 190 + (k % 2) * 420, 280 + (k // 2) * 135
        p.rect((x0, y0, x0 + 400, y0 + 115), col, 14)
        p.circle(x0 + 60, y0 + 57, 34, (255, 255, 255, 70))
        p.text((x0 + 60, y0 + 57), label, 40, (255, 255, 255))
        p.rect((x0 + 120, y0 + 48, x0 + 120 + 180 + 40 * k % 90, y0 + 66), (255, 255, 255, 150), 8)
    for k in range(9):
        cx = 70 + k * 135
        person(p, cx, 900, 260, (40, 24, 70), k, back=True)
        if k % 2:
            p.rect((cx + 30, 690, cx + 56, 735), (140, 220, 255), 5)


@scene("sunset-drive")
def _sunset_drive(p: Pen) -> None:
    p.gradient((0, 0, WIDTH, 560), (64, 36, 104), (255, 150, 70))
    p.glow(600, 470, 330, (255, 190, 110), 170)
    p.circle(600, 470, 120, (255, 208, 110))
    for k in range(3):
        p.line([(220 + k * 50, 200 + k * 16), (235 + k * 50, 210 + k * 16),
                (250 + k * 50, 200 + k * 16)], (50, 30, 60), 3)
    hills(p, 520, 110, (120, 56, 96), 0.8)
    hills(p, 590, 70, (74, 34, 70), 2.4)
    p.rect((0, 620, WIDTH, HEIGHT), (44, 24, 50))
    road(p, 640, 100, (255, 196, 120), (54, 40, 60))
    car(p, 640, 716, 400, (34, 22, 40), right=False, lights=True,
        glass=((255, 170, 110), (240, 140, 100)))


def render_scene(name: str) -> Image.Image:
    """Draw the named scene and return a 1200x800 RGB image."""
    pen = Pen()
    SCENES[name](pen)
    return pen.result()
