"""Language identification: every label, every script, and the ugly inputs."""

from __future__ import annotations

import pytest

from siyada.lang import LABELS, identify, identify_batch


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("wach kayn chi 7al?", "ary_Latn"),
        ("3afak a khoya, fin nta?", "ary_Latn"),
        ("rani f tri9, chwiya w nwsel", "ary_Latn"),
        ("واش كاين شي حل؟ عافاك عطيني شوية ديال الما", "ary_Arab"),
        ("أنا ماعرفتش آش ندير دابا", "ary_Arab"),
        ("أعلنت الحكومة عن خطة جديدة لدعم المشاريع الصغيرة.", "arb_Arab"),
        ("هل يمكنك أن تساعدني في فهم هذا الدرس؟", "arb_Arab"),
        ("ⴰⵣⵓⵍ ⴼⵍⵍⴰⵡⵏ ⵎⴰⵏⵣⴰⴽⵉⵏ", "zgh_Tfng"),
        ("Ur ẓriɣ ara d acu ara d-iniɣ.", "ber_Latn"),
        ("Riɣ ad ddɣ s tgmmi.", "ber_Latn"),
        ("Je voudrais prendre rendez-vous avec le médecin demain.", "fra_Latn"),
        ("I'll call you when I get home.", "eng_Latn"),
        ("¿Dónde está la estación de tren?", "spa_Latn"),
    ],
)
def test_labels(text: str, label: str) -> None:
    result = identify(text)
    assert result.label == label, result
    assert 0.0 <= result.score <= 1.0
    assert result.label in LABELS


@pytest.mark.parametrize("text", ["", "   \n\t", "😂😂😂", "https://example.com/a?b=c", "0612345678", "!!!", "@USER"])
def test_bad_inputs_are_und_with_low_score(text: str) -> None:
    result = identify(text)
    assert result.label == "und" and result.score <= 0.1


def test_noise_around_real_text_is_ignored() -> None:
    result = identify("RT @USER: wach kayn chi 7al? 😂😂 https://t.co/xyz #maroc")
    assert result.label == "ary_Latn"


def test_top_k_sorted_and_sized() -> None:
    result = identify("salam khoya labas?", k=3)
    assert len(result.top) == 3
    scores = [s for _, s in result.top]
    assert scores == sorted(scores, reverse=True)
    assert result.top[0] == (result.label, result.score)
    assert result.script == "Latn"


def test_variety_only_for_berber() -> None:
    assert identify("Ur fhimeɣ ara, ttxil-k, efk-iyi aman.").variety == "kab"
    assert identify("wach kayn chi 7al?").variety is None


def test_batch_matches_single() -> None:
    texts = ["wach kayn chi 7al?", "", "ⵜⴰⵎⴰⵣⵉⵖⵜ", "Bonjour tout le monde"]
    assert [r.label for r in identify_batch(texts)] == [identify(t).label for t in texts]


def test_one_megabyte_line_is_bounded() -> None:
    result = identify("wach kayn chi 7al " * 60_000)
    assert result.label == "ary_Latn"


def test_cache_overflow_and_threads_keep_scores_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from siyada.lang import nbmodel
    from siyada.lang.lid import _lid_model

    texts = [f"wach kayn chi 7al {i} zwin{i}a bzaf" for i in range(300)] + ["Bonjour tout le monde"] * 50
    expected = [(r.label, r.score) for r in identify_batch(texts)]
    model = _lid_model()
    monkeypatch.setattr(nbmodel, "CACHE_LIMIT", len(model._ids) + 20)  # force resets mid-batch
    model.clear_cache()
    results: list[list[tuple[str, float]]] = []

    def work() -> None:
        results.append([(r.label, r.score) for r in identify_batch(texts)])

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    model.clear_cache()
    assert results and all(r == expected for r in results)


