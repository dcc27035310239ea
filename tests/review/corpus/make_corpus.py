"""The labelled corpus for proposed answers: synthetic NFA rationales and summaries written the way
2010s case files read, each with the true answer per checklist item or "no evidence" (null).

    python tests/review/corpus/make_corpus.py     # rewrites tune.jsonl and heldout.jsonl beside it

Written from the checklist's own guidance (resources/checklists/), never from the proposal rules:
each phrase below carries what a careful reviewer would answer on reading it. Every phrase group
is split in two by position (even → "tune", odd → "heldout"), so the held-out cases are written in
phrasings the rules were never tuned on. Synthetic only: names from Faker en_GB, places invented.

What the labels mean (the checklist's guidance, applied by hand to each phrase):
- A hedge ("it is unclear whether…", "may have been…") is no evidence for its item.
- Whose action: the victim being interviewed says nothing about the suspects; the suspect's arrest
  says nothing about the victim being criminalised.
- suspects_identified is no if any suspect nominal lacks a surname or date of birth, or the text
  says a suspect is known only by a first name, a nickname or a car; yes if every suspect nominal is
  complete and nothing says otherwise.
- under16_consent is yes when the rationale leans on consent and the victim was under 16 at the
  offence, na when the victim was 16 or 17; cps_guidance is no when under16_consent is yes.
- modern_slavery is na when the offence (or, with no offence date, the NFA) is before 31 Jul 2015,
  yes when travel for exploitation is described and the offence is on or after it.
- open_lines is yes when the text names a step that was open and not taken (a phone not seized, a
  friend never traced, records not requested, an action never resulted).
- exhibits_retained follows the exhibits_retained field when it is yes or no.
"""
from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path

from faker import Faker

HERE = Path(__file__).resolve().parent
MSA = date(2015, 7, 31)

# --- the phrase bank ---------------------------------------------------------------------------
# Each entry: (text, {item: answer}) where answer is "yes" | "no" | None (a hedge: no evidence).
# Placeholders: {V} the victim, {S} a suspect, {S2} another suspect, {date}, {town}, {street}, {oic},
# {car}, {nick}, {friend}. Groups are (name, where) with where = "summary" | "rationale" | "either".

BANK: dict[tuple[str, str], list[tuple[str, dict]]] = {}


def group(name: str, where: str, *entries):
    BANK[(name, where)] = list(entries)


# ABE interview -----------------------------------------------------------------------------------
group("abe_yes", "either",
      ("An ABE interview was conducted on {date}.", {"abe_interview": "yes"}),
      ("{V} was ABE interviewed at the {town} suite on {date}.", {"abe_interview": "yes"}),
      ("VRI completed with {V} on {date}; she disclosed two further incidents.", {"abe_interview": "yes"}),
      ("{V} gave a video recorded interview and named {S} as the male responsible.", {"abe_interview": "yes"}),
      ("ABE completed by {oic} and a trained officer; account consistent with first disclosure.", {"abe_interview": "yes"}),
      ("During her ABE {V} described being taken to a flat by several males.", {"abe_interview": "yes", "honeypot_locations": "yes"}),
      ("{V} was seen for an Achieving Best Evidence interview on {date}.", {"abe_interview": "yes"}),
      ("Following the ABE on {date} the OIC sought early advice from CPS.", {"abe_interview": "yes"}),
      ("DVD of the ABE interview booked into property as exhibit {exh}.", {"abe_interview": "yes"}),
      ("A full ABE account was obtained from {V}.", {"abe_interview": "yes"}),
      )
group("abe_no", "either",
      ("No ABE was conducted.", {"abe_interview": "no"}),
      ("{V} declined an ABE interview.", {"abe_interview": "no"}),
      ("Written statement only, no ABE.", {"abe_interview": "no"}),
      ("IP withdrew support and declined an ABE interview.", {"abe_interview": "no"}),
      ("An ABE was arranged for {date} but {V} did not attend and it was never rebooked.", {"abe_interview": "no"}),
      ("{V} was not ABE interviewed as she would not engage.", {"abe_interview": "no"}),
      ("No video recorded interview took place.", {"abe_interview": "no"}),
      ("ABE not completed; {V} provided a brief written account to the OIC.", {"abe_interview": "no"}),
      ("At no stage was an ABE interview carried out.", {"abe_interview": "no"}),
      ("{V} refused to be video interviewed.", {"abe_interview": "no"}),
      ("The ABE never went ahead.", {"abe_interview": "no"}),
      ("Although an ABE was planned it did not take place.", {"abe_interview": "no"}),
      )
group("abe_hedge", "either",
      ("It is unclear whether an ABE interview took place.", {"abe_interview": None}),
      ("There is no record of whether an ABE was carried out.", {"abe_interview": None}),
      ("An ABE may have been arranged but the file does not say.", {"abe_interview": None}),
      ("It is not known if {V} was ever ABE interviewed.", {"abe_interview": None}),
      ("Possibly ABE'd at {town} but no DVD reference found.", {"abe_interview": None}),
      ("ABE to be considered if {V} re-engages.", {"abe_interview": None}),
      )

