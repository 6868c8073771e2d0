"""The words of step 2: the labels of its boxes and columns and their tooltips."""

from PySide6.QtWidgets import QComboBox

ROLE_LABELS = [("input", "Input"), ("target", "Target"), ("input_target", "Input and target"),
               ("time", "Time"), ("series", "Series"), ("unused", "Unused")]
NARROW_BOX = QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon  # boxes that narrow
SUGGESTION_TOOLTIP = ("The lookback covers one season when there is one (up to 60 rows), "
                      "else the order the partial autocorrelation shows; it is lengthened "
                      "to cover the lag at which an input's changes correlate most with "
                      "the target's, and shortened when the training rows would give too "
                      "few windows for it.")
ROLE_ARROW = 44            # pixels of a role box beside its text (margins, arrow)
ROLE_CHARACTERS = 10       # the role boxes narrow: the table fits beside the settings
LEAST_NAME = 60            # pixels: the names' column gives way down to this width
FOLDED = (1, 5, 6, 7, 8)   # columns hidden where the table is too narrow for them all:
                           # the type and the statistics, read in the name's tooltip
SHOWN_ROWS = 6             # the variables' table is at least this many rows tall
ROLE_TOOLTIP = ("What the column is for: an input the network reads, a target it predicts, "
                "both, the time, or unused. 'Series' makes the file a table of many series: "
                "the column names the series each row belongs to (one column at most), and "
                "one network learns from all of them.")
TRANSFORM_TOOLTIP = ("What the network predicts for the target: the value itself (None), "
                     "the change from the last value (Differences: helps with trends), the "
                     "change from one season ago (Seasonal differences: helps with yearly or "
                     "daily patterns), or its logarithm. Predictions are turned back into "
                     "the target's own units. Automatic: step 4 chooses among none, "
                     "differences and seasonal differences by a backtest of a linear "
                     "autoregression on the rows before the testing part (short trial fits "
                     "of the network when those rows are too few), the transform rnn-studio "
                     "fit would choose, never none when a seasonal target's level drifts; "
                     "the line under the box names the transform it chose last. A new "
                     "data set of one series starts with it, as rnn-studio fit does.")
SERIES_ROLE_TOOLTIP = ("Series: the column names the series each row belongs to; the file "
                       "is then a table of many series, and one network learns from all "
                       "of them.")
SCALER_TOOLTIP = ("How the values are scaled before the network sees them (fitted on the "
                  "training rows only).")
TEST_LAST_TOOLTIP = ("Testing: the last N rows of every series are kept aside to judge the "
                     "network (0: no testing). The steps ahead before them are the "
                     "selection rows, the rows before those the training rows. As many "
                     "as the steps ahead, and following them, until you set it; the steps "
                     "ahead and the lookback then follow it until you type them.")
SCALER_LABELS = [("standard", "Mean, SD"), ("minmax", "Min, max"), ("none", "None"),
                 ("log", "Logarithm")]
SCALER_TOOLTIPS = {"standard": "The training rows' mean subtracted, then divided by their "
                               "standard deviation (SD).",
                   "minmax": "Brought to 0 to 1 by the training rows' minimum and maximum.",
                   "none": "The values as they are.",
                   "log": "The logarithm, for positive values that grow by factors."}
MISSING_LABELS = [("interpolate", "Interpolate along time"), ("mean", "Fill with the mean"),
                  ("median", "Fill with the median"), ("drop", "Leave those rows out")]
AUTOMATIC = "automatic"   # the transform box's item: step 4 chooses (choose_target_transform)
TRANSFORM_LABELS = [("none", "None"), ("difference", "Differences"),
                    ("seasonal_difference", "Seasonal differences"), ("log", "Logarithm"),
                    (AUTOMATIC, "Automatic")]  # last: an unknown transform shows as the first
ADOPTED = ("lookback", "period")   # the suggestions a newly configured data set takes
NO_SEASON = 1               # the season length box's "none found"
PERIOD_TOOLTIP = ("The length of a season in rows (12 for monthly data with a yearly "
                  "pattern), for seasonal differences. Until you set it, the season detected "
                  "in the data is used (also by the seasonal naive baseline of step 6).")
FORECAST_LENGTH_TOOLTIP = (
    "How many steps ahead you will forecast at step 7, where the network is fed its own "
    "outputs. Step 4's automatic choices and the network's share of its linear path score "
    "forecasts at least this long, and so does step 6's backtest; step 6's recursive "
    "forecasts are this long unless the testing part is too short. Left at its lowest, it is "
    "one season of rows (the season length above), 12 without a season.")
HORIZON_TOOLTIP = ("The steps ahead usually worth forecasting for data of this frequency "
                   "(or season), at most a tenth of the rows. A forecast further ahead can "
                   "still be made recursively in step 7.")
TOOLTIPS = {       # of one series, of many
    "lookback": ("How many past time steps the network reads for each prediction. The "
                 "autocorrelation below suggests a value.",
                 "How many past rows of a series the network reads for each forecast. "
                 "Suggested: four times the steps ahead, at least two seasons and at most "
                 "a week of seasons, and no more than half of what the median series "
                 "holds before its selection and testing rows. It follows the steps "
                 "ahead, the season and the testing rows until you type it."),
    "horizon": ("How many steps ahead to predict: 1 is the next time step; 0 approximates "
                "the target at the same time step from the inputs' history.",
                "How many steps ahead the network forecasts at once, for every series "
                "(at least 1). Suggested: as many as the testing rows set, else one "
                "season; it follows them until you type it."),
    "period": (PERIOD_TOOLTIP,
               "The length of a season in rows (24 for hourly rows with a daily pattern): "
               "each series is scaled by its typical change over a season, and its level "
               "is the mean of its last season (up to 24 rows). Suggested: the "
               "calendar's for the time column's step, else the cycle most series show; "
               "'none found' uses the one found in the series.")}
PROBLEM_COLOR = "#fde2e4"   # the background of a control a problem is about
PARTS = ("training", "selection", "testing")
SHARE_TOOLTIP = "The share of the windows used for {part}, in time order."
COLUMNS = [("Variable", "The column's name in the file; its tooltip also gives the "
                        "column's type and statistics."),
           ("Type", "What the column holds: numeric, binary, categorical, datetime or text."),
           ("Role", "What the column is for."),
           ("Scaler", "How the column's values are scaled for the network."),
           ("Miss.", "Missing: the number of empty cells."),
           ("Min.", "Minimum: the smallest value."),
           ("Max.", "Maximum: the largest value."),
           ("Mean", "Mean: the average value."),
           ("SD", "Standard deviation: how far the values spread around the mean.")]
