"""Issue 15: the Chinese edition comes from the English source and its catalogues, and cannot drift.

* every unit of every English notebook is in its catalogue, translated, not fuzzy, not obsolete, with
  its placeholders, the glossary's spellings and no 16-character run of a reading
  (``tests/course/pending.py`` lists the notebooks whose catalogue is still being translated);
* the committed Chinese teacher's notebook is exactly what source + catalogue build, and each of its
  code cells differs from the English cell only in strings and comments;
* editing one English sentence makes the checks fail until its Chinese entry is updated.
"""

from __future__ import annotations

import re

import nbformat
import polib
import pytest

from coursekit import language
from coursekit.course import notebooks, translation
from tests.course.pending import expect_gap

ROOT = notebooks.repo_root()
SOURCES = notebooks.solution_notebooks()
DOCUMENTS = translation.document_paths(ROOT)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.stem)
def test_cutting_a_notebook_into_units_loses_nothing(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        assert translation.translate_source(cell, {}) == cell.source
    assert translation.notebook_units(nb), "a notebook has text to translate"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.stem)
def test_the_catalogue_is_complete_and_current(path, request):
    expect_gap(request, path.stem, "translation")
    problems = translation.catalogue_problems(path, ROOT)
    assert not problems, f"{len(problems)} problems (run `coursekit translate check {path.relative_to(ROOT)}`):\n" + \
        "\n".join(problems[:30])


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.stem)
def test_the_chinese_teachers_notebook_is_built_from_source_and_catalogue(path, request):
    expect_gap(request, path.stem, "translation")
    built = translation.edition_path(path, ROOT)
    assert built.is_file(), f"run `coursekit translate build {path.relative_to(ROOT)}`"
    english, chinese = nbformat.read(path, as_version=4), nbformat.read(built, as_version=4)
    po = polib.pofile(str(translation.catalogue_path(path, ROOT)), wrapwidth=0)
    table = translation.translation_table(po)
    assert len(english.cells) == len(chinese.cells)
    for a, b in zip(english.cells, chinese.cells, strict=True):
        assert (a.cell_type, a.get("id"), a.metadata) == (b.cell_type, b.get("id"), b.metadata), a.get("id")
        assert b.source == translation.translate_source(a, table), \
            f"cell {a.get('id')} is out of date: run `coursekit translate build {path.relative_to(ROOT)}`"
        if a.cell_type == "code":
            assert not translation.code_difference(a.source, b.source), f"cell {a.get('id')}: the code differs"
    assert chinese.metadata.get("language") == "zh-CN"


def test_every_chinese_notebook_has_an_english_source():
    sources = {(p.parent.name, p.name) for p in SOURCES}
    for path in notebooks.solution_notebooks(editions=True):
        if path.parent.name.endswith("-zh"):
            assert (path.parent.name.removesuffix("-zh"), path.name) in sources, f"{path}: no English source"


def test_the_package_messages_are_translated():
    problems = translation.package_catalogue_problems(ROOT)
    assert not problems, "\n".join(problems[:30])
    language.set_language("简体中文")
    try:
        assert language.tr("Your answer passes the visible checks (the hidden tests grade it when you hand it in).") != \
            "Your answer passes the visible checks (the hidden tests grade it when you hand it in)."
    finally:
        language.set_language("English")


def _small_course(tmp_path):
    """A one-notebook course with a fully translated catalogue, in ``tmp_path``."""
    folder = tmp_path / "solutions" / "chapters"
    folder.mkdir(parents=True)
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("## Why retention matters\n\nA customer who stays is worth $m r/(1+d-r)$."),
        nbformat.v4.new_code_cell('rate = 0.9\nprint(f"The retention rate is {rate:.0%}")  # one line'),
    ]
    path = folder / "01_demo.ipynb"
    nbformat.write(nb, path)
    catalogue, _ = translation.update_catalogue(path, tmp_path)
    po = polib.pofile(str(catalogue), wrapwidth=0)
    chinese = {"Why retention matters": "客户保持为什么重要",
               "A customer who stays is worth $m r/(1+d-r)$.": "留下来的客户价值为 $m r/(1+d-r)$。",
               "The retention rate is {rate:.0%}": "客户保持率为 {rate:.0%}",
               "one line": "一行"}
    for entry in po:
        entry.msgstr = chinese[entry.msgid]
    po.save(str(catalogue))
    return path, catalogue


