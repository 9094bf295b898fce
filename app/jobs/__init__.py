"""Jobs over council data: the reference data, a reader's cases and the domain
together (the overdue list of a whole caseload, the due-date audit). Plain
Python, called by the command line (app/cli.py) and the HTTP routers."""
