"""Every callback, action and block id, defined once: builders put them in views and messages,
handlers register listeners on them, so a rename cannot silently disconnect a button."""

from __future__ import annotations

from enum import StrEnum


class CheckinIds(StrEnum):
    MODAL = "checkin"
    START = "checkin_start"
    SNOOZE = "checkin_snooze"
    SKIP = "checkin_skip"
    TURN_OFF = "checkin_turn_off"
    PROMPT_ACTIONS = "checkin_prompt_actions"
    INPUT = "value"
    """The action id of every input element in the check-in modal; its block id names the field."""


class PreferenceIds(StrEnum):
    MODAL = "checkin_preferences"
    OPEN = "preferences_open"
    CADENCE = "cadence"
    WEEKDAY = "weekday"
    AWAY_START = "away_start"
    AWAY_END = "away_end"
    INPUT = "value"


class MentorIds(StrEnum):
    MODAL = "mentor_offer"
    OPEN = "mentor_open"
    COMPETENCIES = "competencies"
    CAPACITY = "capacity"
    ACTIVE = "active"
    INPUT = "value"
    REQUEST = "mentor_request"
    ACCEPT = "mentor_accept"
    DECLINE = "mentor_decline"


class StretchIds(StrEnum):
    MODAL = "stretch_post"
    OPEN = "stretch_open"
    TITLE = "title"
    DESCRIPTION = "description"
    COMPETENCIES = "competencies"
    LEVELS = "levels"
    STARTS_ON = "starts_on"
    ENDS_ON = "ends_on"
    CONTACT = "contact"
    INPUT = "value"
    INTERESTED = "stretch_interested"
    GIVE = "stretch_give"


class HomeIds(StrEnum):
    ACTIONS = "home_actions"
    ASK = "home_ask"
    MY_DATA = "home_my_data"
    """The Home's "My data" button: the person's export, as a JSON file in their conversation with Ladder."""
    ASK_MODAL = "ask"
    QUESTION = "question"
    INPUT = "value"


class FairnessIds(StrEnum):
    OPEN = "fairness_self_id_open"
    """The Home's "Help audit fairness" button."""
    MODAL = "fairness_self_id"
    SAVED = "fairness_self_id_saved"
    CLEAR = "fairness:clear"
    """Each question's block id is its attribute id, which holds no colon."""
    INPUT = "value"


class NominationIds(StrEnum):
    START_MODAL = "nominate"
    CASE_MODAL = "nomination_case"
    SHORTCUT = "nominate_shortcut"
    CONTINUE = "nomination_continue"
    WITHDRAW = "nomination_withdraw"
    REPLACE = "review_replace"
    REPLACE_MODAL = "review_replace_modal"
    INPUT = "value"


class ReviewIds(StrEnum):
    MODAL = "review"
    WRITE = "review_write"
    DECLINE = "review_decline"
    DECLINE_MODAL = "review_decline_modal"
    INPUT = "value"


class EvidenceIds(StrEnum):
    SHORTCUT = "save_evidence"
    MODAL = "evidence"
    DELETE = "evidence_delete"
    INPUT = "value"


class PanelIds(StrEnum):
    PACKET = "panel_packet"
    SCORE = "panel_score"
    SCORE_MODAL = "panel_score_modal"
    SCORES = "panel_scores"
    """Read the others' scores (which seals one's own)."""
    CONFLICT = "panel_conflict"
    DECIDE = "panel_decide"
    DECIDE_MODAL = "panel_decide_modal"
    APPEAL = "panel_appeal"
    APPEAL_MODAL = "panel_appeal_modal"
    HEAR = "panel_hear"
    HEAR_MODAL = "panel_hear_modal"
    CYCLE_MODAL = "panel_cycle_modal"
    PANEL_MODAL = "panel_setup_modal"
    INPUT = "value"


class QuestionIds(StrEnum):
    CHOICES = "question_choices"
    AGAIN = "question_again"
    """A "did you mean" button: asks the question again about one of the things a phrase could mean."""


class FrameworkIds(StrEnum):
    CHECKED_ACTIONS = "framework_checked_actions"
    PUBLISH = "framework_publish"
    """Publish the framework file an admin uploaded and Ladder checked (its value: the file and what was checked)."""
    CANCEL = "framework_cancel"
