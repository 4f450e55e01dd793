"""Review expiry: a version the gate sent to people is reminded at half-time, then Rejected (or kept)."""