def test_editing_one_english_sentence_fails_until_its_chinese_is_updated(tmp_path):
    path, catalogue = _small_course(tmp_path)
    assert translation.catalogue_problems(path, tmp_path) == []
    built = translation.build_notebook(path, tmp_path)
    assert "客户保持率为 {rate:.0%}" in nbformat.read(built, as_version=4).cells[1].source

    nb = nbformat.read(path, as_version=4)                      # an author edits one English sentence
    nb.cells[0].source = nb.cells[0].source.replace("A customer who stays", "A customer who stays a year")
    nbformat.write(nb, path)
    problems = translation.catalogue_problems(path, tmp_path)
    assert any("the English changed" in p for p in problems), problems
    with pytest.raises(ValueError, match="not ready"):
        translation.build_notebook(path, tmp_path)

    translation.update_catalogue(path, tmp_path)               # the update keeps the old Chinese, marked fuzzy
    problems = translation.catalogue_problems(path, tmp_path)
    assert any("is fuzzy" in p for p in problems) and any("is obsolete" in p for p in problems), problems

    po = polib.pofile(str(catalogue), wrapwidth=0)              # the translator revises the entry
    entry = po.find("A customer who stays a year is worth $m r/(1+d-r)$.")
    entry.msgstr, entry.flags = "留满一年的客户价值为 $m r/(1+d-r)$。", []
    po.save(str(catalogue))
    translation.update_catalogue(path, tmp_path, drop_obsolete=True)
    assert translation.catalogue_problems(path, tmp_path) == []


def test_the_checks_catch_a_broken_translation(tmp_path):
    path, catalogue = _small_course(tmp_path)
    po = polib.pofile(str(catalogue), wrapwidth=0)
    po.find("The retention rate is {rate:.0%}").msgstr = "保持率为 {rate}"        # a field changed, a term lost
    po.find("A customer who stays is worth $m r/(1+d-r)$.").msgstr = ""          # untranslated
    po.save(str(catalogue))
    problems = "\n".join(translation.catalogue_problems(path, tmp_path))
    assert "lost {rate:.0%}" in problems and "added {rate}" in problems
    assert "'retention rate' must be translated as 客户保持率" in problems
    assert "is untranslated" in problems


def test_words_inside_maths_are_translated_and_the_maths_is_kept():
    block = "$$\n\\text{churn rate } c = 1 - r, \\qquad \\text{CLV} = \\frac{m r}{1+d-r}\n$$"
    assert [s.text for s in translation.markdown_segments(block) if s.unit] == [block], \
        "a display formula with English words in \\text{} is a unit"
    assert not any(s.unit for s in translation.markdown_segments("$$\n\\text{CLV} = m \\cdot \\mathrm{DEL}\n$$")), \
        "a formula with only abbreviations in \\text{} has nothing to translate"
    good = block.replace("churn rate", "客户流失率")
    assert translation.placeholder_problems(block, good) == []
    assert translation.placeholder_problems(block, good.replace("1 - r", "1 + r")) != [], "the maths itself changed"
    assert translation.placeholder_problems(block, good.replace("\\qquad", "")) != [], "the maths itself changed"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.stem)
def test_the_chinese_edition_has_no_english_words_in_its_maths(path, request):
    expect_gap(request, path.stem, "translation")
    chinese = nbformat.read(translation.edition_path(path, ROOT), as_version=4)
    english = [(c.get("id"), words) for c in chinese.cells if c.cell_type == "markdown"
               for words in translation.math_words(c.source)]
    assert not english, f"{path.stem}: English words left in the Chinese edition's formulas: {english[:10]}"


