"""The ranked text search over a framework's own words (bot/questions/search.py), on frameworks written here."""

from __future__ import annotations

import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.questions.answers import Answerer
from bot.questions.parser import MAX_QUESTION_CHARS
from bot.questions.search import GOOD_MATCH, QUOTE_BUDGET, FrameworkSearch, passages_of, question_terms, quote
from messages.render import Renderer
from tests.frameworks import framework_of

ACME = """
name: Acme Engineering
description: How engineering at Acme grows people, written by the engineering leadership team.
switching: Moving between tracks is a conversation with your manager first.
sections:
  - title: Promotion process
    kind: promotion
    text: >-
      Promotions are decided twice a year by a calibration committee of senior engineers.
      Your manager writes the case with you, from evidence of the last six months.
  - title: On-call
    text: Everyone joins the on-call rotation after their first three months on a team.
  - title: Working hours
    text: >-
      We keep core hours between eleven and four. Outside them, work when it suits you.
      Meetings are never booked on Friday afternoons. Travel is rare and always planned a month ahead.
      Parental leave is sixteen weeks at full pay for every parent. Sabbaticals come after five years.
      The company closes between Christmas and New Year.
competencies:
  - id: communication
    name: Communication
    description: Sharing ideas clearly in writing and in person.
    scale:
      - label: Aware
        description: Knows the basics of written communication.
      - label: Expert
        description: Writes the documents the whole company reads and quotes.
  - id: delivery
    name: Delivery
    description: Shipping work that matters, predictably.
tracks:
  - id: eng
    name: Engineering
    description: Individual contributors who build the product.
    levels:
      - id: l1
        title: Engineer
        summary: Learns the codebase and ships small changes with guidance.
        expectations:
          communication: Writes clear pull request descriptions.
          delivery: Ships small, well-tested changes.
      - id: l2
        title: Senior Engineer
        summary: Owns features end to end and helps the team lead its technical work.
        scope: A team's features.
        decision_rights: Chooses libraries for the features they own.
        expectations:
          communication: Writes design documents the team can review.
          delivery: Plans a quarter of work for a small group.
      - id: l3
        title: Staff Engineer
        summary: Acts as tech lead for a team of engineers, setting its technical direction.
        expectations:
          communication: Presents the team's work to the whole organisation.
          delivery: Leads projects across several teams, which the tech world outside notices.
        switch_points:
          - to: m1
            note: A trial of six months as a manager of the team they lead.
  - id: mgmt
    name: Management
    levels:
      - id: m1
        title: Engineering Manager
        summary: Leads a team of engineers through hiring, growth and delivery.
"""

CJK = """
name: 多言語エンジニアリング
sections:
  - title: 昇進について
    text: 昇進の基準は、次のレベルの期待を半年以上満たしていることです。評価は年に二回行います。
  - title: 晋升制度
    text: 晋升的标准是持续达到下一级别的要求。每年评估两次。
  - title: 勤務時間
    text: コアタイムは十一時から十六時までです。
  - title: การเลื่อนตำแหน่ง
    text: การเลื่อนตำแหน่งพิจารณาปีละสองครั้ง
tracks:
  - id: eng
    name: エンジニア
    levels:
      - id: junior
        title: ジュニアエンジニア
        summary: テックリードの指導のもとで小さな変更を出荷します。
      - id: senior
        title: シニアエンジニア
        summary: チームのテックリードとして技術的な方向性を決めます。
"""


@pytest.fixture(scope="module")
def acme():
    return framework_of(ACME)


@pytest.fixture(scope="module")
def search(acme):
    return FrameworkSearch(acme)


@pytest.fixture(scope="module")
def cjk():
    return FrameworkSearch(framework_of(CJK))


def test_every_piece_of_prose_is_a_passage_with_its_place(acme):
    places = {p.place: p.text for p in passages_of(acme)}
    assert places["Framework description"].startswith("How engineering at Acme")
    assert places["Switching tracks"].startswith("Moving between tracks")
    assert places["Promotion process"].startswith("Promotions are decided")
    assert places["On-call"].startswith("Everyone joins")
    assert places["Communication"] == "Sharing ideas clearly in writing and in person."
    assert places["Communication — Expert"] == "Writes the documents the whole company reads and quotes."
    assert places["Engineering track"] == "Individual contributors who build the product."
    assert places["Senior Engineer"].startswith("Owns features")
    assert places["Senior Engineer — Scope"] == "A team's features."
    assert places["Senior Engineer — Decision rights"] == "Chooses libraries for the features they own."
    assert places["Senior Engineer — Communication"] == "Writes design documents the team can review."
    assert places["Staff Engineer — switching to Engineering Manager"].startswith("A trial of six months")
    assert "Engineering Manager — Scope" not in places  # nothing written, nothing indexed


