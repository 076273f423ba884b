/**
 * Error codes of a command refused before anything moved: a wrong command line, config file or
 * value, or a failed preflight (exit 2, a few 1). Part of ERROR_CODES (error-codes.ts).
 */
import { type ErrorCodeInfo, usage } from './error-code-info.js';

export const USAGE_ERROR_CODES = {
  // The command line, config file or a value is wrong (exit 2).
  USAGE: usage('a command-line argument or flag is wrong (oclif parsing)'),
  INVALID_FLAG: usage('a flag value is not one of the accepted ones'),
  FUNCTION_INVALID: usage(
    'a function argument or `functions:` entry is not a function name, ARN or partial ARN, or names a version or alias (`orders:live`)',
  ),
  STAGGER_NOT_RESUMABLE: usage(
    '`deploy --resume` of several functions of a `--stagger` release: resuming them together would move them at once; roll it back or resume each alone',
  ),
  FUNCTION_REGION_MISMATCH: usage(
    'a function or `lambda:` hook ARN names another region than the one lshift calls (--region, AWS_REGION, the profile)',
  ),
  // Both: exit 2, or 4 once CodeDeploy ended it and left the alias split with nobody to finish it.
  CODEDEPLOY_NOT_RESUMABLE: {
    exits: [2, 4],
    meaning:
      '`deploy --resume` of a deployment AWS CodeDeploy runs: it carries on without lshift; follow it with `lshift wait <deployment-id>` (exit 4 when CodeDeploy has ended it and left the alias split with nobody to finish it: `lshift status` calls it STALLED; `lshift rollback` puts it back)',
  },
  FUNCTION_NAMED_TWICE: usage(
    'a release names one function twice (in any two spellings: name, ARN, partial ARN)',
  ),
  ACCOUNT_INVALID: usage('`--account` of `lshift iam-policy` is not a 12-digit AWS account ID'),
  ALIAS_INVALID: usage(
    'the alias (--alias, the config file’s) is not an alias name: 1–128 letters, digits, `-` or `_`, not all digits (in an IAM policy it would act as a wildcard)',
  ),
  ALARM_NAME_INVALID: usage(
    'an alarm name (--alarm, the config file’s `alarms`) is empty, blank, over CloudWatch’s 255 characters, has a control character, or has a placeholder other than `{function}` and `{alias}` (`{nope}`) or a lone `{` or `}` that is part of none (`{function}-{`, `demo-}`; write `{{` and `}}` for a literal brace)',
  ),
  REGION_INVALID: usage(
    'the region (--region, AWS_REGION, AWS_DEFAULT_REGION, the config file or the profile) is not a region name',
  ),
  DESCRIPTION_TOO_LONG: usage(
    '`publish --description` is over Lambda’s 256 characters for a version description',
  ),
  DURATION_TOO_LONG: usage(
    'a duration (flag or config file: a step hold, --bake, --settle, a hook timeout, --window, --wait…) is over its limit (docs/configuration.md#duration-limits)',
  ),
  CONFLICTING_FLAGS: usage('two flags (or a flag and the config file) contradict each other'),
  INVALID_DURATION: usage('a duration such as `5m` or `1h30m` cannot be read'),
  INVALID_PERCENT: usage('a percentage such as `10%` cannot be read or is out of range'),
  STRATEGY_INVALID: usage('the strategy is not one of the accepted forms'),
  PLAN_INVALID: usage('a plan handed to the engine is not a valid sequence of weights'),
  INTERVAL_INVALID: usage('the poll interval (--interval) is not between 1 s and 1 minute'),
  HOOK_INVALID: usage(
    'a hook spec cannot be read (an HTTP hook on port 0 or on a port fetch blocks among them), its payload file is missing, or the script a `cmd:` hook names by path is missing or not executable',
  ),
  ANALYSIS_FLAG_INVALID: usage('a canary analysis flag has a bad value'),
  ANALYSIS_FLAG_CONFLICT: usage('canary analysis flags contradict each other'),
  CONFIG_INVALID: usage(
    'the config file is not valid YAML/JSON, breaks its schema, or holds no settings (empty, blank, only comments, `null`: write `{}` for none on purpose)',
  ),
  CONFIG_NOT_FOUND: usage('the file given to --config does not exist, or --config is empty'),
  ENGINE_CANNOT_RUN: usage(
    'the CodeDeploy engine cannot run this strategy, hook or operator verb (step lists, sub-minute holds, bake, non-Lambda hooks, promote/pause/resume)',
  ),
  CODEDEPLOY_CONFIG_MISMATCH: usage(
    'a CodeDeploy deployment config of lshift’s name (`lshift.Linear20PercentEvery10Minutes`) exists with another routing than its name says (made by hand): the deployment would run a schedule nobody asked for; delete it, and lshift creates it as named',
  ),
  CODEDEPLOY_TOO_MANY_ALARMS: usage('a CodeDeploy deployment group takes at most 10 alarms'),
  CODEDEPLOY_NAME_INVALID: usage(
    'a CodeDeploy application or deployment group name (--application, --deployment-group, the config file’s, or the default made from the function name) is empty, blank (spaces only), over 100 characters or holds a control character',
  ),
  CODEDEPLOY_ROLE_MISSING: usage(
    '`lshift codedeploy init` must create a deployment group and was given no --role',
  ),
  VERSION_INVALID: usage('a version is not a published version number'),
  ZIP_NOT_READABLE: usage('the --zip file cannot be read'),
  ZIP_NOT_A_ZIP: usage('the --zip file is not a zip archive (it does not start with a zip signature)'),
  ZIP_DAMAGED: usage(
    'the --zip file is not a whole zip archive (no end of central directory record, or a central directory past its end or not where the end record says): a truncated or damaged file',
  ),
  ZIP_EMPTY: usage('the --zip file is a zip archive with no file in it'),
  ZIP_TOO_LARGE: usage('the --zip file is over Lambda’s 50 MB upload limit'),
  ZIP_UNZIPPED_TOO_LARGE: usage(
    'the --zip file unzips to more than Lambda’s 250 MB limit (the sizes its central directory declares)',
  ),
  ALIAS_TOO_LONG: usage('the alias name is too long to name the deployment record tag'),
  CREDENTIALS_EXPIRE_TOO_SOON: usage(
    'credentials the SDK cannot renew expire before the deployment’s longest run ends',
  ),
  RECORD_TOO_LARGE: usage(
    'the deployment record would not fit in a 256-character tag value, with room kept for an operator command’s verb (`lshift plan`: not even the smallest deployment of the plan could record it)',
  ),
  CHECK_NO_ALARMS: usage('`lshift check` was given no alarm to watch'),
  CHECK_WINDOW_INVALID: usage(
    'the `lshift check` window given to the engine (its API, not the CLI) is not a positive duration; the CLI reads `--window` as a duration first (`INVALID_DURATION`, `DURATION_TOO_LONG`)',
  ),
  STALE_AFTER_INVALID: usage(
    '`check --stale-after` is under 2 minutes: a running deployment (--interval up to 1 minute) would look abandoned',
  ),
  ENDPOINT_ENV_INVALID: usage(
    'an AWS_ENDPOINT_URL or AWS_ENDPOINT_URL_<SERVICE> variable lshift would use is not an http(s) URL, or names port 0',
  ),
  PROXY_INVALID: usage(
    'HTTPS_PROXY or HTTP_PROXY (or the lower-case one) names no http(s) proxy lshift can use (a SOCKS proxy, a malformed URL, port 0)',
  ),
  SANDBOX_URL_INVALID: usage(
    'LSHIFT_SANDBOX is set but empty, is not an http(s) URL, carries a user name or password (the sandbox takes none) or a path, or names port 0 or a port fetch blocks',
  ),
  SANDBOX_SCENARIO_INVALID: usage(
    'the sandbox scenario file (`lshift sandbox --scenario`) or a scenario given to the sandbox’s API is not valid; an unknown `--sandbox-scenario` name is `INVALID_FLAG`',
  ),
  SANDBOX_SCENARIO_UNREADABLE: usage(
    'the sandbox scenario file (--scenario) cannot be read: missing, permissions, not a regular file (a directory, FIFO, device) or over 10 MiB',
  ),
  SANDBOX_STATE_UNREADABLE: usage(
    'the sandbox state file cannot be read: permissions, not a regular file (a directory, FIFO, device) or over 10 MiB',
  ),
  SANDBOX_STATE_INVALID: usage('the sandbox state file is corrupt or from another version'),
  SANDBOX_STATE_UNWRITABLE: usage(
    'the sandbox state file (or its folder, or its lock file) cannot be written, its folder does not exist (the sandbox creates the file, not the folder), or the world has outgrown 10 MiB',
  ),
  AWS_FILE_INVALID: usage(
    'AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE or AWS_WEB_IDENTITY_TOKEN_FILE (or ~/.aws/config, ~/.aws/credentials), or a file the chosen profile makes the SDK read (its web_identity_token_file, its SSO token cache in ~/.aws/sso/cache), names something that is not a regular file: a named pipe (the SDK would wait on it forever), a directory, a device (/dev/null is fine)',
  ),
  PROFILE_NOT_FOUND: usage('the AWS profile (--profile, AWS_PROFILE) is not defined in the AWS config files'),
  PROFILE_UNREADABLE: usage(
    'the AWS profile (--profile, AWS_PROFILE) is in the AWS config files under a name the AWS SDK does not read (a space, or a character other than letters, digits and _ - @ + . % : /)',
  ),
  // Preflight refused: the function or alias is not ready for this deployment (exit 2).
  ALIAS_NOT_FOUND: {
    exits: [2, 1],
    meaning: 'the alias does not exist (exit 1 when found out by a later AWS call, not a check)',
  },
  ALIAS_ON_LATEST: usage('the alias points at $LATEST, which cannot take weighted routing'),
  ALIAS_TARGET_LATEST: usage('an alias cannot be pointed at $LATEST by lshift'),
  VERSION_NOT_FOUND: {
    exits: [2, 1],
    meaning: 'the version does not exist (exit 1 when found out by a later AWS call, not a check)',
  },
  VERSION_NOT_ACTIVE: usage('the target version is Pending, Inactive or Failed'),
  TARGET_NOT_PUBLISHED: usage('the target is not a published version'),
  PACKAGE_TYPE_MISMATCH: usage('the code flag does not match the function’s package type (zip/image)'),
  WARM_NOT_POSSIBLE: usage(
    '`--warm` has nothing to warm ahead: the alias holds the provisioned concurrency, or nobody has any',
  ),
  IMAGE_UNCHANGED: usage('the image resolves to the digest the alias already runs: nothing changed'),
  ROLE_MISMATCH: usage(
    'the stable and target versions have different execution roles (with code to publish: `$LATEST`’s role, which an upload does not change, checked before the upload)',
  ),
  DLQ_MISMATCH: usage(
    'the stable and target versions have different dead-letter queues (with code to publish: `$LATEST`’s, checked before the upload)',
  ),
  ALARM_NOT_FOUND: usage('an alarm to watch does not exist'),
  ALARM_ALREADY_FIRING: usage(
    "an alarm to watch is already in ALARM at preflight, before any traffic moved (one that fires during the pre-traffic hooks stops the deploy before its first weight: exit 3, cause GATE_FAILED); right after a rollback the alarm may still weigh the rolled-back version's minutes: the hint says so and gives the `aws cloudwatch describe-alarms` line that shows when it is OK again",
  ),
  ALARM_HISTORY_DENIED: usage(
    'cloudwatch:DescribeAlarmHistory is denied: an alarm that fires and clears between two health polls could not be seen; grant it before any traffic moves',
  ),
  NOTHING_TO_ROLL_BACK: usage(
    'no version to roll back to is known: none recorded, or the alias was moved by hand to a version no deployment put there (an unfinished one: its stable version or `lshift alias` close it); pass --to',
  ),
  // Both: exit 2, or 4 when its deployment was closed over a split nobody drives (a human must look).
  NOTHING_TO_RESUME: {
    exits: [2, 4],
    meaning:
      'no unfinished deployment is recorded on the alias (exit 4 when it was closed over a split nobody drives: `lshift status` and `lshift check` call it STALLED)',
  },
  RESUME_GUARDS_DIFFER: usage(
    '`deploy --resume` with other alarms, hooks, bake or analysis, or other absolute gates or analysis settings, than the first run recorded (`gd=`, `jd=`); pass the same flags or --config again, or `--guards-changed` for a deliberate change; nothing written',
  ),
  NO_RUNNING_DEPLOYMENT: usage(
    "`lshift promote|pause|resume|abort`: no deployment is running on the alias (none, ended, or rolling back; a deploy still uploading, publishing or checking has no record yet and is not reached: send the verb again once it prints its id), or (`promote|pause|resume`) a single deployment is past its last hold (running its post-traffic hooks), or `abort` of a CodeDeploy deployment handed over with `--detach` (no lshift process reads its commands, not even `lshift wait`: `lshift rollback` stops it); or (`pause|resume|promote`) another operator's abort went over it before its answer was seen (a `promote` whose deployment then ends promoted is exit 0: the abort came too late)",
  ),
  COMMAND_REFUSED: usage(
    '`lshift pause` of a paused deployment, or `lshift resume` of one that is not paused',
  ),
  RELEASE_MEMBER: usage(
    '`lshift promote` or `lshift pause` of one function of a running release, without `--release` (the release forms act on every function)',
  ),
  NOT_IN_RELEASE: usage(
    '`lshift abort|pause|resume|promote --release`: a function named is not part of the release (or does not exist); nothing was sent. `deploy fnA fnB … --resume` of a release: a function named does not exist (mistyped, or deleted since the release started), or has no record while the release has others left unnamed; nothing was taken over. `rollback --release`: a function named has its record of the release at another alias than the one given; nothing was rolled back',
  ),
  RELEASE_NOT_FOUND: usage(
    'no function named carries the release id given to `rollback --release` or `abort|pause|resume|promote --release`',
  ),
} as const satisfies Record<string, ErrorCodeInfo>;
