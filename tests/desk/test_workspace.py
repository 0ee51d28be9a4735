"""The page workspace over real HTTP: every tool for every role that may use it, refusals
for those that may not, stale and hostile forms, the column-broken paragraph joined."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission, User
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from reversion.models import Revision

from articles.body import MAX_PARAGRAPH_CHARS
from articles.flags import Flag
from articles.models import NOTE_SEPARATOR, Article
from desk import revisions, workspace
from desk import tools as editing
from desk.admin.articles import edit_lock
from desk.forms import STALE
from issues.importer.notes import NoteCode
from issues.importing import do_import_issue
from issues.models import Page
from tests.conftest import SAMPLE, make_user, publish

pytestmark = pytest.mark.django_db

BROKEN_HEAD = "每天要上门为居家"
BROKEN_TAIL = "隔离和行动不便"
EDITING_ROLES = ("editor", "chief", "superuser")


@pytest.fixture
def page(db) -> Page:
    """The sample's front page, imported and not yet published: what editors correct."""
    issue = do_import_issue(SAMPLE.read_bytes(), source_name=SAMPLE.name).issue
    return issue.pages.get(number=1)


def login(client, role: str) -> User | None:
    if role == "anonymous":
        return None
    if role == "superuser":
        user = User.objects.create_superuser("root", password="pw-root")  # noqa: S106
    elif role == "viewer":
        user = make_user("viewer")
        user.user_permissions.add(*Permission.objects.filter(codename__in=["view_article", "view_page"]))
    else:
        user = make_user(role, {"staff": None, "editor": "Editors", "chief": "Chief editors"}[role])
    client.force_login(user)
    return user


def items(page: Page) -> list[Article]:
    return list(Article.objects.filter(page=page).order_by("position"))


def state(page: Page) -> list[tuple]:
    return [(a.pk, a.position, a.kicker, a.headline, a.subheadline, a.body) for a in items(page)]


def ws_url(page: Page) -> str:
    return reverse("admin:issues_page_workspace", args=[page.pk])


def act(client, article: Article, action: str, **data):
    article.refresh_from_db()
    url = reverse("admin:issues_page_workspace_action", args=[article.page_id, article.pk, action])
    return client.post(url, {"stamp": workspace.stamp(article), **data})


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def broken() -> tuple[Article, int]:
    article = next(a for a in Article.objects.all() if any(p["text"].endswith(BROKEN_HEAD) for p in a.body))
    return article, next(i for i, p in enumerate(article.body) if p["text"].endswith(BROKEN_HEAD))


# --- who may -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 302), ("staff", 403), ("viewer", 403), ("editor", 200), ("chief", 200), ("superuser", 200)],
)
def test_the_workspace_opens_for_those_who_may_change_items(client, page, role, expected):
    login(client, role)
    response = client.get(ws_url(page))
    assert response.status_code == expected
    if role == "anonymous":
        assert response["Location"].startswith("/admin/login/")
    if expected == 200:
        text = response.content.decode()
        assert "版面工作台" in text and "原始提取文本" in text
        assert all(f'id="item-{a.pk}"' in text for a in items(page))


ACTIONS = {
    "titles": {"kicker": "", "headline": "新主题", "subheadline": ""},
    "paragraph": {"block": 0, "text": "改过的段落", "kind": "text"},
    "split": {"block": 1},
    "join": {"block": 0},
    "subhead": {"block": 0},
    "delete": {"block": 0},
    "raise": {"block": 1},
    "promote": {"block": 0, "role": "subheadline"},
    "move": {"block": 0},
    "demote": {"role": "headline"},
    "swap": {"swap_a": "kicker", "swap_b": "headline"},
    "merge": {"confirm": "1"},
}


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize(("role", "expected"), [("anonymous", 302), ("staff", 403), ("viewer", 403)])
def test_no_button_works_without_change_permission(client, page, action, role, expected):
    login(client, role)
    article = items(page)[1]
    before = state(page)
    data = {**ACTIONS[action], "target": items(page)[2].pk}
    assert act(client, article, action, **data).status_code == expected
    assert state(page) == before


