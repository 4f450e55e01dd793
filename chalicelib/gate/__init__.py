"""The registration gate: evaluate a pending version against its group's policy and champion."""
