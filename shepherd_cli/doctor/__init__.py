"""`shepherd doctor`: read-only checks that an account (or the local stack) can run the app."""
