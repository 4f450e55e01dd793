"""I/O: AWS, Slack, files. Each adapter turns its errors into chalicelib.errors at the edge."""
