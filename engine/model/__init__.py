"""The trained model: the model file that holds it (:mod:`.model_file`) and the checks of its
header's fields (:mod:`.header`)."""
