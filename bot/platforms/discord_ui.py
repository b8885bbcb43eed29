"""What Muster shows on Discord besides messages: slash-command definitions built from the
one command table, button rows, and the modals of commands' guided forms."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import discord

from bot import i18n
from bot.arguments import ArgKind
from bot.messaging import Button, Card, EventMirror, InFile, NoRoom
from bot.strings import Msg
from bot.textsplit import shorten, split_text

if TYPE_CHECKING:
    from bot.command_spec import CommandSpec

MANAGE_EVENTS = 1 << 33
FORM_MODAL = "form:"  # a modal's custom id: this, then the command's name
MODAL_FIELD_MAX = 4000  # Discord's longest text input
CONTENT_LIMIT = 2000
FILE_OPTION = "file"  # the attachment option of a command that takes a file
MAX_ATTACHMENT = 100_000  # a motion is text: a larger file is not read
OPTION_MAX = 6000  # Discord's longest string option
EMBED_LIMIT = 4000  # Discord allows 4,096 in a description; leave room
EVENT_FIELD = 100  # a scheduled event's name and location
MAX_SCHEDULED_EVENTS = 30038  # a server holds at most 100 upcoming or running
CANCELLED = 4  # a scheduled event's status
DESCRIPTION_MAX = 100  # a command's or option's description
# Muster's languages that Discord has a locale for, by Discord's name of it.
DISCORD_LOCALES = {"pl": "pl"}


ROWS, PER_ROW = 5, 5  # what one Discord message holds


def button_rows(card: Card) -> tuple[tuple[Button, ...], ...]:
    """The card's rows, or where it has more than a message holds (a sheet of 20 slots
    in rows of two), its buttons packed five to a row, so every one is reachable."""
    rows = card.buttons
    if len(rows) <= ROWS and all(len(r) <= PER_ROW for r in rows):
        return rows
    flat = [b for row in rows for b in row]
    return tuple(tuple(flat[i : i + PER_ROW]) for i in range(0, len(flat), PER_ROW))


class Buttons(discord.ui.View):
    """Buttons to send, not to listen on: presses reach on_interaction by custom id."""

    def __init__(self, card: Card) -> None:
        super().__init__(timeout=None)
        for row_number, row in enumerate(button_rows(card)[:ROWS]):
            for button in row[:PER_ROW]:
                self.add_item(
                    discord.ui.Button(
                        label=button.label[:80],
                        custom_id=button.action,
                        row=row_number,
                        style=discord.ButtonStyle.secondary,
                    )
                )

    def is_dispatchable(self) -> bool:
        return False


class FormModal(discord.ui.Modal):
    """A command's guided form as one Discord modal: its questions from the table."""

    def __init__(self, spec: CommandSpec[Any, Any]) -> None:
        assert spec.form is not None
        title = str(spec.form.title)[:45]
        super().__init__(title=title, custom_id=f"{FORM_MODAL}{spec.name}")
        for question in spec.form.questions[:5]:  # a modal holds five fields
            self.add_item(
                discord.ui.TextInput(
                    label=str(question.label)[:45],
                    custom_id=question.name,
                    max_length=min(question.max_length, MODAL_FIELD_MAX),
                    required=question.required,
                    placeholder=str(question.placeholder)[:100] or None,
                    style=(
                        discord.TextStyle.paragraph if question.long else discord.TextStyle.short
                    ),
                )
            )

    def is_dispatchable(self) -> bool:
        return False


def modal_values(data: dict[str, Any]) -> dict[str, str]:
    """A submitted modal's answers, by field."""
    return {
        c["custom_id"]: str(c.get("value") or "").strip()
        for row in data.get("components", [])
        for c in row.get("components", [])
    }


def form_command(custom_id: str) -> str:
    """The command whose form a submitted modal is ("" for none of ours)."""
    return custom_id[len(FORM_MODAL) :] if custom_id.startswith(FORM_MODAL) else ""


def command_payload(table: Sequence[CommandSpec[Any, Any]]) -> list[dict[str, Any]]:
    """Slash commands as Discord wants them, from the one table."""
    out = []
    for spec in table:
        options = []
        for option in spec.options:
            entry: dict[str, Any] = {
                "name": option.name,
                **_described(option.description),
                "type": 4 if option.kind is ArgKind.INT else 3,
                "required": option.required,
            }
            if option.kind is ArgKind.INT:
                entry["min_value"] = 1
                entry["max_value"] = option.max_value
                if option.suggests_events:
                    entry["autocomplete"] = True
            elif not option.choices:  # a choice is its own limit
                entry["max_length"] = min(option.max_length or spec.max_args, OPTION_MAX)
            if option.choices:
                entry["choices"] = [{"name": c, "value": c} for c in option.choices]
            options.append(entry)
        if spec.form is not None:
            options[0]["required"] = False  # no text opens the form
        if spec.attachment:
            options.append({"name": FILE_OPTION, **_described(spec.attachment), "type": 11})
        out.append(
            {
                "name": spec.name,
                **_described(spec.summary),
                "type": 1,
                "options": options,
                "default_member_permissions": str(MANAGE_EVENTS) if spec.organiser else None,
                "dm_permission": not spec.organiser or spec.own_in_private,
            }
        )
    return out


