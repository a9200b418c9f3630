"""Claim codes: attendees of a training, match or toolbox meeting claim a badge themselves,
by scanning a QR code or typing a short code (``/c/<code>``)."""
