"""Keel's launcher for the local AWS emulator (moto 5.2.1), used by `keel sandbox`.

It starts moto's own WSGI app on 127.0.0.1 on a port the kernel picks, prints
`{"port": N}` on one line of stdout once it listens, and serves until it is
signalled. Before the app is built it patches, in this process only, the moto
5.2.1 functions below that answer differently from what the AWS API reference
documents, so that Terraform can apply, read back and destroy what AWS itself
would accept. Installed files are never edited. Every patch names the moto
function it replaces and what AWS documents instead; `--check` verifies that
each target still exists (a moto upgrade fails loudly instead of silently
unpatching).

This file is a test harness for Keel's emulator tier, never part of what Keel
deploys.
"""

from __future__ import annotations

import json
import os
import secrets
import string
import sys
from typing import Any, Callable

PINNED_MOTO = "5.2.1"

PATCHES: list[tuple[str, str, Callable[[], None]]] = []


def patch(target: str, why: str) -> Callable[[Callable[[], None]], Callable[[], None]]:
    """Registers a patch: `target` is the moto function it replaces, `why` what AWS documents."""

    def register(apply: Callable[[], None]) -> Callable[[], None]:
        PATCHES.append((target, why, apply))
        return apply

    return register


@patch(
    "moto/rds/models.py DBInstance.__init__ (self.dbi_resource_id is one constant for every instance)",
    "DbiResourceId is unique per instance (RDS API reference, DBInstance); the provider finds an "
    "instance by it, and two instances with one id make every read fail",
)
def _rds_unique_dbi_resource_id() -> None:
    from moto.rds import models

    original = models.DBInstance.__init__

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        alphabet = string.ascii_uppercase + string.digits
        self.dbi_resource_id = "db-" + "".join(secrets.choice(alphabet) for _ in range(26))

    models.DBInstance.__init__ = __init__


@patch(
    "moto/cloudfront/models.py Distribution.__init__ (self.arn has no empty region field)",
    "a distribution's ARN is arn:aws:cloudfront::<account>:distribution/<id>, with an empty "
    "region field (CloudFront API reference, Distribution.ARN); the provider parses it",
)
def _cloudfront_arn() -> None:
    from moto.cloudfront import models

    original = models.Distribution.__init__

    def __init__(self: Any, account_id: str, region_name: str, config: dict[str, Any]) -> None:
        original(self, account_id, region_name, config)
        self.arn = f"arn:aws:cloudfront::{account_id}:distribution/{self.distribution_id}"

    models.Distribution.__init__ = __init__


@patch(
    "moto/cloudtrail/models.py CloudTrailBackend.start_logging and stop_logging (self.trails[name] raises KeyError for an ARN)",
    "StartLogging and StopLogging take the trail's name or ARN (CloudTrail API reference, "
    "StartLogging.Name); the provider passes the ARN",
)
def _cloudtrail_logging_by_arn() -> None:
    from moto.cloudtrail import models

    def start_logging(self: Any, name: str) -> None:
        self.get_trail(name).start_logging()

    def stop_logging(self: Any, name: str) -> None:
        self.get_trail(name).stop_logging()

    models.CloudTrailBackend.start_logging = start_logging
    models.CloudTrailBackend.stop_logging = stop_logging


@patch(
    "moto/guardduty/models.py Detector.update (replaces the whole feature list)",
    "UpdateDetector changes only the features it names (GuardDuty API reference, "
    "UpdateDetector.Features); the provider sends one aws_guardduty_detector_feature at a time",
)
def _guardduty_merge_features() -> None:
    from moto.guardduty import models

    original = models.Detector.update

    def update(self: Any, enable: Any, finding_publishing_frequency: Any, data_sources: Any, features: Any) -> None:
        merged = None
        if features is not None:
            # The REST API names the key "name" (moto stores the request's features as sent).
            key = lambda f: f.get("name", f.get("Name"))  # noqa: E731
            by_name = {key(f): dict(f) for f in self.features}
            for feature in features:
                current = by_name.get(key(feature), {})
                current.update(feature)
                by_name[key(feature)] = current
            merged = list(by_name.values())
        original(self, enable, finding_publishing_frequency, data_sources, merged)

    models.Detector.update = update


