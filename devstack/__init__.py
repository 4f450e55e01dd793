"""The local stack: everything that runs model-shepherd on one machine. Never deployed."""
