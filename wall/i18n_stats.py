"""Labels of the stats screen's periods, empty states and mood gauge, English and French."""

from __future__ import annotations

STATS_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "period_today": "Today",
        "period_week": "Last 7 days",
        "period_all": "Since the start",
        "posts_per_hour": "Posts per hour",
        "posts_per_day": "Posts per day",
        "empty_today": "No posts yet today",
        "empty_week": "No posts in the last 7 days",
        "empty_all": "No posts yet",
        "post_with": "Post with",
        "empty_networks_named": "Posts from {names} will show here",
        "sentiment": "Mood of the posts",
        "sentiment_positive": "Positive",
        "sentiment_neutral": "Neutral",
        "sentiment_negative": "Negative",
        "empty_sentiment": "The mood of the posts will show here",
    },
    "fr": {
        "period_today": "Aujourd’hui",
        "period_week": "7 derniers jours",
        "period_all": "Depuis le début",
        "posts_per_hour": "Publications par heure",
        "posts_per_day": "Publications par jour",
        "empty_today": "Pas encore de publication aujourd’hui",
        "empty_week": "Aucune publication ces 7 derniers jours",
        "empty_all": "Pas encore de publication",
        "post_with": "Publiez avec",
        "empty_networks_named": "Les publications de {names} s’afficheront ici",
        "sentiment": "Humeur du mur",
        "sentiment_positive": "Positif",
        "sentiment_neutral": "Neutre",
        "sentiment_negative": "Négatif",
        "empty_sentiment": "L’humeur des publications s’affichera ici",
    },
}
