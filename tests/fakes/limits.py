"""The platforms' published limits, checked on every request a fake server receives.

A fake that accepts what the platform refuses hides bugs: each fake calls these on the
request body and answers 400, as the platform does, with the rule that was broken.

Telegram Bot API (core.telegram.org/bots/api):
- sendMessage / editMessageText `text`: 1–4096 characters after entities parsing
  (counted here in UTF-16 code units, as Telegram counts entity offsets);
- sendDocument `caption`: 0–1024 characters after entities parsing;
- InlineKeyboardButton `callback_data`: 1–64 bytes;
- answerCallbackQuery `text`: 0–200 characters;
- BotCommand `command`: 1–32 characters, lowercase English letters, digits and
  underscores; `description`: 1–256 characters; at most 100 commands.

Discord API (discord.com/developers/docs):
- message `content`: up to 2000 characters; up to 10 embeds; embed `title` 256,
  `description` 4096, all embeds' text together 6000;
- message components: up to 5 action rows, up to 5 buttons in a row; button `label`
  up to 80 characters; `custom_id` 1–100 characters;
- application command `name` 1–32 (lower-case), `description` 1–100, up to 25
  options; option `name` 1–32, `description` 1–100; up to 25 `choices`, each `name`
  1–100 and a `value` of the option's type; a string option's `max_length` 1–6000, an
  integer option's `min_value`/`max_value` within ±2^53 (and no `max_length`);
- modal `title` up to 45 characters, up to 5 rows; text input `label` up to 45,
  `max_length` up to 4000, `placeholder` up to 100;
- autocomplete result: up to 25 choices, each `name` 1–100 characters;
- guild scheduled event `name` 1–100, `description` up to 1000,
  `entity_metadata.location` 1–100; at most 100 scheduled or active events in a guild
  (400, code 30038).
"""

from __future__ import annotations

import html
import re
from typing import Any

TELEGRAM_TEXT = 4096
TELEGRAM_CAPTION = 1024
TELEGRAM_CALLBACK_DATA = 64
TELEGRAM_TOAST = 200
TELEGRAM_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")
TELEGRAM_COMMAND_DESCRIPTION = 256
TELEGRAM_COMMANDS = 100

DISCORD_CONTENT = 2000
DISCORD_EMBEDS = 10
DISCORD_EMBED_TITLE = 256
DISCORD_EMBED_DESCRIPTION = 4096
DISCORD_EMBEDS_TOTAL = 6000
DISCORD_ROWS = 5
DISCORD_ROW_BUTTONS = 5
DISCORD_BUTTON_LABEL = 80
DISCORD_CUSTOM_ID = 100
DISCORD_COMMAND_NAME = re.compile(r"^[-_a-z0-9]{1,32}$")
DISCORD_DESCRIPTION = 100
DISCORD_OPTIONS = 25
DISCORD_CHOICES = 25
DISCORD_CHOICE_NAME = 100
DISCORD_OPTION_LENGTH = 6000
DISCORD_INTEGER = 2**53
DISCORD_MODAL_TITLE = 45
DISCORD_MODAL_ROWS = 5
DISCORD_INPUT_LABEL = 45
DISCORD_INPUT_MAX = 4000
DISCORD_PLACEHOLDER = 100
DISCORD_EVENT_NAME = 100
DISCORD_EVENT_DESCRIPTION = 1000
DISCORD_EVENT_LOCATION = 100
DISCORD_EVENTS_PER_GUILD = 100
DISCORD_MAX_EVENTS_CODE = 30038