def test_empty_cache_gives_the_same_answers() -> None:
    from siyada.lang.lid import _lid_model

    texts = ["wach kayn chi 7al?", "Ur fhimeɣ ara", "كنبغي نمشي للسينما", "Bonjour tout le monde"]
    expected = [(r.label, r.score) for r in identify_batch(texts)]
    model = _lid_model()
    model.clear_cache(keep_frequent=False)
    assert len(model._ids) == 0
    try:
        assert [(r.label, r.score) for r in identify_batch(texts)] == expected
    finally:
        model.clear_cache()
    assert len(model._ids) > 0


def test_batch_preparation_matches_one_text_at_a_time() -> None:
    texts = [
        "wach\nkayn chi 7al",
        "<a\nhref=x>salam</a> khoya",
        "www.<x salam",
        "",
        "\n\n",
        "mail x@y.com bzzzaaf",
        "😂😂",
        "İstanbul\nwach nta",
        "كنبغي\nنمشي للسينما ce soir",
        "ⵜⴰⵎⴰⵣⵉⵖⵜ\nⴰⵣⵓⵍ",
    ]
    batch = identify_batch(texts, k=3)
    for text, got in zip(texts, batch, strict=True):
        alone = identify(text, k=3)
        assert (got.label, got.score, got.top, got.script) == (alone.label, alone.score, alone.top, alone.script), text
    # A newline is whitespace: the batch join must not merge or split texts.
    assert [r.label for r in batch[:2]] == ["ary_Latn", "ary_Latn"]
    assert batch[4].label == "und"


def test_count_letters_lines_matches_count_letters() -> None:
    from siyada.lang.script import count_letters, count_letters_lines

    lines = ["wach 3afak", "بزاف ديال", "ⵜⴰⵎⴰⵣⵉⵖⵜ", "", "😂 abc ⴰ ب", "\ud800x"]
    assert count_letters_lines("\n".join(lines), len(lines)) == [count_letters(t) for t in lines]


@pytest.mark.parametrize(
    ("text", "other"),
    [
        ("N'importe quoi dye3t une heure de ma vie", "fra_Latn"),
        ("this song is amazing and I love the video so much 3jbatni", "eng_Latn"),
        # The negation circumfix ma…ch marks Darija as the letter-digits do.
        ("Honestly I mafhemtch this movie at all", "eng_Latn"),
    ],
)
def test_arabizi_word_in_french_or_english_is_code_switched_darija(text: str, other: str) -> None:
    result = identify(text, k=3)
    assert result.label == "ary_Latn"
    assert result.score == 0.5
    assert result.top[1][0] == other


@pytest.mark.parametrize(
    "text",
    [
        "the meeting is on the 3rd floor at 7pm",
        "je suis au 2eme etage depuis 9h",
        "download the mp3 and the 5km map",
        "rendez-vous à 9h30 demain matin",
    ],
)
def test_ordinals_units_and_times_are_not_arabizi(text: str) -> None:
    assert identify(text).label in {"eng_Latn", "fra_Latn"}


def test_confident_berber_keeps_its_label_despite_a_digit_loan() -> None:
    assert identify("Tanmirt i k a 3ezizi").label == "ber_Latn"


@pytest.mark.parametrize(
    ("text", "other"),
    [
        ("What a great match yesterday, the whole stadium was singing together, lah ykhlihom lina", "eng_Latn"),
        ("Merci pour cette vidéo très intéressante et bien expliquée, lah ykhlik khouya", "fra_Latn"),
        ("Les prix ont encore augmenté ce mois-ci au marché, walakin chno ndiro", "fra_Latn"),
    ],
)
def test_a_darija_phrase_in_french_or_english_is_code_switched_darija(text: str, other: str) -> None:
    result = identify(text, k=3)
    assert (result.label, result.score) == ("ary_Latn", 0.5)
    assert result.top[1] == (other, 0.5)


@pytest.mark.parametrize(
    "text",
    [
        "We visited Wadi Halfa and Bab Doukkala yesterday",
        "The Grand Mosque of Hassan II and the old medina of Fes el Bali are worth a visit",
        "Sidi Bou Said is beautiful in summer",
    ],
)
def test_arabic_place_names_in_english_are_not_a_darija_phrase(text: str) -> None:
    assert identify(text).label != "ary_Latn"
