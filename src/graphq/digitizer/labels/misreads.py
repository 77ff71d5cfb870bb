"""A curve label's text as printed, from OCR's reading of it: the misreads a label's small
raised and lowered glyphs, its legend sample and the specks beside it make, mended where the
label's own form tells what was printed (a number after an "=", a degree sign after a
temperature, a capacitance's name, a line style in brackets).
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from graphq.digitizer.labels.naming import CAPACITANCES

# A quantity's name, then one sign OCR makes of a blurred "=" ("Vag? 10V", "Vg® 40V",
# "V,..* 20V"), then its value: no label prints a name and a number joined by those signs.
_EQUALS_MISREAD = re.compile(r"^([A-Za-z][^\s=?*®»]{0,5})\s*[?*®»]\s*(?=[-−]?[\dSO])")
# A number, a space and a lone C: a degree sign lost ("125 C", "-55 C"); or a degree sign
# with its C lost ("125°").
_LOST_DEGREE = re.compile(r"(\d)(?:\s+C\b|\s*°(?!\s*[CF]))")
# The value after an "=", with letters OCR reads for digits, before its unit or the end.
_VALUE_AFTER_EQUALS = re.compile(
    r"(=\s*[-−]?)([\dSOolIZU][\dSOolIZU.,]*)(?=\s*[pnuµmkM]?(?:V|A|W|Hz|s|°C|Ω)?\b)"
)
_DIGIT_LOOKALIKES = str.maketrans("SOolIZU", "5001120")
# A quantity's name before its "=", with the marks OCR makes of a subscript ("T, = 25°C").
_NAME_MARKS = re.compile(r"^([A-Za-z][^=]{0,6}?)(?=\s*=)")
# Marks a curve's stray end or a speck beside a label reads as, at its ends.
_STRAY_MARKS = " '‘’`,.:;|_~©®\\"
# Marks the crossings of a blurred grid beside a label read as ("+ T4 = 100°C+", "Voge = 5V >
# + >>"): at its end, or set before its name or a minus ("+-25C"; "+25°C" keeps its sign).
_GRID_MARKS = re.compile(r'^[+$£“”"«»<>]+\s*(?=[-−A-Za-z])|(?:\s*[+$*“”"«»<>])+$')
# A grid stub or a pointer's end before a value with its unit read as a mark or a lone small
# letter set apart ("» 25°C", "y 25°C"): a label names its quantity before an "=", never so.
_STUB_BEFORE_VALUE = re.compile(
    r"^(?:[»«“”\"$£<>]+\s*|[a-z]\s+)(?=[-−]?\d[\d.,]*\s*(?:°C|[pnuµmk]?[VAW])$)"
)
# A grid stub beside a label's end read as a thin letter set apart ("VGS = 20V i", "ID = 10mA
# i", "VGS = 10 V i"): no label ends in a lone i, l or bar after its value's unit.
_STUB_AFTER_UNIT = re.compile(r"(\d\s?[pnuµmk]?[VAW])\s+[il|!]$")
# A package's name ("TO-243AA") with an A of its suffix read as a 4 ("TO-2434A"), or its O
# read as a zero ("T0-204AA"): only those two are mended, its number is read as printed.
_PACKAGE = re.compile(r"^T[O0](-\d{3})[A4]{2}\b")
# A zero read as the letter O before a decimal point ("O.5A").
_ZERO_AS_O = re.compile(r"(?<![A-Za-z])[Oo](?=[.,]\d)")
# A legend's sample (or a curve's end) read with its text, as a run of dashes at either end:
# two or more, or one set apart or after a unit ("VGS = 4.5V -", "VDS = 160 V-"), or before a
# name ("-Vac = 15V"): a minus stands only before a number.
_SAMPLE_AS_DASHES = re.compile(
    r"^[-_~—–\s]*[-_~—–]{2,}\s*|\s*[-_~—–]{2,}[-_~—–\s]*$"
    r"|^[-_~—–]+\s*(?=[A-Za-z])|(?:\s+|(?<=[A-Za-z°)]))[-_~—–]+$"
)
# Signs before a label's first letter or digit, with an "=" or a bracket among them: a
# legend's sample and its spacing read as signs ("- = Ip = 20A", " = < VDS = 120V"); a
# label starts with its name or its value.
_LEADING_SIGNS = re.compile(r"^[-=<>~_—–\s]*[=<>][-=<>~_—–\s]*?(?=[-−–]?\d|[A-Za-z])")
# A minus set a space apart before its number ("- 25°C", as "– 25°C" is often printed).
_MINUS_APART = re.compile(r"^[-−–]\s+(?=\d)")
# A decimal point read as a hyphen between digits ("5-5V"): a minus never stands there.
_POINT_AS_HYPHEN = re.compile(r"(?<=\d)-(?=\d)")
# A zero read as the letter O, set apart, after a digit and before a unit ("1 OV", "1O V").
_SPLIT_ZERO = re.compile(r"(?<=\d)\s?[Oo](?=\s?(?:[pnuµmk]?[VAWs]|°C)\b)")
# A label that is a lone zero and its unit, the zero read as the letter O ("OV", "ov").
_ZERO_ALONE = re.compile(r"^[Oo]\s?([VvA])$")
# A label that is a value with a leading zero and no point ("05A", "OSA", or, the point's
# place left as a space, "0 SV"): printed labels never pad a value with a zero, so its
# decimal point was lost ("0.5A").
_LOST_POINT_AFTER_ZERO = re.compile(r"^[0Oo]\s?(\d+|S(?=\s?[pnuµmk]?[VA]$))(\s?[pnuµmk]?[VA])?$")
# A volt's V read as a yen sign ("40¥"): no label prints one.
_V_AS_YEN = str.maketrans("¥", "V")
# A line style a label names in brackets at its end ("VCE = 5 V (DASHED)"), and how alike
# (difflib's ratio) a misread word must be to it: "(OULIL)" is SOLID, "(UASHEL)" DASHED ...
_STYLE_WORD = re.compile(r"\(\s*([A-Za-z]{3,7})\s*\)?\s*$")
_STYLES = ("SOLID", "DASHED", "DOTTED")
_MIN_STYLE_RATIO = 0.55
# ... and how much more alike than to any other style: the styles share letters (DASHED and
# DOTTED a D and an ED), so a word about as near two ("DUTED": DOTTED 0.73, DASHED 0.55,
# misreads run 0.3 apart and more) is no reading of either.
_MIN_STYLE_MARGIN = 0.2
# A capacitance's name, its subscript set small ("C_iss"): what OCR makes of the subscript is
# mended to the nearest name a datasheet prints, when its letters are that alike (difflib's
# ratio: "Cip" and "Cib" 0.67, "Cisg" and "Ciss" 0.75) and no other name's are as alike with
# as long a common start ("Cisg" is as alike to "Cies", but shares "Cis" with "Ciss" only).
_CAPACITANCE = re.compile(r"^C([A-Za-z]{2,3})$")
_MIN_CAPACITANCE_RATIO = 0.6
# The µ of a time or a current read as a y, or as an i set apart ("10yA", "100 is"), or as a
# p ("10ps", "250 pA": no power device's curves are labelled in picoseconds or picoamperes,
# a breakdown's or a threshold's test current is µA), or of a current as a W ("250 WA", no
# unit); a 1 before "ms" read as an i ("ims").
# A transistor's saturation voltage, V_CE(sat) or V_BE(sat), its subscript and its state set
# small: OCR reads the subscript as what letters it may ("Voc", "Voce", a V lost: "BE") and
# the state's s as a c or not at all ("(cat)", "(at)"). A B is only in V_BE's; an o or a c
# (C read small) with another letter is V_CE's; "VE" is either, and stays as read.
_SATURATION = re.compile(r"^(?:V([A-Za-z]{1,3})|([BC][Ee]))\s?\(\s?[sSc]?at\s?\)$")
_SATURATIONS = ("VCE(sat)", "VBE(sat)")
# A subscript read as two terminals' letters is the one printed: a PNP's V_EC(sat), V_EB(sat),
# or V_CB(sat), is no misread V_CE(sat) or V_BE(sat).
_TERMINAL_PAIRS = frozenset({"ce", "be", "ec", "eb", "cb", "bc"})
_MICRO_AS_Y = re.compile(r"(?<=\d)(?:\s?y(?=[AVsFW]\b)|\s+i(?=s\b)|\s?p(?=[sA]\b)|\s?W(?=A\b))")
_ONE_AS_I = re.compile(r"(?<![A-Za-z])i(?=[0-9]*[mµu]s\b)")


def mend_label(text: str) -> str:
    """The text of a curve label as printed, from OCR's reading of it.

    A temperature whose small raised degree sign OCR lost ("125 C") reads "125°C": a curve label's
    lone C after a number is a temperature's. An "=" is spaced as printed labels are ("VGS = 2V"),
    however tight OCR set it. After an "=" stands a number: letters OCR takes digits for there ("VGS
    = SV") are the digits; so is an O before a decimal point ("O.5A") or set apart before a unit ("1
    OV"), and a hyphen between digits is a decimal point ("5-5V"); a label that is a lone O and a
    unit ("OV") is a zero, and one padded with a zero ("OSA", "0 SV") lost its point ("0.5A"); a yen
    sign is a V ("40¥"). A run of dashes at an end is a legend's dashed sample read with its text,
    and marks a blurred grid's crossings make at its ends ("+", "$", "£", quotes, a lone i after the
    unit, a lone small letter before a value) go. A µ read as a y, an i, a p (in "ps", "pA") or a W
    (in "WA"), a 1 as an i before "ms" and an A of a package's "AA" as a 4 are mended, and so is a
    line style named in brackets ("(OULIL)" is SOLID), and a saturation voltage's name whose
    subscript tells which it is ("Voc(at)" is VCE(sat), "BE(sat)" VBE(sat)). Before the "=" stands a
    name: the marks OCR makes of its subscript go, and a sign OCR made of a blurred "=" between it
    and its value ("Vag? 10V") is the "="; so do the marks a stray speck at either end is read as, a
    lone dash at the end or before the name (a sample's), and signs before the first letter or digit
    ("- = VGS = 10V"). A minus set apart joins its number ("- 25°C"), and a degree sign whose C was
    lost gets it back ("125°")."""
    text = _GRID_MARKS.sub("", text.translate(_V_AS_YEN))
    text = _SAMPLE_AS_DASHES.sub("", _LEADING_SIGNS.sub("", text)).strip(_STRAY_MARKS)
    text = _PACKAGE.sub(r"TO\1AA", text)
    text = _EQUALS_MISREAD.sub(r"\1 = ", text)
    text = _LOST_DEGREE.sub(r"\1°C", text)
    text = _STUB_BEFORE_VALUE.sub("", _STUB_AFTER_UNIT.sub(r"\1", text))
    text = _ZERO_AS_O.sub("0", _NAME_MARKS.sub(lambda m: re.sub(r"[^\w()]", "", m.group(1)), text))
    text = _SPLIT_ZERO.sub("0", _POINT_AS_HYPHEN.sub(".", _MINUS_APART.sub("-", text)))
    text = _ZERO_ALONE.sub(lambda m: "0" + m.group(1).upper(), text)
    text = _LOST_POINT_AFTER_ZERO.sub(
        lambda m: "0." + m.group(1).replace("S", "5") + (m.group(2) or ""), text
    )
    text = _ONE_AS_I.sub("1", _MICRO_AS_Y.sub("µ", text))
    text = _VALUE_AFTER_EQUALS.sub(
        lambda m: m.group(1) + m.group(2).translate(_DIGIT_LOOKALIKES), text
    )
    text = _CAPACITANCE.sub(_capacitance, text)
    text = _SATURATION.sub(_saturation, text)
    return _STYLE_WORD.sub(_style_word, re.sub(r"\s*=\s*", " = ", text))


def _capacitance(match: re.Match[str]) -> str:
    """The capacitance named, as printed ("Ciss"; "CISS" keeps its capitals), when the read
    subscript is far nearer one name than the others; as read otherwise."""
    read = match.group(1)
    folded = "c" + read.lower()
    ranked = sorted(
        (
            (SequenceMatcher(None, folded, full).ratio(), _common_start(folded, full), full)
            for full in ("c" + name for name in CAPACITANCES)
        ),
        reverse=True,
    )
    (ratio, start, name), runner_up = ranked[0], ranked[1]
    if ratio < _MIN_CAPACITANCE_RATIO or (ratio, start) == runner_up[:2]:
        return match.group(0)
    return "C" + (name[1:].upper() if read.isupper() else name[1:])


def mend_saturation_pair(texts: list[str]) -> list[str]:
    """The texts of a graph's lines with one saturation voltage read without its subscript's
    telling letter ("VE(sat)") named as the other of the pair when the graph's other line
    names one: a graph of V_CE(sat) and V_BE(sat) names each once."""
    names = {name.casefold(): name for name in _SATURATIONS}
    named = {names[text.casefold()] for text in texts if text.casefold() in names}
    unsure = [text for text in texts if _subscript_untold(text)]
    if len(named) != 1 or len(unsure) != 1:
        return texts
    other = next(name for name in _SATURATIONS if name not in named)
    return [other if text == unsure[0] else text for text in texts]


def named_by_pair(text: str, read: str) -> bool:
    """Whether ``text`` is a saturation voltage :func:`mend_saturation_pair` named from a
    reading (``read``, as tesseract gave it) that told neither of the pair: a guess by
    elimination, not a reading."""
    return text in _SATURATIONS and _subscript_untold(mend_label(read))


def _subscript_untold(text: str) -> bool:
    """Whether a text is a saturation voltage whose subscript as read names no two
    terminals ("VE(sat)"; not "VEC(sat)")."""
    match = _SATURATION.fullmatch(text)
    return match is not None and (match.group(1) or match.group(2)).lower() not in _TERMINAL_PAIRS


def _saturation(match: re.Match[str]) -> str:
    """The saturation voltage named ("VCE(sat)", "VBE(sat)") when its subscript as read
    tells which; a subscript of two terminals' letters as read, its state as printed; as
    read otherwise."""
    if match.group(1) is not None and match.group(1).lower() in _TERMINAL_PAIRS:
        return f"V{match.group(1)}(sat)"
    letters = (match.group(1) or match.group(2)).lower()
    if "b" in letters:
        return "VBE(sat)"
    if len(letters) >= 2 and ("c" in letters or "o" in letters):
        return "VCE(sat)"
    return match.group(0)


def _common_start(first: str, second: str) -> int:
    """How many letters two texts share from their start."""
    return next(
        (k for k, (a, b) in enumerate(zip(first, second, strict=False)) if a != b),
        min(len(first), len(second)),
    )


def _style_word(match: re.Match[str]) -> str:
    """The bracketed style word as printed, when the misread one is far nearer one style
    than the others; as read otherwise."""
    read = match.group(1).upper()
    ratios = sorted(
        ((SequenceMatcher(None, read, style).ratio(), style) for style in _STYLES), reverse=True
    )
    (best, style), (second, _) = ratios[0], ratios[1]
    if best >= _MIN_STYLE_RATIO and best - second >= _MIN_STYLE_MARGIN:
        return f"({style})"
    return match.group(0)
