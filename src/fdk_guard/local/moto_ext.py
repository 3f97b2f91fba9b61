"""What moto 5.2 lacks for the reference, added in-process before the server starts.

- CloudFront response headers policies (Create/Get/GetConfig/List/Update/Delete): moto
  answers 404, so the reference's COEP/COOP policy could not be applied.
- CloudFront PublishFunction (the reference's viewer-request function).
- CloudFront distribution attributes moto drops, which made `terraform plan` after apply
  show changes: function associations on cache behaviors and origin access control ids
  on origins.
- ECS service settings (grace period, deployment configuration, managed tags), RDS
  performance insights, user parameters' Source, an ALB's default scheme, and a
  distribution's CloudFrontDefaultCertificate/ForwardedValues when a certificate or a
  cache policy is given.
- EC2 MonitorInstances / UnmonitorInstances (detailed monitoring of the bastion).
- EC2 block devices given neither a size nor a snapshot (AWS takes the AMI's size).

`install()` is idempotent and works for mock_aws and for moto's server alike, since both
route through `moto.cloudfront.urls.url_paths` and the same response class.
"""

from __future__ import annotations

import datetime as dt
import threading
import uuid

from botocore import xform_name
from moto.cloudfront import models as cf_models
from moto.cloudfront import urls as cf_urls
from moto.cloudfront.exceptions import CloudFrontException
from moto.cloudfront.responses import CloudFrontResponse
from moto.core.responses import ActionResult, EmptyResult
from moto.ec2.responses.instances import InstanceResponse
from moto.ec2.responses.monitoring import Monitoring as EC2Monitoring
from moto.ecs.responses import EC2ContainerServiceResponse
from moto.elbv2.responses import ELBV2Response
from moto.rds.models import DBParameterGroup
from moto.rds.responses import RDSResponse

_LOCK = threading.Lock()
_INSTALLED = False

RHP_PATHS = {
    "{0}/2020-05-31/response-headers-policy$": CloudFrontResponse.dispatch,
    "{0}/2020-05-31/response-headers-policy/(?P<policy_id>[^/]+)$": CloudFrontResponse.dispatch,
    "{0}/2020-05-31/response-headers-policy/(?P<policy_id>[^/]+)/config$": (
        CloudFrontResponse.dispatch
    ),
    "{0}/2020-05-31/function/(?P<function_name>[^/]+)/publish$": CloudFrontResponse.dispatch,
}


class NoSuchResponseHeadersPolicy(CloudFrontException):
    code = 404

    def __init__(self) -> None:
        super().__init__(
            "NoSuchResponseHeadersPolicy", "The response headers policy does not exist."
        )


class PreconditionFailed(CloudFrontException):
    code = 412

    def __init__(self) -> None:
        super().__init__("PreconditionFailed", "The If-Match version is missing or not valid.")


class ResponseHeadersPolicy:
    def __init__(self, config: dict) -> None:
        self.id = str(uuid.uuid4())
        self.update(config)

    def update(self, config: dict) -> None:
        self.config = config
        self.last_modified_time = dt.datetime.now(dt.UTC)
        self.etag = uuid.uuid4().hex[:14].upper()

    def to_dict(self) -> dict:
        return {
            "Id": self.id,
            "LastModifiedTime": self.last_modified_time,
            "ResponseHeadersPolicyConfig": self.config,
        }


def _policies(backend) -> dict[str, ResponseHeadersPolicy]:
    # One store per backend (account and partition), like moto's own resources.
    if not hasattr(backend, "fdk_response_headers_policies"):
        backend.fdk_response_headers_policies = {}
    return backend.fdk_response_headers_policies


def _get(backend, policy_id: str) -> ResponseHeadersPolicy:
    policy = _policies(backend).get(policy_id)
    if policy is None:
        raise NoSuchResponseHeadersPolicy()
    return policy


def create_response_headers_policy(self) -> ActionResult:
    policy = ResponseHeadersPolicy(self._get_param("ResponseHeadersPolicyConfig", {}))
    _policies(self.backend)[policy.id] = policy
    return ActionResult(
        {
            "ResponseHeadersPolicy": policy.to_dict(),
            "Location": f"https://cloudfront.amazonaws.com/2020-05-31/response-headers-policy/{policy.id}",
            "ETag": policy.etag,
        }
    )


