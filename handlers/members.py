"""Members' own facts, their own plans, and their own choices."""

from __future__ import annotations

from bot import i18n, results, strings
from bot.actions import FactsConfirmed, RemindersPress, Switch
from bot.arguments import Args
from bot.context import Context
from bot.domain.errors import UserError
from bot.domain.events import clean_line
from bot.domain.pairs import read_pairs
from bot.domain.rsvp import Answer
from bot.messaging import Button, Card
from bot.render import short_when, slot_name
from bot.results import Result
from bot.services import members
from bot.services.effects import LANGUAGES
from bot.storage.tables import Member
from bot.strings import Msg, examples
from bot.strings import members as words
from bot.strings import settings as setting_words
from bot.voices import member_language

IAM_EXAMPLE = examples.IAM
FACTS = ("clp", "branch")
# An answer as /my shows it.
ANSWER_NAMES = {
    Answer.GOING: strings.GOING,
    Answer.MAYBE: strings.MAYBE,
    Answer.NO: strings.CANT_GO,
    Answer.WAITING: words.ON_WAITING_LIST,
}


def parse_facts(text: str) -> dict[str, str]:
    if not text.strip():
        raise UserError(words.TELL_FACTS, IAM_EXAMPLE)
    facts = read_pairs([text], FACTS, IAM_EXAMPLE, noun="fact")
    return {key: clean_line(value, 100, key, IAM_EXAMPLE) for key, value in facts.items()}


def _facts(sentence: Msg, clp: str, branch: str, **more: str) -> str:
    return sentence.format(clp=clp or "—", branch=branch or "—", **more)


async def iam(ctx: Context, args: Args) -> Result:
    facts = parse_facts(args.text("facts"))
    member = await ctx.member_or_create()
    members.set_facts(ctx.tx, member, facts)
    return results.private(_facts(words.FACTS_SAVED, member.clp, member.branch))


async def whoami(ctx: Context, args: Args) -> Result:
    member = await ctx.known_member()
    if member is None or not (member.clp or member.branch):
        return results.private(str(strings.WHOAMI_NONE))
    confirmed = member.facts_confirmed_at
    if confirmed is None:
        return results.private(_facts(words.FACTS, member.clp, member.branch))
    date = i18n.date_time(confirmed, "date")
    return results.private(_facts(words.FACTS_CONFIRMED_ON, member.clp, member.branch, date=date))


async def my(ctx: Context, args: Args) -> Result:
    member = await ctx.known_member()
    found = await members.plans(ctx.tx, member)
    lines: list[str] = []
    for event, answer in found.answers:
        sentence = words.PLAN_ANSWER_GUESTS if answer.guests else words.PLAN_ANSWER
        when = short_when(event.starts_at, event.timezone)
        lines.append(
            sentence.format(
                id=event.id,
                when=when,
                title=event.title,
                answer=ANSWER_NAMES[Answer(answer.answer)].format(),
                guests=answer.guests,
            )
        )
    for sheet, slot in found.signups:
        name = slot_name(sheet.title, slot.label)
        lines.append(words.PLAN_SIGNUP.format(id=sheet.id, name=name))
    text = "\n".join([str(words.PLANS), *lines]) if lines else str(words.NO_PLANS)
    return results.private(Card.text(text).with_buttons((reminders_button(member),)))


def reminders_button(member: Member | None) -> Button:
    """Shows the member's choice and flips it: one tap either way."""
    if member is not None and member.private_reminders:
        return Button(str(strings.REMIND_ME_ON), RemindersPress(Switch.OFF).pack())
    return Button(str(strings.REMIND_ME_OFF), RemindersPress(Switch.ON).pack())


async def _set_reminders(ctx: Context, on: bool) -> str:
    members.set_private_reminders(await ctx.member_or_create(), on)
    return str(words.REMINDERS_ON) if on else str(words.REMINDERS_OFF)


async def press(ctx: Context, action: RemindersPress) -> Result:
    """Private reminders on or off: the member's own one-tap choice."""
    return results.toast(await _set_reminders(ctx, action.verb is Switch.ON))


async def facts_press(ctx: Context, action: FactsConfirmed) -> Result:
    member = await ctx.known_member()
    if member is None:
        raise UserError(strings.STALE_BUTTON)
    members.confirm_facts(ctx.tx, member)
    return results.toast(_facts(words.FACTS_CONFIRMED, member.clp, member.branch))


OWN_SETTINGS_EXAMPLE = examples.OWN_SETTINGS
AUTO = "auto"  # the member's language follows their app's


def _own(member: Member | None, platform: str | None) -> Card:
    on = bool(member and member.private_reminders)
    chosen = member.language if member is not None else None
    if chosen in i18n.LANGUAGES:
        language = f"{chosen} ({i18n.NAMES[chosen]})"
    else:
        app = member_language(None, platform)
        language = setting_words.AUTO_LANGUAGE.format(language=f"{app} ({i18n.NAMES[app]})")
    body = words.OWN_SETTINGS.format(
        state=words.ON if on else words.OFF, language=language, example=OWN_SETTINGS_EXAMPLE
    )
    return Card.text(body).with_buttons((reminders_button(member),))


def _own_language(value: str) -> str | None:
    wanted = value.strip().lower()
    if wanted == AUTO:
        return None
    if wanted not in i18n.LANGUAGES:
        names = ", ".join(i18n.LANGUAGES)
        raise UserError(setting_words.UNKNOWN_OWN_LANGUAGE.format(languages=names), "language=cy")
    return wanted


async def own_settings(ctx: Context, text: str) -> Result:
    """/settings in a private chat: the member's own settings (private reminders, and the
    language of what they alone read)."""
    member = await ctx.known_member()
    if not text.strip():
        return results.private(_own(member, ctx.inv.language))
    value = read_pairs([text], ("reminders", "language"), OWN_SETTINGS_EXAMPLE, noun="setting")
    choice = value.get("reminders", "").lower()
    if "reminders" in value and choice not in ("on", "off"):
        raise UserError(words.OWN_SETTING_CHOICE, OWN_SETTINGS_EXAMPLE)
    if "language" not in value:
        return results.private(await _set_reminders(ctx, choice == "on"))
    language = _own_language(value["language"])
    member = await ctx.member_or_create()
    if "reminders" in value:
        members.set_private_reminders(member, choice == "on")
    member.language = language
    # Answered in the language just chosen.
    with i18n.speaking(member_language(language, ctx.inv.language)):
        card = _own(member, ctx.inv.language)
    return results.private(card, LANGUAGES)
