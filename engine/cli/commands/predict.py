"""``rnn-studio predict MODEL DATA.csv --out PREDICTIONS.csv``: the file's rows with the
model's predictions beside them (:func:`engine.deploy.predicting.write_predictions`)."""

from engine.cli.arguments import add_csv_options, csv_format

NAMES = ("predict",)


def add_parsers(commands):
    predict = commands.add_parser(
        "predict", help="write predictions beside a CSV file's rows",
        description="Write the file's rows with the model's predictions beside them; the "
                    "predictions past the last row are appended. For a model of many "
                    "series: every series' rows (the series, the time, the targets and "
                    "inputs) with the predictions of each row 1 to H steps ahead, from "
                    "the windows before it; rows past the end are the forecast's "
                    "(rnn-studio forecast).")
    predict.add_argument("model", metavar="MODEL")
    predict.add_argument("data", metavar="DATA.csv")
    predict.add_argument("--out", required=True, metavar="PREDICTIONS.csv")
    add_csv_options(predict)


def run(args, out, err):
    from engine.deploy.predicting import write_predictions
    from engine.model.model_file import holds_many_series, load_model

    if holds_many_series(args.model):
        from engine.cli.many_series import run_predict
        return run_predict(args, out, err)
    model = load_model(args.model)
    model.use_csv_format(csv_format(args))
    written = write_predictions(model, args.data, args.out)
    after = f", {written.appended} of them after the file's last row" if written.appended \
        else ""
    print(f"Wrote {written.rows} rows{after} to {args.out}", file=out)
    for note in written.notes:
        print(f"Note: {note}", file=out)
    return 0
