"""Names for the functions a conversion makes: the names a person would have written.

A section's function is named from its heading, read as an instruction: a verb and its object
(`Split Data into Training and Validation Sets` -> `split_data`). The reading is done with word
tables (nbrefactor.vocabulary), not a language model, and follows these rules:

- numbering, labels (`Step 3:`, `Exercise:`), markdown, math, parenthesised asides and openers
  (`Let's`) are dropped; letters NFKD can transliterate are kept, other characters dropped;
- a heading that starts with a verb (or its `-ing` form) keeps the verbs joined by `and`, then the
  object up to the first preposition or conjunction (`of` may extend it while the name stays short);
  a verb with no object takes the phrase after its preposition (`Looking for Correlations` ->
  `look_for_correlations`);
- a heading of nouns gets a verb: the action noun it ends with (`Data Cleaning` -> `clean_data`,
  `Model evaluation` -> `evaluate_model`), the verb its last noun takes (`Report` -> `make_report`,
  `Random Forest` -> `fit_random_forest`), or the verb of what the section does (`load`, `compute`,
  `make`) when the tables know none;
- a name never ends on an article, preposition or conjunction, and has at most `MAX_WORDS` words;
- a question or a heading that says nothing about the code (`Introduction`, `Exercise solutions`)
  gives no name: the section is then named from what it returns (`load_housing`, `compute_score`).

Names never collide with each other or with a name the script must not shadow, compared after NFKC
normalisation (the form Python gives identifiers). A collision is resolved with the heading's other
words, then with what the section binds (two `Train` sections: `train_model`, `train_forest`), and only
then with a number.
"""
import keyword
import os
import re
import unicodedata
from dataclasses import dataclass, replace
from typing import Dict, Iterable, Iterator, List, Optional, Sequence, Set, Tuple

from nbrefactor import vocabulary as words

MAX_WORDS = 5
DEFAULT_VERB = "make"
UNNAMED_VERB = "compute"
# Names the generated scripts define themselves: never given to a section.
RESERVED = frozenset({"main", "init", "run"})


def __getattr__(name: str):
    """STAR_IMPORT_NAMES is loaded on first use: most notebooks star-import nothing."""
    if name == "STAR_IMPORT_NAMES":
        from nbrefactor.star_import_names import STAR_IMPORT_NAMES

        return STAR_IMPORT_NAMES
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True)
class Candidate:
    """What naming knows about one section that becomes a function."""

    heading: str = ""
    name: str = ""
    binds: Tuple[str, ...] = ()
    result: str = ""


@dataclass(frozen=True)
class _Reading:
    """A heading read as an instruction: verbs, their object, and the heading's other words."""

    verbs: Tuple[str, ...]
    object: Tuple[str, ...]
    verb_given: bool = True
    tail: Tuple[str, ...] = ()
    others: Tuple[str, ...] = ()
    content: Tuple[str, ...] = ()

    def name(self, verb: str = DEFAULT_VERB) -> str:
        verbs = self.verbs if self.verb_given else (verb,)
        return "_".join(_fit(verbs, self.object))


def function_name(heading: str, verb: str = DEFAULT_VERB) -> str:
    """A verb-object function name for `heading`, or "" when the heading names nothing.

    `verb` is given to a heading of nouns whose last noun has no verb in the tables.
    """
    reading = _read(heading)
    name = reading.name(verb) if reading else ""
    return "" if keyword.iskeyword(name) else name


def name_functions(candidates: Sequence[Candidate], taken: Iterable[str]) -> List[str]:
    """A distinct function name for each candidate, shadowing none of `taken`, RESERVED or a keyword.

    An explicit `name` is kept as given, even where it shadows a taken name (ValueError if it is not an
    identifier or two are the same).
    """
    used = {_normal(name) for name in taken} | set(keyword.kwlist) | RESERVED
    explicit = _explicit_names(candidates)
    used |= {_normal(name) for name in explicit if name}
    names = []
    numbered: Dict[str, int] = {}  # base name -> the number its numbered names have reached
    for candidate, name in zip(candidates, explicit):
        if not name:
            name = next(option for option in _options(candidate, numbered) if _free(option, used))
            used.add(_normal(name))
        names.append(name)
    return names


