"""The 1EdTech Open Badges 3.0 API, host role: OAuth 2.0 for apps and the learner's credentials."""
