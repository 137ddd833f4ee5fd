"""What a title says about a level: whether it reads like one, its codes and number, and where it sits in a ladder.

Readers use these to tell a heading per level from a heading per topic, to keep the codes a title carries as aliases
("Senior Programmer (L3)" -> L3), and to order levels that carry no number ("Junior" before "Senior").
The words are the ones career ladders use in general, in a few languages; no organisation's list of titles.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot.framework.names import normalize
from bot.framework.reading.draft import SectionKind
from bot.framework.reading.page_chrome import without_export_id

# Seniority words and their rank in a ladder (lower first). Ranks only order levels that carry no number.
_SENIORITY: dict[str, float] = {
    # English
    "intern": 0, "trainee": 0, "apprentice": 0, "student": 0, "graduate": 1, "entry": 1, "associate": 1.5,
    "junior": 2, "jr": 2, "mid": 3, "middle": 3, "intermediate": 3, "medior": 3, "regular": 3, "experienced": 3.5,
    "senior": 4, "sr": 4, "lead": 5, "staff": 5, "expert": 5, "specialist": 4.5, "architect": 5.5, "principal": 6,
    "distinguished": 7, "fellow": 8, "head": 6, "manager": 4, "mgr": 4, "director": 7, "dir": 7, "vp": 8,
    "vice": 8, "president": 9, "chief": 9, "cto": 9, "cio": 9, "ceo": 10, "executive": 8, "partner": 8,
    "teamlead": 5, "techlead": 5, "supervisor": 4, "coordinator": 4,
    # Portuguese, Spanish, French, German, Italian, Dutch
    "estagiário": 0, "estagiario": 0, "júnior": 2, "pleno": 3, "sênior": 4, "semisenior": 3, "semi": 3,
    "especialista": 5, "coordenador": 5, "coordinador": 5, "gerente": 6, "diretor": 7, "director general": 8,
    "stagiaire": 0, "confirmé": 3, "confirme": 3, "responsable": 5, "directeur": 7, "praktikant": 0,
    "werkstudent": 0, "leiter": 6, "leitender": 5, "stagista": 0, "responsabile": 5,
    # Russian, Ukrainian
    "стажер": 0, "стажёр": 0, "младший": 2, "джуниор": 2, "джун": 2, "мидл": 3, "средний": 3, "старший": 4,
    "сеньор": 4, "синьор": 4, "ведущий": 5, "главный": 6, "тимлид": 5, "руководитель": 6, "директор": 7,
    "молодший": 2, "провідний": 5,
    # Japanese, Chinese
    "新人": 0, "初級": 2, "中級": 3, "上級": 4, "主任": 4, "係長": 5, "課長": 6, "部長": 7,
    "初级": 2, "中级": 3, "高级": 4, "资深": 5, "专家": 6, "首席": 7, "主管": 5, "经理": 6, "总监": 7,
}  # fmt: skip
_RANK_WORDS = {
    "level",
    "grade",
    "band",
    "tier",
    "step",
    "rank",
    "stage",
    "nivel",
    "nível",
    "niveau",
    "stufe",
    "уровень",
    "грейд",
    "レベル",
    "等级",
    "级别",
}
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10, "xi": 11, "xii": 12}
_CODE = re.compile(r"^(?=.{2,6}$)[A-Za-z]{1,3}[ -]?\d{1,2}[a-zA-Z]?$")
"""A level code: a few letters and a number ("L3", "IC4", "M 5", "E2a", "SE-3")."""
_PARENS = re.compile(r"\s*[(\[]([^()\[\]]{1,20})[)\]]\s*")
_NUMBER_PREFIX = re.compile(r"^\s*(\d{1,3})(?:\s*[.):\-–—]\s+|\s+(?=[^\W\d_]))(?=\S)")
"""A step number before a title: "1. Associate Engineer", "2) Mid", "3 Senior"."""
_RANK_PREFIX = re.compile(r"^\s*(\w+)\s*(\d{1,3}[a-z]?|[IVXivx]{1,4}|[A-H])\s*[:.\-–—|]\s*(?=\S)")
_RANK_START = re.compile(r"^\s*(\w+)\s*(\d{1,3}[a-z]?|[IVXivx]{1,4}|[A-H])\b\s*[:.\-–—|]?\s*")
_CODE_PREFIX = re.compile(r"^\s*([A-Za-z]{1,3}[ -]?\d{1,2}[a-z]?)\s*[:.\-–—|]\s+(?=\S)")
_DOT_CODE = re.compile(r"^\s*([A-Za-z]{1,3}[ -]?\d{1,2}[a-z]?)\s*[·•]\s+(?=\S)")
"""A code before a middle dot ("L2 · Backend Engineer", as Notion titles are written): another name, the title whole."""
_CAMEL = re.compile(r"(?<=[a-zа-я])(?=[A-ZА-Я])")
_GENERIC_SUFFIX = re.compile(
    r"\s*[-–—:]?\s*\b(career\s+)?(levels?|ladders?|tracks?|roles?|titles?|career\s+path(way)?s?|path(way)?s?|"
    r"progression(\s+framework)?|framework|profiles?|grades?|bands?)\s*$",
    re.I,
)


def words(title: str) -> list[str]:
    """Lower-case words of a title, CamelCase split ("TeamLead" -> team, lead)."""
    return normalize(_CAMEL.sub(" ", title)).split()


def number_of(word: str) -> int | None:
    if word.isdigit() and len(word) <= 3:
        return int(word)
    return _ROMAN.get(word)


def _rank_step(word: str) -> int | None:
    """The step after a rank word: a number, a Roman numeral, or a letter grade ("Band B" is the second band)."""
    number = number_of(word)
    if number is None and len(word) == 1 and "a" <= word <= "h":
        return ord(word) - ord("a") + 1
    return number


@dataclass(frozen=True)
class Title:
    """A level's title as written, split into the title to keep, its codes, and a number for ordering."""

    title: str
    aliases: tuple[str, ...] = ()
    number: float | None = None


