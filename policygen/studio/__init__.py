"""The studio: a local web page to fill in a profile, watch the policy change and download it."""
