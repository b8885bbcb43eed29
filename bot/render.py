"""Cards for events, motions and sign-up sheets, built once for every platform.

Cards are plain text: adapters escape all of it, so a title like "<b>@everyone</b>" is
shown literally everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from bot import i18n, strings
from bot.actions import ConsentPress, RsvpPress, SlotPress, SlotVerb
from bot.domain.events import KIND_LABELS, Changed, Kind
from bot.domain.places import map_link
from bot.domain.reminders import Offset
from bot.domain.rsvp import Answer, Counts
from bot.messaging import Button, Card
from bot.storage.signups import SlotView
from bot.strings import signups as signup_words
from bot.textsplit import Measure, shorten

# A slot's button: numbered, and shortened from the middle, so slots whose names share
# a long start ("Saturday 14 March stall outside …") stay apart.
SLOT_BUTTON = 40


@dataclass(frozen=True)
class EventView:
    id: int
    kind: Kind
    title: str
    starts_at: datetime
    ends_at: datetime | None
    timezone: str
    location: str
    description: str
    capacity: int | None
    cancelled: bool
    cancel_reason: str
    counts: Counts
    motion: tuple[str, str] | None = None  # (slug, title)
    names: dict[Answer, list[str]] | None = field(default=None)
    repeats: str | None = None  # "every week"
    motion_status: str | None = None  # "submitted (3 Dec)"

    @property
    def local_start(self) -> datetime:
        return self.starts_at.astimezone(ZoneInfo(self.timezone))


def when_text(start: datetime, end: datetime | None, tz: str) -> str:
    zone = ZoneInfo(tz)
    local = start.astimezone(zone)
    text = i18n.date_time(local, "when")
    if end is None:
        return strings.WHEN_AT.format(start=text, zone=f"{local:%Z}")
    local_end = end.astimezone(zone)
    if local_end.date() == local.date():
        return strings.WHEN_SAME_DAY.format(
            start=text, end=f"{local_end:%H:%M}", zone=f"{local:%Z}"
        )
    until = i18n.date_time(local_end, "until")
    return strings.WHEN_TO.format(start=text, end=until, zone=f"{local:%Z}")


def short_when(start: datetime, tz: str) -> str:
    local = start.astimezone(ZoneInfo(tz))
    return i18n.date_time(local, "short")


def rsvp_buttons(event_id: int, full: bool = False) -> tuple[Button, ...]:
    first = (
        Button(str(strings.WAITING_LIST), RsvpPress(Answer.WAITING, event_id).pack())
        if full
        else Button(str(strings.GOING), RsvpPress(Answer.GOING, event_id).pack())
    )
    return (
        first,
        Button(str(strings.MAYBE), RsvpPress(Answer.MAYBE, event_id).pack()),
        Button(str(strings.CANT_GO), RsvpPress(Answer.NO, event_id).pack()),
    )


def event_card(view: EventView, limit: int | None = None, measure: Measure = len) -> Card:
    """The event's card; with `limit`, one that fits a message of that length (as the
    platform `measure`s it): title, date, place, counts and buttons always, names as
    many as fit ("and N more")."""
    card = _event_card(view, None, measure)
    if limit is None or view.names is None or measure(card.plain()) <= limit:
        return card
    room = limit - (measure(card.plain()) - measure(names_block(view.names)))
    return _event_card(view, max(room, 0), measure)


def _event_card(view: EventView, names_room: int | None, measure: Measure) -> Card:
    blocks = [
        f"{KIND_LABELS[view.kind]} · #{view.id}",
        "🗓 " + when_text(view.starts_at, view.ends_at, view.timezone),
    ]
    if view.location:
        link = map_link(view.location)
        blocks.append("📍 " + view.location + (f"\n{link}" if link else ""))
    if view.repeats:
        blocks.append(strings.REPEATS.format(description=view.repeats))
    if view.description:
        blocks.append(view.description)
    if view.motion:
        line = strings.MOTION_ATTACHED.format(title=view.motion[1], slug=view.motion[0])
        if view.motion_status:
            line += "\n" + view.motion_status
        blocks.append(line)
    if view.cancelled:
        blocks.append(
            strings.CANCELLED_BECAUSE.format(reason=view.cancel_reason)
            if view.cancel_reason
            else strings.CANCELLED.format()
        )
        return Card(blocks=tuple(blocks), title=view.title)
    if view.kind is Kind.DEADLINE:
        return Card(blocks=tuple(blocks), title=view.title)
    blocks.append(view.counts.line(view.capacity))
    if view.names:
        blocks.append(names_block(view.names, names_room, measure))
    card = Card(blocks=tuple(blocks), title=view.title)
    return card.with_buttons(rsvp_buttons(view.id, view.counts.full(view.capacity)))


NAME_ANSWERS = (
    (Answer.GOING, strings.GOING),
    (Answer.MAYBE, strings.MAYBE),
    (Answer.NO, strings.CANT_GO),
)


def names_block(
    names: dict[Answer, list[str]], room: int | None = None, measure: Measure = len
) -> str:
    """Who answered what; within `room` characters, each answer's list is cut short
    with "and N more": the most names per answer that fit (found by halving), so every
    answer keeps its count and its first names."""
    lists = {answer: names.get(answer, []) for answer, _ in NAME_ANSWERS}
    longest = max(len(p) for p in lists.values())
    if room is None:
        return _names_lines(lists, longest)
    low, high = 0, longest  # `low` names each always fits (the counts alone are short)
    while low < high:
        middle = (low + high + 1) // 2
        if measure(_names_lines(lists, middle)) <= room:
            low = middle
        else:
            high = middle - 1
    return _names_lines(lists, low)


def _names_lines(lists: dict[Answer, list[str]], most: int) -> str:
    lines = []
    for answer, label in NAME_ANSWERS:
        people = lists[answer]
        n = min(most, len(people))
        text = ", ".join(people[:n]) if people else "—"
        if n < len(people):
            more = len(people) - n
            text = (
                strings.AND_MORE.format(names=text, n=more) if n else strings.N_PEOPLE.format(more)
            )
        lines.append(f"{label} ({len(people)}): {text}")
    return "\n".join(lines)


def reminder_card(
    view: EventView, offset: Offset, limit: int | None = None, measure: Measure = len
) -> Card:
    lead = reminder_lead(view.title, offset)
    card = event_card(view, None if limit is None else limit - measure(lead) - 2, measure)
    return Card(blocks=(lead, *card.blocks), title=card.title, buttons=card.buttons)


def reminder_lead(title: str, offset: Offset) -> str:
    """ "⏰ Reminder: … is tomorrow / in 2 hours": how a reminder introduces itself."""
    minutes = offset.minutes
    if minutes == 1440:
        return strings.REMINDER_TOMORROW.format(title=title)
    if minutes % 1440 == 0:
        return strings.REMINDER_IN_DAYS.format(minutes // 1440, title=title)
    if minutes % 60 == 0:
        return strings.REMINDER_IN_HOURS.format(minutes // 60, title=title)
    return strings.REMINDER_IN_MINUTES.format(minutes, title=title)


CHANGED_LEADS = {
    Changed.TIME: strings.CHANGED_TIME,
    Changed.PLACE: strings.CHANGED_PLACE,
    Changed.TIME_AND_PLACE: strings.CHANGED_TIME_AND_PLACE,
}


def update_card(
    view: EventView, what: Changed, limit: int | None = None, measure: Measure = len
) -> Card:
    text = CHANGED_LEADS[what].format(title=view.title)
    people = view.counts.going + view.counts.maybe
    if people:
        text = f"{text} {strings.TAKE_NOTE.format(people)}"
    card = event_card(view, None if limit is None else limit - measure(text) - 2, measure)
    return Card(blocks=(text, *card.blocks), title=card.title, buttons=card.buttons)


def cancel_card(view: EventView) -> Card:
    line = strings.CANCELLED_LINE_BECAUSE if view.cancel_reason else strings.CANCELLED_LINE
    blocks = [line.format(title=view.title, id=view.id, reason=view.cancel_reason)]
    people = view.counts.going + view.counts.maybe
    if people:
        blocks.append(strings.TAKE_NOTE.format(people))
    return Card.text("\n".join(blocks))


def event_line(view: EventView, now: datetime) -> str:
    when = short_when(view.starts_at, view.timezone)
    if view.kind is Kind.DEADLINE:
        left = strings.closes_in(view.starts_at - now)
        return strings.DEADLINE_LINE.format(id=view.id, when=when, title=view.title, left=left)
    going = f"{view.counts.going}/{view.capacity}" if view.capacity else str(view.counts.going)
    return strings.EVENT_LINE.format(
        id=view.id, when=when, title=view.title, going=going, maybe=view.counts.maybe
    )


def motion_card(title: str, text: str, slug: str, source: str) -> Card:
    blocks = [text]
    if source:
        blocks.append(strings.MOTION_SOURCE.format(source=source))
    blocks.append(strings.MOTION_FOOTER.format(slug=slug))
    return Card(blocks=tuple(blocks), title=title)


def sheet_card(
    sheet_id: int,
    title: str,
    description: str,
    deadline: datetime | None,
    tz: str,
    slots: list[SlotView],
) -> Card:
    blocks = [f"{strings.SIGNUP_SHEET} · #{sheet_id}"]
    if description:
        blocks.append(description)
    if deadline is not None:
        blocks.append(strings.SIGN_UP_BY.format(when=short_when(deadline, tz)))
    lines = []
    buttons = []
    for slot in slots:
        label = slot.label or strings.SIGN_ME_UP
        lines.append(f"{slot.position}. {label} — {slot_state(slot)}")
        if not slot.full:
            text = shorten(f"{slot.position}. {label}", SLOT_BUTTON)
            buttons.append(Button(text, SlotPress(SlotVerb.JOIN, sheet_id, slot.position).pack()))
        else:
            wait = shorten(f"{slot.position}. {strings.WAITING_LIST}: {label}", SLOT_BUTTON)
            buttons.append(Button(wait, SlotPress(SlotVerb.WAIT, sheet_id, slot.position).pack()))
    blocks.append("\n".join(lines))
    blocks.append(strings.SHEET_FOOTER.format(id=sheet_id))
    rows = [tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2)]
    return Card(blocks=tuple(blocks), title=title).with_buttons(*rows)


def slot_state(slot: SlotView) -> str:
    if slot.capacity is None:
        return strings.SIGNED_UP.format(slot.taken)
    if slot.full:
        return (
            strings.FULL_WAITING.format(waiting=slot.waiting) if slot.waiting else str(strings.FULL)
        )
    return strings.PLACES_LEFT.format(left=slot.left or 0, capacity=slot.capacity)


def notice_card() -> Card:
    """The privacy notice, with the button that records consent."""
    return Card(blocks=(str(strings.PRIVACY_NOTICE),)).with_buttons(
        (Button(str(strings.CONSENT_BUTTON), ConsentPress().pack()),)
    )


def slot_name(title: str, label: str) -> str:
    """A sheet's name with its slot's, as members read it."""
    return signup_words.SLOT_NAME.format(title=title, label=label) if label else title
