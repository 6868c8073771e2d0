"""Live previews of a training: the network's current one-step predictions of the
selection part, every few epochs, for the training page's plot."""

import dataclasses
from dataclasses import dataclass


@dataclass
class SelectionPreview:
    """The selection part's targets and the network's current one-step predictions, in
    the first target's units, for a live plot. ``rows`` (n,) are the predicted data rows."""

    epoch: int
    rows: object
    targets: object
    predictions: object


def selection_preview(network, prepared, epoch):
    """:class:`SelectionPreview` of ``network`` on ``prepared``'s selection windows (step 1,
    first target); None when there are no selection windows."""
    if len(prepared.Y_sel) == 0:
        return None
    outputs = network.predict(prepared.X_sel)
    predicted = prepared.inverse(outputs, "selection")[:, 0, 0]
    actual = prepared.true_values("selection")[:, 0, 0]
    rows = prepared.target_rows("selection")[:, 0]
    return SelectionPreview(epoch, rows, actual, predicted)


def previewing(task, network, prepared, every):
    """A copy of ``task`` (same cancel) that after epoch 1 and every ``every``-th epoch's
    report also sends ``task.preview(SelectionPreview)`` of the network being trained."""
    def on_epoch(report):
        task.epoch(report)
        if report.epoch == 1 or report.epoch % every == 0:
            preview = selection_preview(network, prepared, report.epoch)
            if preview is not None:
                task.preview(preview)

    return dataclasses.replace(task, on_epoch=on_epoch)
