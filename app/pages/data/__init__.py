"""The parts of step 2, the data page (:class:`app.pages.data_page.DataPage`)."""