@pytest.mark.parametrize("role", EDITING_ROLES)
def test_every_tool_through_the_workspace(client, page, role):
    login(client, role)
    first, story, third = items(page)[:3]
    count = len(items(page))

    response = act(client, story, "titles", kicker="引题一", headline='主题"带引号"', subheadline="")
    assert response.status_code == 302 and response["Location"] == f"{ws_url(page)}#item-{story.pk}"
    story.refresh_from_db()
    assert (story.kicker, story.headline, story.edited) == ("引题一", '主题"带引号"', True)
    assert "保存标题：完成" in " ".join(messages_of(client.get(ws_url(page))))

    act(client, story, "swap", swap_a="kicker", swap_b="headline")
    story.refresh_from_db()
    assert (story.kicker, story.headline) == ('主题"带引号"', "引题一")

    act(client, story, "demote", role="kicker")
    story.refresh_from_db()
    assert story.kicker == "" and story.body[0]["text"] == '主题"带引号"'

    act(client, story, "promote", block=0, role="subheadline")
    story.refresh_from_db()
    assert story.subheadline == '主题"带引号"' and story.body[0]["text"] != story.subheadline

    act(client, story, "paragraph", block=0, text='他说："好"。', kind="text")
    story.refresh_from_db()
    assert story.body[0] == {"kind": "text", "text": '他说："好"。'}

    act(client, story, "subhead", block=1)
    story.refresh_from_db()
    assert story.body[1]["kind"] == "subhead"
    act(client, story, "paragraph", block=1, text="短小标题", kind="subhead")

    story.refresh_from_db()
    second, third_paragraph = story.body[1], story.body[2]
    act(client, story, "raise", block=2)
    story.refresh_from_db()
    assert story.body[1:3] == [third_paragraph, second]
    act(client, story, "raise", block=2)
    length = len(story.body)
    act(client, story, "delete", block=length - 1)
    story.refresh_from_db()
    assert len(story.body) == length - 1 and story.body[1] == second

    length = len(story.body)
    act(client, story, "join", block=2)
    story.refresh_from_db()
    assert len(story.body) == length - 1

    moved, length = story.body[-1], len(story.body)
    act(client, story, "move", block=length - 1, target=third.pk)
    story.refresh_from_db()
    third.refresh_from_db()
    assert third.body[0] == moved and len(story.body) == length - 1  # the next item gets it at its top

    before_split = list(story.body)
    assert before_split[1] == {"kind": "subhead", "text": "短小标题"}
    response = act(client, story, "split", block=1)
    new = Article.objects.get(page=page, position=story.position + 1)
    assert response["Location"] == f"{ws_url(page)}#item-{new.pk}"
    assert len(items(page)) == count + 1 and new.body == before_split[2:] and new.headline == "短小标题"
    assert not new.has_flag(Flag.MISSING_HEADLINE)  # the subhead it was split at heads it

    response = act(client, new, "merge", confirm="1")
    assert response["Location"] == f"{ws_url(page)}#item-{story.pk}"
    story.refresh_from_db()
    assert len(items(page)) == count and first.pk in {a.pk for a in items(page)}
    assert story.body == [before_split[0], {"kind": "text", "text": "短小标题"}, *before_split[2:]]
    comments = list(Revision.objects.order_by("pk").values_list("comment", flat=True))
    words = (
        "修改标题",
        "交换标题",
        "降为正文",
        "段落升为",
        "修改第1段",
        "切换小标题",
        "拼接段落",
        "移动段落",
        "上移",
        "删除第",
    )
    for word in words:
        assert any(word in c for c in comments), word
    assert any(c.startswith("拆分稿件") for c in comments) and any(c.startswith("合并稿件") for c in comments)


def test_joining_the_column_broken_paragraph(client, page):
    user = login(client, "editor")
    article, index = broken()
    head, tail = article.body[index]["text"], article.body[index + 1]["text"]
    assert tail.startswith(BROKEN_TAIL)
    page_text = client.get(ws_url(page)).content.decode()
    assert f"{BROKEN_HEAD}</textarea>" in page_text and "与下段拼接" in page_text

    response = act(client, article, "join", block=index)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.body[index] == {"kind": "text", "text": head + tail}
    assert BROKEN_HEAD + BROKEN_TAIL in article.body[index]["text"] and article.edited
    revision = Revision.objects.order_by("-pk").first()
    assert revision.user == user and revision.comment.startswith("拼接段落")
    assert "与下段拼接：完成" in " ".join(messages_of(client.get(ws_url(page))))