# --- reading a heading ---------------------------------------------------------------------------------

_Parsed = Tuple[Tuple[str, ...], Tuple[str, ...], bool]


def _read(heading: str) -> Optional[_Reading]:
    """The heading's first clause that names something, read; None when the heading names nothing."""
    clauses, asides = _clauses(heading)
    for index, tokens in enumerate(clauses):
        if _is_question(tokens) or any(token in words.STATEMENT_VERBS for token in tokens):
            return None
        tokens = _strip_openers(tokens)
        meaning = _meaning(tokens)
        if meaning == "filler":
            continue
        parsed = _read_clause(tokens) if meaning else None
        if parsed is None:
            return None
        rest = [token for other in clauses[:index] + clauses[index + 1:] + [asides] for token in other]
        others = tuple(dict.fromkeys(token for token in rest if _is_content(token)))
        content = tuple(dict.fromkeys(token for token in tokens if _is_content(token) and token not in parsed[0]))
        return _Reading(*parsed, tail=_tail(tokens, parsed), others=others, content=content)
    return None


def _read_clause(tokens: List[str]) -> Optional[_Parsed]:
    tokens = [token for token in tokens if token not in words.EXAMPLES]
    phrase = " ".join(token for token in tokens if _is_word(token) and token not in words.DETERMINERS)
    if phrase in words.PHRASES:
        first, *rest = words.PHRASES[phrase].split("_")
        return (first,), tuple(rest), True
    return _read_verb_first(tokens) if _starts_with_verb(tokens) else _read_nouns(tokens)


def _read_verb_first(tokens: List[str]) -> _Parsed:
    """`Discover and Visualize the Data to Gain Insights` -> (discover, visualize), (data,)."""
    verbs, index = _verbs(tokens)
    room = MAX_WORDS - len(_verb_words(verbs))
    obj, index = _noun_phrase(tokens, index, room)
    if not obj and index < len(tokens) and tokens[index] in words.PREPOSITIONS:
        phrase, _ = _noun_phrase(tokens, index + 1, room - 1)
        obj = [tokens[index]] + phrase if phrase and len(phrase) < room else []
    return tuple(verbs), tuple(obj), True


def _verbs(tokens: List[str]) -> Tuple[List[str], int]:
    """The verbs a heading opens with (`Adding, inserting and removing`), and where they end.

    An action noun ending the heading joins them (`Fit and summary` -> fit, summarize)."""
    verbs, index = [_verb(tokens[0])], 1
    while index < len(tokens) and tokens[index] in (",", "and", "or"):
        after = index
        while after < len(tokens) and tokens[after] in (",", "and", "or"):
            after += 1
        word = tokens[after] if after < len(tokens) else ""
        verb = _verb(word) or (_action(word) if after + 1 == len(tokens) else "")
        if not verb:
            break
        verbs.append(verb)
        index = after + 1
    return verbs, index


def _read_nouns(tokens: List[str]) -> Optional[_Parsed]:
    """`Data Cleaning` -> (clean,), (data,); `Report` -> (make,), (report,)."""
    base, index = _noun_phrase(tokens, 0, MAX_WORDS - 1, extend=False)
    after = tokens[index] if base and index < len(tokens) else ""
    if after in words.COMPARISONS:
        other, _ = _noun_phrase(tokens, index + 1, MAX_WORDS - 2 - len(base), extend=False)
        return ("compare",), tuple(base + ["and"] + other if other else base), True
    if after in words.CONVERSIONS:
        return ("convert",), tuple(base), True
    if base and _compound(base):
        return (_compound(base),), tuple(base), True
    if base and _action(base[-1]):
        return _read_action(tokens, base, index)
    phrase, index = _listed_phrase(tokens, 0, MAX_WORDS - 1)
    if not phrase:
        return None
    verb = words.NOUN_VERBS.get(phrase[phrase.index("of") - 1] if "of" in phrase else phrase[-1])
    return ((verb,), tuple(phrase), True) if verb else ((), tuple(phrase), False)


