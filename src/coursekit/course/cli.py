"""The ``coursekit`` command: build and check the course from the shell.

Sub-commands::

    coursekit execute [NOTEBOOK ...]   run solution notebooks and store their outputs
    coursekit release                  execute every solution, then generate student versions
    coursekit generate                 generate student versions only (nbgrader converter)
    coursekit bench [--output FILE]    measure the performance budgets
    coursekit grade NOTEBOOK SUBMISSIONS [--out DIR] [--jobs N] [--timeout S]
                                       grade a class's submissions (folder or zip)

``release``, ``generate`` and ``grade`` are teacher commands: they need nbgrader, which
a student install leaves out (``pip install -e '.[teacher]'`` adds it).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from coursekit.course import bench, glossary, grading, notebooks


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
        _generate()
    elif args.command == "generate":
        _generate()
    elif args.command == "bench":
        bench.main(output=args.output, fresh_clone=not args.skip_fresh_clone, grading=not args.skip_grading)
    elif args.command == "grade":
        return grading.main(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
