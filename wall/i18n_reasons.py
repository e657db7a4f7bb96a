"""Rule reasons and history verbs in French, translated where they are shown.

The rules write English reasons into the posts and the audit; that stored text
stays as it is (exports and logs read it). The tablet translates each reason at
display time with the patterns below: a regular expression over the English
reason and a French template of its named groups. Places (`in text`) and other
fixed words inside a reason go through TERMS. The patterns reach the browser
inside the labels, under keys that start with "reason:" and "term:".
"""

from __future__ import annotations

import re

# (English reason as a regular expression, French template): one per reason the
# rules, the desk and the media pipeline write. Keep in step with wall/moderation/*.py.
REASONS_FR: tuple[tuple[str, str], ...] = (
    (r"blocked pattern /(?P<p>.+)/ in (?P<where>[a-z ]+)", "motif bloqué /{p}/ dans {where}"),
    (r'blocked word "(?P<w>.+)" in (?P<where>[a-z ]+)', "mot bloqué « {w} » dans {where}"),
    (r'profanity "(?P<w>.+)" in (?P<where>[a-z ]+)', "grossièreté « {w} » dans {where}"),
    (r"blocked author (?P<who>.+)", "auteur bloqué {who}"),
    (r"trusted author (?P<who>.+)", "auteur de confiance {who}"),
    (r"author (?P<who>.+) blocked by a moderator", "auteur {who} bloqué par un modérateur"),
    (r"author (?P<who>.+) blocked by (?P<by>.+)", "auteur {who} bloqué par {by}"),
    (r"author (?P<who>.+) unblocked", "auteur {who} débloqué"),
    (r'link to blocked domain "(?P<d>.+)"', "lien vers un domaine bloqué « {d} »"),
    (r"(?P<n>\d+) links \(more than (?P<m>\d+)\)", "{n} liens (plus de {m})"),
    (r"(?P<n>\d+) hashtags \(more than (?P<m>\d+)\)", "{n} hashtags (plus de {m})"),
    (r"(?P<n>\d+) mentions \(more than (?P<m>\d+)\)", "{n} mentions (plus de {m})"),
    (r"(?P<n>\d+) posts by this author in (?P<m>\d+) min \(limit (?P<l>\d+)\)",
     "{n} publications de cet auteur en {m} min (limite {l})"),
    (r"same text as a post by (?P<h>.+) in the last (?P<m>\d+) min",
     "même texte qu’une publication de {h} ces {m} dernières minutes"),
    (r"(?P<p>\d+)% like a post by (?P<h>.+) in the last (?P<m>\d+) min",
     "{p} % identique à une publication de {h} ces {m} dernières minutes"),
    (r"confidential word (?P<w>.+): an ambassador's post waits for a moderator",
     "mot confidentiel {w} : la publication d’un ambassadeur attend un modérateur"),
    (r"ambassador (?P<who>.+)", "ambassadeur {who}"),
    (r"language (?P<l>\S+) \(allowed: (?P<ok>.+)\)", "langue {l} (autorisées : {ok})"),
    (r"toxicity (?P<x>[\d.]+) \(holds from (?P<y>[\d.]+)\)",
     "toxicité {x} (retenue à partir de {y})"),
    (r"toxicity (?P<x>[\d.]+)", "toxicité {x}"),
    (r"pre-moderation: waits for a moderator", "pré-modération : attend un modérateur"),
    (r"author opted out of indexing \(noindex\)", "l’auteur refuse l’indexation (noindex)"),
    (r"author opted out of discovery \(discoverable: false\)",
     "l’auteur refuse d’être découvert (discoverable: false)"),
    (r"author opted out with #nobot in their bio",
     "l’auteur refuse les robots (#nobot dans sa bio)"),
    (r"a reply \(drop_replies\)", "une réponse (drop_replies)"),
    (r"a repost or boost \(drop_reposts\)", "un partage (drop_reposts)"),
    (r"posted by a bot account \(drop_bots\)", "publiée par un compte robot (drop_bots)"),
    (r"marked sensitive or behind a content warning \(drop_sensitive\)",
     "marquée sensible ou derrière un avertissement (drop_sensitive)"),
    (r"account (?P<n>\d+) days old \(less than (?P<m>\d+)\)",
     "compte créé il y a {n} jours (moins de {m})"),
    (r"(?P<n>\d+) followers \(fewer than (?P<m>\d+)\)", "{n} abonnés (moins de {m})"),
    (r"no image, and \[moderation\.media\] require_images is on",
     "aucune image, et [moderation.media] require_images est activé"),
    (r"image flagged by nudity screening: (?P<what>.+)",
     "image signalée par le filtre de nudité : {what}"),
    (r"image rejected by (?P<by>.+)", "image rejetée par {by}"),
    (r"image (?P<i>\d+) failed: (?P<why>.+)", "image {i} en échec : {why}"),
    (r"avatar: (?P<why>.+)", "avatar : {why}"),
    (r"attendee post: a moderator decides", "publication d’un participant : un modérateur décide"),
    (r"host message by (?P<by>.+)", "annonce publiée par {by}"),
    (r"undid (?P<verb>[a-z_]+)", "annulation : {verb}"),
    (r"deleted by its author", "supprimée par son auteur"),
    (r"kill switch", "arrêt d’urgence"),
    (r"wall back on", "mur rallumé"),
)