def get_response_headers_policy(self) -> ActionResult:
    policy = _get(self.backend, self._get_param("Id"))
    return ActionResult({"ResponseHeadersPolicy": policy.to_dict(), "ETag": policy.etag})


def get_response_headers_policy_config(self) -> ActionResult:
    policy = _get(self.backend, self._get_param("Id"))
    return ActionResult({"ResponseHeadersPolicyConfig": policy.config, "ETag": policy.etag})


def list_response_headers_policies(self) -> ActionResult:
    kind = self._get_param("Type")
    items = [] if kind == "managed" else list(_policies(self.backend).values())
    return ActionResult(
        {
            "ResponseHeadersPolicyList": {
                "MaxItems": 100,
                "Quantity": len(items),
                "Items": [{"Type": "custom", "ResponseHeadersPolicy": p.to_dict()} for p in items],
            }
        }
    )


def update_response_headers_policy(self) -> ActionResult:
    policy = _get(self.backend, self._get_param("Id"))
    if self._get_param("IfMatch") != policy.etag:
        raise PreconditionFailed()
    policy.update(self._get_param("ResponseHeadersPolicyConfig", {}))
    return ActionResult({"ResponseHeadersPolicy": policy.to_dict(), "ETag": policy.etag})


def delete_response_headers_policy(self) -> EmptyResult:
    policy_id = self._get_param("Id")
    policy = _get(self.backend, policy_id)
    if self._get_param("IfMatch") != policy.etag:
        raise PreconditionFailed()
    del _policies(self.backend)[policy_id]
    return EmptyResult()


def publish_function(self) -> ActionResult:
    # The reference publishes its viewer-request function (host -> S3 folder); moto 404s.
    function = self.backend.describe_function(name=self._get_param("Name"))
    if self._get_param("IfMatch") != function.etag:
        raise PreconditionFailed()
    function.status = "UNASSOCIATED"
    summary = function.function_summary
    summary["FunctionMetadata"] = {**summary["FunctionMetadata"], "Stage": "LIVE"}
    return ActionResult({"FunctionSummary": summary})


def _keep_behavior_associations(original):
    def __init__(self, config):  # noqa: N807 - replaces a constructor
        original(self, config)
        if "ForwardedValues" not in config:
            # A behavior with a cache policy has no legacy ForwardedValues in AWS.
            self.forwarded_values = None
        for key, attr in (
            ("FunctionAssociations", "function_associations"),
            ("LambdaFunctionAssociations", "lambda_function_associations"),
        ):
            value = config.get(key) or {}
            if value.get("Items"):
                setattr(self, attr, {"Quantity": len(value["Items"]), "Items": value["Items"]})

    return __init__


def _keep_origin_access_control(original):
    def __init__(self, origin):  # noqa: N807 - replaces a constructor
        original(self, origin)
        self.origin_access_control_id = origin.get("OriginAccessControlId") or ""

    return __init__


def _default_root_volume_size(original):
    # AWS sizes a block device given neither size nor snapshot from the AMI (8 GiB for
    # moto's Amazon Linux images); moto refuses it, so the bastion's
    # `root_block_device { encrypted = true }` could not be applied.
    def validate(device_mapping):
        ebs = device_mapping.get("Ebs")
        if isinstance(ebs, dict) and not ebs.get("VolumeSize") and not ebs.get("SnapshotId"):
            ebs["VolumeSize"] = 8
        return original(device_mapping)

    return staticmethod(validate)


def _monitoring(state: str):
    # EC2 detailed monitoring (the bastion's `monitoring = true`): moto raises
    # NotImplementedError, and the provider retries the 500 until it gives up.
    def handler(self) -> ActionResult:
        self.error_on_dryrun()
        instances = self.ec2_backend.get_multi_instances_by_id(self._get_param("InstanceIds", []))
        for instance in instances:
            instance.monitoring_state = state
        return ActionResult(
            {
                "InstanceMonitorings": [
                    {"InstanceId": i.id, "Monitoring": {"State": state}} for i in instances
                ]
            }
        )

    return handler


# Request settings moto accepts but forgets; terraform reads them back and re-plans.
ECS_SERVICE_SETTINGS = (
    "healthCheckGracePeriodSeconds",
    "deploymentConfiguration",
    "enableECSManagedTags",
    "enableExecuteCommand",
    "availabilityZoneRebalancing",
)
# Request name -> the attribute DescribeDBInstances reads (PerformanceInsightsEnabled).
RDS_INSTANCE_SETTINGS = {
    "EnablePerformanceInsights": "performance_insights_enabled",
    "PerformanceInsightsKMSKeyId": "performance_insights_kms_key_id",
    "PerformanceInsightsRetentionPeriod": "performance_insights_retention_period",
}


