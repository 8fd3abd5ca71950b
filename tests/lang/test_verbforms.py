"""Darija verb paradigms: hand-checked forms for each class, and the shipped darija_verbs.tsv is
exactly what the generator makes from darija_verb_roots.tsv."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pytest

from siyada.lang.build import main, write_verbs
from siyada.lang.lexicon import read_tsv
from siyada.lang.verbforms import light, parse_root, parse_roots, spellings, verb_table

DATA = resources.files("siyada.lang").joinpath("data")
ARABIC_WORD = re.compile(r"^[\u0621-\u063a\u0641-\u064a\u06ad]+$")  # ڭ writes Moroccan /g/


def forms(line: str) -> dict[str, list[str]]:
    """Arabic form -> its spellings, for one roots line written with "|" for tabs."""
    return dict(verb_table([parse_root(line.replace("|", "\t"))]))


def spelled(table: dict[str, list[str]], latin: str) -> list[str]:
    return [arabic for arabic, spellings in table.items() if latin in spellings]


def test_sound_verb_kteb() -> None:
    t = forms("sound|كتب|kteb|-|-|top")
    expected = {
        "kteb": "كتب", "ktebt": "كتبت", "ktbt": "كتبت", "ktebti": "كتبتي", "ktbat": "كتبات",
        "ktebna": "كتبنا", "ktebtou": "كتبتو", "ktbto": "كتبتو", "ktbou": "كتبو", "ktbo": "كتبو",
        "nekteb": "نكتب", "ykteb": "يكتب", "ikteb": "يكتب", "tktbi": "تكتبي", "yktbou": "يكتبو",
        "kankteb": "كنكتب", "katktbi": "كتكتبي", "kayktbou": "كيكتبو", "tankteb": "تنكتب",
        "taykteb": "تيكتب", "maktebch": "ماكتبش", "maktebtch": "ماكتبتش", "maktbatch": "ماكتباتش",
        "makayktebch": "ماكيكتبش", "matktbich": "ماتكتبيش", "ghankteb": "غانكتب", "ktbi": "كتبي",
        "ktebni": "كتبني", "ktbek": "كتبك", "ktebha": "كتبها", "ktebhom": "كتبهم", "kanktbek": "كنكتبك",
    }  # fmt: skip
    for latin, arabic in expected.items():
        assert spelled(t, latin) == [arabic], latin
    assert "كتابت" not in t  # the old generator's 3sf
    assert not spelled(t, "kanekteb")  # the epenthetic vowel is typed in bare forms only


def test_final_weak_verb_mcha() -> None:
    t = forms("weak|مشا|mcha|-|-|alt=مشى")
    assert spelled(t, "mcha") == ["مشا", "مشى"]
    for latin, arabic in {
        "mchit": "مشيت", "mchiti": "مشيتي", "mchat": "مشات", "mchina": "مشينا", "mchitou": "مشيتو",
        "mchaw": "مشاو", "mchaou": "مشاو", "ymchi": "يمشي", "tmchi": "تمشي", "kaymchiw": "كيمشيو",
        "mamchach": "مامشاش", "mamchitch": "مامشيتش", "makaymchich": "ماكيمشيش", "ghanmchi": "غانمشي",
        "mchi": "مشي", "mchiw": "مشيو",
    }.items():  # fmt: skip
        assert spelled(t, latin) == [arabic], latin
    assert "مامشىش" not in t  # the second spelling is for the bare past only


def test_final_weak_verb_with_a_present_9ra() -> None:
    t = forms("weak|قرا|9ra|قرا|9ra|q")
    for latin, arabic in {"9rit": "قريت", "y9ra": "يقرا", "yqra": "يقرا", "t9ray": "تقراي", "kan9raw": "كنقراو",
                          "ma9rach": "ماقراش", "qrat": "قرات"}.items():  # fmt: skip
        assert spelled(t, latin) == [arabic], latin
    assert not spelled(forms("sound|قلب|9leb|-|-|-"), "qleb")  # q only where flagged


def test_hollow_verb_qal_gal() -> None:
    t = forms("hollow|قال|gal,9al|قول|goul,9oul|top;dat")
    for latin, arabic in {
        "gal": "قال", "9al": "قال", "glt": "قلت", "gelt": "قلت", "golt": "قلت", "9olt": "قلت", "gelti": "قلتي",
        "galet": "قالت", "galt": "قالت", "galou": "قالو", "ygoul": "يقول", "ygol": "يقول", "tgouli": "تقولي",
        "kangoulou": "كنقولو", "goul": "قول", "gol": "قول", "magalch": "ماقالش", "maygoulch": "مايقولش",
        "galni": "قالني", "galek": "قالك", "galha": "قالها", "galli": "قالي", "goulliya": "قوليا",
    }.items():  # fmt: skip
        assert spelled(t, latin) == [arabic], latin
    assert "گال" not in t


def test_doubled_verb_7ebb() -> None:
    t = forms("doubled|حب|7ebb|-|-|top")
    for latin, arabic in {
        "7ebb": "حب", "7ebbit": "حبيت", "7bit": "حبيت", "7ebbiti": "حبيتي", "7ebbat": "حبات", "7ebbina": "حبينا",
        "7ebbou": "حبو", "y7ebb": "يحب", "kan7ebb": "كنحب", "t7ebbi": "تحبي", "kay7ebbou": "كيحبو",
        "ma7ebbch": "ماحبش", "makan7ebbch": "ماكنحبش", "kan7ebbek": "كنحبك", "7ebbitek": "حبيتك", "7ebbni": "حبني",
    }.items():  # fmt: skip
        assert spelled(t, latin) == [arabic], latin
    assert not spelled(t, "7bbit")  # schwa dropped next to a written geminate: not how people type


def test_form_two_sellem() -> None:
    t = forms("II|سلم|sellem,sallem|-|-|-")
    for latin, arabic in {
        "sellem": "سلم", "sallem": "سلم", "selem": "سلم", "slm": "سلم", "sellemt": "سلمت", "sellmat": "سلمات",
        "sellmou": "سلمو", "kaysellem": "كيسلم", "tsellmi": "تسلمي", "masellemch": "ماسلمش",
    }.items():  # fmt: skip
        assert spelled(t, latin) == [arabic], latin
    assert not spelled(t, "sllm")


def test_quadriliteral_sayfet() -> None:
    t = forms("quad|صيفط|sayfet,sifet|-|-|top;dat")
    for latin, arabic in {
        "sayfet": "صيفط", "sifet": "صيفط", "sayfett": "صيفطت", "siftat": "صيفطات", "sayftou": "صيفطو",
        "kansifet": "كنصيفط", "kaysayftou": "كيصيفطو", "masayfetch": "ماصيفطش", "sayfti": "صيفطي",
        "sayfetni": "صيفطني", "sifetliya": "صيفطليا", "sayfetlek": "صيفطلك",
    }.items():  # fmt: skip
        assert spelled(t, latin) == [arabic], latin


def test_irregular_kla_and_ja() -> None:
    t = forms("irregular|كلا|kla|اكل|akol|imp=كول:koul")
    for latin, arabic in {"klit": "كليت", "nakol": "ناكل", "kayakol": "كياكل", "takli": "تاكلي", "yaklou": "ياكلو",
                          "koul": "كول", "kol": "كول", "kouli": "كولي", "makanakolch": "ماكناكلش"}.items():  # fmt: skip
        assert spelled(t, latin) == [arabic], latin
    t = forms("irregular|جا|ja|جي|ji|imp=أجي:aji")
    for latin, arabic in {"jit": "جيت", "jat": "جات", "kayji": "كيجي", "aji": "أجي", "ajiw": "أجيو",
                          "majach": "ماجاش"}.items():  # fmt: skip
        assert spelled(t, latin) == [arabic], latin


def test_loan_verb_keeps_its_vowels() -> None:
    t = forms("loan|تيليشارجا|telecharja|تيليشارجي|telecharji|loan")
    for latin, arabic in {"telecharjit": "تيليشارجيت", "kaytelecharji": "كيتيليشارجي", "telecharji": "تيليشارجي",
                          "matelecharjitch": "ماتيليشارجيتش"}.items():  # fmt: skip
        assert spelled(t, latin) == [arabic], latin
    assert not any(s.startswith("tlch") for ss in t.values() for s in ss)


def test_form_eight_and_five() -> None:
    t = forms("VIII|حتاج|7taj|-|-|-")
    assert spelled(t, "7tajit") == ["حتاجيت"] and spelled(t, "kay7taj") == ["كيحتاج"]
    t = forms("V|تعشا|t3echa|تعشا|t3echa|-")
    assert spelled(t, "t3echit") == ["تعشيت"] and spelled(t, "kant3echa") == ["كنتعشا"]
    assert spelled(t, "t3echaw") == ["تعشاو"]


def test_form_eight_sound_verb_7tarem() -> None:
    t = forms("VIII|حترم|7tarem|-|-|top")
    for latin, arabic in {
        "7taremt": "حترمت", "7tarmt": "حترمت", "7taremna": "حترمنا", "7tarmat": "حترمات", "7tarmou": "حترمو",
        "n7tarem": "نحترم", "ne7tarem": "نحترم", "y7tarem": "يحترم", "i7tarem": "يحترم", "t7tarmi": "تحترمي",
        "kay7tarmou": "كيحترمو", "tan7tarem": "تنحترم", "ma7taremch": "ماحترمش", "may7tarmouch": "مايحترموش",
        "ghan7tarem": "غانحترم", "7tarmi": "حترمي", "7taremni": "حترمني", "kan7tarmek": "كنحترمك",
        "m7tarem": "محترم", "m7tarma": "محترمة", "m7tarmin": "محترمين",
    }.items():  # fmt: skip
        assert spelled(t, latin) == [arabic], latin
    assert spelled(t, "7tarem") == ["حترم", "احترم"]  # the MSA alif is a second spelling of the bare past
    assert "حترميت" not in t and "ماحترماتش" in t and "مااحترمش" not in t
    t = forms("VIII|شتغل|chtaghel|-|-|-")
    for latin, arabic in {"chtaghelt": "شتغلت", "chtaghlat": "شتغلات", "kaychtaghlou": "كيشتغلو",
                          "kanchtaghel": "كنشتغل", "shtaghelt": "شتغلت", "machtaghelch": "ماشتغلش",
                          "mchtaghla": "مشتغلة"}.items():  # fmt: skip
        assert spelled(t, latin) == [arabic], latin


def test_form_eight_long_and_weak_verbs() -> None:
    t = forms("VIII|رتاح|rta7|-|-|-")
    for latin, arabic in {"rta7it": "رتاحيت", "rta7at": "رتاحات", "rta7ou": "رتاحو", "kanrta7": "كنرتاح",
                          "mrta7": "مرتاح", "mrta7a": "مرتاحة", "mrta7in": "مرتاحين"}.items():  # fmt: skip
        assert spelled(t, latin) == [arabic], latin
    t = forms("VIII|شتكا|chtka|شتكي|chtki|-")
    for latin, arabic in {"chtkit": "شتكيت", "chtkat": "شتكات", "chtkaw": "شتكاو", "kaychtki": "كيشتكي",
                          "machtkach": "ماشتكاش"}.items():  # fmt: skip
        assert spelled(t, latin) == [arabic], latin
    assert "مشتكا" not in t  # no participle for the final-weak shape


def test_spelling_habits() -> None:
    assert light("kteb") == "ktb" and light("akol") == "akl" and light("chouf") == "chouf"
    assert spellings("ktebtou") == ["ktebtou", "ktbtou", "ktebto", "ktbto", "ktebtu"]
    assert "shouf" in spellings("chouf") and "5dit" in spellings("khdit")
    assert "qrit" not in spellings("9rit") and "qrit" in spellings("9rit", frozenset({"q"}))
    assert spellings("nEkteb") == ["nekteb"]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("strong|كتب|kteb|-|-|-", "unknown class"),
        ("hollow|شاف|chaf|-|-|-", "needs its present"),
        ("sound|كتب|kteb|-|-|top;big", "unknown flag"),
        ("sound|كتب|Kteb|-|-|-", "bad latin"),
        ("sound|كتب|kteb|-|-", "6 tab-separated"),
    ],
)
def test_malformed_root_lines_are_refused(line: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_root(line.replace("|", "\t"))


def test_roots_file_errors_name_the_line() -> None:
    header = "class\tpast_ar\tpast_latin\tpresent_ar\tpresent_latin\tflags"
    with pytest.raises(ValueError, match="line 3"):
        parse_roots(f"# comment\n{header}\nsound\tكتب\n")
    with pytest.raises(ValueError, match="header"):
        parse_roots("sound\tكتب\tkteb\t-\t-\t-\n")


def test_shipped_verbs_file_is_what_the_generator_makes(tmp_path: Path) -> None:
    write_verbs(tmp_path)
    assert (tmp_path / "darija_verbs.tsv").read_text(encoding="utf-8") == DATA.joinpath("darija_verbs.tsv").read_text(
        encoding="utf-8"
    )
    assert main(["--verbs-only", "--out", str(tmp_path), "--shared", str(tmp_path / "absent")]) == 0


def test_shipped_verbs_file_is_well_formed() -> None:
    text = DATA.joinpath("darija_verbs.tsv").read_text(encoding="utf-8")
    assert text.startswith("# Darija verb forms, GENERATED") and "darija_verb_roots.tsv" in text[:300]
    rows = read_tsv("darija_verbs.tsv", 2)
    assert 20_000 < len(rows) < 100_000
    arabic = [a for _, a in rows]
    assert len(arabic) == len(set(arabic)), "one line per Arabic form"
    for latin, word in rows:
        assert ARABIC_WORD.match(word), word  # no diacritics, tatweel, spaces or Latin
        spelled = latin.split(",")
        assert len(spelled) == len(set(spelled)) and all(re.fullmatch(r"[a-z0-9]+", s) for s in spelled), latin


def test_roots_cover_the_verbs_of_every_class() -> None:
    roots = parse_roots(DATA.joinpath("darija_verb_roots.tsv").read_text(encoding="utf-8"))
    assert len(roots) >= 400
    classes = {"sound", "weak", "hollow", "doubled", "II", "III", "quad", "V", "VIII", "X", "loan"}
    assert {r.cls for r in roots} >= classes
    assert sum("top" in r.flags for r in roots) >= 60
    index = {s: a for latin, a in read_tsv("darija_verbs.tsv", 2)[::-1] for s in latin.split(",")}
    for latin, arabic in {"ktbat": "كتبات", "kaychouf": "كيشوف", "sayfet": "صيفط", "kancharji": "كنشارجي",
                          "telechargit": "تيليشارجيت", "bghit": "بغيت", "khellest": "خلصت", "7taremt": "حترمت",
                          "kaychtaghlou": "كيشتغلو"}.items():  # fmt: skip
        assert index.get(latin) == arabic, latin
