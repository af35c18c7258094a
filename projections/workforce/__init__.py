"""Read models of the workforce: employees, headcounts, exposures."""
