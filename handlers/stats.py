"""/stats: a group's turnout as a chart and a CSV file, sent privately to an organiser."""

from __future__ import annotations

import csv
import io
from functools import partial

from bot import charts, i18n, results
from bot.arguments import Args
from bot.context import Context
from bot.domain.errors import UserError
from bot.domain.text import spreadsheet_safe
from bot.messaging import OutFile
from bot.results import Result
from bot.services import groups
from bot.services import stats as turnout
from bot.strings import motions as motion_words
from bot.strings import stats as words

DEFAULT = 10


async def stats(ctx: Context, args: Args) -> Result:
    chat = ctx.require_group()
    n = args.opt_number("n") or DEFAULT
    if n > turnout.MOST:
        raise UserError(words.MOST.format(most=turnout.MOST), "/stats 10")
    found = await turnout.turnout(ctx.tx, chat, n)
    if not found:
        return results.answer(words.NO_MEETINGS.format())
    came = [t.came for t in found]
    average = round(sum(came) / len(found), 1)
    going = sum(t.going_members for t in found)
    if going:
        share = round(100 * sum(t.going_who_came for t in found) / going)
        summary = words.SUMMARY.format(average=f"{average:g}", share=share)
    else:
        summary = words.SUMMARY_NO_GOING.format(average=f"{average:g}")
    meetings = [
        charts.Meeting(
            i18n.date_time(t.event.starts_at.astimezone(ctx.tz), "day"),
            t.going,
            t.maybe,
            t.came,
            motion_words.status_name(t.outcome) if t.outcome else ("📜" if t.motion else ""),
        )
        for t in found
    ]
    lettering = charts.TurnoutWords(
        words.TITLE.format(len(found)),
        words.SAID_GOING.format(),
        words.SAID_MAYBE.format(),
        words.CAME.format(),
        words.DEBATED.format(),
        summary,
    )
    caption = words.CAPTION.format(group=groups.name_of(chat))
    picture = OutFile(
        "turnout.png",
        b"",
        f"{caption}\n{summary}",
        make=partial(charts.turnout, meetings, lettering),
    )
    table = OutFile("turnout.csv", _csv(ctx, found), summary)
    return results.file(picture) + results.file(table)


def _csv(ctx: Context, found: list[turnout.Turnout]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([heading.format() for heading in words.CSV_HEADINGS])
    for t in found:
        writer.writerow(
            [
                t.event.id,
                t.event.starts_at.astimezone(ctx.tz).date().isoformat(),
                spreadsheet_safe(t.event.title),
                t.going,
                t.maybe,
                t.came,
                t.going_who_came,
                t.motion,
                t.outcome,
            ]
        )
    return buffer.getvalue().encode("utf-8")
