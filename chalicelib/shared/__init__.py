"""What every feature uses: errors, settings, observability, events, policy, the decision record."""