# Suspects interviewed ----------------------------------------------------------------------------
group("sint_yes", "either",
      ("{S} was arrested and interviewed under caution; he made no comment.", {"suspects_interviewed": "yes"}),
      ("Both suspects were interviewed and denied the offences.", {"suspects_interviewed": "yes"}),
      ("{S} attended a voluntary interview on {date} and gave a prepared statement.", {"suspects_interviewed": "yes"}),
      ("IUC conducted with {S}; full denial.", {"suspects_interviewed": "yes"}),
      ("All three males were traced and interviewed under caution.", {"suspects_interviewed": "yes"}),
      ("{S} was interviewed on {date} and denied knowing {V}.", {"suspects_interviewed": "yes"}),
      ("The suspects were arrested and interviewed; all denied knowing {V}.", {"suspects_interviewed": "yes"}),
      ("In interview {S} accepted he knew {V} but denied any sexual contact.", {"suspects_interviewed": "yes"}),
      ("{S} was interviewed under caution by {oic} and released under investigation.", {"suspects_interviewed": "yes"}),
      ("Each suspect has been interviewed under caution.", {"suspects_interviewed": "yes"}),
      )
group("sint_no", "either",
      ("Suspects not interviewed.", {"suspects_interviewed": "no", "open_lines": "yes"}),
      ("{S} was not interviewed.", {"suspects_interviewed": "no", "open_lines": "yes"}),
      ("The suspect was never traced.", {"suspects_interviewed": "no", "open_lines": "yes"}),
      ("{S} was spoken to informally at his address but was not interviewed.", {"suspects_interviewed": "no", "open_lines": "yes"}),
      ("No suspect has been interviewed in relation to this report.", {"suspects_interviewed": "no", "open_lines": "yes"}),
      ("Only {S} was interviewed; {S2} was never located.", {"suspects_interviewed": "no", "open_lines": "yes"}),
      ("No interviews of the males took place.", {"suspects_interviewed": "no", "open_lines": "yes"}),
      ("{S} has not been arrested or interviewed.", {"suspects_interviewed": "no", "open_lines": "yes"}),
      ("Suspect left the country before he could be interviewed.", {"suspects_interviewed": "no", "flight_risk": "yes"}),
      ("Neither male was interviewed under caution.", {"suspects_interviewed": "no", "open_lines": "yes"}),
      ("Attempts to trace {S} for interview were unsuccessful.", {"suspects_interviewed": "no", "open_lines": "yes"}),
      ("{S} was never interviewed about the allegation.", {"suspects_interviewed": "no", "open_lines": "yes"}),
      )
group("sint_hedge", "either",
      ("It is not clear whether {S} was ever interviewed.", {"suspects_interviewed": None}),
      ("{S} may have been interviewed by another team; no record on file.", {"suspects_interviewed": None}),
      ("Unclear if the second male was interviewed.", {"suspects_interviewed": None}),
      ("Interview of {S} to be arranged.", {"suspects_interviewed": None}),
      )
group("sint_distract", "either",     # the victim's or a witness's interview: nothing about the suspects
      ("{V} was interviewed by {oic} at her home address.", {}),
      ("{V}'s mother was spoken to and did not wish to pursue the matter.", {}),
      ("Staff at the home were interviewed as witnesses.", {}),
      ("The taxi driver was interviewed as a witness and said he saw nothing.", {}),
      )

# Victim-blaming language (rationale) -------------------------------------------------------------
group("blame_yes", "rationale",
      ("Injured party has made a lifestyle choice and continues to associate with the males.", {"victim_blaming": "yes"}),
      ("{V} is not credible due to inconsistencies in her account.", {"victim_blaming": "yes"}),
      ("Victim described as promiscuous by staff at the home.", {"victim_blaming": "yes"}),
      ("{V} is known to put herself at risk and was willing to go with the males.", {"victim_blaming": "yes"}),
      ("Victim has numerous missing episodes and is considered unreliable.", {"victim_blaming": "yes"}),
      ("She is streetwise and was fully aware of what she was doing.", {"victim_blaming": "yes"}),
      ("{V} would not make a credible witness given her history.", {"victim_blaming": "yes"}),
      ("The IP was a willing participant according to witnesses.", {"victim_blaming": "yes", "_consent": True}),
      ("Her lifestyle means a jury is unlikely to believe her.", {"victim_blaming": "yes"}),
      ("The complainant is placing herself in these situations.", {"victim_blaming": "yes"}),
      )

