import pytest

from points.notation import (
    EXTRA_POINT_COUNTS,
    MERIDIAN_POINT_COUNTS,
    MERIDIAN_PREFIXES,
    normalise_key,
    parse_code,
    point_sort_key,
)

ALL_WHO_CODES = [
    f"{meridian}{number}" for meridian, count in MERIDIAN_POINT_COUNTS.items() for number in range(1, count + 1)
]


def test_the_standard_has_361_points():
    assert len(ALL_WHO_CODES) == 361


@pytest.mark.parametrize("code", ALL_WHO_CODES)
def test_every_who_code_parses_to_itself_in_any_case_and_spacing(code):
    meridian = code.rstrip("0123456789")
    number = code[len(meridian) :]
    for written in (code, code.lower(), f"{meridian} {number}", f"{meridian}-{number}", f"{meridian}.{number}"):
        assert parse_code(written).code == code, written


@pytest.mark.parametrize(("prefix", "meridian"), sorted(MERIDIAN_PREFIXES.items()))
def test_every_other_prefix_reaches_its_meridian(prefix, meridian):
    assert parse_code(f"{prefix}1").code == f"{meridian}1"
    assert parse_code(f"{prefix.title()} 1").code == f"{meridian}1"


@pytest.mark.parametrize(
    ("written", "code"),
    [
        # From the notations table of the reference and the seed articles.
        ("LI4", "LI4"), ("li 4", "LI4"), ("LI-4", "LI4"), ("LI.4", "LI4"), ("Li4", "LI4"), ("4GI", "LI4"),
        ("4 GI", "LI4"), ("36E", "ST36"), ("E36", "ST36"), ("BP6", "SP6"), ("IG3", "SI3"), ("ID3", "SI3"),
        ("UB40", "BL40"), ("Bl-43", "BL43"), ("BL-43", "BL43"), ("V40", "BL40"), ("UB-62", "BL62"),
        ("KD1", "KI1"), ("K1", "KI1"), ("R1", "KI1"), ("P6", "PC6"), ("CS6", "PC6"), ("PC-7", "PC7"),
        ("TH3", "TE3"), ("TW3", "TE3"), ("TB3", "TE3"), ("SJ3", "TE3"), ("TA3", "TE3"), ("TE 3", "TE3"),
        ("VB30", "GB30"), ("GB 34", "GB34"), ("LV3", "LR3"), ("Liv 3", "LR3"), ("LIV 3", "LR3"), ("F3", "LR3"),
        ("H3", "LR3"), ("LR-3", "LR3"), ("Du16", "GV16"), ("DU-16", "GV16"), ("GO16", "GV16"), ("VG26", "GV26"),
        ("Ren6", "CV6"), ("RN6", "CV6"), ("RM6", "CV6"), ("VC6", "CV6"), ("CV 6", "CV6"),
        ("Large Intestine 4", "LI4"), ("Urinary Bladder 40", "BL40"), ("Liver 3", "LR3"),
        ("Triple Heater 3", "TE3"), ("San Jiao 3", "TE3"), ("Governor Vessel 26", "GV26"),
        # Old Bladder numbering of popular books: B36-B49 = BL41-BL54, B50-B54 = BL36-BL40.
        ("B47", "BL52"), ("B48", "BL53"), ("B53", "BL39"), ("B54", "BL40"), ("B36", "BL41"), ("B49", "BL54"),
        ("B50", "BL36"), ("b 47", "BL52"), ("B23", "BL23"), ("B10", "BL10"), ("B62", "BL62"), ("B67", "BL67"),
        # Ear points by the WHO 1990 auricular codes.
        ("MA-TF1", "MA-TF1"), ("ma tf1", "MA-TF1"), ("MA-AT1", "MA-AT1"),
    ],
)  # fmt: skip
def test_notations_from_the_reference_and_the_seeds(written, code):
    assert parse_code(written).code == code


def test_old_bladder_numbers_are_flagged_so_the_page_can_explain_them():
    assert parse_code("B47").old_bladder
    assert not parse_code("BL47").old_bladder
    assert not parse_code("UB47").old_bladder
    assert not parse_code("B23").old_bladder


@pytest.mark.parametrize(
    "written",
    ["", "   ", "LI0", "LI21", "BL68", "KI28", "XX4", "L14", "hegu", "4", "LI", "B", "LI4a", "LI-4-5", "x" * 500],
)
def test_what_is_not_a_valid_code_gives_none(written):
    assert parse_code(written) is None


def test_names_normalise_without_case_tones_spaces_or_punctuation():
    assert normalise_key("He Gu") == normalise_key("Hégǔ") == normalise_key("hegu") == "hegu"
    assert normalise_key("Heaven's Pillar") == normalise_key("heavens pillar")
    assert normalise_key("合谷") == "合谷"


def test_the_who_standard_has_48_extra_points():
    assert sum(EXTRA_POINT_COUNTS.values()) == 48


@pytest.mark.parametrize("written", ["EX-B7", "ex-b7", "EXB7", "Ex B 7", "ex-b-07"])
def test_an_extra_point_code_parses_in_any_case_and_spacing(written):
    assert parse_code(written).code == "EX-B7"


@pytest.mark.parametrize("written", ["EX-B10", "EX-HN16", "EX-UE0", "EX-XX1", "EX-"])
def test_an_extra_point_beyond_the_standard_gives_none(written):
    assert parse_code(written) is None


def test_extra_points_sort_after_the_meridians_by_region_then_number():
    keys = [
        point_sort_key("CV24", 14, 24),
        point_sort_key("EX-HN1"),
        point_sort_key("EX-HN15"),
        point_sort_key("EX-CA1"),
        point_sort_key("EX-B2"),
        point_sort_key("EX-B7"),
        point_sort_key("EX-UE7"),
        point_sort_key("EX-LE12"),
        point_sort_key("MA-TF1"),
    ]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
