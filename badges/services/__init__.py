"""Use cases: they combine models and the credential engine and own the transaction."""