@patch(
    "moto/sqs/models.py Queue.attributes (stores RedriveAllowPolicy but never returns it; writes RedrivePolicy with spaces)",
    "GetQueueAttributes returns RedriveAllowPolicy once it is set, and RedrivePolicy as the compact "
    "JSON it was given (SQS API reference, QueueAttributeName); the provider waits until it reads back what it set",
)
def _sqs_redrive_allow_policy() -> None:
    from moto.sqs import models

    original = models.Queue.attributes.fget

    def attributes(self: Any) -> dict[str, Any]:
        result = original(self)
        if self.redrive_policy:
            # moto's json.dumps adds spaces; SQS returns the policy as compact JSON.
            result["RedrivePolicy"] = json.dumps(self.redrive_policy, separators=(",", ":"))
        allow = getattr(self, "redrive_allow_policy", None)
        if allow:
            result["RedriveAllowPolicy"] = allow if isinstance(allow, str) else json.dumps(allow)
        return result

    models.Queue.attributes = property(attributes)


@patch(
    "moto/ses/models.py ConfigurationSet.to_dict_v2 (SendingOptions.SendingEnabled is the request's whole SendingOptions object; options never set are returned empty)",
    "SendingOptions.SendingEnabled is a boolean, and GetConfigurationSet leaves out option structures "
    "that were never set (SES v2 API reference, GetConfigurationSet)",
)
def _sesv2_sending_enabled() -> None:
    from moto.ses import models

    original = models.ConfigurationSet.to_dict_v2

    def to_dict_v2(self: Any) -> dict[str, Any]:
        result = original(self)
        enabled = self.enabled
        if isinstance(enabled, dict):
            enabled = enabled.get("SendingEnabled", True)
        result["SendingOptions"] = {"SendingEnabled": bool(enabled)}
        # AWS leaves out an options structure that was never set; moto returns it empty.
        for name in ("TrackingOptions", "VdmOptions", "SuppressionOptions", "DeliveryOptions", "ReputationOptions"):
            if not result.get(name):
                result.pop(name, None)
        return result

    models.ConfigurationSet.to_dict_v2 = to_dict_v2


@patch(
    "moto/apigatewayv2/models.py DomainName.to_json (domainNameConfigurations lack domainNameStatus, apiGatewayDomainName and hostedZoneId; an unset mutualTlsAuthentication comes back empty)",
    "each DomainNameConfiguration carries DomainNameStatus, ApiGatewayDomainName and "
    "HostedZoneId (API Gateway v2 API reference, DomainNameConfiguration); the provider waits for AVAILABLE",
)
def _apigatewayv2_domain_status() -> None:
    from moto.apigatewayv2 import models

    original = models.DomainName.to_json

    def to_json(self: Any) -> dict[str, Any]:
        result = original(self)
        configurations = []
        for configuration in result.get("domainNameConfigurations") or []:
            filled = dict(configuration)
            filled.setdefault("domainNameStatus", "AVAILABLE")
            filled.setdefault("apiGatewayDomainName", f"d-{abs(hash(self.domain_name)) % 10**10:010d}.execute-api.us-east-1.amazonaws.com")
            filled.setdefault("hostedZoneId", "Z1UJRXOUMOOFQ8")
            configurations.append(filled)
        result["domainNameConfigurations"] = configurations
        if not result.get("mutualTlsAuthentication"):
            result.pop("mutualTlsAuthentication", None)
        return result

    models.DomainName.to_json = to_json


@patch(
    "moto/ec2/responses/elastic_block_store.py ElasticBlockStore (no get_ebs_default_kms_key_id or reset_ebs_default_kms_key_id action)",
    "GetEbsDefaultKmsKeyId returns the account's default EBS key, and ResetEbsDefaultKmsKeyId "
    "resets it to the AWS managed key (EC2 API reference); the provider reads and destroys aws_ebs_default_kms_key with them",
)
def _ec2_ebs_default_kms_key() -> None:
    from moto.core.responses import ActionResult
    from moto.ec2.responses import elastic_block_store

    def get_ebs_default_kms_key_id(self: Any) -> ActionResult:
        self.error_on_dryrun()
        key = self.ec2_backend.default_kms_key_id or self.ec2_backend.modify_ebs_default_kms_key_id("")
        return ActionResult({"KmsKeyId": key})

    def reset_ebs_default_kms_key_id(self: Any) -> ActionResult:
        self.error_on_dryrun()
        return ActionResult({"KmsKeyId": self.ec2_backend.modify_ebs_default_kms_key_id("")})

    elastic_block_store.ElasticBlockStore.get_ebs_default_kms_key_id = get_ebs_default_kms_key_id
    elastic_block_store.ElasticBlockStore.reset_ebs_default_kms_key_id = reset_ebs_default_kms_key_id


