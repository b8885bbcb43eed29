"""Who reads which language: a group's setting for what it reads, a member's own for
what they alone read, both languages for a bilingual group, and motions in the group's
language where one ships."""

from __future__ import annotations

from sqlalchemy import delete

from bot.storage.tables import MotionTranslation
from tests.fakes.recording import Out
from tests.harness import Harness, one_line


def toasts(outs: list[Out]) -> list[Out]:
    return [o for o in outs if o.kind == "toast"]


NEW = "/newevent Cyfarfod cangen | Iau 3 Rhag 19:30 | Llyfrgell Caerffili"


async def test_a_groups_language_is_a_setting_its_organisers_change(bot: Harness) -> None:
    [saved] = await bot.say("/settings language=cy")
    assert saved.text.startswith("Wedi'u cadw.\nGosodiadau'r grŵp hwn:")
    assert "language = cy" in saved.text
    refused = one_line(await bot.say("/settings language=fr"))
    assert refused.startswith("Mae Muster yn siarad en, cy, pl")  # refused in Welsh
    assert "Only this group's organisers" not in refused
    [member] = await bot.say("/settings language=en", user="amy")
    assert member.text == "Dim ond trefnwyr y grŵp hwn sy'n cael gwneud hynny."
    [back] = await bot.say("/settings language=en")
    assert back.text.startswith("Saved.\nSettings of this group:")


async def test_everything_posted_in_a_welsh_group_is_in_welsh(bot: Harness) -> None:
    await bot.say("/settings language=cy")
    outs = await bot.say(NEW)
    [card] = [o for o in outs if o.card is not None and o.card.buttons]
    assert "Cyfarfod cangen · #1" in card.text
    assert "🗓 Iau 3 Rhag 2026, 19:30 (GMT)" in card.text
    assert [b.label for b in card.card.buttons[0]] == ["Yn dod", "Efallai", "Methu dod"]
    [events] = await bot.say("/events", user="amy")
    assert events.text.startswith("Digwyddiadau i ddod:\n#1 Iau 3 Rhag 19:30 · Cyfarfod cangen")
    # A refusal before anything is stored is in the group's language too.
    assert one_line(await bot.say("/rsvp", user="amy")).startswith("Pa ddigwyddiad?")
    assert one_line(await bot.say("/nosuch", user="amy")).startswith("Dydw i ddim yn adnabod")


async def test_a_member_reads_their_own_language_where_they_alone_read(bot: Harness) -> None:
    await bot.say(
        NEW.replace("Cyfarfod cangen", "Branch meeting").replace("Iau 3 Rhag", "Thu 3 Dec")
    )
    # An English group; a member whose app is in Polish.
    [toast] = toasts(await bot.press("rsvp:going:1", user="ola", language="pl"))
    assert toast.text == "Będziesz na: Branch meeting."
    *notice, plans = await bot.say("/my", user="ola", private=True, language="pl")
    assert notice[0].text.startswith("Prywatność: Muster przechowuje tylko")
    assert plans.text.startswith("Twoje plany:\n#1 czw., 3 gru 19:30 · Branch meeting — Będę")
    # What the group reads stays English.
    [events] = await bot.say("/events", user="ola", language="pl")
    assert events.text.startswith("Upcoming events:")
    # Their own choice wins over their app's, and is kept.
    [chosen] = await bot.say("/settings language=cy", user="ola", private=True, language="pl")
    assert chosen.text.startswith("Eich gosodiadau:\nreminders = i ffwrdd")
    assert "language = cy (Cymraeg)" in chosen.text
    [toast] = toasts(await bot.press("rsvp:maybe:1", user="ola", language="pl"))
    assert toast.text == "Efallai y dewch chi i Branch meeting."
    [auto] = await bot.say("/settings language=auto", user="ola", private=True, language="pl")
    assert "language = auto (pl (polski), język Twojej aplikacji)" in auto.text


async def test_an_english_app_in_a_welsh_group_reads_welsh(bot: Harness) -> None:
    """Telegram and Discord have no Welsh: an app "in English" says little there."""
    await bot.say("/settings language=cy")
    await bot.say(NEW)
    [toast] = toasts(await bot.press("rsvp:going:1", user="amy", language="en"))
    assert toast.text == "Rydych chi'n dod i Cyfarfod cangen."
    [toast] = toasts(await bot.press("rsvp:no:1", user="ola", language="pl"))
    assert toast.text == "Nie możesz przyjść na: Cyfarfod cangen."


