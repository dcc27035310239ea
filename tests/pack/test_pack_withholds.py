"""VictimIdentity.withholds: a structured value printed in a table (a phone, a vehicle, a date of
birth) is left out in whatever form it comes, not only the form the importer stored."""
from triage_app.pack.identity import VictimIdentity
from triage_app.pack.model import VictimRecord

BECKY = VictimRecord("Rebecca", "Smyth", "2000-03-07", "14 Holly Bank Road", "LS6 2QF", ["07700 900461"], ["YK09 ABC"])


def test_a_victims_phone_is_withheld_in_any_written_form():
    v = VictimIdentity([BECKY])
    for form in ("07700 900461", "07700900461", "+44 7700 900461", "+447700900461", "(07700) 900-461"):
        assert v.withholds("phone", form), form
    assert not v.withholds("phone", "07700 900462")


def test_a_victims_vehicle_is_withheld_in_any_case_and_spacing():
    v = VictimIdentity([BECKY])
    for form in ("YK09 ABC", "yk09abc", "YK09ABC"):
        assert v.withholds("vehicle", form), form
    assert not v.withholds("vehicle", "YK09 ABD")


def test_a_victims_date_of_birth_is_withheld_with_a_time_after_it():
    v = VictimIdentity([BECKY])
    for form in ("2000-03-07", "2000-03-07 00:00:00", "2000-03-07T00:00"):
        assert v.withholds("dob", form), form
    assert not v.withholds("dob", "2000-03-08")
