"""Bidirectional levels for one paragraph and visual order for one line (UAX #9, implicit rules).

Slogans never hold explicit embeddings or isolates (Spec refuses them), so only the weak,
neutral and implicit rules apply (W1–W7, N1–N2, I1–I2) plus line reordering (L1–L2).
This avoids importing a whole PDF library just to know which way a run of text goes.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

STRONG_R = {"R", "AL"}
NEUTRAL = {"B", "S", "WS", "ON"}


def has_rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(ch) in STRONG_R for ch in text)


def first_strong_level(text: str, default: int) -> int:
    """UAX #9 P2–P3: the base level of a paragraph from its first strong character (0 for a
    left-to-right letter, 1 for a right-to-left one); `default` if it has none ("✊ 2024").
    For text of no declared language, such as the signature ("Colectivo (A)" under an Arabic
    slogan is left to right)."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind == "L":
            return 0
        if kind in STRONG_R:
            return 1
    return default


def paragraph_level(text: str, language_level: int) -> int:
    """The base level of a paragraph of a text in a language written at `language_level`.

    The language decides (UAX #9 HL1: a higher-level protocol) whenever the paragraph holds
    a letter of its direction, or no letter at all: "FCKFSB الحرية" typed as Arabic reads
    right to left. A paragraph whose letters all run the other way takes their direction
    (P2), so an English line typed under an Arabic slogan keeps its "!" at its end.
    """
    kinds = {unicodedata.bidirectional(ch) for ch in text}
    ltr, rtl = "L" in kinds, bool(kinds & STRONG_R)
    if language_level % 2:
        return 0 if ltr and not rtl else language_level
    return 1 if rtl and not ltr else language_level


def levels(text: str, base: int) -> list[int]:
    """Embedding level of each character; `base` is 0 (left-to-right) or 1 (right-to-left)."""
    if base == 0 and not has_rtl(text):
        return [0] * len(text)
    types = [unicodedata.bidirectional(ch) or "L" for ch in text]
    _resolve_weak(types, base)
    _resolve_neutral(types, base)
    out = []
    for t in types:
        if base % 2 == 0:
            out.append(base + (1 if t == "R" else 2 if t in ("AN", "EN") else 0))
        else:
            out.append(base + (1 if t in ("L", "EN", "AN") else 0))
    return out


def _resolve_weak(types: list[str], base: int) -> None:
    sor = "R" if base % 2 else "L"
    prev = sor
    for i, t in enumerate(types):  # W1: marks take the type of what precedes them
        if t == "NSM":
            types[i] = prev
        else:
            prev = types[i]
    last_strong = sor
    for i, t in enumerate(types):  # W2, W3: numbers after Arabic letters are Arabic numbers
        if t in ("L", "R", "AL"):
            last_strong = t
        if t == "EN" and last_strong == "AL":
            types[i] = "AN"
        if t == "AL":
            types[i] = "R"
    for i in range(1, len(types) - 1):  # W4: one separator between two numbers joins them
        a, t, b = types[i - 1], types[i], types[i + 1]
        if t == "ES" and a == b == "EN" or t == "CS" and a == b and a in ("EN", "AN"):
            types[i] = a
    _spread_terminators(types)  # W5
    for i, t in enumerate(types):  # W6
        if t in ("ES", "ET", "CS"):
            types[i] = "ON"
    last_strong = sor
    for i, t in enumerate(types):  # W7: European numbers in left-to-right context are L
        if t in ("L", "R"):
            last_strong = t
        if t == "EN" and last_strong == "L":
            types[i] = "L"


def _spread_terminators(types: list[str]) -> None:
    i = 0
    while i < len(types):
        if types[i] != "ET":
            i += 1
            continue
        j = i
        while j < len(types) and types[j] == "ET":
            j += 1
        if (i > 0 and types[i - 1] == "EN") or (j < len(types) and types[j] == "EN"):
            types[i:j] = ["EN"] * (j - i)
        i = j


def _resolve_neutral(types: list[str], base: int) -> None:
    """N1, N2: neutrals between two runs of one direction take it; others the base."""
    embedding = "R" if base % 2 else "L"
    i = 0
    while i < len(types):
        if types[i] not in NEUTRAL and types[i] != "BN":
            i += 1
            continue
        j = i
        while j < len(types) and (types[j] in NEUTRAL or types[j] == "BN"):
            j += 1
        before = _strong(types[i - 1]) if i > 0 else embedding
        after = _strong(types[j]) if j < len(types) else embedding
        types[i:j] = [before if before == after else embedding] * (j - i)
        i = j


def _strong(t: str) -> str:
    return "R" if t in ("R", "AN", "EN") else "L"


def visual_order(run_levels: Sequence[int]) -> list[int]:
    """L2: indices of runs (each of one level) from left to right."""
    order = list(range(len(run_levels)))
    if not run_levels or max(run_levels) == 0:
        return order
    highest = max(run_levels)
    lowest_odd = min(lv for lv in run_levels) | 1
    for level in range(highest, lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if run_levels[order[i]] >= level:
                j = i
                while j < len(order) and run_levels[order[j]] >= level:
                    j += 1
                order[i:j] = reversed(order[i:j])
                i = j
            else:
                i += 1
    return order