def _keep_settings(original, result_key: str, keys, params=None):
    """Wrap a response handler: copy `keys` of the request onto the object it returns
    (`keys` maps request names to attribute names, or lists names used for both)."""
    attrs = keys if isinstance(keys, dict) else {k: xform_name(k) for k in keys}

    def handler(self) -> ActionResult:
        result = original(self)
        obj = result._result[result_key]
        given = params(self) if params else {k: self._get_param(k) for k in attrs}
        for key, attr in attrs.items():
            if given.get(key) is not None:
                setattr(obj, attr, given[key])
        if given.get("EnablePerformanceInsights") and not given.get(
            "PerformanceInsightsRetentionPeriod"
        ):
            obj.performance_insights_retention_period = 7  # AWS's default retention
        return result

    handler.__name__ = original.__name__
    return handler


def _user_parameters(original):
    # Parameters set through ModifyDBParameterGroup have Source "user" in AWS; the
    # provider keeps only those on refresh, so without it every parameter re-plans.
    def update_parameters(self, new_parameters):
        new_parameters = list(new_parameters)
        original(self, new_parameters)
        for parameter in new_parameters:
            self.parameters[parameter["ParameterName"]].setdefault("Source", "user")

    return update_parameters


def _default_scheme(original):
    # AWS makes a load balancer internet-facing when Scheme is not sent; moto keeps None.
    def create_load_balancer(self) -> ActionResult:
        result = original(self)
        for lb in result._result["LoadBalancers"]:
            lb.scheme = lb.scheme or "internet-facing"
        return result

    return create_load_balancer


def _viewer_certificate(original):
    # With an ACM or IAM certificate, CloudFrontDefaultCertificate is false in AWS.
    def __init__(self, config):  # noqa: N807 - replaces a constructor
        original(self, config)
        own = config.get("ACMCertificateArn") or config.get("IAMCertificateId")
        if own and "CloudFrontDefaultCertificate" not in config:
            self.cloud_front_default_certificate = False

    return __init__


def install() -> None:
    """Register the extension into moto (once per process)."""
    global _INSTALLED
    with _LOCK:
        if _INSTALLED:
            return
        cf_urls.url_paths.update(RHP_PATHS)
        for func in (
            create_response_headers_policy,
            get_response_headers_policy,
            get_response_headers_policy_config,
            list_response_headers_policies,
            update_response_headers_policy,
            delete_response_headers_policy,
            publish_function,
        ):
            setattr(CloudFrontResponse, func.__name__, func)
        # CacheBehaviour calls DefaultCacheBehaviour.__init__ through super(): one patch.
        cf_models.DefaultCacheBehaviour.__init__ = _keep_behavior_associations(
            cf_models.DefaultCacheBehaviour.__init__
        )
        cf_models.Origin.__init__ = _keep_origin_access_control(cf_models.Origin.__init__)
        for name in ("create_service", "update_service"):
            original = getattr(EC2ContainerServiceResponse, name)
            setattr(
                EC2ContainerServiceResponse,
                name,
                _keep_settings(original, "service", ECS_SERVICE_SETTINGS),
            )
        for name in ("create_db_instance", "modify_db_instance"):
            original = getattr(RDSResponse, name)
            setattr(
                RDSResponse,
                name,
                _keep_settings(
                    original, "DBInstance", RDS_INSTANCE_SETTINGS, params=lambda r: r.params
                ),
            )
        DBParameterGroup.update_parameters = _user_parameters(DBParameterGroup.update_parameters)
        ELBV2Response.create_load_balancer = _default_scheme(ELBV2Response.create_load_balancer)
        cf_models.ViewerCertificate.__init__ = _viewer_certificate(
            cf_models.ViewerCertificate.__init__
        )
        EC2Monitoring.monitor_instances = _monitoring("enabled")
        EC2Monitoring.unmonitor_instances = _monitoring("disabled")
        InstanceResponse._validate_block_device_mapping = _default_root_volume_size(
            InstanceResponse._validate_block_device_mapping
        )
        _INSTALLED = True
