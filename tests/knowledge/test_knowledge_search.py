"""Search and suggestions: the right article first, in either language, marked snippets, and
PostgreSQL's stemming and index where it runs."""

import pytest
from django.db import connection

from knowledge import selectors
from knowledge.search import articles_search, search_words, snippet
from tests.knowledge.factories import ArticleFactory

pytestmark = pytest.mark.django_db
on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search")


@pytest.fixture
def till(world):
    return ArticleFactory(
        author=world["people"]["agent"], visibility="customers",
        title_de="Kasse startet nicht nach dem Update", body_de="Die Kasse startet nicht. Taste F8 halten.",
        title_en="Cash register does not start after the update", body_en="Hold F8 while switching it on.",
    )


def _search(user, text, language="de", match_any=False):
    return articles_search(articles=selectors.articles_readable_by(user=user), text=text, language=language,
                           match_any=match_any)


def test_the_german_words_find_the_article_first(world, till):
    hits = _search(world["people"]["mueller"], "Kasse startet nicht", match_any=True)
    assert hits[0].article == till
    assert hits[0].title == "Kasse startet nicht nach dem Update"
    assert not hits[0].fallback


def test_the_english_words_find_the_same_article_in_english(world, till):
    hits = _search(world["people"]["acme"], "cash register does not start", language="en", match_any=True)
    assert hits[0].article == till
    assert hits[0].title == "Cash register does not start after the update"


def test_the_search_page_asks_for_every_word(world, till):
    assert _search(world["people"]["mueller"], "Kasse Fernwartung") == []
    assert [hit.article for hit in _search(world["people"]["mueller"], "Kasse Update")] == [till]


def test_snippets_mark_the_words_and_escape_the_text(world):
    article = ArticleFactory(author=world["people"]["agent"], title_de="Drucker <b>weg</b>",
                             body_de="Der Drucker <script>x</script> druckt nicht.")
    (hit,) = _search(world["people"]["mueller"], "Drucker")
    assert hit.article == article
    assert "<script>" not in hit.snippet
    assert "<mark>" in hit.snippet


def test_a_missing_language_falls_back_to_the_other_one(world):
    ArticleFactory(author=world["people"]["agent"], title_de="Zählerstände erfassen", body_de="Zählerstände App",
                   title_en="", body_en="")
    (hit,) = _search(world["people"]["acme"], "Zählerstände", language="en")
    assert (hit.title, hit.language, hit.fallback) == ("Zählerstände erfassen", "de", True)


def test_nothing_to_search_finds_nothing(world, till):
    assert _search(world["people"]["mueller"], "  ,; ") == []
    assert search_words("a an Kasse KASSE kasse") == ["kasse"]


def test_the_python_snippet_cuts_round_the_first_match():
    text = " ".join(f"wort{i}" for i in range(100)) + " Kasse"
    cut = snippet(text, ["kasse"])
    assert cut.startswith("… ")
    assert cut.endswith("<mark>Kasse</mark>")


@on_postgres
def test_german_stemming_finds_other_forms_of_the_word(world):
    article = ArticleFactory(author=world["people"]["agent"], title_de="Kassen starten langsam",
                             body_de="Wenn die Kassen langsam starten …", title_en="", body_en="")
    hits = _search(world["people"]["mueller"], "Kasse startet", match_any=True)
    assert article in [hit.article for hit in hits]
    assert "<mark>" in hits[0].snippet


@on_postgres
def test_the_search_index_exists_on_postgresql(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'kb_article_search_idx'")
        (definition,) = cursor.fetchone()
    assert "gin" in definition.lower()
    assert "search_document" in definition


@on_postgres
def test_a_change_of_the_text_changes_what_is_found(world):
    from knowledge import services
    from tests.knowledge.factories import NOW

    article = ArticleFactory(author=world["people"]["agent"], title_de="Waage zeigt nichts",
                             body_de="Waage neu starten.", title_en="", body_en="")
    assert _search(world["people"]["mueller"], "Waage")[0].article == article
    services.article_update(article=article, actor=world["people"]["agent"], now=NOW, kind=article.kind,
                            visibility=article.visibility, title_de="Scanner zeigt nichts",
                            body_de="Scanner neu starten.", title_en="", body_en="")
    assert _search(world["people"]["mueller"], "Waage") == []
    assert _search(world["people"]["mueller"], "Scanner")[0].article == article
