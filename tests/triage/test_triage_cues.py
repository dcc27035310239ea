"""The language cues' ASCII twins (weights._ascii_twin) find exactly what the cue's own pattern finds."""
import random
import re

from triage_app.triage.weights import LanguageCue, _ascii_twin, load

WORDS = ["consent", "Consented", "CONSENTUAL", "credible", "not believed", "unreliable", "fantasist", "lied",
         "lifestyle", "life-style", "promiscuous", "street-wise", "boyfriend", "missing episode", "missing from care",
         "absconded", "went missing", "withdrew", "withdrawn", "does not support", "unwilling", "declined to assist",
         "she", "the", "victim", "16", "_", "x"]
SEPARATORS = [" ", "  ", ".", ",", "-", "'", "\n", "\t", "\x1c", "\x1f", "_", "0", ""]


def _texts(n: int, seed: int = 5) -> list[str]:
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        parts = []
        for _ in range(rnd.randint(1, 8)):
            w = rnd.choice(WORDS)
            if rnd.random() < 0.3:   # a few letters in the other case, or cut short
                w = "".join(c.swapcase() if rnd.random() < 0.3 else c for c in w)[:rnd.randint(1, len(w))]
            parts += [w, rnd.choice(SEPARATORS)]
        out.append("".join(parts))
    return out


def test_every_shipped_cue_has_a_twin_that_finds_the_same_in_ascii_texts():
    cues = load().language
    assert all(c.ascii is not None for c in cues)
    texts = _texts(20000)
    found = 0
    for cue in cues:
        for t in texts:
            a, b = cue.pattern.search(t), cue.search(t)
            assert (a and a.span()) == (b and b.span()), (cue.name, t)
            found += a is not None
    assert 0.1 * len(texts) < found < 4 * len(texts)   # the texts do hit and miss


def test_a_text_not_all_in_ascii_is_searched_by_the_cue_itself():
    # "K" below is the Kelvin sign: Unicode matches it as k case-insensitively, ASCII rules would not.
    cue = LanguageCue("k", re.compile(r"\bkid\b", re.IGNORECASE), 1, "r", False, _ascii_twin(r"\bkid\b"))
    assert cue.ascii is not None
    assert cue.search("a \u212aID seen") and cue.search("a KID seen") and not cue.search("a kidney")


def test_no_twin_where_the_two_rules_could_differ():
    for pattern in [r"consent\s+given", r"\bKelvin\u212a", "\u212aid", r"\x4bid", r"(?u)kid", r"(?i)kid",
                    r"\N{KELVIN SIGN}", r"(a)\1", "[\u0100-\u017f]", r"\Svx", "\\U0001F600", "(unclosed"]:
        assert _ascii_twin(pattern) is None, pattern
    for pattern in [r"\bconsent(ed|ing)?\b", r"not believ\w*", r"life-style", r"\d{2}\.\W", r"a\-b\\"]:
        assert _ascii_twin(pattern) is not None, pattern
