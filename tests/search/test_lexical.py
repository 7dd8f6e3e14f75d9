from vigil.search.lexical import BM25Index, tokenize


def test_tokenize_stems_and_drops_stopwords():
    assert tokenize("Two PEOPLE walking at the gate") == ["two", "person", "walk", "gate"]
    assert tokenize("cars, vans and buses") == ["car", "van", "buse"]


def test_bm25_prefers_rarer_and_repeated_terms():
    index = BM25Index()
    index.add("1", "a person in a red top")
    index.add("2", "a person in a black top")
    index.add("3", "a red car")
    index.add("4", "an empty scene")
    scores = index.score("red person")
    assert max(scores, key=scores.get) == "1"
    assert "4" not in scores
    assert index.matched_terms("red person", "3") == ["red"]


def test_bm25_filter_and_empty_index():
    assert BM25Index().score("anything") == {}
    index = BM25Index()
    index.add("1", "red car")
    index.add("2", "red car")
    assert set(index.score("car", allowed={"2"})) == {"2"}


def test_looks_english():
    from vigil.words import looks_english

    assert looks_english("person loitering near the gate after hours")
    assert looks_english("red car")
    assert not looks_english("iemand met een grijs vest")
    assert not looks_english("une personne qui court")
    assert not looks_english("una persona con una bicicleta")


def test_a_document_indexed_again_with_new_text_is_scored_on_the_new_text():
    index = BM25Index()
    index.add("1", "a vehicle driving up")
    index.add("2", "an empty scene")
    index.add("1", "a person walking up")  # re-captioned
    assert "1" not in index.score("vehicle") and "1" in index.score("person")
    assert len(index) == 2
    index.remove("1")
    assert index.score("person") == {} and len(index) == 1
    index.remove("1")  # twice is fine
