"""The Aho-Corasick cue finder (analysis/cards/cues.py) against the plain rules it implements: every
occurrence of a cue where ``str.find`` would find it, in character offsets whatever the script before
it, and a one-word cue counted only where it is a whole token of the card (issue 15)."""

from __future__ import annotations

import re
import string

import pytest

from analysis.cards.cues import CHUNK, MAX_FINDS, WORDS, CardCues

SPLIT = " \t\n\r\x0b\x0c" + "".join(c for c in string.punctuation if c != "_")
TOKENS = re.compile(f"[^{re.escape(SPLIT)}]+")

CARDS = [
    "# model\n\nThis model was trained on 8 A100 GPUs for 3 days; limitations: it is biased.\n",
    "# モデル説明\n\nこのモデルは日本語のテキストで学習しました。Training data: wikipedia. inner dinner\n",
    "# Модель\n\nОграничения: модель обучена на русском корпусе. evaluation results below, bias, risks\n",
    "# 모델\n\n이 모델은 한국어 데이터로 학습했다. The training_data field and learning_rate=3e-5.\n",
    "# x\n\n" + ("ünïcödé filler, " * 7000) + "\nThe model was evaluated on squad; limitations are listed.\n",
]


def occurring_cues(cues: CardCues) -> list:
    return [c for which in (0, 1) for c in cues.candidates(which, 0)]


@pytest.mark.parametrize("card", CARDS, ids=["en", "ja", "ru", "ko", "long"])
def test_cue_offsets_are_where_str_find_finds_them(card):
    low = card.lower()
    body = low.index("\n")
    cues = CardCues(low, body, len(low))
    found = occurring_cues(cues)
    assert found, "the card holds cues: some must be found"
    for c in found:
        cue = c[2]
        expected, at = [], low.find(cue, body)
        while at != -1 and len(expected) < MAX_FINDS:
            expected.append(at)
            at = low.find(cue, at + 1)
        assert cues.at(cue) == expected, cue
        for pos in cues.at(cue):
            assert low[pos:pos + len(cue)] == cue


@pytest.mark.parametrize("card", CARDS, ids=["en", "ja", "ru", "ko", "long"])
def test_a_one_word_cue_counts_only_as_a_whole_token(card):
    low = card.lower()
    body = low.index("\n")
    cues = CardCues(low, body, len(low))
    tokens = set(TOKENS.findall(low[body:]))
    one_word = [c for c in occurring_cues(cues) if c[5] == WORDS and c[9]]
    for c in one_word:
        assert cues.admits(c) == (c[2] in tokens), c[2]


def test_the_cards_check_both_outcomes_of_the_token_rule():
    outcomes = set()
    for card in CARDS:
        low = card.lower()
        cues = CardCues(low, low.index("\n"), len(low))
        outcomes |= {cues.admits(c) for c in occurring_cues(cues) if c[5] == WORDS and c[9]}
    assert outcomes == {True, False}  # "ner" inside "inner" is turned down, "limitations" counts


def test_the_long_card_is_past_one_chunk_and_its_late_cues_are_found():
    low = CARDS[-1].lower()
    assert len(low) > CHUNK
    cues = CardCues(low, low.index("\n"), len(low))
    late = {c[2] for c in occurring_cues(cues) if cues.at(c[2]) and cues.at(c[2])[0] > CHUNK}
    assert late, "cues after the first 64K characters are found"