# Consent (rationale): the answer depends on the victim's age, set when the case is built --------
group("consent", "rationale",
      ("{V} appears to have consented to the activity.", {"_consent": True}),
      ("Suspect states the relationship was consensual and {V} does not dispute this.", {"_consent": True}),
      ("Sexual activity appears consensual.", {"_consent": True}),
      ("{V} went willingly with the males and agreed to sex.", {"_consent": True}),
      ("Evidence suggests the IP consented on each occasion.", {"_consent": True}),
      ("{V} told officers she was happy to have sex with him.", {"_consent": True}),
      ("Consensual activity between the victim and {S}; no offence disclosed.", {"_consent": True}),
      ("The IP agreed to go to the flat and agreed to the sexual activity.", {"_consent": True}),
      )
group("consent_no", "rationale",
      ("Consent was not a factor in the decision; the difficulty is identification.", {"under16_consent": "no"}),
      ("The decision does not rest on consent: there is no evidence to identify the offender.", {"under16_consent": "no"}),
      )

# Exhibits (text; used when the field says unknown) -----------------------------------------------
group("exh_yes", "summary",
      ("Exhibits remain in the property store at {town}.", {"exhibits_retained": "yes"}),
      ("Clothing and swabs are still retained under exhibit refs {exh}.", {"exhibits_retained": "yes"}),
      ("Property records show the bedding is still held.", {"exhibits_retained": "yes"}),
      ("The exhibits have been retained.", {"exhibits_retained": "yes"}),
      )
group("exh_no", "summary",
      ("Exhibits were destroyed in {year} under the retention policy.", {"exhibits_retained": "no"}),
      ("No exhibits are retained.", {"exhibits_retained": "no"}),
      ("All property relating to this occurrence has been disposed of.", {"exhibits_retained": "no"}),
      ("The exhibits have not been retained.", {"exhibits_retained": "no"}),
      )
group("exh_hedge", "summary",
      ("Exhibits may still be held but this has not been checked.", {"exhibits_retained": None}),
      ("It is unclear whether the swabs were retained.", {"exhibits_retained": None}),
      )

# Phones --------------------------------------------------------------------------------------------
group("phone_yes", "either",
      ("Both phones were seized and downloaded.", {"phones_examined": "yes"}),
      ("The victim's and the suspect's handsets were submitted for examination and downloads obtained.", {"phones_examined": "yes"}),
      ("Phones belonging to {V} and {S} were examined by the digital unit.", {"phones_examined": "yes"}),
      ("Downloads of all phones completed; messages from {S} recovered.", {"phones_examined": "yes"}),
      ("Mobile phones seized from all parties were forensically examined.", {"phones_examined": "yes"}),
      ("Phone examinations completed for the victim and both suspects.", {"phones_examined": "yes"}),
      )
group("phone_no", "either",
      ("Phone not seized.", {"phones_examined": "no", "open_lines": "yes"}),
      ("{V}'s phone was seized but never examined.", {"phones_examined": "no", "open_lines": "yes"}),
      ("No phones were examined.", {"phones_examined": "no", "open_lines": "yes"}),
      ("The suspect's mobile was not seized.", {"phones_examined": "no", "open_lines": "yes"}),
      ("Handset seized from {S} but not downloaded due to backlog.", {"phones_examined": "no", "open_lines": "yes"}),
      ("{V} refused to hand over her phone and it was not examined.", {"phones_examined": "no", "open_lines": "yes"}),
      ("No phone downloads were requested.", {"phones_examined": "no", "open_lines": "yes"}),
      ("Mobile phone never submitted for examination.", {"phones_examined": "no", "open_lines": "yes"}),
      )
group("phone_hedge", "either",
      ("It is unclear whether the phone was ever downloaded.", {"phones_examined": None}),
      ("The phone may have been examined; no report is on file.", {"phones_examined": None}),
      ("Unknown whether {S}'s phone was seized.", {"phones_examined": None}),
      ("Phone download to be requested if {V} re-engages.", {"phones_examined": None}),
      )

# Wider digital ------------------------------------------------------------------------------------
group("dig_yes", "either",
      ("ANPR checks were conducted on the {car}.", {"wider_digital": "yes"}),
      ("Taxi booking records were obtained from the firm.", {"wider_digital": "yes"}),
      ("Social media accounts of {S} were reviewed and preserved.", {"wider_digital": "yes"}),
      ("ANPR was requested for {vrm} and returned several hits in {town}.", {"wider_digital": "yes"}),
      ("Facebook messages between {V} and {S} were obtained.", {"wider_digital": "yes"}),
      ("Records from the taxi company were requested and reviewed.", {"wider_digital": "yes"}),
      )
group("dig_no", "either",
      ("Taxi firm records not requested.", {"wider_digital": "no", "open_lines": "yes"}),
      ("No ANPR or social media enquiries were made.", {"wider_digital": "no", "open_lines": "yes"}),
      ("ANPR was not checked for the {car}.", {"wider_digital": "no", "open_lines": "yes"}),
      ("Social media was never looked at.", {"wider_digital": "no", "open_lines": "yes"}),
      ("No checks were made with the taxi firm.", {"wider_digital": "no", "open_lines": "yes"}),
      ("Vehicle seen but VRM not obtained and no ANPR enquiries made.", {"wider_digital": "no", "open_lines": "yes"}),
      )
