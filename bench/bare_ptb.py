"""The yardstick: a bare python-telegram-bot application that only answers presses (no
database, no cards), polling the same fake Bot API as Muster does."""

from __future__ import annotations

import sys

from telegram import Update
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, ContextTypes


async def answer(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.callback_query is not None
    await update.callback_query.answer("ok")


def main(token: str, base_url: str) -> None:
    app = ApplicationBuilder().token(token).base_url(base_url).concurrent_updates(True).build()
    app.add_handler(CallbackQueryHandler(answer))
    app.run_polling(allowed_updates=["callback_query"], poll_interval=0.0, timeout=10)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
