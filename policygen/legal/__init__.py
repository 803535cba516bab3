"""What the legal department needs: lint, coverage, comparison, changelog, redline, comments."""
