"""Labels shown on the screens and the moderator page, in English and French."""

from __future__ import annotations

from wall.i18n_desk import DESK_LABELS

DEFAULT_LANGUAGE = "en"

LABELS: dict[str, dict[str, str]] = {
    "en": {
        # Screens
        "feed": "Live feed",
        "stats": "Statistics",
        "highlights": "Highlights",
        "moderate": "Moderate",
        "screens": "Screens",
        "open_screen": "Open screen",
        "posts": "Posts",
        "posts_per_minute": "Posts per minute",
        "authors": "Authors",
        "top_hashtags": "Top hashtags",
        "top_contributors": "Top contributors",
        "networks": "Networks",
        "last_hour": "Last hour",
        "posts_count": "posts",
        "waiting": "Waiting for the first posts…",
        "no_highlight": "Highlighted posts will appear here",
        "join_in": "Join the conversation",
        "reconnecting": "Reconnecting…",
        "live": "Live",
        "photo": "Photo",
        "just_now": "just now",
        "minutes_ago": "{n} min ago",
        "hours_ago": "{n} h ago",
        # Moderator
        "moderation": "Moderation",
        "approve": "Approve",
        "reject": "Reject",
        "highlight": "Highlight",
        "unhighlight": "Unhighlight",
        "highlighted": "Highlighted",
        "pending": "Pending",
        "recently_approved": "Recently approved",
        "nothing_waiting": "Nothing waiting",
        "nothing_approved": "Nothing approved yet",
        "reasons": "Rules",
        "open_original": "Original post",
        "decided_by": "by {name}",
        "action_failed": "The action failed, try again",
        "already_decided": "Already decided by another moderator",
        "session_expired": "Session expired, log in again",
        "signed_in_as": "Signed in as {name}",
        "log_in": "Log in",
        "log_out": "Log out",
        "password": "Password",
        "your_name": "Your name",
        "wrong_password": "Wrong password",
    },
    "fr": {
        # Écrans
        "feed": "Fil en direct",
        "stats": "Statistiques",
        "highlights": "À la une",
        "moderate": "Modérer",
        "screens": "Écrans",
        "open_screen": "Ouvrir l’écran",
        "posts": "Publications",
        "posts_per_minute": "Publications par minute",
        "authors": "Auteurs",
        "top_hashtags": "Top hashtags",
        "top_contributors": "Top contributeurs",
        "networks": "Réseaux",
        "last_hour": "Dernière heure",
        "posts_count": "publications",
        "waiting": "En attente des premières publications…",
        "no_highlight": "Les publications mises en avant apparaîtront ici",
        "join_in": "Participez à la conversation",
        "reconnecting": "Reconnexion…",
        "live": "En direct",
        "photo": "Photo",
        "just_now": "à l’instant",
        "minutes_ago": "il y a {n} min",
        "hours_ago": "il y a {n} h",
        # Modération
        "moderation": "Modération",
        "approve": "Approuver",
        "reject": "Rejeter",
        "highlight": "Mettre en avant",
        "unhighlight": "Retirer de la une",
        "highlighted": "À la une",
        "pending": "En attente",
        "recently_approved": "Approuvées récemment",
        "nothing_waiting": "Rien en attente",
        "nothing_approved": "Aucune publication approuvée",
        "reasons": "Règles",
        "open_original": "Publication d’origine",
        "decided_by": "par {name}",
        "action_failed": "L’action a échoué, réessayez",
        "already_decided": "Déjà traitée par un autre modérateur",
        "session_expired": "Session expirée, reconnectez-vous",
        "signed_in_as": "Connecté en tant que {name}",
        "log_in": "Se connecter",
        "log_out": "Se déconnecter",
        "password": "Mot de passe",
        "your_name": "Votre nom",
        "wrong_password": "Mot de passe incorrect",
    },
}


def labels(language: str) -> dict[str, str]:
    """Return the labels for a language, falling back to English."""
    base = LABELS[DEFAULT_LANGUAGE]
    chosen = LABELS.get(language.lower().split("-")[0], base) if language else base
    desk = DESK_LABELS.get(language.lower().split("-")[0], {}) if language else {}
    return {**base, **DESK_LABELS[DEFAULT_LANGUAGE], **chosen, **desk}
