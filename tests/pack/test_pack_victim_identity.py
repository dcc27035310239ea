"""Issue 13 items 1–2: at the default identity level no identifier of ANY victim — of this case or
of a linked case — appears anywhere in a referral pack: name and every variant the linker would
match, date of birth, address, postcode, phone, vehicle mark, in any written form. Suspects' details
stay (they are the investigative point) unless they coincide with a victim's value.

The cases are imported through the real importer (so links come from the real linker), reviewed
and approved through the real workflow, and the pack's text is extracted with pypdf and pdfplumber.
This test is the guard for any change to the linker or the pack's link section: keep it green.
Everything here is synthetic (Faker-style names, Ofcom drama numbers, made-up marks).
"""
from __future__ import annotations

import io
import re
import tomllib

import pdfplumber
import pytest
from pypdf import PdfReader

from triage_app import importing
from triage_app.linking import names
from triage_app.pack.issue import issue_pack
from triage_app.paths import resource
from triage_app.review import checklist, workflow

HERE, SISTER, OTHER = "CR/2013/700101", "CR/2012/700102", "CR/2014/700103"

# The victim of the case packed, and the same girl recorded on a linked case under her nickname.
VICTIM = {"forenames": "Rebecca", "surname": "Smyth", "dob": "2000-03-07", "address": "14 Holly Bank Road",
          "postcode": "LS6 2QF", "phone": "07700 900461", "vehicle": "YK09 ABC"}
# The victim of another linked case, named in this case's papers by her nickname.
OTHER_VICTIM = {"forenames": "Elizabeth", "surname": "Harrow", "dob": "2001-09-15", "address": "22 Canal Street",
                "postcode": "BD1 4QL", "phone": "07700 900465"}
SUSPECT_PHONE, SUSPECT_VEHICLE = "07700 900777", "BD51 SMR"
# Keying slips the linker would still match to the victims' names (checked below with its own function).
SLIPS = ("Rebeca Smith", "Elisabeth Harow")

CASES = "\n".join([
    "crime_ref,offence_code,offence_description,offence_date,reported_date,nfa_date,outcome_code,nfa_rationale,"
    "officer_in_case,location,exhibits_retained,summary",
    f'{HERE},19D,Rape of a female child under 16,2013-05-01,2013-06-01,2013-11-20,16,'
    '"Rebecca SMYTH (DOB 07/03/2000) withdrew support. Smyth, Rebecca lives at 14 Holly Bank Rd, Leeds LS6 2QF.\n\n'
    'Becky was not seen as credible. Lizzie Harrow, born 15th September 2001, also named the suspect.",'
    'DC 4411 Example,"14 Holly Bank Road, Leeds ls62qf",yes,'
    '"Becky Smyth (born 7 March 2000, 2000-03-07) was given a phone, +447700900461 / 07700 900461 / '
    '+44 (0)7700 900461, by a man driving BD51 SMR; she also used 07700 900463. Her mum\'s car YK09ABC was seen. '
    'Beth Harrow (07700 900465) lived at 22 Canal St BD1 4QL."',
    f"{SISTER},71,Abuse of children through sexual exploitation,2012-02-01,2012-03-01,2012-08-01,16,"
    "Victim withdrew.,DC 4412 Example,Leeds,unknown,Seen at a takeaway.",
    f"{OTHER},71,Abuse of children through sexual exploitation,2014-02-01,2014-03-01,2014-09-01,16,"
    "Victim withdrew.,DC 4413 Example,Bradford,unknown,Seen in a car.",
])
NOMINALS = "\n".join([
    "crime_ref,role,surname,forenames,dob,gender,ethnicity,address,postcode,phones,vehicles",
    f"{HERE},victim,Smyth,Rebecca,07/03/2000,F,W1,14 Holly Bank Road,LS6 2QF,07700 900461,YK09 ABC",
    f"{HERE},suspect,Dalton,Imran,1979-05-12,M,A2,,,{SUSPECT_PHONE},{SUSPECT_VEHICLE}",
    f"{HERE},witness,Smyth,Linda,1975-01-02,F,W1,14 Holly Bank Road,LS6 2QF,,",
    # The same girl on an older case, by her nickname: same date of birth, phone and address.
    f"{SISTER},victim,Smyth,Becky,2000-03-07,F,W1,14 Holly Bank Rd,LS62QF,+44 7700 900461; 07700 900463,",
    f"{SISTER},suspect,Quayle,Tariq,1981-02-03,M,A2,,,,",
    # Another girl; this case's suspect gave the first girl's phone to himself and shares the car.
    f"{OTHER},victim,Harrow,Elizabeth,2001-09-15,F,W1,22 Canal Street,BD1 4QL,07700 900465,",
    f"{OTHER},suspect,Aziz,Sajid,1983-04-05,M,A2,,,07700 900461,BD51SMR",
])