# Fixed words captured inside reasons (where a rule matched, an undone action).
TERMS_FR: dict[str, str] = {
    "text": "le texte",
    "author name": "le nom de l’auteur",
    "content warning": "l’avertissement de contenu",
    "image description": "la description d’image",
    "approve": "approbation",
    "reject": "rejet",
    "highlight": "mise en avant",
    "unhighlight": "retrait de la une",
    "hide": "masquage",
}

# The attendees' form: what its checks say, in French (wall/sources/attendees.py, wall/uploads.py).
ERRORS_FR: tuple[tuple[str, str], ...] = (
    (r"Please tell us your name\.", "Indiquez votre nom."),
    (r"Your name must be at most (?P<n>\d+) characters\.",
     "Votre nom doit faire au plus {n} caractères."),
    (r"Please write a message\.", "Écrivez un message."),
    (r"Your message must be at most (?P<n>\d+) characters\.",
     "Votre message doit faire au plus {n} caractères."),
    (r"the photo is larger than (?P<n>\d+) MB", "la photo dépasse {n} Mo"),
    (r"this file is not a photo we can read", "ce fichier n’est pas une photo lisible"),
)

_ERRORS_FR = tuple((re.compile(f"^{pattern}$"), template) for pattern, template in ERRORS_FR)

_COMPILED_FR = tuple((re.compile(f"^{pattern}$"), template) for pattern, template in REASONS_FR)


def translate_reason(reason: str, language: str) -> str:
    """Return a rule reason in the language, or unchanged when no pattern matches."""
    if not language.lower().startswith("fr"):
        return reason
    for pattern, template in _COMPILED_FR:
        found = pattern.match(reason)
        if found:
            values = {k: TERMS_FR.get(v, v) for k, v in found.groupdict().items()}
            return template.format(**values)
    return reason


def translate_error(message: str, language: str) -> str:
    """Return an attendee form error in the language, or unchanged when none matches."""
    if not language.lower().startswith("fr"):
        return message
    for pattern, template in _ERRORS_FR:
        found = pattern.match(message)
        if found:
            return template.format(**found.groupdict())
    return message


def reason_labels(language: str) -> dict[str, str]:
    """Return the patterns and terms as labels for the browser ("reason:<regex>": template)."""
    if not language.lower().startswith("fr"):
        return {}
    # The index keeps the order (Flask's JSON sorts keys): the first pattern that matches wins.
    found = {f"reason:{i:02d}:{p.replace('(?P<', '(?<')}": t for i, (p, t) in enumerate(REASONS_FR)}
    found.update({f"term:{k}": v for k, v in TERMS_FR.items()})
    return found
