"""Which template sections a card fills, judged on the content of its passages (issue 15).

The definition is ../shared/CARD_SECTIONS.md: a section is filled by content about this model,
wherever it stands, in any language; a heading is one signal, not the decision. A card is cut into
passages: the untitled text before the first heading, then one passage per heading (its own body).
A section is filled when

* a passage whose heading maps to it (sections.py, any of nine languages) has content (no
  placeholder, "Unknown" or template sentence only, see placeholders.py) and passes the
  section's content check: a combined "Intended uses & limitations" passage fills Bias, Risks, and
  Limitations only with a real limitation statement, a "Training" passage holding install or usage
  code and no training words fills Training Details not, an Evaluation passage needs a number and a
  Citation passage a reference;
* or a content cue of the section (lexicon.py: "achieves the following results" with numbers,
  ``@article{``, ``from_pretrained``, "learning rate", "このモデルは", ...) stands on a content line
  of any passage;
* or, for Model Details, the title paragraph or untitled text describes the model in prose (a
  sentence of five words or more, not a badge, link list, image or the repo name).

Known boilerplate fills nothing it does not answer: an ML-Agents card fills only Model Details and
How to Get Started (boilerplate.py); the template's, DreamBooth notebooks', fastai's and skops'
sentences, placeholder code and the OpenRAIL notice are no content (placeholders.py); links to a
tool's own repository are no More Information, a table of contents fills nothing.

Which cues occur, and whether they count (their whole words are tokens of the card), is cues.py's
job: one Aho-Corasick pass over the card instead of a ``str.find`` per cue. The candidates are tried
in lexicon order: the first cue of a section found on a content line names the passage that filled
it, the same in every process (a set's order changes with the hash seed).
"""

from __future__ import annotations

import bisect
import re

from analysis.cards.boilerplate import allowed_sections
from analysis.cards.cues import DURATION_RE, CardCues
from analysis.cards.lexicon import CUES, DURATION, GENERIC_LINKS, NUM
from analysis.cards.placeholders import COMMENT, content_at, is_filled
from analysis.cards.sections import TEMPLATE_SECTIONS

