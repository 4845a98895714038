/** The acting-as picker's groups: IAM users, role sessions, account roots (the KMS's principals()). */
export interface PrincipalGroup {
  label: string;
  principals: { arn: string; name: string }[];
}

export function groupPrincipals(arns: readonly string[]): PrincipalGroup[] {
  const groups: PrincipalGroup[] = [
    { label: 'Users', principals: [] },
    { label: 'Role sessions', principals: [] },
    { label: 'Account roots', principals: [] },
    { label: 'Other', principals: [] },
  ];
  for (const arn of arns) {
    const account = /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(arn)?.[1] ?? '';
    const user = /:user\/(.+)$/.exec(arn);
    const session = /:assumed-role\/([^/]+)\/(.+)$/.exec(arn);
    if (user) groups[0].principals.push({ arn, name: `${user[1]} (${account})` });
    else if (session) groups[1].principals.push({ arn, name: `${session[1]}/${session[2]} (${account})` });
    else if (arn.endsWith(':root')) groups[2].principals.push({ arn, name: `root of ${account}` });
    else groups[3].principals.push({ arn, name: arn });
  }
  return groups.filter((g) => g.principals.length > 0);
}