def test_a_join_resolves_the_lost_text_finding_at_that_break_only(page):
    article, index = broken()
    findings = lambda: set(article.flag_set.get(code=Flag.POSSIBLE_LOST_TEXT).note.split(NOTE_SEPARATOR))  # noqa: E731
    article.add_flag(Flag.POSSIBLE_LOST_TEXT, "没有句末标点：…别处的另一段")
    at_the_break = NoteCode.ENDS_MID_SENTENCE.zh.format(tail=article.body[index]["text"][-12:])
    before = findings()
    assert at_the_break in before and len(before) >= 2  # the importer's finding at this very break
    editing.do_join_paragraphs(article, index)
    assert findings() == before - {at_the_break}  # that break's finding went, the others stay
    article.flag_set.filter(code=Flag.POSSIBLE_LOST_TEXT).update(
        note=NoteCode.ENDS_MID_SENTENCE.zh.format(tail=article.body[0]["text"][-12:])
    )
    editing.do_join_paragraphs(article, 0)
    assert not article.has_flag(Flag.POSSIBLE_LOST_TEXT)  # its last finding resolved, the flag goes


def test_flags_show_where_they_apply_in_chinese(client, page):
    login(client, "editor")
    article, index = broken()
    article.add_flag(Flag.POSSIBLE_LOST_TEXT, f"a block ends mid-sentence: …{article.body[index]['text'][-12:]}")
    text = client.get(ws_url(page)).content.decode()
    start = text.index(f'id="item-{article.pk}-p{index + 1}"')
    paragraph = text[start : text.index("</li>", start)]
    assert Flag.POSSIBLE_LOST_TEXT.label in paragraph and Flag.POSSIBLE_LOST_TEXT.explanation in paragraph
    assert Flag.MISSING_HEADLINE.explanation in text


# --- refusals say why and change nothing ------------------------------------------------------


@pytest.mark.parametrize(
    ("pick", "action", "data", "message"),
    [
        (0, "merge", {"confirm": "1"}, "本版没有上一篇稿件可以合并"),
        (1, "split", {"block": 0}, "请选第二段或之后的段落拆分"),
        (1, "join", {"block": 99}, "最后一段后面没有段落"),
        (1, "raise", {"block": 0}, "第一段已在最前"),
        (1, "delete", {"block": 99}, "没有这一段"),
        (1, "paragraph", {"block": 0, "text": "   ", "kind": "text"}, "段落不能为空"),
        (1, "paragraph", {"block": 0, "text": "长" * (MAX_PARAGRAPH_CHARS + 1), "kind": "text"}, "段落太长"),
        (1, "swap", {"swap_a": "kicker", "swap_b": "kicker"}, "请选两个不同的标题角色"),
        (1, "titles", {"headline": "长" * 201}, "主题："),
        (1, "promote", {"block": 0, "role": "bogus"}, "升为："),
        (1, "move", {"block": 0, "target": 999999}, "移到："),
        (1, "subhead", {"block": "-1"}, "段落："),
        (1, "subhead", {"block": "abc"}, "段落："),
    ],
)
def test_a_refused_tool_says_why_in_chinese_and_changes_nothing(client, page, pick, action, data, message):
    login(client, "editor")
    article = items(page)[pick]
    before = state(page)
    response = act(client, article, action, **data)
    assert response.status_code == 302 and response["Location"].endswith(f"#item-{article.pk}")
    shown = " ".join(messages_of(client.get(ws_url(page))))
    assert message in shown, shown
    assert state(page) == before


def test_a_stale_form_is_refused(client, page):
    login(client, "editor")
    article = items(page)[1]
    old = workspace.stamp(article)
    editing.do_toggle_subhead(article, 0)  # someone else changed the item meanwhile
    before = state(page)
    url = reverse("admin:issues_page_workspace_action", args=[page.pk, article.pk, "split"])
    client.post(url, {"stamp": old, "block": 1})
    assert state(page) == before
    assert STALE in " ".join(messages_of(client.get(ws_url(page))))


def test_a_paragraph_cannot_move_to_another_page_or_an_item_elsewhere(client, page):
    login(client, "editor")
    other = Page.objects.create(issue=page.issue, number=2)
    stranger = Article.objects.create(page=other, position=1, body=[{"kind": "text", "text": "别版"}])
    article = items(page)[1]
    before = state(page)
    act(client, article, "move", block=0, target=stranger.pk)
    assert state(page) == before and stranger.body == Article.objects.get(pk=stranger.pk).body
    # An item of another page named in the URL is not found, whatever the form says.
    url = reverse("admin:issues_page_workspace_action", args=[other.pk, article.pk, "split"])
    assert client.post(url, {"stamp": workspace.stamp(article), "block": 1}).status_code == 404
    assert client.post(url.replace("/split/", "/bogus/"), {}).status_code == 404
    assert (
        client.get(reverse("admin:issues_page_workspace_action", args=[page.pk, article.pk, "split"])).status_code
        == 405
    )
    assert client.get(reverse("admin:issues_page_workspace", args=[999999])).status_code == 404
    assert state(page) == before