_BIT = {s: 1 << i for i, s in enumerate(TEMPLATE_SECTIONS)}
_USES, _BIAS, _START, _TRAIN, _MD, _CITE, _EVAL = (
    _BIT["uses"],
    _BIT["bias_risks_limitations"],
    _BIT["how_to_get_started"],
    _BIT["training_details"],
    _BIT["model_details"],
    _BIT["citation"],
    _BIT["evaluation"],
)
_CJK = re.compile("[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_FENCE = re.compile(r"^[ \t]*(```|~~~).*?(?:^[ \t]*\1[^\n]*$|\Z)", re.S | re.M)
_COMMENT = re.compile(COMMENT, re.S)
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
# a number standing alone (a score, a count), not inside a URL, an id or a name
_DECIMAL = re.compile(r"\d")
_NUMBER = re.compile(r"(?<![\w./#=-])\d+(?:[.,]\d+)?(?![\w/-])")
_REPO = re.compile(r"github\.com/[\w.-]+/[\w.-]+")
_URL = re.compile(r"https?://\S+")
_WORD = re.compile(r"[^\W\d_]{2,}")
_REFERENCE = ("arxiv", "doi", "et al", "paper", "proceedings", "journal", "title", "author", "论文", "論文", "논문")
_NOT_PROSE = ("|", "<", "!", "[", "```", "~~~", "    ", "\t")
MAX_LINE = 2_000


_SECTION_CUES = {_BIT[s]: tuple(c for c, _ in cues) for s, cues in CUES.items()}


def _has_cue(low: str, start: int, stop: int, bit: int) -> bool:
    """Any cue of one section in low[start:stop] (a short passage: plain finds)."""
    return any(low.find(c, start, stop) >= 0 for c in _SECTION_CUES[bit])


def _has_code(low: str, start: int, stop: int) -> bool:
    return low.find("```", start, stop) >= 0 or low.find("pip install", start, stop) >= 0


def _has_reference(low: str, start: int, stop: int) -> bool:
    """Does low[start:stop] name a publication (a BibTeX entry, arXiv, DOI, "et al.", a paper)?"""
    return any(low.find(w, start, stop) >= 0 for w in _REFERENCE)


def _prose(line: str) -> bool:
    line = line.strip().lstrip("#>-*+ ").strip()
    if not line or line.startswith(_NOT_PROSE) or "](#" in line:
        return False
    if "](" in line:
        line = _LINK.sub(r"\1", line)
    if "://" in line:
        line = _URL.sub("", line)
    return len(_WORD.findall(line)) >= 5 or (not line.isascii() and len(_CJK.findall(line)) >= 15)


def describes(text: str, start: int, stop: int) -> int:
    """Where text[start:stop] (start at a newline) holds a prose sentence (5+ words, or 15+ CJK
    characters) on a content line outside code blocks, HTML comments, links and HTML: the newline
    before that line, or -1."""
    fences = []  # code blocks and HTML comments: a sentence in them is no description
    if text.find("```", start, stop) >= 0 or text.find("~~~", start, stop) >= 0:
        fences = [m.span() for m in _FENCE.finditer(text, start, stop)]
    if text.find("<!--", start, stop) >= 0:
        fences += [m.span() for m in _COMMENT.finditer(text, start, stop)]
    pos = start
    while (at := content_at(text, pos, stop)) >= 0:
        le = text.find("\n", at + 1, stop)
        pos = le = stop if le < 0 else le
        if not any(a <= at < b for a, b in fences) and _prose(text[at + 1 : le]):
            return at
    return -1


class Passages:
    """A card's passages: ``starts``/``stops`` (offsets into the text), the heading's section mask
    (own or inherited; 0 for untitled text and unmapped headings), whether it has content, and
    whether it is an intro passage (untitled text, or an unmapped heading before any mapped one).
    """

    __slots__ = ("starts", "stops", "masks", "filled", "intro")

    def __init__(self, rows: list[tuple[int, int, int, bool | None, bool]]) -> None:
        """``rows``: (start, stop, mask, filled or None when not known yet, intro) in text order."""
        self.starts, self.stops, self.masks, self.filled, self.intro = (
            map(list, zip(*rows, strict=True)) if rows else ([], [], [], [], [])
        )

    def describing(self, i: int) -> bool:
        """Untitled or title text, or a passage under a description, uses or unmapped heading."""
        return self.intro[i] or not self.masks[i] or bool(self.masks[i] & (_MD | _USES))

    def at(self, pos: int) -> int:
        return bisect.bisect_right(self.starts, pos) - 1

    def has_content(self, text: str, i: int) -> bool:
        f = self.filled[i]
        if f is None:
            f = self.filled[i] = self.stops[i] > self.starts[i] and is_filled(text, self.starts[i], self.stops[i])
        return f


def _repo_link(low: str, pos: int) -> bool:
    """A link to a repository (owner/name: a profile is none) that is not a tool's or library's own."""
    return _REPO.match(low, pos) is not None and not low.startswith(GENERIC_LINKS, pos)


def _field_line(low: str, pos: int) -> bool:
    """A "Problem type: Binary Classification" field states the model's type (AutoTrain), not its use."""
    ls = low.rfind("\n", 0, pos) + 1
    return low.find("problem type", ls, pos) >= 0


def _cue_line_ok(text: str, low: str, pos: int, stop: int, need: int, ascii_text: bool) -> bool:
    ls = low.rfind("\n", 0, pos) + 1
    le = low.find("\n", pos, stop)
    if le < 0:
        le = stop
    if le - ls > MAX_LINE:
        return False  # a style sheet or a minified blob, not prose
    if low.find("](#", ls, le) >= 0:
        return False  # a table of contents names sections, it does not fill them
    if (
        need == NUM
        and _DECIMAL.search(low, ls, le) is None
        # str.isdigit also takes superscripts and circled digits, which \d does not
        and (ascii_text or not any(c.isdigit() for c in low[ls:le]))
    ):
        return False
    if need == DURATION and DURATION_RE.search(low, ls, le) is None:
        return False
    return is_filled(text, ls - 1, le)


def _find_cues(
    text: str, low: str, passages: Passages, cues: CardCues, which: int, filled: int, evidence: dict
) -> int:
    """Credit each candidate cue of pass ``which`` found on a content line (of a describing passage in pass 1)."""
    starts, stops = passages.starts, passages.stops
    ascii_text = low.isascii()
    scoped = which == 1
    for c in cues.candidates(which, filled):
        _, bit, cue, need = c[:4]
        if filled & bit or not cues.admits(c):
            continue
        for pos in cues.at(cue):
            i = bisect.bisect_right(starts, pos) - 1
            if (
                i >= 0
                and pos < stops[i]
                and (not scoped or passages.describing(i) and not _field_line(low, pos))
                and not (cue == "github.com/" and not _repo_link(low, pos))
                and _cue_line_ok(text, low, pos, stops[i], need, ascii_text)
            ):
                filled |= bit
                # shown from the cue's line: the passage's opening may be about something else
                evidence[TEMPLATE_SECTIONS[bit.bit_length() - 1]] = (low.rfind("\n", starts[i], pos), stops[i])
                break
    return filled


def detect(
    text: str, body: int, end: int, passages: Passages, title: tuple[int, int] | None = None
) -> tuple[int, dict[str, tuple[int, int]]]:
    """``(filled mask, section -> (start, stop) of the passage that filled it)``.

    ``title``: the span of the card's title heading line, if it has one; a title that is a sentence
    ("X DreamBooth model trained by Y with Z") describes the model.
    """
    evidence: dict[str, tuple[int, int]] = {}
    filled = 0
    n = len(passages.starts)
    if n == 0:
        return 0, evidence
    low = text.lower()
    if len(low) != len(text):  # a few characters lower-case to two (U+0130): keep offsets aligned
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    starts, stops, masks, intro = passages.starts, passages.stops, passages.masks, passages.intro

    def credit(bit: int, i: int, start: int | None = None) -> None:
        nonlocal filled
        filled |= bit
        evidence[TEMPLATE_SECTIONS[bit.bit_length() - 1]] = (starts[i] if start is None else start, stops[i])

    # 1. headings, checked on their content
    for i in range(n):
        mask = masks[i] & ~filled
        if not mask or not passages.has_content(text, i):
            continue
        s, e = starts[i], stops[i]
        if mask & _BIAS and masks[i] & _USES and not _has_cue(low, s, e, _BIAS):
            mask &= ~_BIAS  # "Intended uses & limitations" over a usage sentence
        if mask & _EVAL and _NUMBER.search(low, s, e) is None:
            mask &= ~_EVAL  # "Evaluation": "see the paper" is a pointer, not a result
        if mask & _CITE and not _has_cue(low, s, e, _CITE) and not _has_reference(low, s, e):
            mask &= ~_CITE  # "Citing & Authors" over an e-mail address
        if mask & _TRAIN and _has_code(low, s, e) and _has_cue(low, s, e, _START) and not _has_cue(low, s, e, _TRAIN):
            mask &= ~_TRAIN  # "Training" over installation steps
        while mask:
            bit = mask & -mask
            credit(bit, i)
            mask ^= bit

    # 2. the title, its paragraph or untitled text describing the model
    if not filled & _MD:
        for i in range(n):
            if intro[i] and (at := describes(text, starts[i], stops[i])) >= 0:
                credit(_MD, i, at)
                break
        else:
            if title is not None and describes(text, title[0] - 1, title[1]) >= 0:
                filled |= _MD
                evidence["model_details"] = title

    # 3. content cues anywhere (task statements only where the model is described)
    cues = CardCues(low, body, end)
    if cues.occurring:
        filled = _find_cues(text, low, passages, cues, 0, filled, evidence)
        filled = _find_cues(text, low, passages, cues, 1, filled, evidence)

    allowed = allowed_sections(text, body, end)
    if allowed is not None:
        filled &= sum(_BIT[s] for s in allowed)
        evidence = {s: span for s, span in evidence.items() if s in allowed}
    return filled, evidence
