"""The offline sentiment scorer, on real English and French sentences."""

from __future__ import annotations

import pytest

from wall import sentiment

SENTENCES = [
    ("en", "What a fantastic conference, the speakers were brilliant!", "positive"),
    ("en", "I love this place, great coffee and friendly staff", "positive"),
    ("en", "Terrible service, the worst queue I have ever seen.", "negative"),
    ("en", "The car broke down again, really disappointing and awful.", "negative"),
    ("en", "The keynote starts at 10 in room B.", "neutral"),
    ("fr", "Super conférence, j'adore ! Merci à toute l'équipe", "positive"),
    ("fr", "Un accueil excellent et un atelier vraiment magnifique", "positive"),
    ("fr", "Service horrible, c'est vraiment nul et décevant.", "negative"),
    ("fr", "Attente interminable, personnel désagréable, très mauvais", "negative"),
    ("fr", "La salle B est au deuxième étage.", "neutral"),
]


@pytest.mark.parametrize(("language", "text", "expected"), SENTENCES)
def test_posts_are_scored_in_their_language(language: str, text: str, expected: str) -> None:
    assert sentiment.label(text, language) == expected


@pytest.mark.parametrize(("language", "text", "expected"), SENTENCES)
def test_a_post_without_a_language_is_scored_in_the_one_it_is_written_in(
        language: str, text: str, expected: str) -> None:
    assert sentiment.language_of(text, None, "en") == language
    assert sentiment.label(text, None, "en") == expected


def test_short_posts_follow_the_walls_language() -> None:
    assert sentiment.language_of("👏👏👏 !", None, "fr") == "fr"
    assert sentiment.language_of("ok", "fr-CA", "en") == "fr"
    assert sentiment.label("", "en") == "neutral"


def test_links_and_hashtags_do_not_sway_the_mood() -> None:
    assert sentiment.label("https://example.com/awful-terrible #VelociaDays", "en") == "neutral"
