"""The ``coursekit`` command: build and check the course from the shell.

Sub-commands::

    coursekit execute [NOTEBOOK ...]   run solution notebooks and store their outputs
    coursekit release                  execute every solution, build the ready Chinese ones, then generate
                                       student versions
    coursekit generate                 generate student versions only (nbgrader converter)
    coursekit bench [--output FILE]    measure the performance budgets
    coursekit grade NOTEBOOK SUBMISSIONS [--out DIR] [--jobs N] [--timeout S]
                                       grade a class's submissions (folder or zip)
    coursekit translate update|check|build [NOTEBOOK|DOCUMENT ...]
                                       the Chinese edition: update the catalogues from the English
                                       source, list what blocks a build, build (and execute) it;
                                       documents: docs/teachers/*.md, datasets/cards/*.md
    coursekit site [--out DIR]         the course website, English and 简体中文, that loads nothing from the
                                       internet (default: build/site)
    coursekit slides [--out DIR]       reveal.js slide decks of every chapter and case, both languages,
                                       that load nothing from the internet (default: build/slides)

``release``, ``generate`` and ``grade`` are teacher commands: they need nbgrader, which
a student install leaves out (``pip install -e '.[teacher]'`` adds it).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from coursekit.course import bench, glossary, grading, notebooks, site, slides, translation


def _execute(paths) -> None:
    targets = [Path(p) for p in paths] or notebooks.solution_notebooks()
    for path in targets:
        _, seconds = notebooks.execute(path)
        print(f"executed {path} in {seconds:.1f} s")


def _generate() -> None:
    notebooks.write_case_index()
    for path in glossary.write_key_terms(notebooks.repo_root()):
        print(f"rendered the Key terms of {path.relative_to(notebooks.repo_root())} from the glossary")
    for assignment in notebooks.ASSIGNMENTS:
        if (notebooks.repo_root() / "solutions" / assignment).is_dir():
            for path in notebooks.generate(assignment):
                print(f"generated {path.relative_to(notebooks.repo_root())}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="coursekit", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("execute", help="run solution notebooks and store their outputs")
    ex.add_argument("notebooks", nargs="*", help="default: every notebook in solutions/")
    sub.add_parser("release", help="execute every solution notebook, then generate student versions")
    sub.add_parser("generate", help="generate student versions from solutions/ (nbgrader)")
    be = sub.add_parser("bench", help="measure the performance budgets and print a table")
    be.add_argument("--output", default="build/bench.md", help="file to write the table to")
    be.add_argument("--skip-fresh-clone", action="store_true",
                    help="do not time `make test` on a fresh clone")
    be.add_argument("--skip-grading", action="store_true",
                    help="do not time grading 100 submissions (about 10 minutes on 2 cores)")
    gr = sub.add_parser("grade", help="grade a class's submissions of a chapter or case (folder, zip or notebook)")
    grading.add_arguments(gr)
    tr = sub.add_parser("translate", help="the Chinese edition: update catalogues, check them, build the notebooks")
    tr.add_argument("action", choices=["update", "check", "build"])
    tr.add_argument("notebooks", nargs="*", help="English teacher notebooks or documents (docs/teachers, datasets/cards); default: every one")
    tr.add_argument("--drop-obsolete", action="store_true", help="update: remove entries whose English is gone")
    si = sub.add_parser("site", help="build the course website, both languages, offline")
    si.add_argument("--out", default=None, help="folder to write the site into (default: build/site)")
    sl = sub.add_parser("slides", help="build the slide decks of every chapter and case, both languages, offline")
    sl.add_argument("--out", default=None, help="folder to write the decks into (default: build/slides)")
    args = parser.parse_args(argv)

    if args.command in ("release", "generate"):
        try:
            notebooks.require_nbgrader()  # before the solutions are executed, not after
        except RuntimeError as exc:
            print(f"coursekit {args.command}: error: {exc}", file=sys.stderr)
            return 2

    if args.command == "execute":
        _execute(args.notebooks)
    elif args.command == "release":
        _execute([])
        _build_ready_editions()
        _generate()
    elif args.command == "generate":
        _generate()
    elif args.command == "bench":
        bench.main(output=args.output, fresh_clone=not args.skip_fresh_clone, grading=not args.skip_grading)
    elif args.command == "grade":
        return grading.main(args)
    elif args.command == "translate":
        return _translate(args.action, args.notebooks, drop_obsolete=args.drop_obsolete)
    elif args.command == "site":
        _site(args.out)
    elif args.command == "slides":
        _slides(args.out)
    return 0


def _site(out) -> None:
    """``coursekit site``: build the website and say where it is and how to serve it."""
    folder = notebooks.repo_root() / "build" / "site" if out is None else Path(out)
    built = site.build_site(folder)
    pages = ", ".join(f"{edition}: {n} pages" for edition, n in built["pages"].items())
    took = ", ".join(f"{step} {seconds:.1f} s" for step, seconds in built["seconds"].items())
    print(f"built {folder} ({pages}; {took})")
    print(f"serve it with: python3 -m http.server -d {folder}  (then open http://localhost:8000/)")


def _slides(out) -> None:
    """``coursekit slides``: build the decks and say where they are."""
    pages = slides.build_slides(None if out is None else Path(out))
    *decks, index = pages
    for path in decks:
        print(f"built {path}")
    print(f"{len(decks)} decks; open {index} (serve its folder, e.g. python -m http.server -d {index.parent})")


def _build_ready_editions() -> None:
    """Build and run the Chinese teacher's notebook of every English notebook whose catalogue is complete,
    and build every Chinese document (teacher's guide, data cards) whose catalogue is complete."""
    root = notebooks.repo_root()
    for path in notebooks.solution_notebooks():
        problems = translation.catalogue_problems(path, root)
        if problems:
            print(f"not building the Chinese {path.stem}: {len(problems)} catalogue problems "
                  f"(coursekit translate check {path.relative_to(root)})")
            continue
        out = translation.build_notebook(path, root)
        _, seconds = notebooks.execute(out)
        print(f"built and executed {out.relative_to(root)} in {seconds:.1f} s")
    for path in translation.document_paths(root):
        if translation.document_problems(path, root):
            print(f"not building the Chinese {path.relative_to(root)} (coursekit translate check {path.relative_to(root)})")
            continue
        print(f"built {translation.build_document(path, root).relative_to(root)}")


def _report_counts(po: Path, counts: dict, root: Path) -> None:
    print(f"{po.relative_to(root)}: {counts['units']} units, {counts['new']} new, {counts['fuzzy']} fuzzy, "
          f"{counts['obsolete']} obsolete")


def _report_problems(name, problems: list[str]) -> int:
    print(f"{name}: " + ("ready" if not problems else f"{len(problems)} problems"))
    for line in problems[:50]:
        print("  " + line)
    return int(bool(problems))


def _translate(action: str, paths, *, drop_obsolete: bool = False) -> int:
    """``coursekit translate update|check|build`` over notebooks and Markdown documents (``.md``); with no
    paths, over every notebook, every document and the package's own messages."""
    root = notebooks.repo_root()
    targets = [Path(p).resolve() for p in paths] or [*notebooks.solution_notebooks(), *translation.document_paths(root)]
    failed = 0
    if not paths and action == "update":
        _report_counts(*translation.update_package_catalogue(root, drop_obsolete=drop_obsolete), root)
    elif not paths and action == "check":
        failed += _report_problems("the package's messages", translation.package_catalogue_problems(root))
    for path in targets:
        name = path.relative_to(root) if path.is_relative_to(root) else path
        document = path.suffix == ".md"
        if action == "update":
            update = translation.update_document_catalogue if document else translation.update_catalogue
            _report_counts(*update(path, root, drop_obsolete=drop_obsolete), root)
        elif action == "check":
            failed += _report_problems(name, (translation.document_problems if document
                                              else translation.catalogue_problems)(path, root))
        else:
            try:
                out = (translation.build_document if document else translation.build_notebook)(path, root)
            except ValueError as exc:
                print(f"{name}: not built: {exc}", file=sys.stderr)
                failed += 1
                continue
            if document:
                print(f"built {out.relative_to(root)}")
            else:
                _, seconds = notebooks.execute(out)
                print(f"built and executed {out.relative_to(root)} in {seconds:.1f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
