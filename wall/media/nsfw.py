"""Optional offline nudity screening with NudeNet (the `socialwall[nsfw]` extra)."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

# Only exposed body parts flag a post; faces, feet and covered parts do not.
FLAGGED = frozenset({
    "FEMALE_BREAST_EXPOSED", "FEMALE_GENITALIA_EXPOSED", "MALE_GENITALIA_EXPOSED",
    "BUTTOCKS_EXPOSED", "ANUS_EXPOSED",
})
MISSING = ("nudity screening needs the optional extra: pip install 'socialwall[nsfw]' "
           "(NudeNet and onnxruntime; the model ships inside the nudenet package), "
           "or set [media] nsfw = false")


class ScreeningUnavailable(Exception):
    """[media] nsfw is on but NudeNet cannot be imported."""


def load_detector() -> Any:
    """Load NudeNet's bundled ONNX model; raise ScreeningUnavailable with how to fix it."""
    try:
        from nudenet import NudeDetector
    except ImportError as exc:
        raise ScreeningUnavailable(f"{MISSING} ({exc})") from None
    return NudeDetector()


def label_of(detections: list[dict[str, Any]], threshold: float) -> str | None:
    """Return a moderator-readable label for the strongest flagged detection, or None."""
    found = [d for d in detections
             if d.get("class") in FLAGGED and float(d.get("score", 0)) >= threshold]
    if not found:
        return None
    best = max(found, key=lambda d: float(d["score"]))
    name = str(best["class"]).lower().replace("_", " ")
    return f"image flagged by nudity screening: {name} ({float(best['score']):.2f})"


def detect(detector: Any, data: bytes) -> list[dict[str, Any]]:
    """Run the detector on our own re-encoded JPEG bytes (BGR array, as NudeNet expects)."""
    import numpy
    from PIL import Image

    with Image.open(io.BytesIO(data), formats=["JPEG"]) as image:
        rgb = numpy.asarray(image.convert("RGB"))
    result: list[dict[str, Any]] = detector.detect(rgb[:, :, ::-1].copy())
    return result


def screener(threshold: float, offload: Callable[..., Any]) -> Callable[[list[bytes]], str | None]:
    """Return a function labelling a post's images, loading the model once."""
    detector = load_detector()
    log.info("nudity screening on (NudeNet), threshold %.2f", threshold)

    def screen(images: list[bytes]) -> str | None:
        for data in images:
            label = label_of(offload(detect, detector, data), threshold)
            if label:
                return label
        return None

    return screen
