"""Tick-label text to a number, as datasheets print them.

``0.1``, ``1E-1``, ``1.0E+01``, ``10,000``, ``−5`` (Unicode minus), SI prefixes (``1k``,
``10µ``), ``10^-1`` and ``10⁻¹``; and a ``10`` followed by a smaller raised word, which is a
power of ten whose exponent the PDF sets as superscript text.
"""

from __future__ import annotations

import re

from graphq.datasheet.words import Word

_MINUSES = str.maketrans({"−": "-", "–": "-", "‐": "-", "‒": "-"})
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
_SI = {"p": 1e-12, "n": 1e-9, "u": 1e-6, "µ": 1e-6, "μ": 1e-6, "m": 1e-3, "k": 1e3, "K": 1e3,
       "M": 1e6, "G": 1e9}  # fmt: skip
_PLAIN = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")
_THOUSANDS = re.compile(r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_POWER = re.compile(r"([-+]?\d+(?:\.\d+)?)\s*(?:[x×·]\s*)?10\^?\(?([-+]?\d+)\)?")
_TEN_POWER = re.compile(r"10\^\(?([-+]?\d+)\)?")
_PREFIXED = re.compile(r"([-+]?(?:\d+(?:\.\d*)?|\.\d+))([pnuµμmkKMG])")


def parse_number(text: str) -> float | None:
    """The value a tick label stands for, or None when it is not a number."""
    cleaned = text.strip().translate(_MINUSES)
    if not cleaned:
        return None
    if any(ch in cleaned for ch in "⁰¹²³⁴⁵⁶⁷⁸⁹"):
        base, _, rest = cleaned.partition("10")
        exponent = rest.translate(_SUPERSCRIPTS)
        if re.fullmatch(r"[-+]?\d+", exponent) and base in ("", "1", "1×", "1x"):
            return 10.0 ** int(exponent)
        return None
    if _PLAIN.fullmatch(cleaned):
        return float(cleaned)
    if _THOUSANDS.fullmatch(cleaned):
        return float(cleaned.replace(",", ""))
    if re.fullmatch(r"[-+]?\d+,\d+", cleaned):
        # A decimal comma ("0,5"): thousands groups were taken above.
        return float(cleaned.replace(",", "."))
    power = _TEN_POWER.fullmatch(cleaned)
    if power:
        return 10.0 ** int(power.group(1))
    power = _POWER.fullmatch(cleaned)
    if power:
        return float(power.group(1)) * 10.0 ** int(power.group(2))
    prefixed = _PREFIXED.fullmatch(cleaned)
    if prefixed:
        return float(prefixed.group(1)) * _SI[prefixed.group(2)]
    return None


# A raised exponent starts within this many of the base's heights after the "10" ...
_EXPONENT_GAP_EM = 0.4
# ... or, read by OCR, this many: where OCR lost the exponent's minus sign, its box starts
# where the digit stands, a minus's width (~0.35 em of the base) further on.
_OCR_EXPONENT_GAP_EM = 0.8


def join_exponents(words: list[Word]) -> list[Word]:
    """Words with every ``10`` (or ``1×10``) and the smaller raised integer word just after it
    joined into one ``10^n`` word that keeps the base's box (the tick sits under the base).
    """
    raised = [i for i, w in enumerate(words) if re.fullmatch(r"[-+−]?\d{1,3}", w.text)]
    used: set[int] = set()
    joined: dict[int, Word] = {}
    bases = [i for i, w in enumerate(words) if w.upright and w.text in ("10", "1×10", "1x10")]
    for b in bases:
        base = words[b]
        best, best_gap = None, 0.0
        for r in raised:
            if r == b or r in used:
                continue
            exp = words[r]
            if not exp.upright or exp.size >= 0.9 * base.size:
                continue
            gap = exp.x0 - base.x1
            centre_y = (exp.top + exp.bottom) / 2
            # OCR drops a thin minus: the exponent read without it starts a minus further on.
            reach = (_OCR_EXPONENT_GAP_EM if exp.source == "ocr" else _EXPONENT_GAP_EM) * base.size
            if (
                -0.2 * base.size <= gap <= reach
                and centre_y < (base.top + base.bottom) / 2
                and exp.bottom > base.top - 0.3 * base.size
            ) and (best is None or gap < best_gap):
                best, best_gap = r, gap
        if best is not None:
            used.add(best)
            exponent = words[best].text.translate(_MINUSES)
            joined[b] = Word(
                text=f"10^{int(exponent)}",
                x0=base.x0,
                top=base.top,
                x1=base.x1,
                bottom=base.bottom,
                size=base.size,
                upright=True,
                source=base.source,
                confidence=min(base.confidence, words[best].confidence),
            )
    return [joined.get(i, w) for i, w in enumerate(words) if i not in used]