def _import(login, tmp_path):
    (tmp_path / "cases.csv").write_text(CASES, encoding="utf-8")
    (tmp_path / "nominals.csv").write_text(NOMINALS, encoding="utf-8")
    s = login("sam")
    importing.run(s, tmp_path / "cases.csv", tmp_path / "nominals.csv")
    # The import's pages reach the vault file in a background checkpoint (vault/checkpoint.py); once it
    # has ended, the file changes only when something is written (tests compare the file's bytes).
    s.wait_checkpoint()


def _review(login):
    rita, sam = login("rita"), login("sam")
    workflow.start_review(rita, HERE)
    for item_id in checklist.current().mandatory_ids:
        workflow.answer_item(rita, HERE, item_id, "no",
                             note="Becky's phone (07700-900-461) never downloaded; Rebecca's DOB 7/3/2000 noted.")
    workflow.raise_inquiry(rita, HERE, title="Cell-site for 07700900461 and 07700 900777", category="digital",
                           priority="high", rationale=f"Subscriber checks on {SUSPECT_PHONE}; ANPR for {SUSPECT_VEHICLE} "
                                                      "near Holly Bank Road, LS6 2QF; Becca's contact list.")
    workflow.record_contact(rita, HERE, contact_date="2026-10-01", method="visit", outcome="Willing to talk",
                            wishes="BECKY wants letters to 14 Holly Bank Road only, not calls to 0770 090 0461.",
                            support=["isva"])
    workflow.recommend(rita, HERE, "refer", "Rebecca and Lizzie (Elizabeth HARROW, 15/09/2001) both named him; "
                                            f"{' and '.join(SLIPS)} are how the 2012 file spells them.")
    workflow.submit(rita, HERE)
    workflow.decide(sam, HERE, "approve", "Agreed. Smyth's mother at ls6 2qf to be told; Libby Harrow too.")


@pytest.fixture
def packs(login, tmp_path):
    _import(login, tmp_path)
    _review(login)
    rita = login("rita")
    out = {}
    for level in ("initials", "full"):
        path = tmp_path / f"{level}.pdf"
        issue_pack(rita, HERE, path, identity=level, justification="test: a full-identity pack for comparison")
        out[level] = _extract(path.read_bytes())
    return out


def _extract(pdf: bytes) -> str:
    """Every text the file carries, as two extractors read it, plus its metadata."""
    reader = PdfReader(io.BytesIO(pdf))
    parts = [p.extract_text() or "" for p in reader.pages]
    parts += [str(v) for v in (reader.metadata or {}).values()]
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        parts += [p.extract_text() or "" for p in doc.pages]
    return " ".join(" ".join(parts).split())


def _compact(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.lower())


def _name_forms(*tokens: str) -> set[str]:
    """The names, and every name in the linker's own variants table that the linker would match to one."""
    with open(resource("linking", "name_variants.toml"), "rb") as f:
        table = tomllib.load(f)["variants"]
    spelled = {t for group in table["transliterations"] + table["nicknames"] for t in group}
    out = set()
    for token in tokens:
        mine = names.clean_tokens(token)[0]
        out.add(mine)
        out.update(t for t in spelled if names.tokens_agree(names.clean_tokens(t)[0], mine))
    return out


