"""The offline sentiment scorer, on real English and French sentences."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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


@pytest.mark.parametrize(("text", "language"), [
    # Recorded posts (tests/fixtures) where lingua's small models guess wrong and the
    # function words are right: they decide before lingua is asked.
    ("@someone Merci pour la visite ! #TestDays", "fr"),
    ("Un vélo cargo devant le stand", "fr"),
    ("So MyLife to go. haha", "en"),
    ("C\u2019est top, merci à vous", "fr"),
])
def test_function_words_decide_a_posts_language(text: str, language: str) -> None:
    assert sentiment.language_of(text, None, "en" if language == "fr" else "fr") == language


def test_mixed_function_words_leave_the_language_to_the_detector() -> None:
    assert sentiment._function_words_say("Merci for the visit, c'est super") is None
    assert sentiment._function_words_say("Velocia 2026 #TestDays") is None


def test_links_and_hashtags_do_not_sway_the_mood() -> None:
    assert sentiment.label("https://example.com/awful-terrible #VelociaDays", "en") == "neutral"


# The fast scorer (wall.sentiment._Scorer) must give TextBlob's own polarity, exactly.
FIXTURES = Path(__file__).parent / "fixtures"


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        if " " in value and len(value) > 12:
            yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _recorded_texts() -> list[str]:
    """Every sentence-like string of the recorded network payloads (texts, bios, titles)."""
    texts: set[str] = set()
    for path in sorted(FIXTURES.rglob("*.json")):
        try:
            texts.update(_strings(json.loads(path.read_text("utf-8"))))
        except (ValueError, UnicodeDecodeError):
            continue
    return sorted(texts)


def _textblob(text: str, language: str) -> float:
    return float(sentiment._sentiment(language)(text)[0])


def test_recorded_posts_get_textblobs_own_polarity_in_both_languages() -> None:
    texts = _recorded_texts() + [text for _language, text, _label in SENTENCES]
    assert len(texts) > 100
    for language in sentiment.LANGUAGES:
        for text in texts:
            assert sentiment._scorer(language)(text) == _textblob(text, language), text


def _vocabulary(language: str) -> list[str]:
    """Words that take every path of the scorer: lexicon words, adverbs, negations,
    emoticons in any case, punctuation, numbers, sarcasm marks, unknown words."""
    scorer = sentiment._scorer(language)
    assert isinstance(scorer, sentiment._Scorer)
    words = sorted(scorer.lexicon)
    return [*words[::max(1, len(words) // 150)], *sorted(scorer.negations),
            *[w for w in words if w.endswith(("ly", "ment"))][:20],
            *scorer.emoticons, ":-D", "XD", ":P", "<3", "!", "!!", "(!)", "?", ".", "...",
            "'", "n't", "10/10", "2026", "#1", "@guest", "zorblax", "a", "de", "l'équipe"]


@pytest.mark.parametrize("language", sentiment.LANGUAGES)
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_generated_posts_get_textblobs_own_polarity(language: str, data: Any) -> None:
    words = data.draw(st.lists(st.sampled_from(_vocabulary(language)), max_size=25))
    glue = data.draw(st.sampled_from([" ", "  ", "", " ! ", ", "]))
    text = glue.join(words) + data.draw(st.sampled_from(["", "!", " :)", "."]))
    assert sentiment._scorer(language)(text) == _textblob(text, language)


def _textblob_tokens(text: str) -> list[str]:
    """TextBlob's own English tokenizer, as its Sentiment calls it."""
    return list(sentiment._sentiment("en").tokenizer(text))


# Characters that take every path of the tokenizer: punctuation at either end, periods,
# ellipses, abbreviations (U.S., Mr.), contractions, quotes of both kinds, sarcasm marks,
# emoticons split by spaces, paragraph breaks.
_TOKEN_PIECES = [".", "..", "...", "!", "?", "(", ")", "(!)", "( ! )", "'", '"', "\u201c",
                 "\u201d", "\u2018", "\u2019", "'s", "n't", "'ll", ",", ";", ":", "-", "#",
                 "@", "U.S.", "Mr.", "e.g.", "T.", "etc.", ": )", ":-)", ";)", "<3", " ",
                 "  ", "\n", "\n\n", "\r\n", "\t", "great", "word", "Dr", "x", "10/10", "é"]


def test_the_english_tokens_are_textblobs_on_recorded_posts() -> None:
    tokens = sentiment._scorer("en").tokenizer  # wall.sentiment._EnglishTokens
    assert isinstance(tokens, sentiment._EnglishTokens)
    for text in _recorded_texts() + [text for _language, text, _label in SENTENCES]:
        assert tokens(text) == _textblob_tokens(text), text


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pieces=st.lists(st.sampled_from(_TOKEN_PIECES), max_size=30),
       noise=st.text(max_size=12))
def test_the_english_tokens_are_textblobs_on_generated_text(pieces: list[str],
                                                            noise: str) -> None:
    text = "".join(pieces) + noise
    assert sentiment._scorer("en").tokenizer(text) == _textblob_tokens(text)
