# Muster in a container: the same `muster run`, the database on a volume.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    MUSTER_DATABASE_URL=sqlite+aiosqlite:////data/muster.db \
    MUSTER_SEEDS_DIR=/app/seeds

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY seeds ./seeds
RUN pip install --no-cache-dir ".[postgres]" \
    && useradd --system --home /app muster \
    && mkdir /data && chown muster /data

USER muster
VOLUME ["/data"]
# SIGTERM stops the process cleanly; without a platform token it serves the console,
# so run it with `docker run -it` to try it, or set MUSTER_TELEGRAM_TOKEN / DISCORD.
STOPSIGNAL SIGTERM
ENTRYPOINT ["muster"]
CMD ["run"]
