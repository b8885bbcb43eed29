"""Charts as PNG images: a group's turnout, and where a motion stands across groups.

Drawn with matplotlib's Agg canvas (no display, no pyplot state), in a worker thread
after the transaction has committed (`OutFile.make`), so neither the event loop nor the
write lock waits for a drawing. Sized and lettered for a phone (1200 × 900 pixels, large
type), in the Okabe–Ito colours, which colour-blind readers tell apart, with a legend.
The figures drawn are written into the PNG's own text (`Muster-Figures`, JSON) so a
reader, or a test, can check them against the CSV without reading pixels. Nothing
personal is drawn: counts, dates and titles only.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass

WIDTH, HEIGHT, DPI = 12, 9, 100  # inches at 100 dots an inch: 1200 × 900 pixels
# Okabe & Ito's palette: blue, orange, bluish green, vermillion.
BLUE, ORANGE, GREEN, VERMILLION = "#0072B2", "#E69F00", "#009E73", "#D55E00"
FIGURES_KEY = "Muster-Figures"


@dataclass(frozen=True)
class Meeting:
    """One meeting's bars: said Going, said Maybe, came; and a motion it debated."""

    label: str  # its date, as the reader writes dates
    going: int
    maybe: int
    came: int
    motion: str = ""  # the motion's outcome there ("passed"), or "" for none


@dataclass(frozen=True)
class TurnoutWords:
    """What the turnout chart says, in the reader's language."""

    title: str
    going: str
    maybe: str
    came: str
    motion: str  # the legend's name for the mark of a meeting that debated a motion
    summary: str  # the line of figures under the chart


@dataclass(frozen=True)
class Tally:
    status: str  # as the reader reads it
    groups: int
    clps: int


def turnout(meetings: list[Meeting], words: TurnoutWords) -> bytes:
    from matplotlib.figure import Figure  # imported when first drawn: a slow import

    figure = Figure(figsize=(WIDTH, HEIGHT), dpi=DPI)
    figure.subplots_adjust(bottom=0.22, top=0.84, left=0.07, right=0.98)
    axes = figure.add_subplot()
    places = list(range(len(meetings)))
    width = 0.27
    for shift, values, colour, name in (
        (-width, [m.going for m in meetings], BLUE, words.going),
        (0.0, [m.maybe for m in meetings], ORANGE, words.maybe),
        (width, [m.came for m in meetings], GREEN, words.came),
    ):
        bars = axes.bar([p + shift for p in places], values, width, color=colour, label=name)
        axes.bar_label(bars, fontsize=12)
    top = max(
        [m.going for m in meetings] + [m.maybe for m in meetings] + [m.came for m in meetings] + [1]
    )
    debated = [(p, m) for p, m in zip(places, meetings, strict=True) if m.motion]
    if debated:
        axes.scatter(
            [p for p, _ in debated],
            [top * 1.12] * len(debated),
            marker="*",
            s=400,
            color=VERMILLION,
            label=words.motion,
            zorder=3,
        )
        for place, meeting in debated:
            axes.annotate(
                meeting.motion,
                (place, top * 1.12),
                xytext=(0, 14),
                textcoords="offset points",
                ha="center",
                fontsize=12,
            )
    axes.set_ylim(0, top * 1.3)
    axes.set_xticks(places, [m.label for m in meetings], rotation=35, ha="right", fontsize=13)
    axes.tick_params(axis="y", labelsize=13)
    figure.suptitle(words.title, fontsize=22, y=0.98)
    figure.legend(
        loc="upper center", ncol=4, fontsize=14, bbox_to_anchor=(0.5, 0.93), frameon=False
    )
    figure.text(0.5, 0.03, words.summary, ha="center", fontsize=16)
    figures = {"meetings": [asdict(m) for m in meetings], "summary": words.summary}
    return _png(figure, figures)


def tally(rows: list[Tally], title: str, groups_word: str, clps_word: str) -> bytes:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH, HEIGHT * 2 / 3), dpi=DPI)
    figure.subplots_adjust(left=0.25, right=0.97, top=0.86, bottom=0.12)
    axes = figure.add_subplot()
    places = list(range(len(rows)))
    height = 0.38
    groups = axes.barh(
        [p - height / 2 for p in places], [r.groups for r in rows], height, color=BLUE,
        label=groups_word,
    )  # fmt: skip
    clps = axes.barh(
        [p + height / 2 for p in places], [r.clps for r in rows], height, color=ORANGE,
        label=clps_word,
    )  # fmt: skip
    axes.bar_label(groups, fontsize=13)
    axes.bar_label(clps, fontsize=13)
    axes.set_yticks(places, [r.status for r in rows], fontsize=15)
    axes.invert_yaxis()
    axes.tick_params(axis="x", labelsize=13)
    axes.set_title(title, fontsize=20)
    axes.legend(fontsize=14, loc="lower right")
    return _png(figure, {"statuses": [asdict(r) for r in rows]})


def _png(figure: object, figures: Mapping[str, object]) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(figure)  # type: ignore[arg-type]
    out = io.BytesIO()
    text = json.dumps(figures, ensure_ascii=False)
    canvas.print_png(out, metadata={FIGURES_KEY: text})  # type: ignore[no-untyped-call]
    return out.getvalue()


def figures_in(png: bytes) -> dict[str, object]:
    """The figures a chart was drawn from, read back from its PNG."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        found: dict[str, object] = json.loads(image.text[FIGURES_KEY])  # type: ignore[attr-defined]
        return found
