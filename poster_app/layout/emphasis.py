"""Emphasis in a slogan: `*words*` are set in the accent colour; `\\*` is a literal asterisk.

The markers are how a person asks for a colour, never text: they are taken out before the
text is itemized, measured or drawn, and the PDF's text never holds them. A run of stars
counts as one mark, so Markdown's `**bold**` habit means the same as `*bold*`.
"""

from __future__ import annotations

from dataclasses import dataclass

MARK = "*"
ESCAPE = "\\"


class UnbalancedEmphasis(ValueError):
    """A mark with no partner: the message says how to write an asterisk."""


@dataclass(frozen=True)
class Emphasised:
    """A text without its marks, and the character ranges of it set in the accent colour."""

    text: str
    spans: tuple[tuple[int, int], ...] = ()

    def accent(self, start: int, end: int) -> bool:
        """Whether text[start:end] lies inside one emphasised span."""
        return any(a <= start and end <= b for a, b in self.spans)

    def cuts(self) -> set[int]:
        """Offsets where the colour changes: a run of one colour never crosses them."""
        return {offset for span in self.spans for offset in span}


def parse(typed: str) -> Emphasised:
    """Take the marks out of `typed`; UnbalancedEmphasis if one has no partner."""
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    opened: int | None = None
    i = 0
    while i < len(typed):
        ch = typed[i]
        if ch == ESCAPE and typed[i + 1 : i + 2] == MARK:
            out.append(MARK)
            i += 2
            continue
        if ch != MARK:
            out.append(ch)
            i += 1
            continue
        while i < len(typed) and typed[i] == MARK:  # `**` is one mark
            i += 1
        here = len(out)
        if opened is None:
            opened = here
        else:
            if here > opened:
                spans.append((opened, here))
            opened = None
    if opened is not None:
        raise UnbalancedEmphasis(
            "a * mark has no partner: put * on both sides of the words to colour "
            "(*like this*), or type \\* for an asterisk"
        )
    return Emphasised("".join(out), tuple(_trimmed(spans, out)))


def plain(typed: str) -> str:
    """The text as the banner shows it (for titles, lists and search); never raises."""
    try:
        return parse(typed).text
    except UnbalancedEmphasis:
        return typed


def _trimmed(spans: list[tuple[int, int]], chars: list[str]):
    """Spans without the spaces at their ends: a space has no colour, and a line broken at
    it must not make the next line's first word look emphasised."""
    for a, b in spans:
        while a < b and chars[a].isspace():
            a += 1
        while b > a and chars[b - 1].isspace():
            b -= 1
        if b > a:
            yield a, b