def split_title(text: str) -> Title:
    """ "Senior Programmer (L3)" -> Senior Programmer, [L3]; "Level 2: Product Manager I" -> Product Manager I,
    [Level 2], 2; "1. Associate Engineer" -> Associate Engineer, number 1; "D4 - Developer 4" -> Developer 4, [D4]."""
    text = " ".join(text.split()).strip(" #*_")
    aliases: list[str] = []
    number: float | None = None
    match = _NUMBER_PREFIX.match(text)
    if match:
        number, text = float(match.group(1)), text[match.end() :]
    match = _RANK_PREFIX.match(text) or _RANK_START.match(text)
    if match and normalize(match.group(1)) in _RANK_WORDS and text[match.end() :].strip():
        aliases.append(f"{match.group(1)} {match.group(2)}")
        value = (
            number_of(match.group(2).lower().rstrip("abcdefgh"))
            if match.group(2)[0].isdigit()
            else _rank_step(match.group(2).lower())
        )
        number = float(value) if value is not None else number
        text = text[match.end() :]
    else:
        match = _CODE_PREFIX.match(text)
        if match:
            aliases.append(match.group(1))
            text = text[match.end() :]
        elif dotted := _DOT_CODE.match(text):
            aliases.append(dotted.group(1))
        elif len(text.split()) > 1 and is_code(text.split()[0]) and any(c.isalpha() for c in text.split()[1]):
            aliases.append(text.split()[0])  # "IC4 Software Engineer": the code is another name; the title stays
    for found in list(_PARENS.finditer(text)):
        inner = found.group(1).strip()
        if is_code(inner) or _is_rank(inner):
            aliases.append(inner)
            text = (text[: found.start()] + " " + text[found.end() :]).strip()
    if number is None:
        for alias in aliases:
            number = _rank_number(alias)
            if number is not None:
                break
    if number is None:
        number = _rank_number(text)
    return Title(text.strip() or " ".join(aliases), tuple(dict.fromkeys(aliases)), number)


def without_dot_code(text: str) -> str:
    """ "L2 · Backend Engineer" -> "Backend Engineer"; any other title as it is."""
    match = _DOT_CODE.match(text)
    return text[match.end() :].strip() if match else text


def rank_prefix(text: str) -> tuple[str, str] | None:
    """A title opening with a rank and a separator, as (rank, the rest): "Band D – Payroll Lead" -> ("Band D",
    "Payroll Lead"), "Level 2: Product Manager I" -> ("Level 2", "Product Manager I"); None for any other title."""
    match = _RANK_PREFIX.match(text)
    if match and normalize(match.group(1)) in _RANK_WORDS and text[match.end() :].strip():
        return f"{match.group(1)} {match.group(2)}", text[match.end() :].strip()
    return None


