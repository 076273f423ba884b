/**
 * `deploy --zip/--s3-key/--image-uri` (or publishing `$LATEST` as it is): every check that can run before the upload runs before it
 * (DESIGN.md §6, issue 9 case 8). Uploading replaces `$LATEST` and publishing creates a version —
 * both writes — so a typo in --alias or --alarm, or a deployment already on the alias, must be
 * refused while exit 2/5 still means "nothing changed". Order: function exists and its package
 * type takes this code, alias exists and is not on $LATEST, the record (readable, believable, no
 * other deployment holds the alias, the alias not split), this deployment's record fits in a tag,
 * the new version's role and dead-letter queue are the stable version's (read from `$LATEST`:
 * an upload changes only the code) and its run settings are shown, its asynchronous invocation
 * keeps the stable version's on-failure destination (a version not published yet has no config
 * of its own), the event source mappings and the alias's provisioned concurrency are read (their
 * warnings are the full preflight's; a denied read refuses here), alarms exist (and are quiet),
 * `lambda:` hooks exist, `--warm` is possible, the reads between an upload and its publish are
 * allowed, an image digest is not the one the alias runs. Then upload and publish.
 *
 * Left to the deploy's full preflight, which also repeats these (something may have changed
 * during the upload), because they need the published version itself: that it is Active, the
 * digest an image tag resolved to, its own asynchronous-invocation config and provisioned
 * concurrency (none for a version just made; a different version when Lambda gave an existing
 * one back). A refusal there names the version left behind (src/cli/left-behind.ts).
 *
 * With --supersede, the deployment holding the alias is rolled back after the publish (a failed
 * upload then costs it nothing) and before the full preflight: until then, that it holds the
 * alias is no refusal, and the stable version is the one its rollback will leave all traffic on.
 */
import { unpublishedVersionForSize } from '../domain/record-tag.js';
import type { CodeLocation, CodeSource, FunctionInfo } from '../ports/lambda.js';

/** What the checks saw that the publish step needs: the alias's version and its image. */
export interface BeforePublish {
  stableVersion: string;
  stableCode?: CodeLocation;
  /** `--warm`: the stable version's provisioned concurrency. */
  warmFrom?: number;
}

import { draftRecord, recordScope } from './deploy-record.js';
import type { DeployDeps, DeployRequest, RecordScope } from './deploy-types.js';
import { readKeptMoveDeployment } from './kept-move-hint.js';
import { type PreflightDeps, readAlias } from './preflight.js';
import { checkAsyncBeforePublish } from './preflight-async.js';
import {
  checkAlarms,
  checkSameConfig,
  guard,
  notFound,
  pass,
  sayingRefusalsOnly,
} from './preflight-checks.js';
import { checkEventSources } from './preflight-event-sources.js';
import { checkDeployHooks } from './preflight-hooks.js';
import { checkImageBeforeUpload, checkRunSettingChanges, checkUploadedImage } from './preflight-image.js';
import { checkProvisionedConcurrency } from './preflight-provisioned.js';
import { checkRecordFits, checkRecordState, readRecord } from './preflight-record.js';
import { checkNotSplit } from './preflight-split.js';
import { checkPackageType, checkSource, publishFunction } from './publish.js';
import { planSupersede } from './supersede.js';
import { checkWarmPossible } from './warm.js';

/** The deploy request before the version exists: everything but the target. */
export type PendingDeploy = Omit<DeployRequest, 'targetVersion'>;

/**
 * `say`: a deploy's full preflight repeats these checks after the publish and says each pass
 * there, so by default only a refusal is said here (once per deployment, inside the preflight);
 * a dry run, which stops here, says the passes too.
 */
export function checkBeforePublish(
  deps: PreflightDeps,
  req: PendingDeploy,
  /** Undefined: publish `$LATEST` as it is (no upload). */
  source: CodeSource | undefined,
  /** The release and engine the records will name: the size check measures them too. */
  scope: RecordScope,
  say: 'passes' | 'refusals' = 'refusals',
): Promise<BeforePublish> {
  return runChecksBeforePublish(say === 'passes' ? deps : sayingRefusalsOnly(deps), req, source, scope);
}

async function runChecksBeforePublish(
  deps: PreflightDeps,
  req: PendingDeploy,
  source: CodeSource | undefined,
  scope: RecordScope,
): Promise<BeforePublish> {
  const { functionName: fn } = req;
  checkSource(source);
  const latest = await guard(deps, 'function', () => deps.lambda.getFunction(fn), notFound(fn));
  if (source) checkPackageType(latest, source);
  pass(deps, 'function', `function ${fn} exists${source ? ` and takes ${latest.packageType} code` : ''}`);
  const alias = await readAlias(deps, req);
  const record = await readRecord(deps, req);
  // --supersede rolls back whatever holds the alias after the publish (supersede.ts): the new
  // deployment's stable version is then the one that rollback leaves all traffic on.
  const superseded = req.supersede ? planSupersede(alias, record) : undefined;
  if (!req.supersede) {
    // Its release, if any, decides which ways past a holder the refusal offers (preflight-record.ts).
    const kept = await readKeptMoveDeployment(deps.deployments, record);
    const inRelease = { ...req, draftRecord: { releaseId: scope.releaseId } };
    checkRecordState(deps, inRelease, record, alias, kept);
    await checkNotSplit(deps, inRelease, alias, record);
  }
  const stableVersion = superseded?.stableVersion ?? alias.functionVersion;
  // The new version's number is not known yet (record-tag.ts says what is counted).
  const targetVersion = unpublishedVersionForSize(alias.functionVersion, stableVersion);
  const draft = draftRecord({ ...req, targetVersion }, deps.clock.now(), scope);
  checkRecordFits(deps, draft, stableVersion, record);
  const stable = await checkLatestAgainstStable(deps, fn, stableVersion, latest);
  await checkNewVersionReads(deps, { ...req, stableVersion }, stable, latest, source);
  await checkAlarms(deps, { ...req, functionName: fn });
  await checkDeployHooks(deps, req);
  const warmFrom = req.warm ? await checkWarmPossible(deps, req, stableVersion) : undefined;
  if (source) await checkReadsAfterUpload(deps, fn);
  // Last: a digest equal to the stable one's means "nothing changed" (refused, nothing written).
  const stableCode = await checkImageBeforeUpload(deps, { ...req, stableVersion }, source);
  return { stableVersion, stableCode, ...(warmFrom === undefined ? {} : { warmFrom }) };
}

