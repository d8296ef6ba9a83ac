"""`zhiku import` as a user runs it: the same promises as ingest (every file accounted
for, idempotent, hand edits win, nothing half-written, one bad file never stops a run)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from zhiku.articles import parse_article
from zhiku.cli import main
from zhiku.importers.run import import_notes

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "notes"
TIME = 1704196800.0  # 2024-01-02 12:00 UTC


def notes(tmp_path: Path, kind: str) -> Path:
    (folder,) = [p for p in (FIXTURES / kind).iterdir() if p.is_dir()]
    copy = tmp_path / "src" / folder.name
    shutil.copytree(folder, copy)
    for path in copy.rglob("*"):
        os.utime(path, (TIME, TIME))
    return copy


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_hexo_blog_comes_in_with_dates_categories_images_and_old_urls(tmp_path: Path) -> None:
    content = tmp_path / "content"
    outcome = import_notes([str(notes(tmp_path, "hexo"))], content)
    text = (content / "qiang-hua-xue-xi.md").read_text(encoding="utf-8")
    assert "date: 2021-06-29 01:52:57\n" in text
    assert "category: [机器学习, 强化学习]\n" in text  # the contract's hierarchy
    assert "aliases: [/2021/06/29/qiang-hua-xue-xi/]" in text
    assert "![策略梯度示意图](assets/qiang-hua-xue-xi/pg.png)" in text
    assert (content / "assets/qiang-hua-xue-xi/pg.png").read_bytes() == b"PNG-pg"
    # Links between posts follow them, by file, by old URL and by post_link.
    assert "[上一篇](hello-world.md#开始)" in text
    assert "[蒙特卡洛方法](monte-carlo.md)" in text
    assert "[第一篇](hello-world.md)" in text
    assert "<!-- more -->" in text
    draft = (content / "wei-wan-cheng.md").read_text(encoding="utf-8")
    assert "draft: true" in draft
    statuses = {r.source.rsplit("/", 1)[-1]: r.status for r in outcome.plan.records}
    assert statuses["broken.md"] == "failed"
    assert statuses["notes.txt"] == "skipped"
    assert outcome.failed
    assert any("broken.md:3: front matter is not valid YAML" in e for e in outcome.errors)


def test_a_second_run_changes_no_byte_and_says_unchanged(tmp_path: Path) -> None:
    source, content = notes(tmp_path, "obsidian"), tmp_path / "content"
    import_notes([str(source)], content)
    before = snapshot(content)
    again = import_notes([str(source)], content)
    assert snapshot(content) == before
    assert {r.status for r in again.plan.records} == {"unchanged", "skipped"}
    skipped = [r for r in again.plan.records if r.status == "skipped"]
    assert [r.reason for r in skipped] == ["an Obsidian template, not a note; not imported"]


def test_hand_edits_win_and_the_rest_follows_the_source(tmp_path: Path) -> None:
    source, content = notes(tmp_path, "markdown"), tmp_path / "content"
    import_notes([str(source)], content)
    article = content / "xianduan-shu.md"
    article.write_text(
        article.read_text(encoding="utf-8").replace("title: 线段树", "title: 线段树（整理版）"),
        encoding="utf-8",
    )
    note = source / "数据结构" / "线段树.md"
    note.write_text(note.read_text(encoding="utf-8") + "\n新加的一段。\n", encoding="utf-8")
    outcome = import_notes([str(source)], content)
    text = article.read_text(encoding="utf-8")
    assert "title: 线段树（整理版）" in text  # the person's title
    assert "新加的一段。" in text  # the source's new body
    record = next(r for r in outcome.plan.records if r.file == "xianduan-shu.md")
    assert (record.status, record.hand_edited) == ("updated", ["title"])
    # An edited body is kept too, and a change in the source then is a conflict.
    article.write_text(text.replace("新加的一段。", "我改的一段。"), encoding="utf-8")
    note.write_text(note.read_text(encoding="utf-8") + "\n又一段。\n", encoding="utf-8")
    outcome = import_notes([str(source)], content)
    assert "我改的一段。" in article.read_text(encoding="utf-8")
    record = next(r for r in outcome.plan.records if r.file == "xianduan-shu.md")
    assert record.status == "kept-edited"
    assert record.conflicts == ["body: the source changed it and so did you; kept yours"]


def test_a_deleted_article_stays_deleted(tmp_path: Path) -> None:
    source, content = notes(tmp_path, "markdown"), tmp_path / "content"
    import_notes([str(source)], content)
    (content / "ac-zidongji.md").unlink()
    outcome = import_notes([str(source)], content)
    assert not (content / "ac-zidongji.md").exists()
    assert "kept-deleted" in {r.status for r in outcome.plan.records}


def test_dry_run_writes_nothing_and_says_what_would_happen(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, content = notes(tmp_path, "hugo"), tmp_path / "content"
    status = main(["import", str(source), "--content", str(content), "--dry-run"])
    assert status == 0
    assert not content.exists()
    out = capsys.readouterr().out
    assert "created: " in out and "-> attention-explained.md  注意力机制详解" in out
    assert "would be in" in out


def test_report_and_exit_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source, content = notes(tmp_path, "hexo"), tmp_path / "content"
    report = tmp_path / "report.json"
    status = main(["import", str(source), "--content", str(content), "--report", str(report)])
    assert status == 1  # broken.md, after every other file was imported
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["inputs"][0]["kind"] == "hexo"
    assert {f["status"] for f in data["files"]} == {"created", "failed", "skipped"}
    err = capsys.readouterr().err
    assert "broken.md:3: front matter is not valid YAML" in err
    assert len(list(content.glob("*.md"))) == 5  # every post but broken.md


def test_every_imported_article_is_one_the_build_reads(tmp_path: Path) -> None:
    content = tmp_path / "content"
    for kind in ("markdown", "mkdocs"):
        import_notes([str(notes(tmp_path / kind, kind))], content)
    for path in sorted(content.glob("*.md")):
        article = parse_article(path.name, path.read_text(encoding="utf-8"))
        assert article is not None and article.title


def test_told_kind_and_unknown_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = notes(tmp_path, "markdown")
    assert (
        main(["import", str(source), "--content", str(tmp_path / "c"), "--from", "obsidian"]) == 0
    )
    assert "read as obsidian" in capsys.readouterr().out
    assert main(["import", str(tmp_path / "nope"), "--content", str(tmp_path / "c")]) == 2
    assert "nope: does not exist" in capsys.readouterr().err


def test_a_source_that_holds_the_content_folder_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = notes(tmp_path, "markdown")
    assert main(["import", str(source), "--content", str(source / "content")]) == 2
    assert "holds the content folder" in capsys.readouterr().err


def test_ingest_refuses_notes_with_front_matter(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    post = tmp_path / "dump" / "post.md"
    post.parent.mkdir()
    post.write_text("---\ntitle: 旧文\ndate: 2021-06-29 01:52:57\n---\n\n正文\n", encoding="utf-8")
    assert main(["ingest", str(post.parent), "--content", str(tmp_path / "c")]) == 2
    err = capsys.readouterr().err.strip()
    assert err == (
        f"{post}:1: a Markdown note with front matter, not a scraped dump; "
        "bring notes in with `zhiku import FOLDER` instead"
    )
    assert not (tmp_path / "c").exists() or not list((tmp_path / "c").glob("*.md"))


class Killed(BaseException):
    """Stands for the process dying between two writes."""


def test_a_run_killed_between_writes_is_finished_by_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import zhiku.importers.run as run

    source = notes(tmp_path, "hexo")
    clean = tmp_path / "clean"
    import_notes([str(source)], clean)
    content = tmp_path / "content"
    real = run.write_atomic
    writes = []

    def dying(path: Path, data: str | bytes, **kw: object) -> None:
        if len(writes) == 3:  # the state with the run's intent, then two articles
            raise Killed
        writes.append(path)
        real(path, data)

    monkeypatch.setattr(run, "write_atomic", dying)
    with pytest.raises(Killed):
        import_notes([str(source)], content)
    monkeypatch.setattr(run, "write_atomic", real)
    finished = import_notes([str(source)], content)
    assert snapshot(content) == snapshot(clean)
    statuses = {r.status for r in finished.plan.records}
    assert "kept-edited" not in statuses  # its own earlier writes are not taken for edits


def test_a_posts_folder_given_alone_is_read_as_its_blog(tmp_path: Path) -> None:
    source = notes(tmp_path, "hexo") / "source" / "_posts"
    outcome = import_notes([str(source)], tmp_path / "content")
    assert outcome.inputs[0]["kind"] == "hexo"
    text = (tmp_path / "content" / "qiang-hua-xue-xi.md").read_text(encoding="utf-8")
    assert "category: [机器学习, 强化学习]" in text  # Hexo's list is a path


def test_a_note_that_is_not_utf8_is_named_and_the_rest_imported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = notes(tmp_path, "markdown")
    (source / "旧笔记.md").write_bytes("# 旧笔记\n\nGBK 编码的文字。\n".encode("gbk"))
    status = main(["import", str(source), "--content", str(tmp_path / "c")])
    assert status == 1
    assert f"{source}/旧笔记.md:1: not UTF-8; save it as UTF-8 and run again" in (
        capsys.readouterr().err
    )
    assert len(list((tmp_path / "c").glob("*.md"))) == 4


def test_posts_kept_as_folders_take_the_folders_names_and_places(tmp_path: Path) -> None:
    post = tmp_path / "blog" / "source" / "_posts" / "ACM" / "CodeForces" / "Round #734 (Div. 3)"
    post.mkdir(parents=True)
    (post / "index.md").write_text(
        "---\ndate: 2021-07-24 11:08:00\n---\n\n# 比赛链接\n\n题目。\n\n# A. Coins\n\n## 题意\n",
        encoding="utf-8",
    )
    import_notes([str(tmp_path / "blog")], tmp_path / "content")
    (article,) = (tmp_path / "content").glob("*.md")
    assert article.name == "round-734-div-3.md"
    text = article.read_text(encoding="utf-8")
    # Several `# ` headings are sections: none of them is the title, and all stay.
    assert "title: 'Round #734 (Div. 3)'" in text or 'title: "Round #734 (Div. 3)"' in text
    assert "# 比赛链接" in text and "# A. Coins" in text
    assert "category: [ACM, CodeForces]" in text
    assert "aliases: [/2021/07/24/ACM/CodeForces/Round %23734 (Div. 3)/index/]" in text


def test_an_undated_note_is_dated_by_the_commit_that_added_it(tmp_path: Path) -> None:
    import subprocess

    folder = tmp_path / "notes"
    (folder / "算法").mkdir(parents=True)
    (folder / "算法" / "排序.md").write_text("# 快速排序\n\n分治。\n", encoding="utf-8")
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": "2020-05-01T12:00:00+08:00",
        "GIT_COMMITTER_DATE": "2020-05-01T12:00:00+08:00",
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    for args in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "notes"]):
        subprocess.run(["git", "-C", str(folder), *args], check=True, env=env)
    outcome = import_notes([str(folder)], tmp_path / "content")
    text = (tmp_path / "content" / "kuaisu-paixu.md").read_text(encoding="utf-8")
    assert "title: 快速排序\ndate: 2020-05-01\ndate_estimated: true\ncategory: 算法\n" in text
    (record,) = outcome.plan.records
    assert record.notes == ["no date in the note; dated by the commit that added it"]


def test_obsidian_links_find_notes_whatever_the_case_and_comments_stay_private(
    tmp_path: Path,
) -> None:
    vault = tmp_path / "vault"
    (vault / ".obsidian").mkdir(parents=True)
    (vault / "Docker.md").write_text("容器。\n", encoding="utf-8")
    (vault / "部署.md").write_text(
        "用 [[docker]] 部署。%% 密码是 hunter2 %%\n\n```\n%% 代码里的留着 %%\n```\n",
        encoding="utf-8",
    )
    outcome = import_notes([str(vault)], tmp_path / "content")
    text = (tmp_path / "content" / "bushu.md").read_text(encoding="utf-8")
    assert "用 [[docker|docker]] 部署。\n" in text
    assert "hunter2" not in text
    assert "%% 代码里的留着 %%" in text
    record = next(r for r in outcome.plan.records if r.file == "bushu.md")
    assert "1 %% comments %% left out (Obsidian hides them)" in record.notes


def test_a_hugo_site_with_its_configuration_in_a_folder_is_read_as_hugo(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "config" / "_default").mkdir(parents=True)
    (site / "config" / "_default" / "hugo.toml").write_text('title = "x"\n', encoding="utf-8")
    (site / "content" / "posts").mkdir(parents=True)
    (site / "content" / "posts" / "first.md").write_text(
        "---\ntitle: 第一篇\ndate: 2024-03-01\n---\n正文\n", encoding="utf-8"
    )
    outcome = import_notes([str(site)], tmp_path / "content")
    assert outcome.inputs[0]["kind"] == "hugo"
    text = (tmp_path / "content" / "first.md").read_text(encoding="utf-8")
    assert "aliases: [/posts/first/]" in text


def test_obsidian_links_to_headings_keep_the_heading_only_when_it_exists(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    (vault / ".obsidian").mkdir(parents=True)
    (vault / "AC自动机.md").write_text("## 失配指针\n\nBFS。\n", encoding="utf-8")
    (vault / "字符串.md").write_text(
        "## 总览\n\n见 [[AC自动机#失配指针|fail 指针]]、[[AC自动机#^blk1]] 和 [[#总览]]。\n",
        encoding="utf-8",
    )
    outcome = import_notes([str(vault)], tmp_path / "content")
    text = (tmp_path / "content" / "zifuchuan.md").read_text(encoding="utf-8")
    assert "见 [[ac-zidongji#失配指针|fail 指针]]、[[ac-zidongji|AC自动机]] 和 [[#总览]]。" in text
    record = next(r for r in outcome.plan.records if r.file == "zifuchuan.md")
    assert "[[AC自动机#^blk1]]: no such heading; linked the note" in record.notes


def test_links_already_broken_in_the_source_keep_their_words_and_are_reported(
    tmp_path: Path,
) -> None:
    outcome = import_notes([str(notes(tmp_path, "markdown"))], tmp_path / "content")
    text = (tmp_path / "content" / "xianduan-shu.md").read_text(encoding="utf-8")
    assert "源文件里就坏了的链接：旧笔记，别处，图 丢失的图。" in text
    record = next(r for r in outcome.plan.records if r.file == "xianduan-shu.md")
    assert "image img/lost.png: not found in the source (broken there too); kept its text only" in (
        record.notes
    )


def test_docsify_and_gitbook_navigation_files_are_no_notes(tmp_path: Path) -> None:
    source = tmp_path / "wiki"
    (source / "docs").mkdir(parents=True)
    (source / "docs" / "_sidebar.md").write_text("- [树](tree.md)\n", encoding="utf-8")
    (source / "docs" / "_coverpage.md").write_text("# 笔记\n\n[开始阅读](#)\n", "utf-8")
    (source / "docs" / "SUMMARY.md").write_text(
        "# 目录\n\n* [树](tree.md)\n* [图](graph.md)\n", encoding="utf-8"
    )
    (source / "docs" / "tree.md").write_text("# 树\n\n二叉树的遍历。\n", encoding="utf-8")
    # A note that happens to be called SUMMARY.md and reads as prose stays a note.
    (source / "SUMMARY.md").write_text("# 总结\n\n这一年读了十篇论文。\n", encoding="utf-8")
    content = tmp_path / "content"
    outcome = import_notes([str(source)], content)
    report = outcome.report()
    reasons = {f["source"].removeprefix(f"{source}/"): f.get("reason", "") for f in report["files"]}
    assert "docsify's sidebar" in reasons["docs/_sidebar.md"]
    assert "docsify's coverpage" in reasons["docs/_coverpage.md"]
    assert "GitBook's table of contents" in reasons["docs/SUMMARY.md"]
    assert sorted(p.name for p in content.glob("*.md")) == ["shu.md", "zongjie.md"]


def test_a_quartz_garden_or_a_vault_in_a_subfolder_is_read_as_obsidian(tmp_path: Path) -> None:
    """A Quartz site keeps its notes in content/ beside Quartz's own docs/ and code; a
    repository may keep its vault one folder down. Only the notes come in."""
    from zhiku.importers.run import detect

    garden = tmp_path / "garden"
    (garden / "content" / "机器学习").mkdir(parents=True)
    (garden / "docs").mkdir()
    (garden / "quartz.config.ts").write_text("export default {}\n", encoding="utf-8")
    (garden / "docs" / "index.md").write_text("# Welcome to Quartz\n", encoding="utf-8")
    (garden / "content" / "机器学习" / "梯度.md").write_text(
        "# 梯度\n\n见 [[激活]]。 #优化\n", encoding="utf-8"
    )
    (garden / "content" / "机器学习" / "激活.md").write_text("# 激活\n\n正文。\n", encoding="utf-8")
    assert detect(garden, None)[:2] == ("obsidian", "content")
    outcome = import_notes([str(garden)], tmp_path / "content")
    assert not outcome.errors
    written = sorted(p.name for p in (tmp_path / "content").glob("*.md"))
    assert written == ["jihuo.md", "tidu.md"], "Quartz's docs stay out"
    tidu = parse_article("t.md", (tmp_path / "content" / "tidu.md").read_text(encoding="utf-8"))
    assert list(tidu.tags) == ["优化"] and tidu.category == "机器学习"

    repo = tmp_path / "repo"
    (repo / "vault" / ".obsidian").mkdir(parents=True)
    (repo / "README.md").write_text("# 我的笔记仓库\n", encoding="utf-8")
    assert detect(repo, None)[:2] == ("obsidian", "vault")
