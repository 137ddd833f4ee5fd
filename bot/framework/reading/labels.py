"""Which labels name a level's field — summary, scope, decision rights, typical time in level — for every reader.

A row or column label (a spreadsheet), a bold label or a sub-heading (a document) names a field only when the whole
label is one of the field's names, in English or in the common words of German, Portuguese, Spanish, French, Italian
and Russian ("Scope", "Beschreibung", "Typische Verweildauer", "Tempo no nível", "Время на уровне"); case, accents,
punctuation, a trailing colon and a trailing remark in brackets ("Typical time in level (months)") do not matter.
Any other label is a competency of its own: "Impact", "Decision making" or "Scope & impact" are dimensions, not
fields. Each field of a level is claimed by one label at most (:class:`FieldClaims`); a second label for it
("Description" after "Summary") becomes a competency of its own, so two dimensions never land in one field.

"Years of experience" (and its translations) is deliberately no field: it is how much experience someone brings to a
level — an entry requirement counted over a career — not how long people stay in it, so it stays a competency under
its own label. A label about tenure ("Tenure", "Approximate tenure in this role") over nothing but durations ("~3
years", "18–24 Monate") is the typical time in level: its text can be nothing else.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Iterable, Iterator, Mapping

from bot.framework.names import normalize
from bot.framework.reading.draft import DraftLevel, LevelField

_EXACT: dict[LevelField, tuple[str, ...]] = {
    "summary": (
        # English
        "summary", "description", "overview", "tagline", "level summary", "level description", "level overview",
        "role summary", "role description", "role overview", "short description", "general description",
        "what it looks like", "what it means", "looks like", "what this looks like", "what this means",
        "in one sentence", "in a sentence", "one liner", "one line summary", "at a glance", "in a nutshell", "tl dr",
        # German
        "beschreibung", "zusammenfassung", "überblick", "übersicht", "kurzbeschreibung", "rollenbeschreibung",
        "stufenbeschreibung", "allgemeine beschreibung",
        # Portuguese
        "descrição", "resumo", "visão geral", "sumário", "descrição geral", "descrição do nível", "descrição do cargo",
        # Spanish
        "descripción", "resumen", "visión general", "descripción general", "descripción del nivel",
        "descripción del puesto",
        # French
        "résumé", "aperçu", "vue d'ensemble", "synthèse", "description du niveau", "description du poste",
        # Italian
        "descrizione", "sintesi", "panoramica", "riepilogo",
        # Russian
        "описание", "краткое описание", "обзор", "резюме", "описание уровня", "описание роли", "общее описание",
    ),
    "scope": (
        "scope",
        "umfang", "wirkungsbereich", "verantwortungsbereich", "einflussbereich",
        "escopo", "abrangência", "âmbito",
        "alcance", "ámbito", "ámbito de actuación",
        "périmètre", "portée", "champ d'action",
        "ambito", "perimetro",
        "масштаб", "зона ответственности", "сфера ответственности", "зона влияния", "охват",
    ),
    "decision_rights": (
        "decision rights", "decision making authority", "decision authority", "decision making rights", "authority",
        "entscheidungsbefugnis", "entscheidungsbefugnisse", "entscheidungsrechte", "entscheidungsspielraum",
        "poder de decisão", "direitos de decisão", "autonomia de decisão", "alçada",
        "poder de decisión", "derechos de decisión", "autoridad de decisión",
        "pouvoir de décision", "droits de décision", "pouvoir décisionnel",
        "potere decisionale", "autorità decisionale",
        "полномочия", "право принятия решений", "права принятия решений", "полномочия принятия решений",
    ),
}  # fmt: skip
"""Each field's names, whole labels only (compared without case, accents or punctuation)."""