def test_merge_asks_first_naming_the_item_it_merges_into(client, page):
    login(client, "editor")
    previous, article = items(page)[1:3]
    before = state(page)
    response = act(client, article, "merge")
    assert response.status_code == 200 and state(page) == before
    text = response.content.decode()
    assert "确认并入" in text and str(previous)[:10] in text and str(article)[:10] in text
    workspace_text = client.get(ws_url(page)).content.decode()
    assert f"并入上一篇（第 {previous.position} 篇）" in workspace_text  # what the script's dialog asks


def test_hostile_text_is_escaped(client, page):
    login(client, "editor")
    article = items(page)[1]
    act(client, article, "titles", headline='<script>alert("x")</script>', kicker="", subheadline="")
    act(client, article, "paragraph", block=0, text="<img src=x onerror=alert(1)>", kind="text")
    text = client.get(ws_url(page)).content.decode()
    assert "<script>alert" not in text and "<img src=x" not in text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in text and "&lt;img src=x onerror=alert(1)&gt;" in text


def test_swap_defaults_to_the_lines_that_hold_text(client, page):
    login(client, "editor")
    story = items(page)[1]  # kicker and headline
    titled = items(page)[4]
    Article.objects.filter(pk=titled.pk).update(kicker="", headline="只有主题和副题的稿件", subheadline="副题乙")
    titled.refresh_from_db()
    assert workspace.swap_default(story) == ("kicker", "headline")
    assert workspace.swap_default(titled) == ("headline", "subheadline")
    text = client.get(ws_url(page)).content.decode()
    section = text[text.index(f'id="item-{titled.pk}"') :]
    assert f'<option value="headline" selected>主题：{titled.headline[:9]}' in section
    assert '<option value="subheadline" selected>副题：' in section


def test_the_workspace_costs_the_same_queries_however_many_items(client, page):
    login(client, "editor")
    client.get(ws_url(page))
    with CaptureQueriesContext(connection) as before:
        assert client.get(ws_url(page)).status_code == 200
    editing.do_split_article(items(page)[1], 1)
    editing.do_split_article(items(page)[-1], 1)
    with CaptureQueriesContext(connection) as after:
        assert client.get(ws_url(page)).status_code == 200
    assert len(after) == len(before), [q["sql"][:80] for q in after]


def test_another_editors_lock_is_shown_and_warned_about(client, page):
    login(client, "editor")
    article = items(page)[1]
    cache.clear()
    edit_lock(article, make_user("colleague", "Editors"), claim=True)
    assert "colleague 自" in client.get(ws_url(page)).content.decode()
    act(client, article, "subhead", block=0)
    article.refresh_from_db()
    assert article.body[0]["kind"] == "subhead"  # the lock warns, it never blocks
    assert any("colleague" in m for m in messages_of(client.get(ws_url(page))))
    cache.clear()


def test_the_workspace_is_linked_from_page_issue_and_item(client, page):
    login(client, "editor")
    article = items(page)[1]
    url = ws_url(page)
    assert url in client.get(reverse("admin:issues_page_change", args=[page.pk])).content.decode()
    assert url in client.get(reverse("admin:issues_issue_change", args=[page.issue_id])).content.decode()
    assert url in client.get(reverse("admin:issues_page_changelist")).content.decode()
    assert (
        f"{url}#item-{article.pk}"
        in client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    )


def test_the_item_pages_swap_tool_defaults_to_two_different_lines(client, page):
    login(client, "editor")
    story = items(page)[1]
    form = client.get(reverse("admin:articles_article_tool", args=[story.pk, "swap"])).context["form"]
    assert (form["role"].value(), form["role_b"].value()) == ("kicker", "headline")


@pytest.mark.parametrize(("role", "goes_live"), [("editor", False), ("chief", True)])
def test_on_a_published_issue_only_those_whose_edits_go_live_use_the_tools(client, page, role, goes_live):
    """Readers see a published issue: an Editor's change there waits for a Chief editor as a
    revision (desk/revisions.py), so the workspace's tools refuse it and change nothing."""
    publish(page.issue, timezone.now())
    login(client, role)
    article = items(page)[1]
    before = state(page)
    act(client, article, "subhead", block=0)
    assert (state(page) != before) is goes_live
    if not goes_live:
        assert revisions.REFUSAL in " ".join(messages_of(client.get(ws_url(page))))
