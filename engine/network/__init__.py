"""Step 3, the network: its architecture's settings (:mod:`.architecture`), the recurrent
network a person builds (:mod:`.recurrent`), its layers (:mod:`.cells`), its weights as one
flat vector (:mod:`.parameters`), its error measures (:mod:`.losses`) and the checks of the
arrays and settings it is given (:mod:`.validation`)."""
