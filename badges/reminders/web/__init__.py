"""The opt-out page (``/herinneringen/uit/<token>``) and the organisation's settings."""
