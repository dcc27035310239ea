"""VictimIdentity: every written form of a victim's identifiers is found in free text (issue 13
items 1–2), and nothing else is. Synthetic values only (Ofcom drama numbers, made-up marks)."""
import pytest

from triage_app.pack.identity import VictimIdentity, shown_as
from triage_app.pack.model import VictimRecord

BECKY = VictimRecord("Rebecca", "Smyth", "2000-03-07", "14 Holly Bank Road", "LS6 2QF", ["07700 900461"], ["YK09 ABC"],
                     aliases=["Bex"])
HALL = VictimRecord("Jessica", "Hall", "2001-09-15", "Flat 2, 9 Mill Lane, Leeds", None, ["+44 113 496 0999"])


@pytest.fixture(scope="module")
def victims():
    return VictimIdentity([BECKY, HALL])


@pytest.mark.parametrize("written", [
    "2000-03-07", "07/03/2000", "7/3/2000", "07.03.2000", "07-03-2000", "07/03/00", "07032000", "20000307",
    "7 March 2000", "7th March 2000", "7th of March 2000", "7 Mar 2000", "7-Mar-2000", "March 7, 2000", "March 7th 2000",
    "7 march '00", "03/07/2000",          # the US way round is withheld too
])
def test_a_date_of_birth_in_any_written_form(victims, written):
    assert victims.redact(f"born {written}, seen") == "born [date of birth withheld], seen"


@pytest.mark.parametrize("other", ["2000-03-08", "8 March 2000", "7 March 2001", "2013-05-01", "CR/2000/0307"])
def test_other_dates_stay(victims, other):
    assert victims.redact(f"on {other}.") == f"on {other}."


@pytest.mark.parametrize("written", [
    "07700 900461", "07700900461", "+447700900461", "+44 7700 900461", "+44 (0)7700 900461", "0044 7700 900461",
    "07700-900-461", "(07700) 900461", "0770 090 0461", "7700 900461", "0113 496 0999", "+441134960999",
])
def test_a_phone_in_any_written_form(victims, written):
    assert victims.redact(f"rang {written} twice") == "rang [phone withheld] twice"


@pytest.mark.parametrize("other", ["07700 900462", "077009004611", "CR/2013/700101", "17700900461"])
def test_other_numbers_stay(victims, other):
    assert victims.redact(f"rang {other} twice") == f"rang {other} twice"


@pytest.mark.parametrize("written", ["07700 9009", "077009009", "0770 0900 9", "07700-9009"])
def test_a_phone_recorded_in_a_form_no_normaliser_reads_is_withheld_by_its_digits(written):
    # "07700 9009" is a digit short: phonenumbers cannot read it, yet it is still her number as recorded.
    short = VictimIdentity([VictimRecord("Ann", "Lee", phones=["07700 9009"])])
    assert short.phones == set() and short.redact(f"rang {written} twice") == "rang [phone withheld] twice"
    assert short.redact("rang 07700 90091 twice") == "rang 07700 90091 twice"


@pytest.mark.parametrize("written", ["LS6 2QF", "ls62qf", "Ls6  2qf"])
def test_a_postcode_with_or_without_the_space(victims, written):
    assert victims.redact(f"at {written}.") == "at [postcode withheld]."
    assert victims.redact("at LS6 2QG.") == "at LS6 2QG."


@pytest.mark.parametrize("written", ["YK09 ABC", "yk09abc", "YK 09 ABC", "YK09-ABC"])
def test_a_vehicle_mark_in_any_spacing(victims, written):
    assert victims.redact(f"in {written} again") == "in [vehicle withheld] again"
    assert victims.redact("in YK09 ABD again") == "in YK09 ABD again"


@pytest.mark.parametrize("written", ["14 Holly Bank Road", "14, Holly Bank Rd.", "14 HOLLY BANK RD", "Holly Bank Road",
                                     "9 Mill Lane", "9 Mill Ln", "Flat 2, 9 Mill Lane, Leeds"])
def test_an_address_its_house_and_its_street(victims, written):
    assert "[address withheld]" in victims.redact(f"lived at {written} then")
    assert victims.redact("lived at 14 Holly Road then") == "lived at 14 Holly Road then"


@pytest.mark.parametrize("written, shown", [
    ("Becky Smyth said", "R.S. said"), ("BECCA said", "R. said"), ("becky said", "R. said"),
    ("Smyth, Rebecca said", "R.S. said"), ("Smith, Rebecca said", "S., R. said"),   # as records list people
    ("Rebeca Smith said", "R.S. said"),   # one slip in each: the linker would match them
    ("Smyth's mother said", "S.'s mother said"), ("Bex said", "B. said"), ("Jess Hall said", "J.H. said"),
])
def test_names_and_every_variant_the_linker_would_match(victims, written, shown):
    assert victims.redact(written) == shown


def test_ordinary_words_near_a_name_stay(victims):
    # 'call' is one slip from 'Hall', but slips count only in a capitalised word, as names are written.
    assert victims.redact("a call to the smith; Smithson came") == "a call to the smith; Smithson came"


def test_others_keep_their_details_unless_they_are_a_victims(victims):
    assert shown_as("suspect", "Imran", "Dalton", None, victims, "initials") == "Imran DALTON"
    assert shown_as("witness", "Linda", "Smyth", None, victims, "initials") == "Linda S."
    assert shown_as("victim", "Rebecca", "Smyth", 13, victims, "initials") == "R.S., aged 13 at the offence"
    assert shown_as("victim", "Rebecca", "Smyth", 13, victims, "full") == "Rebecca SMYTH, aged 13 at the offence"
    assert victims.withholds("phone", "+447700900461") and not victims.withholds("phone", "07700 900777")
    assert victims.withholds("address", "14 holly bank road LS6 2QF")
    assert victims.withholds("address", "3 other street LS6 2QF")          # the same postcode is hers
    assert not victims.withholds("address", "3 other street LS6 2QG")
    assert victims.withholds("dob", "2000-03-07") and not victims.withholds("dob", "1979-05-12")
    assert victims.withholds("vehicle", "yk09 abc") and not victims.withholds("vehicle", "BD51 SMR")