_TIME_IN_LEVEL = re.compile(
    "|".join(
        rf"(?:{pattern})"
        for pattern in (
            # English: "Typical time in level", "Time at level", "Years in role", "Typical tenure", "Time to promotion"
            r"(?:(?:typical|expected|average|usual|normal|approximate|approx|estimated)\s+)?"
            r"(?:time|duration|tenure|years|months)\s+(?:spent\s+)?(?:in|at|on)\s+(?:the\s+|this\s+|a\s+)?"
            r"(?:level|role|grade|position|band|step|rank|job|title)",
            r"(?:typical|expected|average|usual)\s+tenure",
            r"(?:typical\s+|expected\s+|average\s+)?time\s+(?:to|before|until)\s+(?:the\s+)?(?:next\s+level|promotion)",
            # German: "Typische Verweildauer", "Zeit auf der Stufe", "Durchschnittliche Verweildauer in der Rolle"
            r"(?:(?:typische|erwartete|durchschnittliche|ubliche)\s+)?(?:verweildauer|verweilzeit)"
            r"(?:\s+(?:in|auf|im)\s+(?:der\s+|dieser\s+)?(?:stufe|ebene|rolle|position|level))?",
            r"(?:(?:typische|erwartete|durchschnittliche|ubliche)\s+)?(?:zeit|dauer)\s+(?:in|auf|im)\s+"
            r"(?:der\s+|dieser\s+)?(?:stufe|ebene|rolle|position|level)",
            # Portuguese: "Tempo no nível", "Tempo típico no cargo", "Tempo de permanência"
            r"(?:tempo|permanencia|duracao)(?:\s+de\s+permanencia)?(?:\s+(?:tipic[oa]|medi[oa]|esperad[oa]|usual))?"
            r"(?:\s+(?:no|na|em|neste|nesta)\s+(?:nivel|cargo|funcao|posicao|grau|papel))",
            r"tempo\s+de\s+permanencia|permanencia\s+(?:tipica|media|esperada)",
            # Spanish: "Tiempo en el nivel", "Permanencia típica", "Tiempo típico en el puesto"
            r"(?:tiempo|permanencia|duracion)(?:\s+de\s+permanencia)?(?:\s+(?:tipic[oa]|medi[oa]|esperad[oa]|habitual))?"
            r"\s+en\s+(?:el\s+|la\s+|este\s+|esta\s+)?(?:nivel|puesto|cargo|rol|grado|posicion)",
            r"tiempo\s+de\s+permanencia",
            # French: "Temps dans le niveau", "Durée typique au poste", "Temps passé au niveau"
            r"(?:temps|duree|anciennete)(?:\s+(?:typique|moyen|moyenne|habituel|habituelle|attendu|attendue))?"
            r"(?:\s+passee?)?\s+(?:dans|au|a|en)(?:\s+(?:le|la|ce|cette))?\s+(?:niveau|poste|role|grade|echelon|fonction)",
            # Italian: "Tempo nel livello", "Permanenza tipica nel ruolo"
            r"(?:tempo|permanenza|durata)(?:\s+(?:tipic[oa]|medi[oa]))?\s+(?:nel|nella|in|al|alla)"
            r"(?:\s+questo)?\s+(?:livello|ruolo|grado|posizione)",
            # Russian: "Время на уровне", "Типичный срок пребывания в грейде"
            r"(?:(?:типичное|ожидаемое|среднее|обычное|типичныи|ожидаемыи|среднии|обычныи)\s+)?(?:время|срок)"
            r"(?:\s+пребывания)?\s+(?:на|в)\s+(?:уровне|греиде|должности|роли|позиции)",
        )
    )
)
"""Labels for the typical time in level: a time word, a word for being in it, and the level (or role, grade…)."""

_TENURE = re.compile(
    r"\b(?:tenure|time in (?:the |this )?(?:role|level|grade|position)|verweildauer|permanencia|permanenza|anciennete"
    r"|стаж на уровне)\b"
)
"""A label about tenure, whatever else it says ("Approximate tenure in this role")."""

_TIME_WORD = re.compile(
    r"(?:(?:typical|expected|average|usual|approximate|approx|estimated|typische|erwartete|durchschnittliche|ubliche"
    r"|типичныи|типичное|ожидаемыи|ожидаемое|среднии|среднее|обычныи|обычное)\s+)?"
    r"(?:duration|time|timeframe|time frame|time span|dauer|zeit|zeitraum|duree|temps|duracion|tiempo|duracao|tempo"
    r"|durata|срок|время|продолжительность)"
    r"(?:\s+(?:typique|moyenne?|habituelle?|attendue?|indicative?|tipic[oa]|medi[oa]|esperad[oa]|habitual|usual"
    r"|prevista?|previsto))?"
)
"""A bare time word, maybe qualified ("Durée typique", "Typical duration", "Tiempo típico", "Срок"): the typical
time in level only over durations, since "Time" alone may head anything."""

_UNIT = (
    r"(?:years?|yrs?|y|months?|mths?|mos?|weeks?|wks?|jahre?n?|j\.|monate?n?|mon\.|anos?|años?|meses|mes|ans|années?"
    r"|mois|anni|mesi|года|год|лет|месяца|месяцев|месяц)\.?"
)
_DURATION = re.compile(
    r"^(?:about|around|approx\.?|approximately|typically|at least|more than|over|under|less than|up to|ca\.?|etwa"
    r"|mindestens|mehr als|bis zu|cerca de|aprox\.?|más de|mas de|hasta|mais de|até|environ|au moins|plus de|moins de"
    r"|jusqu'à|almeno|più di|fino a|около|от|более|не менее|до)?"
    rf"\s*[~≈<>]?\s*\d+(?:[.,]\d+)?(?:\s*{_UNIT})?(?:\s*(?:-|–|—|to|bis|a|à|до)\s*\d+(?:[.,]\d+)?)?\s*\+?\s*{_UNIT}"
    r"(?:\s*(?:\+|and more|or more|and above|or longer|et plus|ou plus|und mehr|oder mehr|y más|o más|ou mais|e mais"
    r"|e oltre|o più|и более|или более))?$",
    re.I,
)
"""A duration and nothing else: "~3 years", "18–24 months", "1-2 Jahre", "2 a 3 anos", "6 à 9 mois", "5 ans et
plus", "18 months - 2 years", "от 1 до 2 лет" (numbers only)."""
_NO_VALUE = re.compile(r"^(?:[-–—‒―−/?.…x]+|n/?a|none|tbd|tbc|nil|n\.a\.|k\.a\.|s\.o\.)$", re.I)
"""A mark for no value in a cell: a dash, n/a, TBD."""

