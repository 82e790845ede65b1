"""Source links on a set's pages: unsafe addresses dropped, https kept and linked."""

from __future__ import annotations

import pytest
from helpers import small_bank


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "ftp://x",
        "//example.org/festival",
    ],
)
def test_unsafe_source_url_is_dropped(app, client, factory, url):
    from quizapp.extensions import db
    from quizapp.models import QuestionSet

    bank = small_bank()
    bank["source"]["url"] = url
    set_id = factory.bank_set(bank)
    with app.app_context():
        assert db.session.get(QuestionSet, set_id).source_url is None
    html = client.get(f"/sets/{set_id}").get_data(as_text=True).lower()
    assert 'href="javascript:' not in html
    assert 'href="data:' not in html and 'href="ftp:' not in html


def test_https_source_url_is_kept_and_linked(app, client, factory):
    from quizapp.extensions import db
    from quizapp.models import QuestionSet

    set_id = factory.bank_set()
    with app.app_context():
        assert db.session.get(QuestionSet, set_id).source_url == "https://example.org/festival"
    html = client.get(f"/sets/{set_id}").get_data(as_text=True)
    assert 'href="https://example.org/festival"' in html
