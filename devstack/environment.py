"""The environment the local stack exports and the checks that say it is ready."""

from __future__ import annotations

import logging
import os
import sys
import time
import urllib.error
import urllib.request
import warnings
from collections.abc import Callable
from typing import Any

from devstack.errors import StackError
from devstack.resources import REGION


def quiet_environment() -> dict[str, str]:
    """The app's JSON logs and metrics are for CloudWatch; on a terminal the timeline says it better."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", message="No application metrics to publish")
    return {
        "POWERTOOLS_LOG_LEVEL": "WARNING",
        "POWERTOOLS_METRICS_DISABLED": "true",
        "POWERTOOLS_SERVICE_NAME": "model-shepherd",
        "POWERTOOLS_METRICS_NAMESPACE": "ModelShepherd",
    }


def quiet_the_app() -> None:
    """The quiet environment, unless the person set their own; applied to the app's logger too when it was made
    already: Powertools reads its level once, and the demo imports the CLI (and with it the app's logger) first."""
    for name, value in quiet_environment().items():
        os.environ.setdefault(name, value)
    observability = sys.modules.get("chalicelib.shared.observability")
    if observability is not None:
        observability.logger.setLevel(os.environ["POWERTOOLS_LOG_LEVEL"])


def aws_environment(aws_url: str) -> dict[str, str]:
    return {
        "AWS_ENDPOINT_URL": aws_url,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": REGION,
    }


def aws_client_factory(aws_url: str) -> Callable[[str], Any]:
    import boto3

    session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION)
    return lambda service: session.client(service, endpoint_url=aws_url)  # type: ignore[call-overload]


def wait_until_answering(aws_url: str, app_url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    for name, url in (("AWS (moto)", f"{aws_url}/moto-api/"), ("the app", f"{app_url}/")):
        while not answers(url):
            if time.monotonic() > deadline:
                raise StackError(f"{name} at {url} did not answer within {timeout:.0f}s")
            time.sleep(0.1)


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except urllib.error.HTTPError:
        return True  # an HTTP error is an answer: the server is up
    except OSError:
        return False
