"""The public verify page: anyone checks a credential, without an account."""
