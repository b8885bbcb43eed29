"""What the command table says of each command and option: /help, Telegram's command
list and Discord's slash commands all show these. The guided form's questions too."""

from __future__ import annotations

from bot.strings import N_

# Summaries, by command name (Discord allows 100 characters).
SUMMARY = {
    "start": N_("What Muster does; in a private chat, the privacy notice"),
    "help": N_("What Muster does and its commands"),
    "events": N_("Upcoming events with id, date and counts"),
    "event": N_("One event's details with RSVP buttons"),
    "rsvp": N_("Answer an event: yes, maybe or no, with +N guests"),
    "my": N_("Your upcoming RSVPs and sign-ups (sent privately)"),
    "motions": N_("Model motions to take to your branch or CLP"),
    "motion": N_("One motion's text filled in for this group"),
    "signups": N_("Open sign-up sheets"),
    "signup": N_("Sign up for a sheet, or one of its slots"),
    "unsignup": N_("Withdraw from a sign-up sheet"),
    "iam": N_("Keep your CLP and branch current"),
    "whoami": N_("The CLP and branch Muster holds for you"),
    "calendar": N_("Upcoming events as an .ics file; link, mine: subscription URLs; revoke"),
    "mydata": N_("Everything Muster holds about you, as a file"),
    "forgetme": N_("Erase everything Muster holds about you"),
    "newevent": N_("Create and announce an event: title | when | where [| key=value]"),
    "editevent": N_(
        "Change an event: title, when, where, ends, capacity, remind, desc, kind, motion"
    ),
    "cancelevent": N_("Cancel an event and tell those coming"),
    "attendees": N_("Who is coming and who came (no id: members by branch), sent privately"),
    "export": N_("RSVPs as a CSV file, sent privately"),
    "checkin": N_("Open check-in (an “I'm here” button), or mark members present by name"),
    "postmotion": N_("Post a motion's text, optionally for a meeting"),
    "newmotion": N_("Add this group's own motion: name | title | text (or attach a text file)"),
    "motionstatus": N_(
        "Record where a motion stands here: drafted, submitted, debated, passed, fell, withdrawn"
    ),
    "motiontally": N_("Where a motion stands across all groups, with a chart (counts only)"),
    "stats": N_("Turnout of the last meetings as a chart and CSV, sent privately"),
    "newsignup": N_("Create a sign-up sheet: title [| slots=…] [| deadline=…]"),
    "settings": N_("Show or change this group's settings"),
    "link": N_("Link this group with another chat: no code gives one, a code uses it"),
    "unlink": N_("Undo this group's link with other chats"),
    "audit": N_("Recent organiser actions, sent privately"),
}

# Options' descriptions (Discord shows them under each option).
EVENT_ID = N_("event id")
SHEET_ID = N_("sheet id")
PAGE = N_("page of the list")
MEETINGS_N = N_("how many meetings (10 if not given)")
ANSWER = N_("yes, maybe, no, or wait")
GUESTS = N_("+N guests")
MOTION_NAME = N_("motion name")
SLOT = N_("slot number or name")
FACTS = N_("clp=<name> branch=<name>")
DETAILS = N_("title | when | where [| key=value …]")
CHANGES = N_("key=value …")
REASON = N_("why")
NUDGE = N_("nudge: privately remind those who haven't answered")
NAMES = N_("names to mark present, separated by commas")
MOTION_DETAILS = N_("name | title | text with {branch} {clp}")
MOTION_FILE = N_("a text file with the motion (instead of the text)")
STATUS = N_("drafted, submitted, debated, passed, fell or withdrawn")
NOTE = N_("note")
SHEET_DETAILS = N_("title [| slots=…] [| deadline=…]")
CODE = N_("the code from the other chat")

# The guided form of /newevent.
NEW_EVENT = N_("New event")
TITLE = N_("Title")
WHEN = N_("When")
WHERE = N_("Where")
MORE = N_("Details (key=value, optional)")
ASK_TITLE = N_("New event (1/3): what is it called? (send /{stop} to stop)")
ASK_WHEN = N_("When is it? For example: {example}, tomorrow 18:00, in 2 hours")
ASK_WHERE = N_("Where is it? (an address, a postcode, or “online”)")
ASK_MORE = N_("Anything more? key=value, e.g. capacity=40 remind=1d,2h")
CONFIRM = N_("Create “{title}” — {when} — {where}?")
CREATE = N_("Create")
CANCEL = N_("Cancel")

# What is asked when a command's argument is missing (with the command's example).
ASK_EVENT = N_("Which event? Give its number: /events lists them.")
ASK_SHEET = N_("Which sign-up sheet? Give its number: /signups lists them.")
ASK_ANSWER = N_("Are you coming? Answer yes, maybe, no, or wait.")
ASK_MOTION = N_("Which motion? Give its name: /motions lists them.")
ASK_FACTS = N_("Tell me your CLP and branch as clp=… branch=….")
ASK_CHANGES = N_("What changes? Give them as key=value.")
ASK_STATUS = N_("Where does it stand? drafted, submitted, debated, passed, fell or withdrawn.")
ASK_MOTION_DETAILS = N_("Give the motion a name, a title and its text, separated by |.")
ASK_SHEET_DETAILS = N_("What is the sheet called? Add its slots with | slots=….")
