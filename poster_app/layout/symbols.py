"""Symbols people type as letters, offered as the symbol itself: never swapped silently.

On a keyboard the circle-A of the anarchist movement is typed "(A)"; on a banner it is Ⓐ
(U+24B6, drawn by Noto Sans Symbols Black). The engine draws what was typed; the command
line's `--symbols` and the banner form's "Draw symbols" box ask for the swap.
"""

from __future__ import annotations

# What is typed → the symbol, and what the symbol is called in an offer.
STAND_INS: dict[str, tuple[str, str]] = {
    "(A)": ("\u24b6", "circle-A"),
}


def offers(text: str) -> list[tuple[str, str, str]]:
    """(typed, symbol, name) for every stand-in that occurs in the text."""
    return [(typed, symbol, name) for typed, (symbol, name) in STAND_INS.items() if typed in text]


def with_symbols(text: str) -> str:
    """The text with every stand-in replaced by its symbol."""
    for typed, (symbol, _) in STAND_INS.items():
        text = text.replace(typed, symbol)
    return text
