"""coursekit.course.grading."""
