"""One fake per port: tests and benchmarks hand these to the use cases instead of AWS."""
