"""Labels of the lobby features (announcements, night slide, empty stats), English and French."""

from __future__ import annotations

SCREEN_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "announcement": "Announcement",
        "announcement_for": "Show for",
        "dismiss_announcement": "Remove from screens",
        "announcement_removed": "Announcement removed from the screens",
        "auto_highlight": "On the wall",
        "night_text": "See you tomorrow",
        "empty_networks": "Posts from each network will show here",
        "empty_hashtags": "No hashtag yet: be the first!",
        "empty_contributors": "The first contributors will show here",
    },
    "fr": {
        "announcement": "Annonce",
        "announcement_for": "Afficher pendant",
        "dismiss_announcement": "Retirer des écrans",
        "announcement_removed": "Annonce retirée des écrans",
        "auto_highlight": "Sur le mur",
        "night_text": "À demain",
        "empty_networks": "Les publications de chaque réseau s’afficheront ici",
        "empty_hashtags": "Pas encore de hashtag : soyez le premier !",
        "empty_contributors": "Les premiers contributeurs s’afficheront ici",
    },
}

# The stats screen's own labels live beside it (wall/i18n_stats.py).
from wall.i18n_stats import STATS_LABELS  # noqa: E402

for _language, _words in STATS_LABELS.items():
    SCREEN_LABELS[_language].update(_words)
