"""Issue 5 through the page helpers: suggestions, events with answers, the registry."""

from tests.helpers.pages import WorkbenchPage  # noqa: F401 (documents what `page` is)


def test_accepting_and_rejecting_suggestions_in_the_open_document(page):
    page.open_document("Russia-US Relations")
    queue = page.suggestions()
    assert ("Vladivostok", "Vladivostok") not in queue  # not an entity of the registry
    assert any(entity == "Joe Biden" for _text, entity in queue)
    first_text, first_entity = queue[0]
    before = len(page.session.annotations.for_document(page.window.reader.document_id))
    page.accept_suggestion()
    passages = page.session.annotations.for_document(page.window.reader.document_id)
    assert len(passages) == before + 1
    new = next(
        p
        for p in passages
        if p.exact == first_text and page.linked(p) == [(first_entity, "mentioned")]
    )
    assert new is not None
    assert len(page.suggestions()) == len(queue) - 1
    page.reject_suggestion()
    assert len(page.suggestions()) == len(queue) - 2
    page.undo()  # the rejection
    page.undo()  # the accepted passage and its link, one step
    assert len(page.session.annotations.for_document(page.window.reader.document_id)) == before
    assert len(page.suggestions()) == len(queue)


def test_an_event_from_passages_answering_another_appears_in_the_timeline(page):
    page.open_document("Biden imposes new sanctions on Russia and expels ten diplomats")
    page.select_text("stopped short of listing specific retaliatory actions")
    passage = page.annotate("Countermeasure")
    page.select_passage(passage)
    event_id = page.new_event(
        "Moscow holds back its list of measures",
        kind="countermeasure",
        actor="Russia",
        target="United States",
        answers="US expels ten Russian diplomats",
        propose_date=False,
    )
    event = next(
        e
        for e in page.session.episodes.events(page.session.episodes.resolve(None).id)
        if e.id == event_id
    )
    assert event.kind == "countermeasure" and event.responds_to is not None
    assert [e.annotation_id for e in page.session.episodes.evidence_of(event_id)] == [passage.id]
    timeline = page.window.timeline
    assert timeline.model.index_of(event_id).isValid()
    page.undo()
    assert all(e.id != event_id for e in page.session.episodes.events(event.episode_id))
