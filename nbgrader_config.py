"""nbgrader configuration for the coursekit repository.

The repository root is the nbgrader course directory:

* ``solutions/<assignment>/`` holds the single source of every notebook
  (``solutions/chapters/`` and ``solutions/cases/``);
* ``nbgrader generate_assignment chapters`` writes the student versions to
  ``./chapters/`` (the release directory is the root itself), likewise ``cases``;
* submissions for grading go to ``submitted/<student>/<assignment>/`` and
  feedback to ``feedback/`` as usual (both are git-ignored).
"""

import os

c = get_config()  # noqa: F821  (provided by nbgrader when it loads this file)

c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "."
c.CourseDirectory.course_id = "coursekit"
c.CourseDirectory.db_url = "sqlite:///gradebook.db"

# Student notebooks must start clean: no outputs, solutions replaced by stubs,
# hidden tests removed.  The code stub is a comment, not nbgrader's default
# ``raise NotImplementedError()``: Run All must reach the end of a notebook whose
# exercises are unanswered.  Each test cell starts with ``answered(...)``
# (coursekit.exercises), which says "not answered yet" and, being tagged
# ``raises-exception``, lets Run All go on; an unanswered exercise still scores 0.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
c.ClearSolutions.enforce_metadata = True

# Teaching notes and worked discussion answers (cells tagged "instructor-only")
# stay in solutions/ and are left out of the student versions; the rest of the
# conversion is nbgrader's default pipeline.
from nbgrader.converters.generate_assignment import GenerateAssignment  # noqa: E402

from coursekit.course.notebooks import DropInstructorCells  # noqa: E402

c.GenerateAssignment.preprocessors = [
    DropInstructorCells,
    *GenerateAssignment.class_traits()["preprocessors"].make_dynamic_default(),
]

# Autograding: a whole chapter must finish well within this per-cell limit.
c.ExecutePreprocessor.timeout = 120
c.Execute.timeout = 120
