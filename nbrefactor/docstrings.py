"""Docstrings from a section's markdown, and the literal that holds one.

A notebook's markdown is written for a reader of the notebook: headings, links, images, quotes, long
unwrapped lines. A function's docstring is a short plain-text summary that fits the line length. So the
docstring is the first paragraph of prose under the heading, as plain text:

- links keep their text, images and HTML tags go, emphasis, code and math marks go (their text stays),
  entities are decoded; headings, code blocks, tables and rules are never the docstring;
- a block quote counts as prose (its `>` marks go); a list keeps one `- item` per item;
- a paragraph longer than `MAX_SUMMARY` characters keeps its leading sentences up to that length (at
  least the first, cut at a word with "..." when the first alone is too long);
- the text is wrapped to `width`, the room left on a line after the indentation, counting the
  opening quotes.

Everything after the docstring is returned as `rest`: the sentences cut from the paragraph (plain text),
then the markdown that followed it, as written. What the script does with it is the caller's choice.
"""
import html
import re
import textwrap
from typing import Iterator, List, Tuple

MAX_SUMMARY = 320
QUOTES = '"""'

_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_ATX_HEADING = re.compile(r"^\s{0,3}#{1,6}(\s|$)")
_SETEXT_UNDERLINE = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_TABLE_ROW = re.compile(r"^\s*\|")
_QUOTE_MARKS = re.compile(r"^(\s{0,3}>\s?)+")
_LIST_ITEM = re.compile(r"^\s{0,3}([-*+]|\d{1,9}[.)])\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[]?[A-Z0-9])")

# Inline markdown, applied in this order outside code spans.
_INLINE = (
    (re.compile(r"<!--.*?-->", re.S), ""),
    (re.compile(r"!\[[^\]]*\](\([^)]*\)|\[[^\]]*\])"), ""),
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),
    (re.compile(r"\[([^\]]*)\]\[[^\]]*\]"), r"\1"),
    (re.compile(r"<((?:https?|ftp|mailto):[^>\s]+)>"), r"\1"),
    (re.compile(r"<br\s*/?>", re.I), " "),
    (re.compile(r"</?[A-Za-z][^>]*>"), ""),
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"\*(?=\S)(.+?)(?<=\S)\*"), r"\1"),
    (re.compile(r"(?<![A-Za-z0-9])_(?=\S)(.+?)(?<=\S)_(?![A-Za-z0-9])"), r"\1"),
    (re.compile(r"~~(.+?)~~"), r"\1"),
    (re.compile(r"\$\$?([^$]+?)\$\$?"), r"\1"),
)
# Code spans and backslash escapes: their text is kept as written, never read as marks.
_HELD = "\ue000"
_LITERAL = re.compile(r"(`+)(.+?)\1|\\([\\`*_{}\[\]()#+\-.!|>~$])", re.S)


def docstring_from_markdown(text: str, width: int = 84) -> Tuple[str, str]:
    """(docstring text, rest): the first prose paragraph of `text` as wrapped plain text, and what follows it.

    `width` is the room on a line after the indentation (88 minus the indentation's width).
    """
    lines = _lines(text)
    unquoted = [_QUOTE_MARKS.sub("", line) for line in lines]
    for start, end in _paragraphs(unquoted):
        summary, cut = _summary(unquoted[start:end], width)
        if summary:
            following = next((index for index in range(end, len(lines)) if unquoted[index].strip()), len(lines))
            rest = "\n".join(lines[following:]).rstrip("\n")
            return summary, "\n\n".join(part for part in (cut, rest) if part)
    return "", ""


def plain_text(markdown: str) -> str:
    """Inline markdown as plain text on one line: link text kept, images and tags dropped, marks removed."""
    kept: List[str] = []

    def hold(match: "re.Match[str]") -> str:
        kept.append(match.group(2) or match.group(3))
        return f"{_HELD}{len(kept) - 1}{_HELD}"

    text = _strip_marks(_LITERAL.sub(hold, markdown.replace(_HELD, "")))
    text = re.sub(f"{_HELD}(\\d+){_HELD}", lambda match: kept[int(match.group(1))], text)
    return " ".join(text.split())


def _strip_marks(text: str) -> str:
    for pattern, replacement in _INLINE:
        text = pattern.sub(replacement, text)
    return html.unescape(text)