def test_a_phrase_ranks_above_its_words_apart(acme, search):
    hits = search.search("how do I become a tech lead")
    assert hits[0].passage.place == "Staff Engineer"
    assert "tech lead" in hits[0].quote
    places = [h.passage.place for h in hits]
    assert "Staff Engineer — Delivery" not in places  # "Leads ... the tech world": both words, apart
    assert [h.passage.place for h in FrameworkSearch(acme).search("tech world leads")][:1] == ["Staff Engineer — Delivery"]


def test_the_place_of_a_passage_counts(search):
    hits = search.search("how are promotions decided")
    assert hits[0].passage.place == "Promotion process"
    assert hits[0].quote == hits[0].passage.text


@pytest.mark.parametrize(
    ("question", "place"),
    [
        ("what is the on-call rotation", "On-call"),
        ("parental leave", "Working hours"),
        ("who chooses libraries", "Senior Engineer — Decision rights"),
        ("design documents", "Senior Engineer — Communication"),
        ("what does an expert communicator write", "Communication — Expert"),
        ("PROMOTIONS DECIDED?!", "Promotion process"),
    ],
)
def test_finds_the_passage_that_answers(search, question, place):
    hits = search.search(question)
    assert hits and hits[0].passage.place == place, [(h.passage.place, h.match) for h in hits]
    assert hits[0].match >= GOOD_MATCH


@pytest.mark.parametrize(
    "question",
    [
        "what's the weather in Lisbon",
        "how much do interns earn in bitcoin",
        "the",
        "",
        "???",
        "who decides the architecture of the kitchen",
    ],
)
def test_nothing_that_answers_is_nothing(search, question):
    assert search.search(question) == []


def test_a_word_in_most_passages_does_not_answer_alone():
    words = "\n".join(
        f"      - id: l{n}\n        title: Rung {n}\n        summary: Works with the team on problem {n}." for n in range(12)
    )
    framework = framework_of(f"name: Teams\ntracks:\n  - id: t\n    name: T\n    levels:\n{words}\n")
    search = FrameworkSearch(framework)
    assert search.search("team") == []
    assert search.search("team problem 7")[0].passage.place == "Rung 7"


def test_stemming_and_accents(acme):
    search = FrameworkSearch(acme)
    assert search.search("who decides on promoting")[0].passage.place == "Promotion process"
    accented = framework_of(
        "name: Acmé\nsections:\n  - title: Promoción\n    text: La promoción se decide dos veces al año.\n"
        "tracks:\n  - id: t\n    name: T\n    levels:\n      - id: a\n        title: A\n"
    )
    assert FrameworkSearch(accented).search("promocion")[0].passage.place == "Promoción"


@pytest.mark.parametrize(
    ("question", "place", "words"),
    [
        ("昇進の基準は何ですか", "昇進について", ["昇進", "基準"]),
        ("晋升的标准是什么", "晋升制度", ["晋升", "标准"]),
        ("どうすればテックリードになれますか", None, ["テックリード"]),
        ("コアタイム", "勤務時間", ["コアタイム"]),
        ("การเลื่อนตำแหน่ง", "การเลื่อนตำแหน่ง", ["การเลื่อนตำแหน่ง"]),
    ],
)
def test_scripts_without_spaces(cjk, question, place, words):
    hits = cjk.search(question)
    assert hits, question
    if place:
        assert hits[0].passage.place == place
    for word in words:
        assert word in hits[0].quote


def test_japanese_grammar_alone_does_not_match(cjk):
    assert cjk.search("ですか") == []
    assert cjk.search("天気はどうですか") == []


HOSTILE = [
    '"',
    '""',
    "AND",
    "OR NOT",
    "NEAR(promotion decided, 2)",
    "promot*",
    "^promotion",
    "place: promotion",
    "text:promotion OR place:x",
    "{place text}: promotion",
    "- promotion",
    "(((promotion",
    "promotion)))",
    "' OR 1=1 --",
    "'; DROP TABLE words; --",
    "promotion\x00decided",
    "\ue000promotion\ue001",
    "+promotion +decided",
    "a" * 5000,
    "promotion " * 500,
]


