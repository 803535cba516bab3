"""Building many outputs: rendering, planning, the manifest, staging, impact."""