@patch(
    "moto/budgets/responses.py BudgetsResponse (no describe_subscribers_for_notification action: NotImplementedError, HTTP 500)",
    "DescribeSubscribersForNotification lists a notification's subscribers (AWS Budgets API "
    "reference); the provider reads aws_budgets_budget's notification emails with it, and retries a 500 for minutes",
)
def _budgets_subscribers() -> None:
    from moto.budgets import responses

    def same(stored: dict[str, Any], asked: dict[str, Any]) -> bool:
        keys = ("NotificationType", "ComparisonOperator", "ThresholdType")
        return all(stored.get(k, "PERCENTAGE" if k == "ThresholdType" else None) == asked.get(k, "PERCENTAGE" if k == "ThresholdType" else None) for k in keys) and float(
            stored.get("Threshold", 0)
        ) == float(asked.get("Threshold", 0))

    def describe_subscribers_for_notification(self: Any) -> str:
        account_id = self._get_param("AccountId")
        budget_name = self._get_param("BudgetName")
        asked = self._get_param("Notification")
        budget = self.backend.budgets[account_id].get(budget_name)
        subscribers: list[Any] = []
        if budget is not None:
            for notification in budget.notifications:
                if same(notification.details, asked):
                    subscribers = list(notification.subscribers)
        return json.dumps({"Subscribers": subscribers, "NextToken": None})

    responses.BudgetsResponse.describe_subscribers_for_notification = describe_subscribers_for_notification


@patch(
    "moto/ec2/models/elastic_network_interfaces.py NetworkInterface.association (an empty Association element where there is no public IP)",
    "a network interface without a public IPv4 address has no Association (EC2 API reference, "
    "InstanceNetworkInterface.Association); the provider reads associate_public_ip_address as its presence",
)
def _ec2_no_empty_association() -> None:
    from moto.ec2.models import elastic_network_interfaces

    original = elastic_network_interfaces.NetworkInterface.association.fget

    def association(self: Any) -> Any:
        found = original(self)
        return found if found else None

    elastic_network_interfaces.NetworkInterface.association = property(association)


@patch(
    "moto/ec2/models/instances.py Instance.__init__ (SecurityGroups holds only the top-level SecurityGroupIds, not the primary network interface's groups)",
    "an instance's SecurityGroups are those of its primary network interface (EC2 API reference, "
    "Instance.SecurityGroups); the provider launches with the groups on the interface",
)
def _ec2_instance_groups_from_interface() -> None:
    from moto.ec2.models import instances

    original = instances.Instance.__init__

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        primary = getattr(self, "nics", {}).get(0)
        if not self.security_groups and primary is not None:
            self.security_groups = list(primary._group_set)

    instances.Instance.__init__ = __init__


@patch(
    "moto/rds/models.py DBCluster.scaling_configuration_info (a ScalingConfigurationInfo of nulls for every cluster)",
    "ScalingConfigurationInfo describes Aurora Serverless v1 only and is absent for a provisioned "
    "cluster (RDS API reference, DBCluster.ScalingConfigurationInfo); the provider turns the nulls into a block that drifts",
)
def _rds_no_v1_scaling_for_provisioned() -> None:
    from moto.rds import models

    original = models.DBCluster.scaling_configuration_info.fget

    def scaling_configuration_info(self: Any) -> Any:
        return original(self) if self.scaling_configuration else None

    models.DBCluster.scaling_configuration_info = property(scaling_configuration_info)


@patch(
    "moto/rds/models.py DBParameterGroup.update_parameters (stores a parameter without its Source)",
    "a parameter set by ModifyDBParameterGroup has Source 'user' (RDS API reference, Parameter.Source); "
    "the provider reads a group's parameters with DescribeDBParameters Source=user",
)
def _rds_parameter_source_user() -> None:
    from moto.rds import models

    original = models.DBParameterGroup.update_parameters

    def update_parameters(self: Any, new_parameters: Any) -> None:
        original(self, [{"Source": "user", **p} for p in new_parameters])

    models.DBParameterGroup.update_parameters = update_parameters