/**
 * The settings the new version will carry that a code upload cannot change — execution role,
 * dead-letter queue, architecture, image config — against the stable version's. UpdateFunctionCode
 * changes only the code (lshift sends no Architectures), and PublishVersion freezes `$LATEST`'s
 * configuration (or returns the newest version, whose configuration is then `$LATEST`'s), so
 * `$LATEST`, read before the upload, is what the version will hold: ROLE_MISMATCH and
 * DLQ_MISMATCH refuse here, with nothing uploaded or published, not after the publish.
 */
async function checkLatestAgainstStable(
  deps: PreflightDeps,
  fn: string,
  stableVersion: string,
  latest: FunctionInfo,
): Promise<FunctionInfo> {
  const stable = await guard(deps, 'stable-version', () => deps.lambda.getFunction(fn, stableVersion));
  pass(deps, 'stable-version', `stable version ${stableVersion} is readable`);
  checkSameConfig(deps, { functionName: fn }, stable, latest);
  checkRunSettingChanges(deps, stable, latest);
  return stable;
}

/**
 * The reads between an upload and its publish use other IAM actions than the checks above: the
 * wait for the upload to apply polls GetFunction (lambda:GetFunction; the checks read
 * GetFunctionConfiguration), and the publish lists the versions to tell a new one from one Lambda
 * gave back (lambda:ListVersionsByFunction). Denied there, the deploy stopped with `$LATEST`
 * already holding the new code: each is read once here. Without an upload they come before any
 * write anyway.
 */
async function checkReadsAfterUpload(deps: PreflightDeps, fn: string): Promise<void> {
  await guard(deps, 'publish-reads', () =>
    Promise.all([deps.lambda.getCodeLocation(fn), deps.lambda.listVersions(fn)]),
  );
  pass(
    deps,
    'publish-reads',
    'the reads between the upload and the publish are allowed (lambda:GetFunction, lambda:ListVersionsByFunction)',
  );
}

/**
 * The checks of the full preflight that the version's number is not needed for, before any
 * write: the asynchronous-invocation refusal (decided from the alias's config and `$LATEST`'s
 * dead-letter queue: a version not published yet has no config of its own), and the reads of
 * the event source mappings and the alias's provisioned concurrency — warnings only, but a
 * denied read refuses, and did so after the publish, with a version left behind.
 */
async function checkNewVersionReads(
  deps: PreflightDeps,
  where: { functionName: string; alias: string; stableVersion: string },
  stable: FunctionInfo,
  latest: FunctionInfo,
  source: CodeSource | undefined,
): Promise<void> {
  const codeSha256 =
    source === undefined ? latest.codeSha256 : source.kind === 'zip' ? source.codeSha256 : undefined;
  await checkAsyncBeforePublish(deps, where, { stable, latest, codeSha256 });
  await checkEventSources(deps, where);
  await checkProvisionedConcurrency(deps, where, undefined);
}

/** What a publish gave: the version, and whether Lambda made it now (false: it returned an existing one). */
export interface Published {
  version: string;
  created: boolean;
}

/** Runs checkBeforePublish, then uploads and publishes; returns the new version. */
export async function publishAfterChecks(
  deps: Pick<DeployDeps, 'lambda' | 'metrics' | 'clock' | 'events' | 'store' | 'traffic'>,
  req: PendingDeploy,
  source: CodeSource | undefined,
): Promise<string> {
  return (await checkAndPublish(deps, req, source)).version;
}

/** publishAfterChecks, saying whether the version is new: a deploy refused later leaves it behind. */
export async function checkAndPublish(
  deps: Pick<DeployDeps, 'lambda' | 'metrics' | 'clock' | 'events' | 'store' | 'traffic'>,
  req: PendingDeploy,
  source: CodeSource | undefined,
): Promise<Published> {
  const before = await checkBeforePublish(deps, req, source, recordScope(deps));
  return publishChecked(deps, req, source, before);
}

/**
 * Uploads and publishes after checkBeforePublish passed (a release checks every function before
 * it publishes any); returns the version and whether it is new.
 */
export async function publishChecked(
  deps: Pick<DeployDeps, 'lambda' | 'metrics' | 'clock' | 'events' | 'store'>,
  req: PendingDeploy,
  source: CodeSource | undefined,
  { stableVersion, stableCode }: BeforePublish,
): Promise<Published> {
  const where = { ...req, stableVersion };
  const published = await publishFunction(deps, {
    functionName: req.functionName,
    source,
    beforePublish: () => checkUploadedImage(deps, where, source, stableCode),
  });
  return { version: published.version, created: published.created };
}
