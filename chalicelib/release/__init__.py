"""The release engine: staging, smoke tests, production rollout, watch window, rollback."""
