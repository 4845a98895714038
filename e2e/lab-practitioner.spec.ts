/**
 * The practitioner's path, driven as a person does: a share link that keeps the selected request, and a real
 * AccessDenied from CloudTrail explained in three pastes (the event, the key policy, the role's IAM policy).
 * `window.__lab` only sets up a scenario or reads state; the pastes, clicks and selections are the UI's.
 */
import { type Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { enableIamStatement } from '../src/scenario/default-key-policy';
import type { Scenario } from '../src/scenario/types';
import { expectNoSeriousA11yViolations, screenshot, waitForArea } from './support';

const ACCOUNT = '111122223333';
const KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/7e1f0c2a-93b4-4d5e-8f60-1a2b3c4d5e6f`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/service/PayrollExport`;
const SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/PayrollExport/i-0f3c2b1a09e8d7c6b`;
const ALLOWED_ENDPOINT = 'vpce-0aaa1111bbbb2222c';
const CALLERS_ENDPOINT = 'vpce-0fff9999eeee8888d';
const EVALUATION = { timeout: 20_000 };

/** A Decrypt denied by the key policy's "only through our endpoint" statement, as `lookup-events` prints it. */
const deniedDecrypt = {
  eventVersion: '1.11',
  userIdentity: {
    type: 'AssumedRole',
    principalId: 'AROAEXAMPLEPAYROLL:i-0f3c2b1a09e8d7c6b',
    arn: SESSION,
    accountId: ACCOUNT,
    sessionContext: {
      sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLEPAYROLL', arn: ROLE, accountId: ACCOUNT },
      attributes: { creationDate: '2026-12-02T08:11:09Z', mfaAuthenticated: 'false' },
    },
  },
  eventTime: '2026-12-02T08:42:17Z',
  eventSource: 'kms.amazonaws.com',
  eventName: 'Decrypt',
  awsRegion: 'eu-west-1',
  sourceIPAddress: '10.20.3.14',
  userAgent: 'aws-sdk-java/2.25.1',
  errorCode: 'AccessDeniedException',
  errorMessage: `User: ${SESSION} is not authorized to perform: kms:Decrypt on resource: ${KEY} with an explicit deny in a resource-based policy`,
  requestParameters: {
    keyId: 'alias/payroll-export',
    encryptionAlgorithm: 'SYMMETRIC_DEFAULT',
    encryptionContext: { department: 'payroll', report: '2026-11' },
  },
  responseElements: null,
  requestID: '5c0f7a1e-2b3d-4e5f-8a9b-0c1d2e3f4a5b',
  eventID: '9d8c7b6a-5f4e-4d3c-9b2a-1f0e9d8c7b6a',
  readOnly: true,
  resources: [{ accountId: ACCOUNT, type: 'AWS::KMS::Key', ARN: KEY }],
  eventType: 'AwsApiCall',
  managementEvent: true,
  recipientAccountId: ACCOUNT,
  vpcEndpointId: CALLERS_ENDPOINT,
  eventCategory: 'Management',
};
const lookupEventsOutput = {
  Events: [
    {
      EventId: deniedDecrypt.eventID,
      EventName: 'Decrypt',
      ReadOnly: 'true',
      EventTime: '2026-12-02T08:42:17+00:00',
      EventSource: 'kms.amazonaws.com',
      Username: 'i-0f3c2b1a09e8d7c6b',
      Resources: [{ ResourceType: 'AWS::KMS::Key', ResourceName: KEY }],
      CloudTrailEvent: JSON.stringify(deniedDecrypt),
    },
  ],
};

/** What `aws kms get-key-policy --key-id alias/payroll-export` prints for the real key. */
const realKeyPolicy = {
  Version: '2012-10-17',
  Id: 'payroll-export-key',
  Statement: [
    enableIamStatement(ACCOUNT),
    {
      Sid: 'Only through the payroll endpoint',
      Effect: 'Deny',
      Principal: '*',
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: '*',
      Condition: { StringNotEquals: { 'aws:SourceVpce': ALLOWED_ENDPOINT } },
    },
  ],
};
const getKeyPolicyOutput = { Policy: JSON.stringify(realKeyPolicy), PolicyName: 'default' };

/** `aws iam get-policy-version` output: a managed policy, which names no role, so it goes to the caller's. */
const getPolicyVersionOutput = {
  PolicyVersion: {
    Document: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: KEY }],
    },
    VersionId: 'v2',
    IsDefaultVersion: true,
    CreateDate: '2026-10-01T10:00:00+00:00',
  },
};

const decision = (page: Page) => page.getByTestId('decision');
const state = (page: Page) => page.evaluate(() => window.__lab!.getState());

async function openLab(page: Page, address = './#/lab'): Promise<void> {
  await page.goto(address);
  await waitForArea(page, 'lab');
  await page.waitForFunction(() => window.__lab !== undefined);
}

/** Opens the paste panel and pastes `value` into its box, as the browser does for Ctrl+V. */
async function pasteIntoPanel(page: Page, value: unknown): Promise<void> {
  await page.getByRole('button', { name: 'Paste AWS JSON' }).click();
  // The box takes the focus when the panel opens: the learner pastes straight away.
  await expect(page.getByLabel('JSON copied from AWS')).toBeFocused();
  await page.keyboard.insertText(JSON.stringify(value, null, 2));
}

test.describe('lab: the practitioner', () => {
  test('a share link opens the request that was selected when it was made', async ({ page, browser }) => {
    await openLab(page);
    const scenario: Scenario = {
      version: 2,
      title: 'E2E: two requests',
      principals: { [ROLE]: { policies: [] } },
      keys: { [KEY]: { aliases: ['alias/payroll-export'], policy: realKeyPolicy } },
      requests: [
        {
          id: 'via-allowed-endpoint',
          principal: SESSION,
          action: 'kms:Decrypt',
          keyId: KEY,
          vpcEndpoint: ALLOWED_ENDPOINT,
        },
        {
          id: 'via-other-endpoint',
          principal: SESSION,
          action: 'kms:Decrypt',
          keyId: KEY,
          vpcEndpoint: CALLERS_ENDPOINT,
        },
      ],
    };
    await page.evaluate((s) => window.__lab!.setScenario(s), scenario);
    await page.locator('[data-request-id="via-other-endpoint"]').click();
    await expect(decision(page)).toHaveAttribute('data-decision', 'ExplicitDeny', EVALUATION);
    await page.getByRole('button', { name: 'Copy share link' }).click();
    const link = await page.getByTestId('share-link').inputValue();
    expect(link).toMatch(/#scenario=[^&]+&request=via-other-endpoint$/);

    const fresh = await browser.newContext();
    const other = await fresh.newPage();
    await openLab(other, link);
    await expect(other.locator('[data-request-id="via-other-endpoint"]')).toHaveAttribute(
      'aria-current',
      'true',
    );
    await expect(decision(other)).toHaveAttribute('data-decision', 'ExplicitDeny', EVALUATION);
    expect((await state(other)).selectedRequestId).toBe('via-other-endpoint');

    // A link naming a request the scenario lacks opens the first one and says so.
    await openLab(other, link.replace('&request=via-other-endpoint', '&request=gone'));
    await expect(other.getByTestId('lab-notice')).toContainText('asks for the request “gone”');
    await expect(other.locator('[data-request-id="via-allowed-endpoint"]')).toHaveAttribute(
      'aria-current',
      'true',
    );
    await fresh.close();
  });

  test('a CloudTrail AccessDenied is explained in three pastes', async ({ page }) => {
    test.setTimeout(90_000);
    await openLab(page);

    // 1. The event, as `aws cloudtrail lookup-events` prints it, into an unrelated lab: one button builds the world.
    await pasteIntoPanel(page, lookupEventsOutput);
    await expect(page.getByRole('status').filter({ hasText: 'Imported kms:Decrypt' })).toBeVisible();
    await screenshot(page, 'practitioner-paste-event');
    await page.getByRole('button', { name: 'Build a scenario from this event' }).click();
    await expect(page.locator('.lab-title')).toHaveText(
      'CloudTrail: kms:Decrypt by PayrollExport/i-0f3c2b1a09e8d7c6b (AccessDeniedException)',
    );
    const scenarioPanel = page.getByRole('complementary', { name: 'Scenario' });
    await expect(scenarioPanel).toContainText('PayrollExport');
    await expect(scenarioPanel).toContainText('alias/payroll-export');
    const built = (await state(page)).scenario;
    expect(Object.keys(built.keys ?? {})).toEqual([KEY]);
    expect(Object.keys(built.principals ?? {})).toEqual([ROLE]);
    expect(built.requests).toEqual([
      expect.objectContaining({
        principal: SESSION,
        action: 'kms:Decrypt',
        keyId: 'alias/payroll-export',
        encryptionContext: { department: 'payroll', report: '2026-11' },
        vpcEndpoint: CALLERS_ENDPOINT,
        expect: 'ExplicitDeny',
      }),
    ]);
    expect((await state(page)).texts[`key:${KEY}`]).toContain('paste the key policy here');
    // The placeholder key policy delegates to IAM and the role has no IAM policy: an implicit deny, which is
    // not what AWS answered, and the lab says so.
    await expect(decision(page)).toHaveAttribute('data-decision', 'ImplicitDeny', EVALUATION);
    await expect(decision(page)).toContainText('Not as expected');
    await screenshot(page, 'practitioner-built-scenario');

    // 2. The key policy goes to the event's key, offered by alias and ARN.
    await pasteIntoPanel(page, getKeyPolicyOutput);
    await expect(page.getByLabel('Put it into')).toHaveValue(KEY);
    await expect(page.getByLabel('Put it into').locator('option:checked')).toHaveText(
      `Key alias/payroll-export (${KEY})`,
    );
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect(decision(page)).toHaveAttribute('data-decision', 'ExplicitDeny', EVALUATION);
    await expect(decision(page)).toContainText('As expected');
    await expect(decision(page)).not.toContainText('Not as expected');

    // 3. A managed IAM policy names no role: it goes to the caller's role, and the endpoint deny still decides.
    await pasteIntoPanel(page, getPolicyVersionOutput);
    await expect(page.getByLabel('Put it into')).toHaveValue(ROLE);
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect
      .poll(async () => (await state(page)).scenario.principals?.[ROLE]?.policies?.length, EVALUATION)
      .toBe(1);
    await expect(decision(page)).toHaveAttribute('data-decision', 'ExplicitDeny', EVALUATION);
  });

  for (const theme of ['light', 'dark'] as const) {
    test(`the paste panel and the built scenario pass axe in the ${theme} theme`, async ({ page }) => {
      test.setTimeout(90_000);
      await openLab(page);
      await page.getByRole('radio', { name: theme === 'light' ? 'Light' : 'Dark' }).check();
      await pasteIntoPanel(page, deniedDecrypt);
      await expect(page.getByRole('button', { name: 'Build a scenario from this event' })).toBeVisible();
      await expectNoSeriousA11yViolations(page);
      await screenshot(page, `practitioner-paste-${theme}`);
      await page.getByRole('button', { name: 'Build a scenario from this event' }).click();
      await expect(decision(page)).toHaveAttribute('data-decision', 'ImplicitDeny', EVALUATION);
      await expect(page.locator('.monaco-editor').first()).toBeVisible(EVALUATION);
      await expectNoSeriousA11yViolations(page);
      await screenshot(page, `practitioner-built-${theme}`);
      await page.setViewportSize({ width: 768, height: 900 });
      await screenshot(page, `practitioner-built-${theme}-768`);
    });
  }
});
