"""SageMaker Model Registry, one view per feature over one DescribeModelPackage and one error translation:
`registry` (the gate and Slack), `approvals` (the release engine), `cleanup` (the cleanup)."""
