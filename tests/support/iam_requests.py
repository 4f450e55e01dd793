"""What IAM authorizes for one recorded AWS call: each (action, resource ARN, request context) it needs.

Most operations are one action of the same name on the resource their parameters name. The exceptions
are here: the service prefix IAM uses (cloudwatch, not monitoring), operations that reach several
resources (a DynamoDB transaction, a batch read), operations IAM cannot scope ("*"), and what a call
needs besides its own action (CreateModel passes the execution role to SageMaker).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from tests.support.aws_calls import AwsCall

ACCOUNT = "123456789012"
IAM_PREFIX = {"sagemaker-runtime": "sagemaker", "monitoring": "cloudwatch", "cloudwatch": "cloudwatch"}
UNSCOPED = frozenset(
    {  # no resource-level permissions: IAM asks about "*"
        ("sagemaker", "ListModelPackages"),
        ("sagemaker", "ListModelPackageGroups"),
        ("sagemaker", "Search"),
        ("cloudwatch", "GetMetricStatistics"),
        ("cloudwatch", "GetMetricData"),
    }
)
_SAGEMAKER_NAMES = {  # parameter -> resource type; IAM compares SageMaker names lowercased
    "TransformJobName": "transform-job",  # before ModelName: CreateTransformJob is authorised on the job
    "EndpointName": "endpoint",
    "EndpointConfigName": "endpoint-config",
    "ModelName": "model",
    "ModelPackageGroupName": "model-package-group",
}
_ACTION_OF = {("s3", "ListObjectsV2"): "ListBucket"}  # operations IAM authorises under another action's name
_TRANSACT_ACTIONS = {
    "ConditionCheck": "ConditionCheckItem",
    "Put": "PutItem",
    "Update": "UpdateItem",
    "Delete": "DeleteItem",
    "Get": "GetItem",
}


@dataclass(frozen=True)
class IamRequest:
    action: str  # service:Operation, as a policy names it
    resource: str
    context: dict[str, str] = field(default_factory=dict)  # condition keys the request carries


def iam_requests(call: AwsCall) -> list[IamRequest]:
    prefix = IAM_PREFIX.get(call.service, call.service)
    if (prefix, call.operation) in UNSCOPED:
        return [IamRequest(f"{prefix}:{call.operation}", "*")]
    arn = _Arn(call.region)
    if prefix == "dynamodb":
        return _dynamodb(call, arn)
    action = _ACTION_OF.get((prefix, call.operation), call.operation)
    requests = [IamRequest(f"{prefix}:{action}", resource) for resource in _resources(call, prefix, arn)]
    if call.operation in ("CreateEndpoint", "UpdateEndpoint"):  # authorised on the config they name too
        config = arn("sagemaker", f"endpoint-config/{call.params['EndpointConfigName'].lower()}")
        requests.append(IamRequest(f"sagemaker:{call.operation}", config))
    if role := call.params.get("ExecutionRoleArn"):
        requests.append(IamRequest("iam:PassRole", role, {"iam:PassedToService": "sagemaker.amazonaws.com"}))
    if lifecycle := call.params.get("ModelLifeCycle"):  # the condition keys AWS documents for it
        context = {
            "sagemaker:ModelLifeCycle:stage": lifecycle["Stage"],
            "sagemaker:ModelLifeCycle:stageStatus": lifecycle["StageStatus"],
        }
        requests = [replace(request, context={**request.context, **context}) for request in requests]
    if call.params.get("Tags") and call.operation.startswith("Create"):
        # Tags given on create are authorized as AddTags on the new resource too.
        requests += [IamRequest("sagemaker:AddTags", r.resource) for r in requests if r.action.endswith(call.operation)]
    return requests


class _Arn:
    def __init__(self, region: str) -> None:
        self.region = region

    def __call__(self, service: str, resource: str) -> str:
        return f"arn:aws:{service}:{self.region}:{ACCOUNT}:{resource}"


def _resources(call: AwsCall, prefix: str, arn: _Arn) -> list[str]:
    params = call.params
    if prefix == "sagemaker":
        if package := params.get("ModelPackageName") or params.get("ModelPackageArn"):
            return [package]
        if resource := params.get("ResourceArn"):
            return [resource]
        for name, kind in _SAGEMAKER_NAMES.items():
            if value := params.get(name):
                return [arn("sagemaker", f"{kind}/{value.lower()}")]
    if prefix == "sns":
        return [params["TopicArn"]]
    if prefix == "sqs":
        return [arn("sqs", params["QueueUrl"].rstrip("/").rsplit("/", 1)[-1])]
    if prefix == "secretsmanager":
        secret = params["SecretId"]
        return [secret if secret.startswith("arn:") else arn("secretsmanager", f"secret:{secret}-AbCdEf")]
    if prefix == "ssm":
        return [arn("ssm", f"parameter/{params['Name'].lstrip('/')}")]
    if prefix == "s3":
        if "Key" in params:
            return [f"arn:aws:s3:::{params['Bucket']}/{params['Key']}"]
        return [f"arn:aws:s3:::{params['Bucket']}"]
    if prefix == "sts":
        return [params["RoleArn"]]
    if prefix == "cloudwatch" and call.operation == "DescribeAlarms":
        names = params.get("AlarmNames") or []
        return [arn("cloudwatch", f"alarm:{name}") for name in names] or ["*"]
    raise LookupError(f"no resource known for {call.service}:{call.operation} {sorted(params)}: add it here")


def _dynamodb(call: AwsCall, arn: _Arn) -> list[IamRequest]:
    params = call.params
    if call.operation == "TransactWriteItems" or call.operation == "TransactGetItems":
        return [
            IamRequest(f"dynamodb:{_TRANSACT_ACTIONS[kind]}", arn("dynamodb", f"table/{item['TableName']}"))
            for entry in params["TransactItems"]
            for kind, item in entry.items()
        ]
    if call.operation in ("BatchGetItem", "BatchWriteItem"):
        return [IamRequest(f"dynamodb:{call.operation}", arn("dynamodb", f"table/{t}")) for t in params["RequestItems"]]
    table = arn("dynamodb", f"table/{params['TableName']}")
    if index := params.get("IndexName"):
        table = f"{table}/index/{index}"
    return [IamRequest(f"dynamodb:{call.operation}", table)]