def test_code_may_differ_only_in_strings_and_comments():
    assert translation.code_difference('plt.title("Churn")  # a title', 'plt.title("流失")  # 标题') == ""
    assert translation.code_difference('x = f"{a} of {b}"', 'x = f"{b} 中的 {a}"') == ""
    assert translation.code_difference('x = a + b', 'x = a - b') != ""
    assert translation.code_difference('x = f"{a}"', 'x = f"{a + 1}"') != ""


def test_a_run_shared_with_a_reading_is_found(tmp_path):
    readings = tmp_path / "readings"
    readings.mkdir()
    reading = "客户保持管理的核心是和客户建立长期稳定的关系并且不断提高客户的满意程度。"
    (readings / "r.txt").write_text(reading, encoding="utf-8")
    fingerprint = set(translation.write_reading_fingerprint(readings, tmp_path).read_text().split())
    assert translation.shared_with_readings("我们认为" + reading[3:22] + "。", fingerprint)
    assert not translation.shared_with_readings("留住老客户需要长期投入，并衡量每位客户的价值。", fingerprint)
    assert len(reading) not in {len(h) for h in fingerprint}, "the fingerprint holds hashes, not the text"


def test_the_readings_fingerprint_is_committed():
    lines = translation.fingerprint_path(ROOT).read_text(encoding="utf-8").split()
    assert len(lines) > 20_000 and all(len(h) == 12 for h in lines[:100])


def test_bad_language_is_refused():
    with pytest.raises(ValueError, match="English"):
        language.set_language("Deutsch")
    with pytest.raises(TypeError):
        language.set_language(None)


def _document_id(path) -> str:
    return f"{path.parent.name}/{path.stem}"


@pytest.mark.parametrize("path", DOCUMENTS, ids=_document_id)
def test_the_chinese_document_is_complete_and_built_from_source_and_catalogue(path, request):
    """The teacher's guide and the data cards' descriptions: the same gates as the notebooks."""
    expect_gap(request, _document_id(path), "translation")
    problems = translation.document_problems(path, ROOT)
    assert not problems, f"{len(problems)} problems (run `coursekit translate check {path.relative_to(ROOT)}`):\n" + \
        "\n".join(problems[:30])
    built = translation.document_edition_path(path, ROOT)
    assert built.is_file() and built.read_text(encoding="utf-8") == translation.translate_document(path, ROOT), \
        f"run `coursekit translate build {path.relative_to(ROOT)}`"


def test_every_link_of_a_chinese_document_resolves():
    built = [translation.document_edition_path(p, ROOT) for p in DOCUMENTS]
    built = [p for p in built if p.is_file()]
    assert built, "some Chinese documents are built"
    for page in built:
        for target in re.findall(r"\]\(([^)\s]+)\)", page.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:|#", target):
                continue
            assert (page.parent / target.split("#")[0]).exists(), f"{page.relative_to(ROOT)}: broken link {target}"


def test_a_chinese_data_card_describes_the_data_and_links_the_full_english_card():
    card = ROOT / "datasets" / "cards" / "cdnow.md"
    text = translation.translate_document(card, ROOT)
    assert "](../cdnow.md)" in text
    assert "## Files and columns" not in text, "a card's Chinese edition holds its description only"
    units = [u for _, _, u in translation.document_units(card, ROOT)]
    assert units[0].startswith("Data card") and len(units) < 10
    with pytest.raises(ValueError, match="a document must be in one of"):
        translation.document_units(ROOT / "README.md", ROOT)


def test_every_chinese_document_has_an_english_source():
    english = {translation.document_edition_path(p, ROOT) for p in DOCUMENTS}
    for folder in translation.DOCUMENT_FOLDERS:
        for page in (ROOT / folder / translation.DOCUMENT_EDITION).glob("*.md"):
            assert page in english, f"{page.relative_to(ROOT)} has no English source"
