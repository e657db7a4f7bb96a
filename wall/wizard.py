"""`socialwall new`: the answers of a new wall, and the config and env file written from them."""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass

NETWORKS = ("mastodon", "bluesky", "x", "webhook", "attendees", "demo")
MODES = ("pre", "post")
LANGUAGES = ("en", "fr")
SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")
DEFAULT_NETWORKS = ("mastodon", "bluesky", "attendees")


class AnswerError(ValueError):
    """An answer that cannot be used; the message says what is expected."""


@dataclass(frozen=True)
class Answers:
    """What a new wall is about, as asked by `socialwall new`."""

    slug: str
    title: str
    hashtags: tuple[str, ...]
    language: str = "en"
    networks: tuple[str, ...] = DEFAULT_NETWORKS
    mode: str = "pre"
    moderators: tuple[str, ...] = ()
    port: int = 5000

    @property
    def env_prefix(self) -> str:
        """Return the prefix of this wall's variables, e.g. DEVCON_LYON_2026."""
        return re.sub(r"[^A-Z0-9]+", "_", self.slug.upper()).strip("_")

    def env(self, what: str) -> str:
        """Return the name of one of this wall's variables."""
        return f"{self.env_prefix}_{what}"


def check_slug(slug: str) -> str:
    """Return a valid slug or raise AnswerError."""
    if not SLUG.fullmatch(slug):
        raise AnswerError(f'"{slug}" cannot name a wall: use 1 to 40 lower-case letters, '
                          'digits and dashes, starting with a letter or digit, e.g. '
                          '"devcon-lyon-2026"')
    return slug


def split_list(text: str) -> tuple[str, ...]:
    """Split "a, b c" into ("a", "b", "c"), dropping empty items."""
    return tuple(item for item in re.split(r"[,\s]+", text.strip()) if item)


def parse_hashtags(text: str) -> tuple[str, ...]:
    """Return hashtags or keywords without their leading #."""
    tags = tuple(t.lstrip("#") for t in split_list(text))
    tags = tuple(t for t in tags if t)
    if not tags:
        raise AnswerError("give at least one hashtag or keyword, e.g. DevConLyon")
    return tags


def parse_networks(text: str) -> tuple[str, ...]:
    """Return the chosen networks, each one of NETWORKS."""
    chosen = tuple(dict.fromkeys(n.lower() for n in split_list(text)))
    wrong = [n for n in chosen if n not in NETWORKS]
    if wrong or not chosen:
        raise AnswerError(f"networks are a comma-separated list of {', '.join(NETWORKS)} "
                          f"(got {', '.join(wrong) or 'nothing'})")
    return chosen


def parse_choice(text: str, choices: tuple[str, ...], what: str) -> str:
    """Return one of choices, or raise AnswerError naming them."""
    value = text.strip().lower()
    if value not in choices:
        raise AnswerError(f"{what} is one of {', '.join(choices)} (got \"{text.strip()}\")")
    return value


def parse_moderators(text: str) -> tuple[str, ...]:
    """Return moderator names (comma-separated; a name may contain spaces)."""
    names = tuple(n.strip() for n in text.split(",") if n.strip())
    if any(len(n) > 60 for n in names):
        raise AnswerError("a moderator name has at most 60 characters")
    if len({n.casefold() for n in names}) != len(names):
        raise AnswerError("each moderator needs a different name")
    return names


