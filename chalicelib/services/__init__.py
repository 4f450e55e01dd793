"""Use cases: functions that receive their dependencies and call the domain and the ports."""