@patch(
    "moto/ec2/responses/launch_templates.py LaunchTemplates.create_launch_template (copies the template's own launch-template tags into LaunchTemplateData.TagSpecifications; undone in moto/ec2/models/launch_templates.py LaunchTemplateBackend.create_launch_template)",
    "CreateLaunchTemplate's TagSpecifications tag the template itself and are not part of its "
    "LaunchTemplateData (EC2 API reference, CreateLaunchTemplate.TagSpecifications); the provider reads the data's list back",
)
def _ec2_launch_template_own_tags() -> None:
    from moto.ec2.models import launch_templates

    original = launch_templates.LaunchTemplateBackend.create_launch_template

    def create_launch_template(self: Any, name: str, description: str, template_data: dict[str, Any], tag_spec: dict[str, Any]) -> Any:
        specs = template_data.get("TagSpecifications")
        if specs:
            template_data = {**template_data, "TagSpecifications": [s for s in specs if s.get("ResourceType") != "launch-template"]}
        return original(self, name, description, template_data, tag_spec)

    launch_templates.LaunchTemplateBackend.create_launch_template = create_launch_template


@patch(
    "moto/ec2/models/security_groups.py SecurityGroupRule.description (reads only ip_range, so a rule that references a group loses its description)",
    "DescribeSecurityGroupRules returns a rule's Description whatever its source, CIDR or "
    "referenced group (EC2 API reference, SecurityGroupRule.Description)",
)
def _ec2_group_rule_description() -> None:
    from moto.ec2.models import security_groups

    original = security_groups.SecurityGroupRule.description.fget

    def description(self: Any) -> Any:
        found = original(self)
        if found is None and self.source_group:
            found = self.source_group.get("Description")
        return found

    security_groups.SecurityGroupRule.description = property(description)


@patch(
    "moto/budgets/responses.py BudgetsResponse (create_budget drops ResourceTags; no list_tags_for_resource, tag_resource or untag_resource action)",
    "CreateBudget takes ResourceTags, and ListTagsForResource, TagResource and UntagResource "
    "read and change them by the budget's ARN (AWS Budgets API reference); the provider reads a budget's tags after create",
)
def _budgets_tags() -> None:
    from moto.budgets import responses

    tags: dict[str, list[dict[str, str]]] = {}
    original_create = responses.BudgetsResponse.create_budget
    original_delete = responses.BudgetsResponse.delete_budget

    def arn(self: Any, account_id: str, budget_name: str) -> str:
        return f"arn:aws:budgets::{account_id}:budget/{budget_name}"

    def create_budget(self: Any) -> str:
        result = original_create(self)
        name = self._get_param("Budget")["BudgetName"]
        tags[arn(self, self._get_param("AccountId"), name)] = list(self._get_param("ResourceTags") or [])
        return result

    def delete_budget(self: Any) -> str:
        result = original_delete(self)
        tags.pop(arn(self, self._get_param("AccountId"), self._get_param("BudgetName")), None)
        return result

    def list_tags_for_resource(self: Any) -> str:
        return json.dumps({"ResourceTags": tags.get(self._get_param("ResourceARN"), [])})

    def tag_resource(self: Any) -> str:
        current = {t["Key"]: t["Value"] for t in tags.get(self._get_param("ResourceARN"), [])}
        current.update({t["Key"]: t["Value"] for t in self._get_param("ResourceTags") or []})
        tags[self._get_param("ResourceARN")] = [{"Key": k, "Value": v} for k, v in current.items()]
        return "{}"

    def untag_resource(self: Any) -> str:
        gone = set(self._get_param("ResourceTagKeys") or [])
        tags[self._get_param("ResourceARN")] = [t for t in tags.get(self._get_param("ResourceARN"), []) if t["Key"] not in gone]
        return "{}"

    responses.BudgetsResponse.create_budget = create_budget
    responses.BudgetsResponse.delete_budget = delete_budget
    responses.BudgetsResponse.list_tags_for_resource = list_tags_for_resource
    responses.BudgetsResponse.tag_resource = tag_resource
    responses.BudgetsResponse.untag_resource = untag_resource


