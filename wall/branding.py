"""The [branding] config section: logo, colours, font, custom CSS, ticker, clock."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from wall.configreader import Reader

_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
# Font stacks go into a CSS declaration: letters, digits, spaces, commas, quotes, dashes only.
_FONT = re.compile(r"[A-Za-z0-9 ,'\"_-]{1,200}")
LOGO_TYPES = (".png", ".jpg", ".jpeg", ".webp", ".gif", ".svg")
COLOURS = ("accent", "background", "surface", "text")


@dataclass(frozen=True)
class BrandingSection:
    """How the screens look for this wall, without forking the templates."""

    logo: str = ""
    logo_file: Path | None = None
    accent: str = ""
    background: str = ""
    surface: str = ""
    text: str = ""
    font: str = ""
    custom_css: Path | None = None
    ticker: str = ""
    clock: bool = True
    call_to_action: str = ""
    light: dict[str, str] = field(default_factory=dict)
    dark: dict[str, str] = field(default_factory=dict)

    @property
    def logo_url(self) -> str:
        """Return the address the screens load the logo from, or an empty string."""
        if self.logo_file is not None:
            return "/branding/logo" + self.logo_file.suffix.lower()
        return self.logo

    @property
    def colours(self) -> dict[str, str]:
        """Return the configured colours by name, leaving out the unset ones."""
        return {name: getattr(self, name) for name in COLOURS if getattr(self, name)}

    def palette(self, theme: str) -> dict[str, str]:
        """Return the colours for a theme: its own table over the flat keys that suit it.

        The accent applies to both themes; flat background, surface and text apply
        to the theme they were chosen for (a dark background to the dark theme),
        so custom colours never turn ?theme=light dark.
        """
        flat = self.colours
        base = flat.get("background") or flat.get("surface")
        dark_flat = _is_dark(base) if base else not _is_dark(flat.get("text", "#fff"))
        fits = dark_flat == (theme == "dark")
        own = self.dark if theme == "dark" else self.light
        out = {k: v for k, v in flat.items() if k == "accent" or fits}
        out.update(own)
        return out


def luminance(colour: str) -> float:
    """Return the WCAG relative luminance of "#rgb" or "#rrggbb"."""
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    channels = [int(digits[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _is_dark(colour: str) -> bool:
    """Tell whether a #rgb or #rrggbb colour is dark (relative luminance under 0.18)."""
    return luminance(colour) < 0.18


def _local_file(r: Reader, key: str, base: Path, suffixes: tuple[str, ...]) -> Path | None:
    """Read a file path relative to the config's folder; it must exist with a known type."""
    raw = r.string(key, "")
    if not raw:
        return None
    path = Path(raw).expanduser()
    path = path if path.is_absolute() else base / path
    if path.suffix.lower() not in suffixes:
        r.problem(key, f"must end with one of {', '.join(suffixes)} (got \"{raw}\")")
        return None
    if not path.is_file():
        r.problem(key, f"file {path} not found; relative paths start from the folder "
                  "socialwall runs in")
        return None
    return path.resolve()


def _logo(r: Reader, base: Path) -> tuple[str, Path | None]:
    """Read the logo: a /static/ or /media/ address, or a local image file."""
    raw = r.string("logo", "")
    if not raw or raw.startswith(("/static/", "/media/")):
        if ".." in raw or any(c in raw for c in "\"'<> \\"):
            r.problem("logo", "must be a plain path such as \"/static/brand/logo.svg\"")
            return "", None
        return raw, None
    if raw.startswith(("http://", "https://", "//")):
        r.problem("logo", "must be served by the wall (kiosks may have no internet): "
                  "a path under /static/ or /media/, or a local image file")
        return "", None
    return "", _local_file(r, "logo", base, LOGO_TYPES)


def _colours(r: Reader) -> dict[str, str]:
    """Read the colour keys of a table, each "" when unset or wrong."""
    colours: dict[str, str] = {}
    for name in COLOURS:
        value = r.string(name, "")
        if value and not _COLOUR.fullmatch(value):
            r.problem(name, f'must be a colour like "#0a58b8" (got "{value}")')
            value = ""
        colours[name] = value
    return colours


def _palette(r: Reader) -> dict[str, str]:
    """Read [branding.light] or [branding.dark]: the colours set for that theme."""
    colours = {k: v for k, v in _colours(r).items() if v}
    r.finish()
    return colours


def parse_branding(r: Reader, base: Path) -> BrandingSection:
    """Validate the [branding] table; problems go to the reader's shared list."""
    logo, logo_file = _logo(r, base)
    colours = _colours(r)
    font = r.string("font", "")
    if font and not _FONT.fullmatch(font):
        r.problem("font", 'must be a font list such as "Atkinson Hyperlegible, sans-serif" '
                  "(letters, digits, spaces, commas, quotes and dashes only)")
        font = ""
    section = BrandingSection(
        logo=logo, logo_file=logo_file, font=font,
        custom_css=_local_file(r, "custom_css", base, (".css",)),
        ticker=r.string("ticker", "")[:300],
        clock=r.boolean("clock", True),
        call_to_action=r.string("call_to_action", "")[:120],
        light=_palette(r.table("light")),
        dark=_palette(r.table("dark")),
        **colours,
    )
    r.finish()
    return section