group("dig_hedge", "either",
      ("It is not known whether ANPR was checked.", {"wider_digital": None}),
      ("Social media may have been viewed by the OIC.", {"wider_digital": None}),
      )

# Honeypot locations -------------------------------------------------------------------------------
group("place_yes", "summary",
      ("{V} was taken to a flat above a takeaway on {street} where alcohol and cannabis were supplied.", {"honeypot_locations": "yes"}),
      ("{V} met the suspect at a park and was later taken to a hotel in {town}.", {"honeypot_locations": "yes", "_travel": True}),
      ("The girls were regularly collected from the kebab shop on {street}.", {"honeypot_locations": "yes"}),
      ("{S} used a flat on {street} to hold parties for young girls.", {"honeypot_locations": "yes"}),
      ("She was ferried around by taxis from the same firm to addresses across {town}.", {"honeypot_locations": "yes"}),
      ("Incidents occurred in a B&B on {street} booked by {S}.", {"honeypot_locations": "yes"}),
      ("{V} stayed overnight at a house on {street} used by the group.", {"honeypot_locations": "yes"}),
      ("The takeaway on {street} was where she first met the males.", {"honeypot_locations": "yes"}),
      )
group("place_distract", "summary",
      ("{V} lives at home with her mother and two siblings.", {}),
      ("The report was made at {town} police station.", {}),
      ("{V} attends a school in {town}.", {}),
      )

# Other victims and witnesses ---------------------------------------------------------------------
group("others_yes", "either",
      ("Intelligence suggests other girls involved; no further action taken on this.", {"other_victims": "yes", "open_lines": "yes"}),
      ("{V} named two friends who were also taken to the flat; neither was spoken to.", {"other_victims": "yes", "open_lines": "yes", "honeypot_locations": "yes"}),
      ("{friend}, who was present on one occasion, was never traced.", {"other_victims": "yes", "open_lines": "yes"}),
      ("Other children at the home are believed to have been targeted but were not approached.", {"other_victims": "yes", "open_lines": "yes"}),
      ("A second girl referred to as \"{nick2}\" was not identified or spoken to.", {"other_victims": "yes", "open_lines": "yes"}),
      ("Witnesses mentioned by {V} were not traced.", {"other_victims": "yes", "open_lines": "yes"}),
      )
group("others_no", "either",
      ("All the girls named by {V} were traced and gave statements.", {"other_victims": "no"}),
      ("Every witness named in the report was spoken to.", {"other_victims": "no"}),
      )
group("others_hedge", "either",
      ("{V}'s friend, also 14, was present on at least one occasion.", {"other_victims": None}),
      ("There may have been other girls at the address.", {"other_victims": None}),
      )

# Third-party material ------------------------------------------------------------------------------
group("tp_yes", "either",
      ("Children's services records were obtained and reviewed.", {"third_party_material": "yes"}),
      ("School records were requested and show a decline in attendance.", {"third_party_material": "yes"}),
      ("Health records obtained with {V}'s consent.", {"third_party_material": "yes"}),
      ("Social care files were reviewed by {oic}.", {"third_party_material": "yes"}),
      ("YOT records for {V} were obtained.", {"third_party_material": "yes"}),
      ("Third party material from CSC and education was gathered.", {"third_party_material": "yes"}),
      )
group("tp_no", "either",
      ("No third-party material was sought.", {"third_party_material": "no", "open_lines": "yes"}),
      ("Social care records were not requested.", {"third_party_material": "no", "open_lines": "yes"}),
      ("School and health records were never obtained.", {"third_party_material": "no", "open_lines": "yes"}),
      ("No request was made to children's services for their files.", {"third_party_material": "no", "open_lines": "yes"}),
      )
group("tp_distract", "either",
      ("Referral from children's services after a strategy meeting.", {}),
      ("Strategy meeting held with CSC on {date}.", {}),
      ("School raised concerns after she was seen getting into cars with older men.", {}),
      )

# Modern Slavery Act travel (answer set with the dates) ---------------------------------------------
group("travel", "summary",
      ("{V} was driven by {S} to addresses in {town} and other towns where she was abused.", {"_travel": True}),
      ("The males arranged taxis to take her to hotels in {town}.", {"_travel": True, "honeypot_locations": "yes"}),
      ("{S} paid for train tickets so that she could be taken to {town} to meet other men.", {"_travel": True}),
      ("She was transported between {town} and {town2} by members of the group.", {"_travel": True}),
      ("{V} was moved around by car to meet men in several cities.", {"_travel": True}),
      ("Travel to {town} was arranged by {S} on several weekends.", {"_travel": True}),
      )

