"""Labels shown on the screens and the moderator page, in English and French."""

from __future__ import annotations

from wall.i18n_ambassadors import AMBASSADOR_LABELS
from wall.i18n_desk import DESK_LABELS
from wall.i18n_reasons import reason_labels
from wall.i18n_screens import SCREEN_LABELS

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
        "reject_image": "Reject image",
        "share_card": "Share card",
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
        "matched": "Matched",
        "action_failed": "The action failed, try again",
        "already_decided": "Already decided by another moderator",
        "session_expired": "Session expired, log in again",
        "signed_in_as": "Signed in as {name}",
        "log_in": "Log in",
        "log_out": "Log out",
        "password": "Password",
        "your_name": "Your name",
        "wrong_password": "Wrong password",
        # Sources panel and attendee page (issue 4)
        "sources": "Sources",
        "sources_all_ok": "all ok",
        "sources_attention": "{n} need attention",
        "sources_unreachable": "unreachable",
        "source_last_post": "last post {time}",
        "source_ok": "ok", "source_degraded": "degraded", "source_down": "down",
        "source_paused": "paused by budget", "source_starting": "starting",
        "source_passive": "passive", "source_disabled": "disabled", "source_stopped": "stopped",
        # Media banner on the moderator page (issue 11)
        "media_banner_save": "Images cannot be saved: {reason}. "
                             "Posts still arrive; images are retried.",
        "media_banner_fetch": "Images cannot be downloaded: {reason}. "
                              "Posts still arrive; images are retried.",
        "media_disk_full": "the disk is full", "media_read_only": "the disk is read-only",
        "media_no_permission": "the server may not write to its media folder",
        "media_not_a_folder": "the media folder is missing or is a file",
        "media_cache_error": "the media folder cannot be written",
        "media_fetch_failing": "downloads keep failing",
        "attend_title": "Post on the wall",
        "attend_message": "Your message",
        "attend_photo": "A photo (optional)",
        "attend_moderated": "Every post is read by a moderator before it is shown.",
        "attend_send": "Send",
        "attend_thanks": "Thank you!",
        "attend_queued": "A moderator will look at your post before it appears on the screens.",
        "attend_again": "Send another",
        "attend_photo_pick": "Add a photo",
        "attend_photo_change": "Change the photo",
        "attend_photo_remove": "Remove the photo",
        "attend_counter": "{n} / {max}",
        "attend_usage": "Once a moderator approves it, your name, message and photo are shown "
                        "on the screens of {title} and may appear in the event’s archive.",
        "attend_removal": "To have a post taken down, ask the organisers at the event: "
                          "a moderator removes it from every screen at once.",
        "attend_rate_limited": "You can send {n} posts every {m} minutes; please try again later.",
        "attend_rate_limited_one": "You can send {n} post every {m} minutes; "
                                   "please try again later.",
        "attend_expired": "The form expired; please send it again.",
        # Kiosk screens (issue 6)
        "ambassador": "Ambassador",
        "ambassadors": "Ambassadors",
        "ambassadors_share": "Ambassadors’ share",
        "top_ambassadors": "Top ambassadors",
        "no_ambassadors": "No ambassador post yet",
        "last_update": "Last update {time}",
        "screens_on_wall": "Lobby screens",
        "reload": "Reload",
        "reload_all": "Reload all",
        "last_seen": "seen {ago}",
        "posts_shown": "{n} posts shown",
        "online": "Online",
        "offline": "Offline",
        "no_screens": "No screen has connected yet",
        "reload_sent": "Reload sent",
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
        "reject_image": "Rejeter l’image",
        "share_card": "Carte à partager",
        "highlight": "À la une",
        "unhighlight": "Hors de la une",
        "highlighted": "À la une",
        "pending": "En attente",
        "recently_approved": "Approuvées récemment",
        "nothing_waiting": "Rien en attente",
        "nothing_approved": "Aucune publication approuvée",
        "reasons": "Règles",
        "open_original": "Publication d’origine",
        "decided_by": "par {name}",
        "matched": "Trouvé par",
        "action_failed": "L’action a échoué, réessayez",
        "already_decided": "Déjà traitée par un autre modérateur",
        "session_expired": "Session expirée, reconnectez-vous",
        "signed_in_as": "Connecté en tant que {name}",
        "log_in": "Se connecter",
        "log_out": "Se déconnecter",
        "password": "Mot de passe",
        "your_name": "Votre nom",
        "wrong_password": "Mot de passe incorrect",
        # Panneau des sources et page des participants (issue 4)
        "sources": "Sources",
        "sources_all_ok": "tout va bien",
        "sources_attention": "{n} à surveiller",
        "sources_unreachable": "injoignable",
        "source_last_post": "dernier post {time}",
        "source_ok": "ok", "source_degraded": "perturbée", "source_down": "en panne",
        "source_paused": "en pause (budget)", "source_starting": "démarrage",
        "source_passive": "passive", "source_disabled": "désactivée", "source_stopped": "arrêtée",
        # Bandeau des images sur la page de modération (issue 11)
        "media_banner_save": "Les images ne peuvent pas être enregistrées : {reason}. Les posts "
                             "arrivent toujours ; les images seront réessayées.",
        "media_banner_fetch": "Les images ne peuvent pas être téléchargées : {reason}. Les posts "
                              "arrivent toujours ; les images seront réessayées.",
        "media_disk_full": "le disque est plein",
        "media_read_only": "le disque est en lecture seule",
        "media_no_permission": "le serveur n’a pas le droit d’écrire dans son dossier d’images",
        "media_not_a_folder": "le dossier d’images manque ou est un fichier",
        "media_cache_error": "le dossier d’images ne peut pas être écrit",
        "media_fetch_failing": "les téléchargements échouent à répétition",
        "attend_title": "Publier sur le mur",
        "attend_message": "Votre message",
        "attend_photo": "Une photo (facultatif)",
        "attend_moderated": "Chaque message est lu par un modérateur avant d'être affiché.",
        "attend_send": "Envoyer",
        "attend_thanks": "Merci !",
        "attend_queued": "Un modérateur lira votre message avant qu'il ne s'affiche.",
        "attend_again": "En envoyer un autre",
        "attend_photo_pick": "Ajouter une photo",
        "attend_photo_change": "Changer de photo",
        "attend_photo_remove": "Retirer la photo",
        "attend_counter": "{n} / {max}",
        "attend_usage": "Une fois approuvés par un modérateur, votre nom, votre message et votre "
                        "photo s’affichent sur les écrans de {title} et peuvent figurer dans "
                        "l’archive de l’événement.",
        "attend_removal": "Pour faire retirer une publication, demandez-le aux organisateurs "
                          "sur place : un modérateur la retire de tous les écrans à la fois.",
        "attend_rate_limited": "Vous pouvez envoyer {n} messages toutes les {m} minutes ; "
                               "réessayez plus tard.",
        "attend_rate_limited_one": "Vous pouvez envoyer {n} message toutes les {m} minutes ; "
                                   "réessayez plus tard.",
        "attend_expired": "Le formulaire a expiré ; envoyez-le à nouveau.",
        # Écrans de kiosque (issue 6)
        "ambassador": "Ambassadeur",
        "ambassadors": "Ambassadeurs",
        "ambassadors_share": "Part des ambassadeurs",
        "top_ambassadors": "Top ambassadeurs",
        "no_ambassadors": "Aucune publication d’ambassadeur",
        "last_update": "Dernière mise à jour {time}",
        "screens_on_wall": "Écrans du hall",
        "reload": "Recharger",
        "reload_all": "Tout recharger",
        "last_seen": "vu {ago}",
        "posts_shown": "{n} publications affichées",
        "online": "En ligne",
        "offline": "Hors ligne",
        "no_screens": "Aucun écran connecté pour l’instant",
        "reload_sent": "Rechargement demandé",
    },
}


