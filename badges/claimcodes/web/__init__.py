"""Pages for claim codes: the issuer's (in the workspace) and the attendee's (``/c/...``)."""
