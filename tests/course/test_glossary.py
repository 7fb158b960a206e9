"""Issue 12, rule 7: one bilingual glossary; Chinese at a term's first use; Key terms cells rendered from it."""

from __future__ import annotations

import nbformat
import pytest

from coursekit.course import glossary, notebooks
from tests.course.pending import expect_gap

SOLUTIONS = notebooks.solution_notebooks()


def _chapter(path):
    return int(path.name[:2]) if path.parent.name == "chapters" else None


def test_the_glossary_has_one_spelling_per_term():
    terms = glossary.load()
    assert len(terms) >= 80
    for required in ("Net Promoter Score (NPS)", "importance–performance analysis (IPA)", "service recovery",
                     "margin multiple", "shifted-beta-geometric model (sBG)", "heterogeneity",
                     "service-profit chain", "learning relationship", "return on investment (ROI)"):
        assert required in set(terms["term"]), required


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.stem)
def test_a_term_carries_its_chinese_at_first_use(path, request):
    expect_gap(request, path.stem, "first_use")
    nb = nbformat.read(path, as_version=4)
    problems = glossary.first_use_problems(nb, _chapter(path))
    assert not problems, "\n".join(f"cell {p.cell}: {p.term!r} needs ({p.chinese}) at its first use: …{p.context}…"
                                   for p in problems)


@pytest.mark.parametrize("path", [p for p in SOLUTIONS if p.parent.name == "chapters"], ids=lambda p: p.stem)
def test_key_terms_are_rendered_from_the_glossary(path):
    nb = nbformat.read(path, as_version=4)
    cells = [c for c in nb.cells if glossary.is_key_terms_cell(c)]
    assert len(cells) == 1, "one Key terms cell per chapter"
    assert cells[0].source == glossary.key_terms_markdown(_chapter(path)), "run `coursekit generate` (it renders the Key terms cells)"


def test_bad_chapter_is_refused():
    with pytest.raises(ValueError, match="chapter must be"):
        glossary.key_terms_markdown(6)
