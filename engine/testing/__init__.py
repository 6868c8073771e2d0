"""Step 6, testing: errors in the targets' units (:mod:`.metrics`), the naive baselines
(:mod:`.baselines`), scoring a model on a file's rows (:mod:`.evaluation`), everything the
Test results step shows (:mod:`.analysis`), prediction intervals (:mod:`.intervals`),
remarks when numbers went wrong (:mod:`.remarks`) and the HTML report (:mod:`.report`, with
its SVG charts in :mod:`.svg_plot`)."""
