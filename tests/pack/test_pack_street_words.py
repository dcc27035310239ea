"""A victim's street is withheld on its own in free text whatever its street type: the UK's and
every suffix Faker en_GB gives the synthetic data's streets ("Plains", "Rapid", "Spur"...), which
were withheld only as part of the whole address. Synthetic data only (Faker en_GB)."""
import pytest
from faker import Faker
from faker.providers.address.en_GB import Provider as GBAddress

from triage_app.pack.identity import VictimIdentity
from triage_app.pack.model import VictimRecord
from triage_app.pack.redaction import ADDRESS, street_words

FAKER_SUFFIXES = sorted(set(GBAddress.street_suffixes))


def test_the_word_list_covers_every_street_suffix_faker_en_gb_can_produce():
    fake = Faker("en_GB")
    fake.seed_instance(7)
    produced = {fake.street_suffix() for _ in range(5000)}
    assert produced <= set(FAKER_SUFFIXES)           # street_suffix draws from this list only
    assert {s.lower() for s in FAKER_SUFFIXES} <= street_words()
    assert {"road", "lane", "close", "crescent", "mews", "wynd", "drove", "chase"} <= street_words()


@pytest.mark.parametrize("suffix", FAKER_SUFFIXES)
def test_a_victims_street_is_withheld_on_its_own_whatever_its_suffix(suffix):
    fake = Faker("en_GB")
    fake.seed_instance(sum(map(ord, suffix)))
    last, town, postcode = fake.last_name(), fake.city(), fake.postcode()
    streets = [f"Green {suffix}", f"{last} {suffix}", f"{fake.last_name()} {suffix}", f"Mill Park {suffix}",
               f"{fake.last_name()} {suffix}"]
    victims = VictimIdentity([
        # a flat on a street whose name is itself a street word ("Green Plains")
        VictimRecord("Amy", "Example", None, f"Flat 3\n{streets[0]}\n{town}\n{postcode}", postcode),
        # a named house on its street, no number
        VictimRecord("Beth", "Example", None, f"Rose Cottage, {streets[1]}, {town}", None),
        # the street and the town only
        VictimRecord("Cara", "Example", None, f"{streets[2]}, {town}", None),
        # a street named with two street words before its suffix ("Mill Park Rapid")
        VictimRecord("Dina", "Example", None, f"14 {streets[3]}\n{town}", None),
        # a named house whose name ends in a street word ("Rose Cottages")
        VictimRecord("Ella", "Example", None, f"Rose Cottages, {streets[4]}, {town}", None),
    ])
    text = (f"She stayed at the flat on {streets[0]} for a week. Collected from Rose Cottage {streets[1]}, "
            f"then dropped at {streets[2].lower()} that night. Seen on {streets[3]} and at Rose Cottages "
            f"{streets[4]} in May. Walked down {streets[1]} alone.")
    out = victims.redact(text)
    for street in streets:
        assert street.lower() not in out.lower(), (street, out)
    assert out.count(ADDRESS) == 6 and "for a week" in out and "that night" in out and "in May" in out
    assert "Walked down [address withheld] alone." in out      # a named house's street on its own too
