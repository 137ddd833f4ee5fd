"""The framework file's shape, written once.

These pydantic models are the contract: the loader validates files with them, and the JSON
Schema editors use (``ladder framework schema``, bot/framework/schema.json) is generated from
them, so the two cannot drift apart. Only ``name``, the tracks (``id``, ``name``, ``levels``)
and each level's ``id`` and ``title`` are required; everything else is optional, and answers
and pages leave out what a file does not say.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, WithJsonSchema

ID_PATTERN = r"^[\p{Ll}\p{Lm}\p{Lo}][\p{Ll}\p{Lm}\p{Lo}\p{Mn}\p{Mc}\p{Nd}_]*$"
"""An id: a lower-case (or caseless) letter of any script first, then such letters, their combining marks, digits and
'_' — so names in any script keep them (シニア, старший_2, वरिष्ठ). Checked by pydantic's regex engine, which knows
Unicode properties; :func:`bot.framework.names.make_id` makes one from any name."""
ID_SCHEMA_PATTERN = "^[a-z\\u0080-\\uffff][a-z0-9_\\u0080-\\uffff]*$"
"""The same rule as editors can check it: JSON Schema patterns are ECMAScript regular expressions, where \\p{Ll} needs a
flag not every validator sets; this one reads the same in ECMAScript and Python and is as strict for ASCII (any
character beyond ASCII is left to ``ladder framework check``)."""
ID_DESCRIPTION = "An id: lower-case letters (any script), digits and '_', starting with a letter, e.g. staff, sr_em, シニア."
Id = Annotated[
    str,
    StringConstraints(pattern=ID_PATTERN, max_length=64),
    WithJsonSchema({"type": "string", "pattern": ID_SCHEMA_PATTERN, "maxLength": 64, "description": ID_DESCRIPTION}),
]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Prose = Annotated[str, StringConstraints(strip_whitespace=True, max_length=20_000)]
MAX_ALIAS = 100
"""The longest alias: another name people type ("L6", "senior engineer", "Staff Software Engineer II")."""


def _number_as_text(value: Any) -> Any:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value  # L6 is also called 6


Alias = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=MAX_ALIAS),
    BeforeValidator(_number_as_text),
    WithJsonSchema(
        {
            "anyOf": [{"type": "string", "maxLength": MAX_ALIAS}, {"type": "integer"}],
            "description": f"Another name for it, at most {MAX_ALIAS} characters; case and punctuation are ignored in matching.",
        }
    ),
]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BandSpec(_Spec):
    """A compensation band. Pages show it only when the file says ``publish_bands: true``."""

    min: int = Field(ge=0, description="Lowest base salary of the band.")
    max: int = Field(ge=0, description="Highest base salary of the band.")
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] = Field(
        description="ISO 4217 currency code, e.g. USD, EUR, GBP."
    )


class SwitchPointSpec(_Spec):
    """A sideways move from this level to a level on another track."""

    to: Id = Field(description="The id of the level on another track.")
    note: Prose = Field(default="", description="What the move involves: trial period, pay, how to go back.")


class LevelSpec(_Spec):
    """One level of a track: what it means, what is expected per competency, scope and decision rights."""

    id: Id = Field(description="The level's id, unique across all tracks, e.g. staff, sr_em.")
    title: Name = Field(description="The level's title as people say it, e.g. Staff Engineer.")
    aliases: list[Alias] = Field(default_factory=list, description="Other names for the level, e.g. L6, SE2, senior engineer.")
    summary: Prose = Field(default="", description="What the level means, in a few sentences.")
    expectations: dict[Name, Prose] = Field(
        default_factory=dict,
        description="What is expected at this level, by competency (its id or name); competencies may be left out.",
    )
    scope: Prose = Field(default="", description="The scope of impact at this level.")
    decision_rights: Prose = Field(default="", description="What a person at this level decides.")
    equivalent: Id | list[Id] | None = Field(
        default=None,
        description="The id (or ids) of parallel levels on other tracks (equal standing and pay). Levels linked this way "
        "form one group, across any number of tracks; naming it from one side is enough.",
    )
    typical_time_in_level: Name | None = Field(default=None, description="How long people typically spend here, e.g. 2-4 years.")
    band: BandSpec | None = Field(
        default=None, description="Optional compensation band; parallel levels should have equal bands."
    )
    switch_points: list[SwitchPointSpec] = Field(
        default_factory=list, description="Where a person at this level may switch tracks."
    )


class TrackSpec(_Spec):
    """A track of the ladder (e.g. individual contributor, management) with its levels, lowest first."""

    id: Id = Field(description="The track's id, unique among tracks, e.g. ic, management.")
    name: Name = Field(description="The track's name, e.g. Individual Contributor.")
    family: Name | None = Field(default=None, description="The job family, when a file holds several (engineering, sales).")
    description: Prose = Field(default="", description="What the track is for.")
    aliases: list[Alias] = Field(default_factory=list, description="Other names people use for the track, e.g. IC, management.")
    starts_after: Id | None = Field(
        default=None,
        description="The level on another track this track continues from: a shared trunk that forks, e.g. a "
        "Professional track and a Management track that both start after se_iv.",
    )
    levels: list[LevelSpec] = Field(min_length=1, description="The levels, lowest first.")


class ScaleStepSpec(_Spec):
    """One step of a competency's own proficiency scale, lowest first."""

    label: Name = Field(description="The step as people say it, e.g. Aware, Practitioner, Expert.")
    description: Prose = Field(default="", description="What the step means.")