@patch(
    "moto/ses/models.py EmailIdentity.__init__ (DkimAttributes.LastKeyGenerationTimestamp is an ISO string, and Easy DKIM has no Tokens)",
    "SES v2 is a REST-JSON API whose timestamps are epoch seconds, and Easy DKIM's DkimAttributes "
    "carry three Tokens for the CNAME records (SES v2 API reference, DkimAttributes); the provider fails to decode the string",
)
def _sesv2_dkim_attributes() -> None:
    import hashlib
    from datetime import datetime

    from moto.ses import models

    original = models.EmailIdentity.__init__

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        stamp = self.dkim_attributes.get("LastKeyGenerationTimestamp")
        if isinstance(stamp, str):
            self.dkim_attributes["LastKeyGenerationTimestamp"] = datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()
        if self.identity_type == "DOMAIN" and self.dkim_attributes.get("SigningAttributesOrigin") == "AWS_SES":
            seed = hashlib.sha256(self.email_identity.encode()).hexdigest()
            self.dkim_attributes.setdefault("Tokens", [seed[i * 32 : i * 32 + 32][:32] for i in range(2)] + [seed[:32][::-1]])

    models.EmailIdentity.__init__ = __init__


@patch(
    "moto/sesv2/models.py SESV2Backend.create_email_identity (tags an ARN ending email-identity/<name>)",
    "an SES identity's ARN is arn:aws:ses:<region>:<account>:identity/<name> (SES v2 API reference, "
    "TagResource); the provider reads and writes the identity's tags by that ARN",
)
def _sesv2_identity_tag_arn() -> None:
    from moto.sesv2 import models

    original = models.SESV2Backend.create_email_identity

    def create_email_identity(self: Any, email_identity: str, tags: Any, dkim_signing_attributes: Any, configuration_set_name: Any) -> Any:
        created = original(self, email_identity, None, dkim_signing_attributes, configuration_set_name)
        created.tags = tags
        if tags:
            self.core_backend.tagger.tag_resource(arn=f"arn:aws:ses:{self.region_name}:{self.account_id}:identity/{email_identity}", tags=tags)
        return created

    models.SESV2Backend.create_email_identity = create_email_identity


@patch(
    "moto/kms/models.py KmsBackend.create_key (a key created without KeyUsage keeps key_usage None)",
    "KeyUsage defaults to ENCRYPT_DECRYPT (KMS API reference, CreateKey); DescribeKey then returns it, "
    "and the provider, reading a key it imports, would otherwise see no key_usage and plan a replacement",
)
def _kms_default_key_usage() -> None:
    from moto.kms import models

    original = models.KmsBackend.create_key

    def create_key(self: Any, policy: Any, key_usage: Any, key_spec: Any, *args: Any, **kwargs: Any) -> Any:
        return original(self, policy, key_usage or "ENCRYPT_DECRYPT", key_spec, *args, **kwargs)

    models.KmsBackend.create_key = create_key


@patch(
    "moto/rds/models.py RDSBackend.modify_db_subnet_group (pops the group from subnet_groups and never puts it back)",
    "ModifyDBSubnetGroup changes the group in place (RDS API reference); the provider reads it back after "
    "an update, and a group that vanished is an inconsistent result",
)
def _rds_modify_subnet_group_keeps_it() -> None:
    from moto.rds import models

    original = models.RDSBackend.modify_db_subnet_group

    def modify_db_subnet_group(self: Any, subnet_name: str, description: str, subnets: Any) -> Any:
        group = original(self, subnet_name, description, subnets)
        self.subnet_groups[subnet_name] = group
        return group

    models.RDSBackend.modify_db_subnet_group = modify_db_subnet_group


@patch(
    "moto/rds/models.py DBCluster.get_cfg (cfg.pop('_master_user_password') raises KeyError, HTTP 500, for a cluster "
    "created with ManageMasterUserPassword, which has no such attribute; and it hands DBCluster.__init__ `iam_auth`, "
    "which reads `enable_iam_database_authentication`, so a restored cluster loses IAM authentication)",
    "RestoreDBClusterFromSnapshot and RestoreDBClusterToPointInTime restore a cluster whose master password RDS "
    "manages in Secrets Manager, with EnableIAMDatabaseAuthentication as asked (RDS API reference); moto copies "
    "the source's settings through get_cfg",
)
def _rds_restore_managed_password_cluster() -> None:
    from moto.rds import models

    original = models.DBCluster.get_cfg

    def get_cfg(self: Any) -> Any:
        had = "_master_user_password" in self.__dict__
        if not had:
            self.__dict__["_master_user_password"] = None
        try:
            cfg = original(self)
        finally:
            if not had:
                del self.__dict__["_master_user_password"]
        cfg["enable_iam_database_authentication"] = cfg.get("iam_auth", False)
        return cfg

    models.DBCluster.get_cfg = get_cfg