def utf16(text: str) -> int:
    """Telegram measures lengths, and entity offsets, in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def telegram_visible(text: str, parse_mode: str | None) -> str:
    """The text as Telegram counts it: after its HTML entities are parsed."""
    if parse_mode != "HTML":
        return text
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def telegram(method: str, p: dict[str, Any]) -> list[str]:
    """What in a Bot API request breaks a published limit."""
    broken: list[str] = []
    if method in ("sendmessage", "editmessagetext"):
        length = utf16(telegram_visible(str(p.get("text", "")), p.get("parse_mode")))
        if not 1 <= length <= TELEGRAM_TEXT:
            broken.append(f"text is {length} characters after parsing (1–{TELEGRAM_TEXT})")
    if method == "senddocument":
        caption = telegram_visible(str(p.get("caption") or ""), p.get("parse_mode"))
        if utf16(caption) > TELEGRAM_CAPTION:
            broken.append(f"caption is {utf16(caption)} characters (at most {TELEGRAM_CAPTION})")
    markup = p.get("reply_markup") or {}
    for row in markup.get("inline_keyboard", []) if isinstance(markup, dict) else []:
        for button in row:
            data = str(button.get("callback_data", ""))
            if not 1 <= len(data.encode()) <= TELEGRAM_CALLBACK_DATA:
                broken.append(f"callback_data of {len(data.encode())} bytes")
    if method == "answercallbackquery" and len(str(p.get("text") or "")) > TELEGRAM_TOAST:
        broken.append(f"toast of {len(str(p.get('text')))} characters (at most 200)")
    if method == "setmycommands":
        commands = p.get("commands") or []
        if len(commands) > TELEGRAM_COMMANDS:
            broken.append(f"{len(commands)} commands (at most {TELEGRAM_COMMANDS})")
        language = str(p.get("language_code") or "")
        if language and not re.fullmatch(r"[a-z]{2}", language):
            broken.append(f"language_code {language!r} (a two-letter ISO 639-1 code)")
        for command in commands:
            if not TELEGRAM_COMMAND.match(str(command.get("command", ""))):
                broken.append(f"command name {command.get('command')!r}")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                broken.append(f"description of /{command.get('command')}")
    return broken


def discord_message(body: dict[str, Any]) -> list[str]:
    broken: list[str] = []
    content = str(body.get("content") or "")
    if len(content) > DISCORD_CONTENT:
        broken.append(f"content of {len(content)} characters (at most {DISCORD_CONTENT})")
    embeds = body.get("embeds") or []
    if len(embeds) > DISCORD_EMBEDS:
        broken.append(f"{len(embeds)} embeds")
    total = 0
    for embed in embeds:
        title, description = str(embed.get("title") or ""), str(embed.get("description") or "")
        total += len(title) + len(description)
        if len(title) > DISCORD_EMBED_TITLE:
            broken.append(f"embed title of {len(title)} characters")
        if len(description) > DISCORD_EMBED_DESCRIPTION:
            broken.append(f"embed description of {len(description)} characters")
    if total > DISCORD_EMBEDS_TOTAL:
        broken.append(f"embeds of {total} characters together")
    rows = body.get("components") or []
    if len(rows) > DISCORD_ROWS:
        broken.append(f"{len(rows)} rows of components (at most {DISCORD_ROWS})")
    for row in rows:
        items = row.get("components") or []
        if len(items) > DISCORD_ROW_BUTTONS:
            broken.append(f"{len(items)} components in a row")
        for item in items:
            if len(str(item.get("label") or "")) > DISCORD_BUTTON_LABEL:
                broken.append(f"button label of {len(str(item.get('label')))} characters")
            if not 1 <= len(str(item.get("custom_id") or "x")) <= DISCORD_CUSTOM_ID:
                broken.append("custom_id over 100 characters")
    return broken


def discord_commands(commands: list[dict[str, Any]]) -> list[str]:
    broken: list[str] = []
    for command in commands:
        name = str(command.get("name", ""))
        if not DISCORD_COMMAND_NAME.match(name):
            broken.append(f"command name {name!r}")
        if not 1 <= len(str(command.get("description", ""))) <= DISCORD_DESCRIPTION:
            broken.append(f"description of /{name}")
        broken += _discord_localised(f"/{name}", command)
        options = command.get("options") or []
        if len(options) > DISCORD_OPTIONS:
            broken.append(f"/{name} has {len(options)} options")
        for option in options:
            if not DISCORD_COMMAND_NAME.match(str(option.get("name", ""))):
                broken.append(f"/{name} option name {option.get('name')!r}")
            if not 1 <= len(str(option.get("description", ""))) <= DISCORD_DESCRIPTION:
                broken.append(f"/{name} option {option.get('name')} description")
            broken += _discord_localised(f"/{name} option {option.get('name')}", option)
            broken += _discord_option(name, option)
    return broken


# Discord's locales (https://discord.com/developers/docs/reference#locales): it has
# Polish; it has no Welsh.
DISCORD_LOCALES = frozenset(
    [
        "id",
        "da",
        "de",
        "en-GB",
        "en-US",
        "es-ES",
        "es-419",
        "fr",
        "hr",
        "it",
        "lt",
        "hu",
        "nl",
        "no",
        "pl",
        "pt-BR",
        "ro",
        "fi",
        "sv-SE",
        "vi",
        "tr",
        "cs",
        "el",
        "bg",
        "ru",
        "uk",
        "hi",
        "th",
        "zh-CN",
        "ja",
        "zh-TW",
        "ko",
    ]
)


def _discord_localised(label: str, entry: dict[str, Any]) -> list[str]:
    broken = []
    for locale, text in (entry.get("description_localizations") or {}).items():
        if locale not in DISCORD_LOCALES:
            broken.append(f"{label}: {locale!r} is not a Discord locale")
        if not 1 <= len(str(text)) <= DISCORD_DESCRIPTION:
            broken.append(f"{label}: its {locale} description")
    return broken


def _discord_option(command: str, option: dict[str, Any]) -> list[str]:
    broken = []
    label = f"/{command} option {option.get('name')}"
    choices = option.get("choices") or []
    if len(choices) > DISCORD_CHOICES:
        broken.append(f"{label} has too many choices")
    kind = {3: str, 4: int}.get(int(option.get("type", 0)))
    for choice in choices:
        if not 1 <= len(str(choice.get("name", ""))) <= DISCORD_CHOICE_NAME:
            broken.append(f"{label} choice name")
        if kind is not None and not isinstance(choice.get("value"), kind):
            broken.append(f"{label} choice value of the wrong type")
    length = option.get("max_length")
    if (
        option.get("type") == 3
        and length is not None
        and not 1 <= int(length) <= DISCORD_OPTION_LENGTH
    ):
        broken.append(f"{label} max_length {option['max_length']}")
    if option.get("type") == 4:
        if "max_length" in option:
            broken.append(f"{label}: an integer has no max_length")
        for bound in ("min_value", "max_value"):
            if bound in option and not -DISCORD_INTEGER <= int(option[bound]) <= DISCORD_INTEGER:
                broken.append(f"{label} {bound} out of range")
    return broken


def discord_callback(body: dict[str, Any]) -> list[str]:
    """An interaction's response: a message, a modal or autocomplete choices."""
    kind, data = body.get("type"), body.get("data") or {}
    if kind in (4, 7):
        return discord_message(data)
    broken: list[str] = []
    if kind == 9:  # a modal
        if len(str(data.get("title", ""))) > DISCORD_MODAL_TITLE:
            broken.append("modal title over 45 characters")
        rows = data.get("components") or []
        if len(rows) > DISCORD_MODAL_ROWS:
            broken.append("modal of more than 5 rows")
        for row in rows:
            for field in row.get("components") or []:
                if len(str(field.get("label", ""))) > DISCORD_INPUT_LABEL:
                    broken.append(f"modal label {field.get('label')!r} over 45 characters")
                if int(field.get("max_length") or 0) > DISCORD_INPUT_MAX:
                    broken.append("text input max_length over 4000")
                if len(str(field.get("placeholder") or "")) > DISCORD_PLACEHOLDER:
                    broken.append("placeholder over 100 characters")
    if kind == 8:  # autocomplete
        choices = data.get("choices") or []
        if len(choices) > DISCORD_CHOICES:
            broken.append(f"{len(choices)} autocomplete choices")
        for choice in choices:
            if not 1 <= len(str(choice.get("name", ""))) <= DISCORD_CHOICE_NAME:
                broken.append(f"autocomplete choice of {len(str(choice.get('name')))} chars")
    return broken


def discord_scheduled_event(body: dict[str, Any], partial: bool = False) -> list[str]:
    broken: list[str] = []
    name = str(body.get("name") or "")
    if ("name" in body or not partial) and not 1 <= len(name) <= DISCORD_EVENT_NAME:
        broken.append(f"event name of {len(name)} characters")
    if len(str(body.get("description") or "")) > DISCORD_EVENT_DESCRIPTION:
        broken.append("event description over 1000 characters")
    location = (body.get("entity_metadata") or {}).get("location")
    if location is not None and not 1 <= len(str(location)) <= DISCORD_EVENT_LOCATION:
        broken.append(f"event location of {len(str(location))} characters")
    return broken