def _paragraphs(lines: List[str]) -> Iterator[Tuple[int, int]]:
    """(start, end) of each paragraph: lines that are not blank, headings, code blocks, rules or tables."""
    index, start = 0, None
    while index < len(lines):
        line = lines[index]
        if start is not None and _SETEXT_UNDERLINE.match(line):
            start = None
        elif _FENCE.match(line) or _ATX_HEADING.match(line) or _RULE.match(line) or not line.strip():
            if start is not None and not _is_table(lines[start:index]):
                yield start, index
            start = None
            if _FENCE.match(line):
                index = _fence_end(lines, index)
                continue
        elif start is None and not line.startswith(("    ", "\t")):
            start = index
        index += 1
    if start is not None and not _is_table(lines[start:]):
        yield start, len(lines)


def _fence_end(lines: List[str], index: int) -> int:
    fence = _FENCE.match(lines[index]).group(1)
    for end in range(index + 1, len(lines)):
        if lines[end].strip().startswith(fence):
            return end + 1
    return len(lines)


def _is_table(block: List[str]) -> bool:
    return all(_TABLE_ROW.match(line) for line in block)


def _summary(block: List[str], width: int) -> Tuple[str, str]:
    """The block as a wrapped docstring, and the sentences left out of it."""
    if _LIST_ITEM.match(block[0]):
        return _list_summary(block, width)
    text = plain_text("\n".join(block))
    kept, cut = _shortened(text)
    return _wrap(kept, width), cut


def _shortened(text: str) -> Tuple[str, str]:
    if len(text) <= MAX_SUMMARY:
        return text, ""
    sentences = _SENTENCE_END.split(text)
    kept = [sentences[0]]
    for sentence in sentences[1:]:
        if len(" ".join(kept + [sentence])) > MAX_SUMMARY:
            break
        kept.append(sentence)
    if len(kept[0]) > MAX_SUMMARY:
        words = textwrap.shorten(kept[0], MAX_SUMMARY, placeholder="")
        return words + "...", text[len(words):].strip()
    return " ".join(kept), " ".join(sentences[len(kept):])


def _list_summary(lines: List[str], width: int) -> Tuple[str, str]:
    """One `- item` per item, as many items as fit in MAX_SUMMARY (at least one); the others are cut."""
    items: List[str] = []
    for line in lines:
        if _LIST_ITEM.match(line):
            items.append(_LIST_ITEM.sub("", line))
        else:
            items[-1] += " " + line.strip()
    texts = [text for text in (plain_text(item) for item in items) if text]
    kept = 1
    while kept < len(texts) and len(" ".join(texts[: kept + 1])) <= MAX_SUMMARY:
        kept += 1
    wrapped = "\n".join(_wrap(text, width, "- ", "  ") for text in texts[:kept])
    return wrapped, "\n".join(f"- {text}" for text in texts[kept:])


def _wrap(text: str, width: int, first: str = "", later: str = "") -> str:
    """`text` wrapped so that no line, the first one with its opening quotes, passes `width`."""
    if len(QUOTES + first + text + QUOTES) <= width:
        return first + text
    lines = textwrap.wrap(
        text, width, initial_indent=QUOTES + first, subsequent_indent=later,
        break_long_words=False, break_on_hyphens=False,
    )
    return "\n".join([lines[0][len(QUOTES):]] + lines[1:])


# --- the literal -------------------------------------------------------------------------------------


def docstring_literal(text: str, indent: str) -> str:
    """A triple-quoted literal holding `text` exactly, whatever quotes or backslashes it contains.

    The text is first tidied as a docstring should be: blank space around it and at line ends goes,
    line breaks become `\\n`. Lines after the first are indented by `indent`. The literal is raw
    (`r\"\"\"...`) when the text has backslashes and no character that needs escaping, so LaTeX in a
    docstring stays readable.
    """
    text = "\n".join(line.rstrip() for line in _lines(text.strip()))
    if "\\" in text and _raw_safe(text):
        return "r" + _indented(text, indent)
    escaped = text.replace("\\", "\\\\")
    if QUOTES in escaped or escaped.endswith('"'):
        escaped = escaped.replace('"', '\\"')
    return _indented("".join(_escape_control(ch) for ch in escaped), indent)


def _raw_safe(text: str) -> bool:
    return (
        QUOTES not in text
        and not text.endswith(("\\", '"'))
        and all(_escape_control(ch) == ch for ch in text)
    )


def _indented(body: str, indent: str) -> str:
    lines = body.split("\n")
    if len(lines) == 1:
        return f"{QUOTES}{lines[0]}{QUOTES}"
    rest = "\n".join((indent + line) if line else "" for line in lines[1:])
    return f"{QUOTES}{lines[0]}\n{rest}\n{indent}{QUOTES}"


def _lines(text: str) -> List[str]:
    """Lines split at newlines only: other separators (form feed, \\x1e) stay characters of the text."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _escape_control(ch: str) -> str:
    if ch in "\n\t" or (ch.isprintable() and ch not in "\u2028\u2029\x85"):
        return ch
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