@patch(
    "moto/logs/responses.py LogsResponse (no associate_kms_key or disassociate_kms_key action: NotImplementedError, HTTP 500)",
    "AssociateKmsKey and DisassociateKmsKey set and clear a log group's KMS key (CloudWatch Logs API "
    "reference); the provider calls them to change kms_key_id on an existing group, as on one it imported",
)
def _logs_associate_kms_key() -> None:
    from moto.logs import responses

    def associate_kms_key(self: Any) -> str:
        group = self.logs_backend.groups.get(self._get_param("logGroupName"))
        if group is None:
            from moto.logs.exceptions import ResourceNotFoundException

            raise ResourceNotFoundException()
        group.kms_key_id = self._get_param("kmsKeyId")
        return ""

    def disassociate_kms_key(self: Any) -> str:
        group = self.logs_backend.groups.get(self._get_param("logGroupName"))
        if group is not None:
            group.kms_key_id = None
        return ""

    responses.LogsResponse.associate_kms_key = associate_kms_key
    responses.LogsResponse.disassociate_kms_key = disassociate_kms_key


@patch(
    "moto/rds/models.py RDSBackend.modify_db_cluster (reads log exports from enable_cloudwatch_logs_exports, "
    "not the request's CloudwatchLogsExportConfiguration, and sets enable_iam_database_authentication where "
    "DBCluster reads iam_auth)",
    "ModifyDBCluster applies CloudwatchLogsExportConfiguration and EnableIAMDatabaseAuthentication to the cluster "
    "(RDS API reference); the provider changes both on an existing cluster, as on one it imported",
)
def _rds_modify_cluster_exports_and_iam() -> None:
    from moto.rds import models

    original = models.RDSBackend.modify_db_cluster

    def modify_db_cluster(self: Any, kwargs: dict[str, Any]) -> Any:
        cluster_id = kwargs.get("new_db_cluster_identifier") or kwargs["db_cluster_identifier"]
        exports = kwargs.pop("cloudwatch_logs_export_configuration", None) or {}
        iam = kwargs.get("enable_iam_database_authentication")
        result = original(self, kwargs)
        cluster = self.clusters[cluster_id]
        for log_type in exports.get("DisableLogTypes", []) or []:
            if log_type in cluster.enabled_cloudwatch_logs_exports:
                cluster.enabled_cloudwatch_logs_exports.remove(log_type)
        for log_type in exports.get("EnableLogTypes", []) or []:
            if log_type not in cluster.enabled_cloudwatch_logs_exports:
                cluster.enabled_cloudwatch_logs_exports.append(log_type)
        if iam is not None:
            cluster.iam_auth = iam
        return result

    models.RDSBackend.modify_db_cluster = modify_db_cluster


@patch(
    "moto/backup/responses.py BackupResponse.list_tags (reads the ARN as the path's second-to-last segment, so "
    "/tags/<arn> without a trailing slash lists the tags of 'tags': none)",
    "ListTags is GET /tags/<resourceArn> (AWS Backup API reference), and the provider sends it without a trailing "
    "slash; it reads a vault's and a plan's tags with it",
)
def _backup_list_tags_path() -> None:
    from urllib.parse import unquote

    from moto.backup import responses

    def list_tags(self: Any) -> str:
        arn = unquote(self.path.split("/tags/", 1)[1].split("?", 1)[0].rstrip("/"))
        return json.dumps({"Tags": self.backup_backend.list_tags(resource_arn=arn)})

    responses.BackupResponse.list_tags = list_tags


def apply_patches() -> None:
    import moto

    if moto.__version__ != PINNED_MOTO:
        raise SystemExit(
            f"keel sandbox: moto {moto.__version__} is installed, Keel's emulator tier is pinned to {PINNED_MOTO}: "
            f'pip install "moto[server]=={PINNED_MOTO}"'
        )
    for _target, _why, apply in PATCHES:
        apply()


