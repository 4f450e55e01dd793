"""The one DynamoDB state table (SHEPHERD_STATE_TABLE), a module per kind of item in it:

    pk                    sk            module
    release#<group>       state         releases: the group's release state, JSON in `doc`, a `revision`
    history#<group>       <row key>     releases: one item per release attempt
    <decision key>        lock          decision_locks: the once-only lock of a Slack decision
    cleanup#<group>       checkpoint    cleanup_state: the cleanup's lease and checkpoint

Every change is a conditional write; a lost condition is a ConflictError (or "someone else holds it").
"""