# Warnings -----------------------------------------------------------------------------------------
group("warn_yes", "either",
      ("A child abduction warning notice was served on {S} in {year}.", {"warnings_history": "yes"}),
      ("CAWN issued to {S} in respect of {V}.", {"warnings_history": "yes"}),
      ("{S} had previously been given a CAWN in relation to another girl.", {"warnings_history": "yes"}),
      ("Trafficking warning notices have been issued to {S} and {S2}.", {"warnings_history": "yes"}),
      )
group("warn_no", "either",
      ("No CAWN was ever considered.", {"warnings_history": "no"}),
      ("No child abduction warning notice has been issued to any suspect.", {"warnings_history": "no"}),
      ("No abduction warning notices were served.", {"warnings_history": "no"}),
      )
group("warn_hedge", "either",
      ("A CAWN may have been discussed at the strategy meeting.", {"warnings_history": None}),
      ("It is unclear whether a CAWN was served on {S}.", {"warnings_history": None}),
      )

# Victim criminalised -------------------------------------------------------------------------------
group("crim_yes", "either",
      ("{V} was arrested for criminal damage at the home during the same period.", {"victim_criminalised": "yes"}),
      ("{V} received a caution for shoplifting in {year}.", {"victim_criminalised": "yes"}),
      ("The victim was herself convicted of assault on a member of staff.", {"victim_criminalised": "yes"}),
      ("{V} was arrested for being drunk and disorderly when found with the males.", {"victim_criminalised": "yes"}),
      ("The IP has a reprimand for theft from {year}.", {"victim_criminalised": "yes"}),
      )
group("crim_no", "either",
      ("{V} has no convictions or cautions.", {"victim_criminalised": "no"}),
      ("The victim has never been arrested.", {"victim_criminalised": "no"}),
      )
group("crim_distract", "either",
      ("{S} was arrested on suspicion of rape and bailed.", {}),
      ("{S} has previous convictions for violence.", {}),
      ("{S} was cautioned for possession of cannabis in {year}.", {}),
      )

# Suspects now --------------------------------------------------------------------------------------
group("alive_yes", "either",
      ("{S} is believed to still live in {town}.", {"suspects_alive": "yes"}),
      ("PNC shows {S} is alive and was stopped in {year}.", {"suspects_alive": "yes"}),
      ("All suspects are believed to be alive.", {"suspects_alive": "yes"}),
      ("{S} is still living locally and works as a taxi driver.", {"suspects_alive": "yes"}),
      )
group("alive_no", "either",     # used only with one suspect nominal (or "all")
      ("{S} died in {year}.", {"suspects_alive": "no"}),
      ("The suspect is now deceased.", {"suspects_alive": "no"}),
      ("All the suspects have since died.", {"suspects_alive": "no"}),
      ("{S} passed away in {year} according to death records.", {"suspects_alive": "no"}),
      )
group("alive_distract", "either",
      ("{V}'s mother has since died.", {}),
      ("{V}'s grandfather, who reported the matter, is now deceased.", {}),
      )
group("access_yes", "either",
      ("{S} now works as a school bus driver.", {"access_to_children": "yes"}),
      ("{S} lives with his partner and her three young children.", {"access_to_children": "yes"}),
      ("{S} volunteers at a youth football club.", {"access_to_children": "yes"}),
      ("Recent intelligence is that {S} drives children to school for a local taxi firm.", {"access_to_children": "yes"}),
      )
group("access_no", "either",
      ("{S} lives alone and checks show no access to children.", {"access_to_children": "no"}),
      ("Current checks show the suspect has no access to children.", {"access_to_children": "no"}),
      )
group("flight_yes", "either",
      ("{S} travels regularly to Pakistan and has property there.", {"flight_risk": "yes"}),
      ("{S} is believed to have left the UK in {year}.", {"flight_risk": "yes"}),
      ("{S} has family and business interests abroad and travels often.", {"flight_risk": "yes"}),
      ("Port alerts show {S} flew to Dubai twice last year.", {"flight_risk": "yes"}),
      )
group("flight_no", "either",
      ("{S} has no known ties abroad and has never held a passport.", {"flight_risk": "no"}),
      ("No travel history or overseas ties are known for any suspect.", {"flight_risk": "no"}),
      )

# Suspects identified (text) -------------------------------------------------------------------------
group("ident_no", "either",
      ("Suspect not identified beyond a first name.", {"suspects_identified": "no"}),
      ("The second male is known only as \"{nick}\".", {"suspects_identified": "no"}),
      ("One suspect known only by the nickname {nick} and a {car}.", {"suspects_identified": "no"}),
      ("The driver of the {car} was never identified.", {"suspects_identified": "no", "open_lines": "yes"}),
      ("A male called \"{nick}\" remains unidentified.", {"suspects_identified": "no"}),
      ("Offender unknown; described only as Asian male, 30s.", {"suspects_identified": "no"}),
      )