def _read_action(tokens: List[str], phrase: List[str], index: int) -> _Parsed:
    """`Model evaluation` -> evaluate model; `Evaluation of the model` -> evaluate model."""
    verbs = [_action(phrase[-1])]
    modifiers = [word for word in phrase[:-1] if word not in words.VAGUE_ADJECTIVES]
    after = tokens[index] if index < len(tokens) else ""
    if modifiers and all(_is_adjective(word) for word in modifiers):
        if after != "of":
            return (), tuple(phrase), False
        modifiers = []
    obj = [_plural(word) for word in modifiers]
    if not obj and after == "and" and index + 2 == len(tokens) and _action(tokens[index + 1]):
        verbs.append(_action(tokens[index + 1]))
    elif not obj and after in words.PREPOSITIONS:
        following, _ = _listed_phrase(tokens, index + 1, MAX_WORDS - 2)
        obj = following if after == "of" else [after] + following if following else []
    return tuple(verbs), tuple(obj), True


def _noun_phrase(tokens: List[str], index: int, room: int, extend: bool = True) -> Tuple[List[str], int]:
    """Words from `index` up to a break (preposition, conjunction, punctuation), determiners skipped.

    With `extend`, `X and Y` and `X of Y` stay one phrase while it has at most `room` words.
    """
    phrase: List[str] = []
    while index < len(tokens):
        token = tokens[index]
        if token in words.DETERMINERS:
            index += 1
            continue
        if _is_break(token):
            if extend and phrase and token in ("and", "of"):
                more, end = _noun_phrase(tokens, index + 1, room, extend=False)
                if more and len(phrase) + 1 + len(more) <= room and not _verb(more[0]):
                    return phrase + [token] + more, end
            break
        if re.search("[a-z]", token):
            phrase.append(token)
        index += 1
    return phrase, index


def _listed_phrase(tokens: List[str], index: int, room: int) -> Tuple[List[str], int]:
    """A noun phrase; for a list of modifiers sharing one noun (`Zero, unit and normalized vectors`), the noun."""
    phrase, end = _noun_phrase(tokens, index, room)
    if len(phrase) != 1:
        return phrase, end
    last, after = None, end
    while after < len(tokens) and tokens[after] in (",", "and", "or"):
        conjunct, following = _noun_phrase(tokens, after + 1, room, extend=False)
        if not conjunct:
            break
        last, after = conjunct, following
    shared = last and len(last) > 1 and last[-1].endswith("s") and not phrase[0].endswith("s")
    return (last[1:], after) if shared else (phrase, end)


def _fit(verbs: Sequence[str], obj: Sequence[str]) -> List[str]:
    """At most MAX_WORDS words: the object loses its `of`/`and` part, then its first words, then extra verbs go."""
    verb_words, obj = _verb_words(verbs), list(obj)
    for connector in ("of", "and"):
        if _size(verb_words + obj) > MAX_WORDS and connector in obj[1:]:
            obj = obj[: obj.index(connector, 1)]
    while _size(verb_words + obj) > MAX_WORDS and len(obj) > 1:
        obj = obj[1:]
    if _size(verb_words + obj) > MAX_WORDS:
        verb_words = verb_words[:1]
    name = "_".join(verb_words + obj).split("_")[: max(MAX_WORDS, len(verb_words[:1]))]
    while len(name) > 1 and _dangles(name[-1]):
        name.pop()
    return name


def _size(name_words: Sequence[str]) -> int:
    """Words as they count in a name: `mini_batch` is two."""
    return sum(len(word.split("_")) for word in name_words)