def labels(language: str) -> dict[str, str]:
    """Return the labels for a language, falling back to English."""
    base = LABELS[DEFAULT_LANGUAGE]
    chosen = LABELS.get(language.lower().split("-")[0], base) if language else base
    desk = DESK_LABELS.get(language.lower().split("-")[0], {}) if language else {}
    ambassadors = AMBASSADOR_LABELS.get(language.lower().split("-")[0], {}) if language else {}
    screens = SCREEN_LABELS.get(language.lower().split("-")[0], {}) if language else {}
    return {**base, **DESK_LABELS[DEFAULT_LANGUAGE], **SCREEN_LABELS[DEFAULT_LANGUAGE], **chosen,
            **desk, **screens, **AMBASSADOR_LABELS[DEFAULT_LANGUAGE], **ambassadors,
            **reason_labels(language or DEFAULT_LANGUAGE)}


def plural(words: dict[str, str], key: str, n: int, language: str) -> str:
    """Pick a label's singular form ("<key>_one") when n asks for it, and fill {n}.

    French uses the singular for 0 and 1, English for 1 only (CLDR plural rules).
    """
    one = n in (0, 1) if language.lower().startswith("fr") else n == 1
    template = words.get(f"{key}_one", words[key]) if one else words[key]
    return template.replace("{n}", str(n))
