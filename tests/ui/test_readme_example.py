"""The worked example of README "Writing GUI tests", kept runnable."""


def test_marking_a_spokesman(page):
    page.open_document("Biden imposes new sanctions on Russia and expels ten diplomats")
    page.select_text("Dmitry Peskov")
    passage = page.annotate("Statement")  # presses the category's key
    page.select_passage(passage)
    page.link_entity("Песков", "speaker")  # an alias, in Cyrillic
    assert page.linked(passage) == [("Dmitry Peskov", "speaker")]
    page.undo()  # Edit → Undo "Link Dmitry Peskov"
    assert page.linked(passage) == []
