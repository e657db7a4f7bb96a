"""`socialwall check` and `run` say what a wall still needs, in exact words."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.test_events_new import socialwall
from wall import preflight
from wall.config import ConfigError, load_config

GOOD = """
[wall]
title = "Check Wall"
hashtags = ["CheckDays"]

[server]
instance_dir = "data"

[moderators]
password_env = "EVENTS_CHECK_PASSWORD"

[[sources]]
type = "webhook"
token_env = "EVENTS_CHECK_TOKEN"
"""


def write(tmp_path: Path, text: str, name: str = "wall.toml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text))
    return caught.value.problems


def test_check_lists_every_missing_variable_with_its_purpose(tmp_path: Path) -> None:
    write(tmp_path, GOOD + """
    [[moderators.accounts]]
    name = "Alice"
    password_hash_env = "EVENTS_CHECK_HASH_ALICE"
    """)
    done = socialwall("check", "--config", "wall.toml", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr == (
        "socialwall: wall.toml: 2 thing(s) to fix before `run`:\n"
        '  - EVENTS_CHECK_HASH_ALICE is not set: the password hash of moderator "Alice" '
        "(socialwall hash-password prints one)\n"
        "  - EVENTS_CHECK_TOKEN is not set: source webhook: the token senders put in "
        "`Authorization: Bearer` on POST /api/ingest (without it the webhook answers 404)\n")
    done = socialwall("check", "--config", "wall.toml", cwd=tmp_path,
                      env={"EVENTS_CHECK_HASH_ALICE": "x", "EVENTS_CHECK_TOKEN": "y"})
    assert done.returncode == 0, done.stderr
    assert done.stdout == 'wall.toml: valid. Wall "Check Wall", sources: webhook (webhook).\n'


def test_env_file_beside_the_config_is_read_and_the_environment_wins(tmp_path: Path) -> None:
    write(tmp_path, GOOD)
    (tmp_path / "wall.env").write_text("EVENTS_CHECK_TOKEN='from-file'\n")
    assert socialwall("check", "--config", "wall.toml", cwd=tmp_path).returncode == 0
    config = load_config(tmp_path / "wall.toml")
    assert preflight.missing_variables(config)  # the file is read by the CLI, not the loader


@pytest.mark.parametrize(("text", "expected"), [
    ('[wall]\ntitel = "x"\n',
     'wall.titel: unknown key (did you mean "title"?); allowed here: '
     "call_to_action_url, ends_at, exclude_keywords, hashtags, keywords, language, mentions, "
     "retention_days, starts_at, title"),
    ('[sever]\nport = 1\n',
     'sever: unknown key (did you mean "server"?); allowed here: ambassadors, branding, media, '
     "moderation, moderators, screens, server, sources, wall"),
    ('[moderation]\nblockd_words = ["x"]\n',
     'moderation.blockd_words: unknown key (did you mean "blocked_words"?)'),
    ('[sources]\ntype = "demo"\n',
     "sources: is written [sources] (one table); write [[sources]] with two brackets, "
     "once before each entry"),
])
def test_typos_get_did_you_mean(tmp_path: Path, text: str, expected: str) -> None:
    found = problems(tmp_path, text)
    assert len(found) == 1
    assert found[0].startswith(expected), found[0]


@pytest.mark.parametrize(("text", "expected"), [
    ('[wall]\ntitle = "x"\nhashtags = ["a" "b"]\n',
     "not valid TOML at line 3, column 17: a list is not closed or misses a comma: "
     'write ["a", "b"] (Unclosed array)'),
    ('[wall\ntitle = "x"\n',
     "not valid TOML at line 1, column 6: a table name must end with ] (like [wall]) "
     "(Expected ']' at the end of a table declaration)"),
    ('[wall]\ntitle = Velocia\n',
     "not valid TOML at line 2, column 9: this value cannot be read: text needs quotes "
     '("like this"), true/false are lower case, lists are written ["a", "b"] '
     "(Invalid value)"),
    ('[wall]\ntitle = "x\n',
     "not valid TOML at line 2, column 11: a string is not closed on its line: add the "
     "missing quote (\") before the end of the line (Illegal character '\\n')"),
])
def test_syntax_errors_give_line_column_and_a_sentence(tmp_path: Path, text: str,
                                                       expected: str) -> None:
    assert problems(tmp_path, text) == [expected]


def test_check_refuses_a_mistyped_host_faint_colours_and_a_loopback_qr(tmp_path: Path) -> None:
    write(tmp_path, GOOD.replace('instance_dir = "data"',
                                 'instance_dir = "data"\nhost = "127.0.0.l"')
          .replace('hashtags = ["CheckDays"]',
                   'hashtags = ["CheckDays"]\ncall_to_action_url = "https://localhost/attend"')
          + '\n[branding]\ntext = "#333333"\nsurface = "#333333"\nbackground = "#777777"\n')
    done = socialwall("check", "--config", "wall.toml", cwd=tmp_path,
                      env={"EVENTS_CHECK_TOKEN": "y"})
    assert done.returncode == 1
    assert done.stderr.splitlines()[1:] == [
        '  - [server] host "127.0.0.l" looks like an IP address with a typo; write four '
        'numbers such as "127.0.0.1", or "0.0.0.0" for every network interface',
        "  - [branding] text #333333 on surface #333333 has a contrast of 1.0:1; screens "
        "need at least 4.5:1 to be read from across a room: make one of them much lighter "
        "or darker",
        "  - [branding] text #333333 on background #777777 has a contrast of 2.8:1; screens "
        "need at least 4.5:1 to be read from across a room: make one of them much lighter "
        "or darker",
        '  - [wall] call_to_action_url "https://localhost/attend" points at this machine '
        "only; phones cannot open it. Write an address phones reach (the machine's network "
        "address or a public name)",
    ]


def test_a_relative_qr_target_on_a_loopback_host_is_refused(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, GOOD.replace(
        'hashtags = ["CheckDays"]', 'hashtags = ["CheckDays"]\ncall_to_action_url = "/attend"')))
    assert preflight.qr_problem(config) == (
        '[wall] call_to_action_url "/attend" is joined to the address the screen uses, and '
        '[server] host "127.0.0.1" only answers this machine: phones scanning the QR code '
        "would open their own loopback address. Set host = \"0.0.0.0\" and open the screens "
        "with the machine's network address, or write the full address, e.g. "
        '"https://wall.example.com/attend"')
    open_host = load_config(write(tmp_path, GOOD.replace(
        'hashtags = ["CheckDays"]', 'hashtags = ["CheckDays"]\ncall_to_action_url = "/attend"')
        .replace('instance_dir = "data"', 'instance_dir = "data"\nhost = "0.0.0.0"'), "b.toml"))
    assert preflight.qr_problem(open_host) is None


@pytest.mark.parametrize(("host", "bad"), [
    ("127.0.0.1", False), ("0.0.0.0", False), ("::", False), ("wall.local", False),
    ("localhost", False), ("127.0.0.l", True), ("10.0.O.1", True), ("wall_server", True),
])
def test_hosts(host: str, bad: bool) -> None:
    assert (preflight.host_problem(host) is not None) is bad


def test_relative_paths_are_relative_to_the_config_file(tmp_path: Path) -> None:
    folder = tmp_path / "walls"
    folder.mkdir()
    (folder / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    path = write(folder, GOOD + '\n[branding]\nlogo = "logo.png"\n')
    done = socialwall("check", "--config", str(path), cwd=tmp_path,
                      env={"EVENTS_CHECK_TOKEN": "y"})
    assert done.returncode == 0, done.stderr
    config = load_config(path)
    assert config.server.instance_dir == folder / "data"
    assert config.branding.logo_file == folder / "logo.png"


def test_run_refuses_a_wall_nobody_can_moderate(tmp_path: Path) -> None:
    write(tmp_path, GOOD + """
    [[moderators.accounts]]
    name = "Alice"
    password_hash_env = "EVENTS_CHECK_HASH_ALICE"
    """)
    done = socialwall("run", "--config", "wall.toml", "--port", "0", cwd=tmp_path,
                      env={"EVENTS_CHECK_TOKEN": "y"})
    assert done.returncode == 1
    assert done.stderr == (
        "socialwall: nobody could moderate this wall: none of EVENTS_CHECK_HASH_ALICE is set "
        "and neither is EVENTS_CHECK_PASSWORD, so no password would open /moderate. Set them "
        "(in the env file beside the config, or the environment), or add an account with "
        "`socialwall moderator add NAME`.\n")


def test_hash_password_says_how_to_export_it(tmp_path: Path) -> None:
    done = socialwall("hash-password", "--export", "SOCIALWALL_HASH_ALICE", cwd=tmp_path,
                      stdin="a long secret\n")
    assert done.returncode == 0
    assert done.stdout.startswith("export SOCIALWALL_HASH_ALICE='scrypt:")
    assert done.stdout.endswith("'\n") and done.stdout.count("$") == 2
    plain = socialwall("hash-password", cwd=tmp_path, stdin="a long secret\n")
    assert "put it in single quotes (export NAME='scrypt:...')" in plain.stderr


def test_a_screen_opened_on_loopback_gives_phones_the_network_address(tmp_path: Path) -> None:
    from wall import create_app
    from wall.addresses import lan_address

    lan = lan_address()
    if lan is None:
        pytest.skip("this machine has no network address besides loopback")
    config = load_config(write(tmp_path, GOOD.replace(
        'hashtags = ["CheckDays"]', 'hashtags = ["CheckDays"]\ncall_to_action_url = "/attend"')))
    client = create_app(config, {"TESTING": True}).test_client()
    page = client.get("/screen/feed", base_url="http://127.0.0.1:5000").get_data(as_text=True)
    assert f"{lan}:5000/attend" in page and "127.0.0.1:5000/attend" not in page
    public = client.get("/screen/feed", base_url="http://wall.example:8080")
    assert "wall.example:8080/attend" in public.get_data(as_text=True)
