"""Reminders that bring people back: unclaimed credentials and validity that runs out.

``badges jobs tick`` (safe to run from cron on every machine) sends what is due, each notice
exactly once; learners opt out per kind through the link in every notice.
"""