def _verb_words(verbs: Sequence[str]) -> List[str]:
    return list(verbs[:1]) + [word for verb in verbs[1:] for word in ("and", verb)]


def _starts_with_verb(tokens: List[str]) -> bool:
    first, second = tokens[0], tokens[1] if len(tokens) > 1 else ""
    if not _verb(first):
        return False
    if first in words.NOUN_OR_VERB:
        return bool(second) and (second in words.DETERMINERS or _is_break(second))
    if first in words.MODIFIER_GERUNDS and second and _is_word(second):
        return second in words.DETERMINERS or _is_break(second)
    return True


def _verb(word: str) -> str:
    """The base form when `word` is a verb or its `-ing` form, else ""."""
    if word in words.VERBS:
        return word
    if word.endswith("ing") and len(word) > 4:
        stem = word[:-3]
        for base in (stem, stem + "e", stem[:-1] if stem[-1:] == stem[-2:-1] else ""):
            if base in words.VERBS:
                return base
    return ""


def _action(word: str) -> str:
    """The verb an action noun stands for (`evaluation` -> `evaluate`, `cleaning` -> `clean`), else ""."""
    for form in (word, word[:-1] if word.endswith("s") else ""):
        if form in words.NOMINALISATIONS:
            return words.NOMINALISATIONS[form]
    return _verb(word) if word.endswith("ing") and word not in words.MODIFIER_GERUNDS else ""


def _compound(phrase: List[str]) -> str:
    text = " ".join(phrase)
    return next((verb for compound, verb in words.COMPOUND_NOUNS.items() if text.endswith(compound)), "")


def _plural(word: str) -> str:
    return words.PLURAL_OBJECTS.get(word, word)


def _is_adjective(word: str) -> bool:
    return word[:1].isdigit() or (word.endswith(words.ADJECTIVE_ENDINGS) and word not in words.NOUNS_LIKE_ADJECTIVES)


def _is_question(tokens: List[str]) -> bool:
    opens = tokens[0] in words.QUESTION_WORDS and tokens[1:2] != ["to"]
    return opens or "?" in tokens


def _meaning(tokens: List[str]) -> str:
    """"" for a clause that names nothing (`Introduction to Python`, `u, g, r`), "filler" for one that
    leaves it to the next clause (`A Simple Example: ...`), "yes" otherwise."""
    if not any(len(token) > 1 and any(ch.isalpha() for ch in token) for token in tokens):
        return ""
    phrase, _ = _noun_phrase(tokens, 0, MAX_WORDS, extend=False)
    if any(word in words.NON_DESCRIPTIVE for word in phrase):
        return "" if all(word in _EMPTY_WORDS for word in phrase) else "yes"
    return "filler" if phrase and all(word in _EMPTY_WORDS for word in phrase) else "yes"


def _tail(tokens: List[str], parsed: _Parsed) -> Tuple[str, ...]:
    """The clause's words after those the name used, from the first break on: `for image segmentation`."""
    used = set(parsed[0]) | set(parsed[1])
    last = max((index for index, token in enumerate(tokens) if token in used or _verb(token) in used), default=-1)
    tail = [token for token in tokens[last + 1:] if _is_word(token) and token not in words.DETERMINERS]
    while tail and _dangles(tail[-1]):
        tail.pop()
    return tuple(tail) if any(_is_content(token) for token in tail) else ()


def _is_word(token: str) -> bool:
    return token[:1].isalnum()


def _is_break(token: str) -> bool:
    return not _is_word(token) or any(
        token in table
        for table in (words.PREPOSITIONS, words.CONJUNCTIONS, words.COMPARISONS, words.QUESTION_WORDS, words.STATEMENT_VERBS)
    )


def _dangles(word: str) -> bool:
    return word in words.PREPOSITIONS or word in words.CONJUNCTIONS or word in words.DETERMINERS or not _is_word(word)


def _is_content(token: str) -> bool:
    return _is_word(token) and not _dangles(token) and token not in words.NON_DESCRIPTIVE


