"""Flags as a checklist: each flag reviewed on its own, saving an item re-runs the checks that
can be re-run, and clearing every flag at once is the chief editor's, recorded in history."""

from __future__ import annotations

import pytest
from reversion.models import Revision

from articles.flags import Flag
from articles.models import Article
from issues.importer.text import quotes_paired
from issues.importing import do_import_issue
from tests.conftest import SAMPLE, make_user
from tests.desk.admin_forms import admin_form_data

pytestmark = pytest.mark.django_db
ITEMS = "/admin/articles/article/"


@pytest.fixture
def sample_issue(db, sample_bytes):
    """The sample imported and not yet published: what editors correct (an Editor's save on a
    published item waits as a revision, tests/desk/test_revisions.py)."""
    return do_import_issue(sample_bytes, source_name=SAMPLE.name).issue


@pytest.fixture
def roles(db):
    return {
        "staff": make_user("staff"),
        "editor": make_user("editor", "Editors"),
        "chief": make_user("chief", "Chief editors"),
    }


def two_flags(issue) -> Article:
    return (
        Article.objects.filter(page__issue=issue)
        .with_flag(Flag.MISSING_HEADLINE)
        .with_flag(Flag.POSSIBLE_LOST_TEXT)
        .get()
    )


def test_an_editor_reviews_one_flag_and_only_that_one(client, sample_issue, roles):
    item = two_flags(sample_issue)
    client.force_login(roles["editor"])
    page = client.get(f"{ITEMS}{item.pk}/change/").content.decode()
    assert page.count(">审过此项</button>") == item.flag_set.count()
    lost = item.flag_set.get(code=Flag.POSSIBLE_LOST_TEXT)

    response = client.post(f"{ITEMS}{item.pk}/flag/{lost.pk}/review/")
    assert response.status_code == 302
    lost.refresh_from_db()
    assert lost.reviewed_by == roles["editor"] and lost.reviewed_at is not None
    assert item.has_flag(Flag.MISSING_HEADLINE), "the other flags stay open"
    revision = Revision.objects.order_by("-pk").first()
    assert revision.user == roles["editor"] and f"标为已审（“{Flag.POSSIBLE_LOST_TEXT.label}”）" in revision.comment
    assert "已审过" in client.get(f"{ITEMS}{item.pk}/change/").content.decode()


@pytest.mark.parametrize(("role", "status"), [("staff", 403), ("editor", 405), ("chief", 405)])
def test_reviewing_a_flag_is_a_post_of_someone_who_may_change_the_item(client, sample_issue, roles, role, status):
    item = two_flags(sample_issue)
    flag = item.flag_set.first()
    client.force_login(roles[role])
    assert client.get(f"{ITEMS}{item.pk}/flag/{flag.pk}/review/").status_code == status
    if role == "staff":
        assert client.post(f"{ITEMS}{item.pk}/flag/{flag.pk}/review/").status_code == 403
    other = Article.objects.filter(page__issue=sample_issue).exclude(pk=item.pk).first()
    assert client.post(f"{ITEMS}{other.pk}/flag/{flag.pk}/review/").status_code == 404, "a flag of another item"
    flag.refresh_from_db()
    assert flag.reviewed_at is None


def test_only_a_chief_editor_clears_all_flags_in_bulk_and_it_is_recorded(client, sample_issue, roles):
    flagged = list(Article.objects.filter(page__issue=sample_issue).flagged())
    bulk = {"action": "mark_reviewed", "_selected_action": [a.pk for a in flagged]}
    client.force_login(roles["editor"])
    assert 'value="mark_reviewed"' not in client.get(ITEMS).content.decode()
    client.post(ITEMS, bulk)
    assert Article.objects.filter(page__issue=sample_issue).flagged().count() == len(flagged)
    item = flagged[0]
    assert client.get(f"{ITEMS}{item.pk}/tool/reviewed/").status_code == 403
    assert client.post(f"{ITEMS}{item.pk}/tool/reviewed/").status_code == 403
    assert "tool/reviewed/" not in client.get(f"{ITEMS}{item.pk}/change/").content.decode()

    client.force_login(roles["chief"])
    client.post(ITEMS, bulk)
    assert not Article.objects.filter(page__issue=sample_issue).flagged().exists()
    revision = Revision.objects.order_by("-pk").first()
    assert revision.user == roles["chief"] and revision.comment.startswith(f"标为已审（全部标记）：{len(flagged)} 篇")


def test_saving_an_item_clears_the_missing_headline_once_there_is_one(client, sample_issue, roles):
    item = two_flags(sample_issue)
    client.force_login(roles["editor"])
    data = admin_form_data(client.get(f"{ITEMS}{item.pk}/change/"))
    client.post(f"{ITEMS}{item.pk}/change/", data)
    assert item.has_flag(Flag.MISSING_HEADLINE), "saved unchanged: still no headline"
    response = client.post(f"{ITEMS}{item.pk}/change/", {**data, "headline": "补上的主题"}, follow=True)
    assert not item.has_flag(Flag.MISSING_HEADLINE) and item.has_flag(Flag.POSSIBLE_LOST_TEXT)
    assert "缺主题的问题已改好" in response.content.decode()


def test_saving_an_item_whose_quotes_now_pair_clears_the_quote_flag(client, sample_issue, roles):
    item = Article.objects.get(page__issue=sample_issue, headline="规定动作“不能少")
    assert item.has_flag(Flag.UNBALANCED_QUOTES)
    client.force_login(roles["editor"])
    data = admin_form_data(client.get(f"{ITEMS}{item.pk}/change/"))
    client.post(f"{ITEMS}{item.pk}/change/", {**data, "subheadline": "另一处“引号"})
    assert item.has_flag(Flag.UNBALANCED_QUOTES), "still unpaired: the flag stays"
    response = client.post(f"{ITEMS}{item.pk}/change/", {**data, "headline": "规定动作“不能少”"}, follow=True)
    assert not item.has_flag(Flag.UNBALANCED_QUOTES)
    assert "引号不成对的问题已改好" in response.content.decode()


def test_the_quote_check_on_edited_text():
    assert quotes_paired(["他说：“好。”", "‘一’和‘二’", "Workers’ Daily"])
    assert not quotes_paired(["他说：“好。"])
    assert not quotes_paired(["好。”"])
    assert not quotes_paired(["“一“二”"])
    assert not quotes_paired(['他说:"好'])
