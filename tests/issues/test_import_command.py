"""The import_issue command: the sample end to end, re-import policy, many files, bad input."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from reversion.models import Version

from articles.models import Article, ArticleFlag, Credit, Person, Photo
from issues.importer.masthead import lunar_of
from issues.importing import ImportOutcome
from issues.models import Issue, Page
from tests.conftest import ROOT, SAMPLE

MASTHEAD = "2022年3月25日 星期五 壬寅年二月廿三 第21054期 今日八版"
SAMPLE_PEOPLE = {"毛浓曦", "陈昌云", "邹倜然", "祝琳", "梁雪冰", "张菁", "赵琬微", "曹阳", "康劲"}
CONTRACT_ISSUE_KEYS = {"publication", "date", "weekday", "lunar_date", "number", "page_count"}
CONTRACT_ITEM_KEYS = {
    "kind",
    "kicker",
    "headline",
    "subheadline",
    "byline",
    "authors",
    "source",
    "dateline",
    "paragraphs",
    "photos",
    "continued_to",
    "continued_from",
    "flags",
}


def run(*args: str) -> tuple[int, str, str]:
    """Run the command in-process: (exit status, stdout, stderr)."""
    out, err = StringIO(), StringIO()
    try:
        call_command("import_issue", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def snapshot() -> dict[str, object]:
    return {
        "issues": list(Issue.objects.values_list("id", "source_sha256", "status")),
        "pages": Page.objects.count(),
        "articles": sorted(Article.objects.values_list("id", flat=True)),
        "photos": Photo.objects.count(),
        "credits": Credit.objects.count(),
        "people": Person.objects.count(),
    }


def shifted(text: str, days: int) -> str:
    """The sample as the issue ``days`` later: its own date, weekday, lunar date and number."""
    date = dt.date(2022, 3, 25) + dt.timedelta(days=days)
    weekday = "一二三四五六日"[date.weekday()]
    line = f"{date.year}年{date.month}月{date.day}日 星期{weekday} {lunar_of(date)} 第{21054 + days}期 今日八版"
    return text.replace(MASTHEAD, line)


def write(path: Path, data: bytes | str) -> Path:
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


@pytest.fixture
def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


# --- the sample, end to end ---------------------------------------------------------------


@pytest.mark.django_db
def test_sample_imports_end_to_end():
    code, out, err = run(str(SAMPLE), "--publish", "--override-flags", "--reason", "示例数据，已人工核对")

    assert code == 0, err
    assert err == ""
    issue = Issue.objects.get()
    assert (issue.date, issue.number, issue.page_count) == (dt.date(2022, 3, 25), 21054, 8)
    assert issue.status == Issue.Status.PUBLISHED and issue.is_public
    assert issue.source_name == SAMPLE.name
    assert Page.objects.filter(issue=issue).count() == 1
    assert Article.objects.count() == 8
    assert Article.objects.filter(kind="photo").count() == 2
    assert Photo.objects.count() == 2
    assert Credit.objects.count() == 9
    assert set(Person.objects.values_list("name", flat=True)) == SAMPLE_PEOPLE
    both = Article.objects.get(people__name="邹倜然")
    assert [c.person.name for c in both.credits.order_by("position")] == ["邹倜然", "祝琳"]
    assert sorted(Photo.objects.values_list("photographers", flat=True)) == [["曹阳"], ["梁雪冰"]]

    lines = out.splitlines()
    assert lines[0].startswith(
        f"{SAMPLE.name}: 工人日报 2022-03-25 第21054期 {ImportOutcome.CREATED.label}：1 版，8 篇稿件"
    )
    assert "  警告：报头预告的第2-8版缺失" in lines
    assert "  未归属的文本块：0" in lines
    assert "  已发布（已忽略未审标记）" in lines
    assert lines[-1] == f"1 个文件：{ImportOutcome.CREATED.label} 1"


# --- publishing: the workflow's flag rule, with an override the history records --------------


@pytest.mark.django_db
def test_publish_refuses_an_issue_with_unreviewed_flags_and_imports_nothing():
    before = snapshot()
    code, out, err = run(str(SAMPLE), "--publish")

    assert code == 1
    [line] = err.splitlines()
    assert line.startswith(f"{SAMPLE}: ") and "未审标记" in line and "未导入" in line
    assert '--override-flags --reason "理由"' in line
    assert snapshot() == before and not Issue.objects.exists()
    assert out.splitlines()[-1] == "1 个文件：失败 1"


@pytest.mark.django_db
def test_the_override_is_recorded_in_history_as_the_command_line():
    code, _, err = run(str(SAMPLE), "--publish", "--override-flags", "--reason", "总编辑电话批准")
    assert code == 0, err
    issue = Issue.objects.get()
    revision = Version.objects.get_for_object(issue).get().revision
    comment = revision.get_comment()
    assert revision.user is None
    assert comment.startswith("发布（忽略") and "未审标记" in comment
    assert "命令行导入（操作系统用户 " in comment and "理由：总编辑电话批准" in comment
    assert not Article.objects.filter(page__issue=issue, issue_published_at=None).exists()


@pytest.mark.django_db
def test_an_override_needs_publish_and_a_reason():
    with pytest.raises(CommandError, match="--override-flags 须写明理由"):
        run(str(SAMPLE), "--publish", "--override-flags")
    with pytest.raises(CommandError, match="--override-flags 须写明理由"):
        run(str(SAMPLE), "--publish", "--override-flags", "--reason", "  ")
    with pytest.raises(CommandError, match="--override-flags 只能与 --publish 同用"):
        run(str(SAMPLE), "--override-flags", "--reason", "x")
    assert not Issue.objects.exists()


@pytest.mark.django_db
def test_publish_of_a_reviewed_issue_needs_no_override():
    assert run(str(SAMPLE))[0] == 0
    ArticleFlag.objects.mark_reviewed(None)
    code, out, err = run(str(SAMPLE), "--publish")
    assert code == 0, err
    assert "  已发布" in out.splitlines() and Issue.objects.get().is_public
    assert Version.objects.get_for_object(Issue.objects.get()).get().revision.get_comment().startswith("发布；")
    code, out, _ = run(str(SAMPLE), "--publish")
    assert code == 0 and "  已发布" not in out.splitlines(), "already public: nothing to do"


@pytest.mark.django_db
def test_dry_run_writes_nothing():
    before = snapshot()
    code, out, err = run(str(SAMPLE), "--dry-run")

    assert code == 0, err
    assert ImportOutcome.DRY_RUN.label in out
    assert snapshot() == before
    assert not Issue.objects.exists()


@pytest.mark.django_db
def test_json_prints_the_contract_on_stdout_only():
    code, out, err = run(str(SAMPLE), "--dry-run", "--json")

    assert code == 0
    doc = json.loads(out)
    assert CONTRACT_ISSUE_KEYS <= doc["issue"].keys()
    assert {k: doc["issue"][k] for k in CONTRACT_ISSUE_KEYS} == {
        "publication": "工人日报",
        "date": "2022-03-25",
        "weekday": 5,
        "lunar_date": "壬寅年二月廿三",
        "number": 21054,
        "page_count": 8,
    }
    assert isinstance(doc["warnings"], list)
    [page] = doc["pages"]
    assert {"number", "name", "items"} <= page.keys() and page["number"] == 1
    assert len(page["items"]) == 8
    for item in page["items"]:
        assert CONTRACT_ITEM_KEYS <= item.keys()
        assert item["kind"] in {"article", "photo"}
        for para in item["paragraphs"]:
            assert para.keys() == {"kind", "text"}
        for photo in item["photos"]:
            assert {"caption", "credit", "photographers"} <= photo.keys()
    # The log goes to stderr, never into the JSON.
    assert ImportOutcome.DRY_RUN.label in err
    assert err.splitlines()[-1] == f"1 个文件：{ImportOutcome.DRY_RUN.label} 1"
    assert not Issue.objects.exists()


@pytest.mark.django_db
def test_json_for_several_files_is_a_list(tmp_path, sample_text):
    other = write(tmp_path / "b.txt", shifted(sample_text, 1))
    code, out, _ = run(str(SAMPLE), str(other), "--dry-run", "--json")

    assert code == 0
    docs = json.loads(out)
    assert [d["issue"]["date"] for d in docs] == ["2022-03-25", "2022-03-26"]
    assert [d["issue"]["weekday"] for d in docs] == [5, 6]


# --- re-import policy ---------------------------------------------------------------------


@pytest.mark.django_db
def test_same_file_again_is_unchanged():
    run(str(SAMPLE))
    before = snapshot()
    code, out, err = run(str(SAMPLE))

    assert code == 0, err
    assert out.splitlines()[-1] == f"1 个文件：{ImportOutcome.UNCHANGED.label} 1"
    assert snapshot() == before


@pytest.mark.django_db
def test_changed_file_needs_replace(tmp_path, sample_text):
    run(str(SAMPLE))
    before = snapshot()
    changed = write(tmp_path / SAMPLE.name, sample_text.replace("18483人次", "18484人次"))

    code, out, err = run(str(changed))
    assert code == 1
    assert err.splitlines() == [err.strip()]
    assert err.startswith(f"{changed}: ") and "--replace" in err
    assert snapshot() == before

    code, out, err = run(str(changed), "--replace")
    assert code == 0, err
    assert ImportOutcome.REPLACED.label in out
    assert Issue.objects.get().source_sha256 != before["issues"][0][1]
    assert Article.objects.count() == 8
    assert Article.objects.filter(body__icontains="18484").count() == 1


@pytest.mark.django_db
def test_replace_refuses_when_editors_edited_items(tmp_path, sample_text):
    run(str(SAMPLE))
    Article.objects.filter(headline="三级服务体系为职工减压赋能").update(edited=True)
    before = snapshot()
    changed = write(tmp_path / SAMPLE.name, sample_text.replace("18483人次", "18484人次"))

    code, _, err = run(str(changed), "--replace")

    assert code == 1
    assert len(err.splitlines()) == 1
    assert "三级服务体系为职工减压赋能" in err and "编辑改过" in err
    assert snapshot() == before


# --- many files ---------------------------------------------------------------------------


@pytest.fixture
def folder(tmp_path, sample_text) -> Path:
    """Three issues and one bad file, in a folder with a file that is not *.txt."""
    for days, name in [(0, "a.txt"), (1, "b.txt"), (2, "d.txt")]:
        write(tmp_path / name, shifted(sample_text, days))
    write(tmp_path / "c.txt", b"")
    write(tmp_path / "notes.md", "not an issue")
    return tmp_path


@pytest.mark.django_db
def test_folder_imports_every_txt_and_reports_the_bad_one(folder):
    code, out, err = run(str(folder))

    assert code == 1
    assert err.splitlines() == [f"{folder / 'c.txt'}: the file is empty"]
    assert [line.split(":")[0] for line in out.splitlines() if not line.startswith(" ")][:3] == [
        "a.txt",
        "b.txt",
        "d.txt",
    ]
    assert out.splitlines()[-1] == f"4 个文件：{ImportOutcome.CREATED.label} 3，失败 1"
    assert sorted(Issue.objects.values_list("number", flat=True)) == [21054, 21055, 21056]
    assert Article.objects.count() == 24


@pytest.mark.django_db
def test_glob_and_several_paths(folder):
    code, out, err = run(str(folder / "[ab].txt"), str(folder / "d.txt"), str(folder / "a.txt"))

    assert code == 0, err
    assert out.splitlines()[-1] == f"3 个文件：{ImportOutcome.CREATED.label} 3"
    assert Issue.objects.count() == 3


@pytest.mark.django_db
def test_missing_paths_are_reported_and_the_rest_imported(folder):
    code, out, err = run(str(folder / "nope.txt"), str(folder / "a.txt"), str(folder / "zz*.txt"))

    assert code == 1
    assert err.splitlines() == [
        f"{folder / 'nope.txt'}: no such file or folder",
        f"{folder / 'zz*.txt'}: no files match this pattern",
    ]
    assert Issue.objects.count() == 1


@pytest.mark.django_db
def test_nothing_to_import_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="no such file or folder"):
        run(str(tmp_path / "missing.txt"))
    with pytest.raises(CommandError, match="no files match"):
        run(str(tmp_path / "*.txt"))
    with pytest.raises(CommandError, match="no \\*.txt files"):
        run(str(tmp_path))


@pytest.mark.django_db
def test_unreadable_file_is_reported_and_the_rest_imported(folder, monkeypatch):
    read_bytes = Path.read_bytes

    def refuse_b(path: Path) -> bytes:
        if path.name == "b.txt":
            raise PermissionError(13, "Permission denied", str(path))
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", refuse_b)
    code, out, err = run(str(folder / "a.txt"), str(folder / "b.txt"))

    assert code == 1
    assert err.splitlines() == [f"{folder / 'b.txt'}: cannot read the file (Permission denied)"]
    assert out.splitlines()[-1] == f"2 个文件：{ImportOutcome.CREATED.label} 1，失败 1"
    assert Issue.objects.count() == 1


# --- bad input ----------------------------------------------------------------------------


def no_masthead(text: str) -> str:
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if "主管主办" in line) + 1
    return "\n".join(lines[start:])


BAD_INPUTS = {
    "empty": lambda text: b"",
    "blank": lambda text: b"\n\n  \n",
    "binary": lambda text: bytes(range(256)) * 4,
    "png": lambda text: b"\x89PNG\r\n\x1a\n" + bytes(200),
    "latin-1": lambda text: "Café société, naïve façade, ÿ".encode("latin-1"),
    "no-masthead": lambda text: no_masthead(text).encode(),
    "no-such-date": lambda text: text.replace(MASTHEAD, "2022年2月30日 星期五 第21054期 今日八版").encode(),
}


@pytest.mark.django_db
@pytest.mark.parametrize("kind", BAD_INPUTS)
def test_bad_input_is_one_line_and_changes_nothing(kind, tmp_path, sample_text):
    run(str(SAMPLE))
    before = snapshot()
    path = write(tmp_path / f"{kind}.txt", BAD_INPUTS[kind](sample_text))

    code, out, err = run(str(path))

    assert code == 1
    assert len(err.splitlines()) == 1, err
    assert err.startswith(f"{path}: ")
    assert out.splitlines() == ["1 个文件：失败 1"]
    assert snapshot() == before


@pytest.mark.django_db
def test_bad_input_messages_say_what_is_wrong(tmp_path, sample_text):
    def reason(kind: str) -> str:
        path = write(tmp_path / f"{kind}.txt", BAD_INPUTS[kind](sample_text))
        return run(str(path))[2]

    assert "empty" in reason("empty")
    assert "binary" in reason("binary") or "control character" in reason("binary")
    assert "GB18030" in reason("latin-1")
    assert "--date" in reason("no-masthead")
    assert "2022年2月30日 does not exist" in reason("no-such-date")


@pytest.mark.django_db
def test_date_option_imports_a_file_without_masthead(tmp_path, sample_text):
    path = write(tmp_path / "page.txt", no_masthead(sample_text))

    code, out, err = run(str(path), "--date", "2022-03-25", "--publication", "workers-daily")

    assert code == 0, err
    issue = Issue.objects.get()
    assert issue.date == dt.date(2022, 3, 25) and issue.number is None
    assert issue.publication.slug == "workers-daily"


@pytest.mark.django_db
def test_bad_options_are_clear_errors():
    with pytest.raises(CommandError, match="'2022-02-30' is not a date: expected YYYY-MM-DD"):
        run(str(SAMPLE), "--date", "2022-02-30")
    with pytest.raises(CommandError, match="没有这份报纸：'nope'（已有：workers-daily）"):
        run(str(SAMPLE), "--publication", "nope")
    assert not Issue.objects.exists()


# --- encodings ----------------------------------------------------------------------------


def parse_json(path: Path) -> dict:
    code, out, err = run(str(path), "--dry-run", "--json")
    assert code == 0, err
    doc = json.loads(out)
    del doc["issue"]["encoding"], doc["source"]
    return doc


@pytest.mark.django_db
@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(lambda t: t.replace("\n", "\r\n").encode("gb18030"), id="gb18030-crlf"),
        pytest.param(lambda t: t.encode("utf-16"), id="utf-16-bom"),
        pytest.param(lambda t: t.encode("utf-8-sig"), id="utf-8-bom"),
    ],
)
def test_other_encodings_import_the_same_as_utf8(encode, tmp_path, sample_text):
    other = write(tmp_path / "other.txt", encode(sample_text))
    assert other.read_bytes() != SAMPLE.read_bytes()

    assert parse_json(other) == parse_json(SAMPLE)

    code, out, err = run(str(other))
    assert code == 0, err
    assert Article.objects.count() == 8 and Credit.objects.count() == 9


# --- output -------------------------------------------------------------------------------


class TTY(StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.django_db
def test_progress_bar_only_on_a_terminal():
    _, _, err = run(str(SAMPLE), "--dry-run")
    assert "\r" not in err

    out, err = StringIO(), TTY()
    call_command("import_issue", str(SAMPLE), "--dry-run", stdout=out, stderr=err)
    assert "[" in err.getvalue() and "1/1" in err.getvalue()
    assert "\r" not in out.getvalue()


# --- exit statuses, through a real process ------------------------------------------------


@pytest.fixture(scope="module")
def cli_env(tmp_path_factory) -> dict[str, str]:
    """Environment for ``manage.py`` in a subprocess, on its own throwaway SQLite database."""
    db = tmp_path_factory.mktemp("cli") / "cli.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "PYTHONIOENCODING": "utf-8"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    return env


def cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "import_issue", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


def test_cli_exit_statuses(cli_env, tmp_path, sample_text):
    ok = cli(cli_env, str(SAMPLE), "--dry-run", "--json")
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["issue"]["number"] == 21054

    empty = write(tmp_path / "empty.txt", b"")
    bad = cli(cli_env, str(empty))
    assert bad.returncode == 1
    assert bad.stderr.splitlines() == [f"{empty}: the file is empty"]

    mixed = cli(cli_env, str(SAMPLE), str(empty))
    assert mixed.returncode == 1
    assert mixed.stdout.splitlines()[-1] == f"2 个文件：{ImportOutcome.CREATED.label} 1，失败 1"
    again = cli(cli_env, str(SAMPLE))
    assert again.returncode == 0 and ImportOutcome.UNCHANGED.label in again.stdout

    flagged = cli(cli_env, str(SAMPLE), "--publish")
    assert flagged.returncode == 1 and len(flagged.stderr.splitlines()) == 1
    assert "--override-flags" in flagged.stderr and "published" not in flagged.stdout
    overridden = cli(cli_env, str(SAMPLE), "--publish", "--override-flags", "--reason", "示例")
    assert overridden.returncode == 0, overridden.stderr
    assert "  已发布（已忽略未审标记）" in overridden.stdout.splitlines()

    missing = cli(cli_env, str(tmp_path / "missing.txt"))
    assert missing.returncode == 1 and "no such file or folder" in missing.stderr

    bad_date = cli(cli_env, str(SAMPLE), "--date", "2022-02-30")
    assert bad_date.returncode == 2 and "is not a date" in bad_date.stderr