# --- text to tokens ------------------------------------------------------------------------------------


_EMPTY_WORDS = words.NON_DESCRIPTIVE | words.FILLERS | words.VAGUE_ADJECTIVES
_LABEL = "|".join(sorted(words.LABELS | words.REMARKS))
_LABELLED = re.compile(
    rf"^\s*(?P<label>(?:{_LABEL})(?:\s+(?:{_LABEL}))?)\b\s*(?:(?P<number>\d+[a-z]?(?:\.\d+)*)\s*[.):\-]?|[.):\-]|$)\s*",
    re.I,
)
_NUMBERED = re.compile(r"^\s*(?:\d+(?:\.\d+)*[.)]?|[ivxIVX]+[.)])(?:\s+|$)")
_MATH = re.compile(r"\$\$?[^$]*\$\$?")
_ASIDE = re.compile(r"\([^()]*\)")
_CLAUSE = re.compile(r"\s*(?::|;|=|\s-+\s|[\u2013\u2014])\s*")
_TOKEN = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*|[,&?]")


def _clauses(heading: str) -> Tuple[List[List[str]], List[str]]:
    """The heading's clauses as tokens (`Missing data: Cabin` has two), and the tokens of its asides."""
    from nbrefactor.docstrings import plain_text

    text = plain_text(_MATH.sub(" ", heading))
    labelled = _LABELLED.match(text)
    if labelled and labelled.group("label").split()[0].lower() in words.REMARKS:
        return [], []
    text = text[labelled.end():] if labelled else _NUMBERED.sub("", text, count=1)
    asides = [token for aside in _ASIDE.findall(text) for token in _tokens(aside)]
    clauses = [_tokens(part) for part in _CLAUSE.split(_ASIDE.sub(" ", text))]
    return [tokens for tokens in clauses if tokens], asides


def _tokens(text: str) -> List[str]:
    text = re.sub(r"'s\b", "", _ascii(text).lower())
    text = re.sub(r"\b([a-z])/([a-z])\b", r"\1\2", text)
    for spelling, joined in words.JOINED.items():
        text = text.replace(spelling, joined)
    tokens = [token.replace("'", "").replace("-", "_") for token in _TOKEN.findall(text)]
    return ["and" if token == "&" else token for token in tokens]


def _strip_openers(tokens: List[str]) -> List[str]:
    while len(tokens) > 1 and tokens[0] in words.OPENERS and not _is_break(tokens[1]):
        tokens = tokens[1:]
    while tokens and (not _is_word(tokens[0]) or tokens[0] in words.OPENERS and len(tokens) > 1):
        tokens = tokens[1:]
    return tokens


