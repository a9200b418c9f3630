"""Wallets: a credential from the passport into the learner's wallet app (OpenID4VCI 1.0)."""