def _described(text: Msg) -> dict[str, Any]:
    """A description in English, and in each of Muster's languages Discord has a locale
    for (Polish; Discord has no Welsh, so Welsh readers see English descriptions)."""
    with i18n.speaking(i18n.ENGLISH):
        english = str(text)[:DESCRIPTION_MAX]
    localised = {}
    for code, locale in DISCORD_LOCALES.items():
        with i18n.speaking(code):
            localised[locale] = str(text)[:DESCRIPTION_MAX]
    return {"description": english, "description_localizations": localised}


def command_line(table: Sequence[CommandSpec[Any, Any]], name: str, options: dict[str, Any]) -> str:
    """A slash command's options back into the argument text the table's parser reads."""
    spec = next((s for s in table if s.name == name), None)
    order = [o.name for o in spec.options] if spec else list(options)
    return " ".join(str(options[o]) for o in order if options.get(o) not in (None, ""))


def comparable(commands: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    def option(o: dict[str, Any]) -> tuple[Any, ...]:
        return (
            o["name"],
            o.get("description"),
            tuple(sorted((o.get("description_localizations") or {}).items())),
            o["type"],
            bool(o.get("required")),
            bool(o.get("autocomplete")),
            tuple(c["value"] for c in o.get("choices") or []),
        )

    return sorted(
        (
            c["name"],
            c.get("description"),
            tuple(sorted((c.get("description_localizations") or {}).items())),
            tuple(option(o) for o in c.get("options") or []),
            c.get("default_member_permissions"),
        )
        for c in commands
    )


def pieces(card: Card) -> list[dict[str, Any]]:
    """Message bodies that fit Discord's limits; buttons ride on the last."""
    if card.title:
        body = "\n\n".join(card.blocks)
        parts = split_text(body, EMBED_LIMIT) if body else [""]
        pieces: list[dict[str, Any]] = [
            {
                "embed": discord.Embed(
                    title=card.title[:256] if i == 0 else None, description=part or None
                )
            }
            for i, part in enumerate(parts)
        ]
    else:
        pieces = [{"content": part} for part in split_text(card.plain(), CONTENT_LIMIT)]
    if card.buttons:
        pieces[-1]["view"] = Buttons(card)
    return pieces


def scheduled_event(event: EventMirror) -> dict[str, Any]:
    """An external guild scheduled event with the place, as Discord's API takes it."""
    return {
        "name": shorten(event.title, EVENT_FIELD),
        "scheduled_start_time": event.starts_at.isoformat(),
        "scheduled_end_time": event.ends_at.isoformat(),
        "entity_type": 3,  # external
        "privacy_level": 2,  # guild only
        "entity_metadata": {"location": shorten(event.location, EVENT_FIELD)},
        "description": event.description[:1000] or None,
    }


async def keep_scheduled_event(
    http: discord.http.HTTPClient,
    guild_id: int,
    event: EventMirror | None,
    external_id: str | None,
    *,
    withdraw: bool = False,
) -> str | None:
    """Create or update the guild's scheduled event for an event, or remove it: cancelled
    (members who marked interest see why it went) or, withdrawn, deleted. Raises NoRoom
    where the server holds its most; a missing permission (Forbidden) is the caller's."""
    try:
        if event is None:
            if external_id and withdraw:
                await http.delete_scheduled_event(guild_id, int(external_id))
            elif external_id:
                await http.edit_scheduled_event(guild_id, int(external_id), status=CANCELLED)
            return None
        payload = scheduled_event(event)
        if external_id:
            await http.edit_scheduled_event(guild_id, int(external_id), **payload)
            return external_id
        created = await http.create_guild_scheduled_event(guild_id, **payload)
        return str(created["id"])
    except discord.HTTPException as exc:
        if exc.code == MAX_SCHEDULED_EVENTS:
            raise NoRoom() from exc
        raise


async def read_attachment(
    http: discord.http.HTTPClient, data: dict[str, Any], chosen: object
) -> InFile | None:
    """The file given for a command's file option, read from Discord's CDN."""
    if chosen is None:
        return None
    found = data.get("resolved", {}).get("attachments", {}).get(str(chosen))
    if not found:
        return None
    name = str(found.get("filename") or "file.txt")
    if int(found.get("size") or 0) > MAX_ATTACHMENT:
        return InFile(name, b"")  # too large to be a motion: refused as empty
    body = await http.get_from_cdn(str(found["url"]))
    return InFile(name, body[:MAX_ATTACHMENT])
