"""The catalogue endpoints, as a practitioner's tool or an integration would use them."""

import pytest

from app.catalogue.data import catalogue


def problem(response, status):
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return response.json()


def test_authorities(client):
    body = client.get("/v1/authorities").json()
    # every catalogued authority, from the data (a council is its files), in id order
    assert [a["id"] for a in body] == sorted(catalogue().authorities)
    assert len(body) >= 5
    glos = body[0]
    assert glos["gss_code"] == "E10000013"
    assert glos["default_calendar"] == "england-and-wales"
    assert glos["documents"][0]["published"] == "2024-06"


def test_one_authority(client):
    body = client.get("/v1/authorities/south-gloucestershire").json()
    assert body["name"] == "South Gloucestershire Council"
    assert body["item_count"] == 73


def test_documents_filtered_by_authority(client):
    body = client.get("/v1/documents", params={"authority": "west-sussex"}).json()
    assert len(body) == 1
    assert body[0]["review"] == "March 2021"
    assert body[0]["kinds"]["qa_activity"] == 14


def test_a_document_is_a_tree_in_document_order(client):
    body = client.get("/v1/documents/south-gloucestershire-qa-practice-standards-2023").json()
    standards = [i for i in body["items"] if i["kind"] == "standard"]
    assert [s["number"] for s in standards] == [
        "One",
        "Two",
        "Three",
        "Four",
        "Five",
        "Six",
        "Seven",
        "Eight",
        "Nine",
    ]
    three = standards[2]
    assert three["text"] == (
        "The child’s lived experience is clearly documented; assessments are timely and "
        "analytical and lead to the right help, in the right way, at the right time."
    )
    assert [c["number"] for c in three["children"]][:3] == ["3.1", "3.2", "3.2"]


def test_standard_detail_has_parent_children_and_source(client):
    body = client.get("/v1/standards/together-for-children-sunderland-guide-3").json()
    assert body["kind"] == "practice_guide" and body["title"] == "Child Protection Conferences"
    assert body["source"]["seed_file"] == "001_677b6c596961f689.txt"
    assert body["children"][0]["id"].startswith("together-for-children-sunderland-guide-3-point")
    child = client.get(f"/v1/standards/{body['children'][0]['id']}").json()
    assert child["parent_item"]["id"] == "together-for-children-sunderland-guide-3"
    assert (
        "Initial Child Protection Conferences are undertaken within 15 working days"
        in child["text"]
    )


def test_table_rows_keep_their_cells(client):
    body = client.get(
        "/v1/standards",
        params={
            "authority": "redcar-and-cleveland",
            "kind": "measure",
            "q": "Child Protection Plan agreed",
        },
    ).json()
    top = body["items"][0]
    assert top["fields"]["responsibility"].startswith("Social Worker")
    assert "within 48 hours of a Child Protection Plan being agreed" in top["text"]


def test_filters_combine_and_page(client):
    first = client.get(
        "/v1/standards", params={"authority": "gloucestershire", "kind": "statement", "limit": 10}
    ).json()
    assert first["total"] == 114 and len(first["items"]) == 10
    assert first["items"][0]["number"] == "1.1"
    second = client.get(
        "/v1/standards",
        params={"authority": "gloucestershire", "kind": "statement", "limit": 10, "offset": 10},
    ).json()
    assert second["items"][0]["position"] > first["items"][-1]["position"]


def test_search_is_ranked_with_highlighted_snippets(client):
    body = client.get("/v1/standards", params={"q": "genogram", "limit": 5}).json()
    assert body["total"] >= 8
    scores = [i["score"] for i in body["items"]]
    assert scores == sorted(scores, reverse=True)
    assert all(
        "<mark>" in i["snippet"]
        for i in body["items"]
        if i["snippet"] and "genogram" in i["text"].lower()
    )


def test_search_phrases_and_filters(client):
    body = client.get(
        "/v1/standards", params={"q": '"seen alone"', "theme": "voice-of-the-child"}
    ).json()
    assert body["total"] >= 1
    assert all("seen alone" in i["text"].lower() for i in body["items"])


def test_search_stems_words(client):
    supervised = client.get(
        "/v1/standards", params={"q": "supervised", "authority": "west-sussex"}
    ).json()
    assert supervised["total"] >= 1  # porter stemming: "supervised" finds "supervision"


def test_themes_compare_authorities_side_by_side(client):
    themes = client.get("/v1/themes").json()
    assert len(themes) == 14
    visits = next(t for t in themes if t["id"] == "visits")
    assert set(visits["by_authority"]) == set(catalogue().authorities)
    detail = client.get("/v1/themes/visits").json()
    assert [g["authority"] for g in detail["authorities"]] == sorted(
        g["authority"] for g in detail["authorities"]
    )
    assert (
        sum(len(g["items"]) for g in detail["authorities"])
        == detail["item_count"]
        == visits["item_count"]
    )


def test_reference_data_is_cacheable(client):
    r = client.get("/v1/themes")
    assert r.headers["cache-control"] == "public, max-age=3600"
    etag = r.headers["etag"]
    again = client.get("/v1/themes", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert (
        client.get("/v1/themes", headers={"If-None-Match": f'W/{etag}, "other"'}).status_code == 304
    )
    assert client.get("/v1/themes", headers={"If-None-Match": '"stale"'}).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/v1/authorities/atlantis",
        "/v1/documents/nope",
        "/v1/standards/gloucestershire-statement-99.9",
        "/v1/themes/astrology",
    ],
)
def test_unknown_ids_are_404(client, path):
    body = problem(client.get(path), 404)
    assert "GET /v1/" in body["detail"]


@pytest.mark.parametrize(
    ("params", "loc", "allowed"),
    [
        ({"authority": "atlantis"}, ["query", "authority"], "gloucestershire"),
        ({"theme": "astrology"}, ["query", "theme"], "voice-of-the-child"),
        ({"kind": "poem"}, ["query", "kind"], "statement"),
        ({"document": "x"}, ["query", "document"], "west-sussex-quality-assurance-framework-2020"),
    ],
)
def test_unknown_filter_values_are_422_naming_the_allowed_values(client, params, loc, allowed):
    body = problem(client.get("/v1/standards", params=params), 422)
    assert body["errors"][0]["loc"] == loc
    assert allowed in body["errors"][0]["msg"]


@pytest.mark.parametrize("q", ['"unterminated', "title:", "AND", "*", "NEAR(", "a OR"])
def test_search_syntax_errors_are_422_not_500(client, q):
    body = problem(client.get("/v1/standards", params={"q": q}), 422)
    assert body["errors"][0]["loc"] == ["query", "q"]


@pytest.mark.parametrize(
    ("params", "loc"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 201}, "limit"),
        ({"offset": -1}, "offset"),
        ({"q": "x" * 201}, "q"),
    ],
)
def test_limits_are_bounded(client, params, loc):
    body = problem(client.get("/v1/standards", params=params), 422)
    assert body["errors"][0]["loc"] == ["query", loc]
