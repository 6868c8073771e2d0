"""Step 7, deploy the model: :mod:`.page` holds one tab per tool (forecast, batch
prediction, outputs calculator, directional outputs, exports), each in its own module."""
