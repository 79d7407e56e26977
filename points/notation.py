"""Reading point codes in every notation readers meet, and normalising names.

Pure functions with no database access, so they can be table-tested over the
whole reference. What a parser cannot know (pinyin, characters, English and
descriptive names, misprints) lives in the ``Alias`` table instead.
"""

import functools
import re
import unicodedata
from dataclasses import dataclass

MERIDIAN_POINT_COUNTS = {
    "LU": 11, "LI": 20, "ST": 45, "SP": 21, "HT": 9, "SI": 19, "BL": 67,
    "KI": 27, "PC": 9, "TE": 23, "GB": 44, "LR": 14, "GV": 28, "CV": 24,
}  # fmt: skip

# The WHO extra points (EX-HN1 to EX-LE12), by region in the standard's order:
# head and neck, chest and abdomen, back, upper limb, lower limb.
EXTRA_POINT_COUNTS = {"HN": 15, "CA": 1, "B": 9, "UE": 11, "LE": 12}

# Prefixes from English, French, German and Chinese charts, upper case and with
# spaces removed. "B" is handled apart because of the older Bladder numbering.
MERIDIAN_PREFIXES = {
    "LU": "LU", "P": "PC", "LUNG": "LU",
    "LI": "LI", "GI": "LI", "CO": "LI", "LARGEINTESTINE": "LI",
    "ST": "ST", "E": "ST", "STOMACH": "ST",
    "SP": "SP", "BP": "SP", "RP": "SP", "SPLEEN": "SP",
    "HT": "HT", "HE": "HT", "C": "HT", "HEART": "HT",
    "SI": "SI", "IG": "SI", "ID": "SI", "SMALLINTESTINE": "SI",
    "BL": "BL", "UB": "BL", "V": "BL", "BLADDER": "BL", "URINARYBLADDER": "BL",
    "KI": "KI", "KD": "KI", "K": "KI", "R": "KI", "KIDNEY": "KI",
    "PC": "PC", "CS": "PC", "MC": "PC", "PERICARDIUM": "PC",
    "TE": "TE", "TH": "TE", "TW": "TE", "TB": "TE", "SJ": "TE", "TA": "TE",
    "TRIPLEENERGIZER": "TE", "TRIPLEENERGISER": "TE", "TRIPLEBURNER": "TE",
    "TRIPLEHEATER": "TE", "TRIPLEWARMER": "TE", "SANJIAO": "TE",
    "GB": "GB", "VB": "GB", "GALLBLADDER": "GB",
    "LR": "LR", "LV": "LR", "LIV": "LR", "F": "LR", "H": "LR", "LIVER": "LR",
    "GV": "GV", "DU": "GV", "GO": "GV", "VG": "GV", "DM": "GV",
    "GOVERNORVESSEL": "GV", "GOVERNINGVESSEL": "GV",
    "CV": "CV", "REN": "CV", "RN": "CV", "RM": "CV", "VC": "CV", "CONCEPTIONVESSEL": "CV",
}  # fmt: skip

# Older Bladder numbering of many popular books: outer back line and the back
# of the thigh were numbered in another order. B1-B35 and B55-B67 are unchanged.
OLD_BLADDER_TO_WHO = {**{n: n + 5 for n in range(36, 50)}, **{n: n - 14 for n in range(50, 55)}}

_SEPARATORS = re.compile(r"[\s\-\._·/]+")
_LETTERS_THEN_NUMBER = re.compile(r"^([A-Z]+)0*(\d{1,2})$")
_NUMBER_THEN_LETTERS = re.compile(r"^0*(\d{1,2})([A-Z]+)$")
_AURICULAR = re.compile(r"^MA([A-Z]{2})(\d{1,2})$")
_EXTRA = re.compile(r"^EX(HN|CA|B|UE|LE)0*(\d{1,2})$")


@dataclass(frozen=True)
class ParsedCode:
    code: str  # canonical WHO code
    written: str  # as the reader wrote it
    old_bladder: bool = False

    @property
    def written_digits(self):
        return re.sub(r"\D", "", self.written)


def parse_code(text):
    """Return the canonical WHO code a reader meant, or None.

    >>> parse_code("li 4").code
    'LI4'
    >>> parse_code("B47").code
    'BL52'
    """
    compact = _SEPARATORS.sub("", strip_accents(text or "")).upper()
    if not compact or len(compact) > 20:
        return None
    auricular = _AURICULAR.match(compact)
    if auricular:
        return ParsedCode(code=f"MA-{auricular.group(1)}{int(auricular.group(2))}", written=text)
    extra = _EXTRA.match(compact)
    if extra:
        region, number = extra.group(1), int(extra.group(2))
        if not 1 <= number <= EXTRA_POINT_COUNTS[region]:
            return None
        return ParsedCode(code=f"EX-{region}{number}", written=text)
    match = _LETTERS_THEN_NUMBER.match(compact)
    if match:
        prefix, number = match.group(1), int(match.group(2))
    else:
        match = _NUMBER_THEN_LETTERS.match(compact)
        if not match:
            return None
        number, prefix = int(match.group(1)), match.group(2)
    if prefix == "B":
        if number in OLD_BLADDER_TO_WHO:
            return _checked("BL", OLD_BLADDER_TO_WHO[number], text, old_bladder=True)
        return _checked("BL", number, text)
    meridian = MERIDIAN_PREFIXES.get(prefix)
    if meridian is None:
        return None
    return _checked(meridian, number, text)


def _checked(meridian, number, written, old_bladder=False):
    if not 1 <= number <= MERIDIAN_POINT_COUNTS[meridian]:
        return None
    return ParsedCode(code=f"{meridian}{number}", written=written, old_bladder=old_bladder)


def point_sort_key(code, meridian_order=None, number=None):
    """Meridian points in meridian order, then the extra points by region and number, then the rest.

    >>> point_sort_key("EX-B7") > point_sort_key("CV24", 14, 24)
    True
    """
    if meridian_order is not None:
        return meridian_order * 1000 + (number or 0)
    extra = _EXTRA.match((code or "").replace("-", "").upper())
    if extra:
        regions = list(EXTRA_POINT_COUNTS)
        return 50_000 + regions.index(extra.group(1)) * 100 + int(extra.group(2))
    return 99_000


def strip_accents(text):
    """Hégǔ -> Hegu; characters outside Latin script are kept as they are."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


# Pure and asked again and again for the same names (every search matches the text against every
# meridian's and body area's name): remembered, within a bound, since readers type anything.
@functools.lru_cache(maxsize=4096)
def normalise_key(text):
    """The form names are matched in: case, tone marks, spaces and punctuation removed.

    'He Gu', 'Hégǔ' and 'hegu' share one key; Chinese characters are kept.
    """
    text = strip_accents(text or "").casefold()
    text = text.replace("’", "'").replace("'", "")
    return "".join(char for char in text if char.isalnum())