def is_code(text: str) -> bool:
    return bool(_CODE.match(text.strip()))


def is_level_code(text: str) -> bool:
    """A level's code or bare rank, another name for a level beside its title: "L3", "IC4", "Grade 2", "Band B"."""
    return is_code(text) or _is_rank(text)


def _is_rank(text: str) -> bool:
    parts = words(text)
    return len(parts) == 2 and parts[0] in _RANK_WORDS and _rank_step(parts[1]) is not None


def _rank_number(text: str) -> float | None:
    """The number a title gives its level: "Level 3", "Grade 2", "L3", "IC4" (not "Engineer 2", a step of a name)."""
    parts = words(text)
    for k, word in enumerate(parts[:-1]):
        if word in _RANK_WORDS and _rank_step(parts[k + 1]) is not None:
            return float(_rank_step(parts[k + 1]) or 0)
    if len(parts) == 1 and is_code(text):
        digits = re.search(r"\d+", text)
        return float(digits.group(0)) if digits else None
    return None


def rank_of(text: str) -> str | None:
    """The rank a title opens with or is: "Level 2 JUNIOR" -> "Level 2", "L3" -> "L3", "Senior" -> None."""
    if is_bare_rank(text) and not _rank_word_only(words(text)) and (_is_rank(text) or is_code(text) or text.strip().isdigit()):
        return " ".join(text.split())
    match = _RANK_START.match(text)
    if match and normalize(match.group(1)) in _RANK_WORDS:
        return f"{match.group(1)} {match.group(2)}"
    return None


def is_bare_rank(text: str) -> bool:
    """A title that is only a rank: "Level 3", "Grade 2", "L3", "3" (no role in it)."""
    parts = words(text)
    return bool(parts) and (
        _is_rank(text) or (len(parts) == 1 and (is_code(text) or number_of(parts[0]) is not None)) or _rank_word_only(parts)
    )


def _rank_word_only(parts: list[str]) -> bool:
    return len(parts) == 1 and parts[0] in _RANK_WORDS


def level_marker(text: str) -> bool:
    """Whether a title reads like a level's: a seniority word, a rank ("Level 3", "L3"), or a numbered step."""
    parts = words(split_title(text).title) + [w for a in split_title(text).aliases for w in words(a)]
    if not parts or len(parts) > 9 or not any(any(ch.isalpha() for ch in p) for p in parts):
        return False
    if any(p in _SENIORITY for p in parts) or _rank_number(text) is not None or split_title(text).aliases:
        return True
    if split_title(text).number is not None:
        return True
    # a name followed by a step: "Engineer 2", "Software Engineer II" (a Roman I only after another word)
    return len(parts) >= 2 and number_of(parts[-1]) is not None


def seniority(text: str) -> float | None:
    """Where a title sits by its words alone, for ordering titles that carry no number (None: it does not say)."""
    parts = words(text)
    senior = {"senior", "sr", "sênior", "старший", "сеньор"}
    ranks = [_SENIORITY[p] for p in parts if p in _SENIORITY and p not in senior]
    if ranks:
        rank = max(ranks) + (0.5 if senior & set(parts) else 0)  # "Senior Staff" above Staff, "Sr. Director" above Director
    elif senior & set(parts):
        rank = 4
    else:
        return None
    step = next((number_of(p) for p in reversed(parts) if number_of(p) is not None), None)
    return rank + (step or 0) / 100


def track_name(text: str) -> str:
    """A heading or file title as a track's name: "Development Roles" -> Development, "Engineer Track" -> Engineer."""
    cleaned = _GENERIC_SUFFIX.sub("", text.strip()).strip(" -–—:")
    return cleaned or text.strip()


def from_file_name(stem: str) -> str:
    """A title from a file's name: "senior-engineer_II" -> "Senior engineer II", "ProgramManager" -> "Program Manager"."""
    stem = without_export_id(stem)
    spaced = _CAMEL.sub(" ", re.sub(r"[_\-]+", " ", unicodedata.normalize("NFKC", stem))).strip()
    out = []
    for word in spaced.split():
        out.append(word.upper() if word.lower() in _ROMAN and len(word) > 1 or word.lower() == "i" else word)
    joined = " ".join(out)
    return joined[:1].upper() + joined[1:]