def _toml(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string or list is valid TOML


def config_text(a: Answers) -> str:
    """Return the commented TOML config of a new wall."""
    parts = [f"""# {a.title}: written by `socialwall new {a.slug}`. Every key is explained in
# config/example.toml; check this file with `socialwall check --config {a.slug}.toml`.
# Secrets are not here: they are in {a.slug}.env beside this file (keep it private).

[wall]
title = {_toml(a.title)}
hashtags = {_toml(list(a.hashtags))}   # what the sources follow
language = "{a.language}"               # screen labels: "en" or "fr"
{'call_to_action_url = "/attend"   # the QR code on the screens opens the attendees form'
 if "attendees" in a.networks else '# call_to_action_url = ""  # what the QR code opens'}
# starts_at = "2026-06-04T09:00:00+02:00"  # before: a countdown on the screens
# ends_at = "2026-06-05T18:00:00+02:00"    # after: sources stop, a thank-you slide
# retention_days = 30     # erase posts, images and audit entries older than this

[server]
host = "0.0.0.0"          # reachable by the TVs and tablets on the network
port = {a.port}
instance_dir = "{a.slug}-data"   # database and images, beside this file

[branding]
call_to_action = {_toml("Post with " + " ".join("#" + t for t in a.hashtags[:2]))}
# logo = "logo.png"       # a local image, relative to this file
# accent = "#e4007c"      # colours as "#rrggbb"; `socialwall check` verifies the contrast

[moderation]
mode = "{a.mode}"             # "pre": every post waits for a moderator; "post": shown at once
profanity = true          # the built-in English and French lists
# blocked_words = []
# trusted_authors = ["@yourbrand"]   # these skip the queue

[moderators]
"""]
    if a.moderators:
        # Named accounts only: no shared password to leak or to paste anywhere.
        parts.append("# Named moderators were added to the database: `socialwall moderator "
                     f"list --config {a.slug}.toml`.\n# password_env = "
                     f"\"{a.env('MODERATOR_PASSWORD')}\"   # a shared password as well, "
                     "if you want one\n")
    else:
        parts.append(f"password_env = \"{a.env('MODERATOR_PASSWORD')}\"   # a shared "
                     f"password, in {a.slug}.env\n")
    parts.extend(_source(a, n) for n in a.networks)
    return "\n".join(parts)


def _source(a: Answers, network: str) -> str:
    if network == "mastodon":
        instances = ["https://mastodon.social"] + (["https://piaille.fr"]
                                                   if a.language == "fr" else [])
        return f'[[sources]]\ntype = "mastodon"        # hashtag timelines, no account needed\n' \
               f"instances = {_toml(instances)}\n"
    if network == "bluesky":
        return ('[[sources]]\ntype = "bluesky"         # the public firehose filtered by '
                "hashtag, no account needed\n")
    if network == "x":
        return (f'[[sources]]\ntype = "x"               # X API: a paid plan, every post '
                f'read is billed\nbearer_token_env = "{a.env("X_BEARER_TOKEN")}"\n'
                "read_budget = 5000        # posts read (and paid for) at most\n")
    if network == "webhook":
        return (f'[[sources]]\ntype = "webhook"         # POST /api/ingest with '
                f'"Authorization: Bearer <token>"\ntoken_env = "{a.env("WEBHOOK_TOKEN")}"\n')
    if network == "attendees":
        return ('[[sources]]\ntype = "attendees"       # the form at /attend; every post '
                "waits for a moderator\n")
    return '[[sources]]\ntype = "demo"             # invented posts, to try the screens\n'


def env_text(a: Answers, shared_password: str | None, webhook_token: str) -> str:
    """Return the env file: generated secrets filled in, network credentials to fill."""
    lines = [f"# Secrets of the wall {a.slug}: `socialwall run --config {a.slug}.toml` reads",
             "# this file (variables already set in the environment win). Keep it private.",
             "# Values are single-quoted so that $ and other characters stay as they are."]
    if shared_password is not None:
        lines += ["", "# The shared moderator password (log in at /moderate with any name).",
                  f"{a.env('MODERATOR_PASSWORD')}='{shared_password}'"]
    if "webhook" in a.networks:
        lines += ["", "# The token senders put in 'Authorization: Bearer ...' on /api/ingest.",
                  f"{a.env('WEBHOOK_TOKEN')}='{webhook_token}'"]
    if "x" in a.networks:
        lines += ["", "# The X app's bearer token (developer.x.com): still to fill in.",
                  f"{a.env('X_BEARER_TOKEN')}="]
    return "\n".join(lines) + "\n"


def new_secret() -> str:
    """Return a random secret that needs no quoting anywhere (letters, digits, - and _)."""
    return secrets.token_urlsafe(12)
