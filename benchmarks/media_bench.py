"""Benchmark the image pipeline: renditions per second and peak memory. Prints, never asserts.

Run with `make bench-media` (or `.venv/bin/python benchmarks/media_bench.py`).
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import media_corpus as corpus  # noqa: E402
from wall.demo_scenes import render_scene  # noqa: E402
from wall.media.cache import MediaCache  # noqa: E402
from wall.media.fetch import Limits, fetch  # noqa: E402
from wall.media.images import ImageError, Policy, avatar_renditions, post_renditions  # noqa: E402


def high_water_mb() -> float:
    """Return this process's peak resident memory in MB (Linux VmHWM)."""
    status = Path("/proc/self/status").read_text()
    found = re.search(r"VmHWM:\s+(\d+)", status)
    return int(found.group(1)) / 1024 if found else float("nan")


def reset_high_water() -> bool:
    """Reset the peak RSS counter (Linux clear_refs); False where that is not allowed."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def inputs() -> dict[str, bytes]:
    """Typical and hostile inputs, made here."""
    phone = io.BytesIO()
    Image.effect_noise((4032, 3024), 40).convert("RGB").save(phone, "JPEG", quality=88)
    scene = io.BytesIO()
    render_scene("workshop").resize((4032, 3024)).save(scene, "JPEG", quality=88)
    return {
        "scene 12 MP JPEG (smooth)": scene.getvalue(),
        "noise 12 MP JPEG (worst)": phone.getvalue(),
        "screenshot 1920x1080 PNG": corpus.png(Image.effect_noise((1920, 1080), 30).convert("RGB")),
        "CMYK JPEG": corpus.cmyk(),
        "16-bit PNG": corpus.sixteen_bit(),
        "animated GIF 120 frames": corpus.animated_gif(),
        "PNG bomb 144 MP": corpus.png_bomb(),
        "GIF bomb 4.3 GP": corpus.gif_bomb(),
    }


def bench_decode(files: dict[str, bytes], rounds: int) -> None:
    """Time the renditions of each input."""
    policy = Policy()
    print(f"{'input':28} {'ms/image':>9} {'renditions/s':>13}  result")
    for name, data in files.items():
        made, start, result = 0, time.perf_counter(), ""
        for _ in range(rounds):
            try:
                made += len(post_renditions(data, policy))
                result = "ok"
            except ImageError as exc:
                result = f"refused ({exc})"[:50]
        took = time.perf_counter() - start
        rate = made / took if made else 0.0
        print(f"{name:28} {took / rounds * 1000:9.1f} {rate:13.1f}  {result}")
    start = time.perf_counter()
    made = sum(len(avatar_renditions(files["CMYK JPEG"], policy)) for _ in range(rounds * 5))
    print(f"{'avatars (3 renditions)':28} {'':9} {made / (time.perf_counter() - start):13.1f}")


def bench_fetch_and_cache(files: dict[str, bytes], rounds: int) -> None:
    """Fetch from a loopback server and store in the cache, end to end."""
    server = corpus.ImageServer()
    url = server.add("/phone.jpg", files["scene 12 MP JPEG (smooth)"], content_type="image/jpeg")
    limits = Limits(allow_private=True)
    with tempfile.TemporaryDirectory() as folder:
        cache = MediaCache(Path(folder), 50 * 1024 * 1024)
        start = time.perf_counter()
        for _ in range(rounds):
            for rendition in post_renditions(fetch(url, limits).data, Policy()):
                cache.put(rendition.data, rendition.suffix)
        took = time.perf_counter() - start
    server.close()
    print(f"fetch + 4 renditions + cache: {took / rounds * 1000:.1f} ms per 12 MP photo")


def main() -> None:
    """Run every benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    files = inputs()
    print(f"Pillow {Image.__version__}; inputs made, peak RSS so far {high_water_mb():.0f} MB")
    if reset_high_water():
        print(f"peak RSS reset to {high_water_mb():.0f} MB before the benchmark")
    bench_decode(files, args.rounds)
    bench_fetch_and_cache(files, args.rounds)
    print(f"peak RSS during the benchmark: {high_water_mb():.0f} MB")


if __name__ == "__main__":
    main()
