"""Where a card's content cues (lexicon.CUES, lexicon.DESCRIBE_CUES) stand: the candidates detect.py checks.

One Aho-Corasick pass (ahocorasick-rs, a DFA in Rust) over the UTF-8 of the card's lower-cased body
finds every occurrence of every cue at once, where a ``str.find`` per cue scans the card again for
each (a regex alternation of all cues is slower still). A cue is a candidate when it occurs and

* its whole words are tokens of the card (ASCII punctuation but "_" and ASCII white space split
  tokens). The last word of a phrase may be the start of a longer word in the card ("limitation"
  in "limitations"), so it counts only when the cue is that one word. An occurrence standing
  between token boundaries proves its words are tokens; none doing so settles it for a cue that is
  one whole word ("ner" only inside "inner"), so the card's text is tokenised only for the few
  phrases none of whose occurrences stands alone;
* or it is a CJK, Hangul or Cyrillic cue (no words: these scripts have no spaces between words,
  or inflect and take particles: "читчата" for "читчат", "학습했다"): its occurrence is enough;
* or it is a hardware cue ("a100": "8xA100" is one token) and the card states a duration.

Candidates come in lexicon order (CUES, then DESCRIBE_CUES; in each, word cues, then hardware
cues, then unspaced cues), so the first cue of a section found on a content line names the passage
that filled it, the same in every process.
"""

from __future__ import annotations

import re
import string

import ahocorasick_rs

from analysis.cards.lexicon import CUES, DESCRIBE_CUES, DURATION
from analysis.cards.sections import TEMPLATE_SECTIONS