# Open lines (beyond the ones tagged above) ---------------------------------------------------------
group("open_yes", "either",
      ("Actions raised for house-to-house enquiries were never resulted.", {"open_lines": "yes"}),
      ("A phone number given by {V} for {nick} was noted but no subscriber checks were done.", {"open_lines": "yes"}),
      ("CCTV at the takeaway was identified but not recovered.", {"open_lines": "yes", "honeypot_locations": "yes"}),
      ("The lines of inquiry identified by the DS were not followed up.", {"open_lines": "yes"}),
      ("Forensic opportunities at the flat were not pursued.", {"open_lines": "yes", "honeypot_locations": "yes"}),
      ("Exhibits not submitted for examination.", {"open_lines": "yes"}),
      )
group("open_no", "either",
      ("All reasonable lines of inquiry have been completed.", {"open_lines": "no"}),
      ("Every action raised has been resulted.", {"open_lines": "no"}),
      ("All lines of enquiry were exhausted.", {"open_lines": "no"}),
      )

# Several actions in one sentence (two items each) -------------------------------------------------
group("combo", "either",
      ("The suspect was not interviewed but {V} was ABE interviewed on {date}.",
       {"suspects_interviewed": "no", "abe_interview": "yes", "open_lines": "yes"}),
      ("{V} was ABE interviewed and {S} was arrested and interviewed under caution.",
       {"abe_interview": "yes", "suspects_interviewed": "yes"}),
      ("Neither an ABE nor a suspect interview took place.",
       {"abe_interview": "no", "suspects_interviewed": "no", "open_lines": "yes"}),
      ("{S} was interviewed and his phone downloaded, but {V} declined an ABE.",
       {"suspects_interviewed": "yes", "abe_interview": "no"}),
      ("{V}'s phone was downloaded but the suspect's handset was not seized.",
       {"phones_examined": "no", "open_lines": "yes"}),
      ("No ABE was conducted, the phone was not seized and the suspects were not interviewed.",
       {"abe_interview": "no", "phones_examined": "no", "suspects_interviewed": "no", "open_lines": "yes"}),
      ("ABE completed on {date}; however the suspects were never interviewed.",
       {"abe_interview": "yes", "suspects_interviewed": "no", "open_lines": "yes"}),
      ("Following a VRI, {S} was arrested, interviewed and released with no further action.",
       {"abe_interview": "yes", "suspects_interviewed": "yes"}),
      ("ANPR was checked but taxi records and social media were not.",
       {"wider_digital": "yes", "open_lines": "yes"}),
      ("Children's services records were obtained, but {V}'s school was never approached.",
       {"third_party_material": "yes", "open_lines": "yes"}),
      ("Although {S} was interviewed, it is unclear whether an ABE was ever held.",
       {"suspects_interviewed": "yes", "abe_interview": None}),
      ("{V} did not want to give an ABE, and {S} was never traced for interview.",
       {"abe_interview": "no", "suspects_interviewed": "no", "open_lines": "yes"}),
      )

# Filler: 2010s case-file language that answers nothing ----------------------------------------------
FILLER = [
    "IP attended the front office with her mother on {date}.", "Report received via 101.",
    "{oic} allocated as OIC.", "Strategy meeting held on {date} with partner agencies.",
    "CPS advice sought: NFA.", "Case to be filed pending further information.",
    "Supervisor's review completed; NFA authorised by DS {surname}.",
    "Victim's account is that she met the males through a friend.", "Initial account obtained by PC {surname}.",
    "Medical examination declined.", "CSE risk assessment completed: high.",
    "Victim reported missing on 6 occasions during {year}.", "Matter discussed at the MASE meeting.",
    "The OIC has made several attempts to contact {V} without success.",
    "Victim is in LA care at a children's home in {town}.", "Mother is supportive of a prosecution.",
    "Evidential difficulties: no independent witnesses.", "Victim has not supported a prosecution.",
    "Victim withdrew support and does not want police involvement.",
    "Insufficient evidence to provide a realistic prospect of conviction.",
    "Mother does not wish to pursue the matter.",
    "Case reviewed by DI {surname}; no further action.", "{V} was seen by a CSE nurse.",
]
RATIONALE_OPENERS = ["NFA.", "Rationale for NFA:", "No further action.", "NFA decision -", "Filed:", ""]
VICTIM_REFS = ["the victim", "the IP", "the injured party", "the complainant", "{vfirst}", "the girl"]
SUSPECT_REFS = ["the suspect", "{sname}", "{sfull}", "SUSPECT 1", "the male", "{sname}"]
CARS = ["silver Vauxhall Astra", "black BMW", "white Toyota Prius", "red Ford Focus", "grey VW Golf"]
NICKS = ["Taz", "Kaz", "Sonny", "Dee", "Smiley", "Boss", "Rocky", "Sly", "Ace", "Bash", "Jaz"]