@pytest.mark.parametrize("question", HOSTILE)
def test_fts5_syntax_in_a_question_is_only_words(search, question):
    hits = search.search(question)
    for hit in hits:
        assert _quoted_from(hit)
    if question in ("promotion\x00decided", "+promotion +decided", "(((promotion", "promotion)))", "promot*"):
        assert hits and hits[0].passage.place == "Promotion process"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.text(max_size=MAX_QUESTION_CHARS))
def test_any_text_searches_without_raising(search, text):
    for hit in search.search(text):
        assert _quoted_from(hit)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.sampled_from(
            ['"', "*", "^", ":", "(", ")", "{", "}", "AND", "OR", "NOT", "NEAR", "-", "+", "promotion", "昇進", "team", " "]
        ),
        max_size=30,
    ).map("".join)
)
def test_fts5_operators_in_any_order_never_raise(search, cjk, text):
    search.search(text)
    cjk.search(text)
    search.mentioning([text])


def test_terms_are_bounded_and_quoted():
    terms = question_terms(" ".join(f"word{n}" for n in range(500)) + " 昇進基準" * 100)
    assert len([t for t in terms if t.counted and t.table == "words"]) <= 16
    assert len([t for t in terms if t.table == "grams"]) <= 16
    assert all(t.query.startswith('"') for t in terms)


def _quoted_from(hit) -> bool:
    """The quote is the passage's own text, shortened only at the marked places."""
    pieces = [p.strip() for p in hit.quote.split("…") if p.strip()]
    return all(piece in hit.passage.text for piece in pieces)


def test_a_long_passage_is_cut_at_sentences_around_the_match():
    sentences = [f"Sentence {n} says nothing of note." for n in range(200)]
    sentences[120] = "Sabbaticals come after five years of service."
    text = " ".join(sentences)
    marked = text.replace("Sabbaticals", "\ue000Sabbaticals\ue001")
    cut = quote(text, marked, 400)
    assert len(cut) <= 400
    assert "Sabbaticals come after five years of service." in cut
    assert cut.startswith("… Sentence ") and cut.endswith(" …")
    inner = cut.removeprefix("… ").removesuffix(" …")
    assert inner in text and inner.endswith(".") and inner.split()[0] == "Sentence"


def test_a_single_long_sentence_is_cut_at_a_word():
    text = "word " * 1000 + "end."
    cut = quote(text.strip(), text.strip(), 300)
    assert len(cut) <= 300 and cut.endswith(" …") and cut.removesuffix(" …").endswith("word")


def test_a_short_passage_is_quoted_whole(search):
    hit = search.search("on-call rotation")[0]
    assert hit.quote == hit.passage.text and not hit.cut


def test_quotes_share_slacks_section_limit(acme):
    long = " ".join(f"Promotion note {n} is about promotion." for n in range(400))
    framework = framework_of(
        ACME.replace("text: Everyone joins the on-call rotation", f"text: {long} Everyone joins the on-call rotation")
    )
    hits = FrameworkSearch(framework).search("promotion")
    assert hits and sum(len(h.quote) for h in hits) <= QUOTE_BUDGET + 10


def test_the_index_is_built_once_per_framework_load(acme, monkeypatch):
    builds = []
    original = FrameworkSearch._build
    monkeypatch.setattr(FrameworkSearch, "_build", lambda self: builds.append(1) or original(self))
    answerer = Answerer(acme)
    for _ in range(5):
        answerer.ask("how do I become a tech lead")
        answerer.ask("what's the weather in Lisbon")
    assert len(builds) == 1


def test_a_forked_process_builds_its_own_index(search):
    search._pid = -1  # as if this object had been built in a parent process
    assert search.search("parental leave")[0].passage.place == "Working hours"
    assert search._pid > 0


def test_threads_share_one_index(search):
    expected = [h.passage.place for h in search.search("how are promotions decided")]
    seen: list[list[str]] = []

    def ask() -> None:
        for _ in range(50):
            seen.append([h.passage.place for h in search.search("how are promotions decided")])

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == [expected] * 200