def common_name(titles: list[str]) -> str | None:
    """The words every title shares once seniority words and numbers are taken out: the role a ladder climbs
    ("FinOps Engineer I", "Senior FinOps Engineer" -> "FinOps Engineer")."""
    if len(titles) < 2:
        return None
    shared: list[str] | None = None
    for title in titles:
        kept = [w for w in split_title(title).title.split() if normalize(w) not in _SENIORITY and number_of(normalize(w)) is None]
        kept = [w for w in kept if normalize(w)]
        if shared is None:
            shared = kept
        else:
            keys = {normalize(w) for w in kept}
            shared = [w for w in shared if normalize(w) in keys]
    return " ".join(shared) if shared else None


# -- what prose is about --------------------------------------------------------------------------

_KINDS: list[tuple[SectionKind, tuple[str, ...]]] = [
    (
        "switching",
        (
            "switch", "transition", "moving between", "move between", "changing track", "change track", "other path",
            "changing path", "change path", "lateral", "sideways", "into management", "to management",
            "management track", "management path", "management ladder", "people management", "become a manager",
            "becoming a manager", "becoming a people manager", "back to ic", "into leadership",
            # other languages: a change of track, into management
            "переход", "смена трек", "в менеджмент", "в управлен", "transição", "mudança de trilha", "trocar de trilha",
            "mudar de trilha", "carreira de gestão", "para gestão", "cambio de", "cambiar de", "a gestión", "a la gestión",
            "carrera de gestión", "changement de", "changer de", "passer manager", "devenir manager", "vers le management",
            "cambiare percorso", "cambio di percorso", "passaggio a", "wechsel", "führungslaufbahn", "führungsrolle",
            "in die führung", "managementlaufbahn",
        ),
    ),
    (
        "promotion",
        (
            "promot", "progression", "progressing", "advancement", "level up", "next level", "moving up", "career growth",
            "повышени", "продвижени", "promoção", "promoções", "progressão", "promoción", "promociones", "ascenso",
            "progresión", "avancement", "beförder", "aufstieg", "promozion", "avanzamento",
        ),
    ),
    (
        "all_levels",
        (
            "all levels", "every level", "everyone", "expectations for all", "all engineers", "regardless of level",
            "shared expectations", "common expectations", "baseline", "everybody", "all roles", "all employees",
            "для всех", "всех уровн", "todos os níveis", "de todos", "para todos", "todos los niveles", "tous les niveaux",
            "pour tous", "de tous", "tutti i livelli", "von allen", "für alle", "alle stufen", "jede stufe",
            "unabhängig von der stufe",
        ),
    ),
    (
        "competencies",
        (
            "competenc", "skill", "criteria", "criterion", "dimension", "capabilit", "pillar", "компетенц", "навык",
            "критери", "competência", "habilidade", "kompetenz", "fähigkeit", "compétence", "competenze",
        ),
    ),
]  # fmt: skip


_TRACKS = re.compile(r"\b(tracks|paths|ladders)\b|\bic\b.*\bmanage|\bmanage.*\bic\b", re.I)
"""A heading about several tracks ("Career Progression Tracks", "IC and management") is about moving between them."""


def section_kind(*titles: str) -> SectionKind:
    """The kind of a prose section from its heading's words (the first title that says one decides)."""
    for title in titles:
        if _TRACKS.search(title):
            return "switching"
        low = " " + unicodedata.normalize("NFKC", title).casefold() + " "
        for kind, stems in _KINDS:
            if any(stem in low for stem in stems):
                return kind
    return "other"


_NOT_A_NAME = re.compile(r"[.!?…]\s*$")
_PRONOUNS = {"i", "you", "we", "my", "your", "our", "they", "he", "she", "it", "this", "these", "yo", "eu", "я", "мы", "ты"}


def reads_like_a_title(text: str) -> bool:
    """A heading that may name a level: not a sentence ("You can lead on simpler tasks")."""
    parts = text.split()
    return bool(parts) and len(parts) <= 9 and not _NOT_A_NAME.search(text) and normalize(parts[0]) not in _PRONOUNS


def reads_like_a_name(text: str) -> bool:
    """A short name ("Communication", "Technical depth"), not a sentence ("I write good code.")."""
    parts = text.split()
    if not parts or len(parts) > 6 or len(text) > 60 or _NOT_A_NAME.search(text):
        return False
    return normalize(parts[0]) not in _PRONOUNS