# What kinds of item a case mentions; each case draws several groups.
ITEM_GROUPS = {
    "abe_interview": ["abe_yes", "abe_no", "abe_no", "abe_hedge"],
    "suspects_interviewed": ["sint_yes", "sint_no", "sint_no", "sint_hedge"],
    "victim_blaming": ["blame_yes"],
    "under16_consent": ["consent", "consent", "consent_no"],
    "exhibits_retained": ["exh_yes", "exh_no", "exh_hedge"],
    "phones_examined": ["phone_yes", "phone_no", "phone_hedge"],
    "wider_digital": ["dig_yes", "dig_no", "dig_hedge"],
    "honeypot_locations": ["place_yes"],
    "other_victims": ["others_yes", "others_no", "others_hedge"],
    "third_party_material": ["tp_yes", "tp_no"],
    "modern_slavery": ["travel"],
    "warnings_history": ["warn_yes", "warn_no", "warn_hedge"],
    "victim_criminalised": ["crim_yes", "crim_no"],
    "suspects_alive": ["alive_yes", "alive_no"],
    "access_to_children": ["access_yes", "access_no"],
    "flight_risk": ["flight_yes", "flight_no"],
    "suspects_identified": ["ident_no"],
    "open_lines": ["open_yes", "open_no"],
    "combo": ["combo"],
}
DISTRACTORS = ["sint_distract", "place_distract", "tp_distract", "crim_distract", "alive_distract"]


def _split_bank() -> dict[str, dict[str, list]]:
    out = {"tune": {}, "heldout": {}}
    for (name, where), entries in BANK.items():
        for i, (text, truth) in enumerate(entries):
            split = "tune" if i % 2 == 0 else "heldout"
            out[split].setdefault(name, []).append((text, truth, where))
    return out


def _lower_first(s: str) -> str:
    return s[0].lower() + s[1:] if len(s) > 1 and s[1].islower() else s


