"""The fakes refuse what the platforms refuse, and take what they take."""

from __future__ import annotations

from tests.fakes import limits


def test_telegram_counts_a_message_after_its_entities_are_parsed() -> None:
    # A motion's piece: 4,167 characters as sent, 4,096 as Telegram counts them.
    text = "<b>Save our library</b>\n\n" + "Tom &amp; Jerry " * 16 + "x" * 3886
    assert len(text) == 4167 and limits.utf16(limits.telegram_visible(text, "HTML")) == 4096
    assert limits.telegram("sendmessage", {"text": text, "parse_mode": "HTML"}) == []
    too_long = "🗓" * 2049  # 4,098 UTF-16 code units
    assert limits.telegram("sendmessage", {"text": too_long}) != []


def test_telegram_limits() -> None:
    keyboard = {"inline_keyboard": [[{"text": "x", "callback_data": "rsvp:going:" + "9" * 60}]]}
    assert limits.telegram("sendmessage", {"text": "hi", "reply_markup": keyboard})
    assert limits.telegram("answercallbackquery", {"text": "y" * 201})
    assert not limits.telegram("answercallbackquery", {"text": "y" * 200})
    assert limits.telegram("senddocument", {"caption": "c" * 1025})
    assert limits.telegram("setmycommands", {"commands": [{"command": "New", "description": "d"}]})


def test_discord_limits() -> None:
    button = {"type": 2, "label": "b", "custom_id": "x"}
    six_rows = [{"type": 1, "components": [button]} for _ in range(6)]
    assert limits.discord_message({"components": six_rows})
    assert limits.discord_message({"components": [{"type": 1, "components": [button] * 6}]})
    assert limits.discord_message({"content": "c" * 2001})
    assert limits.discord_message({"embeds": [{"title": "t", "description": "d" * 4097}]})
    assert not limits.discord_message({"embeds": [{"title": "t", "description": "d" * 4096}]})
    assert limits.discord_scheduled_event({"name": "n" * 101, "entity_metadata": {}})
    assert limits.discord_scheduled_event({"name": "n", "entity_metadata": {"location": "l" * 101}})
    assert limits.discord_commands([{"name": "x", "description": "d" * 101}])
    modal = {"type": 9, "data": {"title": "t", "components": [
        {"type": 1, "components": [{"label": "l" * 46, "max_length": 10}]}
    ]}}  # fmt: skip
    assert limits.discord_callback(modal)
