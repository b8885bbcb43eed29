"""Examples shown with a refusal or in /help: a translation may change their words
(a meeting's name, a place), never the command or its keys."""

from __future__ import annotations

from bot.strings import N_

NEWEVENT = N_("/newevent Branch meeting | Thu 3 Dec 7.30pm | Bethnal Green Library, E2 0HL")
EDITEVENT = N_("/editevent 12 when=Thu 10 Dec 7.30pm where=Committee Room 2")
CANCELEVENT = N_("/cancelevent 12 Venue closed")
NEWSIGNUP = N_("/newsignup Saturday stall | slots=Sat 10-12:4, Sat 12-2:4 | deadline=Fri 18:00")
NEWSIGNUP_SHORT = N_("/newsignup Saturday stall | slots=Sat 10-12:4, Sat 12-2:4")
SLOTS = N_("slots=Sat 10-12:4, Sat 12-2:4")
IAM = N_("/iam clp=Harborough branch=Market Harborough")
SETTINGS = N_("/settings branch=Market Harborough clp=Harborough remind=7d,1d,2h")
ORGANISERS = N_("/settings organisers=@amy, @ben (or reply to their message)")
CHECKIN = N_("/checkin 12 @amy, Ben Ng")
NEWMOTION = N_("/newmotion bus-routes | Save our buses | This {branch} branch calls on …")
MOTIONSTATUS = N_("/motionstatus mandatory-reselection submitted Sent to the CLP secretary")
PLACE = N_("Bethnal Green Library, E2 0HL")
OWN_SETTINGS = N_("/settings reminders=on language=cy")