async def test_a_bilingual_group_reads_both_welsh_first(bot: Harness) -> None:
    await bot.say("/settings language=cy+en")
    bot.messenger.max_text = 1000
    outs = await bot.say(NEW + " | remind=1h")
    [card] = [o for o in outs if o.card is not None and o.card.buttons]
    welsh = card.text.index("Iau 3 Rhag 2026, 19:30")
    english = card.text.index("Thu 3 Dec 2026, 19:30")
    assert welsh < card.text.index("· · ·") < english
    assert [b.label for b in card.card.buttons[0]] == [
        "Yn dod / Going",
        "Efallai / Maybe",
        "Methu dod / Can't go",
    ]
    assert len(card.text) <= 1000
    # Answers in the chat: the member's language when the group reads it.
    [answer] = await bot.say("/events", user="amy", language="en")
    assert answer.text.startswith("Upcoming events:")
    [answer] = await bot.say("/events", user="ola", language="pl")
    assert answer.text.startswith("Digwyddiadau i ddod:")
    # The reminder carries both, within the platform's length.
    reminders = await bot.tick(days=10, hours=8, minutes=31)
    [reminder] = [o for o in reminders if "⏰" in o.text]
    assert "⏰ Nodyn atgoffa: mae Cyfarfod cangen ymhen 1 awr." in reminder.text
    assert "⏰ Reminder: Cyfarfod cangen is in 1 hour." in reminder.text


async def test_a_language_survives_a_restart(bot: Harness) -> None:
    await bot.say("/settings language=pl")
    await bot.say("/settings language=cy", user="amy", private=True)
    await bot.restart()
    assert one_line(await bot.say("/rsvp")).startswith("Które wydarzenie?")
    [mine] = await bot.say("/settings", user="amy", private=True)
    assert mine.text.startswith("Eich gosodiadau:")


async def test_a_motion_reads_in_the_groups_language_or_says_it_is_english(bot: Harness) -> None:
    await bot.say("/settings language=cy branch=Bargod clp=Caerffili")
    [welsh] = await bot.say("/motion mandatory-reselection", user="amy")
    assert welsh.text.startswith("Ailddewis gorfodol Aelodau Seneddol Llafur")
    assert "Mae Bargod yn croesawu canlyniadau Etholiad Cyffredinol 2017" in welsh.text
    assert "Rydyn ni'n galw ar CLP Caerffili" in welsh.text
    await bot.say("/settings language=pl")
    [polish] = await bot.say("/motion mandatory-reselection", user="amy")
    assert "Bargod z zadowoleniem przyjmuje wyniki wyborów" in polish.text
    # A language the motion does not ship in: English, and the card says so.
    async with bot.running.db.write() as session:
        await session.execute(delete(MotionTranslation).where(MotionTranslation.language == "pl"))
    [fallback] = await bot.say("/motion mandatory-reselection", user="amy")
    assert fallback.text.startswith(
        "Mandatory reselection of Labour MPs\n\n"
        "Ten wniosek nie ma jeszcze polskiego tłumaczenia: oto wersja angielska."
    )
    assert "Bargod welcomes the 2017 General Election results" in fallback.text
    # A group's own motion is stored and shown as it was given.
    await bot.say("/newmotion bysiau | Achubwch ein bysiau | Mae {branch} yn galw am fysiau")
    [own] = await bot.say("/motion bysiau", user="amy")
    assert "Mae Bargod yn galw am fysiau" in own.text and "tłumaczenia" not in own.text


async def test_an_erased_members_choice_of_language_goes_with_them(bot: Harness) -> None:
    await bot.say("/settings language=pl", user="amy", private=True)
    outs = await bot.say("/forgetme", user="amy", private=True)
    [ask] = [o for o in outs if o.card is not None and o.card.buttons]
    assert ask.text.startswith("To usunie wszystko, co Muster o Tobie przechowuje")
    [done] = toasts(await bot.press(ask.card.buttons[0][0].action, user="amy"))  # type: ignore[union-attr]
    assert done.text == "Gotowe: wszystko, co Muster o Tobie przechowywał, zostało usunięte."
    # Nothing of theirs is left, in the database or in memory: their app's language now.
    *notice, mine = await bot.say("/settings", user="amy", private=True)
    assert [n.text[:8] for n in notice] == ["Privacy:"]  # a stranger again, in English
    assert mine.text.startswith("Your settings:") and "language = auto (en (English)" in mine.text
