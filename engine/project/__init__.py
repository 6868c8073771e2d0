"""Step 1 and the project document: the whole state of a project as one versioned JSON file
(:mod:`.document`), the checks of its sections (:mod:`.checks`) and whether its trained model
is up to date (:mod:`.model_status`)."""
