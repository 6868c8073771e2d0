"""Step 1 and the project document: the whole state of a project as one versioned JSON file
(:mod:`.document`), its sections as typed records (:mod:`.sections`), the checks that parse
them when a project is opened (:mod:`.checks`) and whether its trained model is up to date
(:mod:`.model_status`)."""
