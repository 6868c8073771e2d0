"""Step 7, deploying a model: forecasts past the data's end (:mod:`.forecasting`), batch
predictions beside a file's rows (:mod:`.predicting`), the outputs calculator
(:mod:`.calculator`) and the exports (:mod:`.exports`)."""