def test_unplaced_questions_are_answered_from_the_text_or_said_not_to_be(acme):
    answerer, renderer = Answerer(acme), Renderer()
    answer = answerer.ask("how do I become a tech lead")
    assert answer.template == "passages"
    text = renderer.terminal(answer.template, **answer.context)
    assert "Staff Engineer" in text and "Acts as tech lead for a team of engineers" in text
    renderer.message(answer.template, **answer.context)

    nothing = answerer.ask("what's the weather in Lisbon")
    assert nothing.template == "not_said"
    text = renderer.terminal(nothing.template, **nothing.context)
    assert "the Acme Engineering framework does not say: nothing in its text answers it" in text
    assert "Engineer → Senior Engineer → Staff Engineer" in text  # and what can be asked


def test_search_answers_are_not_shared_between_questions(acme):
    answerer = Answerer(acme)
    one, other = answerer.ask("parental leave"), answerer.ask("on-call rotation")
    assert one.key != other.key
    assert answerer.ask("Parental  leave?").key == answerer.ask("parental leave").key


def test_promotion_questions_quote_the_promotion_sections(acme):
    answer = Answerer(acme).ask("how are promotions decided")
    text = Renderer().terminal(answer.template, **answer.context)
    assert "Promotion process" in text and "calibration committee" in text
    assert "does not say how promotion works" not in text


def test_a_general_question_about_something_else_is_answered_from_the_text(acme):
    answerer = Answerer(acme)
    engineer = acme.level("l1")
    assert answerer.ask("what do I need to become a tech lead", person_level=engineer).template == "passages"
    assert answerer.ask("what do I need for it", person_level=engineer).template == "compare"
    assert answerer.ask("what's my next level?", person_level=engineer).template == "compare"
    assert answerer.ask("show me the ladder").template == "ladder"
    assert answerer.ask("both tracks side by side please").template == "ladder"


def test_a_level_s_page_is_linked_once_per_answer(acme):
    answer = Answerer(acme).ask("what about features")
    levels = [h.passage.level_id for h in answer.context["hits"]]
    assert levels == ["l2", "l2", "l2"]  # summary, scope and decision rights of Senior Engineer
    message = Renderer(public_url="https://ladder.example").message(answer.template, **answer.context)
    links = [b for b in message.blocks if b["type"] == "context" and "ladder.example/ladder/" in str(b)]
    assert len(links) == len(set(levels) - {None})


@pytest.mark.parametrize(
    ("question", "place"),
    [
        ("how do I become a technical lead", "Staff Engineer"),
        ("which eng leads projects across teams", "Staff Engineer — Delivery"),
        ("who presents the team's work to the organization", "Staff Engineer — Communication"),
    ],
)
def test_short_forms_and_spellings(search, question, place):
    assert search.search(question)[0].passage.place == place


def test_a_long_sentence_is_quoted_around_its_match():
    text = "Everyone progresses at their own pace, " + "and so on " * 60 + "but most are ready within 1 to 2 years of joining."
    marked = text.replace("within", "\ue000within")
    cut = quote(text, marked, 200)
    assert len(cut) <= 200 and "within 1 to 2 years" in cut and cut.startswith("… ")
    assert cut.removeprefix("… ").removesuffix(" …") in text


FAQ = ACME.replace(
    "  - title: On-call\n",
    "  - title: Questions people ask\n"
    "    text: Staff engineers often handle multiple projects at once. This page is not a checklist for promotion.\n"
    "  - title: On-call\n",
)


@pytest.mark.parametrize(
    ("question", "template"),
    [
        ("will staff engineers be taking care of multiple projects?", "passages"),
        ("is this framework a checklist for promotion?", "passages"),
        ("what does Staff Engineer mean", "level"),
        ("tell me about a staf engineer", "level"),
        ("Staff Engineer", "level"),
        ("what technical direction does a staff engineer set", "level"),  # only its own passages answer: it shows them
    ],
)
def test_a_name_with_a_subject_of_its_own_is_answered_from_the_text(question, template):
    answer = Answerer(framework_of(FAQ)).ask(question)
    assert answer.template == template
    if template == "passages":
        assert answer.context["hits"][0].passage.place == "Questions people ask"


def test_a_number_beside_a_name_is_not_a_subject():
    assert Answerer(framework_of(FAQ)).ask("what is 1. Staff Engineer").template == "level"