class CompetencySpec(_Spec):
    """A competency levels are assessed on, and the tracks it applies to."""

    id: Id = Field(description="The competency's id, unique among competencies, e.g. technical_depth.")
    name: Name = Field(description="The competency's name, e.g. Technical depth.")
    description: Prose = Field(default="", description="What the competency covers.")
    tracks: list[Id] = Field(default_factory=list, description="Ids of the tracks it applies to; every track when left out.")
    aliases: list[Alias] = Field(default_factory=list, description="Other names people use for it, e.g. mentorship.")
    group: Name | None = Field(default=None, description="The category it belongs to, e.g. Core technical.")
    scale: list[ScaleStepSpec] = Field(
        default_factory=list, description="Its own proficiency scale, lowest first, when it has one (e.g. Aware, Expert)."
    )


SectionKind = Literal["switching", "promotion", "competencies", "all_levels", "other"]
QuestionKind = Literal[
    "difference", "next", "equivalent", "switch", "promotion", "ladder", "competencies", "help", "personal", "time"
]


class SectionSpec(_Spec):
    """Prose that has no other place: switching guidance, promotion principles, competency definitions, expectations
    shared by all levels, anything else."""

    title: Name = Field(description="The section's heading, e.g. Switching tracks.")
    text: Prose = Field(description="The section's text, as written.")
    kind: SectionKind = Field(
        default="other",
        description="What it is about: switching, promotion, competencies, all_levels (expected at every level) or other.",
    )
    about: list[Id] = Field(
        default_factory=list,
        description="Ids of the tracks, levels or competencies it concerns; the whole framework when left out.",
    )


class RatingSpec(_Spec):
    """One step of the rubric people rate themselves on in a check-in, lowest first."""

    id: Id = Field(description="The rating's id, e.g. meets.")
    label: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)] = Field(
        description="What people pick, e.g. Meets."
    )
    anchor: Annotated[str, StringConstraints(strip_whitespace=True, max_length=75)] = Field(
        default="", description="One line that says what the rating means, e.g. 'Does this consistently, unprompted.'"
    )


class PanelPolicySpec(_Spec):
    """How review panels are checked when they are set up and when they sit."""

    min_members: int = Field(
        default=3,
        ge=1,
        le=20,
        description="Members free to judge a nomination (not recused) that a panel needs, and scores a decision needs; "
        "with fewer, the nomination goes to the next panel covering it, else an admin is told.",
    )
    member_level: Literal["at_or_above_target", "any"] = Field(
        default="at_or_above_target",
        description="at_or_above_target: warn when a member is below a level the panel reviews (parallel levels count as equal).",
    )


class SelfIdQuestionSpec(_Spec):
    """A question people may answer about themselves to help audit fairness (always optional, always clearable)."""

    id: Id = Field(description="The attribute the answers are audited under, e.g. gender, working_pattern.")
    question: Name = Field(description="The question as the App Home form asks it.")
    choices: list[Name] = Field(
        min_length=1,
        max_length=20,
        description='The answers offered; "Prefer not to say" is always added, and every question may be left unanswered.',
    )


