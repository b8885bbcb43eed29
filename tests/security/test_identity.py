"""Members are named by identity, and only among the group's own members.

On Telegram anyone can make a group, add the bot and be its administrator: an organiser
of one group is a stranger to every other group. A display name is a claim anyone can
copy.
"""

from __future__ import annotations

from sqlalchemy import func, select

from bot.messaging import ChatRef, Mention, UserRef
from bot.storage.tables import Attendance, ChatMember, ChatOrganiser, Member
from tests.harness import Harness, one_line

OTHER = ChatRef("test", "stranger-group")
# `/iam` in a group records the member as one of its members (as any answer does).


async def organisers_of(bot: Harness) -> list[str]:
    async with bot.running.db.read() as session:
        rows = await session.scalars(
            select(Member.platform_user_id).join(
                ChatOrganiser, ChatOrganiser.member_id == Member.id
            )
        )
        return sorted(rows)


async def test_a_copied_name_is_refused_when_two_members_here_have_it(bot: Harness) -> None:
    await bot.say("/iam branch=Bow", user="amy", name="Amy Jones")
    await bot.say("/iam branch=Bow", user="eve", name="Amy Jones")  # the impostor, same name
    refusal = one_line(await bot.say("/settings organisers=Amy Jones"))
    assert "More than one member here is called “Amy Jones”" in refusal
    assert "mention them or reply" in refusal
    assert await organisers_of(bot) == []


async def test_an_impostor_in_another_group_is_never_found(bot: Harness) -> None:
    # Eve calls herself Amy Jones and uses Muster only in her own group; the real Amy
    # has not used Muster here yet. Naming Amy must not make Eve an organiser here.
    await bot.say("/iam branch=Bow", user="eve", name="Amy Jones", chat=OTHER)
    refusal = one_line(await bot.say("/settings organisers=Amy Jones"))
    assert "No member of this group answers to “Amy Jones”" in refusal
    assert await organisers_of(bot) == []


async def test_members_are_chosen_by_handle_id_mention_or_reply(bot: Harness) -> None:
    await bot.say("/iam branch=Bow", user="amy", name="Amy Jones", handle="amyj")
    await bot.say("/iam branch=Bow", user="2002", name="Ben Ng")  # named by platform id
    await bot.say("/iam branch=Bow", user="cal", name="Cal Ode")
    saved = await bot.say(
        "/settings organisers=@amyj, 2002, Cal O.",
        mentions=(Mention("Cal O.", UserRef("test", "cal")),),
        replied_to=UserRef("test", "dee"),
        replied_name="Dee Arr",
    )
    assert "organisers = Amy Jones, Ben Ng, Cal Ode, Dee Arr" in saved[0].text
    assert await organisers_of(bot) == ["2002", "amy", "cal", "dee"]
    # A Discord mention arrives in the text as <@id>: the id of a member of the group.
    await bot.say("/settings organisers=<@2002>")
    assert await organisers_of(bot) == ["2002"]
    # The reply proved Dee is in this chat: she now counts as one of its members.
    async with bot.running.db.read() as session:
        members_here = await session.scalar(select(func.count()).select_from(ChatMember))
    assert members_here == 5  # the organiser, Amy, Ben, Cal and Dee


async def test_a_handle_given_up_names_its_new_holder_only(bot: Harness) -> None:
    await bot.say("/iam branch=Bow", user="amy", name="Amy Jones", handle="organiser_amy")
    await bot.say("/iam branch=Bow", user="eve", name="Eve", handle="organiser_amy")  # took it over
    await bot.say("/settings organisers=@organiser_amy")
    assert await organisers_of(bot) == ["eve"]


async def test_checkin_by_id_in_a_strangers_group_reveals_and_writes_nothing(
    bot: Harness,
) -> None:
    # Amy uses Muster in her own group; a stranger's group tries her platform id.
    await bot.say("/iam branch=Bow", user="amy", name="Amy Jones")
    await bot.say("/newevent Meeting | tomorrow 19:00 | Hall", chat=OTHER)
    outs = await bot.say("/checkin 1 amy", chat=OTHER)
    nobody = await bot.say("/checkin 1 nobody-at-all", chat=OTHER)
    said = one_line(outs)
    assert "Amy" not in said
    assert said.replace("“amy”", "“X”") == one_line(nobody).replace("“nobody-at-all”", "“X”")
    async with bot.running.db.read() as session:
        assert await session.scalar(select(func.count()).select_from(Attendance)) == 0
        amy = await session.scalar(select(Member).where(Member.platform_user_id == "amy"))
        assert amy is not None
        groups = await session.scalar(
            select(func.count()).select_from(ChatMember).where(ChatMember.member_id == amy.id)
        )
    assert groups == 1  # only her own group knows her


async def test_checkin_marks_the_groups_own_members_by_name(bot: Harness) -> None:
    await bot.say("/newevent Meeting | tomorrow 19:00 | Hall")
    await bot.say("/iam branch=Bow", user="amy", name="Amy Jones")
    outs = await bot.say("/checkin 1 Amy Jones")
    assert any("Marked 1 present at #1" in o.text for o in outs)