_REMARK = re.compile(r"\s*[(\[][^()\[\]]*[)\]]\s*$")


def label_key(label: str) -> str:
    """A label as it is compared: lower case, single spaces, no accents, punctuation, trailing colon or remark in
    brackets ("Typical time in level (months):" -> "typical time in level")."""
    text = _REMARK.sub("", label.strip().rstrip(":：").strip())
    decomposed = unicodedata.normalize("NFD", normalize(text))
    return " ".join(unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c))).split())


FIELD_NAMES: dict[str, LevelField] = {label_key(name): field for field, names in _EXACT.items() for name in names}
"""Every exact name of a field, by :func:`label_key`."""


def field_named(label: str) -> LevelField | None:
    """The level field ``label`` names, by its whole text; None for any other label (a competency of its own)."""
    key = label_key(label)
    if not key:
        return None
    if key in FIELD_NAMES:
        return FIELD_NAMES[key]
    return "typical_time_in_level" if _TIME_IN_LEVEL.fullmatch(key) else None


def field_for(label: str, values: Iterable[str] = ()) -> LevelField | None:
    """The field a row's or column's label names, given its cells: by the label's whole text, or — for a label about
    tenure or a time word ("Durée typique") over cells that are all durations (a dash or n/a aside) — the typical
    time in level."""
    found = field_named(label)
    if found is None:
        cells = [v for v in values if v.strip() and not is_no_value(v)]
        if cells and about_time(label) and all(is_duration(v) for v in cells):
            return "typical_time_in_level"
    return found


def about_time(label: str) -> bool:
    """Whether a label is about time spent: tenure ("Approximate tenure in this role") or a time word ("Durée
    typique", "Typical duration")."""
    key = label_key(label)
    return bool(_TENURE.search(key) or _TIME_WORD.fullmatch(key))


def is_no_value(text: str) -> bool:
    """Whether a cell says there is no value: a dash, n/a, TBD."""
    return bool(_NO_VALUE.match(text.strip()))


class _FieldsByLabel(Mapping[str, LevelField]):
    """:func:`field_named` as a read-only mapping (``FIELDS.get(label)``), for readers written against a dict."""

    def __getitem__(self, label: str) -> LevelField:
        found = field_named(label)
        if found is None:
            raise KeyError(label)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(FIELD_NAMES)

    def __len__(self) -> int:
        return len(FIELD_NAMES)


FIELDS: Mapping[str, LevelField] = _FieldsByLabel()
"""Label -> the field it names (exact names and the time-in-level phrasings); any label not in it is a competency."""


def is_duration(text: str) -> bool:
    """Whether ``text`` is a duration and nothing else ("~3 years", "12–18 months", "2–3 Jahre")."""
    return bool(_DURATION.match(" ".join(text.split())))


class FieldClaims:
    """The label that took each field of each level, so that another label does not land in it too. One object per
    import of a file (or of files read together): a level's field is claimed once, whoever reads it."""

    def __init__(self) -> None:
        self._taken: dict[tuple[int, str], str] = {}

    def claim(
        self,
        levels: Iterable[DraftLevel],
        label: str | None,
        only: LevelField | None = None,
        value: str | Iterable[str] | None = None,
    ) -> LevelField | None:
        """The field ``label`` names for ``levels`` (now taken for each of them by this label), or None: the label
        names no field (or not ``only``), or another label took that field on one of these levels. With ``value``
        (the text the label introduces, or every cell of its row or column), a label about tenure over durations
        only names the typical time in level."""
        levels = list(levels)
        key = label_key(label or "")
        name = field_for(label or "", [value] if isinstance(value, str) else value or ())
        if name is None or (only is not None and name != only):
            return None
        if any(self._taken.get((id(level), name), key) != key for level in levels):
            return None
        for level in levels:
            self._taken[(id(level), name)] = key
        return name

    def holder(self, level: DraftLevel, name: LevelField) -> str | None:
        """The label (as compared) that took ``name`` on ``level``, if any."""
        return self._taken.get((id(level), name))
