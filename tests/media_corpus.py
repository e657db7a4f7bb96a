"""Hostile and tricky images made here, and a real HTTP server on loopback serving them."""

from __future__ import annotations

import io
import struct
import threading
import time
import zlib
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from PIL import ExifTags, Image

RED, BLUE = (230, 20, 20), (20, 20, 230)


def jpeg(image: Image.Image, **params: object) -> bytes:
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90, **params)
    return out.getvalue()


def png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def photo(size: tuple[int, int] = (1600, 1200)) -> bytes:
    """A plain good JPEG: left half red, right half blue."""
    image = Image.new("RGB", size, RED)
    image.paste(BLUE, (size[0] // 2, 0, size[0], size[1]))
    return jpeg(image)


def noisy_photo(size: tuple[int, int] = (800, 600)) -> bytes:
    """A JPEG of noise, which compresses badly: cutting it anywhere loses data."""
    return jpeg(Image.effect_noise(size, 60).convert("RGB"))


def exif_rotated_with_gps() -> bytes:
    """A 300x100 JPEG, red left and blue right, tagged 'rotate 90° clockwise' and with GPS."""
    image = Image.new("RGB", (300, 100), RED)
    image.paste(BLUE, (150, 0, 300, 100))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "SpyCam"
    exif[ExifTags.IFD.GPSInfo] = {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 3.0)}
    return jpeg(image, exif=exif)


def cmyk() -> bytes:
    """A CMYK JPEG of pure red ink."""
    return jpeg(Image.new("CMYK", (200, 120), (0, 255, 255, 0)))


def sixteen_bit() -> bytes:
    """A 16-bit greyscale PNG at half intensity (32768)."""
    return png(Image.new("I;16", (120, 80), 32768))


def palette_transparent() -> bytes:
    """A palette PNG whose background index is transparent."""
    image = Image.new("P", (100, 100), 0)
    image.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    image.paste(1, (25, 25, 75, 75))
    out = io.BytesIO()
    image.save(out, format="PNG", transparency=0)
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(
        ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_bomb(side: int = 12_000) -> bytes:
    """A valid greyscale PNG of side x side pixels, all zero: a few hundred KB, 144 MP."""
    packer = zlib.compressobj(9)
    row = b"\x00" * (side + 1)
    parts = [packer.compress(row) for _ in range(side)]
    parts.append(packer.flush())
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header)
            + _chunk(b"IDAT", b"".join(parts)) + _chunk(b"IEND", b""))


def gif_bomb() -> bytes:
    """A tiny GIF whose logical screen claims 65535 x 65535 pixels."""
    out = io.BytesIO()
    Image.new("P", (4, 4), 0).save(out, format="GIF")
    data = bytearray(out.getvalue())
    data[6:10] = struct.pack("<HH", 65535, 65535)
    return bytes(data)


def animated_gif(frames: int = 120, side: int = 800) -> bytes:
    """A big, long animated GIF."""
    images = []
    for i in range(frames):
        image = Image.new("L", (side, side), 30)
        step = (side - 50) * i // max(1, frames - 1)
        image.paste(220, (step, step, step + 50, step + 50))  # a square moving diagonally
        images.append(image)
    out = io.BytesIO()
    images[0].save(out, format="GIF", save_all=True, append_images=images[1:], duration=40,
                   loop=0)
    return out.getvalue()


SVG = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
       b'<script>alert(1)</script></svg>')
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"


@dataclass
class Route:
    """What the stand-in server answers on one path."""

    body: bytes = b""
    status: int = 200
    content_type: str = "image/png"
    headers: dict[str, str] = field(default_factory=dict)
    drip: float = 0.0  # seconds between bytes, for a slow server
    declare_length: bool = True


class ImageServer:
    """A real HTTP server on a loopback address, answering from a table of routes."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
                server.hits.append(self.path)
                path = urlsplit(self.path).path
                query = parse_qs(urlsplit(self.path).query)
                if path == "/redirect":
                    self.send_response(302)
                    self.send_header("Location", query["to"][0])
                    self.end_headers()
                    return
                route = server.routes.get(path)
                if route is None:
                    self.send_error(404)
                    return
                server.answer(self, route)

        self.httpd = ThreadingHTTPServer((host, 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def answer(self, handler: BaseHTTPRequestHandler, route: Route) -> None:
        """Send one route's answer, slowly if asked."""
        handler.send_response(route.status)
        handler.send_header("Content-Type", route.content_type)
        if route.declare_length:
            handler.send_header("Content-Length", str(len(route.body)))
        for name, value in route.headers.items():
            handler.send_header(name, value)
        handler.end_headers()
        try:
            if route.drip:
                for byte in route.body:
                    handler.wfile.write(bytes([byte]))
                    handler.wfile.flush()
                    time.sleep(route.drip)
            else:
                handler.wfile.write(route.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, as it should

    @property
    def base(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def add(self, path: str, body: bytes, **options: object) -> str:
        """Serve body at path; return its absolute URL."""
        self.routes[path] = Route(body=body, **options)  # type: ignore[arg-type]
        return self.base + path

    def redirect_to(self, target: str) -> str:
        """Return a URL answering 302 to target."""
        return f"{self.base}/redirect?to={target}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def hostile_corpus(server: ImageServer) -> dict[str, str]:
    """Register every hostile file on the server; return name -> URL."""
    whole = noisy_photo()
    return {
        "png_bomb": server.add("/bomb.png", png_bomb()),
        "gif_bomb": server.add("/bomb.gif", gif_bomb(), content_type="image/gif"),
        "truncated": server.add("/truncated.jpg", whole[: len(whole) // 3],
                                content_type="image/jpeg"),
        "corrupt": server.add("/corrupt.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8),
        "svg": server.add("/svg.png", SVG),
        "html": server.add("/html.png", HTML),
        "empty": server.add("/empty.jpg", b"", content_type="image/jpeg"),
        "not_found": server.base + "/missing.jpg",
        "ftp": "ftp://127.0.0.1/image.jpg",
    }