class _Case:
    def __init__(self, r: random.Random, fake: Faker, n: int, split: str, bank: dict):
        self.r, self.fake, self.bank = r, fake, bank[split]
        self.id = f"{split}-{n:03d}"
        self.split = split
        self.truth: dict[str, str | None] = {}
        self.summary: list[str] = []
        self.rationale: list[str] = []
        self.vfirst = fake.first_name_female()
        self.suspects = self._suspects()
        self.age = r.choice([11, 12, 13, 13, 14, 14, 15, 15, 15, 16, 17, None])
        y = r.randint(2009, 2019)
        self.offence = date(y, 1, 1) + timedelta(days=r.randint(0, 364))
        self.nfa = self.offence + timedelta(days=r.randint(60, 500))
        self.offence_text = self.offence.isoformat() if r.random() < 0.9 else ""
        self.exhibits = r.choice(["yes", "no", "unknown", "", "Y", "N", "unknown"])

    def _suspects(self) -> list[dict]:
        r, f = self.r, self.fake
        out = []
        for _ in range(r.choices([0, 1, 2, 3], [10, 50, 25, 15])[0]):
            dob = (date(1960, 1, 1) + timedelta(days=r.randint(0, 9000))).isoformat()
            s = {"forenames": f.first_name_male(), "surname": f.last_name(), "dob": dob}
            roll = r.random()
            if roll < 0.12:
                s["surname"] = ""          # known by a first name only
            elif roll < 0.25:
                s["dob"] = ""
            out.append(s)
        return out

    def fill(self, text: str) -> str:
        r, f = self.r, self.fake
        named = [s for s in self.suspects if s["surname"]]
        s1 = named[0] if named else None
        s2 = named[1] if len(named) > 1 else None
        sub = {
            "V": r.choice(VICTIM_REFS), "S": r.choice(SUSPECT_REFS), "S2": "the second male",
            "date": r.choice([self.offence.strftime("%d/%m/%Y"), self.offence.strftime("%d.%m.%y"),
                              self.nfa.strftime("%-d %B %Y")]),
            "town": f.city(), "town2": f.city(), "street": f.street_name(),
            "oic": f"DC {r.randint(1000, 9999)} {f.last_name().upper()}", "car": r.choice(CARS),
            "nick": r.choice(NICKS), "nick2": r.choice(NICKS), "friend": f.first_name_female(),
            "year": str(r.randint(2010, 2022)), "exh": f"{f.random_uppercase_letter()}{f.random_uppercase_letter()}/{r.randint(1, 20)}",
            "surname": f.last_name().upper(), "vrm": f"Z{f.random_uppercase_letter()}{r.randint(51, 69)} "
                                                     f"{f.random_uppercase_letter()}{f.random_uppercase_letter()}{f.random_uppercase_letter()}",
        }
        text = text.replace("{V}", sub["V"]).replace("{S}", sub["S"]).replace("{S2}", sub["S2"])
        sub["vfirst"] = self.vfirst
        sub["sname"] = s1["forenames"] if s1 else "the male"
        sub["sfull"] = f"{s1['forenames']} {s1['surname'].upper()}" if s1 else "the suspect"
        if s2 and "{S2}" in text:
            sub["S2"] = f"{s2['forenames']} {s2['surname'].upper()}"
        out = text.format(**sub)
        return out[0].upper() + out[1:]

    def add(self, name: str) -> bool:
        entries = self.bank.get(name)
        if not entries:
            return False
        text, truth, where = self.r.choice(entries)
        items = {k for k in truth if not k.startswith("_")}
        if "_consent" in truth:
            items.add("under16_consent")
        if "_travel" in truth:
            items.add("modern_slavery")
        if items & set(self.truth) - {"open_lines"}:
            return False               # one statement per item: a record does not contradict itself
        if "suspects_alive" in truth and truth["suspects_alive"] == "no" and "All" not in text and len(self.suspects) > 1:
            return False               # 'the suspect died' answers 'is one alive?' only with one suspect
        if name == "exh_yes" or name == "exh_no" or name == "exh_hedge":
            if self.exhibits.lower() in ("yes", "no", "y", "n"):
                return False           # the field already answers; the text is only asked when it doesn't
        have = self.truth.get("open_lines")
        if truth.get("open_lines") and have and have != truth["open_lines"]:
            return False               # 'all lines completed' beside 'phone not seized'
        for k, v in truth.items():
            if k == "_consent":
                self.truth["under16_consent"] = None if self.age is None else ("yes" if self.age < 16 else "na")
                if self.age is not None and self.age < 16:
                    self.truth["cps_guidance"] = "no"
                self.truth["victim_blaming"] = "yes"   # 'consented', 'went willingly': victim-blaming language
            elif k == "_travel":
                self.truth["modern_slavery"] = "yes" if self._after_msa() else "na"
            else:
                self.truth[k] = v
        sentence = self.fill(text)
        if where == "rationale" or (where == "either" and self.r.random() < 0.35):
            self.rationale.append(sentence)
        else:
            self.summary.append(sentence)
        return True

    def _after_msa(self) -> bool:
        when = self.offence if self.offence_text else self.nfa
        return when >= MSA

    def finish(self) -> dict:
        r = self.r
        # Structured answers, from the fields as a reviewer reads them.
        ex = self.exhibits.lower()
        if ex in ("yes", "y"):
            self.truth["exhibits_retained"] = "yes"
        elif ex in ("no", "n"):
            self.truth["exhibits_retained"] = "no"
        if "suspects_identified" not in self.truth:
            if self.suspects and any(not s["surname"] or not s["dob"] for s in self.suspects):
                self.truth["suspects_identified"] = "no"
            elif self.suspects:
                self.truth["suspects_identified"] = "yes"
        if self.age is not None and self.age >= 16:
            self.truth["under16_consent"] = "na"
        when = self.offence if self.offence_text else self.nfa
        if when < MSA:
            self.truth["modern_slavery"] = "na"
        # Filler and distractors around the statements, in no particular order.
        for _ in range(r.randint(1, 4)):
            self.summary.insert(r.randint(0, len(self.summary)), self.fill(r.choice(FILLER)))
        for _ in range(r.randint(0, 2)):
            d = self.bank.get(r.choice(DISTRACTORS))
            if d:
                text, _t, _w = r.choice(d)
                self.summary.insert(r.randint(0, len(self.summary)), self.fill(text))
        # Several actions run together in one sentence now and then, as officers write.
        self.summary = self._run_on(self.summary)
        opener = r.choice(RATIONALE_OPENERS)
        rationale = self._run_on(self.rationale or [self.fill(r.choice(FILLER[16:]))])
        sep = "\n" if r.random() < 0.2 else " "
        return {
            "id": self.id, "split": self.split,
            "victim_age": self.age, "offence_date": self.offence_text, "nfa_date": self.nfa.isoformat(),
            "exhibits_retained": self.exhibits, "suspects": self.suspects, "victim_forenames": self.vfirst,
            "summary": sep.join(self.summary),
            "nfa_rationale": (opener + " " if opener else "") + " ".join(rationale),
            "truth": {k: self.truth[k] for k in sorted(self.truth)},
        }

    def _run_on(self, sentences: list[str]) -> list[str]:
        out = []
        for s in sentences:
            if out and self.r.random() < 0.2 and out[-1].endswith("."):
                out[-1] = out[-1][:-1] + self.r.choice([", and ", "; ", " and "]) + _lower_first(s)
            else:
                out.append(s)
        return out


def make(split: str, n: int, seed: int) -> list[dict]:
    r = random.Random(seed)
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    bank = _split_bank()
    cases = []
    for i in range(n):
        c = _Case(r, fake, i, split, bank)
        items = r.sample(list(ITEM_GROUPS), r.randint(3, 8))
        for item in items:
            c.add(r.choice(ITEM_GROUPS[item]))
        cases.append(c.finish())
    return cases


def main() -> None:
    for split, n, seed in (("tune", 220, 16), ("heldout", 120, 1616)):
        with open(HERE / f"{split}.jsonl", "w", encoding="utf-8") as f:
            for case in make(split, n, seed):
                f.write(json.dumps(case, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
