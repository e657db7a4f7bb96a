"""Labels of the ambassadors' pages and the moderators' Ambassadors tab, English and French."""

from __future__ import annotations

AMBASSADOR_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "amb_join_title": "Become an ambassador",
        "amb_join_intro": "Employees who post about us appear on the wall with an "
                          "ambassador badge. Tell us who you are on each network.",
        "amb_team": "Team (optional)",
        "amb_handles": "Your handles",
        "amb_handles_hint": "One or more, such as @jane.doe. Leave a network empty "
                            "if you are not on it.",
        "amb_handle_any": "On every network",
        "amb_charter": "The charter",
        "amb_accept": "I accept the charter",
        "amb_consent": "I agree that my posts appear on the wall with my name "
                       "and an ambassador badge",
        "amb_send": "Enrol",
        "amb_charter_required": "Tick “I accept the charter” to enrol: ambassadors are "
                                "the employees who accepted it.",
        "amb_consent_required": "Tick the consent box: your posts appear on the wall with "
                                "your name only if you agree.",
        "amb_name_required": "Give your name, so the communications team knows who you are.",
        "amb_handle_required": "Give at least one handle (such as @jane.doe) so the wall "
                               "recognises your posts.",
        "amb_handle_invalid": "“{h}” is not a handle: use letters, digits, dots, dashes or "
                              "underscores, such as @jane.doe.",
        "amb_too_many": "At most 20 handles per person.",
        "amb_me_title": "Your ambassador page",
        "amb_welcome": "Thank you! Keep this page's address: it is your private link "
                       "(bookmark it). A moderator will look at your enrolment.",
        "amb_changed": "Your handles are saved.",
        "amb_status": "Status",
        "amb_status_pending": "Waiting for a moderator",
        "amb_status_approved": "Ambassador",
        "amb_status_refused": "Not accepted",
        "amb_status_left": "You left the programme",
        "amb_verified": "verified",
        "amb_unverified": "not verified yet",
        "amb_waived": "approved by a moderator",
        "amb_proof": "To prove each account is yours, post this phrase from it once:",
        "amb_posts": "Your posts on the wall",
        "amb_count": "Posts counted",
        "amb_no_posts": "None yet.",
        "amb_change": "Change your handles",
        "amb_save": "Save",
        "amb_leave": "Leave the programme",
        "amb_leave_note": "Your badge goes at once; your past posts stay as ordinary posts.",
        "amb_charter_version": "Charter {v} accepted on {d}",
        "tab_ambassadors": "Ambassadors",
        "amb_approve": "Approve",
        "amb_refuse": "Refuse",
        "amb_approve_handle": "Approve without proof",
        "amb_none": "No enrolment yet",
        "amb_team_none": "no team",
        "amb_erase": "Erase",
        "amb_erase_confirm": "Tap again to erase for good",
        "amb_erased": "Enrolment erased: name, team, handles and private link are gone",
        "amb_new": "New enrolment",
        "amb_week": "Ambassador of the week",
        "amb_week_posts": "posts on the wall this week",
        "amb_week_post": "post on the wall this week",
    },
    "fr": {
        "amb_join_title": "Devenir ambassadeur",
        "amb_join_intro": "Les salariés qui parlent de nous apparaissent sur le mur avec "
                          "un badge d’ambassadeur. Dites-nous qui vous êtes sur chaque réseau.",
        "amb_team": "Équipe (facultatif)",
        "amb_handles": "Vos comptes",
        "amb_handles_hint": "Un ou plusieurs, comme @jeanne.dupont. Laissez vide un réseau "
                            "où vous n’êtes pas.",
        "amb_handle_any": "Sur tous les réseaux",
        "amb_charter": "La charte",
        "amb_accept": "J’accepte la charte",
        "amb_consent": "J’accepte que mes publications apparaissent sur le mur avec mon nom "
                       "et un badge d’ambassadeur",
        "amb_send": "M’inscrire",
        "amb_charter_required": "Cochez « J’accepte la charte » pour vous inscrire : les "
                                "ambassadeurs sont les salariés qui l’ont acceptée.",
        "amb_consent_required": "Cochez la case de consentement : vos publications "
                                "n’apparaissent avec votre nom que si vous l’acceptez.",
        "amb_name_required": "Indiquez votre nom, pour que l’équipe communication sache "
                             "qui vous êtes.",
        "amb_handle_required": "Indiquez au moins un compte (comme @jeanne.dupont) pour que "
                               "le mur reconnaisse vos publications.",
        "amb_handle_invalid": "« {h} » n’est pas un compte : lettres, chiffres, points, tirets "
                              "ou soulignés, comme @jeanne.dupont.",
        "amb_too_many": "Au plus 20 comptes par personne.",
        "amb_me_title": "Votre page d’ambassadeur",
        "amb_welcome": "Merci ! Gardez l’adresse de cette page : c’est votre lien privé "
                       "(ajoutez-la à vos favoris). Un modérateur va examiner votre inscription.",
        "amb_changed": "Vos comptes sont enregistrés.",
        "amb_status": "Statut",
        "amb_status_pending": "En attente d’un modérateur",
        "amb_status_approved": "Ambassadeur",
        "amb_status_refused": "Non retenue",
        "amb_status_left": "Vous avez quitté le programme",
        "amb_verified": "vérifié",
        "amb_unverified": "pas encore vérifié",
        "amb_waived": "approuvé par un modérateur",
        "amb_proof": "Pour prouver que chaque compte est le vôtre, publiez une fois "
                     "cette phrase depuis ce compte :",
        "amb_posts": "Vos publications sur le mur",
        "amb_count": "Publications comptées",
        "amb_no_posts": "Aucune pour l’instant.",
        "amb_change": "Modifier vos comptes",
        "amb_save": "Enregistrer",
        "amb_leave": "Quitter le programme",
        "amb_leave_note": "Votre badge disparaît aussitôt ; vos anciennes publications "
                          "restent comme des publications ordinaires.",
        "amb_charter_version": "Charte {v} acceptée le {d}",
        "tab_ambassadors": "Ambassadeurs",
        "amb_approve": "Approuver",
        "amb_refuse": "Refuser",
        "amb_approve_handle": "Approuver sans preuve",
        "amb_none": "Aucune inscription pour l’instant",
        "amb_team_none": "sans équipe",
        "amb_erase": "Effacer",
        "amb_erase_confirm": "Touchez encore pour effacer définitivement",
        "amb_erased": "Inscription effacée : nom, équipe, comptes et lien privé ont disparu",
        "amb_new": "Nouvelle inscription",
        "amb_week": "Ambassadeur de la semaine",
        "amb_week_posts": "publications sur le mur cette semaine",
        "amb_week_post": "publication sur le mur cette semaine",
    },
}
