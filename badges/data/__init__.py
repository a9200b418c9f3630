"""Seed data shipped with the service (skills taxonomy excerpt, demo world)."""
