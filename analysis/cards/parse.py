"""Model-card parser: ``parse_card(raw)`` reads a README.md into a :class:`ParsedCard`.

It never raises on bad input: every problem becomes an ``Issue`` on the result (codes in
:mod:`analysis.cards.parsed`) and the caller's batch goes on. Work and memory per card are bounded:
at most ``MAX_DECODE_CHARS`` of the input are decoded, at most ``MAX_FRONT_MATTER_CHARS`` reach YAML
(behind an alias-expansion budget, see yamlsafe), at most ``MAX_BODY_CHARS`` of body are sectioned,
at most ``headings.MAX_HEADINGS`` headings are kept.

The steps, one module each: decoding (here), the front matter (:mod:`analysis.cards.frontmatter`),
the headings (:mod:`analysis.cards.headings`), what each heading means
(:mod:`analysis.cards.sections`), whether a section is filled (:mod:`analysis.cards.placeholders`)
and the card's kind (:mod:`analysis.cards.kinds`).

Sections. A heading's body runs to the next heading of any level; its template section(s) come from
``sections.map_heading``; an unmapped heading inherits the section of its nearest enclosing heading
(except from a "Model Card for X" title, whose children are the whole card). A template section is
PRESENT when a heading maps to it; it is FILLED when the content of some passage answers it
(:mod:`analysis.cards.detect`). ``heading_filled_mask`` keeps the old heading-only reading (a mapped
heading with content) as a baseline.
"""

from __future__ import annotations

from analysis.cards.detect import Passages, detect
from analysis.cards.frontmatter import load_metadata, split_front_matter
from analysis.cards.headings import find_headings
from analysis.cards.kinds import card_kind, trainer_sentence
from analysis.cards.parsed import Issue, ParsedCard
from analysis.cards.placeholders import is_filled, section_filled
from analysis.cards.sections import MAX_MAPPED_HEADING, heading_info, section_mask
from analysis.cards.yamlsafe import MAX_FRONT_MATTER_CHARS

__all__ = ["MAX_BODY_CHARS", "MAX_DECODE_CHARS", "parse_card"]

MAX_BODY_CHARS = 1_000_000
TITLE_WORDS = 3  # a first heading longer than this that maps to Training only is the card's title
_TRAIN_MASK = section_mask(("training_details",))
MAX_DECODE_CHARS = MAX_FRONT_MATTER_CHARS + MAX_BODY_CHARS + 4096
# Random bytes decode to ~40% replacement characters; a mis-encoded text card (Latin-1 accents) to a few %
MAX_REPLACED_SHARE = 0.1
MIN_REPLACED = 32  # a short card with a mangled byte-order mark ("\ufffd\ufffdhello") is still text


# --- decoding -----------------------------------------------------------------------------------


def _decode(raw: bytes | bytearray | memoryview | str, issues: list[Issue]) -> tuple[str, bool]:
    """At most MAX_DECODE_CHARS of text, and whether the input was longer."""
    if isinstance(raw, str):
        truncated = len(raw) > MAX_DECODE_CHARS
        text = raw[:MAX_DECODE_CHARS] if truncated else raw
        if not text.isascii():
            try:
                text.encode("utf-8")
            except UnicodeEncodeError as e:  # lone surrogates from a lossy upstream decode
                issues.append(Issue("invalid_utf8", f"unencodable character at {e.start}"))
                text = text.encode("utf-8", "replace").decode("utf-8")
    else:
        truncated = len(raw) > MAX_DECODE_CHARS
        chunk = bytes(raw[:MAX_DECODE_CHARS])
        if chunk[:2] in (b"\xff\xfe", b"\xfe\xff"):
            issues.append(Issue("utf16", "UTF-16 byte-order mark; decoded as UTF-16"))
            return chunk.decode("utf-16", "replace"), truncated
        try:
            text = chunk.decode("utf-8")
        except UnicodeDecodeError as e:
            text = None
            if truncated and e.start >= len(chunk) - 3:  # our own cut split a character
                try:
                    text = chunk[: e.start].decode("utf-8")
                except UnicodeDecodeError:
                    pass
            if text is None:
                issues.append(Issue("invalid_utf8", f"invalid UTF-8 at byte {e.start}; replaced"))
                text = chunk.decode("utf-8", "replace")
    if text[:1] == "\ufeff":
        text = text[1:]
    return text, truncated