DEFAULT_SELF_ID_QUESTIONS = (
    SelfIdQuestionSpec(
        id="gender", question="Which best describes your gender?", choices=["Woman", "Man", "Non-binary", "Another identity"]
    ),
    SelfIdQuestionSpec(
        id="working_pattern",
        question="What is your working pattern?",
        choices=["Full-time", "Part-time", "Compressed or flexible hours"],
    ),
    SelfIdQuestionSpec(id="caring", question="Do you have caring responsibilities?", choices=["Yes", "No"]),
    SelfIdQuestionSpec(id="disability", question="Do you consider yourself to have a disability?", choices=["Yes", "No"]),
)


class FairnessSpec(_Spec):
    """How fairness audits read groups of people, and keep any one person's outcome from being read."""

    min_group_size: int = Field(
        default=5,
        ge=2,
        le=100,
        description="The smallest group a report shows a count or rate for (cycle reports, fairness audits): smaller groups "
        "are suppressed and said to be.",
    )
    questions: list[SelfIdQuestionSpec] = Field(
        default_factory=lambda: list(DEFAULT_SELF_ID_QUESTIONS),
        max_length=20,
        description="What people may say about themselves from their App Home for the audit (default: gender, working "
        "pattern, caring responsibilities, disability). [] turns self-identification off.",
    )


class RetentionSpec(_Spec):
    """How long Ladder keeps each kind of record before the clock removes it (checked daily, in bounded batches)."""

    drafts_days: int = Field(default=90, ge=1, le=3650, description="Unsent check-in and nomination drafts.")
    processed_events_days: int = Field(
        default=7, ge=1, le=365, description="Slack event ids kept to recognise Slack's retries (Slack retries within hours)."
    )
    sent_messages_days: int = Field(default=90, ge=1, le=3650, description="Messages Ladder has sent (the outbox rows).")
    decided_nominations_years: int = Field(
        default=7,
        ge=1,
        le=50,
        description="A decided, withdrawn or expired nomination with its reviews, scores, decision, appeal and audit trail, "
        "counted from its last decision.",
    )
    checkins_years: int | None = Field(
        default=None, ge=1, le=50, description="Submitted check-ins (default: kept until the person is erased)."
    )
    uninstalled_workspace_days: int = Field(
        default=30,
        ge=1,
        le=3650,
        description="Everything of a workspace (or an org-wide enterprise) from the day Ladder was uninstalled from it or "
        "its token revoked, unless it is installed again first. Read from the deployment's framework file only.",
    )


class FrameworkSpec(_Spec):
    """A career framework: one or more families of tracks, their levels and the competencies they are assessed on."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="Ladder career framework")

    name: Name = Field(description="The framework's name, e.g. Acme Engineering.")
    version: Name | None = Field(
        default=None,
        description='Cited in every answer; when left out, answers cite a fingerprint of the file\'s content. Quote it ("2026.10"): unquoted, YAML reads 2026.10 as the number 2026.1.',
    )
    description: Prose = Field(default="", description="What the framework covers.")
    promotion_principles: Prose = Field(default="", description="How promotions are decided.")
    switching: Prose = Field(default="", description="How switching between tracks works in general.")
    sections: list[SectionSpec] = Field(
        default_factory=list,
        description="Prose that has no other place: switching guidance, promotion principles, competency definitions, "
        "expectations shared by all levels, anything else.",
    )
    question_words: dict[QuestionKind, list[Name]] = Field(
        default_factory=dict,
        description="The organisation's own words for kinds of question (any language), added to the built-in English "
        "ones, e.g. {next: [nächste], equivalent: [entspricht]}.",
    )
    publish_bands: bool = Field(
        default=False,
        description="Show compensation bands in answers and on the web pages (default: no; bands are usually not public).",
    )
    competencies: list[CompetencySpec] = Field(default_factory=list, description="The competencies levels are assessed on.")
    tracks: list[TrackSpec] = Field(min_length=1, description="The tracks, each with its levels.")
    rubric: list[RatingSpec] | None = Field(
        default=None,
        min_length=2,
        max_length=10,
        description="The self-rating scale of check-ins, lowest first (default: not yet, partly, meets, exceeds).",
    )
    panels: PanelPolicySpec = Field(default_factory=PanelPolicySpec, description="Policies for promotion review panels.")
    fairness: FairnessSpec = Field(
        default_factory=FairnessSpec,
        description="Fairness audits: what people may say about themselves, and how reports protect individuals.",
    )
    retention: RetentionSpec = Field(default_factory=RetentionSpec, description="How long records are kept.")


def json_schema() -> dict[str, Any]:
    """The published JSON Schema, generated from :class:`FrameworkSpec`."""
    schema = FrameworkSpec.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def json_schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
