"""Outside review (h24): where VictimIdentity learns a victim's identifiers. Each source below could
be dropped without any test failing, because the pack scan's victims have every identifier in the
nominal's own columns too."""
import json

from tests.pack.test_pack_victim_identity import HERE, _import
from triage_app.pack.identity import VictimIdentity
from triage_app.pack.model import VictimRecord


def test_a_nickname_in_an_extra_column_and_the_importers_identifiers_are_withheld(login, tmp_path):
    _import(login, tmp_path)
    s = login("sam")
    cid, nid = s.one("SELECT c.id, n.id FROM nominals n JOIN cases c ON c.id = n.case_id "
                     "WHERE c.ref = ? AND n.role = 'victim'", (HERE,))
    with s.conn:
        s.conn.execute("UPDATE nominals SET extra = ? WHERE id = ?", (json.dumps({"nickname": "Kizzy"}), nid))
        s.conn.executemany("INSERT INTO identifiers(nominal, kind, value) VALUES (?,?,?)",
                           [(nid, "phone", "+447700900477"), (nid, "address", "3 tanner row LS1 4AB")])
    victims = VictimIdentity.from_vault(s.conn, [cid])
    text = victims.redact("Kizzy rang from 07700 900477; she lived at 3 Tanner Row, LS1 4AB.")
    assert "Kizzy" not in text and "900477" not in text
    assert "Tanner" not in text and "LS1 4AB" not in text


def test_a_postcode_written_at_the_end_of_the_address_is_withheld():
    victims = VictimIdentity([VictimRecord("Keira", "Wolstenholme", address="9 Mill Lane, Leeds LS1 4AB")])
    assert "LS1 4AB" not in victims.redact("seen near LS1 4AB on Friday")


def test_a_number_the_normaliser_cannot_read_is_withheld_by_its_digits():
    victims = VictimIdentity([VictimRecord("Keira", "Wolstenholme", phones=["496 0999 (work)"])])
    assert "0999" not in victims.redact("rang 496-0999 at work")