def _ascii(text: str) -> str:
    """Letters with accents lose them (NFKD); characters with no ASCII form are dropped."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def _identifier_words(name: str) -> List[str]:
    """`X_trainDF` -> ['x', 'train', 'df']: a bound name as words of a function name."""
    text = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", _ascii(name))
    return [part for part in re.split(r"[^A-Za-z0-9]+", text.lower()) if part]


# --- choosing among names ------------------------------------------------------------------------------


def _explicit_names(candidates: Sequence[Candidate]) -> List[str]:
    seen: Set[str] = set()
    for candidate in candidates:
        name = candidate.name
        if not name:
            continue
        if not name.isidentifier() or keyword.iskeyword(_normal(name)):
            raise ValueError(f"function name {name!r} is not a Python identifier")
        if _normal(name) in seen:
            raise ValueError(f"two sections are both named {name!r}")
        seen.add(_normal(name))
    return [candidate.name for candidate in candidates]


def _options(candidate: Candidate, numbered: Dict[str, int]) -> Iterator[str]:
    """Names for the candidate, best first; the last ones (numbered) never run out. `numbered` remembers
    how far the numbers of each base name went: those below were all taken already."""
    reading = _read(candidate.heading)
    verb = _section_verb(candidate)
    if reading and reading.verb_given and not reading.object and candidate.binds:
        obj = tuple(_identifier_words(candidate.binds[-1]))  # empty for `_`
        if obj and not _same_stem(reading.verbs[-1], obj[-1]):
            reading = replace(reading, object=obj)
    if reading and keyword.iskeyword(reading.name()):
        reading = None
    base = reading.name(verb or DEFAULT_VERB) if reading else _unnamed(candidate, verb or UNNAMED_VERB)
    yield base
    verbs = reading.verbs if reading and reading.verb_given else (base.split("_")[0],)
    used_words = set(base.split("_"))
    if reading and reading.tail:
        yield "_".join([base, *reading.tail])
    if reading and set(reading.content) - used_words:
        yield "_".join([base.split("_")[0], *reading.content])
    for word in reading.others if reading else ():
        yield f"{base}_{word}"
    for bound in reversed(candidate.binds):
        bound_words = _identifier_words(bound)
        if set(bound_words) - used_words:
            yield _verb_and(verbs, bound_words)
            yield "_".join([base] + [word for word in bound_words if word not in used_words])
    yield f"{base}_again"
    obj = base.split("_")[1:]
    for verb in words.OTHER_VERBS if obj else ():
        yield "_".join([verb, *obj])
    number = numbered.get(base, 2)
    while True:
        numbered[base] = number
        yield f"{base}_{number}"
        number += 1


def _same_stem(verb: str, noun: str) -> bool:
    """`summarise` and `summary`, `plot` and `plots`: the object would only repeat the verb."""
    common = len(os.path.commonprefix([verb, noun]))
    return common >= 4 and common * 3 >= 2 * min(len(verb), len(noun))


def _unnamed(candidate: Candidate, verb: str) -> str:
    """`compute_score`, `load_housing`: a section with no usable heading, named from what it computes."""
    result = _identifier_words(candidate.result) if candidate.result in candidate.binds else []
    obj = result or (_identifier_words(candidate.binds[-1]) if candidate.binds else [])
    if not obj and candidate.result:
        return _verb_and(("run",), _identifier_words(candidate.result.split(".")[-1]))
    return _verb_and((verb,), obj or ["section"])


def _verb_and(verbs: Sequence[str], bound_words: List[str]) -> str:
    """`train` and `forest_model` -> `train_forest_model`: a bound name is kept whole, its verb not repeated."""
    verb_words = _verb_words(verbs)
    if bound_words[: len(verb_words)] == verb_words:
        bound_words = bound_words[len(verb_words):]
    return "_".join(verb_words + bound_words)


def _section_verb(candidate: Candidate) -> str:
    """The verb for what the section does, from the function its last statement calls."""
    call = candidate.result.split(".")[-1]
    if not call:
        return ""
    if call in candidate.binds:
        return UNNAMED_VERB
    if call[:1].isupper():
        return DEFAULT_VERB
    lowered = call.lower()
    return next((verb for prefix, verb in words.CALL_VERBS if lowered.startswith(prefix)), UNNAMED_VERB)


def _free(name: str, used: Set[str]) -> bool:
    return bool(name) and name.isidentifier() and _normal(name) not in used


def _normal(name: str) -> str:
    return unicodedata.normalize("NFKC", name)


def module_name(kind: str, path: str) -> str:
    """`train` or `score`; otherwise the notebook's file name in snake_case (`01 Data Prep.ipynb` -> `data_prep`)."""
    if kind in ("train", "score"):
        return kind
    stem = re.split(r"[\\/]", path)[-1].rsplit(".", 1)[0]
    stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    stem = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", stem)
    words = re.findall(r"[A-Za-z0-9]+", stem.lower())
    while words and words[0].isdigit():
        words.pop(0)
    name = "_".join(words) or "notebook"
    if name[0].isdigit():
        name = "notebook_" + name
    return name + "_" if keyword.iskeyword(name) or name in ("test", "main") else name
