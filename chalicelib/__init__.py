"""model-shepherd: the library deployed with the Chalice app."""