def parse_card(raw: bytes | bytearray | memoryview | str, *, repo_id: str | None = None) -> ParsedCard:
    """Parse one model card. Never raises for bad input: problems are issues (see analysis.cards.parsed).

    ``repo_id`` (optional) lets the repo name count as a kind signal ("...-GGUF" is a quant repack).
    """
    issues: list[Issue] = []
    input_size = len(raw)
    text, truncated = _decode(raw, issues)
    if "\x00" in text:
        issues.append(Issue("nul_bytes", f"{text.count(chr(0))} NUL characters removed"))
        text = text.replace("\x00", "")
    if "\r" in text:
        issues.append(Issue("crlf", "CR / CRLF line ends normalised to LF"))
        text = text.replace("\r\n", "\n").replace("\r", "\n")

    if not text.isascii() and (bad := text.count("\ufffd")) > max(MIN_REPLACED, len(text) * MAX_REPLACED_SHARE):
        # binary data under a README.md name: its "words" are noise, so nothing of it is read
        issues.append(Issue("not_text", f"{bad / len(text):.0%} of the characters could not be decoded; not read"))
        text = ""
    text = "\n" + text  # every line, the first included, starts after a newline
    fm, body = split_front_matter(text, issues)
    metadata = None
    cached = False
    if fm is not None:
        metadata, cached = load_metadata(fm, issues)

    end = len(text)
    if end - body > MAX_BODY_CHARS or truncated:
        limit = min(end, body + MAX_BODY_CHARS)
        cut = text.rfind("\n", body + 1, limit)
        end = cut if cut > body else limit
        issues.append(Issue("body_truncated", f"body cut to {end - body - 1} characters (input {input_size})"))

    heads = find_headings(text, issues, body, end)
    if any(h[4] == "setext" and len(h[3]) > MAX_MAPPED_HEADING for h in heads):
        # a paragraph over a "---" rule is prose, not a heading (markdown makes it one)
        heads = [h for h in heads if h[4] != "setext" or len(h[3]) <= MAX_MAPPED_HEADING]
    rows: list[tuple] = []
    present = filled_mask = template_headings = 0
    training_procedure = False
    pre_stop = heads[0][0] if heads else end
    passages = [(body, pre_stop, 0, None, True)]  # see detect.Passages
    intro = True  # unmapped headings before the first mapped one are the title paragraph's
    # (level, sections passed down, their mask, inheritable) of the enclosing headings
    stack: list[tuple[int, tuple[str, ...], int, bool]] = []
    n = len(heads)
    for i, (_, start, level, title, style) in enumerate(heads):
        stop = heads[i + 1][0] if i + 1 < n else end
        while stack and stack[-1][0] >= level:
            stack.pop()
        own, inheritable, is_template, low, mask = heading_info(title)
        if i == 0 and mask == _TRAIN_MASK and len(low.split()) > TITLE_WORDS:
            # the card's title names the model ("X Dreambooth model trained by Y", "Model Trained
            # Using AutoTrain"): "trained" in it is no Training heading, its paragraph is the intro
            own, mask = (), 0
        if is_template:
            template_headings += 1
            if low == "training procedure":
                training_procedure = True
        inherited = False
        if own:
            secs = own
            present |= mask
            stack.append((level, own, mask, inheritable))
        elif stack and stack[-1][3] and stack[-1][2]:
            _, secs, mask, _ = stack[-1]
            inherited = True
            stack.append((level, secs, mask, True))
        else:
            secs = ()
            stack.append((level, secs, 0, True))
        if secs:
            filled = section_filled(text, start, stop)
            if filled:
                filled_mask |= mask
            if inheritable or not own:
                intro = False
        else:
            filled = None  # computed on demand
        passages.append((start, stop, mask if secs else 0, filled, intro and (not secs or not inheritable)))
        rows.append(
            (title, level, secs, filled, stop - start - 1 if stop > start else 0, style, inherited, start, stop)
        )

    if (
        any(h[3] for h in heads)
        or is_filled(text, body, pre_stop)
        or filled_mask
        or any(is_filled(text, r[7], r[8]) for r in rows)
    ):
        kind = card_kind(text, body, end, metadata, heads, template_headings, training_procedure, repo_id)
    else:
        kind = "empty"

    title = (heads[0][0], heads[0][1]) if heads and not rows[0][2] else None
    content_mask, evidence = detect(text, body, end, Passages(passages), title) if kind != "empty" else (0, {})
    card = ParsedCard(
        metadata,
        issues,
        kind,
        fm is not None,
        max(end - body - 1, 0),
        input_size,
        cached,
        present,
        content_mask,
        None,
        None,
        rows,
        text,
        (body, pre_stop),
        heading_filled_mask=filled_mask,
        evidence=evidence,
    )
    if kind == "trainer" and (found := trainer_sentence(text, body, end)):
        card.fine_tuned_from, card.fine_tuned_on = found
    return card
