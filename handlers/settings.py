"""A group's settings: shown to anyone, changed by organisers."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot import i18n, results
from bot.arguments import Args
from bot.context import Context
from bot.domain.digest import parse_digest
from bot.domain.errors import NotOrganiser, UserError
from bot.domain.events import clean_line
from bot.domain.pairs import read_pairs
from bot.domain.reminders import format_offsets, parse_offsets
from bot.results import Result
from bot.services import settings as group_settings
from bot.storage.tables import Chat, Member
from bot.strings import examples
from bot.strings import settings as words
from bot.voices import group_languages
from handlers import people
from handlers.members import own_settings

EXAMPLE = examples.SETTINGS
KEYS = (
    "name",
    "clp",
    "branch",
    "timezone",
    "remind",
    "show_names",
    "organisers",
    "organiser_role",
    "language",
    "digest",
)
ORGANISERS_EXAMPLE = examples.ORGANISERS


def show(chat: Chat, added: list[str]) -> str:
    return words.SETTINGS.format(
        name=chat.display_name or chat.title or "—",
        clp=chat.clp or "—",
        branch=chat.branch or "—",
        timezone=chat.timezone,
        remind=chat.reminder_offsets,
        show_names=words.YES if chat.show_names else words.NO,
        organisers=", ".join(added) if added else words.ADMINS_ONLY,
        role=chat.organiser_role or "—",
        language=chat.language,
        digest=chat.digest or words.DIGEST_OFF.format(),
        example=EXAMPLE,
    )


def parse_pairs(text: str) -> dict[str, str]:
    return read_pairs([text], KEYS, EXAMPLE, noun="setting")


def _yes_no(value: str) -> bool:
    lowered = value.strip().lower()
    # English always works; Welsh and Polish as their readers would say it.
    if lowered in ("yes", "on", "true", "1", "ie", "do", "tak"):
        return True
    if lowered in ("no", "off", "false", "0", "na", "nage", "nie"):
        return False
    raise UserError(words.SHOW_NAMES_YES_NO, "/settings show_names=no")


async def settings(ctx: Context, args: Args) -> Result:
    text = args.text("changes")
    if ctx.chat is None:
        return await own_settings(ctx, text)
    if not ctx.is_organiser:
        raise NotOrganiser
    chat = ctx.require_group()
    if not text:
        return results.here(show(chat, await group_settings.organiser_names(ctx.tx, chat)))
    pairs = parse_pairs(text)
    # Validate everything before changing anything: no half-applied settings.
    updates: dict[str, str | bool] = {}
    added: list[Member] | None = None
    for key, value in pairs.items():
        if key in ("name", "clp", "branch", "organiser_role"):
            updates[key] = clean_line(value, 100, key, EXAMPLE).lstrip("@")
        elif key == "timezone":
            try:
                updates[key] = ZoneInfo(value.strip()).key
            except (ZoneInfoNotFoundError, ValueError):
                raise UserError(
                    words.UNKNOWN_TIMEZONE.format(zone=value[:40]),
                    "/settings timezone=Europe/London",
                ) from None
        elif key == "language":
            codes = i18n.parse_language(value)
            if codes is None:
                known = ", ".join(i18n.LANGUAGES)
                raise UserError(words.UNKNOWN_LANGUAGE.format(languages=known), "language=cy+en")
            updates[key] = "+".join(codes)
        elif key == "digest":
            updates[key] = parse_digest(value)
        elif key == "remind":
            updates[key] = format_offsets(parse_offsets(value))
        elif key == "organisers":
            if value.strip().lower() in ("none", "-"):
                added = []
            else:
                added = await people.named(ctx, value, ORGANISERS_EXAMPLE)
                if not added:
                    raise UserError(words.NAME_ORGANISERS, ORGANISERS_EXAMPLE)
        else:
            updates[key] = _yes_no(value)
    effects = await group_settings.change(ctx.tx, chat, ctx, updates, added, list(pairs))
    names = await group_settings.organiser_names(ctx.tx, chat)
    # A new language answers in itself: the group reads it from now on.
    reader = group_languages(chat.language)[0] if "language" in updates else i18n.language()
    with i18n.speaking(reader):
        return results.here(words.SAVED.format() + "\n" + show(chat, names), effects)