_BIT = {s: 1 << i for i, s in enumerate(TEMPLATE_SECTIONS)}
# token boundaries: ASCII white space (what bytes.split() splits on) and ASCII punctuation but "_"
# (from_pretrained, learning_rate are one token each)
_SPLIT = " \t\n\r\x0b\x0c" + "".join(c for c in string.punctuation if c != "_")
_BOUNDARY = frozenset(_SPLIT.encode())  # as bytes of the UTF-8 text: a non-ASCII character's are >= 0x80
_TO_SPACE = bytes.maketrans(_SPLIT.encode(), b" " * len(_SPLIT))
_UNSPACED = re.compile("[\u0400-\u04ff\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
# a number, then a unit of time; after the spaces a unit's first letter must follow: most digits in
# a card (tables, versions) are turned down there, not by trying each unit
DURATION_RE = re.compile(
    r"\d\s*+(?=[hdmw小天日時分시일чдjst])"
    r"(?:hours?|hrs?|h\b|days?|minutes?|mins?|weeks?|小时|小時|天|日間|日|時間|分|시간|일|час|дн|horas|días|heures|jours"
    r"|stunden|tage)"
)
_DURATION_WORDS = tuple("hour hours hrs day days minutes mins weeks horas días heures jours stunden tage".split())
_LATER = 1 << 20  # orders hardware cues after word cues, unspaced cues after both
MAX_FINDS = 8  # occurrences of one cue checked before giving up on it
CHUNK = 1 << 16  # a longer body is tokenised a chunk at a time (memory stays flat)
WORDS, HARDWARE, UNSPACED = 0, 1, 2  # what makes an occurring cue a candidate (see the module docstring)
# (order in its pass, section bit, cue, what its line needs (lexicon.NUM...), its words, WORDS/HARDWARE/UNSPACED,
# an occurrence must follow a boundary, an occurrence must be followed by one, its words as b" word ",
# the cue is its one word)
Cue = tuple[int, int, str, int, tuple[bytes, ...], int, bool, bool, tuple[bytes, ...], bool]


def _words(cue: str) -> tuple[bytes, ...] | None:
    """The words that must be tokens of a card (None for a CJK, Hangul or Cyrillic cue)."""
    if _UNSPACED.search(cue):
        return None
    words = cue.encode().translate(_TO_SPACE).split()
    if len(words) > 1 and not cue.endswith(" "):
        words = words[:-1]
    return tuple(words) if words else None


def _entries(cues: dict) -> list[Cue]:
    """The cues of one pass in their order: word cues, hardware cues, unspaced cues, each in lexicon order."""
    out: list[Cue] = []
    for rank, (slug, cue, need) in enumerate((s, c, n) for s, entries in cues.items() for c, n in entries):
        words = _words(cue)
        if words is None:
            out.append((_LATER * 2 + rank, _BIT[slug], cue, need, (), UNSPACED, False, False, (), False))
        elif need == DURATION:
            out.append((_LATER + rank, _BIT[slug], cue, need, (), HARDWARE, False, False, (), False))
        else:
            # a last word that ends the cue ("f1", "co₂") must end at a boundary in the card too
            whole_last = len(cue.encode().translate(_TO_SPACE).split()) == len(words)
            after = whole_last and cue.encode()[-1] not in _BOUNDARY
            padded = tuple(b" " + w + b" " for w in words)
            # the cue is its one word: every token of that word is an occurrence, so none standing between
            # boundaries means it is no token (no need to tokenise the card)
            alone = words == (cue.encode(),)
            out.append((rank, _BIT[slug], cue, need, words, WORDS, cue.encode()[0] not in _BOUNDARY, after, padded, alone))
    out.sort()
    return out


_PASSES = (_entries(CUES), _entries(DESCRIBE_CUES))
# the duration words are searched for too: a card states a duration only when one is a token
_PATTERNS = sorted({c[2] for p in _PASSES for c in p} | set(_DURATION_WORDS))
_INDEX = {cue: i for i, cue in enumerate(_PATTERNS)}
_BYTES = {cue: len(cue.encode()) for cue in _PATTERNS}
_BY_PATTERN: tuple[dict[int, list[Cue]], ...] = ({}, {})  # per pass: pattern index -> its cues
for _by_pattern, _pass in zip(_BY_PATTERN, _PASSES, strict=True):
    for _c in _pass:
        _by_pattern.setdefault(_INDEX[_c[2]], []).append(_c)
# overlapping matches: every occurrence of every cue, as str.find from one past the last would find them.
# The text is searched as UTF-8 bytes: the str search's conversion of offsets costs 2-3x the search.
_AUTOMATON = ahocorasick_rs.BytesAhoCorasick(
    [p.encode() for p in _PATTERNS], implementation=ahocorasick_rs.Implementation.DFA
)


class CardCues:
    """The cues occurring in ``low[body:end]`` (``low`` a card's lower-cased text, ``body`` at a newline)."""

    __slots__ = ("low", "body", "end", "occurring", "_at", "_offsets", "_matches", "_raw", "_ascii", "_tokens", "_padded", "_duration")

    def __init__(self, low: str, body: int, end: int) -> None:
        self.low, self.body, self.end = low, body, end
        part = low[body:end]
        self._ascii = part.isascii()  # byte offsets are character offsets
        self._raw = part.encode() if self._ascii else part.encode("utf-8", "surrogatepass")
        self._matches = _AUTOMATON.find_matches_as_indexes(self._raw, overlapping=True)
        self.occurring = {m[0] for m in self._matches}  # pattern indexes
        self._at: dict[str, list[int]] = {}
        self._offsets: dict[str, list[int]] = {}
        self._tokens: set[bytes] | None = None
        self._padded: bytes | None = None
        self._duration: bool | None = None

    def candidates(self, which: int, filled: int) -> list[Cue]:
        """The occurring cues of pass ``which`` (0: CUES, 1: DESCRIBE_CUES) of sections not in ``filled``, in order."""
        by_pattern = _BY_PATTERN[which]
        found = [c for i in self.occurring if (cs := by_pattern.get(i)) for c in cs if not filled & c[1]]
        found.sort()
        return found

    def at(self, cue: str) -> list[int]:
        """Where the first MAX_FINDS occurrences of an occurring cue start (overlapping ones too), in text order."""
        found = self._at.get(cue)
        if found is None:
            found = self._bytes_at(cue)[:MAX_FINDS]
            if not self._ascii:
                found = self._char_offsets(found)
            body = self.body
            found = self._at[cue] = [body + b for b in found]
        return found

    def _bytes_at(self, cue: str) -> list[int]:
        """The byte offset in the body's UTF-8 of every occurrence of an occurring cue, in text order."""
        found = self._offsets.get(cue)
        if found is None:
            i = _INDEX[cue]
            found = self._offsets[cue] = [m[1] for m in self._matches if m[0] == i]
        return found

    def _char_offsets(self, starts: list[int]) -> list[int]:
        """Byte offsets of match starts (ascending) as character offsets (a UTF-8 pattern matches at a character start)."""
        raw = self._raw
        out = []
        b = c = 0
        for start in starts:
            c += len(raw[b:start].decode("utf-8", "surrogatepass"))
            out.append(c)
            b = start
        return out

    def admits(self, c: Cue) -> bool:
        """Is an occurring cue a candidate (its words are tokens; hardware only with a duration)?"""
        if c[5] == WORDS:
            # boundaries are ASCII: checked on the UTF-8 bytes, whatever the script around them
            raw = self._raw
            n = _BYTES[c[2]]
            stop = len(raw)
            for b in self._bytes_at(c[2]):
                if (not c[6] or raw[b - 1] in _BOUNDARY) and (not c[7] or b + n >= stop or raw[b + n] in _BOUNDARY):
                    return True
            # a long body's chunked tokens also hold pieces of tokens cut at a chunk's start: look them up
            return (not c[9] or self.end - self.body > CHUNK) and all(self._token(w) for w in c[8])
        if c[5] == HARDWARE:
            if self._duration is None:
                self._duration = self._states_duration()
            return self._duration
        return True

    def _states_duration(self) -> bool:
        low, body, end = self.low, self.body, self.end
        unspaced = not low.isascii() and _UNSPACED.search(low, body, end) is not None
        if not unspaced:
            if end - body > CHUNK:
                said = any(self._token(b" " + w.encode() + b" ") for w in _DURATION_WORDS)
            else:
                said = any(_INDEX[w] in self.occurring and self._alone(w) for w in _DURATION_WORDS)
            if not said:
                return False
        return DURATION_RE.search(low, body, end) is not None

    def _alone(self, word: str) -> bool:
        """Does an occurrence of ``word`` (an occurring pattern) stand between token boundaries?"""
        raw = self._raw
        n = _BYTES[word]
        stop = len(raw)
        return any(raw[b - 1] in _BOUNDARY and (b + n >= stop or raw[b + n] in _BOUNDARY) for b in self._bytes_at(word))

    def _token(self, padded_word: bytes) -> bool:
        """Is ``padded_word`` (b" word ") a token of the card?"""
        if self.end - self.body > CHUNK:
            if self._tokens is None:
                self._tokens = self._chunked_tokens()
            return padded_word[1:-1] in self._tokens
        if self._padded is None:
            raw = self._raw if self._ascii else self.low[self.body : self.end].encode("utf-8", "replace")
            self._padded = b" " + raw.translate(_TO_SPACE) + b" "
        return padded_word in self._padded

    def _chunked_tokens(self) -> set[bytes]:
        low, start, stop = self.low, self.body, self.end
        found: set[bytes] = set()
        for at in range(start, stop, CHUNK):
            # chunks overlap by a few characters so a token cut at a chunk's end is whole in the next one
            found.update(low[at : min(stop, at + CHUNK + 64)].encode("utf-8", "replace").translate(_TO_SPACE).split())
        return found