def existing_zones(zones: list[dict[str, str]]) -> None:
    """Creates the public hosted zones the stacks name as existing (`dns: { zoneId, zoneName }`),
    with their ids, before the server listens: what the account already has before Keel runs.
    moto's own custom-id registry (moto/utilities/id_generator.py moto_id_manager) gives the id."""
    if not zones:
        return
    from moto.route53.models import HostedZoneIdentifier, route53_backends
    from moto.utilities.id_generator import moto_id_manager

    account = os.environ["MOTO_ACCOUNT_ID"]
    backend = route53_backends[account]["aws"]
    for zone in zones:
        moto_id_manager.set_custom_id(HostedZoneIdentifier(account, zone["name"], None), zone["id"])
        backend.create_hosted_zone(zone["name"], private_zone=False, comment="existing before Keel (keel sandbox)")


def serialized(app: Any) -> Any:
    """Runs one request at a time through moto's backends, and builds its whole response inside.

    moto 5.2.1's backends are plain dicts with no lock, and its threaded server lets Terraform's
    parallel requests iterate one while another inserts into it. Seen in a sandbox log:
    `moto/iam/models.py IAMBackend.detach_role_policy` raised `RuntimeError: dictionary changed
    size during iteration` (a 500) while another request created a policy. The SDK retries a 500;
    when the failed request had already stored what it created (a WAF web ACL, say), the retry
    fails as a duplicate, an error AWS would never give. AWS serializes its own writes; one lock
    per emulator does here. No moto action Keel calls sleeps or waits inside a request."""
    import threading

    lock = threading.Lock()

    def one_at_a_time(environ: dict[str, Any], start_response: Any) -> Any:
        with lock:
            result = app(environ, start_response)
            try:
                return [b"".join(result)]
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()

    return one_at_a_time


def action_log(app: Any) -> Any:
    """Logs one line per request to stderr: time, service, action (or method and path) and status.
    Never a body or a header value: what a stack sends can hold secrets."""
    import io
    import re
    import time
    from urllib.parse import parse_qs

    def logged(environ: dict[str, Any], start_response: Any) -> Any:
        started = time.time()
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        scope = re.search(r"Credential=[^/]*/[^/]*/[^/]*/([^/]*)/", environ.get("HTTP_AUTHORIZATION", ""))
        service = scope.group(1) if scope else "-"
        action = environ.get("HTTP_X_AMZ_TARGET", "").split(".")[-1]
        if not action and body[:7] == b"Action=":
            action = parse_qs(body.decode("utf-8", "replace")).get("Action", [""])[0]
        if not action:
            action = f"{environ.get('REQUEST_METHOD')} {environ.get('PATH_INFO', '')}{'?' + environ['QUERY_STRING'].split('=')[0] if environ.get('QUERY_STRING') else ''}"
        status: list[str] = []

        def start(code: str, headers: Any, *rest: Any) -> Any:
            status.append(code.split()[0])
            return start_response(code, headers, *rest)

        def line(code: str) -> None:
            sys.stderr.write(f"{started:.3f} {service} {action} {code} {1000 * (time.time() - started):.0f}ms\n")

        try:
            result = app(environ, start)
        except Exception as error:
            # werkzeug answers 500 and prints the traceback; this line is what `keel sandbox` counts.
            line(f"500 {type(error).__name__}")
            raise
        line(status[0] if status else "-")
        return result

    return logged


def main(argv: list[str]) -> None:
    try:
        import moto  # noqa: F401
    except ImportError:
        raise SystemExit(f'keel sandbox: moto is not installed for {sys.executable}: pip install "moto[server]=={PINNED_MOTO}"')
    apply_patches()
    if argv[:1] == ["--check"]:
        print(json.dumps({"moto": PINNED_MOTO, "patches": [t for t, _w, _a in PATCHES]}))
        return
    if argv[:1] == ["--list"]:
        for target, why, _apply in PATCHES:
            print(f"- {target}: {why}")
        return

    existing_zones(json.loads(os.environ.get("KEEL_SANDBOX_ZONES") or "[]"))

    from werkzeug.serving import make_server
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    import logging

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # action_log says it once, with the action
    app = action_log(serialized(DomainDispatcherApplication(create_backend_app)))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    # Some backends build URLs (queue URLs, presigned links) from MOTO_PORT.
    os.environ["MOTO_PORT"] = str(server.port)
    print(json.dumps({"port": server.port}), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main(sys.argv[1:])