def _date_forms(iso: str) -> list[str]:
    y, m, d = iso.split("-")
    month = ("January February March April May June July August September October November December").split()[int(m) - 1]
    day = str(int(d))
    suffix = "th" if 11 <= int(d) <= 13 else {"1": "st", "2": "nd", "3": "rd"}.get(day[-1], "th")
    return [iso, f"{d}/{m}/{y}", f"{day}/{int(m)}/{y}", f"{d}.{m}.{y}", f"{d}-{m}-{y}", f"{d}/{m}/{y[2:]}",
            f"{day} {month} {y}", f"{day}{suffix} {month} {y}", f"{day} {month[:3]} {y}", f"{month} {day}, {y}"]


def _leaks(text: str) -> list[str]:
    found = []
    words = set(re.findall(r"[a-z]+", text.lower()))
    slips = {w.lower() for s in SLIPS for w in s.split()}
    for name in sorted(slips | _name_forms(VICTIM["forenames"], VICTIM["surname"], "Becky",
                                           OTHER_VICTIM["forenames"], OTHER_VICTIM["surname"])):
        if name in words:
            found.append(f"name {name}")
    compact = _compact(text)
    for who in (VICTIM, OTHER_VICTIM):
        for form in _date_forms(who["dob"]):
            if form.lower() in text.lower():
                found.append(f"date of birth {form}")
        y, m, d = who["dob"].split("-")
        for form in (y + m + d, d + m + y):
            if form in compact:
                found.append(f"date of birth {form}")
        national = re.sub(r"\D", "", who["phone"])[1:]           # 7700900461: in every format of the number
        if national in compact:
            found.append(f"phone {who['phone']}")
        street = _compact(who["address"].split(" ", 1)[1].rsplit(" ", 1)[0])   # "hollybank", "canal"
        if street in compact:
            found.append(f"address {who['address']}")
        if _compact(who["postcode"]) in compact:
            found.append(f"postcode {who['postcode']}")
    for phone in ("07700 900463",):                            # the linked victim's second phone
        if re.sub(r"\D", "", phone)[1:] in compact:
            found.append(f"phone {phone}")
    if _compact(VICTIM["vehicle"]) in compact:
        found.append(f"vehicle {VICTIM['vehicle']}")
    return found


def test_the_slips_are_ones_the_linker_would_match():
    recorded = ("rebecca", "smyth", "elizabeth", "harrow")
    for slip, name in zip((w.lower() for s in SLIPS for w in s.split()), recorded):
        assert slip != name and names.tokens_agree(slip, name)


def test_no_identifier_of_any_victim_in_the_default_pack(packs):
    assert _leaks(packs["initials"]) == []


def test_the_full_pack_has_them_so_the_scan_is_not_vacuous(packs):
    leaks = " ".join(_leaks(packs["full"]))
    for what in ("name rebeca", "name harow", "name rebecca", "name smyth", "name becky", "name lizzie", "name harrow", "date of birth 07/03/2000",
                 "date of birth 2000-03-07", "phone 07700 900461", "phone 07700 900465", "phone 07700 900463",
                 "address 14 Holly Bank Road", "address 22 Canal Street", "postcode LS6 2QF", "postcode BD1 4QL",
                 "vehicle YK09 ABC", "date of birth 15th September 2001"):
        assert what in leaks


def test_suspects_details_stay_in_the_default_pack(packs):
    text = packs["initials"]
    compact = _compact(text)
    assert "Imran DALTON" in text                                   # the suspect, by name
    assert "1979-05-12" in text                                     # and date of birth
    assert _compact(SUSPECT_PHONE) in compact                       # inside the inquiry's rationale
    assert "Same vehicle BD51SMR (suspect on" in text               # the shared car, in the link section
    assert "Linda S." in text                                       # a witness keeps what is hers, not the surname


def test_the_link_section_says_how_the_cases_are_linked_without_the_values(packs):
    text = packs["initials"]
    assert SISTER in text and OTHER in text
    assert f"Same phone (victim on {HERE}; victim on {SISTER})" in text or \
           f"Same phone (victim on {SISTER}; victim on {HERE})" in text
    assert f"Same phone (victim on {HERE}; suspect on {OTHER})" in text or \
           f"Same phone (suspect on {OTHER}; victim on {HERE})" in text
    assert "Same address (victim on" in text
    assert re.search(r"Same person[^()]*: names match, date of birth the same \(victim on", text), text
    assert "R.S., aged 13 at the offence" in text
