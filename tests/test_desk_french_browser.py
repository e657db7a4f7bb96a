"""French everywhere on the tablet and the attendees' form; the form on a phone."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from tests.browser import screenshot
from tests.conftest import WallServer, write_config
from tests.test_desk_browser import TIMEOUT, log_in, pending
from wall.i18n import labels

ATTENDEES = """
[[sources]]
type = "attendees"
max_text = 200
"""
# English reasons the rules write (stored as they are); the tablet shows them in French.
ENGLISH_REASONS = ["pre-moderation", "waits for a moderator", "blocked word", " in text"]


def english_fragments() -> list[str]:
    """Every English label that French says differently, as the literal parts of its template."""
    english, french = labels("en"), labels("fr")
    fragments = set()
    for key, value in english.items():
        if key.startswith(("reason:", "term:")) or french.get(key) == value:
            continue
        for part in re.split(r"\{\w+\}", value):
            part = part.strip(" ·:,")
            if len(part) >= 4 and part.lower() not in ("demo",):
                fragments.add(part)
    return sorted(fragments)


def english_on(page: Any) -> list[str]:
    text = page.evaluate("document.body.innerText")
    found = []
    for fragment in english_fragments() + ENGLISH_REASONS:
        hit = re.search(rf"(?<!\w){re.escape(fragment)}(?!\w)", text)
        if hit:  # say where, so a failure shows the sentence
            found.append(text[max(0, hit.start() - 40):hit.end() + 40])
    return found


@pytest.fixture
def french_server(tmp_path: Path) -> Iterator[WallServer]:
    logo = tmp_path / "logo.png"
    Image.new("RGB", (160, 60), (228, 0, 124)).save(logo)
    branding = f'\n[branding]\nlogo = "{logo}"\naccent = "#e4007c"\n'
    path = write_config(tmp_path, mode="pre", extra=ATTENDEES + branding)
    path.write_text(path.read_text(encoding="utf-8").replace('language = "en"', 'language = "fr"'),
                    encoding="utf-8")
    server = WallServer(path)
    server.start()
    yield server
    server.stop()


def photo_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (220, 80, 40)).save(out, "PNG")
    return out.getvalue()


def test_attendee_form_on_a_phone_previews_counts_and_is_labelled_on_the_tablet(
        french_server: WallServer, page_factory: Any) -> None:
    phone = page_factory(f"{french_server.url}/attend", width=390, height=844)
    # The wall's branding reaches the phone: its logo and its accent colour.
    phone.wait_for_function("document.querySelector('.attend__logo').naturalWidth === 160")
    send = phone.locator("button[type=submit]")
    assert send.evaluate("n => getComputedStyle(n).backgroundColor") == "rgb(228, 0, 124)"
    counter = phone.locator("[data-counter]")
    assert counter.inner_text() == "0 / 200"
    phone.fill("#name", "Léa")
    phone.fill("#text", "Bonjour le hall !")
    assert counter.inner_text() == "17 / 200"
    assert phone.locator("[data-photo-preview]").is_hidden()
    phone.set_input_files("[data-photo-input]", files=[
        {"name": "hall.png", "mimeType": "image/png", "buffer": photo_bytes()}])
    preview = phone.locator("[data-photo-img]")
    preview.wait_for(state="visible", timeout=TIMEOUT)
    phone.wait_for_function("document.querySelector('[data-photo-img]').naturalWidth === 640")
    assert phone.locator("[data-photo-label]").inner_text() == "Changer de photo"
    usage = phone.locator("[data-usage]").inner_text()
    assert "retirer" in usage and "Test Wall" in usage
    # The picker and the send button are comfortable on a phone, and nothing overflows.
    for selector in ("[data-photo-pick]", "button[type=submit]"):
        box = phone.locator(selector).bounding_box()
        assert box["height"] >= 48 and box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert english_on(phone) == []
    screenshot(phone, "attend-phone-fr")
    phone.locator("[data-photo-remove]").click()
    assert phone.locator("[data-photo-preview]").is_hidden()
    phone.set_input_files("[data-photo-input]", files=[
        {"name": "hall.png", "mimeType": "image/png", "buffer": photo_bytes()}])
    phone.locator("button[type=submit]").click()
    phone.locator("[data-attend-sent]").wait_for(timeout=TIMEOUT)
    assert english_on(phone) == []

    tablet = page_factory(f"{french_server.url}/moderate", width=1024, height=768)
    log_in(tablet)
    tablet.wait_for_function("document.querySelector('.modbar__logo').naturalWidth === 160")
    badge = tablet.locator('[data-queue="pending"] .mcard .network').first
    badge.wait_for(timeout=TIMEOUT)
    assert badge.inner_text().strip().lower() == "participant"
    reasons = tablet.locator('[data-queue="pending"] .mcard__reasons').first.inner_text()
    assert "publication d’un participant" in reasons
    assert not phone.errors and not tablet.errors  # type: ignore[attr-defined]


@pytest.mark.slow  # restarts the server (or walks every tab): about 25 s
def test_french_tablet_holds_no_english_and_its_buttons_fit(
        french_server: WallServer, page_factory: Any) -> None:
    ids = french_server.push(
        {"author": "Ana", "handle": "@ana", "text": "Super conférence #TestDays"},
        {"author": "Ben", "handle": "@ben", "text": "Une seule publication"},
        {"author": "Pest", "handle": "@pest", "text": "Achetez maintenant"},
        {"author": "Zoé", "handle": "@zoe.bsky.social", "text": "Merci @zoe.bsky.social !"},
        {"author": "Max", "handle": "@max", "text": "Quelle arnaque ce stand"})
    page = page_factory(f"{french_server.url}/moderate", width=1024, height=768)
    assert english_on(page) == []  # the login page
    log_in(page)
    pending(page, ids[3]).wait_for(timeout=TIMEOUT)
    page.wait_for_function("document.querySelector('[data-live]').dataset.live === 'connected'",
                           timeout=TIMEOUT)
    assert page.locator("[data-live-text]").inner_text() == "En direct"
    mention = pending(page, ids[3]).locator(".token")
    assert mention.inner_text() == "@zoe.bsky.social"  # the whole handle, not "@zoe"
    fits = page.eval_on_selector_all(
        ".mcard button, .deskbar button, .deskbar summary, .tab",
        """nodes => nodes.filter(n => n.offsetParent).map(n => {
             const range = document.createRange();
             range.selectNodeContents(n);
             const text = range.getBoundingClientRect();
             const box = n.getBoundingClientRect();
             const size = parseFloat(getComputedStyle(n).fontSize);
             // One line (a second would double the height), with 6 px of padding each side.
             return {text: n.innerText, twoLines: text.height > size * 2,
                     room: box.width - text.width};
           }).filter(b => b.twoLines || b.room < 12)""")
    assert fits == []
    overlaps = page.eval_on_selector_all(
        ".modbar__brand > *, .modbar__side > *",
        """nodes => nodes.filter(n => n.offsetParent).map(n => n.getBoundingClientRect())
             .flatMap((a, i, all) => all.slice(i + 1).filter(b =>
               a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom)
               .map(() => i))""")
    assert overlaps == []  # the top bar's items never slide over each other
    assert english_on(page) == []
    screenshot(page, "moderator-fr-1024x768")

    pending(page, ids[0]).locator('[data-action="approve"]').click()
    page.wait_for_function(
        "document.querySelector('[data-toast]').textContent.includes('Approuvée : Ana')",
        timeout=TIMEOUT)
    assert english_on(page) == []
    block = pending(page, ids[2]).locator('[data-action="block_author"]')
    block.click()
    assert block.inner_text() == "Touchez encore pour bloquer"
    block.click()
    pending(page, ids[2]).wait_for(state="detached", timeout=TIMEOUT)
    page.wait_for_function(
        "document.querySelector('[data-toast]').textContent.includes('1 publication rejetée')",
        timeout=TIMEOUT)
    for tab in ("shown", "rejected", "blocked"):
        page.locator(f'[data-tab="{tab}"]').click()
        page.wait_for_timeout(800)
        assert english_on(page) == [], tab
    page.locator('[data-tab="rejected"]').click()
    rejected = page.locator('[data-queue="rejected"]')
    rejected.locator(f'[data-post-id="{ids[4]}"]').wait_for(timeout=TIMEOUT)
    rejected.locator(f'[data-post-id="{ids[2]}"]').wait_for(timeout=TIMEOUT)
    assert "mot bloqué « arnaque » dans le texte" in rejected.inner_text()
    page.locator(".history > summary").click()
    page.locator(".history__item", has_text="a bloqué l’auteur").wait_for(timeout=TIMEOUT)
    assert english_on(page) == []
    page.locator(".history > summary").click()
    page.locator('[data-drawer-open="screens"]').click()
    page.locator('[data-drawer="screens"]').wait_for(timeout=TIMEOUT)
    assert english_on(page) == []
    page.keyboard.press("Escape")

    index = page_factory(f"{french_server.url}/", width=1024, height=768)
    assert english_on(index) == []
    portrait = page_factory(f"{french_server.url}/moderate", width=768, height=1024)
    log_in(portrait, "Bea")
    pending(portrait, ids[1]).wait_for(timeout=TIMEOUT)
    assert english_on(portrait) == []
    screenshot(portrait, "moderator-fr-768x1024")
    assert not page.errors and not portrait.errors  # type: ignore[attr-defined]
