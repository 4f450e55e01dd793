"""The event relay: EventBridge rules with the app's own patterns -> SQS -> the app's handlers, in process."""
