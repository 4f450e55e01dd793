"""I/O: AWS, Slack, files. Each adapter turns its errors into chalicelib.shared.errors at the edge."""
