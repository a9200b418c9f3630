"""The public catalogue ("Aanbod") and the learner's "What could I do next?" page."""
