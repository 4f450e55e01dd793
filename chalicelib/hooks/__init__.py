"""Rollout hooks: a team's own Lambda function or HTTPS endpoint asked before production is touched
(`pre_rollout`), before a release becomes LIVE (`confirm_promotion`) and after it (`post_rollout`)."""
